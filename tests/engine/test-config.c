/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "hs-test.h"

static const char * const env_vars[] = {
  "HALOSYNC_HALO_URL", "HALOSYNC_HALO_TENANT", "HALOSYNC_HALO_CLIENT_ID",
  "HALOSYNC_SINK", "HALOSYNC_LOOK_BACK_MINUTES", "HALOSYNC_HALO_RATE_LIMIT",
  "HALOSYNC_HALO_CLIENT_SECRET", "HALOSYNC_DB_PASSWORD",
};

static void
clear_env (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (env_vars); i++)
    g_unsetenv (env_vars[i]);
}

static GSettings *
new_settings (void)
{
  /* Every test gets fresh in-memory settings. */
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();

  return g_settings_new_with_backend (HS_SETTINGS_SCHEMA, backend);
}

static void
test_defaults (void)
{
  g_autoptr(HsConfig) config = NULL;
  g_autofree char *default_sink = NULL;
  g_autofree char *expected_path = NULL;

  clear_env ();
  config = hs_config_new_with_settings (NULL);

  g_assert_cmpstr (hs_config_get_halo_url (config), ==, "");
  g_assert_cmpstr (hs_config_get_halo_tenant (config), ==, "");
  g_assert_cmpstr (hs_config_get_halo_client_id (config), ==, "");
  g_assert_true (hs_config_get_schedule_enabled (config));
  g_assert_cmpuint (hs_config_get_schedule_interval (config), ==, 1);
  g_assert_cmpuint (hs_config_get_look_back_minutes (config), ==, 60);
  g_assert_false (hs_config_get_sync_on_metered (config));
  g_assert_cmpuint (hs_config_get_rate_limit_requests (config), ==, 300);
  g_assert_cmpuint (hs_config_get_rate_limit_window (config), ==, 300);
  g_assert_cmpuint (hs_config_get_max_delete_percent (config), ==, 10);

  /* No configured database means the embedded one under XDG_DATA_HOME. */
  default_sink = hs_config_dup_default_sink_uri ();
  expected_path = g_build_filename (g_get_user_data_dir (), "halosync", "halosync.db", NULL);
  g_assert_true (g_str_has_prefix (default_sink, "sqlite:///"));
  g_assert_true (g_str_has_suffix (default_sink, expected_path));
  g_assert_cmpstr (hs_config_get_sink_uri (config), ==, default_sink);
}

/* The built-in defaults, used when the schema is not installed, must be
 * the schema's own. */
static void
test_defaults_match_schema (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(HsConfig) config = NULL;
  g_auto(GStrv) keys = NULL;
  guint checked = 0;

  clear_env ();
  config = hs_config_new_with_settings (NULL);
  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (config), keys[i]);
      g_autoptr(GSettingsSchemaKey) key = g_settings_schema_get_key (schema, keys[i]);
      g_autoptr(GVariant) schema_default = g_settings_schema_key_get_default_value (key);
      g_auto(GValue) value = G_VALUE_INIT;
      g_autoptr(GVariant) config_value = NULL;

      if (pspec == NULL)
        continue;

      g_value_init (&value, pspec->value_type);
      g_object_get_property (G_OBJECT (config), keys[i], &value);
      if (G_VALUE_HOLDS_STRING (&value))
        {
          /* sink-uri resolves the empty default to the embedded database. */
          if (g_str_equal (keys[i], "sink-uri"))
            g_assert_cmpstr (g_variant_get_string (schema_default, NULL), ==, "");
          else
            g_assert_cmpstr (g_value_get_string (&value), ==, g_variant_get_string (schema_default, NULL));
        }
      else if (G_VALUE_HOLDS_BOOLEAN (&value))
        g_assert_cmpint (g_value_get_boolean (&value), ==, g_variant_get_boolean (schema_default));
      else if (G_VALUE_HOLDS_UINT (&value))
        {
          g_autoptr(GVariant) range = g_settings_schema_key_get_range (key);
          const char *range_type;
          g_autoptr(GVariant) bounds = NULL;
          guint32 min = 0, max = 0;

          g_assert_cmpuint (g_value_get_uint (&value), ==, g_variant_get_uint32 (schema_default));
          g_variant_get (range, "(&sv)", &range_type, &bounds);
          if (g_str_equal (range_type, "range"))
            {
              g_variant_get (bounds, "(uu)", &min, &max);
              g_assert_cmpuint (G_PARAM_SPEC_UINT (pspec)->minimum, ==, min);
              g_assert_cmpuint (G_PARAM_SPEC_UINT (pspec)->maximum, ==, max);
            }
        }
      else
        g_assert_not_reached ();
      checked++;
    }

  g_assert_cmpuint (checked, ==, 12);
}

/* The test's path names its isolated data directory, so this one lives
 * under a directory with a space, "#" and "?" in its name. */
static void
test_default_sink_uri_escaped (void)
{
  g_autofree char *uri = hs_config_dup_default_sink_uri ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "halosync", "halosync.db", NULL);
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);

  g_assert_nonnull (strstr (expected, "#1 a?b"));
  g_assert_nonnull (parsed);
  g_assert_cmpstr (g_uri_get_scheme (parsed), ==, "sqlite");
  g_assert_cmpstr (g_uri_get_path (parsed), ==, expected);
  g_assert_null (g_uri_get_query (parsed));
  g_assert_null (g_uri_get_fragment (parsed));
}

static void
test_settings (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(HsConfig) config = NULL;

  clear_env ();
  g_settings_set_string (settings, "halo-url", "https://settings.example");
  g_settings_set_string (settings, "sink-uri", "postgresql://me@db.example/halo");
  g_settings_set_uint (settings, "look-back-minutes", 15);
  g_settings_set_boolean (settings, "sync-on-metered", TRUE);

  config = hs_config_new_with_settings (settings);
  g_assert_cmpstr (hs_config_get_halo_url (config), ==, "https://settings.example");
  g_assert_cmpstr (hs_config_get_sink_uri (config), ==, "postgresql://me@db.example/halo");
  g_assert_cmpuint (hs_config_get_look_back_minutes (config), ==, 15);
  g_assert_true (hs_config_get_sync_on_metered (config));
  g_assert_false (hs_config_is_overridden (config, "halo-url"));
  g_assert_true (hs_config_get_settings (config) == settings);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_env_over_settings (void)
{
  g_autoptr(GSettings) settings = new_settings ();
  g_autoptr(HsConfig) config = NULL;
  guint notified = 0;

  clear_env ();
  g_settings_set_string (settings, "halo-url", "https://settings.example");
  g_settings_set_string (settings, "halo-client-id", "settings-id");
  g_settings_set_string (settings, "sink-uri", "sqlite:///settings.db");
  g_settings_set_uint (settings, "look-back-minutes", 15);
  g_settings_set_uint (settings, "rate-limit-requests", 100);

  g_setenv ("HALOSYNC_HALO_URL", "https://env.example", TRUE);
  g_setenv ("HALOSYNC_SINK", "sqlite:///env.db", TRUE);
  g_setenv ("HALOSYNC_LOOK_BACK_MINUTES", "5", TRUE);
  g_setenv ("HALOSYNC_HALO_RATE_LIMIT", "off", TRUE);
  /* An empty variable does not override. */
  g_setenv ("HALOSYNC_HALO_CLIENT_ID", "", TRUE);

  config = hs_config_new_with_settings (settings);
  clear_env ();

  g_assert_cmpstr (hs_config_get_halo_url (config), ==, "https://env.example");
  g_assert_cmpstr (hs_config_get_sink_uri (config), ==, "sqlite:///env.db");
  g_assert_cmpuint (hs_config_get_look_back_minutes (config), ==, 5);
  g_assert_cmpuint (hs_config_get_rate_limit_requests (config), ==, 0);
  g_assert_cmpstr (hs_config_get_halo_client_id (config), ==, "settings-id");
  g_assert_true (hs_config_is_overridden (config, "halo-url"));
  g_assert_true (hs_config_is_overridden (config, "sink-uri"));
  g_assert_false (hs_config_is_overridden (config, "halo-client-id"));
  g_assert_false (hs_config_is_overridden (config, "no-such-property"));

  /* A setting that the environment fixes stays fixed when it changes... */
  g_signal_connect (config, "notify", G_CALLBACK (count_notify_cb), &notified);
  g_settings_set_string (settings, "halo-url", "https://changed.example");
  g_assert_cmpstr (hs_config_get_halo_url (config), ==, "https://env.example");
  g_assert_cmpuint (notified, ==, 0);

  /* ...while the others apply live and are announced. */
  g_settings_set_string (settings, "halo-client-id", "changed-id");
  g_assert_cmpstr (hs_config_get_halo_client_id (config), ==, "changed-id");
  g_assert_cmpuint (notified, ==, 1);
  g_settings_set_boolean (settings, "schedule-enabled", FALSE);
  g_assert_false (hs_config_get_schedule_enabled (config));
  g_assert_cmpuint (notified, ==, 2);
  g_settings_set_uint (settings, "schedule-interval", 3);
  g_assert_cmpuint (hs_config_get_schedule_interval (config), ==, 3);
  g_assert_cmpuint (notified, ==, 3);
  /* Setting the same value again is not a change. */
  g_settings_set_uint (settings, "schedule-interval", 3);
  g_assert_cmpuint (notified, ==, 3);
}

static void
test_rate_limit_env (void)
{
  g_autoptr(HsConfig) config = NULL;
  g_autoptr(HsConfig) bad = NULL;
  g_autoptr(GSettings) settings = new_settings ();

  clear_env ();
  g_setenv ("HALOSYNC_HALO_RATE_LIMIT", "500/180", TRUE);
  config = hs_config_new_with_settings (NULL);
  g_assert_cmpuint (hs_config_get_rate_limit_requests (config), ==, 500);
  g_assert_cmpuint (hs_config_get_rate_limit_window (config), ==, 180);
  g_assert_true (hs_config_is_overridden (config, "rate-limit-window"));

  /* A malformed value is reported and ignored. */
  g_settings_set_uint (settings, "rate-limit-requests", 120);
  g_setenv ("HALOSYNC_HALO_RATE_LIMIT", "lots", TRUE);
  g_setenv ("HALOSYNC_LOOK_BACK_MINUTES", "-3", TRUE);
  g_test_expect_message ("HaloSync", G_LOG_LEVEL_WARNING, "Ignoring HALOSYNC_LOOK_BACK_MINUTES=“-3”*");
  g_test_expect_message ("HaloSync", G_LOG_LEVEL_WARNING, "Ignoring HALOSYNC_HALO_RATE_LIMIT=“lots”*");
  bad = hs_config_new_with_settings (settings);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (hs_config_get_rate_limit_requests (bad), ==, 120);
  g_assert_cmpuint (hs_config_get_look_back_minutes (bad), ==, 60);
  clear_env ();
}

static void
test_new_uses_installed_schema (void)
{
  g_autoptr(HsConfig) config = NULL;

  /* GSETTINGS_SCHEMA_DIR points at the build tree's compiled schema. */
  clear_env ();
  config = hs_config_new ();
  g_assert_nonnull (hs_config_get_settings (config));
}

static char *
lookup_secret (HsConfig    *config,
               HsSecretKind kind,
               GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hs_config_lookup_secret_async (config, kind, NULL, hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  return hs_config_lookup_secret_finish (config, result, error);
}

static void
test_secret_from_env (void)
{
  g_autoptr(HsConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *password = NULL;

  clear_env ();
  config = hs_config_new_with_settings (NULL);

  g_setenv ("HALOSYNC_HALO_CLIENT_SECRET", "s3cr3t-from-env", TRUE);
  g_setenv ("HALOSYNC_DB_PASSWORD", "pw-from-env", TRUE);
  secret = lookup_secret (config, HS_SECRET_HALO_CLIENT_SECRET, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "s3cr3t-from-env");
  password = lookup_secret (config, HS_SECRET_DATABASE_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "pw-from-env");
  clear_env ();
}

static void
test_secret_missing (void)
{
  g_autoptr(HsConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;

  /* A session bus without a Secret Service, as in CI and on servers, is
   * "nothing stored", with a message that says how to store it. */
  clear_env ();
  config = hs_config_new_with_settings (NULL);
  secret = lookup_secret (config, HS_SECRET_HALO_CLIENT_SECRET, &error);
  g_assert_null (secret);
  g_assert_error (error, HS_ERROR, HS_ERROR_NOT_CONFIGURED);
  g_assert_nonnull (strstr (error->message, "HALOSYNC_HALO_CLIENT_SECRET"));
  g_assert_nonnull (strstr (error->message, "keyring"));
}

static void
test_normalize_halo_url (void)
{
  static const struct {
    const char *typed;
    const char *normalized;
  } cases[] = {
    { "https://acme.halopsa.com", "https://acme.halopsa.com" },
    { "https://acme.halopsa.com/", "https://acme.halopsa.com" },
    { "  https://acme.halopsa.com//  ", "https://acme.halopsa.com" },
    { "https://acme.halopsa.com/api", "https://acme.halopsa.com" },
    { "https://acme.halopsa.com/API/", "https://acme.halopsa.com" },
    { "HTTPS://Acme.HaloPSA.com", "https://acme.halopsa.com" },
    { "https://acme.halopsa.com:443/", "https://acme.halopsa.com" },
    { "https://user:hunter2@acme.halopsa.com/?tab=1#top", "https://acme.halopsa.com" },
    { "http://127.0.0.1:8080/halo/api", "http://127.0.0.1:8080/halo" },
    { "https://halo.example.com/apis", "https://halo.example.com/apis" },
  };
  static const char * const not_urls[] = {
    "", "acme.halopsa.com", "ftp://acme.halopsa.com", "https://", "https://user:hunter2@/",
  };

  g_test_summary ("A Halo URL has one spelling, whatever was pasted; a non-URL is an error that "
                  "does not repeat it");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = hs_config_normalize_halo_url (cases[i].typed, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (normalized, ==, cases[i].normalized);
    }
  for (guint i = 0; i < G_N_ELEMENTS (not_urls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = hs_config_normalize_halo_url (not_urls[i], &error);

      g_assert_null (normalized);
      g_assert_error (error, HS_ERROR, HS_ERROR_NOT_CONFIGURED);
      g_assert_null (strstr (error->message, "hunter2"));
    }
}

static void
write_environment_file (const char *contents,
                        int         mode)
{
  g_autofree char *path = hs_config_dup_environment_file_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_NONE, mode, &error);
  g_assert_no_error (error);
}

static void
test_environment_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsConfig) config = NULL;
  g_autofree char *secret = NULL;

  g_test_summary ("The environment file sets the HALOSYNC_* variables the process was not started with");
  clear_env ();
  g_assert_true (hs_config_load_environment_file (&error));
  g_assert_no_error (error);
  g_assert_null (g_getenv ("HALOSYNC_HALO_URL"));

  write_environment_file ("# HaloSync on the server\n"
                          "\n"
                          "HALOSYNC_HALO_URL=https://acme.halopsa.com\n"
                          "  HALOSYNC_HALO_CLIENT_ID = \"client id\"  \n"
                          "HALOSYNC_SINK='sqlite:///srv/halo sync/team.db'\n"
                          "HALOSYNC_HALO_TENANT=from-file\n"
                          "HALOSYNC_DB_PASSWORD=pw=with=equals\n",
                          0600);
  g_setenv ("HALOSYNC_HALO_TENANT", "from-shell", TRUE);
  g_assert_true (hs_config_load_environment_file (&error));
  g_assert_no_error (error);

  config = hs_config_new_with_settings (NULL);
  g_assert_cmpstr (hs_config_get_halo_url (config), ==, "https://acme.halopsa.com");
  g_assert_cmpstr (hs_config_get_halo_client_id (config), ==, "client id");
  g_assert_cmpstr (hs_config_get_sink_uri (config), ==, "sqlite:///srv/halo sync/team.db");
  g_assert_cmpstr (hs_config_get_halo_tenant (config), ==, "from-shell");
  g_assert_true (hs_config_is_overridden (config, "sink-uri"));
  secret = hs_config_lookup_secret (config, HS_SECRET_DATABASE_PASSWORD, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "pw=with=equals");
  clear_env ();
}

static void
test_environment_file_problems (void)
{
  g_autoptr(GError) error = NULL;

  g_test_summary ("A wrong line or a secret others can read is reported and left out; "
                  "the rest of the file still applies");
  clear_env ();
  write_environment_file ("HALOSYNC_HALO_URL=https://acme.halopsa.com\n"
                          "HALO_URL=https://typo.halopsa.com\n"
                          "HALOSYNC_HALO_CLIENT_SECRET=hunter2\n"
                          "HALOSYNC_HALO_CLIENT_ID=client\n",
                          0644);
  g_assert_false (hs_config_load_environment_file (&error));
  g_assert_error (error, HS_ERROR, HS_ERROR_NOT_CONFIGURED);
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_assert_null (strstr (error->message, "hunter2"));
  g_assert_cmpstr (g_getenv ("HALOSYNC_HALO_URL"), ==, "https://acme.halopsa.com");
  g_assert_cmpstr (g_getenv ("HALOSYNC_HALO_CLIENT_ID"), ==, "client");
  g_assert_null (g_getenv ("HALO_URL"));
  g_assert_null (g_getenv ("HALOSYNC_HALO_CLIENT_SECRET"));
  g_clear_error (&error);

  /* Only the secret is the problem now: chmod says how to fix it. */
  clear_env ();
  write_environment_file ("HALOSYNC_HALO_CLIENT_SECRET=hunter2\n", 0640);
  g_assert_false (hs_config_load_environment_file (&error));
  g_assert_nonnull (strstr (error->message, "chmod 600"));
  g_assert_null (strstr (error->message, "hunter2"));
  g_assert_null (g_getenv ("HALOSYNC_HALO_CLIENT_SECRET"));
  clear_env ();
}

int
main (int    argc,
      char **argv)
{
  hs_test_init (&argc, &argv);

  /* Never reach a developer's real keyring: a bus address that cannot
   * connect behaves like a machine without a Secret Service. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/halosync-test-bus", TRUE);

  g_test_add_func ("/config/defaults", test_defaults);
  g_test_add_func ("/config/defaults-match-schema", test_defaults_match_schema);
  g_test_add_func ("/config/default-sink-uri/#1 a?b", test_default_sink_uri_escaped);
  g_test_add_func ("/config/settings", test_settings);
  g_test_add_func ("/config/env-over-settings", test_env_over_settings);
  g_test_add_func ("/config/rate-limit-env", test_rate_limit_env);
  g_test_add_func ("/config/new-uses-installed-schema", test_new_uses_installed_schema);
  g_test_add_func ("/config/secret-from-env", test_secret_from_env);
  g_test_add_func ("/config/secret-missing", test_secret_missing);
  g_test_add_func ("/config/normalize-halo-url", test_normalize_halo_url);
  g_test_add_func ("/config/environment-file", test_environment_file);
  g_test_add_func ("/config/environment-file-problems", test_environment_file_problems);

  return g_test_run ();
}
