/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-gda-test.h"

/* Shared by the gda sink tests: the plugin loaded from the build tree,
 * synchronous wrappers of the sink's async calls, and record builders. */

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
  g_autoptr(GAsyncResult) result = NULL;

  hs_sink_open_async (sink, NULL, hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  return hs_sink_open_finish (sink, result, error);
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
  g_autoptr(HsFiscalYear) year = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;

  year = hs_fiscal_year_new (label, start, end, &local_error);
  g_assert_no_error (local_error);

  hs_sink_add_fiscal_year_async (sink, year, NULL, hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  return hs_sink_add_fiscal_year_finish (sink, result, error);
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
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *years;

  hs_sink_list_fiscal_years_async (sink, NULL, hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  years = hs_sink_list_fiscal_years_finish (sink, result, &error);
  g_assert_no_error (error);
  return years;
}

gboolean
hs_gda_test_remove_fiscal_year (HsSink     *sink,
                                const char *label,
                                GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hs_sink_remove_fiscal_year_async (sink, label, NULL, hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  return hs_sink_remove_fiscal_year_finish (sink, result, error);
}

GPtrArray *
hs_gda_test_list_agents (HsSink *sink)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *agents;

  hs_sink_list_agents_async (sink, NULL, hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  agents = hs_sink_list_agents_finish (sink, result, &error);
  g_assert_no_error (error);
  return agents;
}

void
hs_gda_test_set_agent_mapping (HsSink         *sink,
                               HsAgentMapping *mapping)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  hs_sink_set_agent_mapping_async (sink, mapping, NULL, hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  g_assert_true (hs_sink_set_agent_mapping_finish (sink, result, &error));
  g_assert_no_error (error);
}

GPtrArray *
hs_gda_test_list_runs (HsSink *sink,
                       guint   limit)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *runs;

  hs_sink_list_runs_async (sink, limit, NULL, hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  runs = hs_sink_list_runs_finish (sink, result, &error);
  g_assert_no_error (error);
  return runs;
}

gboolean
hs_gda_test_save_run (HsSink  *sink,
                      HsRun   *run,
                      GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hs_sink_save_run_async (sink, run, NULL, hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  return hs_sink_save_run_finish (sink, result, error);
}

gboolean
hs_gda_test_begin_run (HsSink       *sink,
                       HsRun        *run,
                       GCancellable *cancellable,
                       GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hs_sink_begin_run_async (sink, run, cancellable, hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  return hs_sink_begin_run_finish (sink, result, error);
}

gboolean
hs_gda_test_write_batch (HsSink        *sink,
                         HsRun         *run,
                         HsRecordBatch *batch,
                         GCancellable  *cancellable,
                         guint         *inserted,
                         guint         *updated,
                         GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hs_sink_write_batch_async (sink, run, batch, cancellable, hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  return hs_sink_write_batch_finish (sink, result, inserted, updated, error);
}

/* Writes @batch and asserts what it inserted and changed. */
void
hs_gda_test_write (HsSink        *sink,
                   HsRun         *run,
                   HsRecordBatch *batch,
                   guint          expect_inserted,
                   guint          expect_updated)
{
  g_autoptr(GError) error = NULL;
  guint inserted = G_MAXUINT, updated = G_MAXUINT;

  g_assert_true (hs_gda_test_write_batch (sink, run, batch, NULL, &inserted, &updated, &error));
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
  g_autoptr(GAsyncResult) result = NULL;

  hs_sink_sweep_async (sink, run, stream, apply, NULL, hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  return hs_sink_sweep_finish (sink, result, n_window, n_missing, error);
}

gboolean
hs_gda_test_commit_run (HsSink  *sink,
                        HsRun   *run,
                        GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hs_sink_commit_run_async (sink, run, NULL, hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  return hs_sink_commit_run_finish (sink, result, error);
}

void
hs_gda_test_abort_run (HsSink *sink,
                       HsRun  *run)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  hs_sink_abort_run_async (sink, run, NULL, hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  g_assert_true (hs_sink_abort_run_finish (sink, result, &error));
  g_assert_no_error (error);
}

GVariant *
hs_gda_test_summarize (HsSink     *sink,
                       const char *fiscal_year,
                       GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hs_sink_summarize_async (sink, fiscal_year, NULL, hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  return hs_sink_summarize_finish (sink, result, error);
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
