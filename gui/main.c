/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include <halosync.h>

#include "hs-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HsApplication) app = NULL;
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* The service reads the environment file; so the preferences show
   * what it sets as set elsewhere. */
  if (!hs_config_load_environment_file (&error))
    g_warning ("%s", error->message);

  app = hs_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
