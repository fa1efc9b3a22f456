/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <locale.h>

#include "hs-gda-test.h"

/* How fast the gda sink upserts: a first run of tickets and time entries
 * into a fresh database, in one run transaction, then the identical run
 * again, which changes nothing.  Prints rows per second for each
 * provider; it asserts the counts, never the speed.
 *
 *   bench-sink [--tickets N] [--time-entries N]
 *              [--provider sqlite|postgresql|postgresql-pooled|all] [--incremental]
 *
 * Runs are full runs, which also record every key written for the
 * deletion sweep, unless --incremental.  postgresql-pooled is the same
 * server with pgbouncer=true: every statement the unnamed one, through
 * libpq alone, as behind a transaction pooler; run under
 * tests/with-pgbouncer.sh, the pooler is in between too.
 * PostgreSQL needs the PG* environment (tests/with-postgresql.sh). */

#define PAGE_SIZE 100  /* records per batch, as Halo pages them */

static int n_tickets = 40000;
static int n_time_entries = 200000;
static char *provider = NULL;
static gboolean incremental = FALSE;

static const char * const members[] = {
  "Alice", "Bob", "Carol", "Dan", "Erin", "Frank", "Grace", "Heidi", "Ivan", "Judy", NULL
};

static GPtrArray *
make_tickets (int n)
{
  GPtrArray *batches = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_record_batch_unref);
  gint64 start = hs_gda_test_usec ("2024-07-01T00:00:00Z");
  HsRecordBatch *batch = NULL;

  for (int i = 0; i < n; i++)
    {
      gint64 opened = start + (gint64) (i % 360) * 86400 * G_USEC_PER_SEC + (gint64) i * 997;
      g_autofree char *summary = g_strdup_printf ("Printer %d offline on floor %d", i, i % 7);
      guint r;

      if (batch == NULL || hs_record_batch_get_n_records (batch) == PAGE_SIZE)
        {
          batch = hs_record_batch_new (HS_STREAM_TICKETS);
          g_ptr_array_add (batches, batch);
        }

      r = hs_record_batch_append (batch);
      hs_record_batch_set_int (batch, r, HS_TICKET_ID, 10000 + i);
      hs_record_batch_set_text (batch, r, HS_TICKET_SUMMARY, summary);
      hs_record_batch_set_int (batch, r, HS_TICKET_STATUS_ID, i % 3 == 0 ? 9 : 2);
      hs_record_batch_set_text (batch, r, HS_TICKET_STATUS, i % 3 == 0 ? "Closed" : "In Progress");
      hs_record_batch_set_text (batch, r, HS_TICKET_TYPE, "Incident");
      hs_record_batch_set_int (batch, r, HS_TICKET_CLIENT_ID, 17 + i % 50);
      hs_record_batch_set_text (batch, r, HS_TICKET_CLIENT_NAME, "Acme Ltd");
      hs_record_batch_set_int (batch, r, HS_TICKET_AGENT_ID, 2 + i % 12);
      hs_record_batch_set_text (batch, r, HS_TICKET_TEAM, "Service Desk");
      hs_record_batch_set_timestamp (batch, r, HS_TICKET_OPENED_AT, opened);
      if (i % 3 == 0)
        hs_record_batch_set_timestamp (batch, r, HS_TICKET_CLOSED_AT, opened + (gint64) 3600 * G_USEC_PER_SEC);
      hs_record_batch_set_timestamp (batch, r, HS_TICKET_LAST_UPDATE, opened + (gint64) 60 * G_USEC_PER_SEC);
      hs_record_batch_set_double (batch, r, HS_TICKET_HOURS, (i % 17) * 0.25);
      hs_record_batch_set_text (batch, r, HS_TICKET_MEMBER, i % 12 < 10 ? members[i % 12] : NULL);
    }

  return batches;
}

static GPtrArray *
make_time_entries (int n,
                   int n_tickets_for)
{
  GPtrArray *batches = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_record_batch_unref);
  gint64 start = hs_gda_test_usec ("2024-07-01T08:00:00Z");
  HsRecordBatch *batch = NULL;

  for (int i = 0; i < n; i++)
    {
      guint r;

      if (batch == NULL || hs_record_batch_get_n_records (batch) == PAGE_SIZE)
        {
          batch = hs_record_batch_new (HS_STREAM_TIME_ENTRIES);
          g_ptr_array_add (batches, batch);
        }

      r = hs_record_batch_append (batch);
      hs_record_batch_set_int (batch, r, HS_TIME_ENTRY_TICKET_ID, 10000 + i % n_tickets_for);
      hs_record_batch_set_int (batch, r, HS_TIME_ENTRY_ACTION_ID, 1 + i / n_tickets_for);
      hs_record_batch_set_int (batch, r, HS_TIME_ENTRY_AGENT_ID, 2 + i % 12);
      hs_record_batch_set_timestamp (batch, r, HS_TIME_ENTRY_STARTED_AT,
                                     start + (gint64) (i % 360) * 86400 * G_USEC_PER_SEC);
      hs_record_batch_set_double (batch, r, HS_TIME_ENTRY_HOURS, 0.25 + (i % 8) * 0.25);
      if (i % 5 != 0)
        hs_record_batch_set_boolean (batch, r, HS_TIME_ENTRY_BILLABLE, i % 5 != 1);
      hs_record_batch_set_text (batch, r, HS_TIME_ENTRY_MEMBER, i % 12 < 10 ? members[i % 12] : NULL);
    }

  return batches;
}

static double
write_stream (HsSink    *sink,
              HsRun     *run,
              GPtrArray *batches,
              guint      expect_inserted)
{
  gint64 started = g_get_monotonic_time ();
  guint64 inserted = 0, updated = 0;

  for (guint i = 0; i < batches->len; i++)
    {
      g_autoptr(GError) error = NULL;
      guint batch_inserted, batch_updated;

      g_assert_true (hs_gda_test_write_batch (sink, run, g_ptr_array_index (batches, i),
                                              &batch_inserted, &batch_updated, &error));
      g_assert_no_error (error);
      inserted += batch_inserted;
      updated += batch_updated;
    }

  g_assert_cmpuint (inserted, ==, expect_inserted);
  g_assert_cmpuint (updated, ==, 0);
  return (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
}

static void
bench (HsTestDbKind kind,
       const char  *query,
       const char  *name)
{
  g_autoptr(HsTestDb) db = hs_test_db_new (kind);
  g_autofree char *uri = NULL;
  g_autoptr(HsSink) sink = NULL;
  g_autoptr(GPtrArray) tickets = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  /* Under tests/with-pgbouncer.sh the plain URI is the pooled path. */
  if (query[0] != '\0' && strchr (hs_test_db_get_uri (db), '?') != NULL)
    {
      g_print ("%-17s skipped: postgresql above went through the pooler already\n", name);
      return;
    }
  uri = g_strconcat (hs_test_db_get_uri (db), query, NULL);
  sink = hs_gda_test_open_sink (uri);
  tickets = make_tickets (n_tickets);
  entries = make_time_entries (n_time_entries, MAX (n_tickets, 1));

  hs_gda_test_add_fiscal_year (sink, "FY2025", "2024-07-01", "2025-06-30");

  for (int pass = 0; pass < 2; pass++)
    {
      g_autoptr(HsRun) run = hs_run_new ("FY2025", HS_TRIGGER_CLI,
                                         incremental ? HS_SYNC_INCREMENTAL : HS_SYNC_FULL, FALSE);
      g_autoptr(GError) error = NULL;
      gint64 started = g_get_monotonic_time ();
      double t_tickets, t_entries, total;

      g_assert_true (hs_gda_test_begin_run (sink, run, &error));
      g_assert_no_error (error);
      t_tickets = write_stream (sink, run, tickets, pass == 0 ? n_tickets : 0);
      t_entries = write_stream (sink, run, entries, pass == 0 ? n_time_entries : 0);
      if (pass == 0)
        {
          hs_run_add_count (run, HS_STREAM_TICKETS, HS_COUNTER_INSERTED, n_tickets);
          hs_run_add_count (run, HS_STREAM_TIME_ENTRIES, HS_COUNTER_INSERTED, n_time_entries);
        }
      hs_run_set_status (run, HS_RUN_SUCCEEDED);
      g_assert_true (hs_gda_test_commit_run (sink, run, &error));
      g_assert_no_error (error);
      total = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;

      g_print ("%-17s %-18s %7d tickets %8.0f rows/s, %7d time entries %8.0f rows/s;"
               " whole run with commit %.2f s = %.0f rows/s\n",
               name, pass == 0 ? "first run:" : "identical again:",
               n_tickets, n_tickets / t_tickets, n_time_entries, n_time_entries / t_entries,
               total, (n_tickets + n_time_entries) / total);
    }

  g_assert_cmpint (hs_test_db_query_int (db, "SELECT count(*) FROM tickets"), ==, n_tickets);
  g_assert_cmpint (hs_test_db_query_int (db, "SELECT count(*) FROM time_entries"), ==, n_time_entries);
}

int
main (int    argc,
      char **argv)
{
  GOptionEntry entries[] = {
    { "tickets", 0, 0, G_OPTION_ARG_INT, &n_tickets, "Tickets to write", "N" },
    { "time-entries", 0, 0, G_OPTION_ARG_INT, &n_time_entries, "Time entries to write", "N" },
    { "provider", 0, 0, G_OPTION_ARG_STRING, &provider, "sqlite, postgresql, postgresql-pooled or all (default)",
      "NAME" },
    { "incremental", 0, 0, G_OPTION_ARG_NONE, &incremental, "Incremental runs, which keep no keys for the sweep", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- measure the gda sink's upserts");
  g_autoptr(GError) error = NULL;
  g_autofree char *home = NULL;

  setlocale (LC_ALL, "C.UTF-8");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || n_tickets < 1 || n_time_entries < 0)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--tickets must be at least 1");
      return 2;
    }

  /* SQLite files and settings go to a directory of the benchmark's own,
   * never the user's. */
  home = g_dir_make_tmp ("hs-bench-sink-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);

  if (provider == NULL || g_strcmp0 (provider, "all") == 0 || g_strcmp0 (provider, "sqlite") == 0)
    bench (HS_TEST_DB_SQLITE, "", "sqlite");
  if (provider == NULL || g_strcmp0 (provider, "all") == 0 || g_strcmp0 (provider, "postgresql") == 0)
    bench (HS_TEST_DB_POSTGRESQL, "", "postgresql");
  /* Beside the prepared path, in the same run: compare the ratio. */
  if (provider == NULL || g_strcmp0 (provider, "all") == 0 || g_strcmp0 (provider, "postgresql-pooled") == 0)
    bench (HS_TEST_DB_POSTGRESQL, "?pgbouncer=true", "postgresql-pooled");

  hs_test_remove_tree (home);
  g_free (provider);
  return 0;
}
