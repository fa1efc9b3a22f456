/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib.h>

/* Runs every file named on the command line through a fuzz target once:
 * the seed corpus as a plain test in builds without libFuzzer, as GLib's
 * fuzzing/driver.c does. */

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

int
main (int    argc,
      char **argv)
{
  for (int i = 1; i < argc; i++)
    {
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      gsize length;

      if (!g_file_get_contents (argv[i], &contents, &length, &error))
        g_error ("%s", error->message);
      LLVMFuzzerTestOneInput ((const guint8 *) contents, length);
    }
  g_print ("1..1\nok 1 %d inputs\n", argc - 1);
  return 0;
}
