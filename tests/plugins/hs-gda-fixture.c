/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-gda-fixture.h"

/* What the run tests share: a fresh database with the fiscal year
 * FY2025 (2024-07-01 to 2025-06-30) and an open sink, runs on it, and
 * generated batches. */

const char * const hs_gda_fixture_synced_tables[] = {
  "agents", "teams", "clients", "tickets", "time_entries", "member_month_summary", NULL
};

void
hs_gda_fixture_init (HsGdaFixture *fixture,
                     HsTestDbKind  kind)
{
  fixture->db = hs_test_db_new (kind);
  fixture->sink = hs_gda_test_open_sink (hs_test_db_get_uri (fixture->db));
  hs_gda_test_add_fiscal_year (fixture->sink, "FY2025", "2024-07-01", "2025-06-30");
}

void
hs_gda_fixture_clear (HsGdaFixture *fixture)
{
  g_clear_object (&fixture->sink);
  g_clear_pointer (&fixture->db, hs_test_db_free);
}

/* Begins a run of FY2025. */
HsRun *
hs_gda_fixture_begin (HsGdaFixture *fixture,
                      HsSyncMode    mode)
{
  HsRun *run = hs_run_new ("FY2025", HS_TRIGGER_MANUAL, mode, FALSE);
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_gda_test_begin_run (fixture->sink, run, &error));
  g_assert_no_error (error);
  hs_run_set_status (run, HS_RUN_RUNNING);
  return run;
}

/* Commits @run as succeeded. */
void
hs_gda_fixture_commit (HsGdaFixture *fixture,
                       HsRun        *run)
{
  g_autoptr(GError) error = NULL;

  hs_run_set_status (run, HS_RUN_SUCCEEDED);
  g_assert_true (hs_gda_test_commit_run (fixture->sink, run, &error));
  g_assert_no_error (error);
  g_assert_cmpint (hs_run_get_id (run), >, 0);
}

/* @n tickets from @first, opened in July 2024; @version changes the
 * summary of every third one. */
HsRecordBatch *
hs_gda_fixture_tickets (gint64 first,
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

/* @n time entries, three per ticket from @ticket. */
HsRecordBatch *
hs_gda_fixture_time_entries (gint64 ticket,
                             guint  n)
{
  HsRecordBatch *batch = hs_record_batch_new (HS_STREAM_TIME_ENTRIES);

  for (guint i = 0; i < n; i++)
    hs_gda_test_add_time_entry (batch, ticket + i / 3, 1 + i % 3, 5, "2024-08-01T10:00:00Z",
                                0.1 * (i + 1), (int) (i % 3) - 1, i % 4 == 0 ? NULL : "Bob");
  return batch;
}

/* Agents 1 to @n. */
HsRecordBatch *
hs_gda_fixture_agents (guint n)
{
  HsRecordBatch *batch = hs_record_batch_new (HS_STREAM_AGENTS);

  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *name = g_strdup_printf ("Agent %u", i);

      hs_gda_test_add_agent (batch, i, name);
    }
  return batch;
}
