/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-gda-test.h"

/* The sink's own tables: fiscal years, agent mappings, the run ledger
 * and the per-member summary. */

static HsRun *
begin (HsSink     *sink,
       const char *fiscal_year)
{
  HsRun *run = hs_run_new (fiscal_year, HS_TRIGGER_MANUAL, HS_SYNC_INCREMENTAL, FALSE);
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_gda_test_begin_run (sink, run, &error));
  g_assert_no_error (error);
  return run;
}

static void
commit (HsSink *sink,
        HsRun  *run)
{
  g_autoptr(GError) error = NULL;

  hs_run_set_status (run, HS_RUN_SUCCEEDED);
  g_assert_true (hs_gda_test_commit_run (sink, run, &error));
  g_assert_no_error (error);
}

static void
assert_year (GPtrArray  *years,
             guint       index,
             const char *label,
             const char *start,
             const char *end)
{
  HsFiscalYear *year = g_ptr_array_index (years, index);
  g_autofree char *start_text = hs_fiscal_year_dup_start_text (year);
  g_autofree char *end_text = hs_fiscal_year_dup_end_text (year);

  g_assert_cmpstr (hs_fiscal_year_get_label (year), ==, label);
  g_assert_cmpstr (start_text, ==, start);
  g_assert_cmpstr (end_text, ==, end);
}

static void
test_fiscal_years (HsTestDbKind kind)
{
  g_autoptr(HsTestDb) db = hs_test_db_new (kind);
  g_autoptr(HsSink) sink = hs_gda_test_open_sink (hs_test_db_get_uri (db));
  g_autoptr(GPtrArray) years = NULL;
  g_autoptr(HsRecordBatch) batch = hs_record_batch_new (HS_STREAM_TICKETS);
  g_autoptr(HsRecordBatch) agents = hs_record_batch_new (HS_STREAM_AGENTS);
  g_autoptr(HsRun) run = NULL;
  g_autoptr(HsRun) unused = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  /* Added out of order, listed earliest first; labels are kept as
   * written. */
  hs_gda_test_add_fiscal_year (sink, "FY2025", "2024-07-01", "2025-06-30");
  hs_gda_test_add_fiscal_year (sink, "FY’24 “Ünïcødé” 😀", "2023-07-01", "2024-06-30");
  years = hs_gda_test_list_fiscal_years (sink);
  g_assert_cmpuint (years->len, ==, 2);
  assert_year (years, 0, "FY’24 “Ünïcødé” 😀", "2023-07-01", "2024-06-30");
  assert_year (years, 1, "FY2025", "2024-07-01", "2025-06-30");

  /* Names and overlaps are the engine's rules (see test-engine-rules);
   * the database still refuses a second row of the same name, and that
   * changes nothing. */
  before = hs_test_db_checksum (db, hs_gda_test_tables);
  g_assert_false (hs_gda_test_try_add_fiscal_year (sink, "FY2025", "2030-01-01", "2030-12-31", &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, "“FY2025”"));
  g_clear_error (&error);
  after = hs_test_db_checksum (db, hs_gda_test_tables);
  g_assert_cmpstr (before, ==, after);

  g_assert_false (hs_gda_test_remove_fiscal_year (sink, "FY1999", &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A year that tickets and time entries belong to stays. */
  hs_gda_test_add_ticket (batch, 1, "One", 2, "2024-07-02T00:00:00Z", NULL, 1.0, NULL);
  hs_gda_test_add_ticket (batch, 2, "Two", 2, "2024-07-02T00:00:00Z", NULL, 1.0, NULL);
  run = begin (sink, "FY2025");
  hs_gda_test_write (sink, run, batch, 2, 0);
  commit (sink, run);
  g_assert_false (hs_gda_test_remove_fiscal_year (sink, "FY2025", &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_CONFLICT);
  g_assert_cmpstr (error->message, ==,
                   "The fiscal year “FY2025” still holds 2 synced rows (tickets and time entries); it cannot be deleted");
  g_clear_error (&error);

  /* One with only agents and a cursor goes, with its cursor. */
  hs_gda_test_add_agent (agents, 3, "Carol");
  unused = begin (sink, "FY’24 “Ünïcødé” 😀");
  hs_gda_test_write (sink, unused, agents, 1, 0);
  hs_run_set_cursor_after (unused, HS_STREAM_AGENTS, 42);
  commit (sink, unused);
  g_assert_cmpint (hs_test_db_query_int (db, "SELECT count(*) FROM sync_state"), ==, 1);
  g_assert_true (hs_gda_test_remove_fiscal_year (sink, "FY’24 “Ünïcødé” 😀", &error));
  g_assert_no_error (error);
  g_assert_cmpint (hs_test_db_query_int (db, "SELECT count(*) FROM sync_state"), ==, 0);

  g_clear_pointer (&years, g_ptr_array_unref);
  years = hs_gda_test_list_fiscal_years (sink);
  g_assert_cmpuint (years->len, ==, 1);
  assert_year (years, 0, "FY2025", "2024-07-01", "2025-06-30");
}

static HsAgentMapping *
find_agent (GPtrArray *agents,
            gint64     id)
{
  for (guint i = 0; i < agents->len; i++)
    {
      HsAgentMapping *agent = g_ptr_array_index (agents, i);

      if (hs_agent_mapping_get_halo_id (agent) == id)
        return agent;
    }
  return NULL;
}

static HsAgentMapping *
mapping (gint64      id,
         const char *member,
         const char *team)
{
  g_autoptr(GError) error = NULL;
  HsAgentMapping *result = hs_agent_mapping_new (id, member, team, &error);

  g_assert_no_error (error);
  return result;
}

static gint64
count_member (HsTestDb   *db,
              const char *table,
              const char *condition)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE agent_id = 2 AND %s", table, condition);

  return hs_test_db_query_int (db, sql);
}

static void
test_agent_mappings (HsTestDbKind kind)
{
  g_autoptr(HsTestDb) db = hs_test_db_new (kind);
  g_autoptr(HsSink) sink = hs_gda_test_open_sink (hs_test_db_get_uri (db));
  g_autoptr(HsRecordBatch) agents = hs_record_batch_new (HS_STREAM_AGENTS);
  g_autoptr(HsRecordBatch) tickets = hs_record_batch_new (HS_STREAM_TICKETS);
  g_autoptr(HsRecordBatch) entries = hs_record_batch_new (HS_STREAM_TIME_ENTRIES);
  g_autoptr(HsAgentMapping) alice = mapping (2, "O’Brien “Alice” 😀", "Blue");
  g_autoptr(HsAgentMapping) ghost = mapping (9, "Ghost", NULL);
  g_autoptr(HsAgentMapping) inactive = mapping (2, "O’Brien “Alice” 😀", "Blue");
  g_autoptr(HsAgentMapping) unmap = mapping (2, NULL, NULL);
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(HsRun) run = NULL;
  HsAgentMapping *agent;
  char *member;

  hs_gda_test_add_fiscal_year (sink, "FY2025", "2024-07-01", "2025-06-30");
  hs_gda_test_add_agent (agents, 1, "Agent One");
  hs_gda_test_add_agent (agents, 2, "Agent Two");
  hs_gda_test_add_agent (agents, 3, "Agent Three");
  hs_gda_test_add_ticket (tickets, 10, "Mine", 2, "2024-07-02T00:00:00Z", NULL, 1.0, NULL);
  hs_gda_test_add_ticket (tickets, 11, "Mine too", 2, "2024-07-03T00:00:00Z", NULL, 1.0, NULL);
  hs_gda_test_add_ticket (tickets, 12, "Not mine", 3, "2024-07-03T00:00:00Z", NULL, 1.0, NULL);
  hs_gda_test_add_time_entry (entries, 10, 1, 2, "2024-07-02T10:00:00Z", 1.5, 1, NULL);
  hs_gda_test_add_time_entry (entries, 12, 1, 3, "2024-07-03T10:00:00Z", 2.5, 1, NULL);
  run = begin (sink, "FY2025");
  hs_gda_test_write (sink, run, agents, 3, 0);
  hs_gda_test_write (sink, run, tickets, 3, 0);
  hs_gda_test_write (sink, run, entries, 2, 0);
  hs_run_add_count (run, HS_STREAM_TICKETS, HS_COUNTER_INSERTED, 3);
  commit (sink, run);

  hs_gda_test_set_agent_mapping (sink, alice);
  hs_gda_test_set_agent_mapping (sink, ghost);
  g_assert_cmpint (count_member (db, "tickets", "member = 'O’Brien “Alice” 😀'"), ==, 2);
  g_assert_cmpint (count_member (db, "time_entries", "member = 'O’Brien “Alice” 😀'"), ==, 1);
  g_assert_cmpint (hs_test_db_query_int (db, "SELECT count(*) FROM tickets WHERE member IS NULL"), ==, 1);

  listed = hs_gda_test_list_agents (sink);
  g_assert_cmpuint (listed->len, ==, 4);
  for (guint i = 1; i < listed->len; i++)
    g_assert_cmpint (hs_agent_mapping_get_halo_id (g_ptr_array_index (listed, i - 1)),
                     <, hs_agent_mapping_get_halo_id (g_ptr_array_index (listed, i)));
  agent = find_agent (listed, 2);
  g_assert_cmpstr (hs_agent_mapping_get_agent_name (agent), ==, "Agent Two");
  g_assert_cmpstr (hs_agent_mapping_get_member (agent), ==, "O’Brien “Alice” 😀");
  g_assert_cmpstr (hs_agent_mapping_get_team (agent), ==, "Blue");
  /* Halo's own team for the agent, whatever the mapping says. */
  g_assert_cmpstr (hs_agent_mapping_get_halo_team (agent), ==, "Service Desk");
  g_assert_true (hs_agent_mapping_is_mapped (agent));
  agent = find_agent (listed, 1);
  g_assert_cmpstr (hs_agent_mapping_get_agent_name (agent), ==, "Agent One");
  g_assert_cmpstr (hs_agent_mapping_get_halo_team (agent), ==, "Service Desk");
  g_assert_false (hs_agent_mapping_is_mapped (agent));
  /* A mapped agent no sync has seen yet. */
  agent = find_agent (listed, 9);
  g_assert_null (hs_agent_mapping_get_agent_name (agent));
  g_assert_null (hs_agent_mapping_get_halo_team (agent));
  g_assert_cmpstr (hs_agent_mapping_get_member (agent), ==, "Ghost");
  g_assert_null (hs_agent_mapping_get_team (agent));

  /* An inactive mapping is kept but maps nobody. */
  hs_agent_mapping_set_active (inactive, FALSE);
  hs_gda_test_set_agent_mapping (sink, inactive);
  g_assert_cmpint (count_member (db, "tickets", "member IS NULL"), ==, 2);
  g_assert_cmpint (count_member (db, "time_entries", "member IS NULL"), ==, 1);
  g_clear_pointer (&listed, g_ptr_array_unref);
  listed = hs_gda_test_list_agents (sink);
  agent = find_agent (listed, 2);
  g_assert_cmpstr (hs_agent_mapping_get_member (agent), ==, "O’Brien “Alice” 😀");
  g_assert_false (hs_agent_mapping_get_active (agent));
  g_assert_false (hs_agent_mapping_is_mapped (agent));

  hs_gda_test_set_agent_mapping (sink, alice);
  g_assert_cmpint (count_member (db, "tickets", "member IS NULL"), ==, 0);

  /* Removing the mapping unmaps the stored rows. */
  hs_gda_test_set_agent_mapping (sink, unmap);
  g_assert_cmpint (count_member (db, "tickets", "member IS NULL"), ==, 2);
  g_assert_cmpint (count_member (db, "time_entries", "member IS NULL"), ==, 1);
  g_assert_cmpint (hs_test_db_query_int (db, "SELECT count(*) FROM agent_mappings"), ==, 1);
  g_clear_pointer (&listed, g_ptr_array_unref);
  listed = hs_gda_test_list_agents (sink);
  g_assert_cmpuint (listed->len, ==, 4);
  g_assert_null (hs_agent_mapping_get_member (find_agent (listed, 2)));

  member = hs_test_db_query_string (db, "SELECT member FROM agent_mappings");
  g_assert_cmpstr (member, ==, "Ghost");
  g_free (member);
}

static void
assert_same_run (HsRun *a,
                 HsRun *b)
{
  const char * const *wa = hs_run_get_warnings (a);
  const char * const *wb = hs_run_get_warnings (b);
  GArray *ua = hs_run_get_unmapped_agents (a);
  GArray *ub = hs_run_get_unmapped_agents (b);

  g_assert_cmpint (hs_run_get_id (a), ==, hs_run_get_id (b));
  g_assert_cmpstr (hs_run_get_fiscal_year (a), ==, hs_run_get_fiscal_year (b));
  g_assert_cmpint (hs_run_get_trigger (a), ==, hs_run_get_trigger (b));
  g_assert_cmpint (hs_run_get_mode (a), ==, hs_run_get_mode (b));
  g_assert_cmpint (hs_run_get_dry_run (a), ==, hs_run_get_dry_run (b));
  g_assert_cmpint (hs_run_get_allow_mass_delete (a), ==, hs_run_get_allow_mass_delete (b));
  g_assert_cmpint (hs_run_get_status (a), ==, hs_run_get_status (b));
  g_assert_cmpint (hs_run_get_stage (a), ==, hs_run_get_stage (b));
  g_assert_cmpint (hs_run_get_stream (a), ==, hs_run_get_stream (b));
  g_assert_cmpint (hs_run_get_started_at (a), ==, hs_run_get_started_at (b));
  g_assert_cmpint (hs_run_get_finished_at (a), ==, hs_run_get_finished_at (b));
  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    {
      for (HsCounter counter = 0; counter < HS_N_COUNTERS; counter++)
        g_assert_cmpuint (hs_run_get_count (a, stream, counter), ==, hs_run_get_count (b, stream, counter));
      g_assert_cmpint (hs_run_get_remote_count (a, stream), ==, hs_run_get_remote_count (b, stream));
      g_assert_cmpint (hs_run_get_cursor_before (a, stream), ==, hs_run_get_cursor_before (b, stream));
      g_assert_cmpint (hs_run_get_cursor_after (a, stream), ==, hs_run_get_cursor_after (b, stream));
    }
  g_assert_cmpuint (hs_run_get_api_calls (a), ==, hs_run_get_api_calls (b));
  g_assert_cmpuint (hs_run_get_n_warnings (a), ==, hs_run_get_n_warnings (b));
  if (wa == NULL || wb == NULL)
    g_assert_true (wa == wb || (wa != NULL ? wa[0] : wb[0]) == NULL);
  else
    g_assert_cmpstrv (wa, wb);
  g_assert_cmpuint (ua->len, ==, ub->len);
  for (guint i = 0; i < ua->len; i++)
    g_assert_cmpint (g_array_index (ua, gint64, i), ==, g_array_index (ub, gint64, i));
  g_assert_cmpstr (hs_run_get_error_message (a), ==, hs_run_get_error_message (b));
}

/* Every field of a run survives the ledger, and the ledger lists the
 * newest run first. */
static void
test_runs (HsTestDbKind kind)
{
  g_autoptr(HsTestDb) db = hs_test_db_new (kind);
  g_autoptr(HsSink) sink = hs_gda_test_open_sink (hs_test_db_get_uri (db));
  g_autoptr(HsRun) full = hs_run_new ("FY2025", HS_TRIGGER_FISCAL_YEAR, HS_SYNC_FULL, FALSE);
  g_autoptr(HsRun) plain = hs_run_new ("FY2025", HS_TRIGGER_HOURLY, HS_SYNC_INCREMENTAL, TRUE);
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  hs_run_set_allow_mass_delete (full, TRUE);
  hs_run_set_status (full, HS_RUN_FAILED);
  hs_run_set_stage (full, HS_RUN_STAGE_DELETING);
  hs_run_set_stream (full, HS_STREAM_TIME_ENTRIES);
  hs_run_set_started_at (full, hs_gda_test_usec ("2025-01-02T03:04:05.678901Z"));
  hs_run_set_finished_at (full, hs_gda_test_usec ("2025-01-02T03:14:05.000001Z"));
  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    {
      for (HsCounter counter = 0; counter < HS_N_COUNTERS; counter++)
        hs_run_add_count (full, stream, counter, 1000 * stream + 10 * counter + 7);
      hs_run_set_remote_count (full, stream, stream == HS_STREAM_TEAMS ? -1 : 500 + (gint64) stream);
      hs_run_set_cursor_before (full, stream, 1700000000000000 + stream);
      hs_run_set_cursor_after (full, stream, stream == HS_STREAM_CLIENTS ? 0 : 1700000001000000 + stream);
    }
  hs_run_add_api_calls (full, 321);
  for (guint i = 0; i < 55; i++)
    {
      g_autofree char *warning = g_strdup_printf ("Warning %u: “odd” value 'x' 😀\nsecond line", i);

      hs_run_add_warning (full, warning);
    }
  hs_run_add_unmapped_agent (full, 77);
  hs_run_add_unmapped_agent (full, 5);
  hs_run_set_error_message (full, "Halo answered 500 “Internal Server Error” for /api/Tickets");

  g_assert_true (hs_gda_test_save_run (sink, full, &error));
  g_assert_no_error (error);
  g_assert_cmpint (hs_run_get_id (full), >, 0);
  id = hs_run_get_id (full);

  /* A run with every optional field empty. */
  g_assert_true (hs_gda_test_save_run (sink, plain, &error));
  g_assert_no_error (error);
  g_assert_cmpint (hs_run_get_id (plain), >, id);

  runs = hs_gda_test_list_runs (sink, 10);
  g_assert_cmpuint (runs->len, ==, 2);
  assert_same_run (g_ptr_array_index (runs, 0), plain);
  assert_same_run (g_ptr_array_index (runs, 1), full);

  /* Saving a recorded run updates its row. */
  hs_run_set_status (full, HS_RUN_SUCCEEDED);
  hs_run_set_error_message (full, NULL);
  hs_run_set_stage (full, HS_RUN_STAGE_DONE);
  g_assert_true (hs_gda_test_save_run (sink, full, &error));
  g_assert_no_error (error);
  g_assert_cmpint (hs_run_get_id (full), ==, id);
  g_clear_pointer (&runs, g_ptr_array_unref);
  runs = hs_gda_test_list_runs (sink, 1);
  g_assert_cmpuint (runs->len, ==, 1);
  assert_same_run (g_ptr_array_index (runs, 0), plain);
  g_clear_pointer (&runs, g_ptr_array_unref);
  runs = hs_gda_test_list_runs (sink, 5);
  assert_same_run (g_ptr_array_index (runs, 1), full);
  g_assert_cmpint (hs_test_db_query_int (db, "SELECT count(*) FROM sync_runs"), ==, 2);
}

static void
assert_entry (GVariant   *summary,
              gsize       index,
              const char *member,
              const char *team,
              const char *month,
              double      hours,
              double      billable,
              guint32     opened,
              guint32     closed)
{
  const char *m, *t, *mo;
  double h, b;
  guint32 o, c;

  g_variant_get_child (summary, index, "(&s&s&sdduu)", &m, &t, &mo, &h, &b, &o, &c);
  g_assert_cmpstr (m, ==, member);
  g_assert_cmpstr (t, ==, team);
  g_assert_cmpstr (mo, ==, month);
  g_assert_cmpfloat (h, ==, hours);
  g_assert_cmpfloat (b, ==, billable);
  g_assert_cmpuint (o, ==, opened);
  g_assert_cmpuint (c, ==, closed);
}

static void
assert_summary (HsSink *sink)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) summary = hs_gda_test_summarize (sink, "FY2025", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (g_variant_get_type_string (summary), ==, "a(sssdduu)");
  g_assert_cmpuint (g_variant_n_children (summary), ==, 5);
  assert_entry (summary, 0, "Alice", "Blue", "2024-07", 3.75, 2.0, 1, 1);
  assert_entry (summary, 1, "Bob", "", "2024-07", 1.0, 1.0, 1, 0);
  assert_entry (summary, 2, "Alice", "Blue", "2024-08", 0.5, 0.5, 0, 1);
  assert_entry (summary, 3, "", "", "2024-09", 4.0, 4.0, 1, 1);
  assert_entry (summary, 4, "Bob", "", "2025-06", 2.0, 2.0, 0, 0);
}

/* The summary of a small data set, worked out by hand: months are UTC
 * calendar months, the window is [2024-07-01, 2025-07-01), unknown
 * billing is not billable, deleted rows do not count. */
static void
test_summary (HsTestDbKind kind)
{
  g_autoptr(HsTestDb) db = hs_test_db_new (kind);
  g_autoptr(HsSink) sink = hs_gda_test_open_sink (hs_test_db_get_uri (db));
  g_autoptr(HsAgentMapping) alice = mapping (1, "Alice", "Blue");
  g_autoptr(HsAgentMapping) bob = mapping (2, "Bob", NULL);
  g_autoptr(HsAgentMapping) carol = mapping (3, "Carol", "Green");
  g_autoptr(HsRecordBatch) entries = hs_record_batch_new (HS_STREAM_TIME_ENTRIES);
  g_autoptr(HsRecordBatch) tickets = hs_record_batch_new (HS_STREAM_TICKETS);
  g_autoptr(HsRecordBatch) gone = hs_record_batch_new (HS_STREAM_TICKETS);
  g_autoptr(HsRecordBatch) again = NULL;
  g_autoptr(HsRun) run = NULL;
  g_autoptr(HsRun) sweeping = hs_run_new ("FY2025", HS_TRIGGER_MANUAL, HS_SYNC_FULL, FALSE);
  g_autoptr(HsRun) quiet = NULL;
  g_autoptr(HsRun) changing = NULL;
  g_autoptr(GVariant) empty = NULL;
  g_autoptr(GVariant) remapped = NULL;
  g_autoptr(GError) error = NULL;
  guint64 n_window, n_missing;
  const char *member, *team;

  hs_gda_test_add_fiscal_year (sink, "FY2025", "2024-07-01", "2025-06-30");
  hs_gda_test_set_agent_mapping (sink, alice);
  hs_gda_test_set_agent_mapping (sink, bob);

  hs_gda_test_add_time_entry (entries, 1, 1, 1, "2024-07-03T09:00:00Z", 2.0, 1, "Alice");
  hs_gda_test_add_time_entry (entries, 1, 2, 1, "2024-07-15T09:00:00Z", 1.5, 0, "Alice");
  hs_gda_test_add_time_entry (entries, 1, 3, 1, "2024-07-20T09:00:00Z", 0.25, -1, "Alice");
  hs_gda_test_add_time_entry (entries, 1, 4, 1, "2024-08-01T00:00:00Z", 0.5, 1, "Alice");
  hs_gda_test_add_time_entry (entries, 2, 1, 1, "2024-06-30T23:59:59Z", 3.0, 1, "Alice");
  hs_gda_test_add_time_entry (entries, 3, 1, 2, "2024-07-31T23:30:00Z", 1.0, 1, "Bob");
  hs_gda_test_add_time_entry (entries, 3, 2, 2, "2025-06-30T23:59:59.999999Z", 2.0, 1, "Bob");
  hs_gda_test_add_time_entry (entries, 3, 3, 2, "2025-07-01T00:00:00Z", 1.0, 1, "Bob");
  hs_gda_test_add_time_entry (entries, 4, 1, 3, "2024-09-10T12:00:00Z", 4.0, 1, NULL);
  hs_gda_test_add_ticket (tickets, 1, "T1", 1, "2024-07-02T08:00:00Z", "2024-08-05T08:00:00Z", 4.25, "Alice");
  hs_gda_test_add_ticket (tickets, 2, "T2", 1, "2024-06-15T08:00:00Z", "2024-07-20T08:00:00Z", 3.0, "Alice");
  hs_gda_test_add_ticket (tickets, 3, "T3", 2, "2024-07-10T08:00:00Z", NULL, 4.0, "Bob");
  hs_gda_test_add_ticket (tickets, 4, "T4", 3, "2024-09-01T08:00:00Z", "2024-09-02T08:00:00Z", 4.0, NULL);
  hs_gda_test_add_ticket (tickets, 5, "T5", 2, "2024-10-01T08:00:00Z", "2024-10-02T08:00:00Z", 1.0, "Bob");

  run = begin (sink, "FY2025");
  hs_gda_test_write (sink, run, entries, 9, 0);
  hs_gda_test_write (sink, run, tickets, 5, 0);
  commit (sink, run);

  /* Ticket 5 disappears from Halo: a full run marks it deleted. */
  g_assert_true (hs_gda_test_begin_run (sink, sweeping, &error));
  g_assert_no_error (error);
  hs_gda_test_write (sink, sweeping, entries, 0, 0);
  hs_gda_test_add_ticket (gone, 1, "T1", 1, "2024-07-02T08:00:00Z", "2024-08-05T08:00:00Z", 4.25, "Alice");
  hs_gda_test_add_ticket (gone, 2, "T2", 1, "2024-06-15T08:00:00Z", "2024-07-20T08:00:00Z", 3.0, "Alice");
  hs_gda_test_add_ticket (gone, 3, "T3", 2, "2024-07-10T08:00:00Z", NULL, 4.0, "Bob");
  hs_gda_test_add_ticket (gone, 4, "T4", 3, "2024-09-01T08:00:00Z", "2024-09-02T08:00:00Z", 4.0, NULL);
  hs_gda_test_write (sink, sweeping, gone, 0, 0);
  g_assert_true (hs_gda_test_sweep (sink, sweeping, HS_STREAM_TICKETS, TRUE, &n_window, &n_missing, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_missing, ==, 1);
  hs_run_add_count (sweeping, HS_STREAM_TICKETS, HS_COUNTER_DELETED, n_missing);
  commit (sink, sweeping);
  assert_summary (sink);

  /* The summary changes only when a run rebuilds it; when a run does is
   * the engine's rule (see test-engine-rules). */
  hs_test_db_exec (db, "UPDATE member_month_summary SET hours = 99 WHERE month = '2024-09'");
  quiet = begin (sink, "FY2025");
  hs_gda_test_write (sink, quiet, gone, 0, 0);
  hs_run_set_status (quiet, HS_RUN_SUCCEEDED);
  g_assert_true (hs_gda_test_commit_without_summary (sink, quiet, &error));
  g_assert_no_error (error);
  g_assert_cmpint (hs_test_db_query_int (db, "SELECT count(*) FROM member_month_summary WHERE hours = 99"), ==, 1);

  again = hs_record_batch_new (HS_STREAM_TICKETS);
  hs_gda_test_add_ticket (again, 6, "T6", 2, "2023-01-01T00:00:00Z", NULL, 1.0, "Bob");
  changing = begin (sink, "FY2025");
  hs_gda_test_write (sink, changing, again, 1, 0);
  commit (sink, changing);
  assert_summary (sink);

  /* Mapping the unmapped agent moves its work to the member at once. */
  hs_gda_test_set_agent_mapping (sink, carol);
  remapped = hs_gda_test_summarize (sink, "FY2025", &error);
  g_assert_no_error (error);
  g_variant_get_child (remapped, 3, "(&s&s&sdduu)", &member, &team, NULL, NULL, NULL, NULL, NULL);
  g_assert_cmpstr (member, ==, "Carol");
  g_assert_cmpstr (team, ==, "Green");

  empty = hs_gda_test_summarize (sink, "FY2099", &error);
  g_assert_error (error, HS_ERROR, HS_ERROR_NOT_FOUND);
  g_assert_null (empty);
}

int
main (int    argc,
      char **argv)
{
  hs_test_init (&argc, &argv);

  hs_gda_test_add ("fiscal-years", test_fiscal_years);
  hs_gda_test_add ("agent-mappings", test_agent_mappings);
  hs_gda_test_add ("runs", test_runs);
  hs_gda_test_add ("summary", test_summary);

  return g_test_run ();
}
