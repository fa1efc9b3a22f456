/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <unistd.h>

#include <halosync.h>

#include "hs-cli.h"

static const struct
{
  const char *name;
  HsCliCommand run;
} commands[] = {
  { "sync", hs_cli_cmd_sync },
  { "status", hs_cli_cmd_status },
  { "runs", hs_cli_cmd_runs },
  { "fy", hs_cli_cmd_fy },
  { "agents", hs_cli_cmd_agents },
  { "summary", hs_cli_cmd_summary },
  { "plugins", hs_cli_cmd_plugins },
  { "watch", hs_cli_cmd_watch },
};

static const char *
describe_commands (void)
{
  return _("Commands:\n"
           "  sync [--fy LABEL] [--full] [--dry-run] [--allow-mass-delete]\n"
           "                          sync a fiscal year (default: the latest), incrementally\n"
           "                          unless --full; --dry-run rolls back and reports\n"
           "  status                  the current, last and next sync\n"
           "  runs [--limit N]        the run history, newest first\n"
           "  fy list                 the fiscal years\n"
           "  fy create LABEL START END\n"
           "                          create a fiscal year (dates YYYY-MM-DD, END is its last\n"
           "                          day) and sync it\n"
           "  fy delete LABEL         delete a fiscal year no synced row belongs to\n"
           "  agents list             Halo agents and the team members they map to\n"
           "  agents map HALO_ID MEMBER [--team TEAM]\n"
           "                          count an agent's work for a team member\n"
           "  agents unmap HALO_ID    remove an agent's mapping\n"
           "  summary [--fy LABEL] [--limit N]\n"
           "                          the members with the most hours in a fiscal year\n"
           "  plugins                 the source and sink plugins this installation loads\n"
           "  watch                   follow the service's syncs as they happen\n"
           "\n"
           "Exit codes: 0 success; 1 the sync or operation failed; 2 wrong command line;\n"
           "3 input refused (invalid, unknown, duplicate or busy); 4 not configured or the\n"
           "service cannot be reached; 5 the sync was cancelled.\n"
           "\n"
           "Configuration comes from GSettings (org.example.HaloSync) and the HALOSYNC_*\n"
           "environment variables; see halosyncctl(1).");
}

/* Whether the global options ask for JSON, looked up before they are
 * parsed: a wrong global option is reported in JSON too. */
static gboolean
wants_json (int    argc,
            char **argv)
{
  for (int i = 1; i < argc && argv[i][0] == '-' && !g_str_equal (argv[i], "--"); i++)
    if (g_str_equal (argv[i], "--json"))
      return TRUE;
  return FALSE;
}

static GStrv
dup_shell_variables (void)
{
  g_auto(GStrv) environment = g_get_environ ();
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  for (guint i = 0; environment[i] != NULL; i++)
    {
      const char *equals = strchr (environment[i], '=');

      if (g_str_has_prefix (environment[i], "HALOSYNC_") && equals != NULL && equals[1] != '\0')
        {
          g_autofree char *name = g_strndup (environment[i], equals - environment[i]);

          g_strv_builder_add (names, name);
        }
    }
  return g_strv_builder_end (names);
}

int
main (int    argc,
      char **argv)
{
  gboolean local = FALSE, json = FALSE, version = FALSE;
  GOptionEntry entries[] = {
    { "local", 0, 0, G_OPTION_ARG_NONE, &local, N_("Run the engine in this process instead of talking to the service"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print machine-readable JSON"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Print the version and exit"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) options = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) shell_variables = NULL;
  HsCliContext context = { 0 };
  HsCliExit code;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Registers HaloSync's D-Bus error names, so errors from the service
   * come back in the HS_ERROR domain. */
  (void) hs_error_quark ();
  context.json = wants_json (argc, argv);

  /* What came from the shell, before the environment file adds to it:
   * --local uses both, the service only the file. */
  shell_variables = dup_shell_variables ();
  context.shell_variables = shell_variables;
  if (!hs_config_load_environment_file (&error))
    {
      g_printerr ("halosyncctl: %s\n", error->message);
      g_clear_error (&error);
    }

  options = g_option_context_new (_("COMMAND [ARGUMENTS…] — sync HaloPSA into your database"));
  g_option_context_add_main_entries (options, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (options, describe_commands ());
  /* Global options come before the command; the command parses its own. */
  g_option_context_set_strict_posix (options, TRUE);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    return hs_cli_usage_error (&context, "%s", error->message);

  if (version)
    {
      g_print ("halosyncctl %s\n", PACKAGE_VERSION);
      return HS_CLI_EXIT_OK;
    }

  if (argc < 2)
    return hs_cli_usage_error (&context, _("no command given"));

  context.local = local;
  context.json = json;
  /* A bar redrawn in place needs a terminal that can erase a line; a
   * dumb one (or one that does not say what it is) gets plain lines. */
  context.interactive = isatty (STDERR_FILENO) && g_getenv ("TERM") != NULL &&
                        !g_str_equal (g_getenv ("TERM"), "dumb");

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_str_equal (argv[1], commands[i].name))
        {
          code = commands[i].run (&context, argc - 1, argv + 1);
          g_clear_object (&context.connection);
          return code;
        }
    }

  return hs_cli_usage_error (&context, _("unknown command “%s”"), argv[1]);
}
