/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The Halo client secret in a real Secret Service: a gnome-keyring-daemon
 * on a D-Bus session of this test's own, so no developer's keyring is
 * touched and nothing is mocked. */
#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <libsecret/secret.h>

#include "hs-test.h"

#define CLIENT_ID "halosync-test-client"
#define KEYRING_START_TIMEOUT_S 20

typedef struct
{
  char *dir;              /* (owned) HOME and XDG directories of the session */
  GSubprocess *bus;       /* (owned) */
  GSubprocess *keyring;   /* (owned) */
} Session;

static GSubprocess *
spawn (GSubprocessLauncher *launcher,
       const char * const  *argv)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_child_setup (launcher, hs_test_die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);

  g_assert_no_error (error);
  return process;
}

/* A bus, then a keyring daemon on it with a login keyring unlocked by
 * the password it reads on stdin, as PAM would give it at login. */
static void
session_start (Session *session)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *runtime = NULL;
  g_autofree char *data = NULL;
  const char * const bus_argv[] = { "dbus-daemon", "--session", "--nofork", "--print-address=1", NULL };

  session->dir = g_dir_make_tmp ("halosync-keyring-XXXXXX", &error);
  g_assert_no_error (error);
  runtime = g_build_filename (session->dir, "runtime", NULL);
  data = g_build_filename (session->dir, "data", NULL);
  g_assert_cmpint (g_mkdir_with_parents (runtime, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (data, 0700), ==, 0);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  session->bus = spawn (launcher, bus_argv);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (session->bus));
  address = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", address, TRUE);

  g_clear_object (&launcher);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", session->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
  session->keyring = hs_test_start_keyring (launcher, address, KEYRING_START_TIMEOUT_S);
}

static void
session_stop (Session *session)
{
  /* The libsecret and GDBus singletons of this process still hold the
   * bus; the process ends right after, so they are left to it. */
  g_subprocess_force_exit (session->keyring);
  g_subprocess_wait (session->keyring, NULL, NULL);
  g_subprocess_force_exit (session->bus);
  g_subprocess_wait (session->bus, NULL, NULL);
  g_clear_object (&session->keyring);
  g_clear_object (&session->bus);
  hs_test_remove_tree (session->dir);
  g_clear_pointer (&session->dir, g_free);
}

static HsConfig *
new_config (const char *halo_url)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) settings = g_settings_new_with_backend (HS_SETTINGS_SCHEMA, backend);

  g_settings_set_string (settings, "halo-url", halo_url);
  g_settings_set_string (settings, "halo-client-id", CLIENT_ID);
  return hs_config_new_with_settings (settings);
}

static void
store_secret (const char *halo_url,
              const char *secret)
{
  g_autoptr(HsConfig) config = new_config (halo_url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  hs_config_store_secret_async (config, HS_SECRET_HALO_CLIENT_SECRET, secret, NULL,
                                hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  g_assert_true (hs_config_store_secret_finish (config, result, &error));
  g_assert_no_error (error);
}

/* Both ways a secret is read — the app's and the service's, and a sink's
 * on its worker thread — must agree; checks them and returns the secret. */
static char *
lookup_secret (const char *halo_url,
               GError    **error)
{
  g_autoptr(HsConfig) config = new_config (halo_url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) sync_error = NULL;
  g_autofree char *sync_secret = NULL;
  char *secret;

  hs_config_lookup_secret_async (config, HS_SECRET_HALO_CLIENT_SECRET, NULL,
                                 hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  secret = hs_config_lookup_secret_finish (config, result, error);

  sync_secret = hs_config_lookup_secret (config, HS_SECRET_HALO_CLIENT_SECRET, NULL, &sync_error);
  g_assert_cmpstr (sync_secret, ==, secret);
  g_assert_cmpint (sync_error != NULL, ==, secret == NULL);
  return secret;
}

static void
test_url_spelling (void)
{
  static const char * const spellings[] = {
    "https://acme.halopsa.com/",
    "https://Acme.HaloPSA.com",
    "  https://acme.halopsa.com/api/ ",
    "https://acme.halopsa.com:443",
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *other = NULL;

  g_test_summary ("A client secret saved for one spelling of the Halo URL is found under every "
                  "spelling of the same address, and only under those");
  store_secret ("https://acme.halopsa.com", "s3cret-acme");

  for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
    {
      g_autoptr(GError) lookup_error = NULL;
      g_autofree char *secret = lookup_secret (spellings[i], &lookup_error);

      g_assert_no_error (lookup_error);
      g_assert_cmpstr (secret, ==, "s3cret-acme");
    }

  other = lookup_secret ("https://acme-test.halopsa.com", &error);
  g_assert_null (other);
  g_assert_error (error, HS_ERROR, HS_ERROR_NOT_CONFIGURED);
  g_assert_null (strstr (error->message, "s3cret"));
}

static void
test_stored_before_normalizing (void)
{
  static const SecretSchema schema = {
    "org.example.HaloSync.Secret", SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *resaved = NULL;

  g_test_summary ("A client secret an earlier HaloSync saved under the URL as typed is still "
                  "found, and saving it again files it under the normalised URL");
  secret_password_store_sync (&schema, SECRET_COLLECTION_DEFAULT, "HaloSync Halo client secret",
                              "s3cret-legacy", NULL, &error,
                              "kind", "halo-client-secret",
                              "account", "https://legacy.halopsa.com/|" CLIENT_ID,
                              NULL);
  g_assert_no_error (error);

  secret = lookup_secret ("https://legacy.halopsa.com/", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "s3cret-legacy");

  store_secret ("https://legacy.halopsa.com/", "s3cret-new");
  resaved = lookup_secret ("https://legacy.halopsa.com", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (resaved, ==, "s3cret-new");
}

int
main (int    argc,
      char **argv)
{
  Session session = { 0 };
  int status;

  hs_test_init (&argc, &argv);
  /* The keyring, not the environment, is under test. */
  g_unsetenv ("HALOSYNC_HALO_CLIENT_SECRET");
  g_unsetenv ("HALOSYNC_HALO_URL");
  g_unsetenv ("HALOSYNC_HALO_CLIENT_ID");

  g_test_add_func ("/config-keyring/url-spelling", test_url_spelling);
  g_test_add_func ("/config-keyring/stored-before-normalizing", test_stored_before_normalizing);

  session_start (&session);
  status = g_test_run ();
  session_stop (&session);
  return status;
}
