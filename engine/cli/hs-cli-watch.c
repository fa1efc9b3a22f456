/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <signal.h>
#include <stdio.h>

#include "hs-cli.h"
#include "hs-cli-output.h"
#include "hs-cli-progress.h"
#include "hs-cli-run.h"

typedef struct
{
  HsCliContext *context;
  HsCliProgress *progress;  /* (owned) */
  gboolean stop;
} Watch;

/* A script reading --json gets each run as one line the moment it starts
 * and again when it ends; the status tells the two apart.  A person gets
 * a line, then the bar, then the run's table in place of the bar. */
static void
print_run_event (Watch    *watch,
                 GVariant *run,
                 gboolean  started)
{
  hs_cli_progress_clear (watch->progress);

  if (watch->context->json)
    {
      g_autoptr(JsonNode) node = hs_cli_run_to_json (run);
      hs_cli_print_json_line (node);
    }
  else if (started)
    {
      g_autofree char *text = hs_cli_describe_run (run);

      g_print (_("Started: %s\n"), text);
    }
  else
    hs_cli_print_run (run);
  fflush (stdout);
}

static void
watch_started_cb (HsIpcEngine1 *proxy,
                  GVariant     *run,
                  Watch        *watch)
{
  print_run_event (watch, run, TRUE);
}

static void
watch_finished_cb (HsIpcEngine1 *proxy,
                   GVariant     *run,
                   Watch        *watch)
{
  print_run_event (watch, run, FALSE);
}

static gboolean
watch_interrupted_cb (gpointer user_data)
{
  Watch *watch = user_data;

  watch->stop = TRUE;
  g_main_context_wakeup (NULL);
  return G_SOURCE_CONTINUE;
}

HsCliExit
hs_cli_cmd_watch (HsCliContext *context,
                  int           argc,
                  char        **argv)
{
  g_autoptr(GError) error = NULL;
  Watch watch = { context, NULL, FALSE };
  HsIpcEngine1 *proxy;
  guint sigint, sigterm;
  HsCliExit code;

  if (!hs_cli_parse_options (context, "watch", NULL, &argc, &argv, 0, 0, &code))
    return code;
  if (context->local)
    return hs_cli_usage_error (context, _("“watch” follows the service; it has nothing to follow with --local"));

  proxy = hs_cli_get_proxy (context, &error);
  if (proxy == NULL)
    return hs_cli_report_connection_error (context, error);

  watch.progress = hs_cli_progress_new (proxy, context->interactive && !context->json);
  g_signal_connect (proxy, "run-started", G_CALLBACK (watch_started_cb), &watch);
  g_signal_connect (proxy, "run-finished", G_CALLBACK (watch_finished_cb), &watch);
  sigint = g_unix_signal_add (SIGINT, watch_interrupted_cb, &watch);
  sigterm = g_unix_signal_add (SIGTERM, watch_interrupted_cb, &watch);

  /* On stderr in either mode: a person is told how to stop, and a script
   * knows that from here on no run is missed. */
  g_printerr ("%s\n", _("Following HaloSync syncs; press Ctrl+C to stop."));
  while (!watch.stop)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (sigint);
  g_source_remove (sigterm);

  g_signal_handlers_disconnect_by_data (proxy, &watch);
  g_clear_object (&watch.progress);
  return HS_CLI_EXIT_OK;
}
