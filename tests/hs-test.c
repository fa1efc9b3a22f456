/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

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

/**
 * hs_test_proc_cpu_seconds:
 * @stat_path: a process's or a thread's `stat` file in /proc
 *
 * The CPU time (user and system) the process or thread has used so far.
 * The benchmark reads it for the simulator, its own threads and the
 * PostgreSQL backends: processes that share the machine's cores.
 *
 * Returns: seconds, or -1 if the file cannot be read
 */
double
hs_test_proc_cpu_seconds (const char *stat_path)
{
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  g_return_val_if_fail (stat_path != NULL, -1);

  if (!g_file_get_contents (stat_path, &stat, NULL, NULL))
    return -1;

  /* proc(5): the command name, in parentheses, may hold spaces; utime
   * and stime are the 12th and 13th fields after it, in clock ticks. */
  after_name = strrchr (stat, ')');
  if (after_name == NULL)
    return -1;
  fields = g_strsplit (after_name + 2, " ", 0);
  if (g_strv_length (fields) < 13)
    return -1;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) /
         sysconf (_SC_CLK_TCK);
}

/**
 * hs_test_remove_tree:
 * @path: a directory
 *
 * Removes @path and everything in it, as far as it can.
 */
void
hs_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *entry = g_build_filename (path, name, NULL);

      if (g_file_test (entry, G_FILE_TEST_IS_DIR))
        hs_test_remove_tree (entry);
      else
        g_remove (entry);
    }
  g_rmdir (path);
}

/**
 * hs_test_die_with_parent:
 * @user_data: unused
 *
 * A #GSpawnChildSetupFunc: the child gets SIGTERM when the test ends,
 * even by a failed assertion, so a bus or a keyring never outlives it
 * holding the test's output open.
 */
void
hs_test_die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static gboolean
secret_service_running (GDBusConnection *bus)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has_owner = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", "org.freedesktop.secrets"),
                                       G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &has_owner);
  return has_owner;
}

/**
 * hs_test_start_keyring:
 * @launcher: sets the daemon's environment (its directories and bus)
 * @bus_address: the bus it serves the Secret Service on
 * @timeout_seconds: how long it may take to get there
 *
 * Starts a real gnome-keyring-daemon with a login keyring unlocked by the
 * password it reads on stdin, as PAM gives it at login, and waits until
 * it owns `org.freedesktop.secrets` on @bus_address.
 *
 * Returns: (transfer full): the daemon, which dies with the test
 */
GSubprocess *
hs_test_start_keyring (GSubprocessLauncher *launcher,
                       const char          *bus_address,
                       guint                timeout_seconds)
{
  const char * const argv[] = {
    "gnome-keyring-daemon", "--foreground", "--components=secrets", "--unlock", NULL
  };
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *keyring;
  gint64 deadline;

  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, hs_test_die_with_parent, NULL, NULL);
  keyring = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (g_subprocess_get_stdin_pipe (keyring), "test", 4, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (keyring), NULL, &error);
  g_assert_no_error (error);

  bus = g_dbus_connection_new_for_address_sync (bus_address,
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, &error);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + timeout_seconds * G_USEC_PER_SEC;
  while (!secret_service_running (bus))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_USEC_PER_SEC / 20);
    }
  return keyring;
}
