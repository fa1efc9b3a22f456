/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <locale.h>

#include "hs-gda-fixture.h"

/* Writing a run's batches: exact counts, unchanged rows left alone,
 * failures rolled back, text kept verbatim, and other connections never
 * seeing half a run; on SQLite and PostgreSQL alike. */

/* The same run twice: the second changes no row at all.  The time
 * entries are more than one statement holds (2,000 rows). */
static void
test_upsert_twice (HsTestDbKind kind)
{
  g_auto(HsGdaFixture) fixture = { 0 };
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  hs_gda_fixture_init (&fixture, kind);

  for (int pass = 0; pass < 2; pass++)
    {
      g_autoptr(HsRun) run = hs_gda_fixture_begin (&fixture, HS_SYNC_FULL);
      g_autoptr(HsRecordBatch) a = hs_gda_fixture_agents (7);
      g_autoptr(HsRecordBatch) t1 = hs_gda_fixture_tickets (1, 80, 0);
      g_autoptr(HsRecordBatch) t2 = hs_gda_fixture_tickets (81, 12, 0);
      g_autoptr(HsRecordBatch) e = hs_gda_fixture_time_entries (1, 4100);

      hs_gda_test_write (fixture.sink, run, a, pass == 0 ? 7 : 0, 0);
      hs_gda_test_write (fixture.sink, run, t1, pass == 0 ? 80 : 0, 0);
      hs_gda_test_write (fixture.sink, run, t2, pass == 0 ? 12 : 0, 0);
      hs_gda_test_write (fixture.sink, run, e, pass == 0 ? 4100 : 0, 0);
      if (pass == 0)
        hs_run_add_count (run, HS_STREAM_TICKETS, HS_COUNTER_INSERTED, 92);
      hs_gda_fixture_commit (&fixture, run);

      if (pass == 0)
        first = hs_test_db_checksum (fixture.db, hs_gda_fixture_synced_tables);
      else
        second = hs_test_db_checksum (fixture.db, hs_gda_fixture_synced_tables);
    }

  g_assert_cmpstr (first, ==, second);
  g_assert_cmpint (hs_test_db_query_int (fixture.db, "SELECT count(*) FROM tickets"), ==, 92);
  g_assert_cmpint (hs_test_db_query_int (fixture.db, "SELECT count(*) FROM time_entries"), ==, 4100);
  g_assert_cmpint (hs_test_db_query_int (fixture.db,
                                         "SELECT count(*) FROM tickets WHERE fiscal_year = 'FY2025'"),
                   ==, 92);
}

static void
test_counts (HsTestDbKind kind)
{
  g_auto(HsGdaFixture) fixture = { 0 };
  g_autoptr(HsRun) run = NULL;
  g_autoptr(HsRun) next = NULL;
  g_autoptr(HsRecordBatch) initial = hs_gda_fixture_tickets (1, 60, 0);
  g_autoptr(HsRecordBatch) changed = NULL;

  hs_gda_fixture_init (&fixture, kind);

  run = hs_gda_fixture_begin (&fixture, HS_SYNC_INCREMENTAL);
  hs_gda_test_write (fixture.sink, run, initial, 60, 0);
  /* Writing the same rows again within the run changes nothing. */
  hs_gda_test_write (fixture.sink, run, initial, 0, 0);
  hs_gda_fixture_commit (&fixture, run);

  /* Tickets 1..60 again, every third edited (20), plus 61..75 new. */
  changed = hs_gda_fixture_tickets (1, 75, 1);
  next = hs_gda_fixture_begin (&fixture, HS_SYNC_INCREMENTAL);
  hs_gda_test_write (fixture.sink, next, changed, 15, 20);
  hs_gda_fixture_commit (&fixture, next);

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
  g_auto(HsGdaFixture) fixture = { 0 };
  g_autoptr(HsRun) setup = NULL;
  g_autoptr(HsRun) run = NULL;
  g_autoptr(HsRecordBatch) base = hs_gda_fixture_tickets (1, 20, 0);
  g_autoptr(HsRecordBatch) b1 = hs_gda_fixture_tickets (1, 20, 1);
  g_autoptr(HsRecordBatch) b2 = hs_gda_fixture_time_entries (1, 30);
  g_autoptr(HsRecordBatch) b3 = hs_gda_fixture_tickets (100, 10, 0);
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint inserted, updated;
  HsRun *saved;

  hs_gda_fixture_init (&fixture, kind);

  setup = hs_gda_fixture_begin (&fixture, HS_SYNC_FULL);
  hs_gda_test_write (fixture.sink, setup, base, 20, 0);
  hs_run_set_cursor_after (setup, HS_STREAM_TICKETS, hs_gda_test_usec ("2024-07-10T00:00:00Z"));
  hs_gda_fixture_commit (&fixture, setup);
  before = hs_test_db_checksum (fixture.db, hs_gda_test_tables);

  run = hs_gda_fixture_begin (&fixture, HS_SYNC_FULL);
  hs_gda_test_write (fixture.sink, run, b1, 0, 6);
  hs_gda_test_write (fixture.sink, run, b2, 30, 0);
  /* Ticket ids may not be null. */
  hs_record_batch_set_null (b3, 5, HS_TICKET_ID);
  g_assert_false (hs_gda_test_write_batch (fixture.sink, run, b3, &inserted, &updated, &error));
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
 * what looks like a libgda parameter or a PostgreSQL array, and the
 * empty string (not NULL). */
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
    " {\"a\",b}, NULL } ",
  };
  g_auto(HsGdaFixture) fixture = { 0 };
  g_autoptr(HsRun) run = NULL;
  g_autoptr(HsRecordBatch) batch = hs_record_batch_new (HS_STREAM_TICKETS);

  hs_gda_fixture_init (&fixture, kind);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    hs_gda_test_add_ticket (batch, i + 1, texts[i], 2, "2024-07-03T09:00:00Z", NULL, 1.0, texts[i]);
  hs_gda_test_add_ticket (batch, 100, NULL, 2, "2024-07-03T09:00:00Z", NULL, 1.0, NULL);

  run = hs_gda_fixture_begin (&fixture, HS_SYNC_INCREMENTAL);
  hs_gda_test_write (fixture.sink, run, batch, G_N_ELEMENTS (texts) + 1, 0);
  hs_gda_fixture_commit (&fixture, run);

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
  g_auto(HsGdaFixture) fixture = { 0 };
  g_autoptr(HsRun) setup = NULL;
  g_autoptr(HsRun) run = NULL;
  g_autoptr(HsRecordBatch) base = hs_gda_fixture_tickets (1, 10, 0);
  g_autoptr(HsRecordBatch) b1 = hs_gda_fixture_tickets (1, 30, 1);
  g_autoptr(HsRecordBatch) b2 = hs_gda_fixture_time_entries (1, 12);
  const char *count = "SELECT count(*) FROM tickets";
  const char *edited = "SELECT count(*) FROM tickets WHERE summary LIKE '%(edited)'";
  g_autofree char *before = NULL;
  g_autofree char *during = NULL;

  hs_gda_fixture_init (&fixture, kind);

  setup = hs_gda_fixture_begin (&fixture, HS_SYNC_INCREMENTAL);
  hs_gda_test_write (fixture.sink, setup, base, 10, 0);
  hs_gda_fixture_commit (&fixture, setup);
  before = hs_test_db_checksum (fixture.db, hs_gda_test_tables);

  run = hs_gda_fixture_begin (&fixture, HS_SYNC_INCREMENTAL);
  hs_gda_test_write (fixture.sink, run, b1, 20, 3);
  g_assert_cmpint (hs_test_db_query_int (fixture.db, count), ==, 10);
  g_assert_cmpint (hs_test_db_query_int (fixture.db, edited), ==, 0);
  hs_gda_test_write (fixture.sink, run, b2, 12, 0);
  during = hs_test_db_checksum (fixture.db, hs_gda_test_tables);
  g_assert_cmpstr (during, ==, before);
  hs_gda_fixture_commit (&fixture, run);

  g_assert_cmpint (hs_test_db_query_int (fixture.db, count), ==, 30);
  g_assert_cmpint (hs_test_db_query_int (fixture.db, edited), ==, 10);
  g_assert_cmpint (hs_test_db_query_int (fixture.db, "SELECT count(*) FROM time_entries"), ==, 12);
}

/* A field the source could not read keeps the stored value; a new row
 * with such a field stores null there. */
static void
test_unknown_fields (HsTestDbKind kind)
{
  g_auto(HsGdaFixture) fixture = { 0 };
  g_autoptr(HsRun) first = NULL;
  g_autoptr(HsRun) second = NULL;
  g_autoptr(HsRecordBatch) stored = hs_gda_fixture_tickets (1, 3, 0);
  g_autoptr(HsRecordBatch) changed = hs_gda_fixture_tickets (1, 4, 1);
  g_autofree char *summary = NULL;
  gint64 status;

  hs_gda_fixture_init (&fixture, kind);
  first = hs_gda_fixture_begin (&fixture, HS_SYNC_INCREMENTAL);
  hs_gda_test_write (fixture.sink, first, stored, 3, 0);
  hs_gda_fixture_commit (&fixture, first);
  status = hs_test_db_query_int (fixture.db, "SELECT status_id FROM tickets WHERE id = 2");

  /* Ticket 3's summary changes and is unreadable; ticket 2's status is
   * unreadable and nothing else changes; ticket 4 is new. */
  hs_record_batch_set_unknown (changed, 2, HS_TICKET_SUMMARY);
  hs_record_batch_set_unknown (changed, 1, HS_TICKET_STATUS_ID);
  hs_record_batch_set_unknown (changed, 3, HS_TICKET_SUMMARY);
  second = hs_gda_fixture_begin (&fixture, HS_SYNC_INCREMENTAL);
  hs_gda_test_write (fixture.sink, second, changed, 1, 0);
  hs_gda_fixture_commit (&fixture, second);

  summary = hs_test_db_query_string (fixture.db, "SELECT summary FROM tickets WHERE id = 3");
  g_assert_cmpstr (summary, ==, "Ticket 3");
  g_assert_cmpint (hs_test_db_query_int (fixture.db, "SELECT status_id FROM tickets WHERE id = 2"), ==, status);
  g_assert_cmpint (hs_test_db_query_int (fixture.db, "SELECT count(*) FROM tickets WHERE id = 4 AND summary IS NULL"),
                   ==, 1);
}

/* Numbers are written and read the same under a locale whose decimal
 * point is a comma (SQLite's json_extract() truncated 1.25 to 1 there). */
static void
test_decimal_comma_locale (HsTestDbKind kind)
{
  g_auto(HsGdaFixture) fixture = { 0 };
  g_autoptr(HsRun) run = NULL;
  g_autoptr(HsRecordBatch) tickets = hs_gda_fixture_tickets (1, 4, 0);
  g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));

  /* LOCPATH points at the test build's de_DE.UTF-8. */
  g_assert_nonnull (setlocale (LC_ALL, "de_DE.UTF-8"));
  g_assert_cmpstr (localeconv ()->decimal_point, ==, ",");

  hs_gda_fixture_init (&fixture, kind);
  run = hs_gda_fixture_begin (&fixture, HS_SYNC_INCREMENTAL);
  hs_gda_test_write (fixture.sink, run, tickets, 4, 0);
  hs_gda_fixture_commit (&fixture, run);
  setlocale (LC_ALL, saved);

  /* Ticket 4 took 4 / 3 hours. */
  g_assert_cmpint (hs_test_db_query_int (fixture.db, "SELECT CAST(round(hours * 1000) AS integer)"
                                                     " FROM tickets WHERE id = 4"),
                   ==, 1333);
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
  hs_gda_test_add ("unknown-fields", test_unknown_fields);
  hs_gda_test_add ("decimal-comma-locale", test_decimal_comma_locale);

  return g_test_run ();
}
