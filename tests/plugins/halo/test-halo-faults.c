/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-test-halo.h"

/* How the Halo source meets a misbehaving Halo (through halo-sim's
 * faults): expiring and revoked tokens, 429s, 5xx, network failures,
 * broken JSON, wrong types, bad credentials and cancellation. */

/* A month of data read as a month: a dozen requests, so that faults,
 * waits and rate limits cost little time. */
#define FY_START "2025-07-01"
#define FY_END "2025-07-31"
#define FY_END_EXCLUSIVE "2025-08-01"

static const char *small_tenant[] = { "--tickets", "150", "--time-entries", "200",
                                      "--start", FY_START, "--end", FY_END, NULL };

static void
set_faults (HsTestHalo *h,
            const char *json)
{
  g_autoptr(JsonNode) reply = hs_test_halo_control (h, "POST", "/_sim/faults", json);
}

static gint64
truth_int (HsTestHalo *h,
           const char *member)
{
  g_autoptr(JsonNode) truth = hs_test_halo_control (h, "GET", "/_sim/truth?start=" FY_START "&end=" FY_END_EXCLUSIVE, NULL);

  return json_object_get_int_member (json_node_get_object (truth), member);
}

/* Runs a full pull of [start, end]; returns the error, or NULL. */
static GError *
pull_window (HsTestHalo     *h,
             const char     *start,
             const char     *end,
             HsTestHaloLog **log_out,
             HsPull        **pull_out)
{
  g_autoptr(HsPull) p = hs_test_halo_new_pull (start, end, HS_SYNC_FULL);
  HsTestHaloLog *log = hs_test_halo_log_new (p);
  GError *error = NULL;

  hs_test_halo_pull (h->source, p, NULL, &error);
  *log_out = log;
  if (pull_out != NULL)
    *pull_out = g_steal_pointer (&p);
  return error;
}

/* Runs a full pull of the fiscal year. */
static GError *
pull (HsTestHalo     *h,
      HsTestHaloLog **log_out,
      HsPull        **pull_out)
{
  return pull_window (h, FY_START, FY_END, log_out, pull_out);
}

static void
assert_complete (HsTestHalo    *h,
                 HsTestHaloLog *log)
{
  g_assert_cmpint (log->n_records[HS_STREAM_TICKETS], ==, truth_int (h, "tickets_touched"));
  g_assert_cmpint (log->n_records[HS_STREAM_TIME_ENTRIES], ==, truth_int (h, "time_entries"));
}

static void
test_token_expiry (void)
{
  const char *args[] = { "--token-lifetime", "1", "--tickets", "150", "--time-entries", "200",
                         "--start", FY_START, "--end", FY_END, NULL };
  g_autoptr(HsTestHalo) h = hs_test_halo_new (args);
  g_autoptr(HsTestHaloLog) log = NULL;
  g_autoptr(GError) error = NULL;

  /* Slow answers make the run outlive several one-second tokens. */
  set_faults (h, "{\"faults\": [{\"kind\": \"latency\", \"path\": \"/api/t*\", \"ms\": 200, \"count\": 0}]}");
  error = pull (h, &log, NULL);
  g_assert_no_error (error);
  assert_complete (h, log);
  g_assert_cmpint (hs_test_halo_counter (h, "endpoints", "POST /auth/token"), >=, 2);
}

static void
test_token_revoked (void)
{
  g_autoptr(HsTestHalo) h = hs_test_halo_new (small_tenant);
  g_autoptr(HsTestHaloLog) log = NULL;
  g_autoptr(GError) error = NULL;

  /* Revoked mid-run: one 401, a new token, the request again. */
  set_faults (h, "{\"faults\": [{\"kind\": \"revoke\", \"path\": \"/api/tickets\", \"nth\": 2}]}");
  error = pull (h, &log, NULL);
  g_assert_no_error (error);
  assert_complete (h, log);
  g_assert_cmpint (hs_test_halo_counter (h, "statuses", "401"), ==, 1);
  g_assert_cmpint (hs_test_halo_counter (h, "endpoints", "POST /auth/token"), ==, 2);
}

static void
test_token_refused_twice (void)
{
  g_autoptr(HsTestHalo) h = hs_test_halo_new (small_tenant);
  g_autoptr(HsTestHaloLog) log = NULL;
  g_autoptr(GError) error = NULL;

  /* The request is retried once with a new token, not forever. */
  set_faults (h, "{\"faults\": [{\"kind\": \"revoke\", \"path\": \"/api/tickets\", \"count\": 0}]}");
  error = pull (h, &log, NULL);
  g_assert_error (error, HS_ERROR, HS_ERROR_AUTH);
  g_assert_cmpstr (error->message, ==,
                   "Halo refused a new token for GET /api/Tickets (401); check the API application’s permissions");
  g_assert_cmpint (hs_test_halo_counter (h, "endpoints", "GET /api/tickets"), ==, 2);
  g_assert_cmpint (hs_test_halo_counter (h, "endpoints", "POST /auth/token"), ==, 2);
}

static void
test_one_token_fetch (void)
{
  g_autoptr(HsTestHalo) h = hs_test_halo_new (NULL);
  g_autoptr(GAsyncResult) a = NULL;
  g_autoptr(GAsyncResult) b = NULL;
  g_autoptr(GAsyncResult) c = NULL;
  g_autoptr(GError) error = NULL;

  /* Three checks at once share one token request. */
  hs_source_check_async (h->source, NULL, hs_test_store_result_cb, &a);
  hs_source_check_async (h->source, NULL, hs_test_store_result_cb, &b);
  hs_source_check_async (h->source, NULL, hs_test_store_result_cb, &c);
  hs_test_wait_for_result (&a);
  hs_test_wait_for_result (&b);
  hs_test_wait_for_result (&c);
  g_assert_true (hs_source_check_finish (h->source, a, &error));
  g_assert_true (hs_source_check_finish (h->source, b, &error));
  g_assert_true (hs_source_check_finish (h->source, c, &error));
  g_assert_no_error (error);
  g_assert_cmpint (hs_test_halo_counter (h, "endpoints", "POST /auth/token"), ==, 1);
  g_assert_cmpint (hs_test_halo_counter (h, "endpoints", "GET /api/authinfo"), ==, 1);
  g_assert_cmpint (hs_test_halo_counter (h, "endpoints", "GET /api/tickets"), ==, 3);
}

static void
test_429_retry_after (void)
{
  g_autoptr(HsTestHalo) h = hs_test_halo_new (small_tenant);
  g_autoptr(HsTestHaloLog) log = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  /* A bare 429 would wait 20-40 s here; Retry-After says one. */
  g_object_set (h->source, "rate-limit-delay", 20000, NULL);
  set_faults (h, "{\"faults\": [], \"rate_limit\": {\"count\": 6, \"seconds\": 1, \"retry_after\": 1}}");
  error = pull (h, &log, NULL);
  g_assert_no_error (error);
  assert_complete (h, log);
  g_assert_cmpint (hs_test_halo_counter (h, "statuses", "429"), >=, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 15 * G_USEC_PER_SEC);
}

static void
test_429_without_retry_after (void)
{
  g_autoptr(HsTestHalo) h = hs_test_halo_new (small_tenant);
  g_autoptr(HsTestHaloLog) log = NULL;
  g_autoptr(GError) error = NULL;

  /* Each 429 waits 0.3-0.6 s here (30-60 s by default). */
  set_faults (h, "{\"faults\": [], \"rate_limit\": {\"count\": 6, \"seconds\": 1}}");
  error = pull (h, &log, NULL);
  g_assert_no_error (error);
  assert_complete (h, log);
  g_assert_cmpint (hs_test_halo_counter (h, "statuses", "429"), >=, 1);
}

static void
test_429_exhausted (void)
{
  g_autoptr(HsTestHalo) h = hs_test_halo_new (small_tenant);
  g_autoptr(HsTestHaloLog) log = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set (h->source, "max-attempts", 3, "rate-limit-delay", 20, NULL);
  set_faults (h, "{\"faults\": [], \"rate_limit\": {\"count\": 2, \"seconds\": 600}}");
  error = pull (h, &log, NULL);
  g_assert_error (error, HS_ERROR, HS_ERROR_RATE_LIMITED);
  g_assert_cmpstr (error->message, ==,
                   "Halo kept answering 429 (rate limit reached) for GET /api/Agent after 3 attempts; "
                   "another program may be using the same Halo API budget");
  g_assert_cmpint (hs_test_halo_counter (h, "statuses", "429"), ==, 3);
}

static void
test_5xx_then_success (void)
{
  g_autoptr(HsTestHalo) h = hs_test_halo_new (small_tenant);
  g_autoptr(HsTestHaloLog) log = NULL;
  g_autoptr(HsPull) p = NULL;
  g_autoptr(GError) error = NULL;

  set_faults (h, "{\"faults\": [{\"kind\": \"status\", \"status\": 503, \"path\": \"/api/tickets\", \"nth\": 2, \"count\": 2},"
                 " {\"kind\": \"status\", \"status\": 500, \"path\": \"/api/timesheetevent\", \"nth\": 1}]}");
  error = pull (h, &log, &p);
  g_assert_no_error (error);
  assert_complete (h, log);
  g_assert_cmpint (hs_test_halo_counter (h, "statuses", "503"), ==, 2);
  g_assert_cmpint (hs_test_halo_counter (h, "statuses", "500"), ==, 1);
  /* Retries are requests too. */
  g_assert_cmpint (hs_pull_get_requests (p), ==, hs_test_halo_counter (h, NULL, "total"));
}

static void
test_5xx_exhausted (void)
{
  g_autoptr(HsTestHalo) h = hs_test_halo_new (small_tenant);
  g_autoptr(HsTestHaloLog) log = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set (h->source, "max-attempts", 3, NULL);
  set_faults (h, "{\"faults\": [{\"kind\": \"status\", \"status\": 503, \"path\": \"/api/tickets\", \"count\": 0}]}");
  error = pull (h, &log, NULL);
  g_assert_error (error, HS_ERROR, HS_ERROR_NETWORK);
  g_assert_cmpstr (error->message, ==, "Halo kept answering 503 for GET /api/Tickets after 3 attempts");
  g_assert_cmpint (hs_test_halo_counter (h, "endpoints", "GET /api/tickets"), ==, 3);
  g_assert_cmpuint (log->batches[HS_STREAM_TICKETS]->len, ==, 0);
  g_assert_cmpuint (log->n_records[HS_STREAM_CLIENTS], >, 0);
}

static void
test_network_exhausted (void)
{
  g_autoptr(HsTestHalo) h = hs_test_halo_new (NULL);
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(HsTestHaloLog) log = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *expected = NULL;
  guint16 port;

  /* A port nothing listens on any more: connections are refused. */
  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_socket_listener_close (listener);
  url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_settings_set_string (h->settings, "halo-url", url);

  g_object_set (h->source, "max-attempts", 3, NULL);
  error = pull (h, &log, NULL);
  g_assert_error (error, HS_ERROR, HS_ERROR_NETWORK);
  /* Token discovery falls back at once; the token request retries. */
  expected = g_strdup_printf ("Halo at %s could not be reached for POST /auth/token after 3 attempts: ", url);
  g_assert_true (g_str_has_prefix (error->message, expected));
  g_assert_cmpuint (log->batches[HS_STREAM_AGENTS]->len, ==, 0);
}

static void
test_authinfo_fallback (void)
{
  g_autoptr(HsTestHalo) h = hs_test_halo_new (small_tenant);
  g_autoptr(HsTestHaloLog) log = NULL;
  g_autoptr(GError) error = NULL;

  /* A broken discovery endpoint costs one request, not a run. */
  set_faults (h, "{\"faults\": [{\"kind\": \"status\", \"status\": 500, \"path\": \"/api/authinfo\", \"count\": 0}]}");
  error = pull (h, &log, NULL);
  g_assert_no_error (error);
  assert_complete (h, log);
  g_assert_cmpint (hs_test_halo_counter (h, "endpoints", "GET /api/authinfo"), ==, 1);
  g_assert_cmpint (hs_test_halo_counter (h, "endpoints", "POST /auth/token"), ==, 1);
}

static void
test_malformed (void)
{
  g_autoptr(HsTestHalo) h = hs_test_halo_new (small_tenant);
  g_autoptr(HsTestHaloLog) log = NULL;
  g_autoptr(GError) error = NULL;

  set_faults (h, "{\"faults\": [{\"kind\": \"malformed\", \"path\": \"/api/tickets\", \"nth\": 2}]}");
  error = pull (h, &log, NULL);
  g_assert_error (error, HS_ERROR, HS_ERROR_PROTOCOL);
  g_assert_true (g_str_has_prefix (error->message,
                                   "Halo sent malformed or truncated JSON (GET /api/Tickets, page 2): "));
  /* Page 1 was handed on, nothing of page 2. */
  g_assert_cmpuint (log->batches[HS_STREAM_TICKETS]->len, ==, 1);
  g_assert_cmpuint (log->n_records[HS_STREAM_TICKETS], <=, 100);
}

static void
test_truncated (void)
{
  g_autoptr(HsTestHalo) h = hs_test_halo_new (small_tenant);
  g_autoptr(HsTestHaloLog) log = NULL;
  g_autoptr(GError) error = NULL;

  set_faults (h, "{\"faults\": [{\"kind\": \"truncate\", \"path\": \"/api/tickets\", \"nth\": 1}]}");
  error = pull (h, &log, NULL);
  g_assert_error (error, HS_ERROR, HS_ERROR_PROTOCOL);
  g_assert_true (g_str_has_prefix (error->message,
                                   "Halo sent malformed or truncated JSON (GET /api/Tickets, page 1): "));
  g_assert_cmpuint (log->batches[HS_STREAM_TICKETS]->len, ==, 0);
}

static void
test_wrong_type_id (void)
{
  g_autoptr(HsTestHalo) h = hs_test_halo_new (small_tenant);
  g_autoptr(HsTestHaloLog) log = NULL;
  g_autoptr(GError) error = NULL;

  /* The fourth ticket of page 2 has "id": "abc": the page is refused as a
   * whole, the three before it too. */
  set_faults (h, "{\"faults\": [{\"kind\": \"wrong_type\", \"path\": \"/api/tickets\", \"nth\": 2,"
                 " \"field\": \"id\", \"value\": \"abc\", \"record\": 3}]}");
  error = pull (h, &log, NULL);
  g_assert_error (error, HS_ERROR, HS_ERROR_PROTOCOL);
  g_assert_cmpstr (error->message, ==, "Halo sent a ticket without a numeric id (GET /api/Tickets, page 2, field “id”)");
  g_assert_cmpuint (log->batches[HS_STREAM_TICKETS]->len, ==, 1);
}

static void
test_wrong_type_field (void)
{
  g_autoptr(HsTestHalo) h = hs_test_halo_new (small_tenant);
  g_autoptr(HsTestHaloLog) log = NULL;
  g_autoptr(GError) error = NULL;

  set_faults (h, "{\"faults\": [{\"kind\": \"wrong_type\", \"path\": \"/api/tickets\", \"nth\": 1,"
                 " \"field\": \"timetaken\", \"value\": \"lots\", \"record\": 0}]}");
  error = pull (h, &log, NULL);
  g_assert_no_error (error);
  assert_complete (h, log);
  g_assert_cmpuint (log->warnings->len, ==, 1);
  g_assert_cmpstr (log->warnings->pdata[0], ==,
                   "Halo sent a value of the wrong type in field “timetaken” (GET /api/Tickets, page 1); the value stored before was kept");
}

static void
test_error_statuses (void)
{
  g_autoptr(HsTestHalo) h = hs_test_halo_new (small_tenant);
  g_autoptr(HsTestHaloLog) log = NULL;
  g_autoptr(HsTestHaloLog) log2 = NULL;
  g_autoptr(HsTestHaloLog) log3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *prefixed = NULL;
  g_autofree char *expected = NULL;

  /* Not retried, and said with the status and Halo's own message. */
  set_faults (h, "{\"faults\": [{\"kind\": \"status\", \"status\": 400, \"path\": \"/api/team\", \"count\": 0}]}");
  error = pull (h, &log, NULL);
  g_assert_error (error, HS_ERROR, HS_ERROR_PROTOCOL);
  g_assert_cmpstr (error->message, ==, "Halo answered 400 for GET /api/Team: Simulated failure 400.");
  g_assert_cmpint (hs_test_halo_counter (h, "endpoints", "GET /api/team"), ==, 1);
  g_clear_error (&error);

  set_faults (h, "{\"faults\": [{\"kind\": \"status\", \"status\": 403, \"path\": \"/api/team\", \"count\": 0}]}");
  error = pull (h, &log2, NULL);
  g_assert_error (error, HS_ERROR, HS_ERROR_AUTH);
  g_assert_cmpstr (error->message, ==,
                   "Halo denied access to GET /api/Team (403); give the API application and its agent permission to read it");
  g_clear_error (&error);

  /* A Halo URL with a wrong path: no authinfo, no token endpoint. */
  set_faults (h, "{\"faults\": []}");
  prefixed = g_strconcat (hs_test_sim_get_base_url (h->sim), "/nothing", NULL);
  g_settings_set_string (h->settings, "halo-url", prefixed);
  error = pull (h, &log3, NULL);
  g_assert_error (error, HS_ERROR, HS_ERROR_NOT_CONFIGURED);
  expected = g_strdup_printf ("Halo has no token endpoint at %s/auth/token (404); check the Halo URL", prefixed);
  g_assert_cmpstr (error->message, ==, expected);
}

typedef struct
{
  HsTestHalo *h;
  GCancellable *cancellable;
  const char *status;
  gint64 cancelled_at;
} Canceller;

static gboolean
cancel_when_refused_cb (gpointer user_data)
{
  Canceller *c = user_data;

  if (hs_test_halo_counter (c->h, "statuses", c->status) == 0)
    return G_SOURCE_CONTINUE;

  /* The source is now waiting to try again. */
  c->cancelled_at = g_get_monotonic_time ();
  g_cancellable_cancel (c->cancellable);
  return G_SOURCE_REMOVE;
}

static void
check_cancel_during_wait (const char *faults,
                          const char *status)
{
  g_autoptr(HsTestHalo) h = hs_test_halo_new (small_tenant);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(HsPull) p = hs_test_halo_new_pull (FY_START, FY_END, HS_SYNC_FULL);
  g_autoptr(GError) error = NULL;
  Canceller c = { h, cancellable, status, 0 };

  g_object_set (h->source, "rate-limit-delay", 30000, "retry-base-delay", 60000,
                "retry-max-delay", 60000, NULL);
  set_faults (h, faults);
  g_timeout_add (20, cancel_when_refused_cb, &c);

  g_assert_false (hs_test_halo_pull (h->source, p, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (c.cancelled_at, >, 0);
  g_assert_cmpint (g_get_monotonic_time () - c.cancelled_at, <, G_USEC_PER_SEC / 2);
}

static void
test_cancel_during_wait (void)
{
  /* A bare 429 waits 30-60 s. */
  check_cancel_during_wait ("{\"faults\": [], \"rate_limit\": {\"count\": 3, \"seconds\": 600}}", "429");
  /* A 503 backs off up to a minute. */
  check_cancel_during_wait ("{\"faults\": [{\"kind\": \"status\", \"status\": 503, \"path\": \"/api/team\", \"count\": 0}]}",
                            "503");
}

static void
test_bad_credentials (void)
{
  const char *args[] = { "--tenant", "acme", NULL };
  g_autoptr(HsTestHalo) h = hs_test_halo_new (args);
  g_autoptr(HsTestHaloLog) log = NULL;
  g_autoptr(HsTestHaloLog) log2 = NULL;
  g_autoptr(HsTestHaloLog) log3 = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  const char *secret = "n0t-the-s3cret";

  g_settings_set_string (h->settings, "halo-tenant", "acme");
  g_setenv ("HALOSYNC_HALO_CLIENT_SECRET", secret, TRUE);
  error = pull (h, &log, NULL);
  g_assert_error (error, HS_ERROR, HS_ERROR_AUTH);
  expected = g_strdup_printf ("Halo rejected the client id, secret or tenant for %s",
                              hs_test_sim_get_base_url (h->sim));
  g_assert_cmpstr (error->message, ==, expected);
  g_assert_null (strstr (error->message, secret));
  g_assert_cmpuint (log->batches[HS_STREAM_AGENTS]->len, ==, 0);
  /* Not retried: the credentials will not get better. */
  g_assert_cmpint (hs_test_halo_counter (h, "endpoints", "POST /auth/token"), ==, 1);
  g_clear_error (&error);
  g_clear_pointer (&expected, g_free);

  /* The right secret for the wrong tenant fails the same way; without a
   * tenant the message does not mention one. */
  g_setenv ("HALOSYNC_HALO_CLIENT_SECRET", hs_test_sim_get_client_secret (h->sim), TRUE);
  g_settings_set_string (h->settings, "halo-tenant", "other");
  error = pull (h, &log2, NULL);
  g_assert_error (error, HS_ERROR, HS_ERROR_AUTH);
  g_clear_error (&error);

  g_setenv ("HALOSYNC_HALO_CLIENT_SECRET", secret, TRUE);
  g_settings_set_string (h->settings, "halo-tenant", "");
  error = pull (h, &log3, NULL);
  g_assert_error (error, HS_ERROR, HS_ERROR_AUTH);
  expected = g_strdup_printf ("Halo rejected the client id or secret for %s", hs_test_sim_get_base_url (h->sim));
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  /* And the right ones work. */
  {
    g_autoptr(HsTestHaloLog) log4 = NULL;

    g_setenv ("HALOSYNC_HALO_CLIENT_SECRET", hs_test_sim_get_client_secret (h->sim), TRUE);
    g_settings_set_string (h->settings, "halo-tenant", "acme");
    error = pull (h, &log4, NULL);
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

  g_test_add_func ("/halo/faults/token-expiry", test_token_expiry);
  g_test_add_func ("/halo/faults/token-revoked", test_token_revoked);
  g_test_add_func ("/halo/faults/token-refused-twice", test_token_refused_twice);
  g_test_add_func ("/halo/faults/one-token-fetch", test_one_token_fetch);
  g_test_add_func ("/halo/faults/429-retry-after", test_429_retry_after);
  g_test_add_func ("/halo/faults/429-without-retry-after", test_429_without_retry_after);
  g_test_add_func ("/halo/faults/429-exhausted", test_429_exhausted);
  g_test_add_func ("/halo/faults/5xx-then-success", test_5xx_then_success);
  g_test_add_func ("/halo/faults/5xx-exhausted", test_5xx_exhausted);
  g_test_add_func ("/halo/faults/network-exhausted", test_network_exhausted);
  g_test_add_func ("/halo/faults/authinfo-fallback", test_authinfo_fallback);
  g_test_add_func ("/halo/faults/malformed", test_malformed);
  g_test_add_func ("/halo/faults/truncated", test_truncated);
  g_test_add_func ("/halo/faults/wrong-type-id", test_wrong_type_id);
  g_test_add_func ("/halo/faults/wrong-type-field", test_wrong_type_field);
  g_test_add_func ("/halo/faults/error-statuses", test_error_statuses);
  g_test_add_func ("/halo/faults/cancel-during-wait", test_cancel_during_wait);
  g_test_add_func ("/halo/faults/bad-credentials", test_bad_credentials);

  return g_test_run ();
}
