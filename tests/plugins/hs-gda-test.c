/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-gda-test.h"

/* Shared by the gda sink tests: the plugin loaded from the build tree,
 * the sink's calls as the tests use them, and record builders.  The tests
 * call the sink from one thread, as the engine does from its worker. */

const char * const hs_gda_test_tables[] = {
  "schema_version", "agents", "teams", "clients", "tickets", "time_entries",
  "fiscal_years", "agent_mappings", "sync_runs", "sync_state", "member_month_summary",
  NULL
};

static void
run_case (gconstpointer data)
{
  const char *path = g_test_get_path ();
  HsGdaTestFunc func = (HsGdaTestFunc) data;

  func (strstr (path, "/postgresql/") != NULL ? HS_TEST_DB_POSTGRESQL : HS_TEST_DB_SQLITE);
}

/* Registers @func twice, as /gda/sqlite/@name and /gda/postgresql/@name:
 * every case runs against both providers. */
void
hs_gda_test_add (const char   *name,
                 HsGdaTestFunc func)
{
  static const HsTestDbKind kinds[] = { HS_TEST_DB_SQLITE, HS_TEST_DB_POSTGRESQL };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *path = g_strdup_printf ("/gda/%s/%s", hs_test_db_kind_to_string (kinds[i]), name);

      g_test_add_data_func (path, (gconstpointer) func, run_case);
    }
}

/* Registers @func as /gda/postgresql/@name only, for what only a
 * database server does. */
void
hs_gda_test_add_postgresql (const char   *name,
                            HsGdaTestFunc func)
{
  g_autofree char *path = g_strdup_printf ("/gda/postgresql/%s", name);

  g_test_add_data_func (path, (gconstpointer) func, run_case);
}

/* Microseconds since the epoch of an ISO 8601 time such as
 * 2024-07-03T09:12:44.5Z. */
gint64
hs_gda_test_usec (const char *iso8601)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (iso8601, NULL);

  g_assert_nonnull (time);
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

static HsPluginLoader *
get_loader (void)
{
  static HsPluginLoader *loader = NULL;

  if (loader == NULL)
    {
      const char *dir = g_getenv ("HS_GDA_PLUGIN_DIR");

      g_assert_nonnull (dir);
      loader = hs_plugin_loader_new ();
      hs_plugin_loader_add_location (loader, dir);
      hs_plugin_loader_load (loader);
    }
  return loader;
}

/* Creates the gda sink for @uri, as the engine does. */
HsSink *
hs_gda_test_new_sink (const char *uri)
{
  g_autoptr(HsConfig) config = hs_config_new ();
  const char *name = NULL;
  GType type;

  type = hs_plugin_loader_find_sink_for_uri (get_loader (), uri, &name);
  g_assert_true (type != G_TYPE_INVALID);
  g_assert_cmpstr (name, ==, "gda");

  return g_object_new (type, "name", name, "config", config, "uri", uri, NULL);
}

gboolean
hs_gda_test_open (HsSink  *sink,
                  GError **error)
{
  return hs_sink_open (sink, NULL, error);
}

HsSink *
hs_gda_test_open_sink (const char *uri)
{
  HsSink *sink = hs_gda_test_new_sink (uri);
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_gda_test_open (sink, &error));
  g_assert_no_error (error);
  return sink;
}

gboolean
hs_gda_test_try_add_fiscal_year (HsSink     *sink,
                                 const char *label,
                                 const char *start,
                                 const char *end,
                                 GError    **error)
{
  g_autoptr(HsFiscalYear) year = hs_fiscal_year_new (label, start, end, error);

  return year != NULL && hs_sink_create_fiscal_year (sink, year, error);
}

void
hs_gda_test_add_fiscal_year (HsSink     *sink,
                             const char *label,
                             const char *start,
                             const char *end)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_gda_test_try_add_fiscal_year (sink, label, start, end, &error));
  g_assert_no_error (error);
}

GPtrArray *
hs_gda_test_list_fiscal_years (HsSink *sink)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *years = hs_sink_list_fiscal_years (sink, &error);

  g_assert_no_error (error);
  return years;
}

gboolean
hs_gda_test_remove_fiscal_year (HsSink     *sink,
                                const char *label,
                                GError    **error)
{
  return hs_sink_delete_fiscal_year (sink, label, error);
}

GPtrArray *
hs_gda_test_list_agents (HsSink *sink)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *agents = hs_sink_list_agents (sink, &error);

  g_assert_no_error (error);
  return agents;
}

void
hs_gda_test_set_agent_mapping (HsSink         *sink,
                               HsAgentMapping *mapping)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_sink_set_agent_mapping (sink, mapping, &error));
  g_assert_no_error (error);
}

GPtrArray *
hs_gda_test_list_runs (HsSink *sink,
                       guint   limit)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *runs = hs_sink_list_runs (sink, limit, &error);

  g_assert_no_error (error);
  return runs;
}

gboolean
hs_gda_test_save_run (HsSink  *sink,
                      HsRun   *run,
                      GError **error)
{
  return hs_sink_save_run (sink, run, error);
}

/* The tests name a run by its HsRun; the transaction the sink opened for
 * it rides along as the run's data. */
#define SINK_RUN_KEY "hs-gda-test-sink-run"

static HsSinkRun *
sink_run_of (HsRun *run)
{
  HsSinkRun *sink_run = g_object_get_data (G_OBJECT (run), SINK_RUN_KEY);

  g_assert_nonnull (sink_run);
  return sink_run;
}

/* Opens @run's transaction in the fiscal year the run names. */
gboolean
hs_gda_test_begin_run (HsSink  *sink,
                       HsRun   *run,
                       GError **error)
{
  g_autoptr(GPtrArray) years = NULL;
  HsFiscalYear *year = NULL;
  HsSinkRun *sink_run;

  years = hs_sink_list_fiscal_years (sink, error);
  if (years == NULL)
    return FALSE;
  for (guint i = 0; i < years->len; i++)
    if (g_strcmp0 (hs_fiscal_year_get_label (g_ptr_array_index (years, i)), hs_run_get_fiscal_year (run)) == 0)
      year = g_ptr_array_index (years, i);
  g_assert_nonnull (year);

  sink_run = hs_sink_begin_run (sink, run, year, error);
  if (sink_run == NULL)
    return FALSE;
  g_object_set_data_full (G_OBJECT (run), SINK_RUN_KEY, sink_run, g_object_unref);
  return TRUE;
}

gboolean
hs_gda_test_write_batch (HsSink        *sink,
                         HsRun         *run,
                         HsRecordBatch *batch,
                         guint         *inserted,
                         guint         *updated,
                         GError       **error)
{
  return hs_sink_run_write_batch (sink_run_of (run), batch, inserted, updated, error);
}

void
hs_gda_test_write (HsSink        *sink,
                   HsRun         *run,
                   HsRecordBatch *batch,
                   guint          expect_inserted,
                   guint          expect_updated)
{
  g_autoptr(GError) error = NULL;
  guint inserted = G_MAXUINT, updated = G_MAXUINT;

  g_assert_true (hs_gda_test_write_batch (sink, run, batch, &inserted, &updated, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (inserted, ==, expect_inserted);
  g_assert_cmpuint (updated, ==, expect_updated);
}

gboolean
hs_gda_test_sweep (HsSink   *sink,
                   HsRun    *run,
                   HsStream  stream,
                   gboolean  apply,
                   guint64  *n_window,
                   guint64  *n_missing,
                   GError  **error)
{
  return hs_sink_run_sweep (sink_run_of (run), stream, apply, n_window, n_missing, error);
}

/* Commits as the engine does: the summary and the ledger row with the
 * rows, the run recorded as succeeded; a dry run is rolled back and
 * only recorded. */
gboolean
hs_gda_test_commit_run (HsSink  *sink,
                        HsRun   *run,
                        GError **error)
{
  HsSinkRun *sink_run = sink_run_of (run);

  hs_run_set_status (run, HS_RUN_SUCCEEDED);
  hs_run_set_stage (run, HS_RUN_STAGE_DONE);
  if (hs_run_get_dry_run (run))
    {
      hs_sink_run_abort (sink_run);
      return hs_sink_save_run (sink, run, error);
    }
  return hs_sink_run_rebuild_summary (sink_run, error) && hs_sink_run_commit (sink_run, run, error);
}

/* Commits the rows, cursors and ledger row as they are, leaving the
 * summary as it was. */
gboolean
hs_gda_test_commit_without_summary (HsSink  *sink,
                                    HsRun   *run,
                                    GError **error)
{
  return hs_sink_run_commit (sink_run_of (run), run, error);
}

void
hs_gda_test_abort_run (HsSink *sink,
                       HsRun  *run)
{
  hs_sink_run_abort (sink_run_of (run));
}

GVariant *
hs_gda_test_summarize (HsSink     *sink,
                       const char *fiscal_year,
                       GError    **error)
{
  return hs_sink_summarize (sink, fiscal_year, error);
}

static void
set_time (HsRecordBatch *batch,
          guint          record,
          guint          field,
          const char    *iso8601)
{
  if (iso8601 != NULL)
    hs_record_batch_set_timestamp (batch, record, field, hs_gda_test_usec (iso8601));
}

/* Appends a ticket; %NULL times and members stay null. */
void
hs_gda_test_add_ticket (HsRecordBatch *batch,
                        gint64         id,
                        const char    *summary,
                        gint64         agent_id,
                        const char    *opened_at,
                        const char    *closed_at,
                        double         hours,
                        const char    *member)
{
  guint r = hs_record_batch_append (batch);

  hs_record_batch_set_int (batch, r, HS_TICKET_ID, id);
  hs_record_batch_set_text (batch, r, HS_TICKET_SUMMARY, summary);
  hs_record_batch_set_int (batch, r, HS_TICKET_STATUS_ID, closed_at != NULL ? 9 : 2);
  hs_record_batch_set_text (batch, r, HS_TICKET_STATUS, closed_at != NULL ? "Closed" : "In Progress");
  hs_record_batch_set_text (batch, r, HS_TICKET_TYPE, "Incident");
  hs_record_batch_set_int (batch, r, HS_TICKET_CLIENT_ID, 17);
  hs_record_batch_set_text (batch, r, HS_TICKET_CLIENT_NAME, "Acme Ltd");
  hs_record_batch_set_int (batch, r, HS_TICKET_AGENT_ID, agent_id);
  hs_record_batch_set_text (batch, r, HS_TICKET_TEAM, "Service Desk");
  set_time (batch, r, HS_TICKET_OPENED_AT, opened_at);
  set_time (batch, r, HS_TICKET_CLOSED_AT, closed_at);
  set_time (batch, r, HS_TICKET_LAST_UPDATE, closed_at != NULL ? closed_at : opened_at);
  hs_record_batch_set_double (batch, r, HS_TICKET_HOURS, hours);
  hs_record_batch_set_text (batch, r, HS_TICKET_MEMBER, member);
}

/* Appends a time entry; @billable is 1, 0, or -1 for unknown. */
void
hs_gda_test_add_time_entry (HsRecordBatch *batch,
                            gint64         ticket_id,
                            gint64         action_id,
                            gint64         agent_id,
                            const char    *started_at,
                            double         hours,
                            int            billable,
                            const char    *member)
{
  guint r = hs_record_batch_append (batch);

  hs_record_batch_set_int (batch, r, HS_TIME_ENTRY_TICKET_ID, ticket_id);
  hs_record_batch_set_int (batch, r, HS_TIME_ENTRY_ACTION_ID, action_id);
  hs_record_batch_set_int (batch, r, HS_TIME_ENTRY_AGENT_ID, agent_id);
  set_time (batch, r, HS_TIME_ENTRY_STARTED_AT, started_at);
  hs_record_batch_set_double (batch, r, HS_TIME_ENTRY_HOURS, hours);
  if (billable >= 0)
    hs_record_batch_set_boolean (batch, r, HS_TIME_ENTRY_BILLABLE, billable != 0);
  hs_record_batch_set_text (batch, r, HS_TIME_ENTRY_MEMBER, member);
}

void
hs_gda_test_add_agent (HsRecordBatch *batch,
                       gint64         id,
                       const char    *name)
{
  guint r = hs_record_batch_append (batch);
  g_autofree char *email = g_strdup_printf ("agent%" G_GINT64_FORMAT "@example.com", id);

  hs_record_batch_set_int (batch, r, HS_AGENT_ID, id);
  hs_record_batch_set_text (batch, r, HS_AGENT_NAME, name);
  hs_record_batch_set_text (batch, r, HS_AGENT_EMAIL, email);
  hs_record_batch_set_text (batch, r, HS_AGENT_TEAM, "Service Desk");
  hs_record_batch_set_boolean (batch, r, HS_AGENT_DISABLED, FALSE);
}
