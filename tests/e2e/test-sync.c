/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "hs-test-sync.h"

/* End-to-end syncs: halo-sim over loopback HTTP, the real Halo source and
 * gda sink plugins, the engine, and SQLite or a real PostgreSQL. */

static const char * const synced_tables[] = {
  "agents", "teams", "clients", "tickets", "time_entries", NULL
};

static const char * const small_tenant[] = {
  "--seed", "7", "--agents", "6", "--clients", "8", "--tickets", "160", "--time-entries", "640",
  "--start", HS_TEST_FY_START, "--end", HS_TEST_FY_END, NULL
};

typedef struct
{
  HsTestSync *sync;
} Fixture;

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer user_data)
{
  HsSource *source;

  fixture->sync = hs_test_sync_new (GPOINTER_TO_INT (user_data), small_tenant);

  /* Retries in milliseconds, so a failing run fails quickly. */
  source = hs_engine_get_source (hs_test_sync_get_engine (fixture->sync), NULL);
  g_object_set (source, "retry-base-delay", 5, "retry-max-delay", 20, "max-attempts", 2, NULL);
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer user_data)
{
  g_clear_pointer (&fixture->sync, hs_test_sync_free);
}

static HsEngine *
engine_of (Fixture *fixture)
{
  return hs_test_sync_get_engine (fixture->sync);
}

static HsTestDb *
db_of (Fixture *fixture)
{
  return hs_test_sync_get_db (fixture->sync);
}

static gint64
query (Fixture    *fixture,
       const char *format,
       ...) G_GNUC_PRINTF (2, 3);

static gint64
query (Fixture    *fixture,
       const char *format,
       ...)
{
  g_autofree char *sql = NULL;
  va_list args;

  va_start (args, format);
  sql = g_strdup_vprintf (format, args);
  va_end (args);
  return hs_test_db_query_int (db_of (fixture), sql);
}

static void
control (Fixture    *fixture,
         const char *method,
         const char *path,
         const char *json)
{
  g_autoptr(JsonNode) ignored = hs_test_sync_control (fixture->sync, method, path, json);
}

static JsonObject *
truth (Fixture *fixture)
{
  g_autoptr(JsonNode) node = hs_test_sync_control (fixture->sync, "GET",
                                                  "/_sim/truth?start=" HS_TEST_FY_START "&end=2026-07-01",
                                                  NULL);

  return json_object_ref (json_node_get_object (node));
}

static char *
checksum (Fixture *fixture)
{
  return hs_test_db_checksum (db_of (fixture), synced_tables);
}

static HsRun *
sync_year (Fixture    *fixture,
           HsSyncMode  mode,
           HsSyncFlags flags)
{
  return hs_test_sync_run (engine_of (fixture), HS_TEST_FY, mode, flags);
}

static HsRun *
create_year (Fixture *fixture)
{
  HsRun *run = hs_test_sync_create_fiscal_year (engine_of (fixture), HS_TEST_FY,
                                                HS_TEST_FY_START, HS_TEST_FY_END);

  hs_test_sync_assert_succeeded (run);
  return run;
}

/* Creates @n tickets opened inside the window; the first id. */
static gint64
create_tickets (Fixture *fixture,
                guint    n)
{
  gint64 first = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"summary\": \"Test ticket %u\", \"dateoccurred\": \"2026-05-%02uT08:00:00\","
                                               " \"agent_id\": %u}", i, 1 + i % 28, 2 + i % 6);
      g_autoptr(JsonNode) ticket = hs_test_sync_control (fixture->sync, "POST", "/_sim/tickets", body);
      gint64 id = json_object_get_int_member (json_node_get_object (ticket), "id");

      if (i == 0)
        first = id;
      else
        g_assert_cmpint (id, ==, first + i);
    }
  return first;
}

static char *
format_utc (gint64 usec)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");
}

/* The database after a full run holds exactly what the simulator holds for
 * the window, with the agent mapping applied. */
static void
test_full_run (Fixture      *fixture,
               gconstpointer user_data)
{
  g_autoptr(HsRun) run = NULL;
  g_autoptr(JsonObject) expected = NULL;
  g_autoptr(GList) agent_ids = NULL;
  JsonObject *agents;
  GArray *unmapped;

  /* A mapping made before the first sync applies to it. */
  hs_test_sync_map_agent (engine_of (fixture), 2, "Jürgen Müller", "Service Desk");
  run = create_year (fixture);
  expected = truth (fixture);

  g_assert_cmpint (query (fixture, "SELECT count(*) FROM tickets WHERE deleted_at IS NULL"),
                   ==, json_object_get_int_member (expected, "tickets_touched"));
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM time_entries WHERE deleted_at IS NULL"),
                   ==, json_object_get_int_member (expected, "time_entries"));
  g_assert_cmpint (hs_run_get_count (run, HS_STREAM_TICKETS, HS_COUNTER_INSERTED),
                   ==, json_object_get_int_member (expected, "tickets_touched"));
  g_assert_cmpint (hs_run_get_count (run, HS_STREAM_AGENTS, HS_COUNTER_INSERTED), >=, 6);
  g_assert_cmpuint (hs_run_get_total (run, HS_COUNTER_UPDATED), ==, 0);
  g_assert_cmpuint (hs_run_get_total (run, HS_COUNTER_DELETED), ==, 0);
  g_assert_cmpuint (hs_run_get_n_warnings (run), ==, 0);
  g_assert_cmpint (hs_run_get_id (run), >, 0);

  /* Hours per agent, to the hundredth of an hour. */
  agents = json_object_get_object_member (expected, "agents");
  agent_ids = json_object_get_members (agents);
  g_assert_nonnull (agent_ids);
  for (GList *l = agent_ids; l != NULL; l = l->next)
    {
      JsonObject *agent = json_object_get_object_member (agents, l->data);
      gint64 hundredths = (gint64) (json_object_get_double_member (agent, "hours") * 100 + 0.5);

      g_assert_cmpint (query (fixture, "SELECT CAST(round(sum(hours) * 100) AS INTEGER) FROM time_entries "
                                       "WHERE agent_id = %s AND deleted_at IS NULL", (const char *) l->data),
                       ==, hundredths);
    }

  /* The mapping is on every row of agent 2, and on no other. */
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM tickets WHERE agent_id = 2"), >, 0);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM tickets WHERE agent_id = 2 AND member = 'Jürgen Müller'"),
                   ==, query (fixture, "SELECT count(*) FROM tickets WHERE agent_id = 2"));
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM time_entries WHERE agent_id = 2 AND member IS NULL"), ==, 0);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM tickets WHERE agent_id <> 2 AND member IS NOT NULL"), ==, 0);

  /* Everyone else who worked is kept, unmapped, and listed on the run. */
  unmapped = hs_run_get_unmapped_agents (run);
  g_assert_cmpuint (unmapped->len, >, 0);
  for (guint i = 0; i < unmapped->len; i++)
    g_assert_cmpint (g_array_index (unmapped, gint64, i), >, 2);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM time_entries WHERE member IS NULL"), >, 0);

  /* Rows carry their fiscal year; the ledger has the run. */
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM tickets WHERE fiscal_year = '" HS_TEST_FY "'"),
                   ==, json_object_get_int_member (expected, "tickets_touched"));
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM sync_runs WHERE status = 'succeeded' AND trigger = 'fiscal-year'"),
                   ==, 1);
}

/* Text arrives verbatim, quotes, SQL and emoji included. */
static void
test_values_verbatim (Fixture      *fixture,
                      gconstpointer user_data)
{
  g_autoptr(HsRun) first = create_year (fixture);
  g_autoptr(HsRun) run = NULL;
  g_autoptr(JsonNode) ticket = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body_node = NULL;
  g_autofree char *body = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *summary = NULL;
  const char *nasty = "Drucker „offline“ — x'); DROP TABLE tickets;-- 🖨 \"quoted\"";

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "summary");
  json_builder_add_string_value (builder, nasty);
  json_builder_set_member_name (builder, "dateoccurred");
  json_builder_add_string_value (builder, "2026-03-02T09:30:00");
  json_builder_end_object (builder);
  body_node = json_builder_get_root (builder);
  body = json_to_string (body_node, FALSE);

  ticket = hs_test_sync_control (fixture->sync, "POST", "/_sim/tickets", body);
  run = sync_year (fixture, HS_SYNC_INCREMENTAL, 0);
  hs_test_sync_assert_succeeded (run);
  g_assert_cmpuint (hs_run_get_count (run, HS_STREAM_TICKETS, HS_COUNTER_INSERTED), ==, 1);

  sql = g_strdup_printf ("SELECT summary FROM tickets WHERE id = %" G_GINT64_FORMAT,
                         json_object_get_int_member (json_node_get_object (ticket), "id"));
  summary = hs_test_db_query_string (db_of (fixture), sql);
  g_assert_cmpstr (summary, ==, nasty);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM tickets"), >, 1);
}

static void
test_second_run_changes_nothing (Fixture      *fixture,
                                 gconstpointer user_data)
{
  g_autoptr(HsRun) first = create_year (fixture);
  g_autofree char *before = checksum (fixture);
  g_autoptr(HsRun) full = NULL;
  g_autoptr(HsRun) incremental = NULL;
  g_autofree char *after_full = NULL;
  g_autofree char *after_incremental = NULL;

  full = sync_year (fixture, HS_SYNC_FULL, 0);
  hs_test_sync_assert_succeeded (full);
  after_full = checksum (fixture);
  g_assert_cmpstr (after_full, ==, before);
  g_assert_cmpuint (hs_run_get_total (full, HS_COUNTER_INSERTED), ==, 0);
  g_assert_cmpuint (hs_run_get_total (full, HS_COUNTER_UPDATED), ==, 0);
  g_assert_cmpuint (hs_run_get_total (full, HS_COUNTER_DELETED), ==, 0);
  g_assert_cmpuint (hs_run_get_total (full, HS_COUNTER_FETCHED), ==, hs_run_get_total (first, HS_COUNTER_FETCHED));

  incremental = sync_year (fixture, HS_SYNC_INCREMENTAL, 0);
  hs_test_sync_assert_succeeded (incremental);
  after_incremental = checksum (fixture);
  g_assert_cmpstr (after_incremental, ==, before);
  /* Nothing changed: at most one request per stream (the token is cached). */
  g_assert_cmpuint (hs_run_get_api_calls (incremental), <=, HS_N_STREAMS);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM sync_runs WHERE status = 'succeeded'"), ==, 3);
}

static void
test_incremental_changes (Fixture      *fixture,
                          gconstpointer user_data)
{
  g_autoptr(HsRun) first = create_year (fixture);
  g_autoptr(HsRun) picked_up = NULL;
  g_autoptr(HsRun) run = NULL;
  g_autoptr(HsRun) after_delete = NULL;
  g_autoptr(HsRun) full = NULL;
  g_autofree char *backdated = NULL;
  g_autofree char *stamp = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  gint64 first_id, cursor, live_before;

  /* Sixty new tickets reach the database through an incremental run. */
  first_id = create_tickets (fixture, 60);
  picked_up = sync_year (fixture, HS_SYNC_INCREMENTAL, 0);
  hs_test_sync_assert_succeeded (picked_up);
  g_assert_cmpuint (hs_run_get_count (picked_up, HS_STREAM_TICKETS, HS_COUNTER_INSERTED), ==, 60);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM tickets WHERE id >= %" G_GINT64_FORMAT, first_id), ==, 60);
  cursor = hs_run_get_cursor_after (picked_up, HS_STREAM_TICKETS);
  if (cursor == 0)
    cursor = hs_run_get_cursor_before (picked_up, HS_STREAM_TICKETS);
  g_assert_cmpint (cursor, >, 0);

  /* A plain update; an update backdated inside the look-back; fifty
   * tickets stamped with one identical time; time logged on a ticket. */
  path = g_strdup_printf ("/_sim/tickets/%" G_GINT64_FORMAT, first_id);
  control (fixture, "POST", path, "{\"summary\": \"Renamed\"}");

  backdated = format_utc (cursor - (gint64) 30 * 60 * G_USEC_PER_SEC);
  body = g_strdup_printf ("{\"summary\": \"Backdated\", \"last_update\": \"%s\"}", backdated);
  g_free (path);
  path = g_strdup_printf ("/_sim/tickets/%" G_GINT64_FORMAT, first_id + 1);
  control (fixture, "POST", path, body);

  stamp = format_utc (cursor - (gint64) 5 * 60 * G_USEC_PER_SEC);
  g_free (body);
  body = g_strdup_printf ("{\"first_id\": %" G_GINT64_FORMAT ", \"last_id\": %" G_GINT64_FORMAT ", \"last_update\": \"%s\"}",
                          first_id + 10, first_id + 59, stamp);
  control (fixture, "POST", "/_sim/tickets/touch", body);

  g_free (path);
  path = g_strdup_printf ("/_sim/tickets/%" G_GINT64_FORMAT "/actions", first_id + 2);
  control (fixture, "POST", path, "{\"timetaken\": 1.5, \"datetime\": \"2026-06-29T15:00:00\", \"who_agentid\": 5,"
                                  " \"actisbillable\": true, \"outcome\": \"Remote Session\"}");

  run = sync_year (fixture, HS_SYNC_INCREMENTAL, 0);
  hs_test_sync_assert_succeeded (run);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM tickets WHERE id = %" G_GINT64_FORMAT " AND summary = 'Renamed'",
                          first_id), ==, 1);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM tickets WHERE id = %" G_GINT64_FORMAT " AND summary = 'Backdated'",
                          first_id + 1), ==, 1);
  /* The fifty share one stored last_update now. */
  g_assert_cmpint (query (fixture, "SELECT count(DISTINCT last_update) FROM tickets WHERE id BETWEEN %" G_GINT64_FORMAT
                                   " AND %" G_GINT64_FORMAT, first_id + 10, first_id + 59), ==, 1);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM time_entries WHERE ticket_id = %" G_GINT64_FORMAT
                                   " AND agent_id = 5 AND CAST(round(hours * 100) AS INTEGER) = 150", first_id + 2), ==, 1);
  g_assert_cmpuint (hs_run_get_count (run, HS_STREAM_TICKETS, HS_COUNTER_UPDATED), >=, 52);
  g_assert_cmpuint (hs_run_get_count (run, HS_STREAM_TIME_ENTRIES, HS_COUNTER_INSERTED), ==, 1);

  /* A deletion is not seen by incremental runs, only by the next full run,
   * which marks the row deleted rather than removing it. */
  g_free (path);
  path = g_strdup_printf ("/_sim/tickets/%" G_GINT64_FORMAT, first_id + 3);
  control (fixture, "DELETE", path, NULL);
  live_before = query (fixture, "SELECT count(*) FROM tickets WHERE deleted_at IS NULL");
  after_delete = sync_year (fixture, HS_SYNC_INCREMENTAL, 0);
  hs_test_sync_assert_succeeded (after_delete);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM tickets WHERE deleted_at IS NULL"), ==, live_before);

  full = sync_year (fixture, HS_SYNC_FULL, 0);
  hs_test_sync_assert_succeeded (full);
  g_assert_cmpuint (hs_run_get_count (full, HS_STREAM_TICKETS, HS_COUNTER_DELETED), ==, 1);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM tickets WHERE deleted_at IS NULL"), ==, live_before - 1);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM tickets WHERE id = %" G_GINT64_FORMAT
                                   " AND deleted_at IS NOT NULL", first_id + 3), ==, 1);
  g_assert_cmpuint (hs_run_get_n_warnings (full), ==, 0);
}

/* A run that fails half-way leaves every table as it was; the next run
 * converges. */
static void
test_failure_rolls_back (Fixture      *fixture,
                         gconstpointer user_data)
{
  g_autoptr(HsRun) first = create_year (fixture);
  g_autoptr(HsRun) failed = NULL;
  g_autoptr(HsRun) recovered = NULL;
  g_autofree char *before = checksum (fixture);
  g_autofree char *after = NULL;
  gint64 first_id;

  first_id = create_tickets (fixture, 5);

  /* Tickets are read and written; time entries then keep failing. */
  control (fixture, "POST", "/_sim/faults",
           "{\"faults\": [{\"kind\": \"status\", \"status\": 503, \"path\": \"/api/timesheetevent*\", \"count\": 0}]}");
  failed = sync_year (fixture, HS_SYNC_FULL, 0);
  g_assert_cmpint (hs_run_get_status (failed), ==, HS_RUN_FAILED);
  g_assert_nonnull (strstr (hs_run_get_error_message (failed), "503"));
  /* It failed after reading (and writing) the tickets. */
  g_assert_cmpuint (hs_run_get_count (failed, HS_STREAM_TICKETS, HS_COUNTER_FETCHED), >=, 165);

  after = checksum (fixture);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM tickets WHERE id >= %" G_GINT64_FORMAT, first_id), ==, 0);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM sync_runs WHERE status = 'failed'"), ==, 1);
  {
    g_autofree char *message = hs_test_db_query_string (db_of (fixture),
                                                        "SELECT error FROM sync_runs WHERE status = 'failed'");
    g_assert_nonnull (strstr (message, "503"));
  }

  control (fixture, "DELETE", "/_sim/faults", NULL);
  recovered = sync_year (fixture, HS_SYNC_INCREMENTAL, 0);
  hs_test_sync_assert_succeeded (recovered);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM tickets WHERE id >= %" G_GINT64_FORMAT, first_id), ==, 5);
}

/* The database is reachable but refuses the run's first write (a
 * pooler that breaks the first statements of a connection did): the
 * failed run is in the history all the same. */
static void
test_refused_start_recorded (Fixture      *fixture,
                             gconstpointer user_data)
{
  g_autoptr(HsRun) first = create_year (fixture);
  g_autoptr(HsRun) refused = NULL;
  g_autoptr(HsRun) recovered = NULL;
  g_autofree char *error = NULL;

  hs_test_sync_assert_succeeded (first);
  if (hs_test_db_get_kind (db_of (fixture)) == HS_TEST_DB_SQLITE)
    hs_test_db_exec (db_of (fixture),
                     "CREATE TRIGGER refuse_start BEFORE INSERT ON sync_runs WHEN NEW.status = 'running'"
                     " BEGIN SELECT RAISE(ABORT, 'new runs refused'); END");
  else
    hs_test_db_exec (db_of (fixture),
                     "ALTER TABLE sync_runs ADD CONSTRAINT refuse_start CHECK (status <> 'running') NOT VALID");

  refused = sync_year (fixture, HS_SYNC_INCREMENTAL, 0);
  g_assert_cmpint (hs_run_get_status (refused), ==, HS_RUN_FAILED);
  g_assert_cmpint (hs_run_get_id (refused), >, hs_run_get_id (first));
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM sync_runs WHERE status = 'failed' AND id = %" G_GINT64_FORMAT,
                          hs_run_get_id (refused)), ==, 1);
  error = hs_test_db_query_string (db_of (fixture), "SELECT error FROM sync_runs WHERE status = 'failed'");
  g_assert_cmpstr (error, ==, hs_run_get_error_message (refused));

  if (hs_test_db_get_kind (db_of (fixture)) == HS_TEST_DB_SQLITE)
    hs_test_db_exec (db_of (fixture), "DROP TRIGGER refuse_start");
  else
    hs_test_db_exec (db_of (fixture), "ALTER TABLE sync_runs DROP CONSTRAINT refuse_start");
  recovered = sync_year (fixture, HS_SYNC_INCREMENTAL, 0);
  hs_test_sync_assert_succeeded (recovered);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM sync_runs"), ==, 3);
}

static void
count_started_cb (HsEngine *engine,
                  HsRun    *run,
                  guint    *started)
{
  (*started)++;
}

/* Two requests for one year make one run. */
static void
test_single_flight (Fixture      *fixture,
                    gconstpointer user_data)
{
  g_autoptr(HsRun) first = create_year (fixture);
  g_autoptr(GAsyncResult) result_a = NULL;
  g_autoptr(GAsyncResult) result_b = NULL;
  g_autoptr(HsRun) run_a = NULL;
  g_autoptr(HsRun) run_b = NULL;
  g_autoptr(GError) error = NULL;
  gint64 runs_before = query (fixture, "SELECT count(*) FROM sync_runs");
  guint started = 0;

  g_signal_connect (engine_of (fixture), "run-started", G_CALLBACK (count_started_cb), &started);
  hs_engine_sync_async (engine_of (fixture), HS_TEST_FY, HS_SYNC_FULL, 0, HS_TRIGGER_MANUAL, NULL,
                        hs_test_store_result_cb, &result_a);
  hs_engine_sync_async (engine_of (fixture), NULL, HS_SYNC_INCREMENTAL, 0, HS_TRIGGER_DBUS, NULL,
                        hs_test_store_result_cb, &result_b);
  hs_test_wait_for_result (&result_a);
  hs_test_wait_for_result (&result_b);

  run_a = hs_engine_sync_finish (engine_of (fixture), result_a, &error);
  g_assert_no_error (error);
  run_b = hs_engine_sync_finish (engine_of (fixture), result_b, &error);
  g_assert_no_error (error);
  g_assert_true (run_a == run_b);
  hs_test_sync_assert_succeeded (run_a);
  g_assert_cmpint (hs_run_get_mode (run_a), ==, HS_SYNC_FULL);
  g_assert_cmpuint (started, ==, 1);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM sync_runs"), ==, runs_before + 1);
  g_signal_handlers_disconnect_by_data (engine_of (fixture), &started);
}

static void
cancel_on_first_write_cb (HsEngine *engine,
                          HsRun    *run,
                          gpointer  user_data)
{
  if (hs_run_get_total (run, HS_COUNTER_WRITTEN) > 0 && !hs_run_is_finished (run))
    hs_engine_cancel (engine, hs_run_get_fiscal_year (run));
}

/* Cancelling mid-run keeps nothing of it. */
static void
test_cancel (Fixture      *fixture,
             gconstpointer user_data)
{
  g_autoptr(HsRun) first = create_year (fixture);
  g_autoptr(HsRun) cancelled = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  create_tickets (fixture, 5);
  before = checksum (fixture);
  /* Slow answers give the cancel time to land in the middle. */
  control (fixture, "POST", "/_sim/faults", "{\"faults\": [{\"kind\": \"latency\", \"ms\": 30, \"count\": 0}]}");

  g_signal_connect (engine_of (fixture), "run-progress", G_CALLBACK (cancel_on_first_write_cb), NULL);
  cancelled = sync_year (fixture, HS_SYNC_FULL, 0);
  g_signal_handlers_disconnect_by_func (engine_of (fixture), cancel_on_first_write_cb, NULL);

  g_assert_cmpint (hs_run_get_status (cancelled), ==, HS_RUN_CANCELLED);
  g_assert_cmpuint (hs_run_get_total (cancelled, HS_COUNTER_WRITTEN), >, 0);
  after = checksum (fixture);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM sync_runs WHERE status = 'cancelled'"), ==, 1);
  g_assert_null (hs_engine_find_run (engine_of (fixture), HS_TEST_FY));
}

/* A dry run reports what it would change and changes nothing. */
static void
test_dry_run (Fixture      *fixture,
              gconstpointer user_data)
{
  g_autoptr(HsRun) first = create_year (fixture);
  g_autoptr(HsRun) synced = NULL;
  g_autoptr(HsRun) dry = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *path = NULL;
  gint64 first_id;

  first_id = create_tickets (fixture, 2);
  synced = sync_year (fixture, HS_SYNC_INCREMENTAL, 0);
  hs_test_sync_assert_succeeded (synced);

  /* Two tickets to insert, one to update. */
  create_tickets (fixture, 2);
  path = g_strdup_printf ("/_sim/tickets/%" G_GINT64_FORMAT, first_id);
  control (fixture, "POST", path, "{\"summary\": \"Changed for the dry run\"}");
  before = checksum (fixture);

  dry = sync_year (fixture, HS_SYNC_FULL, HS_SYNC_FLAGS_DRY_RUN);
  hs_test_sync_assert_succeeded (dry);
  g_assert_true (hs_run_get_dry_run (dry));
  g_assert_cmpuint (hs_run_get_count (dry, HS_STREAM_TICKETS, HS_COUNTER_INSERTED), ==, 2);
  g_assert_cmpuint (hs_run_get_count (dry, HS_STREAM_TICKETS, HS_COUNTER_UPDATED), ==, 1);

  after = checksum (fixture);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM sync_runs WHERE dry_run"), ==, 1);
}

/* Halo "losing" a fifth of the year is refused and reported, not applied,
 * unless the run allows a mass delete.  Deletions are looked for among the
 * tickets opened in the window, which a full run reads in every case. */
static void
test_mass_delete_guard (Fixture      *fixture,
                        gconstpointer user_data)
{
  g_autoptr(HsRun) first = create_year (fixture);
  g_autoptr(HsRun) synced = NULL;
  g_autoptr(HsRun) refused = NULL;
  g_autoptr(HsRun) allowed = NULL;
  gint64 n = query (fixture, "SELECT count(*) FROM tickets") / 4 + 1;
  gint64 first_id, live;
  const char * const *warnings;
  gboolean mentioned = FALSE, drift = FALSE;

  first_id = create_tickets (fixture, (guint) n);
  synced = sync_year (fixture, HS_SYNC_INCREMENTAL, 0);
  hs_test_sync_assert_succeeded (synced);
  live = query (fixture, "SELECT count(*) FROM tickets WHERE deleted_at IS NULL");

  for (gint64 id = first_id; id < first_id + n; id++)
    {
      g_autofree char *path = g_strdup_printf ("/_sim/tickets/%" G_GINT64_FORMAT, id);
      control (fixture, "DELETE", path, NULL);
    }

  refused = sync_year (fixture, HS_SYNC_FULL, 0);
  hs_test_sync_assert_succeeded (refused);
  g_assert_cmpuint (hs_run_get_count (refused, HS_STREAM_TICKETS, HS_COUNTER_DELETED), ==, 0);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM tickets WHERE deleted_at IS NULL"), ==, live);
  warnings = hs_run_get_warnings (refused);
  for (guint i = 0; warnings[i] != NULL; i++)
    {
      mentioned |= strstr (warnings[i], "Not marking") != NULL && strstr (warnings[i], "tickets") != NULL;
      drift |= strstr (warnings[i], "Drift") != NULL;
    }
  g_assert_true (mentioned);
  /* The database now holds more than Halo reports: that is drift. */
  g_assert_true (drift);

  allowed = sync_year (fixture, HS_SYNC_FULL, HS_SYNC_FLAGS_ALLOW_MASS_DELETE);
  hs_test_sync_assert_succeeded (allowed);
  g_assert_cmpint (hs_run_get_count (allowed, HS_STREAM_TICKETS, HS_COUNTER_DELETED), ==, n);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM tickets WHERE deleted_at IS NULL"), ==, live - n);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM tickets WHERE deleted_at IS NOT NULL AND id >= %" G_GINT64_FORMAT,
                          first_id), ==, n);
  /* Marked, never removed; and the drift is gone. */
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM tickets"), ==, live);
  warnings = hs_run_get_warnings (allowed);
  for (guint i = 0; warnings[i] != NULL; i++)
    g_assert_null (strstr (warnings[i], "Drift"));
}

/* Creates a ticket opened before the window and last updated inside it,
 * so only Halo's last-update query puts it in the year; its id. */
static gint64
create_ticket_updated_in_year (Fixture *fixture)
{
  g_autoptr(JsonNode) ticket =
    hs_test_sync_control (fixture->sync, "POST", "/_sim/tickets",
                          "{\"summary\": \"Opened before the year\", \"dateoccurred\": \"2025-03-10T09:00:00\","
                          " \"last_update\": \"2026-03-10T09:00:00\", \"agent_id\": 3}");

  return json_object_get_int_member (json_node_get_object (ticket), "id");
}

/* Answers @sql in an empty database after a fresh full sync: what every
 * kind of run must converge to. */
static gint64
query_fresh_sync (Fixture    *fixture,
                  const char *sql)
{
  g_autoptr(HsTestDb) empty = hs_test_db_new (hs_test_db_get_kind (db_of (fixture)));
  g_autoptr(HsEngine) fresh = hs_test_sync_new_engine (fixture->sync, empty);
  g_autoptr(HsRun) run = hs_test_sync_create_fiscal_year (fresh, HS_TEST_FY, HS_TEST_FY_START, HS_TEST_FY_END);

  hs_test_sync_assert_succeeded (run);
  return hs_test_db_query_int (empty, sql);
}

/* Whether a fresh full sync into an empty database stores ticket @id live. */
static gboolean
fresh_sync_stores (Fixture *fixture,
                   gint64   id)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM tickets WHERE id = %" G_GINT64_FORMAT
                                          " AND deleted_at IS NULL", id);

  return query_fresh_sync (fixture, sql) == 1;
}

/* The year is over (the window ends before today).  Updated again in
 * Halo, a ticket that only its last update put in the year leaves it: a
 * full run takes it out, as a fresh full sync never stores it, whatever
 * its opened_at says. */
static void
test_ticket_leaves_year (Fixture      *fixture,
                         gconstpointer user_data)
{
  g_autoptr(HsRun) first = NULL;
  g_autoptr(HsRun) incremental = NULL;
  g_autoptr(HsRun) full = NULL;
  g_autofree char *path = NULL;
  gint64 id = create_ticket_updated_in_year (fixture);

  first = create_year (fixture);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM tickets WHERE id = %" G_GINT64_FORMAT
                                   " AND deleted_at IS NULL", id), ==, 1);

  path = g_strdup_printf ("/_sim/tickets/%" G_GINT64_FORMAT, id);
  control (fixture, "POST", path, "{\"summary\": \"Worked on after the year\"}");
  g_assert_false (fresh_sync_stores (fixture, id));

  /* An incremental run of a past year cannot see it go... */
  incremental = sync_year (fixture, HS_SYNC_INCREMENTAL, 0);
  hs_test_sync_assert_succeeded (incremental);
  /* ...a full run does. */
  full = sync_year (fixture, HS_SYNC_FULL, 0);
  hs_test_sync_assert_succeeded (full);
  g_assert_cmpuint (hs_run_get_count (full, HS_STREAM_TICKETS, HS_COUNTER_DELETED), ==, 1);
  /* It was never one of the tickets opened in the window: no drift. */
  g_assert_cmpuint (hs_run_get_n_warnings (full), ==, 0);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM tickets WHERE id = %" G_GINT64_FORMAT
                                   " AND deleted_at IS NULL", id), ==, 0);
  /* Taken out of the year, not forgotten. */
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM tickets WHERE id = %" G_GINT64_FORMAT, id), ==, 1);
}

/* A ticket opened before the window and deleted in Halo is marked deleted
 * by a full run like any other of the year's tickets. */
static void
test_deleted_ticket_opened_before_year (Fixture      *fixture,
                                        gconstpointer user_data)
{
  g_autoptr(HsRun) first = NULL;
  g_autoptr(HsRun) full = NULL;
  g_autofree char *path = NULL;
  gint64 id = create_ticket_updated_in_year (fixture);

  first = create_year (fixture);
  path = g_strdup_printf ("/_sim/tickets/%" G_GINT64_FORMAT, id);
  control (fixture, "DELETE", path, NULL);

  full = sync_year (fixture, HS_SYNC_FULL, HS_SYNC_FLAGS_ALLOW_MASS_DELETE);
  hs_test_sync_assert_succeeded (full);
  g_assert_cmpuint (hs_run_get_count (full, HS_STREAM_TICKETS, HS_COUNTER_DELETED), ==, 1);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM tickets WHERE id = %" G_GINT64_FORMAT
                                   " AND deleted_at IS NOT NULL", id), ==, 1);
}

/* An agent's time on an action with a system outcome (a status change)
 * is on the agent's timesheet: the full run stores it, and so must an
 * incremental run, or the next full run would have to add it. */
static void
test_time_on_system_outcome (Fixture      *fixture,
                             gconstpointer user_data)
{
  g_autoptr(HsRun) first = create_year (fixture);
  g_autoptr(HsRun) incremental = NULL;
  g_autoptr(HsRun) full = NULL;
  g_autofree char *path = NULL;
  g_autofree char *sql = NULL;
  gint64 id = create_tickets (fixture, 1);

  path = g_strdup_printf ("/_sim/tickets/%" G_GINT64_FORMAT "/actions", id);
  control (fixture, "POST", path, "{\"timetaken\": 2.0, \"datetime\": \"2026-05-10T10:00:00\","
                                  " \"who_agentid\": 4, \"outcome_id\": 7}");
  sql = g_strdup_printf ("SELECT count(*) FROM time_entries WHERE ticket_id = %" G_GINT64_FORMAT
                         " AND agent_id = 4 AND CAST(round(hours * 100) AS INTEGER) = 200"
                         " AND deleted_at IS NULL", id);
  g_assert_cmpint (query_fresh_sync (fixture, sql), ==, 1);

  incremental = sync_year (fixture, HS_SYNC_INCREMENTAL, 0);
  hs_test_sync_assert_succeeded (incremental);
  g_assert_cmpint (hs_test_db_query_int (db_of (fixture), sql), ==, 1);

  full = sync_year (fixture, HS_SYNC_FULL, 0);
  hs_test_sync_assert_succeeded (full);
  g_assert_cmpint (hs_test_db_query_int (db_of (fixture), sql), ==, 1);
  g_assert_cmpuint (hs_run_get_count (full, HS_STREAM_TIME_ENTRIES, HS_COUNTER_INSERTED), ==, 0);
  g_assert_cmpuint (hs_run_get_count (full, HS_STREAM_TIME_ENTRIES, HS_COUNTER_UPDATED), ==, 0);
}

/* How many agents the year's rows name with no member, by the database. */
static gint64
count_unmapped_in_database (Fixture *fixture)
{
  return query (fixture, "SELECT count(*) FROM (SELECT agent_id FROM time_entries"
                         " WHERE fiscal_year = '" HS_TEST_FY "' AND deleted_at IS NULL"
                         " AND member IS NULL AND agent_id > 1"
                         " UNION SELECT agent_id FROM tickets"
                         " WHERE fiscal_year = '" HS_TEST_FY "' AND deleted_at IS NULL"
                         " AND member IS NULL AND agent_id > 1) AS a");
}

/* Every run lists the agents whose work the year attributes to nobody,
 * whether or not it touched their rows: an hourly run that changed
 * nothing listed none, so the ledger said all was mapped. */
static void
test_unmapped_agents_stay_reported (Fixture      *fixture,
                                    gconstpointer user_data)
{
  g_autoptr(HsRun) first = create_year (fixture);
  g_autoptr(HsRun) unchanged = NULL;
  g_autoptr(HsRun) after_mapping = NULL;
  GArray *before, *now;
  gint64 mapped;

  before = hs_run_get_unmapped_agents (first);
  g_assert_cmpuint (before->len, >, 1);
  g_assert_cmpint (before->len, ==, count_unmapped_in_database (fixture));

  unchanged = sync_year (fixture, HS_SYNC_INCREMENTAL, 0);
  hs_test_sync_assert_succeeded (unchanged);
  g_assert_cmpuint (hs_run_get_total (unchanged, HS_COUNTER_INSERTED) +
                    hs_run_get_total (unchanged, HS_COUNTER_UPDATED), ==, 0);
  now = hs_run_get_unmapped_agents (unchanged);
  g_assert_cmpmem (now->data, now->len * sizeof (gint64), before->data, before->len * sizeof (gint64));

  /* Mapping one moves its rows to a member; the next run lists the rest. */
  mapped = g_array_index (before, gint64, 0);
  hs_test_sync_map_agent (engine_of (fixture), mapped, "Jürgen Müller", "Service Desk");
  after_mapping = sync_year (fixture, HS_SYNC_INCREMENTAL, 0);
  hs_test_sync_assert_succeeded (after_mapping);
  now = hs_run_get_unmapped_agents (after_mapping);
  g_assert_cmpuint (now->len, ==, before->len - 1);
  g_assert_cmpmem (now->data, now->len * sizeof (gint64),
                   &g_array_index (before, gint64, 1), (before->len - 1) * sizeof (gint64));
  g_assert_cmpint (now->len, ==, count_unmapped_in_database (fixture));
}

typedef struct
{
  guint retrying;       /* progress reports in the retrying stage */
  char *reason;         /* (owned) (nullable): the first one's */
  guint attempt;
  guint max_attempts;
  gint64 retry_at;
  gint64 reported_at;
  gboolean fetching_after;
} RetrySeen;

static void
retry_progress_cb (HsEngine  *engine,
                   HsRun     *run,
                   RetrySeen *seen)
{
  if (hs_run_get_stage (run) == HS_RUN_STAGE_RETRYING)
    {
      if (seen->retrying++ > 0)
        return;
      seen->reason = g_strdup (hs_run_get_retry_reason (run));
      seen->attempt = hs_run_get_retry_attempt (run);
      seen->max_attempts = hs_run_get_retry_max_attempts (run);
      seen->retry_at = hs_run_get_retry_at (run);
      seen->reported_at = g_get_real_time ();
    }
  else if (seen->retrying > 0 && hs_run_get_stage (run) == HS_RUN_STAGE_FETCHING)
    seen->fetching_after = hs_run_get_retry_reason (run) == NULL;
}

/* A request Halo answers with a 503 is tried again, and the run says so
 * while it waits (what failed, which attempt comes, when), then fetches
 * on and succeeds with nothing of the wait left on it. */
static void
test_retry_is_a_stage (Fixture      *fixture,
                       gconstpointer user_data)
{
  g_autoptr(HsRun) first = create_year (fixture);
  g_autoptr(HsRun) run = NULL;
  RetrySeen seen = { 0 };

  control (fixture, "POST", "/_sim/faults",
           "{\"faults\": [{\"kind\": \"status\", \"status\": 503, \"path\": \"/api/tickets*\", \"count\": 1}]}");
  g_signal_connect (engine_of (fixture), "run-progress", G_CALLBACK (retry_progress_cb), &seen);
  run = sync_year (fixture, HS_SYNC_INCREMENTAL, 0);
  g_signal_handlers_disconnect_by_data (engine_of (fixture), &seen);
  control (fixture, "DELETE", "/_sim/faults", NULL);

  hs_test_sync_assert_succeeded (run);
  g_assert_cmpuint (seen.retrying, >=, 1);
  g_assert_cmpstr (seen.reason, ==, "Halo answered 503");
  g_assert_cmpuint (seen.attempt, ==, 2);
  g_assert_cmpuint (seen.max_attempts, ==, 2);
  /* The fixture's retries wait at most 20 ms. */
  g_assert_cmpint (seen.retry_at, >=, seen.reported_at - G_USEC_PER_SEC);
  g_assert_cmpint (seen.retry_at, <=, seen.reported_at + G_USEC_PER_SEC);
  g_assert_true (seen.fetching_after);
  g_assert_null (hs_run_get_retry_reason (run));
  g_assert_cmpint (hs_run_get_stage (run), ==, HS_RUN_STAGE_DONE);
  g_free (seen.reason);
}

typedef struct
{
  guint with_fraction;  /* reports on tickets with a total not yet reached */
  gboolean overrun;     /* a report fetched more than it expected */
} ProgressSeen;

static void
fraction_progress_cb (HsEngine     *engine,
                      HsRun        *run,
                      ProgressSeen *seen)
{
  for (HsStream s = 0; s < HS_N_STREAMS; s++)
    {
      gint64 expected = hs_run_get_expected (run, s);

      if (expected >= 0 && hs_run_get_count (run, s, HS_COUNTER_FETCHED) > (guint64) expected)
        seen->overrun = TRUE;
    }
  if (hs_run_get_stream (run) == HS_STREAM_TICKETS &&
      hs_run_get_count (run, HS_STREAM_TICKETS, HS_COUNTER_FETCHED) <
      (guint64) hs_run_get_expected (run, HS_STREAM_TICKETS))
    seen->with_fraction++;
}

/* Halo's totals for its paged lists give a run a real fraction of the
 * work while it fetches them; TimesheetEvent gives none, so none is
 * claimed for time entries. */
static void
test_progress_has_a_fraction (Fixture      *fixture,
                              gconstpointer user_data)
{
  g_autoptr(HsRun) first = create_year (fixture);
  g_autoptr(HsRun) run = NULL;
  g_autoptr(HsRun) copy = NULL;
  g_autoptr(GVariant) variant = NULL;
  ProgressSeen seen = { 0 };

  g_signal_connect (engine_of (fixture), "run-progress", G_CALLBACK (fraction_progress_cb), &seen);
  run = sync_year (fixture, HS_SYNC_FULL, 0);
  g_signal_handlers_disconnect_by_data (engine_of (fixture), &seen);

  hs_test_sync_assert_succeeded (run);
  g_assert_false (seen.overrun);
  g_assert_cmpuint (seen.with_fraction, >, 0);
  g_assert_cmpint (hs_run_get_expected (run, HS_STREAM_TICKETS), ==,
                   hs_run_get_count (run, HS_STREAM_TICKETS, HS_COUNTER_FETCHED));
  g_assert_cmpint (hs_run_get_expected (run, HS_STREAM_CLIENTS), ==,
                   hs_run_get_count (run, HS_STREAM_CLIENTS, HS_COUNTER_FETCHED));
  g_assert_cmpint (hs_run_get_expected (run, HS_STREAM_TIME_ENTRIES), ==, -1);

  /* It reaches the app with the run. */
  variant = g_variant_ref_sink (hs_run_to_variant (run));
  copy = hs_run_new_from_variant (variant, NULL);
  g_assert_cmpint (hs_run_get_expected (copy, HS_STREAM_TICKETS), ==,
                   hs_run_get_expected (run, HS_STREAM_TICKETS));
  g_assert_cmpint (hs_run_get_expected (copy, HS_STREAM_TIME_ENTRIES), ==, -1);
}

/* What a client of the transaction pooler finds as its search_path, in
 * turn on each of the pool's server connections (there are three). */
static void
assert_pool_search_path_untouched (Fixture *fixture)
{
  const char *port = g_getenv ("HS_TEST_POOLER_PORT");
  g_autoptr(GSubprocess) psql = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) lines = NULL;

  if (port == NULL)
    return;

  psql = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "psql", "-h", "127.0.0.1", "-p", port, "-d",
                           hs_test_db_get_name (db_of (fixture)), "-X", "-A", "-t",
                           "-c", "SHOW search_path", "-c", "SHOW search_path", "-c", "SHOW search_path",
                           "-c", "SHOW search_path", "-c", "SHOW search_path", "-c", "SHOW search_path", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (psql, NULL, NULL, &output, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (psql) && g_subprocess_get_exit_status (psql) == 0);
  lines = g_strsplit (g_strstrip (output), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_cmpstr (lines[i], ==, "\"$user\", public");
}

/* With ?schema=, every table is made, written and read in that schema
 * and none in public, where another program's table of the same name is
 * left as it was; behind a pooler, no other client's session sees the
 * schema. */
static void
test_own_schema (Fixture      *fixture,
                 gconstpointer user_data)
{
  const char *uri = hs_test_db_get_uri (db_of (fixture));
  g_autofree char *schema_uri = g_strconcat (uri, strchr (uri, '?') != NULL ? "&" : "?", "schema=halosync", NULL);
  g_autoptr(HsEngine) engine = NULL;
  g_autoptr(HsRun) created = NULL;
  g_autoptr(HsRun) incremental = NULL;
  g_autoptr(JsonObject) expected = truth (fixture);

  hs_test_db_exec (db_of (fixture), "CREATE TABLE public.tickets (id integer, note text)");
  hs_test_db_exec (db_of (fixture), "INSERT INTO public.tickets VALUES (1, 'not HaloSync''s')");

  engine = hs_test_sync_new_engine_for_uri (fixture->sync, schema_uri);
  created = hs_test_sync_create_fiscal_year (engine, HS_TEST_FY, HS_TEST_FY_START, HS_TEST_FY_END);
  hs_test_sync_assert_succeeded (created);
  incremental = hs_test_sync_run (engine, HS_TEST_FY, HS_SYNC_INCREMENTAL, 0);
  hs_test_sync_assert_succeeded (incremental);
  g_assert_cmpuint (hs_run_get_total (incremental, HS_COUNTER_INSERTED), ==, 0);

  g_assert_cmpint (query (fixture, "SELECT count(*) FROM halosync.tickets WHERE deleted_at IS NULL"),
                   ==, json_object_get_int_member (expected, "tickets_touched"));
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM halosync.time_entries WHERE deleted_at IS NULL"),
                   ==, json_object_get_int_member (expected, "time_entries"));
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM halosync.sync_runs WHERE status = 'succeeded'"), ==, 2);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM halosync.member_month_summary"), >, 0);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), ==, 1);
  g_assert_cmpint (query (fixture, "SELECT count(*) FROM public.tickets WHERE note = 'not HaloSync''s'"), ==, 1);
  assert_pool_search_path_untouched (fixture);
}

static void
add_tests (HsTestDbKind kind)
{
  const char *name = hs_test_db_kind_to_string (kind);
  gconstpointer data = GINT_TO_POINTER (kind);

#define ADD(path, func) \
  G_STMT_START { \
    g_autofree char *full_path = g_strdup_printf ("/e2e/%s/%s", name, path); \
    g_test_add (full_path, Fixture, data, fixture_set_up, func, fixture_tear_down); \
  } G_STMT_END

  ADD ("full-run", test_full_run);
  ADD ("values-verbatim", test_values_verbatim);
  ADD ("second-run-changes-nothing", test_second_run_changes_nothing);
  ADD ("incremental-changes", test_incremental_changes);
  ADD ("failure-rolls-back", test_failure_rolls_back);
  ADD ("refused-start-recorded", test_refused_start_recorded);
  ADD ("single-flight", test_single_flight);
  ADD ("cancel", test_cancel);
  ADD ("dry-run", test_dry_run);
  ADD ("mass-delete-guard", test_mass_delete_guard);
  ADD ("ticket-leaves-year", test_ticket_leaves_year);
  ADD ("deleted-ticket-opened-before-year", test_deleted_ticket_opened_before_year);
  ADD ("time-on-system-outcome", test_time_on_system_outcome);
  ADD ("unmapped-agents-stay-reported", test_unmapped_agents_stay_reported);
  ADD ("retry-is-a-stage", test_retry_is_a_stage);
  ADD ("progress-has-a-fraction", test_progress_has_a_fraction);
  if (kind == HS_TEST_DB_POSTGRESQL)
    ADD ("own-schema", test_own_schema);

#undef ADD
}

int
main (int    argc,
      char **argv)
{
  hs_test_init (&argc, &argv);

  add_tests (HS_TEST_DB_SQLITE);
  add_tests (HS_TEST_DB_POSTGRESQL);

  return g_test_run ();
}
