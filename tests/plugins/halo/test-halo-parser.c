/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-test.h"
#include "hs-halo-parser.h"

/* The fixtures are halo-api.md §5's sample objects, verbatim, plus odd
 * variants; every value a record takes from them is checked. */

static gint64
utc (int    year,
     int    month,
     int    day,
     int    hour,
     int    minute,
     int    second,
     gint64 usec)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (year, month, day, hour, minute, second);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + usec;
}

static GBytes *
load_fixture (const char *name)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;
  const char *path = g_test_get_filename (G_TEST_DIST, "fixtures", "halo", name, NULL);

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static HsPull *
new_pull (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsFiscalYear) fy = hs_fiscal_year_new ("FY2025", "2024-07-01", "2025-06-30", &error);

  g_assert_no_error (error);
  return hs_pull_new (fy, HS_SYNC_FULL);
}

static void
count_warning_cb (HsPull     *pull,
                  const char *message,
                  gpointer    user_data)
{
  GPtrArray *warnings = user_data;

  g_ptr_array_add (warnings, g_strdup (message));
}

/* Parses every row of fixture @name into a batch; returns the first error. */
static HsRecordBatch *
parse_fixture (HsHaloKind  kind,
               const char *name,
               const char *key,
               HsPull     *pull,
               guint      *n_warnings,
               GError    **error)
{
  g_autoptr(GBytes) body = load_fixture (name);
  g_autoptr(HsRecordBatch) batch = hs_record_batch_new (hs_halo_kind_get_stream (kind));
  g_auto(HsHaloParseContext) ctx = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonArray) single = NULL;
  JsonArray *rows;
  gint64 record_count;

  hs_halo_parse_context_init (&ctx, pull, "GET /api/Test", 3);

  root = hs_halo_parse_json (body, &ctx, error);
  if (root == NULL)
    return NULL;

  if (JSON_NODE_HOLDS_OBJECT (root) && key == NULL)
    {
      single = json_array_new ();
      json_array_add_element (single, json_node_copy (root));
      rows = single;
    }
  else
    {
      rows = hs_halo_parse_rows (root, key, &record_count, &ctx, error);
      if (rows == NULL)
        return NULL;
    }

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      guint before = hs_record_batch_get_n_records (batch);
      HsHaloParseResult result = hs_halo_parse_record (kind, json_array_get_element (rows, i),
                                                       batch, &ctx, error);

      if (result == HS_HALO_PARSE_FAILED)
        {
          /* A failure leaves the batch as it was. */
          g_assert_cmpuint (hs_record_batch_get_n_records (batch), ==, before);
          return NULL;
        }
      g_assert_cmpuint (hs_record_batch_get_n_records (batch), ==,
                        before + (result == HS_HALO_PARSE_ADDED ? 1 : 0));
    }

  if (n_warnings != NULL)
    *n_warnings = ctx.n_warnings;
  return g_steal_pointer (&batch);
}

static HsRecordBatch *
parse_ok (HsHaloKind  kind,
          const char *name,
          const char *key,
          guint       n_expected)
{
  g_autoptr(GError) error = NULL;
  guint n_warnings = 99;
  HsRecordBatch *batch = parse_fixture (kind, name, key, NULL, &n_warnings, &error);

  g_assert_no_error (error);
  g_assert_nonnull (batch);
  g_assert_cmpuint (n_warnings, ==, 0);
  g_assert_cmpuint (hs_record_batch_get_n_records (batch), ==, n_expected);
  return batch;
}

static void
test_sample_agent (void)
{
  g_autoptr(HsRecordBatch) b = parse_ok (HS_HALO_KIND_AGENT, "agent.json", NULL, 1);

  g_assert_cmpint (hs_record_batch_get_int (b, 0, HS_AGENT_ID), ==, 12);
  g_assert_cmpstr (hs_record_batch_get_text (b, 0, HS_AGENT_NAME), ==, "Jane Smith");
  g_assert_cmpstr (hs_record_batch_get_text (b, 0, HS_AGENT_EMAIL), ==, "jane.smith@example.com");
  g_assert_cmpstr (hs_record_batch_get_text (b, 0, HS_AGENT_TEAM), ==, "Service Desk");
  g_assert_false (hs_record_batch_is_null (b, 0, HS_AGENT_DISABLED));
  g_assert_false (hs_record_batch_get_boolean (b, 0, HS_AGENT_DISABLED));
}

static void
test_sample_team (void)
{
  g_autoptr(HsRecordBatch) b = parse_ok (HS_HALO_KIND_TEAM, "team.json", NULL, 1);

  g_assert_cmpint (hs_record_batch_get_int (b, 0, HS_TEAM_ID), ==, 3);
  g_assert_cmpstr (hs_record_batch_get_text (b, 0, HS_TEAM_NAME), ==, "Service Desk");
  g_assert_cmpstr (hs_record_batch_get_text (b, 0, HS_TEAM_DEPARTMENT), ==, "Support");
  g_assert_false (hs_record_batch_is_null (b, 0, HS_TEAM_INACTIVE));
  g_assert_false (hs_record_batch_get_boolean (b, 0, HS_TEAM_INACTIVE));
}

static void
test_sample_client (void)
{
  g_autoptr(HsRecordBatch) b = parse_ok (HS_HALO_KIND_CLIENT, "client.json", NULL, 1);

  g_assert_cmpint (hs_record_batch_get_int (b, 0, HS_CLIENT_ID), ==, 17);
  g_assert_cmpstr (hs_record_batch_get_text (b, 0, HS_CLIENT_NAME), ==, "Acme Ltd");
  g_assert_cmpstr (hs_record_batch_get_text (b, 0, HS_CLIENT_TOPLEVEL), ==, "Customers");
  g_assert_false (hs_record_batch_is_null (b, 0, HS_CLIENT_INACTIVE));
  g_assert_false (hs_record_batch_get_boolean (b, 0, HS_CLIENT_INACTIVE));
}

static void
test_sample_ticket (void)
{
  g_autoptr(HsRecordBatch) b = parse_ok (HS_HALO_KIND_TICKET, "ticket.json", NULL, 1);

  g_assert_cmpint (hs_record_batch_get_int (b, 0, HS_TICKET_ID), ==, 10452);
  g_assert_cmpstr (hs_record_batch_get_text (b, 0, HS_TICKET_SUMMARY), ==, "Printer offline");
  g_assert_cmpint (hs_record_batch_get_int (b, 0, HS_TICKET_STATUS_ID), ==, 2);
  g_assert_cmpstr (hs_record_batch_get_text (b, 0, HS_TICKET_STATUS), ==, "In Progress");
  g_assert_cmpstr (hs_record_batch_get_text (b, 0, HS_TICKET_TYPE), ==, "Incident");
  g_assert_cmpint (hs_record_batch_get_int (b, 0, HS_TICKET_CLIENT_ID), ==, 17);
  g_assert_cmpstr (hs_record_batch_get_text (b, 0, HS_TICKET_CLIENT_NAME), ==, "Acme Ltd");
  g_assert_cmpint (hs_record_batch_get_int (b, 0, HS_TICKET_AGENT_ID), ==, 12);
  g_assert_cmpstr (hs_record_batch_get_text (b, 0, HS_TICKET_TEAM), ==, "Service Desk");
  g_assert_cmpint (hs_record_batch_get_timestamp (b, 0, HS_TICKET_OPENED_AT), ==,
                   utc (2024, 7, 3, 9, 12, 44, 123000));
  /* 1900-01-01 is Halo's "not closed". */
  g_assert_true (hs_record_batch_is_null (b, 0, HS_TICKET_CLOSED_AT));
  g_assert_cmpint (hs_record_batch_get_timestamp (b, 0, HS_TICKET_LAST_UPDATE), ==,
                   utc (2024, 7, 3, 10, 6, 31, 500000));
  g_assert_cmpfloat (hs_record_batch_get_double (b, 0, HS_TICKET_HOURS), ==, 1.25);
  /* The engine fills the member from the agent mapping. */
  g_assert_true (hs_record_batch_is_null (b, 0, HS_TICKET_MEMBER));
}

static void
test_sample_action (void)
{
  g_autoptr(HsRecordBatch) b = parse_ok (HS_HALO_KIND_ACTION, "action.json", NULL, 1);

  g_assert_cmpint (hs_record_batch_get_int (b, 0, HS_TIME_ENTRY_TICKET_ID), ==, 10452);
  g_assert_cmpint (hs_record_batch_get_int (b, 0, HS_TIME_ENTRY_ACTION_ID), ==, 3);
  g_assert_cmpint (hs_record_batch_get_int (b, 0, HS_TIME_ENTRY_AGENT_ID), ==, 12);
  g_assert_cmpint (hs_record_batch_get_timestamp (b, 0, HS_TIME_ENTRY_STARTED_AT), ==,
                   utc (2024, 7, 3, 10, 5, 0, 0));
  g_assert_cmpfloat (hs_record_batch_get_double (b, 0, HS_TIME_ENTRY_HOURS), ==, 0.25);
  g_assert_false (hs_record_batch_is_null (b, 0, HS_TIME_ENTRY_BILLABLE));
  g_assert_true (hs_record_batch_get_boolean (b, 0, HS_TIME_ENTRY_BILLABLE));
  g_assert_true (hs_record_batch_is_null (b, 0, HS_TIME_ENTRY_MEMBER));
}

static void
test_sample_timesheet_event (void)
{
  g_autoptr(HsRecordBatch) b = parse_ok (HS_HALO_KIND_TIMESHEET_EVENT, "timesheet-event.json", NULL, 1);

  g_assert_cmpint (hs_record_batch_get_int (b, 0, HS_TIME_ENTRY_TICKET_ID), ==, 10452);
  g_assert_cmpint (hs_record_batch_get_int (b, 0, HS_TIME_ENTRY_ACTION_ID), ==, 3);
  g_assert_cmpint (hs_record_batch_get_int (b, 0, HS_TIME_ENTRY_AGENT_ID), ==, 12);
  g_assert_cmpint (hs_record_batch_get_timestamp (b, 0, HS_TIME_ENTRY_STARTED_AT), ==,
                   utc (2024, 7, 3, 9, 50, 0, 0));
  g_assert_cmpfloat (hs_record_batch_get_double (b, 0, HS_TIME_ENTRY_HOURS), ==, 0.25);
  g_assert_true (hs_record_batch_get_boolean (b, 0, HS_TIME_ENTRY_BILLABLE));
}

static void
test_dates (void)
{
  g_autoptr(HsPull) pull = new_pull ();
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsRecordBatch) b = NULL;
  guint n_warnings = 0;
  gint64 base = utc (2024, 7, 3, 9, 12, 44, 0);

  g_signal_connect (pull, "warning", G_CALLBACK (count_warning_cb), warnings);
  b = parse_fixture (HS_HALO_KIND_TICKET, "tickets-dates.json", "tickets", pull, &n_warnings, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hs_record_batch_get_n_records (b), ==, 9);

  g_assert_cmpint (hs_record_batch_get_timestamp (b, 0, HS_TICKET_OPENED_AT), ==, base);
  g_assert_cmpint (hs_record_batch_get_timestamp (b, 0, HS_TICKET_LAST_UPDATE), ==, base + 100000);
  g_assert_cmpint (hs_record_batch_get_timestamp (b, 1, HS_TICKET_OPENED_AT), ==, base + 120000);
  g_assert_cmpint (hs_record_batch_get_timestamp (b, 1, HS_TICKET_LAST_UPDATE), ==, base + 123000);
  g_assert_cmpint (hs_record_batch_get_timestamp (b, 2, HS_TICKET_OPENED_AT), ==, base + 123400);
  g_assert_cmpint (hs_record_batch_get_timestamp (b, 2, HS_TICKET_LAST_UPDATE), ==, base + 123450);
  g_assert_cmpint (hs_record_batch_get_timestamp (b, 3, HS_TICKET_OPENED_AT), ==, base + 123456);
  g_assert_cmpint (hs_record_batch_get_timestamp (b, 3, HS_TICKET_LAST_UPDATE), ==, base + 123456);
  g_assert_cmpint (hs_record_batch_get_timestamp (b, 4, HS_TICKET_OPENED_AT), ==,
                   utc (2023, 6, 29, 10, 16, 8, 837829));
  g_assert_cmpint (hs_record_batch_get_timestamp (b, 4, HS_TICKET_LAST_UPDATE), ==, base);
  g_assert_cmpint (hs_record_batch_get_timestamp (b, 5, HS_TICKET_OPENED_AT), ==, base);
  g_assert_cmpint (hs_record_batch_get_timestamp (b, 5, HS_TICKET_LAST_UPDATE), ==,
                   utc (2024, 12, 31, 23, 59, 59, 999999));

  /* Sentinels and nulls are null without a warning. */
  g_assert_true (hs_record_batch_is_null (b, 6, HS_TICKET_OPENED_AT));
  g_assert_true (hs_record_batch_is_null (b, 6, HS_TICKET_CLOSED_AT));
  g_assert_true (hs_record_batch_is_null (b, 6, HS_TICKET_LAST_UPDATE));
  g_assert_true (hs_record_batch_is_null (b, 7, HS_TICKET_OPENED_AT));
  g_assert_true (hs_record_batch_is_null (b, 7, HS_TICKET_CLOSED_AT));
  g_assert_true (hs_record_batch_is_null (b, 7, HS_TICKET_LAST_UPDATE));

  /* Not dates: null, one warning per field. */
  g_assert_true (hs_record_batch_is_null (b, 8, HS_TICKET_OPENED_AT));
  g_assert_true (hs_record_batch_is_null (b, 8, HS_TICKET_CLOSED_AT));
  g_assert_cmpint (hs_record_batch_get_timestamp (b, 8, HS_TICKET_LAST_UPDATE), ==, base);
  g_assert_cmpuint (n_warnings, ==, 2);
  g_assert_cmpuint (warnings->len, ==, 2);
  g_assert_cmpstr (warnings->pdata[0], ==,
                   "Halo sent a value of the wrong type in field “dateoccurred” (GET /api/Test, page 3); the value stored before was kept");
  g_assert_cmpstr (warnings->pdata[1], ==,
                   "Halo sent a value of the wrong type in field “dateclosed” (GET /api/Test, page 3); the value stored before was kept");
}

static void
test_odd_values (void)
{
  g_autoptr(HsPull) pull = new_pull ();
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsRecordBatch) b = NULL;
  guint n_warnings = 0;

  g_signal_connect (pull, "warning", G_CALLBACK (count_warning_cb), warnings);
  b = parse_fixture (HS_HALO_KIND_AGENT, "odd-values.json", "results", pull, &n_warnings, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hs_record_batch_get_n_records (b), ==, 6);

  /* "True"/"true"/"False" strings, unknown nested members ignored. */
  g_assert_cmpint (hs_record_batch_get_int (b, 0, HS_AGENT_ID), ==, 20);
  g_assert_cmpstr (hs_record_batch_get_text (b, 0, HS_AGENT_NAME), ==, "Zoë Łukasz");
  g_assert_true (hs_record_batch_is_null (b, 0, HS_AGENT_EMAIL));
  g_assert_cmpstr (hs_record_batch_get_text (b, 0, HS_AGENT_TEAM), ==, "Desk");
  g_assert_true (hs_record_batch_get_boolean (b, 0, HS_AGENT_DISABLED));
  g_assert_cmpstr (hs_record_batch_get_text (b, 1, HS_AGENT_NAME), ==, "Jürgen Müller");
  g_assert_true (hs_record_batch_is_null (b, 1, HS_AGENT_TEAM));
  g_assert_true (hs_record_batch_get_boolean (b, 1, HS_AGENT_DISABLED));
  g_assert_cmpstr (hs_record_batch_get_text (b, 2, HS_AGENT_NAME), ==, "山田 太郎 🎉");
  g_assert_false (hs_record_batch_is_null (b, 2, HS_AGENT_DISABLED));
  g_assert_false (hs_record_batch_get_boolean (b, 2, HS_AGENT_DISABLED));
  g_assert_true (hs_record_batch_is_null (b, 2, HS_AGENT_EMAIL));

  /* Wrong types: null and one warning per field for the whole response. */
  g_assert_cmpint (hs_record_batch_get_int (b, 3, HS_AGENT_ID), ==, 23);
  g_assert_true (hs_record_batch_is_null (b, 3, HS_AGENT_NAME));
  g_assert_true (hs_record_batch_is_null (b, 3, HS_AGENT_EMAIL));
  g_assert_true (hs_record_batch_is_null (b, 3, HS_AGENT_DISABLED));
  g_assert_true (hs_record_batch_is_null (b, 5, HS_AGENT_TEAM));
  g_assert_true (hs_record_batch_is_null (b, 5, HS_AGENT_DISABLED));

  /* A whole number written as 24.0 is an id; 1 is true; SQL is text. */
  g_assert_cmpint (hs_record_batch_get_int (b, 4, HS_AGENT_ID), ==, 24);
  g_assert_cmpstr (hs_record_batch_get_text (b, 4, HS_AGENT_NAME), ==, "x'); DROP TABLE tickets;--");
  g_assert_true (hs_record_batch_get_boolean (b, 4, HS_AGENT_DISABLED));

  /* name, email, isdisabled (twice), team: four distinct fields. */
  g_assert_cmpuint (n_warnings, ==, 4);
  g_assert_cmpuint (warnings->len, ==, 4);
}

static void
test_wrong_types (void)
{
  g_autoptr(HsPull) pull = new_pull ();
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsRecordBatch) b = NULL;
  guint n_warnings = 0;

  g_signal_connect (pull, "warning", G_CALLBACK (count_warning_cb), warnings);
  b = parse_fixture (HS_HALO_KIND_TICKET, "tickets-wrong-types.json", "tickets", pull, &n_warnings, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hs_record_batch_get_n_records (b), ==, 3);

  /* A value of the wrong type is unknown: the sink keeps what it stored. */
  g_assert_true (hs_record_batch_is_unknown (b, 0, HS_TICKET_STATUS_ID));
  g_assert_true (hs_record_batch_is_unknown (b, 0, HS_TICKET_HOURS));
  g_assert_true (hs_record_batch_is_unknown (b, 0, HS_TICKET_AGENT_ID));
  g_assert_true (hs_record_batch_is_null (b, 0, HS_TICKET_AGENT_ID));
  g_assert_cmpint (hs_record_batch_get_int (b, 0, HS_TICKET_CLIENT_ID), ==, 17);
  g_assert_true (hs_record_batch_is_unknown (b, 1, HS_TICKET_SUMMARY));
  g_assert_true (hs_record_batch_is_unknown (b, 1, HS_TICKET_CLIENT_ID));
  g_assert_false (hs_record_batch_is_unknown (b, 2, HS_TICKET_SUMMARY));
  /* An integer where a double is expected is a number like any other. */
  g_assert_cmpfloat (hs_record_batch_get_double (b, 1, HS_TICKET_HOURS), ==, 2.0);
  g_assert_cmpint (hs_record_batch_get_int (b, 2, HS_TICKET_STATUS_ID), ==, 4);
  g_assert_cmpfloat (hs_record_batch_get_double (b, 2, HS_TICKET_HOURS), ==, 0.5);

  /* status_id, timetaken, agent_id, summary, client_id. */
  g_assert_cmpuint (n_warnings, ==, 5);
  g_assert_cmpuint (warnings->len, ==, 5);
  g_assert_cmpstr (warnings->pdata[0], ==,
                   "Halo sent a value of the wrong type in field “status_id” (GET /api/Test, page 3); the value stored before was kept");
}

static void
test_missing_id (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsRecordBatch) b = NULL;

  b = parse_fixture (HS_HALO_KIND_TICKET, "tickets-missing-id.json", "tickets", NULL, NULL, &error);
  g_assert_null (b);
  g_assert_error (error, HS_ERROR, HS_ERROR_PROTOCOL);
  g_assert_cmpstr (error->message, ==,
                   "Halo sent a ticket without a numeric id (GET /api/Test, page 3, field “id”)");
  g_clear_error (&error);

  b = parse_fixture (HS_HALO_KIND_TICKET, "tickets-string-id.json", "tickets", NULL, NULL, &error);
  g_assert_null (b);
  g_assert_error (error, HS_ERROR, HS_ERROR_PROTOCOL);
  g_assert_cmpstr (error->message, ==,
                   "Halo sent a ticket without a numeric id (GET /api/Test, page 3, field “id”)");
}

static void
test_timesheet_events (void)
{
  g_autoptr(HsPull) pull = new_pull ();
  g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsRecordBatch) b = NULL;
  guint n_warnings = 0;

  g_signal_connect (pull, "warning", G_CALLBACK (count_warning_cb), warnings);
  b = parse_fixture (HS_HALO_KIND_TIMESHEET_EVENT, "timesheet-events.json", NULL, pull, &n_warnings, &error);
  g_assert_no_error (error);

  /* Breaks, time off tickets, and events without a type are no entries. */
  g_assert_cmpuint (hs_record_batch_get_n_records (b), ==, 3);

  g_assert_cmpint (hs_record_batch_get_int (b, 0, HS_TIME_ENTRY_TICKET_ID), ==, 100);
  g_assert_cmpint (hs_record_batch_get_int (b, 0, HS_TIME_ENTRY_ACTION_ID), ==, 1);
  g_assert_cmpint (hs_record_batch_get_int (b, 0, HS_TIME_ENTRY_AGENT_ID), ==, 12);
  g_assert_cmpint (hs_record_batch_get_timestamp (b, 0, HS_TIME_ENTRY_STARTED_AT), ==,
                   utc (2025, 7, 1, 8, 0, 0, 0));
  g_assert_cmpfloat (hs_record_batch_get_double (b, 0, HS_TIME_ENTRY_HOURS), ==, 1.5);
  g_assert_true (hs_record_batch_get_boolean (b, 0, HS_TIME_ENTRY_BILLABLE));

  g_assert_cmpint (hs_record_batch_get_int (b, 1, HS_TIME_ENTRY_ACTION_ID), ==, 2);
  g_assert_cmpint (hs_record_batch_get_timestamp (b, 1, HS_TIME_ENTRY_STARTED_AT), ==,
                   utc (2025, 7, 1, 10, 0, 0, 500000));
  g_assert_false (hs_record_batch_is_null (b, 1, HS_TIME_ENTRY_BILLABLE));
  g_assert_false (hs_record_batch_get_boolean (b, 1, HS_TIME_ENTRY_BILLABLE));

  /* Agent 0 is no agent; hours of the wrong type are null; no rate, no
   * billable flag. */
  g_assert_cmpint (hs_record_batch_get_int (b, 2, HS_TIME_ENTRY_TICKET_ID), ==, 101);
  g_assert_cmpint (hs_record_batch_get_int (b, 2, HS_TIME_ENTRY_ACTION_ID), ==, 7);
  g_assert_true (hs_record_batch_is_null (b, 2, HS_TIME_ENTRY_AGENT_ID));
  g_assert_true (hs_record_batch_is_null (b, 2, HS_TIME_ENTRY_HOURS));
  g_assert_true (hs_record_batch_is_null (b, 2, HS_TIME_ENTRY_BILLABLE));

  /* timetaken and event_type. */
  g_assert_cmpuint (n_warnings, ==, 2);
}

static void
test_actions (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsRecordBatch) b = NULL;
  guint n_warnings = 0;

  b = parse_fixture (HS_HALO_KIND_ACTION, "actions.json", "actions", NULL, &n_warnings, &error);
  g_assert_no_error (error);

  /* Notes without time and time nobody logged are no entries; an
   * unreadable time is kept, and so is an agent's time on a system
   * outcome such as Closed. */
  g_assert_cmpuint (hs_record_batch_get_n_records (b), ==, 4);
  g_assert_cmpint (hs_record_batch_get_int (b, 0, HS_TIME_ENTRY_ACTION_ID), ==, 2);
  g_assert_cmpint (hs_record_batch_get_int (b, 0, HS_TIME_ENTRY_TICKET_ID), ==, 200);
  g_assert_cmpfloat (hs_record_batch_get_double (b, 0, HS_TIME_ENTRY_HOURS), ==, 0.75);
  g_assert_true (hs_record_batch_get_boolean (b, 0, HS_TIME_ENTRY_BILLABLE));
  g_assert_cmpint (hs_record_batch_get_int (b, 1, HS_TIME_ENTRY_ACTION_ID), ==, 4);
  g_assert_cmpint (hs_record_batch_get_int (b, 1, HS_TIME_ENTRY_AGENT_ID), ==, 14);
  g_assert_false (hs_record_batch_is_null (b, 1, HS_TIME_ENTRY_BILLABLE));
  g_assert_false (hs_record_batch_get_boolean (b, 1, HS_TIME_ENTRY_BILLABLE));
  g_assert_cmpint (hs_record_batch_get_int (b, 2, HS_TIME_ENTRY_ACTION_ID), ==, 5);
  g_assert_cmpint (hs_record_batch_get_int (b, 2, HS_TIME_ENTRY_AGENT_ID), ==, 13);
  g_assert_true (hs_record_batch_is_null (b, 2, HS_TIME_ENTRY_HOURS));
  g_assert_true (hs_record_batch_is_null (b, 2, HS_TIME_ENTRY_BILLABLE));
  g_assert_cmpint (hs_record_batch_get_int (b, 3, HS_TIME_ENTRY_ACTION_ID), ==, 7);
  g_assert_cmpfloat (hs_record_batch_get_double (b, 3, HS_TIME_ENTRY_HOURS), ==, 0.25);
  g_assert_cmpuint (n_warnings, ==, 1);
}

static void
assert_body_error (const char *text,
                   const char *key,
                   const char *expected_message)
{
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));
  g_auto(HsHaloParseContext) ctx = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  gint64 record_count = 7;

  hs_halo_parse_context_init (&ctx, NULL, "GET /api/Tickets", 0);
  root = hs_halo_parse_json (body, &ctx, &error);
  if (root != NULL)
    g_assert_null (hs_halo_parse_rows (root, key, &record_count, &ctx, &error));

  g_assert_error (error, HS_ERROR, HS_ERROR_PROTOCOL);
  g_assert_true (g_str_has_prefix (error->message, expected_message));
}

static void
test_bodies (void)
{
  assert_body_error ("", "tickets", "Halo sent an empty response (GET /api/Tickets)");
  assert_body_error ("{\"record_count\": 2, \"tickets\": [{\"id\": 1}, {\"id\":",
                     "tickets", "Halo sent malformed or truncated JSON (GET /api/Tickets): ");
  assert_body_error ("<html><body>Service Unavailable</body></html>",
                     "tickets", "Halo sent malformed or truncated JSON (GET /api/Tickets): ");
  assert_body_error ("{\"record_count\": 2, \"clients\": []}", "tickets",
                     "Halo sent an unexpected response (GET /api/Tickets): it has no “tickets” list");
  assert_body_error ("{\"record_count\": 2, \"tickets\": {}}", "tickets",
                     "Halo sent an unexpected response (GET /api/Tickets): it has no “tickets” list");
  assert_body_error ("\"a bare string\"", "tickets",
                     "Halo sent an unexpected response (GET /api/Tickets): expected a list of records");
  assert_body_error ("{\"id\": 1}", NULL,
                     "Halo sent an unexpected response (GET /api/Tickets): expected a list of records");
}

static void
test_envelopes (void)
{
  const char *text = "{\"record_count\": 250, \"tickets\": [{\"id\": 1}]}";
  const char *bare = "[{\"id\": 1}, {\"id\": 2}]";
  g_autoptr(GBytes) body = g_bytes_new_static (text, strlen (text));
  g_autoptr(GBytes) bare_body = g_bytes_new_static (bare, strlen (bare));
  g_auto(HsHaloParseContext) ctx = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) bare_root = NULL;
  g_autoptr(GError) error = NULL;
  gint64 record_count = 0;
  JsonArray *rows;

  hs_halo_parse_context_init (&ctx, NULL, "GET /api/Tickets", 1);
  root = hs_halo_parse_json (body, &ctx, &error);
  g_assert_no_error (error);
  rows = hs_halo_parse_rows (root, "tickets", &record_count, &ctx, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  g_assert_cmpint (record_count, ==, 250);

  /* A bare array is accepted where an envelope is expected (Agent). */
  bare_root = hs_halo_parse_json (bare_body, &ctx, &error);
  g_assert_no_error (error);
  rows = hs_halo_parse_rows (bare_root, "results", &record_count, &ctx, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  g_assert_cmpint (record_count, ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  hs_test_init (&argc, &argv);

  g_test_add_func ("/halo/parser/sample/agent", test_sample_agent);
  g_test_add_func ("/halo/parser/sample/team", test_sample_team);
  g_test_add_func ("/halo/parser/sample/client", test_sample_client);
  g_test_add_func ("/halo/parser/sample/ticket", test_sample_ticket);
  g_test_add_func ("/halo/parser/sample/action", test_sample_action);
  g_test_add_func ("/halo/parser/sample/timesheet-event", test_sample_timesheet_event);
  g_test_add_func ("/halo/parser/dates", test_dates);
  g_test_add_func ("/halo/parser/odd-values", test_odd_values);
  g_test_add_func ("/halo/parser/wrong-types", test_wrong_types);
  g_test_add_func ("/halo/parser/missing-id", test_missing_id);
  g_test_add_func ("/halo/parser/timesheet-events", test_timesheet_events);
  g_test_add_func ("/halo/parser/actions", test_actions);
  g_test_add_func ("/halo/parser/bodies", test_bodies);
  g_test_add_func ("/halo/parser/envelopes", test_envelopes);

  return g_test_run ();
}
