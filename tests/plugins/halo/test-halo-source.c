/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-pull-private.h"
#include "hs-test-halo.h"

/* The Halo source against halo-sim: every stream end to end, checked
 * against the simulator's ground truth, paging, the size of time-entry
 * responses, streaming, incremental runs and the connection check. */

#define FY_START "2025-07-01"
#define FY_END "2026-06-30"
#define FY_END_EXCLUSIVE "2026-07-01"

static JsonObject *
get_truth (HsTestHalo *h,
           const char *start,
           const char *end_exclusive,
           JsonNode  **holder)
{
  g_autofree char *path = g_strdup_printf ("/_sim/truth?start=%s&end=%s", start, end_exclusive);

  *holder = hs_test_halo_control (h, "GET", path, NULL);
  return json_node_get_object (*holder);
}

static gint64
parse_date (const char *text)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (text, utc);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
}

/* Compares a timestamp field with a date of the simulator's JSON: the
 * 1900 sentinel is null, other dates agree to the microsecond (GDateTime
 * rounds a 7th fraction digit where the source cuts it). */
static void
assert_date_field (HsRecordBatch *batch,
                   guint          record,
                   guint          field,
                   JsonObject    *object,
                   const char    *member)
{
  const char *text = json_object_get_string_member_with_default (object, member, NULL);

  if (text == NULL || g_str_has_prefix (text, "1900-"))
    {
      g_assert_true (hs_record_batch_is_null (batch, record, field));
      return;
    }
  g_assert_false (hs_record_batch_is_null (batch, record, field));
  g_assert_cmpint (ABS (hs_record_batch_get_timestamp (batch, record, field) - parse_date (text)), <=, 1);
}

static void
assert_text_field (HsRecordBatch *batch,
                   guint          record,
                   guint          field,
                   JsonObject    *object,
                   const char    *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    g_assert_null (hs_record_batch_get_text (batch, record, field));
  else
    g_assert_cmpstr (hs_record_batch_get_text (batch, record, field), ==, json_node_get_string (node));
}

static void
check_ticket (HsTestHalo    *h,
              HsRecordBatch *batch,
              guint          i)
{
  gint64 id = hs_record_batch_get_int (batch, i, HS_TICKET_ID);
  g_autofree char *path = g_strdup_printf ("/api/Tickets/%" G_GINT64_FORMAT, id);
  g_autoptr(JsonNode) node = hs_test_halo_api_get (h, path);
  JsonObject *t = json_node_get_object (node);

  g_assert_cmpint (json_object_get_int_member (t, "id"), ==, id);
  assert_text_field (batch, i, HS_TICKET_SUMMARY, t, "summary");
  g_assert_cmpint (hs_record_batch_get_int (batch, i, HS_TICKET_STATUS_ID), ==,
                   json_object_get_int_member (t, "status_id"));
  assert_text_field (batch, i, HS_TICKET_STATUS, t, "status_name");
  assert_text_field (batch, i, HS_TICKET_TYPE, t, "tickettype_name");
  g_assert_cmpint (hs_record_batch_get_int (batch, i, HS_TICKET_CLIENT_ID), ==,
                   json_object_get_int_member (t, "client_id"));
  assert_text_field (batch, i, HS_TICKET_CLIENT_NAME, t, "client_name");
  g_assert_cmpint (hs_record_batch_get_int (batch, i, HS_TICKET_AGENT_ID), ==,
                   json_object_get_int_member (t, "agent_id"));
  assert_text_field (batch, i, HS_TICKET_TEAM, t, "team");
  assert_date_field (batch, i, HS_TICKET_OPENED_AT, t, "dateoccurred");
  assert_date_field (batch, i, HS_TICKET_CLOSED_AT, t, "dateclosed");
  assert_date_field (batch, i, HS_TICKET_LAST_UPDATE, t, "last_update");
  g_assert_cmpfloat_with_epsilon (hs_record_batch_get_double (batch, i, HS_TICKET_HOURS),
                                  json_object_get_double_member (t, "timetaken"), 1e-9);
  g_assert_true (hs_record_batch_is_null (batch, i, HS_TICKET_MEMBER));
}

static void
check_time_entry (HsTestHalo    *h,
                  HsRecordBatch *batch,
                  guint          i)
{
  gint64 ticket = hs_record_batch_get_int (batch, i, HS_TIME_ENTRY_TICKET_ID);
  gint64 action = hs_record_batch_get_int (batch, i, HS_TIME_ENTRY_ACTION_ID);
  g_autofree char *path = g_strdup_printf ("/api/Actions/%" G_GINT64_FORMAT "?ticket_id=%" G_GINT64_FORMAT,
                                           action, ticket);
  g_autoptr(JsonNode) node = hs_test_halo_api_get (h, path);
  JsonObject *a = json_node_get_object (node);

  g_assert_cmpint (json_object_get_int_member (a, "ticket_id"), ==, ticket);
  g_assert_cmpint (json_object_get_int_member (a, "id"), ==, action);
  g_assert_cmpint (hs_record_batch_get_int (batch, i, HS_TIME_ENTRY_AGENT_ID), ==,
                   json_object_get_int_member (a, "who_agentid"));
  assert_date_field (batch, i, HS_TIME_ENTRY_STARTED_AT, a, "datetime");
  g_assert_cmpfloat_with_epsilon (hs_record_batch_get_double (batch, i, HS_TIME_ENTRY_HOURS),
                                  json_object_get_double_member (a, "timetaken"), 1e-9);
  g_assert_cmpint (hs_record_batch_get_boolean (batch, i, HS_TIME_ENTRY_BILLABLE), ==,
                   json_object_get_boolean_member (a, "actisbillable"));
}

static void
test_streams (void)
{
  const char *args[] = { "--agents", "7", "--clients", "140", "--tickets", "250",
                         "--time-entries", "700", NULL };
  g_autoptr(HsTestHalo) h = hs_test_halo_new (args);
  g_autoptr(HsPull) pull = hs_test_halo_new_pull (FY_START, FY_END, HS_SYNC_FULL);
  g_autoptr(HsTestHaloLog) log = hs_test_halo_log_new (pull);
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) agent_hours = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(JsonNode) truth_node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *truth, *per_agent;
  const HsStream order[] = { HS_STREAM_AGENTS, HS_STREAM_TEAMS, HS_STREAM_CLIENTS,
                             HS_STREAM_TICKETS, HS_STREAM_TIME_ENTRIES };
  double hours = 0;
  guint n_checked = 0;
  g_autoptr(GList) agents = NULL;

  g_assert_true (hs_test_halo_pull (h->source, pull, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (log->warnings->len, ==, 0);

  /* Each stream once, in the documented order. */
  g_assert_cmpuint (log->streams->len, ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    g_assert_cmpint (g_array_index (log->streams, HsStream, i), ==, order[i]);

  /* Every request was counted, token requests included. */
  g_assert_cmpint (hs_pull_get_requests (pull), ==, hs_test_halo_counter (h, NULL, "total"));

  /* No key twice in the run, and no page larger than Halo's. */
  for (HsStream s = 0; s < HS_N_STREAMS; s++)
    for (guint b = 0; b < log->batches[s]->len; b++)
      {
        HsRecordBatch *batch = log->batches[s]->pdata[b];

        if (s != HS_STREAM_TIME_ENTRIES)
          g_assert_cmpuint (hs_record_batch_get_n_records (batch), <=, 100);
        for (guint i = 0; i < hs_record_batch_get_n_records (batch); i++)
          {
            char *key = g_strdup_printf ("%d:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, s,
                                         hs_record_batch_get_int (batch, i, 0),
                                         s == HS_STREAM_TIME_ENTRIES ? hs_record_batch_get_int (batch, i, 1) : 0);

            g_assert_true (g_hash_table_add (ids, key));
          }
      }

  /* Agents 2..8 (1 is "Unassigned"); the simulator disables the last. */
  g_assert_cmpuint (log->n_records[HS_STREAM_AGENTS], ==, 7);
  for (guint b = 0; b < log->batches[HS_STREAM_AGENTS]->len; b++)
    {
      HsRecordBatch *batch = log->batches[HS_STREAM_AGENTS]->pdata[b];

      for (guint i = 0; i < hs_record_batch_get_n_records (batch); i++)
        {
          gint64 id = hs_record_batch_get_int (batch, i, HS_AGENT_ID);

          g_assert_cmpint (id, >=, 2);
          g_assert_cmpint (id, <=, 8);
          g_assert_nonnull (hs_record_batch_get_text (batch, i, HS_AGENT_NAME));
          if (id == 8)
            g_assert_true (hs_record_batch_get_boolean (batch, i, HS_AGENT_DISABLED));
        }
    }
  g_assert_cmpuint (log->n_records[HS_STREAM_TEAMS], >, 0);
  /* 140 clients plus the unassigned client 1 need two pages. */
  g_assert_cmpuint (log->n_records[HS_STREAM_CLIENTS], ==, 141);
  g_assert_cmpint (hs_test_halo_counter (h, "endpoints", "GET /api/client"), ==, 2);

  /* Tickets and time entries as the simulator's truth has them. */
  truth = get_truth (h, FY_START, FY_END_EXCLUSIVE, &truth_node);
  g_assert_cmpint (log->n_records[HS_STREAM_TICKETS], ==, json_object_get_int_member (truth, "tickets_touched"));
  g_assert_cmpint (hs_pull_get_remote_count (pull, HS_STREAM_TICKETS), ==,
                   json_object_get_int_member (truth, "tickets_opened"));
  g_assert_cmpint (log->n_records[HS_STREAM_TIME_ENTRIES], ==, json_object_get_int_member (truth, "time_entries"));
  g_assert_cmpint (hs_pull_get_remote_count (pull, HS_STREAM_AGENTS), ==, -1);

  for (guint b = 0; b < log->batches[HS_STREAM_TIME_ENTRIES]->len; b++)
    {
      HsRecordBatch *batch = log->batches[HS_STREAM_TIME_ENTRIES]->pdata[b];

      for (guint i = 0; i < hs_record_batch_get_n_records (batch); i++)
        {
          gint64 agent = hs_record_batch_get_int (batch, i, HS_TIME_ENTRY_AGENT_ID);
          double *sum = g_hash_table_lookup (agent_hours, &agent);

          if (sum == NULL)
            {
              sum = g_new0 (double, 1);
              g_hash_table_insert (agent_hours, g_memdup2 (&agent, sizeof agent), sum);
            }
          *sum += hs_record_batch_get_double (batch, i, HS_TIME_ENTRY_HOURS);
          hours += hs_record_batch_get_double (batch, i, HS_TIME_ENTRY_HOURS);
        }
    }
  g_assert_cmpfloat_with_epsilon (hours, json_object_get_double_member (truth, "hours"), 1e-6);
  per_agent = json_object_get_object_member (truth, "agents");
  agents = json_object_get_members (per_agent);
  g_assert_cmpuint (g_list_length (agents), ==, g_hash_table_size (agent_hours));
  for (GList *l = agents; l != NULL; l = l->next)
    {
      gint64 agent = g_ascii_strtoll (l->data, NULL, 10);
      double *sum = g_hash_table_lookup (agent_hours, &agent);

      g_assert_nonnull (sum);
      g_assert_cmpfloat_with_epsilon (*sum, json_object_get_double_member (json_object_get_object_member (per_agent, l->data), "hours"), 1e-6);
    }

  /* Spot checks, value by value, against the single objects Halo serves
   * (after the counters: these requests count too). */
  for (guint b = 0; b < log->batches[HS_STREAM_TICKETS]->len; b += 2)
    {
      HsRecordBatch *batch = log->batches[HS_STREAM_TICKETS]->pdata[b];

      for (guint i = 0; i < hs_record_batch_get_n_records (batch); i += 9, n_checked++)
        check_ticket (h, batch, i);
    }
  for (guint b = 0; b < log->batches[HS_STREAM_TIME_ENTRIES]->len; b += 2)
    {
      HsRecordBatch *batch = log->batches[HS_STREAM_TIME_ENTRIES]->pdata[b];

      for (guint i = 0; i < hs_record_batch_get_n_records (batch); i += 11, n_checked++)
        check_time_entry (h, batch, i);
    }
  g_assert_cmpuint (n_checked, >, 40);
}

typedef struct
{
  HsTestHalo *h;
  GTask *held;           /* (owned) (nullable) */
  gint64 requests_at_batch;
  guint n_held;
} Streaming;

static gboolean
release_cb (gpointer user_data)
{
  Streaming *s = user_data;

  /* While a page is held, the source asks Halo for nothing. */
  g_assert_cmpint (hs_test_halo_counter (s->h, NULL, "total"), ==, s->requests_at_batch);
  g_task_return_boolean (s->held, TRUE);
  g_clear_object (&s->held);
  return G_SOURCE_REMOVE;
}

static void
slow_consumer (HsPull        *pull,
               HsRecordBatch *batch,
               GTask         *task,
               gpointer       user_data)
{
  Streaming *s = user_data;

  g_assert_null (s->held);
  if (s->n_held++ >= 12)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  s->requests_at_batch = hs_test_halo_counter (s->h, NULL, "total");
  s->held = task;
  g_timeout_add (30, release_cb, s);
}

static void
test_one_page_in_flight (void)
{
  const char *args[] = { "--tickets", "400", "--time-entries", "200", NULL };
  g_autoptr(HsTestHalo) h = hs_test_halo_new (args);
  g_autoptr(HsPull) pull = hs_test_halo_new_pull (FY_START, FY_END, HS_SYNC_FULL);
  g_autoptr(GError) error = NULL;
  Streaming s = { h, NULL, 0, 0 };

  _hs_pull_set_consumer (pull, slow_consumer, &s);
  g_assert_true (hs_test_halo_pull (h->source, pull, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (s.n_held, >, 12);
}

static void
test_incremental (void)
{
  g_autofree char *sim_start = hs_test_halo_date (-200);
  /* The data must end before the cursor's hour at any time of day: to
   * yesterday, its last tickets fall in that hour from 23:00 to 01:00. */
  g_autofree char *sim_end = hs_test_halo_date (-2);
  g_autofree char *fy_start = hs_test_halo_date (-200);
  g_autofree char *fy_end = hs_test_halo_date (100);
  g_autofree char *backdated = hs_test_halo_date (-150);
  g_autofree char *backdated_json = NULL;
  const char *args[] = { "--tickets", "300", "--time-entries", "900",
                         "--start", sim_start, "--end", sim_end, NULL };
  g_autoptr(HsTestHalo) h = hs_test_halo_new (args);
  g_autoptr(HsPull) first = hs_test_halo_new_pull (fy_start, fy_end, HS_SYNC_INCREMENTAL);
  g_autoptr(HsPull) second = hs_test_halo_new_pull (fy_start, fy_end, HS_SYNC_INCREMENTAL);
  g_autoptr(HsPull) third = hs_test_halo_new_pull (fy_start, fy_end, HS_SYNC_INCREMENTAL);
  g_autoptr(HsTestHaloLog) log = hs_test_halo_log_new (third);
  g_autoptr(JsonNode) created = NULL;
  g_autoptr(JsonNode) old_entry = NULL;
  g_autoptr(JsonNode) new_entry = NULL;
  g_autoptr(GError) error = NULL;
  gint64 since = g_get_real_time () - G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC;
  gint64 new_ticket, old_action, new_action;
  g_autofree char *path = NULL;
  gboolean found_old = FALSE, found_new = FALSE, found_new_ticket = FALSE, found_old_ticket = FALSE;

  /* Nothing changed since the cursor: one request per stream, plus the
   * token (discovery and the token itself). */
  hs_pull_set_since (first, HS_STREAM_TICKETS, since);
  g_assert_true (hs_test_halo_pull (h->source, first, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hs_pull_get_requests (first), ==, 5 + 2);
  g_assert_cmpint (hs_test_halo_counter (h, NULL, "total"), ==, 7);
  g_assert_cmpint (hs_test_halo_counter (h, "endpoints", "GET /api/timesheetevent"), ==, 1);
  g_assert_cmpint (hs_test_halo_counter (h, "endpoints", "GET /api/tickets"), ==, 1);
  g_assert_cmpint (hs_test_halo_counter (h, "endpoints", "GET /api/actions"), ==, 0);

  /* The token is kept for the next run. */
  hs_pull_set_since (second, HS_STREAM_TICKETS, since);
  g_assert_true (hs_test_halo_pull (h->source, second, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (hs_pull_get_requests (second), ==, 5);

  /* A new ticket with time logged now, and time backdated by five months
   * onto an old ticket: the event window catches the first, the old
   * ticket's bumped last_update the second. */
  created = hs_test_halo_control (h, "POST", "/_sim/tickets", "{\"summary\": \"Neu: Drucker\"}");
  new_ticket = json_object_get_int_member (json_node_get_object (created), "id");
  path = g_strdup_printf ("/_sim/tickets/%" G_GINT64_FORMAT "/actions", new_ticket);
  new_entry = hs_test_halo_control (h, "POST", path, "{\"timetaken\": 0.5, \"who_agentid\": 3}");
  new_action = json_object_get_int_member (json_node_get_object (new_entry), "id");
  backdated_json = g_strdup_printf ("{\"timetaken\": 0.75, \"who_agentid\": 4, \"datetime\": \"%sT10:00:00\"}",
                                    backdated);
  old_entry = hs_test_halo_control (h, "POST", "/_sim/tickets/5/actions", backdated_json);
  old_action = json_object_get_int_member (json_node_get_object (old_entry), "id");

  hs_pull_set_since (third, HS_STREAM_TICKETS, since);
  g_assert_true (hs_test_halo_pull (h->source, third, NULL, &error));
  g_assert_no_error (error);

  /* The two changed tickets cost one Actions request each. */
  g_assert_cmpuint (hs_pull_get_requests (third), ==, 5 + 2);
  g_assert_cmpuint (log->n_records[HS_STREAM_TICKETS], ==, 2);
  for (guint b = 0; b < log->batches[HS_STREAM_TICKETS]->len; b++)
    {
      HsRecordBatch *batch = log->batches[HS_STREAM_TICKETS]->pdata[b];

      for (guint i = 0; i < hs_record_batch_get_n_records (batch); i++)
        {
          found_new_ticket |= hs_record_batch_get_int (batch, i, HS_TICKET_ID) == new_ticket;
          found_old_ticket |= hs_record_batch_get_int (batch, i, HS_TICKET_ID) == 5;
        }
    }
  g_assert_true (found_new_ticket);
  g_assert_true (found_old_ticket);

  for (guint b = 0; b < log->batches[HS_STREAM_TIME_ENTRIES]->len; b++)
    {
      HsRecordBatch *batch = log->batches[HS_STREAM_TIME_ENTRIES]->pdata[b];

      for (guint i = 0; i < hs_record_batch_get_n_records (batch); i++)
        {
          gint64 ticket = hs_record_batch_get_int (batch, i, HS_TIME_ENTRY_TICKET_ID);
          gint64 action = hs_record_batch_get_int (batch, i, HS_TIME_ENTRY_ACTION_ID);

          if (ticket == 5 && action == old_action)
            {
              found_old = TRUE;
              g_assert_cmpfloat (hs_record_batch_get_double (batch, i, HS_TIME_ENTRY_HOURS), ==, 0.75);
              g_assert_cmpint (hs_record_batch_get_int (batch, i, HS_TIME_ENTRY_AGENT_ID), ==, 4);
            }
          if (ticket == new_ticket && action == new_action)
            {
              found_new = TRUE;
              g_assert_cmpfloat (hs_record_batch_get_double (batch, i, HS_TIME_ENTRY_HOURS), ==, 0.5);
            }
        }
    }
  g_assert_true (found_old);
  g_assert_true (found_new);
}

static void
test_incremental_without_cursor (void)
{
  const char *args[] = { "--tickets", "120", "--time-entries", "300", NULL };
  g_autoptr(HsTestHalo) h = hs_test_halo_new (args);
  g_autoptr(HsPull) pull = hs_test_halo_new_pull (FY_START, FY_END, HS_SYNC_INCREMENTAL);
  g_autoptr(HsTestHaloLog) log = hs_test_halo_log_new (pull);
  g_autoptr(JsonNode) truth_node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *truth;

  /* No stored cursor yet: the whole window, as a full run reads it. */
  g_assert_true (hs_test_halo_pull (h->source, pull, NULL, &error));
  g_assert_no_error (error);
  truth = get_truth (h, FY_START, FY_END_EXCLUSIVE, &truth_node);
  g_assert_cmpint (log->n_records[HS_STREAM_TICKETS], ==, json_object_get_int_member (truth, "tickets_touched"));
  g_assert_cmpint (log->n_records[HS_STREAM_TIME_ENTRIES], ==, json_object_get_int_member (truth, "time_entries"));
}

static gboolean
run_check (HsSource *source,
           GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hs_source_check_async (source, NULL, hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  return hs_source_check_finish (source, result, error);
}

static void
test_check (void)
{
  g_autoptr(HsTestHalo) h = hs_test_halo_new (NULL);
  g_autoptr(GError) error = NULL;

  /* A token and one cheap read. */
  g_assert_true (run_check (h->source, &error));
  g_assert_no_error (error);
  g_assert_cmpint (hs_test_halo_counter (h, NULL, "total"), ==, 3);
  g_assert_cmpint (hs_test_halo_counter (h, "endpoints", "POST /auth/token"), ==, 1);

  g_settings_set_string (h->settings, "halo-client-id", "");
  g_assert_false (run_check (h->source, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_NOT_CONFIGURED);
  g_assert_nonnull (strstr (error->message, "halo-client-id"));
  g_clear_error (&error);

  g_settings_set_string (h->settings, "halo-client-id", hs_test_sim_get_client_id (h->sim));
  g_settings_set_string (h->settings, "halo-url", "");
  g_assert_false (run_check (h->source, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_NOT_CONFIGURED);
  g_assert_nonnull (strstr (error->message, "halo-url"));
  g_clear_error (&error);

  /* Not a web address, and never repeated: it might hold a password. */
  g_settings_set_string (h->settings, "halo-url", "ftp://user:hunter2@example.com");
  g_assert_false (run_check (h->source, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_NOT_CONFIGURED);
  g_assert_null (strstr (error->message, "hunter2"));
  g_clear_error (&error);

  /* A URL with credentials and a trailing /api/ still reaches Halo, and
   * the credentials are neither sent nor shown. */
  {
    g_autoptr(GUri) uri = g_uri_parse (hs_test_sim_get_base_url (h->sim), G_URI_FLAGS_NONE, NULL);
    g_autofree char *with_password = g_strdup_printf ("http://user:hunter2@127.0.0.1:%d/api/",
                                                      g_uri_get_port (uri));

    g_settings_set_string (h->settings, "halo-url", with_password);
    g_assert_true (run_check (h->source, &error));
    g_assert_no_error (error);
  }
}

int
main (int   argc,
      char *argv[])
{
  hs_test_init (&argc, &argv);
  g_unsetenv ("HALOSYNC_HALO_URL");
  g_unsetenv ("HALOSYNC_HALO_CLIENT_ID");
  g_unsetenv ("HALOSYNC_HALO_TENANT");
  g_unsetenv ("HALOSYNC_HALO_RATE_LIMIT");

  g_test_add_func ("/halo/source/streams", test_streams);
  g_test_add_func ("/halo/source/one-page-in-flight", test_one_page_in_flight);
  g_test_add_func ("/halo/source/incremental", test_incremental);
  g_test_add_func ("/halo/source/incremental-without-cursor", test_incremental_without_cursor);
  g_test_add_func ("/halo/source/check", test_check);

  return g_test_run ();
}
