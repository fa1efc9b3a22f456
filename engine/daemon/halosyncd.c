/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include <halosync.h>

#include "hs-daemon.h"

/* Runs before the service registers on the bus, so --version answers
 * without a session bus and without touching a running instance. */
static int
handle_local_options_cb (GApplication *application,
                         GVariantDict *options,
                         gpointer      user_data)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("halosyncd %s\n", PACKAGE_VERSION);
      return 0;
    }
  return -1;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(HsDaemon) daemon = NULL;
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* D-Bus and systemd start the service without the environment of any
   * shell: a headless machine's HALOSYNC_* variables come from the file. */
  if (!hs_config_load_environment_file (&error))
    g_warning ("%s", error->message);

  g_set_prgname ("halosyncd");
  g_set_application_name (_("HaloSync"));

  daemon = hs_daemon_new ();
  g_application_add_main_option (G_APPLICATION (daemon), "version", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_NONE, _("Print the version and exit"), NULL);
  g_signal_connect (daemon, "handle-local-options", G_CALLBACK (handle_local_options_cb), NULL);
  return g_application_run (G_APPLICATION (daemon), argc, argv);
}
