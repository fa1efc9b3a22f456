/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-cli.h"
#include "hs-cli-output.h"
#include "hs-cli-run.h"
#include "hs-cli-run-wait.h"

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

static void
print_created_json (const char *label,
                    const char *start,
                    const char *end,
                    GVariant   *run)
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

/* The service syncs a new year in the background; with --local the sync
 * lives in this process, so the command waits for it and exits as it
 * ended.  Either way --json prints the year and its run. */
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
  g_autoptr(HsCliRunWait) wait = hs_cli_run_wait_new (context, proxy);
  gboolean local = hs_cli_connection_is_local (context->connection);

  hs_ipc_engine1_call_create_fiscal_year (proxy, label, start, end, G_DBUS_CALL_FLAGS_NONE, -1, NULL, hs_cli_store_result_cb, &result);
  hs_cli_wait (&result);
  if (!hs_ipc_engine1_call_create_fiscal_year_finish (proxy, &run, result, &error))
    return hs_cli_report_error (context, error);

  if (local && !context->json)
    g_print (_("Created fiscal year %s (%s to %s); syncing it now.\n"), label, start, end);
  if (local)
    {
      g_autoptr(GVariant) queued = g_steal_pointer (&run);

      run = hs_cli_run_wait_finish (wait, queued);
    }

  if (context->json)
    print_created_json (label, start, end, run);
  else if (local)
    hs_cli_print_run (run);
  else
    g_print (_("Created fiscal year %s (%s to %s); the service is syncing it in the background "
               "(follow it with “halosyncctl watch”).\n"), label, start, end);
  return local ? hs_cli_run_exit_code (run) : HS_CLI_EXIT_OK;
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

enum { FY_LIST, FY_CREATE, FY_DELETE };

static const HsCliSubcommand fy_commands[] = {
  [FY_LIST] = { "list", "fy list", N_("the fiscal years"), 1, 1 },
  [FY_CREATE] = { "create", "fy create LABEL START END",
                  N_("create a fiscal year (dates YYYY-MM-DD, END is its last day) and sync it"), 4, 4 },
  [FY_DELETE] = { "delete", "fy delete LABEL", N_("delete a fiscal year no synced row belongs to"), 2, 2 },
};

HsCliExit
hs_cli_cmd_fy (HsCliContext *context,
               int           argc,
               char        **argv)
{
  g_autoptr(GError) error = NULL;
  const HsCliSubcommand *command;
  HsIpcEngine1 *proxy;
  HsCliExit code;
  int which;

  which = hs_cli_find_subcommand (context, "fy", fy_commands, G_N_ELEMENTS (fy_commands),
                                  _("“fy” takes list, create LABEL START END, or delete LABEL"),
                                  argc, argv, &code);
  if (which < 0)
    return code;
  command = &fy_commands[which];
  if (!hs_cli_parse_options (context, command->usage, NULL, &argc, &argv,
                             command->min_args, command->max_args, &code))
    return code;

  proxy = hs_cli_get_proxy (context, &error);
  if (proxy == NULL)
    return hs_cli_report_connection_error (context, error);

  switch (which)
    {
    case FY_LIST:
      return fy_list (context, proxy);
    case FY_CREATE:
      return fy_create (context, proxy, argv[2], argv[3], argv[4]);
    default:
      return fy_delete (context, proxy, argv[2]);
    }
}
