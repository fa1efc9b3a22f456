/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <signal.h>

#include "hs-cli-progress.h"
#include "hs-cli-run-wait.h"

/* Follows the run a Sync or CreateFiscalYear call queued until it ends.
 * The signals are connected before the call is made, and those that come
 * after its reply are kept until the reply is read: GDBus dispatches a
 * reply and the signals behind it in one main-loop iteration, so a run
 * that ends at once (another program holds the database) would otherwise
 * end before anyone looks for it. */
struct _HsCliRunWait
{
  HsCliContext *context;
  HsIpcEngine1 *proxy;         /* (owned) */
  HsCliProgress *progress;     /* (owned) */
  GAsyncResult *reply;         /* (owned) (nullable): the call's, once it came */
  char *fiscal_year;           /* (owned) (nullable): the year followed, once the reply was read */
  GPtrArray *started;          /* (element-type GVariant): RunStarted since the reply */
  GPtrArray *finished;         /* (element-type GVariant): RunFinished since the reply */
  gboolean cancel_sent;
};

static void
run_started_cb (HsIpcEngine1 *proxy,
                GVariant     *run,
                HsCliRunWait *wait)
{
  if (wait->reply != NULL)
    g_ptr_array_add (wait->started, g_variant_ref (run));
  g_main_context_wakeup (NULL);
}

/* D-Bus keeps the order of a connection's messages, so a RunFinished that
 * arrives after the call's reply, for the same year, ends this command's
 * run: there is at most one run per year queued or going. */
static void
run_finished_cb (HsIpcEngine1 *proxy,
                 GVariant     *run,
                 HsCliRunWait *wait)
{
  if (wait->reply != NULL)
    g_ptr_array_add (wait->finished, g_variant_ref (run));
  g_main_context_wakeup (NULL);
}

static gboolean
is_followed_year (HsCliRunWait *wait,
                  GVariant     *run)
{
  const char *fiscal_year = NULL;

  g_variant_lookup (run, "fiscal-year", "&s", &fiscal_year);
  return g_strcmp0 (fiscal_year, wait->fiscal_year) == 0;
}

/* Follows the runs started for the year so far; returns the first of
 * those finished, if one has. */
static GVariant *
take_events (HsCliRunWait *wait)
{
  for (guint i = 0; i < wait->started->len; i++)
    {
      GVariant *run = g_ptr_array_index (wait->started, i);
      gint64 id = 0;

      if (is_followed_year (wait, run) && g_variant_lookup (run, "id", "x", &id))
        hs_cli_progress_follow (wait->progress, id);
    }
  g_ptr_array_set_size (wait->started, 0);

  for (guint i = 0; i < wait->finished->len; i++)
    {
      GVariant *run = g_ptr_array_index (wait->finished, i);

      if (is_followed_year (wait, run))
        return g_variant_ref (run);
    }
  return NULL;
}

static gboolean
interrupted_cb (gpointer user_data)
{
  HsCliRunWait *wait = user_data;

  if (wait->fiscal_year != NULL && !wait->cancel_sent)
    {
      hs_cli_progress_clear (wait->progress);
      g_printerr ("%s\n", _("Canceling…"));
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
  wait->started = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  wait->finished = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  g_signal_connect (proxy, "run-started", G_CALLBACK (run_started_cb), wait);
  g_signal_connect (proxy, "run-finished", G_CALLBACK (run_finished_cb), wait);
  return wait;
}

/* The #GAsyncReadyCallback of the call whose run @user_data follows. */
void
hs_cli_run_wait_reply_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  HsCliRunWait *wait = user_data;

  wait->reply = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

/* Returns: (transfer none): the call's result, once it came. */
GAsyncResult *
hs_cli_run_wait_for_reply (HsCliRunWait *wait)
{
  while (wait->reply == NULL)
    g_main_context_iteration (NULL, TRUE);
  return wait->reply;
}

/* Waits for @queued_run, the reply of the call, to finish, showing its
 * progress and cancelling it on Ctrl+C or SIGTERM.  Returns the finished
 * run. */
GVariant *
hs_cli_run_wait_finish (HsCliRunWait *wait,
                        GVariant     *queued_run)
{
  GVariant *finished;
  guint sigint, sigterm;
  gint64 id = 0;

  g_return_val_if_fail (wait->reply != NULL, NULL);

  g_variant_lookup (queued_run, "fiscal-year", "s", &wait->fiscal_year);
  g_variant_lookup (queued_run, "id", "x", &id);
  hs_cli_progress_follow (wait->progress, id);

  sigint = g_unix_signal_add (SIGINT, interrupted_cb, wait);
  sigterm = g_unix_signal_add (SIGTERM, interrupted_cb, wait);
  while ((finished = take_events (wait)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  hs_cli_progress_clear (wait->progress);

  return finished;
}

void
hs_cli_run_wait_free (HsCliRunWait *wait)
{
  g_signal_handlers_disconnect_by_data (wait->proxy, wait);
  g_clear_object (&wait->proxy);
  g_clear_object (&wait->progress);
  g_clear_object (&wait->reply);
  g_clear_pointer (&wait->fiscal_year, g_free);
  g_clear_pointer (&wait->started, g_ptr_array_unref);
  g_clear_pointer (&wait->finished, g_ptr_array_unref);
  g_free (wait);
}
