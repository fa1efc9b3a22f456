/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-test-sync.h"

/* A simulator, a fresh database and an engine on both: the real parts of
 * an end-to-end sync, set up the way a user's configuration would. */
struct _HsTestSync
{
  HsTestSim *sim;     /* (owned) */
  HsTestDb *db;       /* (owned) */
  HsEngine *engine;   /* (owned) */
};

static void
add_plugin_locations (HsEngine *engine)
{
  g_auto(GStrv) dirs = g_strsplit (g_getenv ("HS_PLUGIN_BUILD_DIRS"), ":", -1);
  HsPluginLoader *loader = hs_engine_get_plugin_loader (engine);

  for (guint i = 0; dirs[i] != NULL; i++)
    hs_plugin_loader_add_location (loader, dirs[i]);
  hs_engine_load_plugins (engine);
}

/* An engine on the simulator and the sink at @sink_uri, which may be any
 * URI a user could configure, TLS parameters and password included. */
HsEngine *
hs_test_sync_new_engine_for_uri (HsTestSync *self,
                                 const char *sink_uri)
{
  g_autoptr(HsConfig) config = NULL;
  HsEngine *engine;

  /* Configuration is read from the environment once, when it is made. */
  g_setenv ("HALOSYNC_HALO_URL", hs_test_sim_get_base_url (self->sim), TRUE);
  g_setenv ("HALOSYNC_HALO_CLIENT_ID", hs_test_sim_get_client_id (self->sim), TRUE);
  g_setenv ("HALOSYNC_HALO_CLIENT_SECRET", hs_test_sim_get_client_secret (self->sim), TRUE);
  g_setenv ("HALOSYNC_HALO_RATE_LIMIT", "off", TRUE);
  g_setenv ("HALOSYNC_SINK", sink_uri, TRUE);
  config = hs_config_new_with_settings (NULL);
  g_unsetenv ("HALOSYNC_SINK");

  engine = hs_engine_new (config);
  add_plugin_locations (engine);
  return engine;
}

HsEngine *
hs_test_sync_new_engine (HsTestSync *self,
                         HsTestDb   *db)
{
  return hs_test_sync_new_engine_for_uri (self, hs_test_db_get_uri (db));
}

static HsTestSync *
new_with_sim (const char * const *sim_args)
{
  HsTestSync *self = g_new0 (HsTestSync, 1);
  g_autoptr(GError) error = NULL;

  self->sim = hs_test_sim_new (sim_args, &error);
  g_assert_no_error (error);
  return self;
}

HsTestSync *
hs_test_sync_new (HsTestDbKind        kind,
                  const char * const *sim_args)
{
  HsTestSync *self = new_with_sim (sim_args);

  self->db = hs_test_db_new (kind);
  self->engine = hs_test_sync_new_engine (self, self->db);
  return self;
}

/* For a database the test made itself, on a server hs-test-db.c cannot
 * reach (one that takes TLS logins only, say): the engine writes to
 * @sink_uri, and there is no test database (hs_test_sync_get_db()
 * returns %NULL). */
HsTestSync *
hs_test_sync_new_for_uri (const char         *sink_uri,
                          const char * const *sim_args)
{
  HsTestSync *self = new_with_sim (sim_args);

  self->engine = hs_test_sync_new_engine_for_uri (self, sink_uri);
  return self;
}

void
hs_test_sync_free (HsTestSync *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->engine);
  /* The simulator must exit cleanly (a sanitizer report fails it). */
  g_assert_true (hs_test_sim_stop (self->sim, &error));
  g_assert_no_error (error);
  g_clear_object (&self->sim);
  g_clear_pointer (&self->db, hs_test_db_free);
  g_free (self);
}

HsTestSim *
hs_test_sync_get_sim (HsTestSync *self)
{
  return self->sim;
}

HsTestDb *
hs_test_sync_get_db (HsTestSync *self)
{
  return self->db;
}

HsEngine *
hs_test_sync_get_engine (HsTestSync *self)
{
  return self->engine;
}

/* Runs a sync to its end; the run, whatever its status. */
HsRun *
hs_test_sync_run (HsEngine   *engine,
                  const char *fiscal_year,
                  HsSyncMode  mode,
                  HsSyncFlags flags)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  HsRun *run;

  hs_engine_sync_async (engine, fiscal_year, mode, flags, HS_TRIGGER_CLI, NULL,
                        hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  run = hs_engine_sync_finish (engine, result, &error);
  g_assert_no_error (error);
  g_assert_true (hs_run_is_finished (run));
  return run;
}

static void
run_finished_cb (HsEngine *engine,
                 HsRun    *run,
                 HsRun   **out)
{
  if (run == *out)
    g_main_context_wakeup (NULL);
}

/* Creates a fiscal year and waits for the sync its creation starts. */
HsRun *
hs_test_sync_create_fiscal_year (HsEngine   *engine,
                                 const char *label,
                                 const char *start,
                                 const char *end)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  HsRun *run;
  gulong handler;

  hs_engine_create_fiscal_year_async (engine, label, start, end, NULL, hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  run = hs_engine_create_fiscal_year_finish (engine, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hs_run_get_trigger (run), ==, HS_TRIGGER_FISCAL_YEAR);
  g_assert_cmpint (hs_run_get_mode (run), ==, HS_SYNC_FULL);

  handler = g_signal_connect (engine, "run-finished", G_CALLBACK (run_finished_cb), &run);
  while (!hs_run_is_finished (run))
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (engine, handler);
  return run;
}

void
hs_test_sync_map_agent (HsEngine   *engine,
                        gint64      halo_id,
                        const char *member,
                        const char *team)
{
  g_autoptr(HsAgentMapping) mapping = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  mapping = hs_agent_mapping_new (halo_id, member, team, &error);
  g_assert_no_error (error);
  hs_engine_set_agent_mapping_async (engine, mapping, NULL, hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  g_assert_true (hs_engine_set_agent_mapping_finish (engine, result, &error));
  g_assert_no_error (error);
}

JsonNode *
hs_test_sync_control (HsTestSync *self,
                      const char *method,
                      const char *path,
                      const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  node = hs_test_sim_control (self->sim, method, path, json, &error);
  g_assert_no_error (error);
  return node;
}

/* Fails with the run's own words when it did not succeed. */
void
hs_test_sync_assert_succeeded (HsRun *run)
{
  if (hs_run_get_status (run) != HS_RUN_SUCCEEDED)
    g_error ("The run of %s ended %s: %s", hs_run_get_fiscal_year (run),
             hs_run_status_to_string (hs_run_get_status (run)),
             hs_run_get_error_message (run));
}
