/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <signal.h>
#include <stdio.h>

#include <halosync.h>

#include "hs-cli-commands.h"
#include "hs-cli-output.h"
#include "hs-cli-progress.h"

/* --- Errors and connections ---------------------------------------------- */

HsCliExit
hs_cli_usage_error (const char *format,
                    ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("halosyncctl: %s\n", message);
  g_printerr ("%s\n", _("Run “halosyncctl --help” for the commands and their options."));
  return HS_CLI_EXIT_USAGE;
}

static gboolean
is_unreachable (const GError *error)
{
  return g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_FAILED) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_CHILD_EXITED) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY) ||
         g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_DISCONNECTED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

static HsCliExit
exit_code_for (const GError *error)
{
  if (error->domain == HS_ERROR)
    {
      switch (error->code)
        {
        case HS_ERROR_INVALID_ARGUMENT:
        case HS_ERROR_NOT_FOUND:
        case HS_ERROR_EXISTS:
        case HS_ERROR_CONFLICT:
        case HS_ERROR_BUSY:
        case HS_ERROR_REFUSED:
          return HS_CLI_EXIT_REFUSED;
        case HS_ERROR_NOT_CONFIGURED:
          return HS_CLI_EXIT_UNAVAILABLE;
        default:
          return HS_CLI_EXIT_FAILED;
        }
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return HS_CLI_EXIT_CANCELLED;
  if (is_unreachable (error))
    return HS_CLI_EXIT_UNAVAILABLE;
  return HS_CLI_EXIT_FAILED;
}

HsCliExit
hs_cli_report_error (HsCliContext *context,
                     const GError *error)
{
  g_autoptr(GError) copy = g_error_copy (error);
  HsCliExit code = exit_code_for (error);

  g_dbus_error_strip_remote_error (copy);

  if (code == HS_CLI_EXIT_UNAVAILABLE && copy->domain != HS_ERROR)
    g_printerr (_("halosyncctl: the HaloSync service cannot be reached (%s).\n"
                  "Start it with “systemctl --user start halosyncd”, or run the command in this process with --local.\n"),
                copy->message);
  else
    g_printerr ("halosyncctl: %s\n", copy->message);

  if (context->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *name = g_dbus_error_encode_gerror (error);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "error");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, name);
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, copy->message);
      json_builder_set_member_name (builder, "exit_code");
      json_builder_add_int_value (builder, code);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      hs_cli_print_json (root);
    }

  return code;
}

/* Whatever keeps the service from answering (no session bus, no service
 * file, a crash) is "unreachable" to the person at the prompt; a local
 * engine that cannot start has its own, specific error. */
static HsCliExit
report_connection_error (HsCliContext *context,
                         const GError *error)
{
  g_autoptr(GError) unreachable = NULL;

  if (context->local)
    return hs_cli_report_error (context, error);

  unreachable = g_error_new_literal (G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN, error->message);
  return hs_cli_report_error (context, unreachable);
}

static HsIpcEngine1 *
get_proxy (HsCliContext *context,
           GError      **error)
{
  if (context->connection == NULL)
    {
      if (context->local)
        context->connection = hs_cli_connection_new_local (error);
      else
        context->connection = hs_cli_connection_new_for_service (error);
    }
  return context->connection != NULL ? hs_cli_connection_get_proxy (context->connection) : NULL;
}

/* Parses a command's own options; returns FALSE (and the usage exit code)
 * when they are wrong or leave the wrong number of arguments. */
static gboolean
parse_options (const char   *usage,
               GOptionEntry *entries,
               int          *argc,
               char       ***argv,
               int           min_args,
               int           max_args,
               HsCliExit    *exit_code)
{
  g_autoptr(GOptionContext) options = g_option_context_new (usage);
  g_autoptr(GError) error = NULL;

  g_option_context_set_help_enabled (options, TRUE);
  if (entries != NULL)
    g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (options, argc, argv, &error))
    {
      *exit_code = hs_cli_usage_error ("%s", error->message);
      return FALSE;
    }

  /* argv[0] is the command itself. */
  if (*argc - 1 < min_args || *argc - 1 > max_args)
    {
      *exit_code = hs_cli_usage_error (_("usage: halosyncctl [--local] [--json] %s"), usage);
      return FALSE;
    }
  return TRUE;
}

/* --- sync ------------------------------------------------------------------ */

typedef struct
{
  char *fiscal_year;           /* the year this command syncs, once known */
  gboolean replied;            /* the Sync call returned */
  GVariant *finished;          /* (owned) (nullable): the run's final description */
  HsIpcEngine1 *proxy;
  HsCliProgress *progress;
  gboolean cancel_sent;
} SyncWait;

static void
sync_run_started_cb (HsIpcEngine1 *proxy,
                     GVariant     *run,
                     SyncWait     *wait)
{
  const char *fiscal_year = NULL;
  gint64 id = 0;

  g_variant_lookup (run, "fiscal-year", "&s", &fiscal_year);
  g_variant_lookup (run, "id", "x", &id);
  if (wait->replied && g_strcmp0 (fiscal_year, wait->fiscal_year) == 0)
    hs_cli_progress_follow (wait->progress, id);
}

/* D-Bus keeps the order of a connection's messages, so a RunFinished that
 * arrives after the Sync reply, for the same year, ends this command's run:
 * there is at most one run per year queued or going. */
static void
sync_run_finished_cb (HsIpcEngine1 *proxy,
                      GVariant     *run,
                      SyncWait     *wait)
{
  const char *fiscal_year = NULL;

  g_variant_lookup (run, "fiscal-year", "&s", &fiscal_year);
  if (wait->replied && wait->finished == NULL && g_strcmp0 (fiscal_year, wait->fiscal_year) == 0)
    {
      wait->finished = g_variant_ref (run);
      g_main_context_wakeup (NULL);
    }
}

static gboolean
sync_interrupted_cb (gpointer user_data)
{
  SyncWait *wait = user_data;

  if (wait->fiscal_year != NULL && !wait->cancel_sent)
    {
      hs_cli_progress_clear (wait->progress);
      g_printerr ("%s\n", _("Cancelling…"));
      hs_ipc_engine1_call_cancel (wait->proxy, wait->fiscal_year, G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL, NULL);
      wait->cancel_sent = TRUE;
    }
  return G_SOURCE_CONTINUE;
}

static HsCliExit
exit_code_for_run (GVariant *run)
{
  const char *status = NULL;
  const char *error_name = NULL;

  g_variant_lookup (run, "status", "&s", &status);
  if (g_strcmp0 (status, "succeeded") == 0)
    return HS_CLI_EXIT_OK;
  if (g_strcmp0 (status, "cancelled") == 0)
    return HS_CLI_EXIT_CANCELLED;
  /* A run refused before it began (busy, not configured) exits as a
   * refused command does; any other failure is the sync failing. */
  if (g_variant_lookup (run, "error-name", "&s", &error_name))
    {
      g_autoptr(GError) error = g_dbus_error_new_for_dbus_error (error_name, "");

      if (g_error_matches (error, HS_ERROR, HS_ERROR_BUSY) ||
          g_error_matches (error, HS_ERROR, HS_ERROR_NOT_CONFIGURED))
        return exit_code_for (error);
    }
  return HS_CLI_EXIT_FAILED;
}

/* Waits for the run of @wait->fiscal_year to finish, showing progress and
 * cancelling it on Ctrl+C or SIGTERM, then prints it. */
static HsCliExit
wait_for_run (HsCliContext *context,
              SyncWait     *wait,
              GVariant     *queued_run)
{
  guint sigint, sigterm;
  gint64 id = 0;
  HsCliExit code;

  g_variant_lookup (queued_run, "id", "x", &id);
  hs_cli_progress_follow (wait->progress, id);

  sigint = g_unix_signal_add (SIGINT, sync_interrupted_cb, wait);
  sigterm = g_unix_signal_add (SIGTERM, sync_interrupted_cb, wait);
  while (wait->finished == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  hs_cli_progress_clear (wait->progress);

  if (context->json)
    {
      g_autoptr(JsonNode) node = hs_cli_run_to_json (wait->finished);
      hs_cli_print_json (node);
    }
  else
    hs_cli_print_run (wait->finished);

  code = exit_code_for_run (wait->finished);
  return code;
}

static void
sync_wait_clear (SyncWait *wait)
{
  if (wait->proxy != NULL)
    g_signal_handlers_disconnect_by_data (wait->proxy, wait);
  g_clear_pointer (&wait->fiscal_year, g_free);
  g_clear_pointer (&wait->finished, g_variant_unref);
  g_clear_object (&wait->progress);
}

static void
sync_wait_init (SyncWait     *wait,
                HsCliContext *context,
                HsIpcEngine1 *proxy)
{
  wait->proxy = proxy;
  wait->progress = hs_cli_progress_new (proxy, context->interactive && !context->json);
  g_signal_connect (proxy, "run-started", G_CALLBACK (sync_run_started_cb), wait);
  g_signal_connect (proxy, "run-finished", G_CALLBACK (sync_run_finished_cb), wait);
}

HsCliExit
hs_cli_cmd_sync (HsCliContext *context,
                 int           argc,
                 char        **argv)
{
  g_autofree char *fiscal_year = NULL;
  gboolean full = FALSE, dry_run = FALSE, allow_mass_delete = FALSE;
  GOptionEntry entries[] = {
    { "fy", 0, 0, G_OPTION_ARG_STRING, &fiscal_year, N_("The fiscal year to sync (default: the latest)"), N_("LABEL") },
    { "full", 0, 0, G_OPTION_ARG_NONE, &full, N_("Read the whole year and detect deletions"), NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Roll back and report what would change"), NULL },
    { "allow-mass-delete", 0, 0, G_OPTION_ARG_NONE, &allow_mass_delete, N_("Let a full sync mark more than the configured share of rows deleted"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) run = NULL;
  g_auto(GVariantDict) options = G_VARIANT_DICT_INIT (NULL);
  SyncWait wait = { 0 };
  HsIpcEngine1 *proxy;
  HsCliExit code;

  if (!parse_options ("sync [--fy LABEL] [--full] [--dry-run] [--allow-mass-delete]",
                      entries, &argc, &argv, 0, 0, &code))
    return code;

  proxy = get_proxy (context, &error);
  if (proxy == NULL)
    return report_connection_error (context, error);

  g_variant_dict_insert (&options, "full", "b", full);
  g_variant_dict_insert (&options, "dry-run", "b", dry_run);
  g_variant_dict_insert (&options, "allow-mass-delete", "b", allow_mass_delete);
  g_variant_dict_insert (&options, "trigger", "s", "cli");

  sync_wait_init (&wait, context, proxy);
  hs_ipc_engine1_call_sync (proxy, fiscal_year != NULL ? fiscal_year : "",
                            g_variant_dict_end (&options), G_DBUS_CALL_FLAGS_NONE, -1, NULL, hs_cli_store_result_cb, &result);
  hs_cli_wait (&result);
  if (!hs_ipc_engine1_call_sync_finish (proxy, &run, result, &error))
    {
      sync_wait_clear (&wait);
      return hs_cli_report_error (context, error);
    }

  g_variant_lookup (run, "fiscal-year", "s", &wait.fiscal_year);
  wait.replied = TRUE;
  code = wait_for_run (context, &wait, run);
  sync_wait_clear (&wait);
  return code;
}

/* --- status, runs ------------------------------------------------------------ */

static gboolean
is_empty_dict (GVariant *dict)
{
  return dict == NULL || g_variant_n_children (dict) == 0;
}

static void
add_run_member (JsonBuilder *builder,
                const char  *name,
                GVariant    *run)
{
  json_builder_set_member_name (builder, name);
  if (is_empty_dict (run))
    json_builder_add_null_value (builder);
  else
    json_builder_add_value (builder, hs_cli_run_to_json (run));
}

static GVariant *
newest_run (HsIpcEngine1 *proxy)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) runs = NULL;

  hs_ipc_engine1_call_list_runs (proxy, 1, G_DBUS_CALL_FLAGS_NONE, -1, NULL, hs_cli_store_result_cb, &result);
  hs_cli_wait (&result);
  if (!hs_ipc_engine1_call_list_runs_finish (proxy, &runs, result, NULL) ||
      g_variant_n_children (runs) == 0)
    return NULL;
  return g_variant_get_child_value (runs, 0);
}

HsCliExit
hs_cli_cmd_status (HsCliContext *context,
                   int           argc,
                   char        **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) last = NULL;
  GVariant *current;
  HsIpcEngine1 *proxy;
  gint64 next;
  HsCliExit code;

  if (!parse_options ("status", NULL, &argc, &argv, 0, 0, &code))
    return code;

  proxy = get_proxy (context, &error);
  if (proxy == NULL)
    return report_connection_error (context, error);

  current = hs_ipc_engine1_get_current_run (proxy);
  next = hs_ipc_engine1_get_next_run (proxy);
  last = hs_ipc_engine1_dup_last_run (proxy);
  /* A service that has not run anything since it started still knows the
   * last run from the ledger. */
  if (is_empty_dict (last))
    {
      g_clear_pointer (&last, g_variant_unref);
      last = newest_run (proxy);
    }

  if (context->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *next_text = hs_cli_format_iso_time (next);

      json_builder_begin_object (builder);
      add_run_member (builder, "current_run", current);
      add_run_member (builder, "last_run", last);
      json_builder_set_member_name (builder, "next_run");
      if (next_text != NULL)
        json_builder_add_string_value (builder, next_text);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "local");
      json_builder_add_boolean_value (builder, context->local);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      hs_cli_print_json (root);
      return HS_CLI_EXIT_OK;
    }

  if (is_empty_dict (current))
    g_print (_("Current sync: none\n"));
  else
    {
      g_autofree char *text = hs_cli_describe_run (current);
      g_print (_("Current sync: %s\n"), text);
    }

  if (is_empty_dict (last))
    g_print (_("Last sync: never\n"));
  else
    {
      g_autofree char *text = hs_cli_describe_run (last);
      gint64 finished = 0;
      g_autofree char *when = NULL;

      g_variant_lookup (last, "finished-at", "x", &finished);
      when = hs_cli_format_time (finished);
      g_print (_("Last sync: %s, %s\n"), text, when);
    }

  if (next > 0)
    {
      g_autofree char *when = hs_cli_format_time (next);
      g_print (_("Next automatic sync: %s\n"), when);
    }
  else if (context->local)
    g_print (_("Next automatic sync: none in --local mode (the service runs the schedule)\n"));
  else
    g_print (_("Next automatic sync: off\n"));

  return HS_CLI_EXIT_OK;
}

HsCliExit
hs_cli_cmd_runs (HsCliContext *context,
                 int           argc,
                 char        **argv)
{
  int limit = 20;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("How many runs to show (default 20)"), N_("N") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) runs = NULL;
  g_autoptr(HsCliTable) table = NULL;
  HsIpcEngine1 *proxy;
  HsCliExit code;

  if (!parse_options ("runs [--limit N]", entries, &argc, &argv, 0, 0, &code))
    return code;
  if (limit < 1)
    return hs_cli_usage_error (_("--limit must be at least 1"));

  proxy = get_proxy (context, &error);
  if (proxy == NULL)
    return report_connection_error (context, error);

  hs_ipc_engine1_call_list_runs (proxy, (guint) limit, G_DBUS_CALL_FLAGS_NONE, -1, NULL, hs_cli_store_result_cb, &result);
  hs_cli_wait (&result);
  if (!hs_ipc_engine1_call_list_runs_finish (proxy, &runs, result, &error))
    return hs_cli_report_error (context, error);

  if (context->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (gsize i = 0; i < g_variant_n_children (runs); i++)
        {
          g_autoptr(GVariant) run = g_variant_get_child_value (runs, i);
          json_array_add_element (array, hs_cli_run_to_json (run));
        }
      json_node_take_array (root, array);
      hs_cli_print_json (root);
      return HS_CLI_EXIT_OK;
    }

  if (g_variant_n_children (runs) == 0)
    {
      g_print ("%s\n", _("No syncs have run yet."));
      return HS_CLI_EXIT_OK;
    }

  table = hs_cli_table_new (_("id"), _("started"), _("trigger"), _("year"), _("mode"), _("status"),
                            _("duration"), _("inserted"), _("updated"), _("deleted"), NULL);
  for (guint c = 6; c < 10; c++)
    hs_cli_table_set_numeric (table, c);
  hs_cli_table_set_numeric (table, 0);

  for (gsize i = 0; i < g_variant_n_children (runs); i++)
    {
      g_autoptr(GVariant) run = g_variant_get_child_value (runs, i);
      gint64 id = 0, started = 0, finished = 0;
      guint64 inserted = 0, updated = 0, deleted = 0;
      const char *trigger = "", *year = "", *mode = "", *status = "";
      gboolean dry_run = FALSE;
      g_autofree char *id_text = NULL, *when = NULL, *duration = NULL;
      g_autofree char *ins = NULL, *upd = NULL, *del = NULL, *status_text = NULL;

      g_variant_lookup (run, "id", "x", &id);
      g_variant_lookup (run, "started-at", "x", &started);
      g_variant_lookup (run, "finished-at", "x", &finished);
      g_variant_lookup (run, "inserted", "t", &inserted);
      g_variant_lookup (run, "updated", "t", &updated);
      g_variant_lookup (run, "deleted", "t", &deleted);
      g_variant_lookup (run, "trigger", "&s", &trigger);
      g_variant_lookup (run, "fiscal-year", "&s", &year);
      g_variant_lookup (run, "mode", "&s", &mode);
      g_variant_lookup (run, "status", "&s", &status);
      g_variant_lookup (run, "dry-run", "b", &dry_run);

      id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      when = hs_cli_format_time (started);
      duration = hs_cli_format_duration (finished >= started && started > 0 ? finished - started : -1);
      ins = hs_cli_format_count (inserted);
      upd = hs_cli_format_count (updated);
      del = hs_cli_format_count (deleted);
      status_text = dry_run ? g_strdup_printf (_("%s (dry run)"), status) : g_strdup (status);
      hs_cli_table_add_row (table, id_text, when, trigger, year, mode, status_text, duration,
                            ins, upd, del, NULL);
    }
  hs_cli_table_print (table);
  return HS_CLI_EXIT_OK;
}

/* --- fy ---------------------------------------------------------------------- */

static HsCliExit
fy_list (HsCliContext *context,
         HsIpcEngine1 *proxy)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) years = NULL;
  g_autoptr(HsCliTable) table = NULL;
  GVariantIter iter;
  const char *label, *start, *end;

  hs_ipc_engine1_call_list_fiscal_years (proxy, G_DBUS_CALL_FLAGS_NONE, -1, NULL, hs_cli_store_result_cb, &result);
  hs_cli_wait (&result);
  if (!hs_ipc_engine1_call_list_fiscal_years_finish (proxy, &years, result, &error))
    return hs_cli_report_error (context, error);

  if (context->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      g_variant_iter_init (&iter, years);
      while (g_variant_iter_next (&iter, "(&s&s&s)", &label, &start, &end))
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "label");
          json_builder_add_string_value (builder, label);
          json_builder_set_member_name (builder, "start");
          json_builder_add_string_value (builder, start);
          json_builder_set_member_name (builder, "end");
          json_builder_add_string_value (builder, end);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      hs_cli_print_json (root);
      return HS_CLI_EXIT_OK;
    }

  if (g_variant_n_children (years) == 0)
    {
      g_print ("%s\n", _("No fiscal years yet. Create one with “halosyncctl fy create LABEL START END”."));
      return HS_CLI_EXIT_OK;
    }

  table = hs_cli_table_new (_("label"), _("first day"), _("last day"), NULL);
  g_variant_iter_init (&iter, years);
  while (g_variant_iter_next (&iter, "(&s&s&s)", &label, &start, &end))
    hs_cli_table_add_row (table, label, start, end, NULL);
  hs_cli_table_print (table);
  return HS_CLI_EXIT_OK;
}

static HsCliExit
fy_create (HsCliContext *context,
           HsIpcEngine1 *proxy,
           const char   *label,
           const char   *start,
           const char   *end)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) run = NULL;
  SyncWait wait = { 0 };
  HsCliExit code;

  sync_wait_init (&wait, context, proxy);
  hs_ipc_engine1_call_create_fiscal_year (proxy, label, start, end, G_DBUS_CALL_FLAGS_NONE, -1, NULL, hs_cli_store_result_cb, &result);
  hs_cli_wait (&result);
  if (!hs_ipc_engine1_call_create_fiscal_year_finish (proxy, &run, result, &error))
    {
      sync_wait_clear (&wait);
      return hs_cli_report_error (context, error);
    }

  wait.fiscal_year = g_strdup (label);
  wait.replied = TRUE;

  /* The service syncs the new year on its own; here, the sync lives in
   * this process, so wait for it. */
  if (hs_cli_connection_is_local (context->connection))
    {
      if (!context->json)
        g_print (_("Created fiscal year %s (%s to %s); syncing it now.\n"), label, start, end);
      code = wait_for_run (context, &wait, run);
      sync_wait_clear (&wait);
      return code;
    }

  sync_wait_clear (&wait);
  if (context->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, label);
      json_builder_set_member_name (builder, "start");
      json_builder_add_string_value (builder, start);
      json_builder_set_member_name (builder, "end");
      json_builder_add_string_value (builder, end);
      json_builder_set_member_name (builder, "run");
      json_builder_add_value (builder, hs_cli_run_to_json (run));
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      hs_cli_print_json (root);
    }
  else
    g_print (_("Created fiscal year %s (%s to %s); the service is syncing it in the background "
               "(follow it with “halosyncctl watch”).\n"), label, start, end);
  return HS_CLI_EXIT_OK;
}

static HsCliExit
fy_delete (HsCliContext *context,
           HsIpcEngine1 *proxy,
           const char   *label)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  hs_ipc_engine1_call_delete_fiscal_year (proxy, label, G_DBUS_CALL_FLAGS_NONE, -1, NULL, hs_cli_store_result_cb, &result);
  hs_cli_wait (&result);
  if (!hs_ipc_engine1_call_delete_fiscal_year_finish (proxy, result, &error))
    return hs_cli_report_error (context, error);

  if (context->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "deleted", label);
      json_node_take_object (root, object);
      hs_cli_print_json (root);
    }
  else
    g_print (_("Deleted fiscal year %s.\n"), label);
  return HS_CLI_EXIT_OK;
}

HsCliExit
hs_cli_cmd_fy (HsCliContext *context,
               int           argc,
               char        **argv)
{
  g_autoptr(GError) error = NULL;
  const char *action = argc > 1 ? argv[1] : NULL;
  HsIpcEngine1 *proxy;
  HsCliExit code;

  if (g_strcmp0 (action, "list") == 0)
    {
      if (!parse_options ("fy list", NULL, &argc, &argv, 1, 1, &code))
        return code;
    }
  else if (g_strcmp0 (action, "create") == 0)
    {
      if (!parse_options ("fy create LABEL START END", NULL, &argc, &argv, 4, 4, &code))
        return code;
    }
  else if (g_strcmp0 (action, "delete") == 0)
    {
      if (!parse_options ("fy delete LABEL", NULL, &argc, &argv, 2, 2, &code))
        return code;
    }
  else
    return hs_cli_usage_error (_("“fy” takes list, create LABEL START END, or delete LABEL"));

  proxy = get_proxy (context, &error);
  if (proxy == NULL)
    return report_connection_error (context, error);

  if (g_str_equal (action, "list"))
    return fy_list (context, proxy);
  if (g_str_equal (action, "create"))
    return fy_create (context, proxy, argv[2], argv[3], argv[4]);
  return fy_delete (context, proxy, argv[2]);
}

/* --- agents -------------------------------------------------------------- */

static HsCliExit
agents_list (HsCliContext *context,
             HsIpcEngine1 *proxy)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) agents = NULL;
  g_autoptr(HsCliTable) table = NULL;
  GVariantIter iter;
  const char *name, *member, *team;
  gint64 id;
  gboolean active;

  hs_ipc_engine1_call_list_agents (proxy, G_DBUS_CALL_FLAGS_NONE, -1, NULL, hs_cli_store_result_cb, &result);
  hs_cli_wait (&result);
  if (!hs_ipc_engine1_call_list_agents_finish (proxy, &agents, result, &error))
    return hs_cli_report_error (context, error);

  if (context->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      g_variant_iter_init (&iter, agents);
      while (g_variant_iter_next (&iter, "(x&s&s&sb)", &id, &name, &member, &team, &active))
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "halo_id");
          json_builder_add_int_value (builder, id);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, name);
          json_builder_set_member_name (builder, "member");
          if (*member != '\0')
            json_builder_add_string_value (builder, member);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "team");
          if (*team != '\0')
            json_builder_add_string_value (builder, team);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "active");
          json_builder_add_boolean_value (builder, active);
          json_builder_set_member_name (builder, "mapped");
          json_builder_add_boolean_value (builder, *member != '\0' && active);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      hs_cli_print_json (root);
      return HS_CLI_EXIT_OK;
    }

  if (g_variant_n_children (agents) == 0)
    {
      g_print ("%s\n", _("No agents yet: they appear after the first sync."));
      return HS_CLI_EXIT_OK;
    }

  table = hs_cli_table_new (_("halo id"), _("agent"), _("member"), _("team"), NULL);
  hs_cli_table_set_numeric (table, 0);
  g_variant_iter_init (&iter, agents);
  while (g_variant_iter_next (&iter, "(x&s&s&sb)", &id, &name, &member, &team, &active))
    {
      g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, id);
      g_autofree char *member_text = NULL;

      if (*member == '\0')
        member_text = g_strdup (_("(unmapped)"));
      else if (!active)
        member_text = g_strdup_printf (_("%s (inactive)"), member);
      else
        member_text = g_strdup (member);
      hs_cli_table_add_row (table, id_text, *name != '\0' ? name : "—", member_text,
                            *team != '\0' ? team : "—", NULL);
    }
  hs_cli_table_print (table);
  return HS_CLI_EXIT_OK;
}

static HsCliExit
agents_set (HsCliContext *context,
            HsIpcEngine1 *proxy,
            const char   *id_text,
            const char   *member,
            const char   *team)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gint64 id;

  if (!g_ascii_string_to_signed (id_text, 10, 1, G_MAXINT64, &id, NULL))
    return hs_cli_usage_error (_("“%s” is not a Halo agent id (a whole number from 1)"), id_text);

  hs_ipc_engine1_call_set_agent_mapping (proxy, id, member, team, G_DBUS_CALL_FLAGS_NONE, -1, NULL, hs_cli_store_result_cb, &result);
  hs_cli_wait (&result);
  if (!hs_ipc_engine1_call_set_agent_mapping_finish (proxy, result, &error))
    return hs_cli_report_error (context, error);

  if (context->json)
    {
      g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
      JsonObject *object = json_object_new ();

      json_object_set_int_member (object, "halo_id", id);
      if (*member != '\0')
        json_object_set_string_member (object, "member", member);
      else
        json_object_set_null_member (object, "member");
      if (*team != '\0')
        json_object_set_string_member (object, "team", team);
      else
        json_object_set_null_member (object, "team");
      json_node_take_object (root, object);
      hs_cli_print_json (root);
    }
  else if (*member != '\0')
    g_print (_("Agent %lld now counts for %s.\n"), (long long) id, member);
  else
    g_print (_("Agent %lld is unmapped.\n"), (long long) id);
  return HS_CLI_EXIT_OK;
}

HsCliExit
hs_cli_cmd_agents (HsCliContext *context,
                   int           argc,
                   char        **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *team = NULL;
  GOptionEntry map_entries[] = {
    { "team", 0, 0, G_OPTION_ARG_STRING, &team, N_("The member's team"), N_("TEAM") },
    { NULL }
  };
  const char *action = argc > 1 ? argv[1] : NULL;
  HsIpcEngine1 *proxy;
  HsCliExit code;

  if (g_strcmp0 (action, "list") == 0)
    {
      if (!parse_options ("agents list", NULL, &argc, &argv, 1, 1, &code))
        return code;
    }
  else if (g_strcmp0 (action, "map") == 0)
    {
      if (!parse_options ("agents map HALO_ID MEMBER [--team TEAM]", map_entries, &argc, &argv, 3, 3, &code))
        return code;
    }
  else if (g_strcmp0 (action, "unmap") == 0)
    {
      if (!parse_options ("agents unmap HALO_ID", NULL, &argc, &argv, 2, 2, &code))
        return code;
    }
  else
    return hs_cli_usage_error (_("“agents” takes list, map HALO_ID MEMBER [--team TEAM], or unmap HALO_ID"));

  proxy = get_proxy (context, &error);
  if (proxy == NULL)
    return report_connection_error (context, error);

  if (g_str_equal (action, "list"))
    return agents_list (context, proxy);
  if (g_str_equal (action, "map"))
    return agents_set (context, proxy, argv[2], argv[3], team != NULL ? team : "");
  return agents_set (context, proxy, argv[2], "", "");
}

/* --- summary ------------------------------------------------------------------- */

typedef struct
{
  char *member;
  char *team;
  double hours;
  double billable;
  guint opened;
  guint closed;
} MemberTotal;

static void
member_total_free (MemberTotal *total)
{
  g_free (total->member);
  g_free (total->team);
  g_free (total);
}

static int
compare_hours (gconstpointer a,
               gconstpointer b)
{
  const MemberTotal *x = *(MemberTotal * const *) a;
  const MemberTotal *y = *(MemberTotal * const *) b;

  if (x->hours != y->hours)
    return x->hours < y->hours ? 1 : -1;
  return g_strcmp0 (x->member, y->member);
}

static char *
latest_fiscal_year (HsIpcEngine1 *proxy,
                    GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) years = NULL;
  gsize n;
  char *label = NULL;

  hs_ipc_engine1_call_list_fiscal_years (proxy, G_DBUS_CALL_FLAGS_NONE, -1, NULL, hs_cli_store_result_cb, &result);
  hs_cli_wait (&result);
  if (!hs_ipc_engine1_call_list_fiscal_years_finish (proxy, &years, result, error))
    return NULL;

  n = g_variant_n_children (years);
  if (n == 0)
    {
      g_set_error_literal (error, HS_ERROR, HS_ERROR_NOT_FOUND,
                           _("No fiscal year exists yet; create one first with “halosyncctl fy create”"));
      return NULL;
    }

  /* Years come earliest first. */
  g_variant_get_child (years, n - 1, "(sss)", &label, NULL, NULL);
  return label;
}

HsCliExit
hs_cli_cmd_summary (HsCliContext *context,
                    int           argc,
                    char        **argv)
{
  g_autofree char *fiscal_year = NULL;
  int limit = 10;
  GOptionEntry entries[] = {
    { "fy", 0, 0, G_OPTION_ARG_STRING, &fiscal_year, N_("The fiscal year (default: the latest)"), N_("LABEL") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("How many members to show (default 10)"), N_("N") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) summary = NULL;
  g_autoptr(GPtrArray) totals = g_ptr_array_new_with_free_func ((GDestroyNotify) member_total_free);
  g_autoptr(GHashTable) by_member = g_hash_table_new (g_str_hash, g_str_equal);
  HsIpcEngine1 *proxy;
  GVariantIter iter;
  const char *member, *team, *month;
  double hours, billable;
  guint32 opened, closed;
  HsCliExit code;

  if (!parse_options ("summary [--fy LABEL] [--limit N]", entries, &argc, &argv, 0, 0, &code))
    return code;
  if (limit < 1)
    return hs_cli_usage_error (_("--limit must be at least 1"));

  proxy = get_proxy (context, &error);
  if (proxy == NULL)
    return report_connection_error (context, error);

  if (fiscal_year == NULL)
    {
      fiscal_year = latest_fiscal_year (proxy, &error);
      if (fiscal_year == NULL)
        return hs_cli_report_error (context, error);
    }

  hs_ipc_engine1_call_get_summary (proxy, fiscal_year, G_DBUS_CALL_FLAGS_NONE, -1, NULL, hs_cli_store_result_cb, &result);
  hs_cli_wait (&result);
  if (!hs_ipc_engine1_call_get_summary_finish (proxy, &summary, result, &error))
    return hs_cli_report_error (context, error);

  g_variant_iter_init (&iter, summary);
  while (g_variant_iter_next (&iter, "(&s&s&sdduu)", &member, &team, &month, &hours, &billable, &opened, &closed))
    {
      MemberTotal *total = g_hash_table_lookup (by_member, member);

      if (total == NULL)
        {
          total = g_new0 (MemberTotal, 1);
          total->member = g_strdup (member);
          total->team = g_strdup (team);
          g_ptr_array_add (totals, total);
          g_hash_table_insert (by_member, total->member, total);
        }
      total->hours += hours;
      total->billable += billable;
      total->opened += opened;
      total->closed += closed;
    }
  g_ptr_array_sort (totals, compare_hours);

  if (context->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "fiscal_year");
      json_builder_add_string_value (builder, fiscal_year);
      json_builder_set_member_name (builder, "members");
      json_builder_begin_array (builder);
      for (guint i = 0; i < totals->len && i < (guint) limit; i++)
        {
          MemberTotal *total = g_ptr_array_index (totals, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "member");
          if (*total->member != '\0')
            json_builder_add_string_value (builder, total->member);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "team");
          if (*total->team != '\0')
            json_builder_add_string_value (builder, total->team);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "hours");
          json_builder_add_double_value (builder, total->hours);
          json_builder_set_member_name (builder, "billable_hours");
          json_builder_add_double_value (builder, total->billable);
          json_builder_set_member_name (builder, "tickets_opened");
          json_builder_add_int_value (builder, total->opened);
          json_builder_set_member_name (builder, "tickets_closed");
          json_builder_add_int_value (builder, total->closed);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      hs_cli_print_json (root);
      return HS_CLI_EXIT_OK;
    }

  if (totals->len == 0)
    {
      g_print (_("Nothing synced for %s yet.\n"), fiscal_year);
      return HS_CLI_EXIT_OK;
    }

  g_print (_("Top members by hours in %s:\n"), fiscal_year);
  {
    g_autoptr(HsCliTable) table = hs_cli_table_new (_("member"), _("team"), _("hours"), _("billable"),
                                                    _("opened"), _("closed"), NULL);

    for (guint c = 2; c < 6; c++)
      hs_cli_table_set_numeric (table, c);
    for (guint i = 0; i < totals->len && i < (guint) limit; i++)
      {
        MemberTotal *total = g_ptr_array_index (totals, i);
        g_autofree char *h = hs_cli_format_hours (total->hours);
        g_autofree char *b = hs_cli_format_hours (total->billable);
        g_autofree char *o = hs_cli_format_count (total->opened);
        g_autofree char *c = hs_cli_format_count (total->closed);

        hs_cli_table_add_row (table, *total->member != '\0' ? total->member : _("(unmapped agents)"),
                              *total->team != '\0' ? total->team : "—", h, b, o, c, NULL);
      }
    hs_cli_table_print (table);
  }
  return HS_CLI_EXIT_OK;
}

/* --- plugins ------------------------------------------------------------------ */

static void
ignore_log (const char     *domain,
            GLogLevelFlags  level,
            const char     *message,
            gpointer        user_data)
{
}

/* Plugins are a property of the installation, not of a running engine, so
 * this lists what this machine's search path loads, in either mode. */
HsCliExit
hs_cli_cmd_plugins (HsCliContext *context,
                    int           argc,
                    char        **argv)
{
  g_autoptr(HsPluginLoader) loader = hs_plugin_loader_new ();
  g_auto(GStrv) sources = NULL;
  g_auto(GStrv) sinks = NULL;
  g_auto(GStrv) skipped = NULL;
  g_auto(GStrv) path = NULL;
  HsCliExit code;

  if (!parse_options ("plugins", NULL, &argc, &argv, 0, 0, &code))
    return code;

  /* Skipped plugins are reported below, once, rather than as warnings. */
  g_log_set_handler ("HaloSync", G_LOG_LEVEL_WARNING, ignore_log, NULL);
  hs_plugin_loader_load (loader);
  sources = hs_plugin_loader_list_sources (loader);
  sinks = hs_plugin_loader_list_sinks (loader);
  skipped = hs_plugin_loader_list_skipped (loader);
  path = hs_plugin_loader_dup_search_path (loader);

  if (context->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      const char *kinds[] = { "sources", "sinks" };
      char **names[] = { sources, sinks };

      json_builder_begin_object (builder);
      for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
        {
          json_builder_set_member_name (builder, kinds[k]);
          json_builder_begin_array (builder);
          for (guint i = 0; names[k][i] != NULL; i++)
            {
              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "name");
              json_builder_add_string_value (builder, names[k][i]);
              json_builder_set_member_name (builder, "path");
              json_builder_add_string_value (builder, hs_plugin_loader_get_path (loader, names[k][i]));
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
        }
      json_builder_set_member_name (builder, "skipped");
      json_builder_begin_array (builder);
      for (guint i = 0; skipped[i] != NULL; i++)
        json_builder_add_string_value (builder, skipped[i]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "search_path");
      json_builder_begin_array (builder);
      for (guint i = 0; path[i] != NULL; i++)
        json_builder_add_string_value (builder, path[i]);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      hs_cli_print_json (root);
      return HS_CLI_EXIT_OK;
    }

  g_print (_("Sources:\n"));
  for (guint i = 0; sources[i] != NULL; i++)
    g_print ("  %-8s %s\n", sources[i], hs_plugin_loader_get_path (loader, sources[i]));
  if (sources[0] == NULL)
    g_print ("  %s\n", _("(none)"));
  g_print (_("Sinks:\n"));
  for (guint i = 0; sinks[i] != NULL; i++)
    g_print ("  %-8s %s\n", sinks[i], hs_plugin_loader_get_path (loader, sinks[i]));
  if (sinks[0] == NULL)
    g_print ("  %s\n", _("(none)"));
  if (skipped[0] != NULL)
    {
      g_print (_("Skipped:\n"));
      for (guint i = 0; skipped[i] != NULL; i++)
        g_print ("  %s\n", skipped[i]);
    }
  return HS_CLI_EXIT_OK;
}

/* --- watch ------------------------------------------------------------------ */

static void
watch_started_cb (HsIpcEngine1 *proxy,
                  GVariant     *run,
                  HsCliContext *context)
{
  g_autofree char *text = hs_cli_describe_run (run);

  if (context->json)
    {
      g_autoptr(JsonNode) node = hs_cli_run_to_json (run);
      hs_cli_print_json (node);
    }
  else
    g_print (_("Started: %s\n"), text);
}

static void
watch_finished_cb (HsIpcEngine1 *proxy,
                   GVariant     *run,
                   HsCliContext *context)
{
  if (context->json)
    {
      g_autoptr(JsonNode) node = hs_cli_run_to_json (run);
      hs_cli_print_json (node);
    }
  else
    hs_cli_print_run (run);
  fflush (stdout);
}

static gboolean
watch_interrupted_cb (gpointer user_data)
{
  gboolean *stop = user_data;

  *stop = TRUE;
  g_main_context_wakeup (NULL);
  return G_SOURCE_CONTINUE;
}

HsCliExit
hs_cli_cmd_watch (HsCliContext *context,
                  int           argc,
                  char        **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsCliProgress) progress = NULL;
  HsIpcEngine1 *proxy;
  gboolean stop = FALSE;
  guint sigint, sigterm;
  HsCliExit code;

  if (!parse_options ("watch", NULL, &argc, &argv, 0, 0, &code))
    return code;
  if (context->local)
    return hs_cli_usage_error (_("“watch” follows the service; it has nothing to follow with --local"));

  proxy = get_proxy (context, &error);
  if (proxy == NULL)
    return report_connection_error (context, error);

  progress = hs_cli_progress_new (proxy, context->interactive && !context->json);
  g_signal_connect (proxy, "run-started", G_CALLBACK (watch_started_cb), context);
  g_signal_connect (proxy, "run-finished", G_CALLBACK (watch_finished_cb), context);
  sigint = g_unix_signal_add (SIGINT, watch_interrupted_cb, &stop);
  sigterm = g_unix_signal_add (SIGTERM, watch_interrupted_cb, &stop);

  if (!context->json)
    g_printerr ("%s\n", _("Following HaloSync syncs; press Ctrl+C to stop."));
  while (!stop)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (sigint);
  g_source_remove (sigterm);

  g_signal_handlers_disconnect_by_data (proxy, context);
  hs_cli_progress_clear (progress);
  return HS_CLI_EXIT_OK;
}
