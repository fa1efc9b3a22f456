/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "hs-daemon.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(HsDaemon) daemon = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_prgname ("halosyncd");
  g_set_application_name (_("HaloSync"));

  daemon = hs_daemon_new ();
  return g_application_run (G_APPLICATION (daemon), argc, argv);
}
