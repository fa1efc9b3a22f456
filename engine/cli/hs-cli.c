/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include <halosync.h>

#include "hs-cli.h"
#include "hs-cli-output.h"

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

/* The exit code for an error, whether a call returned it or a run ended
 * with it: the same failure exits the same way in every command. */
HsCliExit
hs_cli_exit_code_for (const GError *error)
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
        case HS_ERROR_CANCELLED:
          return HS_CLI_EXIT_CANCELLED;
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

/* The one JSON form of an error, for a failed call, a failed run and a
 * wrong command line alike: its D-Bus name, its message and the exit
 * code it gives. */
JsonNode *
hs_cli_error_to_json (const GError *error,
                      HsCliExit     code)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) copy = g_error_copy (error);
  g_autofree char *name = g_dbus_error_encode_gerror (error);

  g_dbus_error_strip_remote_error (copy);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, copy->message);
  json_builder_set_member_name (builder, "exit_code");
  json_builder_add_int_value (builder, code);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
print_error_json (const GError *error,
                  HsCliExit     code)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  json_object_set_member (object, "error", hs_cli_error_to_json (error, code));
  json_node_take_object (root, object);
  hs_cli_print_json (root);
}

HsCliExit
hs_cli_report_error (HsCliContext *context,
                     const GError *error)
{
  g_autoptr(GError) copy = g_error_copy (error);
  HsCliExit code = hs_cli_exit_code_for (error);

  g_dbus_error_strip_remote_error (copy);

  if (code == HS_CLI_EXIT_UNAVAILABLE && copy->domain != HS_ERROR)
    g_printerr (_("halosyncctl: the HaloSync service cannot be reached (%s).\n"
                  "Start it with “systemctl --user start halosyncd”, or run the command in this process with --local.\n"),
                copy->message);
  else
    g_printerr ("halosyncctl: %s\n", copy->message);

  if (context->json)
    print_error_json (error, code);
  return code;
}

/* A wrong command line is refused before anything is asked of the engine;
 * under --json it is reported like any error, as an invalid argument
 * that exits 2. */
HsCliExit
hs_cli_usage_error (HsCliContext *context,
                    const char   *format,
                    ...)
{
  g_autoptr(GError) error = NULL;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (HS_ERROR, HS_ERROR_INVALID_ARGUMENT, format, args);
  va_end (args);

  g_printerr ("halosyncctl: %s\n", error->message);
  g_printerr ("%s\n", _("Run “halosyncctl --help” for the commands and their options."));
  if (context->json)
    print_error_json (error, HS_CLI_EXIT_USAGE);
  return HS_CLI_EXIT_USAGE;
}

/* Whatever keeps the service from answering (no session bus, no service
 * file, a crash) is "unreachable" to the person at the prompt; a local
 * engine that cannot start has its own, specific error. */
HsCliExit
hs_cli_report_connection_error (HsCliContext *context,
                                const GError *error)
{
  g_autoptr(GError) unreachable = NULL;

  if (context->local)
    return hs_cli_report_error (context, error);

  unreachable = g_error_new_literal (G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN, error->message);
  return hs_cli_report_error (context, unreachable);
}

/* The service was started by D-Bus or systemd, not from this shell: the
 * variables someone exported here, expecting them to apply, do not. */
static void
warn_shell_variables (HsCliContext *context)
{
  g_autofree char *names = NULL;
  g_autofree char *file = NULL;

  if (context->shell_variables == NULL || context->shell_variables[0] == NULL)
    return;

  names = g_strjoinv (", ", context->shell_variables);
  file = hs_config_dup_environment_file_path ();
  /* Translators: the first %s lists variable names, the second is a file */
  g_printerr (_("halosyncctl: warning: the HaloSync service does not see this shell’s %s; it reads "
                "%s when it starts (after a change: systemctl --user restart halosyncd). "
                "With --local, halosyncctl syncs in this process, with this environment.\n"),
              names, file);
}

HsIpcEngine1 *
hs_cli_get_proxy (HsCliContext *context,
                  GError      **error)
{
  if (context->connection == NULL)
    {
      if (context->local)
        context->connection = hs_cli_connection_new_local (error);
      else
        {
          warn_shell_variables (context);
          context->connection = hs_cli_connection_new_for_service (error);
        }
    }
  return context->connection != NULL ? hs_cli_connection_get_proxy (context->connection) : NULL;
}

/* GOption leaves a "--" in place when an argument after it starts with
 * "-"; it ends the options, so it is not an argument itself. */
static void
drop_end_of_options (int    *argc,
                     char ***argv)
{
  for (int i = 1; i < *argc; i++)
    {
      if (g_str_equal ((*argv)[i], "--"))
        {
          memmove (&(*argv)[i], &(*argv)[i + 1], (*argc - i) * sizeof (char *));
          (*argc)--;
          return;
        }
    }
}

/* Parses a command's own options; returns FALSE (and the usage exit code)
 * when they are wrong or leave the wrong number of arguments.  "--" ends
 * the options, so a label may start with "-". */
gboolean
hs_cli_parse_options (HsCliContext *context,
                      const char   *usage,
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
      *exit_code = hs_cli_usage_error (context, "%s", error->message);
      return FALSE;
    }
  drop_end_of_options (argc, argv);

  /* argv[0] is the command itself. */
  if (*argc - 1 < min_args || *argc - 1 > max_args)
    {
      *exit_code = hs_cli_usage_error (context, _("usage: halosyncctl [--local] [--json] %s"), usage);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_help (const char *arg)
{
  return g_strcmp0 (arg, "--help") == 0 || g_strcmp0 (arg, "-h") == 0 || g_strcmp0 (arg, "-?") == 0;
}

static void
print_group_help (const char            *group,
                  const HsCliSubcommand *subcommands,
                  int                    n_subcommands)
{
  gsize width = 0;

  for (int i = 0; i < n_subcommands; i++)
    width = MAX (width, strlen (subcommands[i].usage) - strlen (group) - 1);

  g_print ("%s\n  halosyncctl [--local] [--json] %s %s\n\n%s\n",
           _("Usage:"), group, _("COMMAND [ARGUMENTS…]"), _("Commands:"));
  for (int i = 0; i < n_subcommands; i++)
    g_print ("  %-*s  %s\n", (int) width, subcommands[i].usage + strlen (group) + 1,
             _(subcommands[i].summary));
  g_print ("\n");
  /* Translators: %s is a command group such as "fy". */
  g_print (_("Run “halosyncctl %s COMMAND --help” for the options of a command.\n"), group);
}

/* Finds the command of @group that argv[1] names.  Returns its index, or
 * -1 with @exit_code set: 0 once --help printed the group's commands, the
 * usage exit code (after @wrong_usage) for anything else. */
int
hs_cli_find_subcommand (HsCliContext          *context,
                        const char            *group,
                        const HsCliSubcommand *subcommands,
                        int                    n_subcommands,
                        const char            *wrong_usage,
                        int                    argc,
                        char                 **argv,
                        HsCliExit             *exit_code)
{
  const char *name = argc > 1 ? argv[1] : NULL;

  for (int i = 0; i < n_subcommands; i++)
    if (g_strcmp0 (name, subcommands[i].name) == 0)
      return i;

  if (is_help (name))
    {
      print_group_help (group, subcommands, n_subcommands);
      *exit_code = HS_CLI_EXIT_OK;
    }
  else
    *exit_code = hs_cli_usage_error (context, "%s", wrong_usage);
  return -1;
}
