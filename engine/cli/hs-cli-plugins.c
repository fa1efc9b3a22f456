/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include <halosync.h>

#include "hs-cli.h"
#include "hs-cli-output.h"

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

  if (!hs_cli_parse_options (context, "plugins", NULL, &argc, &argv, 0, 0, &code))
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
