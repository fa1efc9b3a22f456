/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <locale.h>

#include "hs-test.h"

/* Every test program starts here: isolated XDG directories, in-memory
 * settings and no plugin directory from the caller's environment, so a
 * developer's own configuration cannot change a result. */
void
hs_test_init (int    *argc,
              char ***argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GIO_USE_VFS", "local", TRUE);
  /* Tests only talk to loopback, and their isolated XDG directories hide
   * the desktop's proxy settings schema that the GNOME resolver needs. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_unsetenv ("HALOSYNC_PLUGIN_DIR");

  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
}

/* The callback of an _async call under test: @user_data is a
 * `GAsyncResult **` that receives a reference to the result. */
void
hs_test_store_result_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  g_assert_null (*out);
  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

/* Spins the default main context until hs_test_store_result_cb() fills
 * @result. */
void
hs_test_wait_for_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}
