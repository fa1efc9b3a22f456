/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-cli.h"
#include "hs-cli-output.h"
#include "hs-cli-run.h"

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

/* The newest run of the ledger, or %NULL if none has run; FALSE when
 * the service did not answer. */
static gboolean
newest_run (HsIpcEngine1  *proxy,
            GVariant     **run,
            GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) runs = NULL;

  hs_ipc_engine1_call_list_runs (proxy, 1, G_DBUS_CALL_FLAGS_NONE, -1, NULL, hs_cli_store_result_cb, &result);
  hs_cli_wait (&result);
  if (!hs_ipc_engine1_call_list_runs_finish (proxy, &runs, result, error))
    return FALSE;
  *run = g_variant_n_children (runs) > 0 ? g_variant_get_child_value (runs, 0) : NULL;
  return TRUE;
}

static void
print_status_json (HsCliContext *context,
                   GVariant     *current,
                   GVariant     *last,
                   gint64        next)
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
}

static void
print_status_text (HsCliContext *context,
                   GVariant     *current,
                   GVariant     *last,
                   gint64        next)
{
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

  if (!hs_cli_parse_options (context, "status", NULL, &argc, &argv, 0, 0, &code))
    return code;

  proxy = hs_cli_get_proxy (context, &error);
  if (proxy == NULL)
    return hs_cli_report_connection_error (context, error);

  current = hs_ipc_engine1_get_current_run (proxy);
  next = hs_ipc_engine1_get_next_run (proxy);
  last = hs_ipc_engine1_dup_last_run (proxy);
  /* A service that has not run anything since it started still knows the
   * last run from the ledger.  Asking also tells a service that answers
   * from one that could not be reached, which leaves no property to read. */
  if (is_empty_dict (last))
    {
      g_clear_pointer (&last, g_variant_unref);
      if (!newest_run (proxy, &last, &error))
        return hs_cli_report_connection_error (context, error);
    }

  if (context->json)
    print_status_json (context, current, last, next);
  else
    print_status_text (context, current, last, next);
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

  if (!hs_cli_parse_options (context, "runs [--limit N]", entries, &argc, &argv, 0, 0, &code))
    return code;
  if (limit < 1)
    return hs_cli_usage_error (context, _("--limit must be at least 1"));

  proxy = hs_cli_get_proxy (context, &error);
  if (proxy == NULL)
    return hs_cli_report_connection_error (context, error);

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
