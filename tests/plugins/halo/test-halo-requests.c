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

  /* Thirty events per response, never more, cannot be had from an hour
   * of all agents: after the first day the agents are split into groups. */
  g_object_set (h->source, "events-per-request", 30, "max-events-per-request", 30, NULL);
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

/* A year of 15,000 time entries read with a small first target and
 * ceiling, so that the windows' growth, the ceiling and the requests they
 * cost show at a size a test affords (a sanitizer build too).  The same
 * shape as the large tenant: the first day holds less than the first
 * target, the ceiling is about 20 days of entries. */
#define GROW_FIRST 50
#define GROW_MAX 800

static const char *grow_tenant[] = { "--agents", "20", "--tickets", "750", "--time-entries", "15000",
                                     "--start", "2025-07-01", "--end", "2026-06-30", NULL };

static guint
largest_batch (HsTestHaloLog *log,
               guint          from)
{
  GPtrArray *batches = log->batches[HS_STREAM_TIME_ENTRIES];
  guint largest = 0;

  for (guint b = from; b < batches->len; b++)
    largest = MAX (largest, hs_record_batch_get_n_records (batches->pdata[b]));
  return largest;
}

static guint
batch_size (HsTestHaloLog *log,
            guint          index)
{
  return hs_record_batch_get_n_records (log->batches[HS_STREAM_TIME_ENTRIES]->pdata[index]);
}

/* The most TimesheetEvent requests a year of @entries may take when every
 * answer comes back fast: a first day, windows whose target doubles from
 * GROW_FIRST to GROW_MAX, each at least half full, then windows at least
 * two thirds full (the sizing aims at the target; the data's density
 * wavers).  Windows that stopped growing short of the ceiling need more. */
static gint64
grown_event_requests (gint64 entries)
{
  gint64 requests = 1, target = GROW_FIRST;

  while (target < GROW_MAX)
    {
      entries -= target / 2;
      target *= 2;
      requests++;
    }
  return requests + MAX (entries, 0) / (GROW_MAX * 2 / 3) + 1;
}

static void
check_event_growth (gboolean in_progress)
{
  g_autofree char *data_start = in_progress ? hs_test_halo_date (-350) : g_strdup ("2025-07-01");
  g_autofree char *data_end = in_progress ? hs_test_halo_date (-2) : g_strdup ("2026-06-30");
  g_autofree char *fy_end = in_progress ? hs_test_halo_date (14) : g_strdup ("2026-06-30");
  g_autofree char *fy_end_exclusive = in_progress ? hs_test_halo_date (15) : g_strdup ("2026-07-01");
  const char *args[] = { "--agents", "20", "--tickets", "750", "--time-entries", "15000",
                         "--start", data_start, "--end", data_end, NULL };
  g_autoptr(HsTestHalo) h = hs_test_halo_new (args);
  g_autoptr(HsPull) pull = hs_test_halo_new_pull (data_start, fy_end, HS_SYNC_FULL);
  g_autoptr(HsTestHaloLog) log = hs_test_halo_log_new (pull);
  g_autoptr(JsonNode) truth_node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *truth;
  gint64 entries, touched, opened, events, tickets, expected_tickets;

  g_test_message ("fiscal year %s to %s", data_start, fy_end);
  g_object_set (h->source, "events-per-request", GROW_FIRST, "max-events-per-request", GROW_MAX,
                "timeout", 60, NULL);
  g_assert_true (hs_test_halo_pull (h->source, pull, NULL, &error));
  g_assert_no_error (error);

  truth = get_truth (h, data_start, fy_end_exclusive, &truth_node);
  entries = json_object_get_int_member (truth, "time_entries");
  touched = json_object_get_int_member (truth, "tickets_touched");
  opened = json_object_get_int_member (truth, "tickets_opened");
  g_assert_cmpint (log->n_records[HS_STREAM_TIME_ENTRIES], ==, entries);
  g_assert_cmpint (log->n_records[HS_STREAM_TICKETS], ==, touched);

  /* The answers grow to the ceiling and stay near it. */
  g_assert_cmpuint (batch_size (log, 1), <=, 2 * 2 * GROW_FIRST);
  g_assert_cmpuint (largest_batch (log, 0), >=, GROW_MAX / 2);
  g_assert_cmpuint (largest_batch (log, 1), <=, GROW_MAX * 3 / 2);

  /* Every request is one the strategy needs: the token URL and a token,
   * agents, teams, a client page, the ticket pages (a year in progress: one updated-since
   * query and a one-row count; a past year: two disjoint queries), and
   * the event windows. */
  events = hs_test_halo_counter (h, "endpoints", "GET /api/timesheetevent");
  tickets = hs_test_halo_counter (h, "endpoints", "GET /api/tickets");
  expected_tickets = in_progress ? 1 + pages (touched) : pages (opened) + pages (touched - opened);
  g_test_message ("%" G_GINT64_FORMAT " TimesheetEvent requests for %" G_GINT64_FORMAT
                  " entries, %" G_GINT64_FORMAT " ticket requests",
                  events, entries, tickets);
  g_assert_cmpint (tickets, ==, expected_tickets);
  g_assert_cmpint (events, >=, entries / GROW_MAX);
  g_assert_cmpint (events, <=, grown_event_requests (entries));
  g_assert_cmpint (hs_pull_get_requests (pull), ==, 5 + tickets + events);
  g_assert_cmpint (hs_test_halo_counter (h, NULL, "total"), ==, 5 + tickets + events);
}

static void
test_event_windows_grow (void)
{
  check_event_growth (FALSE);
}

static void
test_event_windows_grow_in_progress (void)
{
  check_event_growth (TRUE);
}

/* A TimesheetEvent request Halo fails is sent again for half the window,
 * the windows after it are sized for half as many events, and they grow
 * back once Halo answers with ease. */
static void
check_event_strain (guint status)
{
  g_autoptr(HsTestHalo) h = hs_test_halo_new (grow_tenant);
  g_autoptr(HsPull) pull = hs_test_halo_new_pull ("2025-07-01", "2026-06-30", HS_SYNC_FULL);
  g_autoptr(HsTestHaloLog) log = hs_test_halo_log_new (pull);
  g_autoptr(JsonNode) truth_node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *faults = NULL;
  g_autofree char *status_text = g_strdup_printf ("%u", status);
  g_autoptr(JsonNode) reply = NULL;
  guint before, retried;

  /* The eighth request finds the windows grown to the ceiling. */
  faults = g_strdup_printf ("{\"faults\": [{\"kind\": \"status\", \"status\": %u,"
                            " \"path\": \"/api/timesheetevent\", \"nth\": 8}]}", status);
  reply = hs_test_halo_control (h, "POST", "/_sim/faults", faults);
  g_object_set (h->source, "events-per-request", GROW_FIRST, "max-events-per-request", GROW_MAX,
                "timeout", 60, NULL);
  g_assert_true (hs_test_halo_pull (h->source, pull, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpint (hs_test_halo_counter (h, "statuses", status_text), ==, 1);
  g_assert_cmpint (log->n_records[HS_STREAM_TIME_ENTRIES], ==,
                   json_object_get_int_member (get_truth (h, "2025-07-01", "2026-07-01", &truth_node),
                                               "time_entries"));

  /* Responses 7 and 8 (batches 6 and 7): the one before the failure, and
   * the retry of the eighth for half its window; the next is sized for
   * half the target, and the ceiling is reached again. */
  before = batch_size (log, 6);
  retried = batch_size (log, 7);
  g_test_message ("%u events before the %u, %u in the retry, %u next", before, status, retried,
                  batch_size (log, 8));
  g_assert_cmpuint (before, >=, GROW_MAX * 3 / 4);
  g_assert_cmpuint (retried, <=, before * 3 / 4);
  g_assert_cmpuint (batch_size (log, 8), <=, GROW_MAX * 3 / 4);
  g_assert_cmpuint (largest_batch (log, 9), >=, GROW_MAX * 3 / 4);
}

static void
test_event_windows_shrink_5xx (void)
{
  check_event_strain (503);
}

static void
test_event_windows_shrink_429 (void)
{
  check_event_strain (429);
}

/* Answers that take a quarter of the timeout or more are no reason to
 * ask for larger ones: the target stays where it began. */
static void
test_event_windows_slow (void)
{
  const char *args[] = { "--agents", "5", "--tickets", "100", "--time-entries", "1000",
                         "--start", "2025-07-01", "--end", "2025-07-31", NULL };
  g_autoptr(HsTestHalo) h = hs_test_halo_new (args);
  g_autoptr(HsPull) pull = hs_test_halo_new_pull ("2025-07-01", "2025-07-31", HS_SYNC_FULL);
  g_autoptr(HsTestHaloLog) log = hs_test_halo_log_new (pull);
  g_autoptr(JsonNode) truth_node = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  gint64 entries, events;

  reply = hs_test_halo_control (h, "POST", "/_sim/faults",
                                "{\"faults\": [{\"kind\": \"latency\", \"ms\": 300,"
                                " \"path\": \"/api/timesheetevent\", \"count\": 0}]}");
  /* A one-second timeout makes 250 ms slow. */
  g_object_set (h->source, "events-per-request", 100, "max-events-per-request", GROW_MAX,
                "timeout", 1, NULL);
  g_assert_true (hs_test_halo_pull (h->source, pull, NULL, &error));
  g_assert_no_error (error);

  entries = json_object_get_int_member (get_truth (h, "2025-07-01", "2025-08-01", &truth_node), "time_entries");
  g_assert_cmpint (log->n_records[HS_STREAM_TIME_ENTRIES], ==, entries);
  g_assert_cmpuint (largest_batch (log, 1), <=, 2 * 100);
  events = hs_test_halo_counter (h, "endpoints", "GET /api/timesheetevent");
  g_assert_cmpint (events, >=, entries / (2 * 100));
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
  g_test_add_func ("/halo/requests/event-windows-grow", test_event_windows_grow);
  g_test_add_func ("/halo/requests/event-windows-grow-in-progress", test_event_windows_grow_in_progress);
  g_test_add_func ("/halo/requests/event-windows-shrink-5xx", test_event_windows_shrink_5xx);
  g_test_add_func ("/halo/requests/event-windows-shrink-429", test_event_windows_shrink_429);
  g_test_add_func ("/halo/requests/event-windows-slow", test_event_windows_slow);
  g_test_add_func ("/halo/requests/rate-budget", test_rate_budget);

  return g_test_run ();
}
