/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "hs-test.h"

/*
 * The rules every sink must keep, kept by the engine: these tests run the
 * real engine on the memory sink, which stores what it is told and checks
 * nothing, so a rule that holds here is one the engine enforces.
 */

typedef struct
{
  char *plugins;       /* (owned): a directory with the two plugins */
  HsEngine *engine;    /* (owned) (nullable) */
} Fixture;

static void
link_plugin (const char *dir,
             const char *plugin)
{
  g_autofree char *name = g_strdup_printf ("libhs_plugin_%s.so", plugin);
  g_autofree char *target = g_build_filename (g_getenv ("HS_TEST_PLUGIN_DIR"), name, NULL);
  g_autofree char *link = g_build_filename (dir, name, NULL);

  g_assert_cmpint (symlink (target, link), ==, 0);
}

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer user_data)
{
  g_autoptr(GError) error = NULL;

  fixture->plugins = g_dir_make_tmp ("hs-rules-XXXXXX", &error);
  g_assert_no_error (error);
  link_plugin (fixture->plugins, "testsource");
  link_plugin (fixture->plugins, "memorysink");
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer user_data)
{
  g_clear_object (&fixture->engine);
  hs_test_remove_tree (fixture->plugins);
  g_clear_pointer (&fixture->plugins, g_free);
}

/* An engine that syncs from the test source into a memory sink opened
 * with @uri. */
static HsEngine *
open_engine (Fixture    *fixture,
             const char *uri)
{
  g_autoptr(HsConfig) config = NULL;

  g_setenv ("HALOSYNC_SINK", uri, TRUE);
  g_setenv ("HALOSYNC_SOURCE", "testsource", TRUE);
  config = hs_config_new ();
  g_unsetenv ("HALOSYNC_SINK");
  g_unsetenv ("HALOSYNC_SOURCE");

  fixture->engine = hs_engine_new (config);
  hs_plugin_loader_add_location (hs_engine_get_plugin_loader (fixture->engine), fixture->plugins);
  hs_engine_load_plugins (fixture->engine);
  return fixture->engine;
}

static guint
sink_counter (HsEngine   *engine,
              const char *name)
{
  guint value = 0;

  g_object_get (hs_engine_get_sink (engine, NULL), name, &value, NULL);
  return value;
}

/* Creates a fiscal year and waits for the sync its creation queues. */
static HsRun *
create_year (HsEngine   *engine,
             const char *label,
             const char *start,
             const char *end,
             GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(HsRun) queued = NULL;
  g_autoptr(GAsyncResult) sync_result = NULL;

  hs_engine_create_fiscal_year_async (engine, label, start, end, NULL, hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  queued = hs_engine_create_fiscal_year_finish (engine, result, error);
  if (queued == NULL)
    return NULL;

  /* Asking for the same year again joins the queued run. */
  hs_engine_sync_async (engine, label, HS_SYNC_FULL, HS_SYNC_FLAGS_NONE, HS_TRIGGER_FISCAL_YEAR, NULL,
                        hs_test_store_result_cb, &sync_result);
  hs_test_wait_for_result (&sync_result);
  return hs_engine_sync_finish (engine, sync_result, error);
}

static HsRun *
sync_year (HsEngine  *engine,
           HsSyncMode mode)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  HsRun *run;

  hs_engine_sync_async (engine, "FY2026", mode, HS_SYNC_FLAGS_NONE, HS_TRIGGER_CLI, NULL,
                        hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  run = hs_engine_sync_finish (engine, result, &error);
  g_assert_no_error (error);
  return run;
}

static GPtrArray *
list_runs (HsEngine *engine)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *runs;

  hs_engine_list_runs_async (engine, 10, NULL, hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  runs = hs_engine_list_runs_finish (engine, result, &error);
  g_assert_no_error (error);
  return runs;
}

static GPtrArray *
list_years (HsEngine *engine)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *years;

  hs_engine_list_fiscal_years_async (engine, NULL, hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  years = hs_engine_list_fiscal_years_finish (engine, result, &error);
  g_assert_no_error (error);
  return years;
}

static void
test_year_clashes (Fixture      *fixture,
                   gconstpointer user_data)
{
  HsEngine *engine = open_engine (fixture, "memory:///");
  g_autoptr(HsRun) first = NULL;
  g_autoptr(HsRun) clash = NULL;
  g_autoptr(GPtrArray) years = NULL;
  g_autoptr(GError) error = NULL;

  first = create_year (engine, "FY2026", "2025-07-01", "2026-06-30", &error);
  g_assert_no_error (error);
  g_assert_cmpint (hs_run_get_status (first), ==, HS_RUN_SUCCEEDED);

  /* One shared day is a clash, whatever the label. */
  clash = create_year (engine, "FY2027", "2026-06-30", "2027-06-29", &error);
  g_assert_error (error, HS_ERROR, HS_ERROR_CONFLICT);
  g_assert_null (clash);
  g_clear_error (&error);

  clash = create_year (engine, "FY2026", "2030-07-01", "2031-06-30", &error);
  g_assert_error (error, HS_ERROR, HS_ERROR_EXISTS);
  g_assert_null (clash);
  g_clear_error (&error);

  years = list_years (engine);
  g_assert_cmpuint (years->len, ==, 1);
  g_assert_cmpint (g_date_get_year (hs_fiscal_year_get_end (g_ptr_array_index (years, 0))), ==, 2026);
  g_assert_cmpuint (sink_counter (engine, "commits"), ==, 1);

  /* The day after is free. */
  g_clear_object (&clash);
  clash = create_year (engine, "FY2027", "2026-07-01", "2027-06-30", &error);
  g_assert_no_error (error);
  g_assert_cmpint (hs_run_get_status (clash), ==, HS_RUN_SUCCEEDED);
}

/* Whichever storage call fails, the run ends failed in the ledger with
 * the sink's reason, and nothing it wrote is committed. */
static void
test_final_status (Fixture      *fixture,
                   gconstpointer user_data)
{
  const char *function = user_data;
  g_autofree char *uri = g_strdup_printf ("memory:///?fail=%s", function);
  HsEngine *engine = open_engine (fixture, uri);
  g_autoptr(HsRun) created = NULL;
  g_autoptr(HsRun) run = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) years = NULL;
  g_autoptr(GError) error = NULL;
  HsRun *stored;

  created = create_year (engine, "FY2026", "2025-07-01", "2026-06-30", &error);
  g_assert_no_error (error);
  g_assert_cmpint (hs_run_get_status (created), ==, HS_RUN_FAILED);

  run = sync_year (engine, HS_SYNC_FULL);
  g_assert_cmpint (hs_run_get_status (run), ==, HS_RUN_FAILED);
  g_assert_nonnull (strstr (hs_run_get_error_message (run), function));
  g_assert_cmpuint (sink_counter (engine, "commits"), ==, 0);

  /* The year stays although its first sync failed. */
  years = list_years (engine);
  g_assert_cmpuint (years->len, ==, 1);

  runs = list_runs (engine);
  g_assert_cmpuint (runs->len, ==, 2);
  for (guint i = 0; i < runs->len; i++)
    {
      stored = g_ptr_array_index (runs, i);
      g_assert_cmpint (hs_run_get_status (stored), ==, HS_RUN_FAILED);
      g_assert_nonnull (strstr (hs_run_get_error_message (stored), function));
      g_assert_cmpint (hs_run_get_finished_at (stored), >, 0);
    }
  stored = g_ptr_array_index (runs, 0);
  g_assert_cmpint (hs_run_get_id (stored), ==, hs_run_get_id (run));
}

/* With no ledger to write to, a run still ends, failed, and says why. */
static void
test_ledger_unwritable (Fixture      *fixture,
                        gconstpointer user_data)
{
  HsEngine *engine = open_engine (fixture, "memory:///?fail=save");
  g_autoptr(HsRun) created = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;

  created = create_year (engine, "FY2026", "2025-07-01", "2026-06-30", &error);
  g_assert_no_error (error);
  g_assert_cmpint (hs_run_get_status (created), ==, HS_RUN_FAILED);
  g_assert_nonnull (strstr (hs_run_get_error_message (created), "save"));
  g_assert_cmpuint (sink_counter (engine, "commits"), ==, 0);

  runs = list_runs (engine);
  g_assert_cmpuint (runs->len, ==, 0);
}

static void
test_summary_rebuilds (Fixture      *fixture,
                       gconstpointer user_data)
{
  HsEngine *engine = open_engine (fixture, "memory:///");
  g_autoptr(HsRun) created = NULL;
  g_autoptr(HsRun) unchanged = NULL;
  g_autoptr(HsRun) emptied = NULL;
  g_autoptr(GError) error = NULL;

  /* A new year's first sync writes rows, and so builds the summary. */
  created = create_year (engine, "FY2026", "2025-07-01", "2026-06-30", &error);
  g_assert_no_error (error);
  g_assert_cmpint (hs_run_get_status (created), ==, HS_RUN_SUCCEEDED);
  g_assert_cmpuint (hs_run_get_total (created, HS_COUNTER_INSERTED), ==, 5);
  g_assert_cmpuint (sink_counter (engine, "summary-rebuilds"), ==, 1);

  /* The same rows again change nothing: the summary stands. */
  unchanged = sync_year (engine, HS_SYNC_FULL);
  g_assert_cmpint (hs_run_get_status (unchanged), ==, HS_RUN_SUCCEEDED);
  g_assert_cmpuint (hs_run_get_total (unchanged, HS_COUNTER_INSERTED) +
                      hs_run_get_total (unchanged, HS_COUNTER_UPDATED),
                    ==, 0);
  g_assert_cmpuint (sink_counter (engine, "summary-rebuilds"), ==, 1);
  g_assert_cmpuint (sink_counter (engine, "commits"), ==, 2);

  /* A year with no summary (a database restored without it) gets one,
   * even from a run that changed nothing. */
  g_object_set (hs_engine_get_sink (engine, NULL), "summarized", FALSE, NULL);
  emptied = sync_year (engine, HS_SYNC_INCREMENTAL);
  g_assert_cmpint (hs_run_get_status (emptied), ==, HS_RUN_SUCCEEDED);
  g_assert_cmpuint (sink_counter (engine, "summary-rebuilds"), ==, 2);
}

/* A run a killed program left `running` is marked interrupted by the
 * next engine to open the database, before anything else reads it. */
static void
test_dead_run (Fixture      *fixture,
               gconstpointer user_data)
{
  HsEngine *engine = open_engine (fixture, "memory:///?dead-run=1");
  g_autoptr(GPtrArray) runs = list_runs (engine);
  HsRun *dead;

  g_assert_cmpuint (runs->len, ==, 1);
  dead = g_ptr_array_index (runs, 0);
  g_assert_cmpint (hs_run_get_status (dead), ==, HS_RUN_INTERRUPTED);
  g_assert_cmpint (hs_run_get_finished_at (dead), >, 0);
}

/* Well inside the memory sink's stall. */
#define CANCEL_DELAY_MS 100

typedef struct
{
  HsEngine *engine;
  HsRunStage stage;   /* the stage to cancel in */
  guint timeout_id;
  gboolean cancelled; /* a cancel was asked for */
} CancelAt;

static gboolean
cancel_cb (gpointer user_data)
{
  CancelAt *at = user_data;

  at->timeout_id = 0;
  at->cancelled = hs_engine_cancel (at->engine, "FY2026");
  return G_SOURCE_REMOVE;
}

/* The stage begins as its first sink call is queued: the cancel comes a
 * moment later, when the sink is in the middle of it. */
static void
cancel_at_stage_cb (HsEngine *engine,
                    HsRun    *run,
                    CancelAt *at)
{
  if (at->timeout_id != 0 || at->cancelled || hs_run_get_stage (run) != at->stage)
    return;
  at->timeout_id = g_timeout_add (CANCEL_DELAY_MS, cancel_cb, at);
}

/* A cancel that arrives while the sink is busy — counting the rows a
 * full run would delete, or committing — ends the run once, with one
 * final status that the data and the ledger agree with.  A commit is
 * never undone: a run cancelled as it commits succeeded. */
static void
test_cancel_in_sink (Fixture      *fixture,
                     gconstpointer user_data)
{
  HsRunStage stage = GPOINTER_TO_INT (user_data);
  g_autofree char *uri = g_strdup_printf ("memory:///?stall=%s",
                                          stage == HS_RUN_STAGE_DELETING ? "sweep" : "commit");
  HsEngine *engine = open_engine (fixture, uri);
  g_autoptr(HsRun) created = NULL;
  g_autoptr(HsRun) run = NULL;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;
  CancelAt at = { engine, stage, 0, FALSE };
  guint commits;
  gulong handler;

  created = create_year (engine, "FY2026", "2025-07-01", "2026-06-30", &error);
  g_assert_no_error (error);
  g_assert_cmpint (hs_run_get_status (created), ==, HS_RUN_SUCCEEDED);
  commits = sink_counter (engine, "commits");

  handler = g_signal_connect (engine, "run-progress", G_CALLBACK (cancel_at_stage_cb), &at);
  run = sync_year (engine, HS_SYNC_FULL);
  g_signal_handler_disconnect (engine, handler);
  g_assert_true (at.cancelled);

  runs = list_runs (engine);
  g_assert_cmpint (hs_run_get_id (g_ptr_array_index (runs, 0)), ==, hs_run_get_id (run));
  g_assert_cmpint (hs_run_get_status (g_ptr_array_index (runs, 0)), ==, hs_run_get_status (run));
  g_assert_cmpint (hs_run_get_status (run), ==,
                   stage == HS_RUN_STAGE_DELETING ? HS_RUN_CANCELLED : HS_RUN_SUCCEEDED);
  g_assert_cmpuint (sink_counter (engine, "commits"), ==,
                    commits + (hs_run_get_status (run) == HS_RUN_SUCCEEDED ? 1 : 0));

  /* The engine is whole: the next run goes through. */
  g_clear_object (&run);
  run = sync_year (engine, HS_SYNC_INCREMENTAL);
  g_assert_cmpint (hs_run_get_status (run), ==, HS_RUN_SUCCEEDED);
}

int
main (int   argc,
      char *argv[])
{
  static const char * const functions[] = { "begin", "write", "sweep", "summary", "commit" };

  hs_test_init (&argc, &argv);

  g_test_add ("/engine-rules/year-clashes", Fixture, NULL, fixture_set_up, test_year_clashes,
              fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (functions); i++)
    {
      g_autofree char *path = g_strdup_printf ("/engine-rules/final-status/%s", functions[i]);

      g_test_add (path, Fixture, functions[i], fixture_set_up, test_final_status, fixture_tear_down);
    }
  g_test_add ("/engine-rules/ledger-unwritable", Fixture, NULL, fixture_set_up, test_ledger_unwritable,
              fixture_tear_down);
  g_test_add ("/engine-rules/summary-rebuilds", Fixture, NULL, fixture_set_up, test_summary_rebuilds,
              fixture_tear_down);
  g_test_add ("/engine-rules/dead-run", Fixture, NULL, fixture_set_up, test_dead_run, fixture_tear_down);
  g_test_add ("/engine-rules/cancel-while-sweeping", Fixture, GINT_TO_POINTER (HS_RUN_STAGE_DELETING),
              fixture_set_up, test_cancel_in_sink, fixture_tear_down);
  g_test_add ("/engine-rules/cancel-while-committing", Fixture, GINT_TO_POINTER (HS_RUN_STAGE_COMMITTING),
              fixture_set_up, test_cancel_in_sink, fixture_tear_down);

  return g_test_run ();
}
