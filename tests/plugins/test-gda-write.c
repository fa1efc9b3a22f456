/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-gda-test.h"

/* The write path of a run: begin, write batches, sweep, commit or
 * abort, on SQLite and PostgreSQL alike. */

static const char * const synced_tables[] = {
  "agents", "teams", "clients", "tickets", "time_entries", "member_month_summary", NULL
};

typedef struct
{
  HsTestDb *db;
  HsSink *sink;
} Fixture;

static void
fixture_init (Fixture     *fixture,
              HsTestDbKind kind)
{
  fixture->db = hs_test_db_new (kind);
  fixture->sink = hs_gda_test_open_sink (hs_test_db_get_uri (fixture->db));
  hs_gda_test_add_fiscal_year (fixture->sink, "FY2025", "2024-07-01", "2025-06-30");
}

static void
fixture_clear (Fixture *fixture)
{
  g_clear_object (&fixture->sink);
  g_clear_pointer (&fixture->db, hs_test_db_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Fixture, fixture_clear)

static HsRun *
begin (Fixture   *fixture,
       HsSyncMode mode)
{
  HsRun *run = hs_run_new ("FY2025", HS_TRIGGER_MANUAL, mode, FALSE);
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_gda_test_begin_run (fixture->sink, run, NULL, &error));
  g_assert_no_error (error);
  hs_run_set_status (run, HS_RUN_RUNNING);
  return run;
}

static void
commit (Fixture *fixture,
        HsRun   *run)
{
  g_autoptr(GError) error = NULL;

  hs_run_set_status (run, HS_RUN_SUCCEEDED);
  g_assert_true (hs_gda_test_commit_run (fixture->sink, run, &error));
  g_assert_no_error (error);
  g_assert_cmpint (hs_run_get_id (run), >, 0);
}

/* @n tickets from @first, opened in July 2024; @version changes the
 * summary of every third one. */
static HsRecordBatch *
tickets (gint64 first,
         guint  n,
         int    version)
{
  HsRecordBatch *batch = hs_record_batch_new (HS_STREAM_TICKETS);

  for (guint i = 0; i < n; i++)
    {
      gint64 id = first + i;
      g_autofree char *summary = g_strdup_printf ("Ticket %" G_GINT64_FORMAT "%s", id,
                                                  version > 0 && id % 3 == 0 ? " (edited)" : "");

      hs_gda_test_add_ticket (batch, id, summary, 2 + id % 4,
                              "2024-07-03T09:12:44.123456Z",
                              id % 2 == 0 ? "2024-07-09T17:00:00Z" : NULL,
                              id / 3.0, id % 5 == 0 ? NULL : "Alice");
    }
  return batch;
}

static HsRecordBatch *
time_entries (gint64 ticket,
              guint  n)
{
  HsRecordBatch *batch = hs_record_batch_new (HS_STREAM_TIME_ENTRIES);

  for (guint i = 0; i < n; i++)
    hs_gda_test_add_time_entry (batch, ticket + i / 3, 1 + i % 3, 5, "2024-08-01T10:00:00Z",
                                0.1 * (i + 1), (int) (i % 3) - 1, i % 4 == 0 ? NULL : "Bob");
  return batch;
}

static HsRecordBatch *
agents (guint n)
{
  HsRecordBatch *batch = hs_record_batch_new (HS_STREAM_AGENTS);

  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *name = g_strdup_printf ("Agent %u", i);

      hs_gda_test_add_agent (batch, i, name);
    }
  return batch;
}

/* The same run twice: the second changes no row at all. */
static void
test_upsert_twice (HsTestDbKind kind)
{
  g_auto(Fixture) fixture = { 0 };
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  fixture_init (&fixture, kind);

  for (int pass = 0; pass < 2; pass++)
    {
      g_autoptr(HsRun) run = begin (&fixture, HS_SYNC_FULL);
      g_autoptr(HsRecordBatch) a = agents (7);
      g_autoptr(HsRecordBatch) t1 = tickets (1, 130, 0);
      g_autoptr(HsRecordBatch) t2 = tickets (131, 45, 0);
      g_autoptr(HsRecordBatch) e = time_entries (1, 160);

      hs_gda_test_write (fixture.sink, run, a, pass == 0 ? 7 : 0, 0);
      hs_gda_test_write (fixture.sink, run, t1, pass == 0 ? 130 : 0, 0);
      hs_gda_test_write (fixture.sink, run, t2, pass == 0 ? 45 : 0, 0);
      hs_gda_test_write (fixture.sink, run, e, pass == 0 ? 160 : 0, 0);
      if (pass == 0)
        hs_run_add_count (run, HS_STREAM_TICKETS, HS_COUNTER_INSERTED, 175);
      commit (&fixture, run);

      if (pass == 0)
        first = hs_test_db_checksum (fixture.db, synced_tables);
      else
        second = hs_test_db_checksum (fixture.db, synced_tables);
    }

  g_assert_cmpstr (first, ==, second);
  g_assert_cmpint (hs_test_db_query_int (fixture.db, "SELECT count(*) FROM tickets"), ==, 175);
  g_assert_cmpint (hs_test_db_query_int (fixture.db, "SELECT count(*) FROM time_entries"), ==, 160);
  g_assert_cmpint (hs_test_db_query_int (fixture.db,
                                         "SELECT count(*) FROM tickets WHERE fiscal_year = 'FY2025'"),
                   ==, 175);
}

static void
test_counts (HsTestDbKind kind)
{
  g_auto(Fixture) fixture = { 0 };
  g_autoptr(HsRun) run = NULL;
  g_autoptr(HsRun) next = NULL;
  g_autoptr(HsRecordBatch) initial = tickets (1, 60, 0);
  g_autoptr(HsRecordBatch) changed = NULL;

  fixture_init (&fixture, kind);

  run = begin (&fixture, HS_SYNC_INCREMENTAL);
  hs_gda_test_write (fixture.sink, run, initial, 60, 0);
  /* Writing the same rows again within the run changes nothing. */
  hs_gda_test_write (fixture.sink, run, initial, 0, 0);
  commit (&fixture, run);

  /* Tickets 1..60 again, every third edited (20), plus 61..75 new. */
  changed = tickets (1, 75, 1);
  next = begin (&fixture, HS_SYNC_INCREMENTAL);
  hs_gda_test_write (fixture.sink, next, changed, 15, 20);
  commit (&fixture, next);

  g_assert_cmpint (hs_test_db_query_int (fixture.db,
                                         "SELECT count(*) FROM tickets WHERE summary LIKE '%(edited)'"),
                   ==, 25);
}

/* A row that the schema refuses, in the third batch: after abort_run,
 * every table is exactly as before the run; the failed run is then
 * recorded on its own. */
static void
test_failure_mid_run (HsTestDbKind kind)
{
  g_auto(Fixture) fixture = { 0 };
  g_autoptr(HsRun) setup = NULL;
  g_autoptr(HsRun) run = NULL;
  g_autoptr(HsRecordBatch) base = tickets (1, 20, 0);
  g_autoptr(HsRecordBatch) b1 = tickets (1, 20, 1);
  g_autoptr(HsRecordBatch) b2 = time_entries (1, 30);
  g_autoptr(HsRecordBatch) b3 = tickets (100, 10, 0);
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint inserted, updated;
  HsRun *saved;

  fixture_init (&fixture, kind);

  setup = begin (&fixture, HS_SYNC_FULL);
  hs_gda_test_write (fixture.sink, setup, base, 20, 0);
  hs_run_set_cursor_after (setup, HS_STREAM_TICKETS, hs_gda_test_usec ("2024-07-10T00:00:00Z"));
  commit (&fixture, setup);
  before = hs_test_db_checksum (fixture.db, hs_gda_test_tables);

  run = begin (&fixture, HS_SYNC_FULL);
  hs_gda_test_write (fixture.sink, run, b1, 0, 6);
  hs_gda_test_write (fixture.sink, run, b2, 30, 0);
  /* Ticket ids may not be null. */
  hs_record_batch_set_null (b3, 5, HS_TICKET_ID);
  g_assert_false (hs_gda_test_write_batch (fixture.sink, run, b3, NULL, &inserted, &updated, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_DATABASE);
  g_assert_true (g_str_has_prefix (error->message, "Writing tickets failed: "));

  hs_gda_test_abort_run (fixture.sink, run);
  /* Aborting again is harmless. */
  hs_gda_test_abort_run (fixture.sink, run);
  after = hs_test_db_checksum (fixture.db, hs_gda_test_tables);
  g_assert_cmpstr (before, ==, after);

  hs_run_set_status (run, HS_RUN_FAILED);
  hs_run_set_error_message (run, error->message);
  g_clear_error (&error);
  g_assert_true (hs_gda_test_save_run (fixture.sink, run, &error));
  g_assert_no_error (error);
  g_assert_cmpint (hs_run_get_id (run), >, hs_run_get_id (setup));

  runs = hs_gda_test_list_runs (fixture.sink, 10);
  g_assert_cmpuint (runs->len, ==, 2);
  saved = g_ptr_array_index (runs, 0);
  g_assert_cmpint (hs_run_get_id (saved), ==, hs_run_get_id (run));
  g_assert_cmpint (hs_run_get_status (saved), ==, HS_RUN_FAILED);
  g_assert_cmpstr (hs_run_get_error_message (saved), ==, hs_run_get_error_message (run));
}

/* Text reaches the database as written: quotes, SQL, non-ASCII, emoji,
 * what looks like a libgda parameter, and the empty string (not NULL). */
static void
test_strings (HsTestDbKind kind)
{
  static const char * const texts[] = {
    "x'); DROP TABLE tickets;--",
    "Ünïcødé — 日本語 😀",
    "back\\slash and \"double\" quotes",
    "##id::string::null %s %d $1 ?",
    "line\nbreak\ttab",
    "",
    "NULL",
  };
  g_auto(Fixture) fixture = { 0 };
  g_autoptr(HsRun) run = NULL;
  g_autoptr(HsRecordBatch) batch = hs_record_batch_new (HS_STREAM_TICKETS);

  fixture_init (&fixture, kind);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    hs_gda_test_add_ticket (batch, i + 1, texts[i], 2, "2024-07-03T09:00:00Z", NULL, 1.0, texts[i]);
  hs_gda_test_add_ticket (batch, 100, NULL, 2, "2024-07-03T09:00:00Z", NULL, 1.0, NULL);

  run = begin (&fixture, HS_SYNC_INCREMENTAL);
  hs_gda_test_write (fixture.sink, run, batch, G_N_ELEMENTS (texts) + 1, 0);
  commit (&fixture, run);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT summary FROM tickets WHERE id = %u", i + 1);
      g_autofree char *member_sql = g_strdup_printf ("SELECT member FROM tickets WHERE id = %u", i + 1);
      g_autofree char *summary = hs_test_db_query_string (fixture.db, sql);
      g_autofree char *member = hs_test_db_query_string (fixture.db, member_sql);

      g_assert_cmpstr (summary, ==, texts[i]);
      g_assert_cmpstr (member, ==, texts[i]);
    }
  g_assert_null (hs_test_db_query_string (fixture.db, "SELECT summary FROM tickets WHERE id = 100"));
  g_assert_cmpint (hs_test_db_query_int (fixture.db, "SELECT count(*) FROM tickets"),
                   ==, G_N_ELEMENTS (texts) + 1);
}

/* Another connection reading during a run sees the state before it,
 * then after the commit all of it: never part of a run. */
static void
test_reader (HsTestDbKind kind)
{
  g_auto(Fixture) fixture = { 0 };
  g_autoptr(HsRun) setup = NULL;
  g_autoptr(HsRun) run = NULL;
  g_autoptr(HsRecordBatch) base = tickets (1, 10, 0);
  g_autoptr(HsRecordBatch) b1 = tickets (1, 30, 1);
  g_autoptr(HsRecordBatch) b2 = time_entries (1, 12);
  const char *count = "SELECT count(*) FROM tickets";
  const char *edited = "SELECT count(*) FROM tickets WHERE summary LIKE '%(edited)'";
  g_autofree char *before = NULL;
  g_autofree char *during = NULL;

  fixture_init (&fixture, kind);

  setup = begin (&fixture, HS_SYNC_INCREMENTAL);
  hs_gda_test_write (fixture.sink, setup, base, 10, 0);
  commit (&fixture, setup);
  before = hs_test_db_checksum (fixture.db, hs_gda_test_tables);

  run = begin (&fixture, HS_SYNC_INCREMENTAL);
  hs_gda_test_write (fixture.sink, run, b1, 20, 3);
  g_assert_cmpint (hs_test_db_query_int (fixture.db, count), ==, 10);
  g_assert_cmpint (hs_test_db_query_int (fixture.db, edited), ==, 0);
  hs_gda_test_write (fixture.sink, run, b2, 12, 0);
  during = hs_test_db_checksum (fixture.db, hs_gda_test_tables);
  g_assert_cmpstr (during, ==, before);
  commit (&fixture, run);

  g_assert_cmpint (hs_test_db_query_int (fixture.db, count), ==, 30);
  g_assert_cmpint (hs_test_db_query_int (fixture.db, edited), ==, 10);
  g_assert_cmpint (hs_test_db_query_int (fixture.db, "SELECT count(*) FROM time_entries"), ==, 12);
}

static void
sweep (Fixture  *fixture,
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

/* A full run marks the live rows of its window it did not write as
 * deleted, only when asked to apply, and never removes rows. */
static void
test_sweep (HsTestDbKind kind)
{
  g_auto(Fixture) fixture = { 0 };
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
  g_autoptr(HsRecordBatch) a3 = agents (3);
  g_autoptr(HsRecordBatch) a2 = agents (2);
  g_autoptr(GError) error = NULL;
  guint64 n_window, n_missing;

  fixture_init (&fixture, kind);

  first = begin (&fixture, HS_SYNC_FULL);
  hs_gda_test_write (fixture.sink, first, b_all, 5, 0);
  hs_gda_test_write (fixture.sink, first, a3, 3, 0);
  /* Ticket 5 opened the day before the window starts. */
  sweep (&fixture, first, HS_STREAM_TICKETS, TRUE, 4, 0);
  commit (&fixture, first);

  second = begin (&fixture, HS_SYNC_FULL);
  hs_gda_test_write (fixture.sink, second, b_some, 0, 0);
  hs_gda_test_write (fixture.sink, second, a2, 0, 0);
  sweep (&fixture, second, HS_STREAM_TICKETS, FALSE, 4, 2);
  sweep (&fixture, second, HS_STREAM_TICKETS, FALSE, 4, 2);
  sweep (&fixture, second, HS_STREAM_TICKETS, TRUE, 4, 2);
  sweep (&fixture, second, HS_STREAM_AGENTS, TRUE, 3, 1);
  /* Streams without a window field: all rows; none written, none live. */
  sweep (&fixture, second, HS_STREAM_TIME_ENTRIES, TRUE, 0, 0);
  hs_run_add_count (second, HS_STREAM_TICKETS, HS_COUNTER_DELETED, 2);
  commit (&fixture, second);

  g_assert_cmpint (hs_test_db_query_int (fixture.db, "SELECT count(*) FROM tickets"), ==, 5);
  g_assert_cmpint (hs_test_db_query_int (fixture.db,
                                         "SELECT count(*) FROM tickets WHERE deleted_at IS NOT NULL"
                                         " AND id IN (3, 4)"), ==, 2);
  g_assert_cmpint (hs_test_db_query_int (fixture.db,
                                         "SELECT count(*) FROM tickets WHERE deleted_at IS NULL"), ==, 3);
  g_assert_cmpint (hs_test_db_query_int (fixture.db,
                                         "SELECT count(*) FROM agents WHERE deleted_at IS NOT NULL AND id = 3"), ==, 1);

  /* A ticket that comes back is live again, which is a change. */
  third = begin (&fixture, HS_SYNC_FULL);
  hs_gda_test_write (fixture.sink, third, b_back, 0, 1);
  sweep (&fixture, third, HS_STREAM_TICKETS, FALSE, 3, 0);
  commit (&fixture, third);
  g_assert_cmpint (hs_test_db_query_int (fixture.db,
                                         "SELECT count(*) FROM tickets WHERE deleted_at IS NULL"), ==, 4);

  incremental = begin (&fixture, HS_SYNC_INCREMENTAL);
  g_assert_false (hs_gda_test_sweep (fixture.sink, incremental, HS_STREAM_TICKETS, FALSE,
                                     &n_window, &n_missing, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT);
  hs_gda_test_abort_run (fixture.sink, incremental);
}

/* A dry run writes nothing but its ledger row. */
static void
test_dry_run (HsTestDbKind kind)
{
  g_auto(Fixture) fixture = { 0 };
  g_autoptr(HsRun) setup = NULL;
  g_autoptr(HsRun) dry = hs_run_new ("FY2025", HS_TRIGGER_CLI, HS_SYNC_FULL, TRUE);
  g_autoptr(HsRecordBatch) base = tickets (1, 10, 0);
  g_autoptr(HsRecordBatch) changed = tickets (1, 20, 1);
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  HsRun *listed;

  fixture_init (&fixture, kind);

  setup = begin (&fixture, HS_SYNC_FULL);
  hs_gda_test_write (fixture.sink, setup, base, 10, 0);
  hs_run_set_cursor_after (setup, HS_STREAM_TICKETS, 1000);
  commit (&fixture, setup);
  before = hs_test_db_checksum (fixture.db, synced_tables);

  g_assert_true (hs_gda_test_begin_run (fixture.sink, dry, NULL, &error));
  g_assert_no_error (error);
  hs_gda_test_write (fixture.sink, dry, changed, 10, 3);
  hs_run_add_count (dry, HS_STREAM_TICKETS, HS_COUNTER_INSERTED, 10);
  hs_run_add_count (dry, HS_STREAM_TICKETS, HS_COUNTER_UPDATED, 3);
  hs_run_set_cursor_after (dry, HS_STREAM_TICKETS, 2000);
  commit (&fixture, dry);

  after = hs_test_db_checksum (fixture.db, synced_tables);
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
  g_auto(Fixture) fixture = { 0 };
  gint64 t1 = hs_gda_test_usec ("2024-07-10T08:30:00.654321Z");
  gint64 t2 = hs_gda_test_usec ("2024-09-01T00:00:00Z");
  g_autoptr(HsRun) first = NULL;
  g_autoptr(HsRun) aborted = NULL;
  g_autoptr(HsRun) next = NULL;
  g_autoptr(HsRun) other = hs_run_new ("FY2024", HS_TRIGGER_HOURLY, HS_SYNC_INCREMENTAL, FALSE);
  g_autoptr(GError) error = NULL;

  fixture_init (&fixture, kind);
  hs_gda_test_add_fiscal_year (fixture.sink, "FY2024", "2023-07-01", "2024-06-30");

  first = begin (&fixture, HS_SYNC_INCREMENTAL);
  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    g_assert_cmpint (hs_run_get_cursor_before (first, stream), ==, 0);
  hs_run_set_cursor_after (first, HS_STREAM_TICKETS, t1);
  commit (&fixture, first);

  aborted = begin (&fixture, HS_SYNC_INCREMENTAL);
  g_assert_cmpint (hs_run_get_cursor_before (aborted, HS_STREAM_TICKETS), ==, t1);
  hs_run_set_cursor_after (aborted, HS_STREAM_TICKETS, t2);
  hs_gda_test_abort_run (fixture.sink, aborted);

  next = begin (&fixture, HS_SYNC_INCREMENTAL);
  g_assert_cmpint (hs_run_get_cursor_before (next, HS_STREAM_TICKETS), ==, t1);
  g_assert_cmpint (hs_run_get_cursor_before (next, HS_STREAM_TIME_ENTRIES), ==, 0);
  hs_run_set_cursor_after (next, HS_STREAM_TIME_ENTRIES, t2);
  commit (&fixture, next);

  g_assert_true (hs_gda_test_begin_run (fixture.sink, other, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (hs_run_get_cursor_before (other, HS_STREAM_TICKETS), ==, 0);
  g_assert_cmpint (hs_run_get_cursor_before (other, HS_STREAM_TIME_ENTRIES), ==, 0);
  hs_gda_test_abort_run (fixture.sink, other);

  g_clear_object (&next);
  next = begin (&fixture, HS_SYNC_INCREMENTAL);
  g_assert_cmpint (hs_run_get_cursor_before (next, HS_STREAM_TICKETS), ==, t1);
  g_assert_cmpint (hs_run_get_cursor_before (next, HS_STREAM_TIME_ENTRIES), ==, t2);
  hs_gda_test_abort_run (fixture.sink, next);
}

/* A cancelled begin or write fails with G_IO_ERROR_CANCELLED and leaves
 * nothing behind once the run is aborted. */
static void
test_cancel (HsTestDbKind kind)
{
  g_auto(Fixture) fixture = { 0 };
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(HsRun) run = hs_run_new ("FY2025", HS_TRIGGER_MANUAL, HS_SYNC_FULL, FALSE);
  g_autoptr(HsRun) retry = NULL;
  g_autoptr(HsRecordBatch) batch = tickets (1, 10, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint inserted, updated;

  fixture_init (&fixture, kind);
  before = hs_test_db_checksum (fixture.db, hs_gda_test_tables);
  g_cancellable_cancel (cancelled);

  g_assert_false (hs_gda_test_begin_run (fixture.sink, run, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  hs_gda_test_abort_run (fixture.sink, run);

  retry = begin (&fixture, HS_SYNC_FULL);
  g_assert_false (hs_gda_test_write_batch (fixture.sink, retry, batch, cancelled, &inserted, &updated, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  hs_gda_test_abort_run (fixture.sink, retry);

  after = hs_test_db_checksum (fixture.db, hs_gda_test_tables);
  g_assert_cmpstr (before, ==, after);
}

/* One run at a time: a second begin, or a change to the catalogue,
 * while a run is open is refused as busy. */
static void
test_busy (HsTestDbKind kind)
{
  g_auto(Fixture) fixture = { 0 };
  g_autoptr(HsRun) run = NULL;
  g_autoptr(HsRun) second = hs_run_new ("FY2025", HS_TRIGGER_HOURLY, HS_SYNC_INCREMENTAL, FALSE);
  g_autoptr(GPtrArray) years = NULL;
  g_autoptr(GError) error = NULL;

  fixture_init (&fixture, kind);

  run = begin (&fixture, HS_SYNC_INCREMENTAL);
  g_assert_false (hs_gda_test_begin_run (fixture.sink, second, NULL, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_BUSY);
  g_clear_error (&error);

  g_assert_false (hs_gda_test_try_add_fiscal_year (fixture.sink, "FY2026", "2025-07-01", "2026-06-30", &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_false (hs_gda_test_save_run (fixture.sink, second, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_BUSY);
  g_clear_error (&error);

  /* Reading is fine. */
  years = hs_gda_test_list_fiscal_years (fixture.sink);
  g_assert_cmpuint (years->len, ==, 1);

  hs_gda_test_abort_run (fixture.sink, run);
  g_assert_true (hs_gda_test_begin_run (fixture.sink, second, NULL, &error));
  g_assert_no_error (error);
  hs_gda_test_abort_run (fixture.sink, second);
}

/* Another program's run holds the database: PostgreSQL's advisory lock
 * refuses the second run at once.  (SQLite's write lock does the same
 * after its busy timeout of several seconds.) */
static void
test_busy_elsewhere (HsTestDbKind kind)
{
  g_auto(Fixture) fixture = { 0 };
  g_autoptr(HsSink) other = NULL;
  g_autoptr(HsRun) run = NULL;
  g_autoptr(HsRun) second = hs_run_new ("FY2025", HS_TRIGGER_HOURLY, HS_SYNC_INCREMENTAL, FALSE);
  g_autoptr(GError) error = NULL;

  fixture_init (&fixture, kind);
  other = hs_gda_test_open_sink (hs_test_db_get_uri (fixture.db));

  run = begin (&fixture, HS_SYNC_INCREMENTAL);
  g_assert_false (hs_gda_test_begin_run (other, second, NULL, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_BUSY);
  hs_gda_test_abort_run (fixture.sink, run);
}

/* The server drops the connection in the middle of a run: the write
 * fails, abort_run still succeeds, and the next run reconnects. */
static void
test_dropped_connection (HsTestDbKind kind)
{
  g_auto(Fixture) fixture = { 0 };
  g_autoptr(HsRun) run = NULL;
  g_autoptr(HsRun) next = NULL;
  g_autoptr(HsRecordBatch) b1 = tickets (1, 10, 0);
  g_autoptr(HsRecordBatch) b2 = tickets (11, 10, 0);
  g_autoptr(GError) error = NULL;
  guint inserted, updated;

  fixture_init (&fixture, kind);

  run = begin (&fixture, HS_SYNC_INCREMENTAL);
  hs_gda_test_write (fixture.sink, run, b1, 10, 0);
  g_assert_cmpint (hs_test_db_query_int (fixture.db,
                                         "SELECT count(*) FROM (SELECT pg_terminate_backend(pid)"
                                         " FROM pg_stat_activity WHERE datname = current_database()"
                                         " AND application_name = 'HaloSync') AS t"), ==, 1);
  g_assert_false (hs_gda_test_write_batch (fixture.sink, run, b2, NULL, &inserted, &updated, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_DATABASE);
  hs_gda_test_abort_run (fixture.sink, run);

  next = begin (&fixture, HS_SYNC_INCREMENTAL);
  hs_gda_test_write (fixture.sink, next, b2, 10, 0);
  commit (&fixture, next);
  g_assert_cmpint (hs_test_db_query_int (fixture.db, "SELECT count(*) FROM tickets"), ==, 10);
}

int
main (int    argc,
      char **argv)
{
  hs_test_init (&argc, &argv);

  hs_gda_test_add ("upsert-twice", test_upsert_twice);
  hs_gda_test_add ("counts", test_counts);
  hs_gda_test_add ("failure-mid-run", test_failure_mid_run);
  hs_gda_test_add ("strings", test_strings);
  hs_gda_test_add ("reader", test_reader);
  hs_gda_test_add ("sweep", test_sweep);
  hs_gda_test_add ("dry-run", test_dry_run);
  hs_gda_test_add ("cursors", test_cursors);
  hs_gda_test_add ("cancel", test_cancel);
  hs_gda_test_add ("busy", test_busy);
  /* Only PostgreSQL can refuse at once, and only a server can drop a
   * connection. */
  hs_gda_test_add_postgresql ("busy-elsewhere", test_busy_elsewhere);
  hs_gda_test_add_postgresql ("dropped-connection", test_dropped_connection);

  return g_test_run ();
}
