/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-cli.h"
#include "hs-cli-output.h"

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
    return hs_cli_usage_error (context, _("“%s” is not a Halo agent id (a whole number from 1)"), id_text);

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

enum { AGENTS_LIST, AGENTS_MAP, AGENTS_UNMAP };

static const HsCliSubcommand agents_commands[] = {
  [AGENTS_LIST] = { "list", "agents list", N_("Halo agents and the team members they map to"), 1, 1 },
  [AGENTS_MAP] = { "map", "agents map HALO_ID MEMBER [--team TEAM]",
                   N_("count an agent's work for a team member"), 3, 3 },
  [AGENTS_UNMAP] = { "unmap", "agents unmap HALO_ID", N_("remove an agent's mapping"), 2, 2 },
};

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
  const HsCliSubcommand *command;
  HsIpcEngine1 *proxy;
  HsCliExit code;
  int which;

  which = hs_cli_find_subcommand (context, "agents", agents_commands, G_N_ELEMENTS (agents_commands),
                                  _("“agents” takes list, map HALO_ID MEMBER [--team TEAM], or unmap HALO_ID"),
                                  argc, argv, &code);
  if (which < 0)
    return code;
  command = &agents_commands[which];
  if (!hs_cli_parse_options (context, command->usage, which == AGENTS_MAP ? map_entries : NULL,
                             &argc, &argv, command->min_args, command->max_args, &code))
    return code;

  proxy = hs_cli_get_proxy (context, &error);
  if (proxy == NULL)
    return hs_cli_report_connection_error (context, error);

  switch (which)
    {
    case AGENTS_LIST:
      return agents_list (context, proxy);
    case AGENTS_MAP:
      return agents_set (context, proxy, argv[2], argv[3], team != NULL ? team : "");
    default:
      return agents_set (context, proxy, argv[2], "", "");
    }
}
