/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-test.h"
#include "hs-halo-retry.h"
#include "hs-halo-wait.h"

#define SECOND G_GINT64_CONSTANT (1000000)

static void
test_defaults (void)
{
  HsHaloRetryPolicy policy;

  hs_halo_retry_policy_init_default (&policy);
  g_assert_cmpuint (policy.max_attempts, ==, 5);
  g_assert_cmpint (policy.base_delay, ==, 1 * SECOND);
  g_assert_cmpint (policy.max_delay, ==, 60 * SECOND);
  g_assert_cmpint (policy.rate_limit_delay, ==, 30 * SECOND);
  g_assert_cmpint (policy.max_retry_after, ==, 300 * SECOND);
}

static void
test_backoff (void)
{
  HsHaloRetryPolicy policy;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  hs_halo_retry_policy_init_default (&policy);

  /* Full jitter: uniform in [0, min (cap, base × 2^(n−1))]. */
  for (guint attempt = 1; attempt <= 10; attempt++)
    {
      gint64 bound = MIN (policy.max_delay, policy.base_delay << (attempt - 1));
      gint64 lowest = G_MAXINT64, highest = 0;
      double sum = 0;

      for (guint i = 0; i < 2000; i++)
        {
          gint64 delay = hs_halo_retry_get_backoff (&policy, attempt, rand);

          g_assert_cmpint (delay, >=, 0);
          g_assert_cmpint (delay, <=, bound);
          lowest = MIN (lowest, delay);
          highest = MAX (highest, delay);
          sum += delay;
        }

      g_test_message ("attempt %u: bound %" G_GINT64_FORMAT, attempt, bound);
      g_assert_cmpint (lowest, <, bound / 10);
      g_assert_cmpint (highest, >, bound - bound / 10);
      g_assert_cmpfloat (sum / 2000, >, bound * 0.4);
      g_assert_cmpfloat (sum / 2000, <, bound * 0.6);
    }
}

static void
test_retry_after (void)
{
  g_autoptr(GDateTime) date = g_date_time_new_utc (2015, 10, 21, 7, 28, 0);
  gint64 at = g_date_time_to_unix (date) * SECOND;
  gint64 delay = -1;

  g_assert_true (hs_halo_retry_parse_retry_after ("120", at, &delay));
  g_assert_cmpint (delay, ==, 120 * SECOND);
  g_assert_true (hs_halo_retry_parse_retry_after (" 7 ", at, &delay));
  g_assert_cmpint (delay, ==, 7 * SECOND);
  g_assert_true (hs_halo_retry_parse_retry_after ("0", at, &delay));
  g_assert_cmpint (delay, ==, 0);

  /* An HTTP date, 30 s from now; a past one means now. */
  g_assert_true (hs_halo_retry_parse_retry_after ("Wed, 21 Oct 2015 07:28:30 GMT", at, &delay));
  g_assert_cmpint (delay, ==, 30 * SECOND);
  g_assert_true (hs_halo_retry_parse_retry_after ("Wed, 21 Oct 2015 07:27:00 GMT", at, &delay));
  g_assert_cmpint (delay, ==, 0);

  delay = 42;
  g_assert_false (hs_halo_retry_parse_retry_after (NULL, at, &delay));
  g_assert_false (hs_halo_retry_parse_retry_after ("", at, &delay));
  g_assert_false (hs_halo_retry_parse_retry_after ("-5", at, &delay));
  g_assert_false (hs_halo_retry_parse_retry_after ("soon", at, &delay));
  g_assert_false (hs_halo_retry_parse_retry_after ("1.5", at, &delay));
  g_assert_cmpint (delay, ==, 42);
}

static void
test_rate_limit_wait (void)
{
  HsHaloRetryPolicy policy;
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  gint64 now = g_get_real_time ();
  gint64 lowest = G_MAXINT64, highest = 0;

  hs_halo_retry_policy_init_default (&policy);

  g_assert_cmpint (hs_halo_retry_get_rate_limit_wait (&policy, "12", now, rand), ==, 12 * SECOND);
  /* A Retry-After beyond the cap is cut to it. */
  g_assert_cmpint (hs_halo_retry_get_rate_limit_wait (&policy, "100000", now, rand), ==, 300 * SECOND);

  /* Without one (or with nonsense), 30 to 60 s. */
  for (guint i = 0; i < 2000; i++)
    {
      gint64 wait = hs_halo_retry_get_rate_limit_wait (&policy, i % 2 ? NULL : "soon", now, rand);

      g_assert_cmpint (wait, >=, 30 * SECOND);
      g_assert_cmpint (wait, <=, 60 * SECOND);
      lowest = MIN (lowest, wait);
      highest = MAX (highest, wait);
    }
  g_assert_cmpint (lowest, <, 33 * SECOND);
  g_assert_cmpint (highest, >, 57 * SECOND);
}

static void
test_wait_cancel (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) short_result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  /* A back-off of an hour, cancelled after 50 ms, ends then. */
  hs_halo_wait_async (hs_halo_monotonic_clock, NULL, start + 3600 * SECOND,
                      cancellable, hs_test_store_result_cb, &result);
  hs_halo_wait_async (hs_halo_monotonic_clock, NULL, start + 50000,
                      NULL, hs_test_store_result_cb, &short_result);
  hs_test_wait_for_result (&short_result);
  g_assert_true (hs_halo_wait_finish (short_result, &error));
  g_assert_no_error (error);
  g_assert_null (result);

  g_cancellable_cancel (cancellable);
  hs_test_wait_for_result (&result);
  g_assert_false (hs_halo_wait_finish (result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, SECOND);
}

int
main (int   argc,
      char *argv[])
{
  hs_test_init (&argc, &argv);

  g_test_add_func ("/halo/retry/defaults", test_defaults);
  g_test_add_func ("/halo/retry/backoff", test_backoff);
  g_test_add_func ("/halo/retry/retry-after", test_retry_after);
  g_test_add_func ("/halo/retry/rate-limit-wait", test_rate_limit_wait);
  g_test_add_func ("/halo/retry/wait-cancel", test_wait_cancel);

  return g_test_run ();
}
