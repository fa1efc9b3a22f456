/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-gda-fixture.h"

/* The rest of a run's life: sweeping for deleted records, dry runs,
 * cursors, the run lock, and a connection lost
 * half-way; on SQLite and PostgreSQL alike. */

static void
sweep (HsGdaFixture *fixture,
       HsRun    *run,
       HsStream  stream,
       gboolean  apply,
       guint64   expect_window,
       guint64   expect_missing)
{
  g_autoptr(GError) error = NULL;
  guint64 n_window = G_MAXUINT64, n_missing = G_MAXUINT64;

  g_assert_true (hs_gda_test_sweep (fixture->sink, run, stream, apply, &n_window, &n_missing, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_window, ==, expect_window);
  g_assert_cmpuint (n_missing, ==, expect_missing);
}

static HsRecordBatch *
window_tickets (const gint64 *ids,
                guint         n)
{
  HsRecordBatch *batch = hs_record_batch_new (HS_STREAM_TICKETS);

  for (guint i = 0; i < n; i++)
    hs_gda_test_add_ticket (batch, ids[i], "Sweep", 2,
                            ids[i] == 5 ? "2024-06-30T23:59:59Z" : "2024-07-01T00:00:00Z",
                            NULL, 1.0, NULL);
  return batch;
}

/* A full run marks the live rows of its year it did not write as
 * deleted, only when asked to apply, and never removes rows.  The year's
 * rows are those its runs wrote, whatever their dates; the window counts
 * only those opened in it, as the source's record counts do. */
static void
test_sweep (HsTestDbKind kind)
{
  g_auto(HsGdaFixture) fixture = { 0 };
  static const gint64 all[] = { 1, 2, 3, 4, 5 };
  static const gint64 some[] = { 1, 2 };
  static const gint64 back[] = { 1, 2, 3 };
  g_autoptr(HsRun) first = NULL;
  g_autoptr(HsRun) second = NULL;
  g_autoptr(HsRun) third = NULL;
  g_autoptr(HsRun) incremental = NULL;
  g_autoptr(HsRecordBatch) b_all = window_tickets (all, G_N_ELEMENTS (all));
  g_autoptr(HsRecordBatch) b_some = window_tickets (some, G_N_ELEMENTS (some));
  g_autoptr(HsRecordBatch) b_back = window_tickets (back, G_N_ELEMENTS (back));
  g_autoptr(HsRecordBatch) a3 = hs_gda_fixture_agents (3);
  g_autoptr(HsRecordBatch) a2 = hs_gda_fixture_agents (2);
  g_autoptr(GError) error = NULL;
  guint64 n_window, n_missing;

  hs_gda_fixture_init (&fixture, kind);

  first = hs_gda_fixture_begin (&fixture, HS_SYNC_FULL);
  hs_gda_test_write (fixture.sink, first, b_all, 5, 0);
  hs_gda_test_write (fixture.sink, first, a3, 3, 0);
  /* Ticket 5 opened the day before the window starts (the year has it
   * because it was worked on in it). */
  sweep (&fixture, first, HS_STREAM_TICKETS, TRUE, 4, 0);
  hs_gda_fixture_commit (&fixture, first);

  second = hs_gda_fixture_begin (&fixture, HS_SYNC_FULL);
  hs_gda_test_write (fixture.sink, second, b_some, 0, 0);
  hs_gda_test_write (fixture.sink, second, a2, 0, 0);
  sweep (&fixture, second, HS_STREAM_TICKETS, FALSE, 4, 3);
  sweep (&fixture, second, HS_STREAM_TICKETS, FALSE, 4, 3);
  /* Marked first, the window counts what is left of it. */
  sweep (&fixture, second, HS_STREAM_TICKETS, TRUE, 2, 3);
  sweep (&fixture, second, HS_STREAM_AGENTS, TRUE, 2, 1);
  /* Streams without a window field: all rows; none written, none live. */
  sweep (&fixture, second, HS_STREAM_TIME_ENTRIES, TRUE, 0, 0);
  hs_run_add_count (second, HS_STREAM_TICKETS, HS_COUNTER_DELETED, 3);
  hs_gda_fixture_commit (&fixture, second);

  g_assert_cmpint (hs_test_db_query_int (fixture.db, "SELECT count(*) FROM tickets"), ==, 5);
  g_assert_cmpint (hs_test_db_query_int (fixture.db,
                                         "SELECT count(*) FROM tickets WHERE deleted_at IS NOT NULL"
                                         " AND id IN (3, 4, 5)"), ==, 3);
  g_assert_cmpint (hs_test_db_query_int (fixture.db,
                                         "SELECT count(*) FROM tickets WHERE deleted_at IS NULL"), ==, 2);
  g_assert_cmpint (hs_test_db_query_int (fixture.db,
                                         "SELECT count(*) FROM agents WHERE deleted_at IS NOT NULL AND id = 3"), ==, 1);

  /* A ticket that comes back is live again, which is a change. */
  third = hs_gda_fixture_begin (&fixture, HS_SYNC_FULL);
  hs_gda_test_write (fixture.sink, third, b_back, 0, 1);
  sweep (&fixture, third, HS_STREAM_TICKETS, FALSE, 3, 0);
  hs_gda_fixture_commit (&fixture, third);
  g_assert_cmpint (hs_test_db_query_int (fixture.db,
                                         "SELECT count(*) FROM tickets WHERE deleted_at IS NULL"), ==, 3);

  incremental = hs_gda_fixture_begin (&fixture, HS_SYNC_INCREMENTAL);
  g_assert_false (hs_gda_test_sweep (fixture.sink, incremental, HS_STREAM_TICKETS, FALSE,
                                     &n_window, &n_missing, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT);
  hs_gda_test_abort_run (fixture.sink, incremental);
}

/* A dry run writes nothing but its ledger row. */
static void
test_dry_run (HsTestDbKind kind)
{
  g_auto(HsGdaFixture) fixture = { 0 };
  g_autoptr(HsRun) setup = NULL;
  g_autoptr(HsRun) dry = hs_run_new ("FY2025", HS_TRIGGER_CLI, HS_SYNC_FULL, TRUE);
  g_autoptr(HsRecordBatch) base = hs_gda_fixture_tickets (1, 10, 0);
  g_autoptr(HsRecordBatch) changed = hs_gda_fixture_tickets (1, 20, 1);
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  HsRun *listed;

  hs_gda_fixture_init (&fixture, kind);

  setup = hs_gda_fixture_begin (&fixture, HS_SYNC_FULL);
  hs_gda_test_write (fixture.sink, setup, base, 10, 0);
  hs_run_set_cursor_after (setup, HS_STREAM_TICKETS, 1000);
  hs_gda_fixture_commit (&fixture, setup);
  before = hs_test_db_checksum (fixture.db, hs_gda_fixture_synced_tables);

  g_assert_true (hs_gda_test_begin_run (fixture.sink, dry, &error));
  g_assert_no_error (error);
  hs_gda_test_write (fixture.sink, dry, changed, 10, 3);
  hs_run_add_count (dry, HS_STREAM_TICKETS, HS_COUNTER_INSERTED, 10);
  hs_run_add_count (dry, HS_STREAM_TICKETS, HS_COUNTER_UPDATED, 3);
  hs_run_set_cursor_after (dry, HS_STREAM_TICKETS, 2000);
  hs_gda_fixture_commit (&fixture, dry);

  after = hs_test_db_checksum (fixture.db, hs_gda_fixture_synced_tables);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (hs_test_db_query_int (fixture.db, "SELECT count(*) FROM sync_state"), ==, 1);

  runs = hs_gda_test_list_runs (fixture.sink, 5);
  g_assert_cmpuint (runs->len, ==, 2);
  listed = g_ptr_array_index (runs, 0);
  g_assert_cmpint (hs_run_get_id (listed), ==, hs_run_get_id (dry));
  g_assert_true (hs_run_get_dry_run (listed));
  g_assert_cmpuint (hs_run_get_count (listed, HS_STREAM_TICKETS, HS_COUNTER_UPDATED), ==, 3);
}

/* Cursors commit with the run, per fiscal year, and a run that does not
 * commit leaves them where they were. */
static void
test_cursors (HsTestDbKind kind)
{
  g_auto(HsGdaFixture) fixture = { 0 };
  gint64 t1 = hs_gda_test_usec ("2024-07-10T08:30:00.654321Z");
  gint64 t2 = hs_gda_test_usec ("2024-09-01T00:00:00Z");
  g_autoptr(HsRun) first = NULL;
  g_autoptr(HsRun) aborted = NULL;
  g_autoptr(HsRun) next = NULL;
  g_autoptr(HsRun) other = hs_run_new ("FY2024", HS_TRIGGER_HOURLY, HS_SYNC_INCREMENTAL, FALSE);
  g_autoptr(GError) error = NULL;

  hs_gda_fixture_init (&fixture, kind);
  hs_gda_test_add_fiscal_year (fixture.sink, "FY2024", "2023-07-01", "2024-06-30");

  first = hs_gda_fixture_begin (&fixture, HS_SYNC_INCREMENTAL);
  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    g_assert_cmpint (hs_run_get_cursor_before (first, stream), ==, 0);
  hs_run_set_cursor_after (first, HS_STREAM_TICKETS, t1);
  hs_gda_fixture_commit (&fixture, first);

  aborted = hs_gda_fixture_begin (&fixture, HS_SYNC_INCREMENTAL);
  g_assert_cmpint (hs_run_get_cursor_before (aborted, HS_STREAM_TICKETS), ==, t1);
  hs_run_set_cursor_after (aborted, HS_STREAM_TICKETS, t2);
  hs_gda_test_abort_run (fixture.sink, aborted);

  next = hs_gda_fixture_begin (&fixture, HS_SYNC_INCREMENTAL);
  g_assert_cmpint (hs_run_get_cursor_before (next, HS_STREAM_TICKETS), ==, t1);
  g_assert_cmpint (hs_run_get_cursor_before (next, HS_STREAM_TIME_ENTRIES), ==, 0);
  hs_run_set_cursor_after (next, HS_STREAM_TIME_ENTRIES, t2);
  hs_gda_fixture_commit (&fixture, next);

  g_assert_true (hs_gda_test_begin_run (fixture.sink, other, &error));
  g_assert_no_error (error);
  g_assert_cmpint (hs_run_get_cursor_before (other, HS_STREAM_TICKETS), ==, 0);
  g_assert_cmpint (hs_run_get_cursor_before (other, HS_STREAM_TIME_ENTRIES), ==, 0);
  hs_gda_test_abort_run (fixture.sink, other);

  g_clear_object (&next);
  next = hs_gda_fixture_begin (&fixture, HS_SYNC_INCREMENTAL);
  g_assert_cmpint (hs_run_get_cursor_before (next, HS_STREAM_TICKETS), ==, t1);
  g_assert_cmpint (hs_run_get_cursor_before (next, HS_STREAM_TIME_ENTRIES), ==, t2);
  hs_gda_test_abort_run (fixture.sink, next);
}

#define LOCK_RELEASE_TIMEOUT_S 10

/* The run lock keeps two programs from writing at once: a second
 * connection (another program's, as far as the database can tell) does
 * not get it while the first holds it, and gets it once it is let go or
 * its holder is gone.  Reading needs no lock, even during a run. */
static void
test_lock (HsTestDbKind kind)
{
  g_auto(HsGdaFixture) fixture = { 0 };
  g_autoptr(HsSink) other = NULL;
  g_autoptr(HsRun) run = NULL;
  g_autoptr(GPtrArray) years = NULL;
  g_autoptr(GError) error = NULL;
  gboolean taken = FALSE;
  gint64 deadline;

  hs_gda_fixture_init (&fixture, kind);
  other = hs_gda_test_open_sink (hs_test_db_get_uri (fixture.db));

  g_assert_true (hs_sink_try_lock (fixture.sink, &taken, &error));
  g_assert_no_error (error);
  g_assert_true (taken);
  g_assert_true (hs_sink_try_lock (other, &taken, &error));
  g_assert_no_error (error);
  g_assert_false (taken);

  run = hs_gda_fixture_begin (&fixture, HS_SYNC_INCREMENTAL);
  years = hs_gda_test_list_fiscal_years (other);
  g_assert_cmpuint (years->len, ==, 1);
  hs_gda_test_abort_run (fixture.sink, run);

  hs_sink_unlock (fixture.sink);
  g_assert_true (hs_sink_try_lock (other, &taken, &error));
  g_assert_true (taken);
  g_assert_true (hs_sink_try_lock (fixture.sink, &taken, &error));
  g_assert_false (taken);

  /* A holder that goes away frees the lock with it: on PostgreSQL once
   * its server process has ended, which follows the disconnect by a
   * moment the client does not wait for. */
  g_clear_object (&other);
  deadline = g_get_monotonic_time () + LOCK_RELEASE_TIMEOUT_S * G_USEC_PER_SEC;
  for (;;)
    {
      g_assert_true (hs_sink_try_lock (fixture.sink, &taken, &error));
      g_assert_no_error (error);
      if (taken)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (G_USEC_PER_SEC / 50);
    }
  hs_sink_unlock (fixture.sink);
}

/* The server drops the connection in the middle of a run: the write
 * fails, abort_run still succeeds, and the next run reconnects. */
static void
test_dropped_connection (HsTestDbKind kind)
{
  g_auto(HsGdaFixture) fixture = { 0 };
  g_autoptr(HsRun) run = NULL;
  g_autoptr(HsRun) next = NULL;
  g_autoptr(HsRecordBatch) b1 = hs_gda_fixture_tickets (1, 10, 0);
  g_autoptr(HsRecordBatch) b2 = hs_gda_fixture_tickets (11, 10, 0);
  g_autoptr(GError) error = NULL;
  guint inserted, updated;

  hs_gda_fixture_init (&fixture, kind);

  run = hs_gda_fixture_begin (&fixture, HS_SYNC_INCREMENTAL);
  hs_gda_test_write (fixture.sink, run, b1, 10, 0);
  g_assert_cmpint (hs_test_db_query_int (fixture.db,
                                         "SELECT count(*) FROM (SELECT pg_terminate_backend(pid)"
                                         " FROM pg_stat_activity WHERE datname = current_database()"
                                         " AND application_name = 'HaloSync') AS t"), ==, 1);
  g_assert_false (hs_gda_test_write_batch (fixture.sink, run, b2, &inserted, &updated, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_DATABASE);
  hs_gda_test_abort_run (fixture.sink, run);

  next = hs_gda_fixture_begin (&fixture, HS_SYNC_INCREMENTAL);
  hs_gda_test_write (fixture.sink, next, b2, 10, 0);
  hs_gda_fixture_commit (&fixture, next);
  g_assert_cmpint (hs_test_db_query_int (fixture.db, "SELECT count(*) FROM tickets"), ==, 10);
}

/* The connection goes before the commit: the commit fails, nothing of
 * the run stays, and the failed run can still be recorded. */
static void
test_commit_failure (HsTestDbKind kind)
{
  g_auto(HsGdaFixture) fixture = { 0 };
  g_autoptr(HsRun) run = NULL;
  g_autoptr(HsRecordBatch) batch = hs_gda_fixture_tickets (1, 10, 0);
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  hs_gda_fixture_init (&fixture, kind);
  before = hs_test_db_checksum (fixture.db, hs_gda_test_tables);

  run = hs_gda_fixture_begin (&fixture, HS_SYNC_FULL);
  hs_gda_test_write (fixture.sink, run, batch, 10, 0);
  hs_run_set_cursor_after (run, HS_STREAM_TICKETS, 12345);
  g_assert_cmpint (hs_test_db_query_int (fixture.db,
                                         "SELECT count(*) FROM (SELECT pg_terminate_backend(pid)"
                                         " FROM pg_stat_activity WHERE datname = current_database()"
                                         " AND application_name = 'HaloSync') AS t"), ==, 1);
  hs_run_set_status (run, HS_RUN_SUCCEEDED);
  g_assert_false (hs_gda_test_commit_without_summary (fixture.sink, run, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_DATABASE);
  g_assert_true (g_str_has_prefix (error->message, "Cannot commit the run to postgresql://"));
  g_assert_cmpint (hs_run_get_id (run), ==, 0);

  after = hs_test_db_checksum (fixture.db, hs_gda_test_tables);
  g_assert_cmpstr (before, ==, after);

  /* The engine then ends the run and records the failure, over a new
   * connection. */
  hs_gda_test_abort_run (fixture.sink, run);
  hs_run_set_status (run, HS_RUN_FAILED);
  hs_run_set_error_message (run, error->message);
  g_clear_error (&error);
  g_assert_true (hs_gda_test_save_run (fixture.sink, run, &error));
  g_assert_no_error (error);
  runs = hs_gda_test_list_runs (fixture.sink, 5);
  g_assert_cmpuint (runs->len, ==, 1);
  g_assert_cmpint (hs_run_get_status (g_ptr_array_index (runs, 0)), ==, HS_RUN_FAILED);
  g_assert_cmpint (hs_test_db_query_int (fixture.db, "SELECT count(*) FROM sync_state"), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  hs_test_init (&argc, &argv);

  hs_gda_test_add ("sweep", test_sweep);
  hs_gda_test_add ("dry-run", test_dry_run);
  hs_gda_test_add ("cursors", test_cursors);
  hs_gda_test_add ("lock", test_lock);
  /* Only a server can drop a connection (here during a write, and before
   * a commit). */
  hs_gda_test_add_postgresql ("dropped-connection", test_dropped_connection);
  hs_gda_test_add_postgresql ("commit-failure", test_commit_failure);

  return g_test_run ();
}
