/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "hs-test.h"

typedef struct
{
  char *root;  /* a fresh directory per test */
} Fixture;

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->root = g_dir_make_tmp ("hs-loader-XXXXXX", &error);
  g_assert_no_error (error);
  g_unsetenv ("HALOSYNC_PLUGIN_DIR");
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer user_data)
{
  g_autoptr(GFile) root = g_file_new_for_path (fixture->root);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;
  GFile *child;

  children = g_file_enumerate_children (root, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
    {
      g_autoptr(GFileEnumerator) grandchildren =
        g_file_enumerate_children (child, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                   G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
      GFileInfo *ginfo;
      GFile *grandchild;

      while (grandchildren != NULL &&
             g_file_enumerator_iterate (grandchildren, &ginfo, &grandchild, NULL, NULL) &&
             ginfo != NULL)
        g_file_delete (grandchild, NULL, NULL);
      g_file_delete (child, NULL, NULL);
    }
  g_file_delete (root, NULL, NULL);
  g_clear_pointer (&fixture->root, g_free);
  g_unsetenv ("HALOSYNC_PLUGIN_DIR");
}

static char *
make_dir (Fixture    *fixture,
          const char *name)
{
  char *dir = g_build_filename (fixture->root, name, NULL);

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  return dir;
}

/* Links a built test plugin into @dir as @filename.  A link (not a copy)
 * keeps one inode, so the dynamic linker maps each plugin once however
 * many directories hold it, as with an installed plugin. */
static void
add_plugin (const char *dir,
            const char *plugin,
            const char *filename)
{
  g_autofree char *target = g_strdup_printf ("%s/libhs_plugin_%s.so",
                                             g_getenv ("HS_TEST_PLUGIN_DIR"), plugin);
  g_autofree char *link = g_build_filename (dir, filename != NULL ? filename : "", NULL);
  g_autofree char *default_name = NULL;

  if (filename == NULL)
    {
      default_name = g_strdup_printf ("libhs_plugin_%s.so", plugin);
      g_free (link);
      link = g_build_filename (dir, default_name, NULL);
    }

  g_assert_true (g_file_test (target, G_FILE_TEST_EXISTS));
  g_assert_cmpint (symlink (target, link), ==, 0);
}

static void
assert_strv (char      **actual,
             const char *first,
             ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) expected = NULL;
  va_list args;

  va_start (args, first);
  for (const char *s = first; s != NULL; s = va_arg (args, const char *))
    g_strv_builder_add (builder, s);
  va_end (args);

  expected = g_strv_builder_end (builder);
  g_assert_cmpstrv (actual, expected);
}

static void
test_good_plugins (Fixture      *fixture,
                   gconstpointer user_data)
{
  g_autofree char *dir = make_dir (fixture, "plugins");
  g_autoptr(HsPluginLoader) loader = hs_plugin_loader_new ();
  g_auto(GStrv) sources = NULL;
  g_auto(GStrv) sinks = NULL;
  g_auto(GStrv) skipped = NULL;
  const char *name = NULL;

  add_plugin (dir, "testsource", NULL);
  add_plugin (dir, "testsink", NULL);
  hs_plugin_loader_add_location (loader, dir);
  hs_plugin_loader_load (loader);

  sources = hs_plugin_loader_list_sources (loader);
  sinks = hs_plugin_loader_list_sinks (loader);
  skipped = hs_plugin_loader_list_skipped (loader);
  assert_strv (sources, "testsource", NULL);
  assert_strv (sinks, "testsink", NULL);
  assert_strv (skipped, NULL);

  g_assert_true (g_type_is_a (hs_plugin_loader_find_source (loader, "testsource"), HS_TYPE_SOURCE));
  g_assert_true (g_type_is_a (hs_plugin_loader_find_sink (loader, "testsink"), HS_TYPE_SINK));
  g_assert_cmpuint (hs_plugin_loader_find_source (loader, "testsink"), ==, G_TYPE_INVALID);
  g_assert_cmpuint (hs_plugin_loader_find_sink (loader, "missing"), ==, G_TYPE_INVALID);
  g_assert_true (g_str_has_prefix (hs_plugin_loader_get_path (loader, "testsink"), dir));

  g_assert_true (g_type_is_a (hs_plugin_loader_find_sink_for_uri (loader, "test:///x", &name), HS_TYPE_SINK));
  g_assert_cmpstr (name, ==, "testsink");
  g_assert_cmpuint (hs_plugin_loader_find_sink_for_uri (loader, "postgresql://h/db", NULL), ==, G_TYPE_INVALID);
}

static void
test_engine_creates_plugins (Fixture      *fixture,
                             gconstpointer user_data)
{
  g_autofree char *dir = make_dir (fixture, "plugins");
  g_autoptr(HsConfig) config = NULL;
  g_autoptr(HsEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) check_result = NULL;
  HsSource *source;
  HsSink *sink;

  add_plugin (dir, "testsource", NULL);
  add_plugin (dir, "testsink", NULL);

  g_setenv ("HALOSYNC_SINK", "test:///nowhere", TRUE);
  g_setenv ("HALOSYNC_SOURCE", "testsource", TRUE);
  config = hs_config_new ();
  g_unsetenv ("HALOSYNC_SINK");
  g_unsetenv ("HALOSYNC_SOURCE");

  engine = hs_engine_new (config);
  hs_plugin_loader_add_location (hs_engine_get_plugin_loader (engine), dir);
  hs_engine_load_plugins (engine);

  source = hs_engine_get_source (engine, &error);
  g_assert_no_error (error);
  g_assert_true (HS_IS_SOURCE (source));
  g_assert_cmpstr (hs_source_get_name (source), ==, "testsource");
  g_assert_true (hs_source_get_config (source) == config);
  g_assert_true (hs_engine_get_source (engine, NULL) == source);

  hs_source_check_async (source, NULL, hs_test_store_result_cb, &check_result);
  hs_test_wait_for_result (&check_result);
  g_assert_true (hs_source_check_finish (source, check_result, &error));
  g_assert_no_error (error);

  sink = hs_engine_get_sink (engine, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hs_sink_get_name (sink), ==, "testsink");
  g_assert_cmpstr (hs_sink_get_uri (sink), ==, "test:///nowhere");

  g_assert_true (hs_sink_open (sink, NULL, &error));
  g_assert_no_error (error);
}

static void
test_unimplemented_vfunc (Fixture      *fixture,
                          gconstpointer user_data)
{
  g_autofree char *dir = make_dir (fixture, "plugins");
  g_autoptr(HsEngine) engine = NULL;
  g_autoptr(HsConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsRun) run = hs_run_new ("FY", HS_TRIGGER_CLI, HS_SYNC_FULL, FALSE);
  g_autoptr(HsFiscalYear) year = hs_fiscal_year_new ("FY", "2025-07-01", "2026-06-30", NULL);
  HsSink *sink;

  add_plugin (dir, "testsink", NULL);
  g_setenv ("HALOSYNC_SINK", "test:///nowhere", TRUE);
  config = hs_config_new ();
  g_unsetenv ("HALOSYNC_SINK");
  engine = hs_engine_new (config);
  hs_plugin_loader_add_location (hs_engine_get_plugin_loader (engine), dir);

  sink = hs_engine_get_sink (engine, &error);
  g_assert_no_error (error);

  /* The test sink only opens; everything else reports what it cannot do. */
  g_assert_null (hs_sink_begin_run (sink, run, year, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "testsink"));
}

static void
test_wrong_api (Fixture      *fixture,
                gconstpointer user_data)
{
  g_autofree char *dir = make_dir (fixture, "plugins");
  g_autoptr(HsPluginLoader) loader = hs_plugin_loader_new ();
  g_autofree char *pattern = NULL;
  g_auto(GStrv) sources = NULL;
  g_auto(GStrv) skipped = NULL;

  add_plugin (dir, "testsource", NULL);
  add_plugin (dir, "wrongapi", NULL);
  hs_plugin_loader_add_location (loader, dir);

  pattern = g_strdup_printf ("Skipping plugin %s/libhs_plugin_wrongapi.so: built for plugin API %u,"
                             " but this engine loads plugin API %u; rebuild it",
                             dir, HS_PLUGIN_API_VERSION + 1, HS_PLUGIN_API_VERSION);
  g_test_expect_message ("HaloSync", G_LOG_LEVEL_WARNING, pattern);
  hs_plugin_loader_load (loader);
  g_test_assert_expected_messages ();

  sources = hs_plugin_loader_list_sources (loader);
  assert_strv (sources, "testsource", NULL);
  skipped = hs_plugin_loader_list_skipped (loader);
  g_assert_cmpuint (g_strv_length (skipped), ==, 1);
  g_assert_true (g_str_has_prefix (skipped[0], dir));
}

static void
test_missing_symbol (Fixture      *fixture,
                     gconstpointer user_data)
{
  g_autofree char *dir = make_dir (fixture, "plugins");
  g_autoptr(HsPluginLoader) loader = hs_plugin_loader_new ();
  g_auto(GStrv) sinks = NULL;

  add_plugin (dir, "nosymbol", NULL);
  add_plugin (dir, "testsink", NULL);
  hs_plugin_loader_add_location (loader, dir);

  g_test_expect_message ("HaloSync", G_LOG_LEVEL_WARNING,
                         "Skipping plugin */libhs_plugin_nosymbol.so: incomplete plugin: it does not export hs_plugin_query_type");
  hs_plugin_loader_load (loader);
  g_test_assert_expected_messages ();

  sinks = hs_plugin_loader_list_sinks (loader);
  assert_strv (sinks, "testsink", NULL);
}

static void
test_not_a_plugin (Fixture      *fixture,
                   gconstpointer user_data)
{
  g_autofree char *dir = make_dir (fixture, "plugins");
  g_autofree char *garbage = g_build_filename (dir, "libhs_plugin_garbage.so", NULL);
  g_autofree char *readme = g_build_filename (dir, "README", NULL);
  g_autoptr(HsPluginLoader) loader = hs_plugin_loader_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) sources = NULL;
  g_auto(GStrv) skipped = NULL;

  add_plugin (dir, "notaplugin", NULL);
  add_plugin (dir, "notaplugin", "libsomething.so");
  add_plugin (dir, "testsource", NULL);
  g_file_set_contents (garbage, "this is not a shared object\n", -1, &error);
  g_assert_no_error (error);
  /* Files without the module suffix are not even looked at. */
  g_file_set_contents (readme, "plugins live here\n", -1, &error);
  g_assert_no_error (error);
  hs_plugin_loader_add_location (loader, dir);

  g_test_expect_message ("HaloSync", G_LOG_LEVEL_WARNING,
                         "Skipping plugin */libhs_plugin_garbage.so: *");
  g_test_expect_message ("HaloSync", G_LOG_LEVEL_WARNING,
                         "Skipping plugin */libhs_plugin_notaplugin.so: not a HaloSync plugin: it does not export hs_plugin_api_version");
  g_test_expect_message ("HaloSync", G_LOG_LEVEL_WARNING,
                         "Skipping plugin */libsomething.so: not a HaloSync plugin: plugins are named libhs_plugin_NAME.so");
  hs_plugin_loader_load (loader);
  g_test_assert_expected_messages ();

  sources = hs_plugin_loader_list_sources (loader);
  assert_strv (sources, "testsource", NULL);
  skipped = hs_plugin_loader_list_skipped (loader);
  g_assert_cmpuint (g_strv_length (skipped), ==, 3);
}

static void
test_empty_dir (Fixture      *fixture,
                gconstpointer user_data)
{
  g_autofree char *dir = make_dir (fixture, "empty");
  g_autofree char *missing = g_build_filename (fixture->root, "does-not-exist", NULL);
  g_autoptr(HsConfig) config = hs_config_new_with_settings (NULL);
  g_autoptr(HsEngine) engine = hs_engine_new (config);
  HsPluginLoader *loader = hs_engine_get_plugin_loader (engine);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) sources = NULL;
  g_auto(GStrv) sinks = NULL;
  g_auto(GStrv) skipped = NULL;

  hs_plugin_loader_add_location (loader, dir);
  hs_plugin_loader_add_location (loader, missing);
  hs_engine_load_plugins (engine);

  sources = hs_engine_list_sources (engine);
  sinks = hs_engine_list_sinks (engine);
  skipped = hs_plugin_loader_list_skipped (loader);
  assert_strv (sources, NULL);
  assert_strv (sinks, NULL);
  assert_strv (skipped, NULL);

  /* With no plugins the engine says where it looked. */
  g_assert_null (hs_engine_get_source (engine, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_PLUGIN);
  g_assert_nonnull (strstr (error->message, dir));
  g_clear_error (&error);

  g_assert_null (hs_engine_get_sink (engine, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_PLUGIN);
  g_assert_nonnull (strstr (error->message, "sqlite:"));
}

static void
test_search_path (Fixture      *fixture,
                  gconstpointer user_data)
{
  g_autofree char *first = make_dir (fixture, "first");
  g_autofree char *second = make_dir (fixture, "second");
  g_autofree char *third = make_dir (fixture, "third");
  g_autofree char *env = NULL;
  g_autoptr(HsPluginLoader) loader = hs_plugin_loader_new ();
  g_auto(GStrv) path = NULL;
  g_auto(GStrv) sources = NULL;
  g_auto(GStrv) sinks = NULL;

  /* The same plugin in two places: the earlier directory wins. */
  add_plugin (first, "testsource", NULL);
  add_plugin (second, "testsource", NULL);
  add_plugin (third, "testsink", NULL);

  env = g_strdup_printf ("%s::%s/nothing-here:%s", second, fixture->root, third);
  g_setenv ("HALOSYNC_PLUGIN_DIR", env, TRUE);
  hs_plugin_loader_add_location (loader, first);

  path = hs_plugin_loader_dup_search_path (loader);
  g_assert_cmpuint (g_strv_length (path), ==, 5);
  g_assert_cmpstr (path[0], ==, first);
  g_assert_cmpstr (path[1], ==, second);
  g_assert_cmpstr (path[3], ==, third);
  g_assert_cmpstr (path[4], ==, HS_PLUGIN_DIR);

  hs_plugin_loader_load (loader);
  sources = hs_plugin_loader_list_sources (loader);
  sinks = hs_plugin_loader_list_sinks (loader);
  assert_strv (sources, "testsource", NULL);
  assert_strv (sinks, "testsink", NULL);
  g_assert_true (g_str_has_prefix (hs_plugin_loader_get_path (loader, "testsource"), first));
  g_assert_true (g_str_has_prefix (hs_plugin_loader_get_path (loader, "testsink"), third));

  /* Loading twice changes nothing. */
  hs_plugin_loader_load (loader);
  g_clear_pointer (&sources, g_strfreev);
  sources = hs_plugin_loader_list_sources (loader);
  assert_strv (sources, "testsource", NULL);
}

static void
test_unknown_sink_scheme (Fixture      *fixture,
                          gconstpointer user_data)
{
  g_autofree char *dir = make_dir (fixture, "plugins");
  g_autoptr(HsConfig) config = NULL;
  g_autoptr(HsEngine) engine = NULL;
  g_autoptr(GError) error = NULL;

  add_plugin (dir, "testsink", NULL);
  g_setenv ("HALOSYNC_SINK", "mysql://db.example/halo", TRUE);
  config = hs_config_new ();
  g_unsetenv ("HALOSYNC_SINK");
  engine = hs_engine_new (config);
  hs_plugin_loader_add_location (hs_engine_get_plugin_loader (engine), dir);

  g_assert_null (hs_engine_get_sink (engine, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_PLUGIN);
  g_assert_nonnull (strstr (error->message, "“mysql:”"));
}

static void
test_unknown_source (Fixture      *fixture,
                     gconstpointer user_data)
{
  g_autofree char *dir = make_dir (fixture, "plugins");
  g_autoptr(HsConfig) config = NULL;
  g_autoptr(HsEngine) engine = NULL;
  g_autoptr(GError) error = NULL;

  add_plugin (dir, "testsource", NULL);
  g_setenv ("HALOSYNC_SOURCE", "jira", TRUE);
  config = hs_config_new ();
  g_unsetenv ("HALOSYNC_SOURCE");
  engine = hs_engine_new (config);
  hs_plugin_loader_add_location (hs_engine_get_plugin_loader (engine), dir);

  /* The configured name decides; another installed source is not used. */
  g_assert_null (hs_engine_get_source (engine, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_PLUGIN);
  g_assert_nonnull (strstr (error->message, "“jira”"));
  g_assert_nonnull (strstr (error->message, dir));
}

int
main (int    argc,
      char **argv)
{
  hs_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/plugin-loader/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("good", test_good_plugins);
  ADD ("engine-creates-plugins", test_engine_creates_plugins);
  ADD ("unimplemented-vfunc", test_unimplemented_vfunc);
  ADD ("wrong-api", test_wrong_api);
  ADD ("missing-symbol", test_missing_symbol);
  ADD ("not-a-plugin", test_not_a_plugin);
  ADD ("empty-dir", test_empty_dir);
  ADD ("search-path", test_search_path);
  ADD ("unknown-sink-scheme", test_unknown_sink_scheme);
  ADD ("unknown-source", test_unknown_source);

#undef ADD

  return g_test_run ();
}
