/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-test-halo.h"

/* How the Halo source divides its reads into requests, against halo-sim:
 * pages by record_count and the real page size, TimesheetEvent windows
 * sized to the density, and the shared rate budget. */

#define FY_START "2025-07-01"

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

static guint
pages (gint64 record_count)
{
  return record_count == 0 ? 1 : (guint) ((record_count + 99) / 100);
}

/* Reads the simulator's tickets through a window wider than its data, so
 * that Halo's inclusive bounds and the exact window agree on every
 * ticket.  A window that ended a while ago is read with two disjoint
 * queries (opened in it; opened before it and updated in it); one still
 * in progress with a single updated-since query and a one-row count of
 * those opened. */
static void
check_paging (const char *n_tickets,
              guint       page_size,
              gboolean    in_progress)
{
  const char *args[] = { "--tickets", n_tickets, "--time-entries", "0", NULL };
  g_autoptr(HsTestHalo) h = hs_test_halo_new (args);
  g_autofree char *end = in_progress ? hs_test_halo_date (30) : g_strdup ("2026-09-30");
  g_autofree char *end_exclusive = in_progress ? hs_test_halo_date (31) : g_strdup ("2026-10-01");
  g_autoptr(HsPull) pull = hs_test_halo_new_pull ("2025-06-01", end, HS_SYNC_FULL);
  g_autoptr(HsTestHaloLog) log = hs_test_halo_log_new (pull);
  g_autoptr(JsonNode) truth_node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *truth;
  gint64 touched, expected_requests;

  g_test_message ("%s tickets, page_size=%u, window to %s", n_tickets, page_size, end);
  g_object_set (h->source, "page-size", page_size, NULL);
  g_assert_true (hs_test_halo_pull (h->source, pull, NULL, &error));
  g_assert_no_error (error);

  truth = get_truth (h, "2025-06-01", end_exclusive, &truth_node);
  touched = json_object_get_int_member (truth, "tickets_touched");
  g_assert_cmpint (touched, ==, g_ascii_strtoll (n_tickets, NULL, 10));
  g_assert_cmpint (log->n_records[HS_STREAM_TICKETS], ==, touched);
  g_assert_cmpint (hs_pull_get_remote_count (pull, HS_STREAM_TICKETS), ==,
                   json_object_get_int_member (truth, "tickets_opened"));

  /* Pages by record_count and what the first page held: no extra
   * request for an empty page after a full one. */
  if (in_progress)
    expected_requests = 1 + pages (touched);
  else
    expected_requests = pages (json_object_get_int_member (truth, "tickets_opened")) +
                        pages (touched - json_object_get_int_member (truth, "tickets_opened"));
  g_assert_cmpint (hs_test_halo_counter (h, "endpoints", "GET /api/tickets"), ==, expected_requests);
}

static void
test_paging (void)
{
  const char *counts[] = { "0", "1", "99", "100", "101", "250" };

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    check_paging (counts[i], 100, FALSE);
}

static void
test_paging_in_progress (void)
{
  const char *counts[] = { "0", "1", "100", "101", "250" };

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    check_paging (counts[i], 100, TRUE);
}

static void
test_page_size_capped (void)
{
  /* Halo answers page_size=1000 with 100 rows: the first page's size is
   * the page size, so nothing is cut short or read twice. */
  check_paging ("250", 1000, FALSE);
  check_paging ("100", 1000, FALSE);
  check_paging ("250", 1000, TRUE);
}

static void
test_event_windows (void)
{
  /* 2400 entries in two days, about 50 an hour for 7 agents. */
  const char *args[] = { "--agents", "7", "--tickets", "200", "--time-entries", "2400",
                         "--start", "2026-01-01", "--end", "2026-01-02", NULL };
  g_autoptr(HsTestHalo) h = hs_test_halo_new (args);
  g_autoptr(HsPull) pull = hs_test_halo_new_pull ("2026-01-01", "2026-01-02", HS_SYNC_FULL);
  g_autoptr(HsTestHaloLog) log = hs_test_halo_log_new (pull);
  g_autoptr(JsonNode) truth_node = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *batches = log->batches[HS_STREAM_TIME_ENTRIES];
  gint64 entries, requests;

  /* Thirty events per response cannot be had from an hour of all agents:
   * after the first day the agents are split into groups. */
  g_object_set (h->source, "events-per-request", 30, NULL);
  g_assert_true (hs_test_halo_pull (h->source, pull, NULL, &error));
  g_assert_no_error (error);

  entries = json_object_get_int_member (get_truth (h, "2026-01-01", "2026-01-03", &truth_node), "time_entries");
  g_assert_cmpint (entries, >, 2000);
  g_assert_cmpint (log->n_records[HS_STREAM_TIME_ENTRIES], ==, entries);

  /* Only the first window (a day of everything) is unbounded by the
   * density seen; every later response stays near the target. */
  g_assert_cmpuint (hs_record_batch_get_n_records (batches->pdata[0]), >, 500);
  for (guint b = 1; b < batches->len; b++)
    g_assert_cmpuint (hs_record_batch_get_n_records (batches->pdata[b]), <=, 3 * 30);

  /* Within a small factor of what the target implies for the second day
   * (groups are sized by their busiest member, so a little more), and far
   * from one request per agent and hour (7 × 24). */
  requests = hs_test_halo_counter (h, "endpoints", "GET /api/timesheetevent");
  g_test_message ("%" G_GINT64_FORMAT " TimesheetEvent requests for %" G_GINT64_FORMAT " entries",
                  requests, entries);
  g_assert_cmpint (requests, >, entries / 2 / 30 / 2);
  g_assert_cmpint (requests, <, entries / 2 / 30 * 3);
}

static void
test_rate_budget (void)
{
  const char *args[] = { "--tickets", "50", "--time-entries", "100",
                         "--start", FY_START, "--end", "2025-07-31", NULL };
  g_autoptr(HsTestHalo) h = hs_test_halo_new (args);
  g_autoptr(HsPull) a = hs_test_halo_new_pull (FY_START, "2025-07-31", HS_SYNC_FULL);
  g_autoptr(HsPull) b = hs_test_halo_new_pull ("2025-08-01", "2025-08-31", HS_SYNC_FULL);
  g_autoptr(GAsyncResult) result_a = NULL;
  g_autoptr(GAsyncResult) result_b = NULL;
  g_autoptr(JsonNode) counters = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 total;

  /* Halo would refuse a sixth request in any second; the source's budget
   * is set to the same, and two runs at once share it. */
  g_settings_set_uint (h->settings, "rate-limit-requests", 5);
  g_settings_set_uint (h->settings, "rate-limit-window", 1);
  hs_test_halo_control (h, "POST", "/_sim/faults",
                        "{\"faults\": [], \"rate_limit\": {\"count\": 5, \"seconds\": 1}}");

  hs_source_pull_async (h->source, a, NULL, hs_test_store_result_cb, &result_a);
  hs_source_pull_async (h->source, b, NULL, hs_test_store_result_cb, &result_b);
  hs_test_wait_for_result (&result_a);
  hs_test_wait_for_result (&result_b);
  g_assert_true (hs_source_pull_finish (h->source, result_a, &error));
  g_assert_true (hs_source_pull_finish (h->source, result_b, &error));
  g_assert_no_error (error);

  counters = hs_test_halo_control (h, "GET", "/_sim/counters?window=1", NULL);
  total = json_object_get_int_member (json_node_get_object (counters), "total");
  g_test_message ("%" G_GINT64_FORMAT " requests in %.1f s", total,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_assert_cmpint (total, ==, hs_pull_get_requests (a) + hs_pull_get_requests (b));
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (counters), "max_in_window"), ==, 5);
  g_assert_cmpint (hs_test_halo_counter (h, "statuses", "429"), ==, 0);
  /* A burst of 5 goes at once, then 5 a second. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, (total - 5) / 5 * G_USEC_PER_SEC);
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

  g_test_add_func ("/halo/requests/paging", test_paging);
  g_test_add_func ("/halo/requests/paging-in-progress", test_paging_in_progress);
  g_test_add_func ("/halo/requests/page-size-capped", test_page_size_capped);
  g_test_add_func ("/halo/requests/event-windows", test_event_windows);
  g_test_add_func ("/halo/requests/rate-budget", test_rate_budget);

  return g_test_run ();
}
