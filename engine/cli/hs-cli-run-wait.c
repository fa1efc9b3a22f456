/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <signal.h>

#include "hs-cli-progress.h"
#include "hs-cli-run-wait.h"

/* Follows the run a Sync or CreateFiscalYear call queued until it ends:
 * the signals are connected before the call is made, so that no signal
 * of the run can be missed between its reply and the wait. */
struct _HsCliRunWait
{
  HsCliContext *context;
  HsIpcEngine1 *proxy;         /* (owned) */
  HsCliProgress *progress;     /* (owned) */
  char *fiscal_year;           /* (owned) (nullable): the year followed, once the call replied */
  GVariant *finished;          /* (owned) (nullable): the run's final description */
  gboolean cancel_sent;
};

static void
run_started_cb (HsIpcEngine1 *proxy,
                GVariant     *run,
                HsCliRunWait *wait)
{
  const char *fiscal_year = NULL;
  gint64 id = 0;

  g_variant_lookup (run, "fiscal-year", "&s", &fiscal_year);
  g_variant_lookup (run, "id", "x", &id);
  if (wait->fiscal_year != NULL && g_strcmp0 (fiscal_year, wait->fiscal_year) == 0)
    hs_cli_progress_follow (wait->progress, id);
}

/* D-Bus keeps the order of a connection's messages, so a RunFinished that
 * arrives after the call's reply, for the same year, ends this command's
 * run: there is at most one run per year queued or going. */
static void
run_finished_cb (HsIpcEngine1 *proxy,
                 GVariant     *run,
                 HsCliRunWait *wait)
{
  const char *fiscal_year = NULL;

  g_variant_lookup (run, "fiscal-year", "&s", &fiscal_year);
  if (wait->fiscal_year != NULL && wait->finished == NULL &&
      g_strcmp0 (fiscal_year, wait->fiscal_year) == 0)
    {
      wait->finished = g_variant_ref (run);
      g_main_context_wakeup (NULL);
    }
}

static gboolean
interrupted_cb (gpointer user_data)
{
  HsCliRunWait *wait = user_data;

  if (wait->fiscal_year != NULL && !wait->cancel_sent)
    {
      hs_cli_progress_clear (wait->progress);
      g_printerr ("%s\n", _("Cancelling…"));
      hs_ipc_engine1_call_cancel (wait->proxy, wait->fiscal_year, G_DBUS_CALL_FLAGS_NONE, -1,
                                  NULL, NULL, NULL);
      wait->cancel_sent = TRUE;
    }
  return G_SOURCE_CONTINUE;
}

HsCliRunWait *
hs_cli_run_wait_new (HsCliContext *context,
                     HsIpcEngine1 *proxy)
{
  HsCliRunWait *wait = g_new0 (HsCliRunWait, 1);

  wait->context = context;
  wait->proxy = g_object_ref (proxy);
  wait->progress = hs_cli_progress_new (proxy, context->interactive && !context->json);
  g_signal_connect (proxy, "run-started", G_CALLBACK (run_started_cb), wait);
  g_signal_connect (proxy, "run-finished", G_CALLBACK (run_finished_cb), wait);
  return wait;
}

/* Waits for @queued_run, the reply of the call, to finish, showing its
 * progress and cancelling it on Ctrl+C or SIGTERM.  Returns the finished
 * run. */
GVariant *
hs_cli_run_wait_finish (HsCliRunWait *wait,
                        GVariant     *queued_run)
{
  guint sigint, sigterm;
  gint64 id = 0;

  g_variant_lookup (queued_run, "fiscal-year", "s", &wait->fiscal_year);
  g_variant_lookup (queued_run, "id", "x", &id);
  hs_cli_progress_follow (wait->progress, id);

  sigint = g_unix_signal_add (SIGINT, interrupted_cb, wait);
  sigterm = g_unix_signal_add (SIGTERM, interrupted_cb, wait);
  while (wait->finished == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  hs_cli_progress_clear (wait->progress);

  return g_variant_ref (wait->finished);
}

void
hs_cli_run_wait_free (HsCliRunWait *wait)
{
  g_signal_handlers_disconnect_by_data (wait->proxy, wait);
  g_clear_object (&wait->proxy);
  g_clear_object (&wait->progress);
  g_clear_pointer (&wait->fiscal_year, g_free);
  g_clear_pointer (&wait->finished, g_variant_unref);
  g_free (wait);
}
