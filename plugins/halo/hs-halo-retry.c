/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <libsoup/soup.h>

#include "hs-halo-retry.h"

/* Server errors and network failures back off exponentially with full
 * jitter (a uniform delay between 0 and the exponential bound), so that
 * several clients that failed together do not retry together.  Halo's
 * 429 carries no Retry-After in any capture we know of; five-second
 * sleeps were shown not to be enough (halo-api.md §7), so a bare 429 waits
 * 30 to 60 seconds.  A Retry-After is honoured up to a cap, so a confused
 * server cannot park a run for hours. */

/**
 * hs_halo_retry_policy_init_default:
 * @policy: a policy to fill
 *
 * 5 attempts, 1 s doubling up to 60 s, 30–60 s after a bare 429, and a
 * Retry-After of at most 5 minutes.
 */
void
hs_halo_retry_policy_init_default (HsHaloRetryPolicy *policy)
{
  g_return_if_fail (policy != NULL);

  policy->max_attempts = 5;
  policy->base_delay = 1 * G_USEC_PER_SEC;
  policy->max_delay = 60 * G_USEC_PER_SEC;
  policy->rate_limit_delay = 30 * G_USEC_PER_SEC;
  policy->max_retry_after = 300 * G_USEC_PER_SEC;
}

/**
 * hs_halo_retry_get_backoff:
 * @policy: a policy
 * @failed_attempts: attempts that failed so far, from 1
 * @rand: the source of jitter
 *
 * Returns: microseconds to wait before the next attempt, uniformly
 *   distributed in [0, min (max_delay, base_delay × 2^(failed_attempts − 1))]
 */
gint64
hs_halo_retry_get_backoff (const HsHaloRetryPolicy *policy,
                           guint                    failed_attempts,
                           GRand                   *rand)
{
  gint64 bound = policy->base_delay;

  g_return_val_if_fail (policy != NULL, 0);
  g_return_val_if_fail (failed_attempts >= 1, 0);
  g_return_val_if_fail (rand != NULL, 0);

  for (guint i = 1; i < failed_attempts && bound < policy->max_delay; i++)
    bound *= 2;
  bound = MIN (bound, policy->max_delay);

  if (bound <= 0)
    return 0;
  return (gint64) (g_rand_double (rand) * (double) (bound + 1));
}

/**
 * hs_halo_retry_parse_retry_after:
 * @value: a `Retry-After` header: seconds, or an HTTP date
 * @now_real: the current wall-clock time, microseconds since the epoch
 * @delay: (out): microseconds to wait, never negative
 *
 * Returns: %TRUE if @value could be read
 */
gboolean
hs_halo_retry_parse_retry_after (const char *value,
                                 gint64      now_real,
                                 gint64     *delay)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *trimmed = NULL;
  guint64 seconds;

  g_return_val_if_fail (delay != NULL, FALSE);

  if (value == NULL)
    return FALSE;

  trimmed = g_strstrip (g_strdup (value));
  if (g_ascii_string_to_unsigned (trimmed, 10, 0, G_MAXINT32, &seconds, NULL))
    {
      *delay = (gint64) seconds * G_USEC_PER_SEC;
      return TRUE;
    }

  date = soup_date_time_new_from_http_string (trimmed);
  if (date == NULL)
    return FALSE;

  *delay = MAX (g_date_time_to_unix (date) * G_USEC_PER_SEC - now_real, 0);
  return TRUE;
}

/**
 * hs_halo_retry_get_rate_limit_wait:
 * @policy: a policy
 * @retry_after: (nullable): the 429's `Retry-After` header
 * @now_real: the current wall-clock time, microseconds since the epoch
 * @rand: the source of jitter
 *
 * Returns: microseconds to wait after a 429
 */
gint64
hs_halo_retry_get_rate_limit_wait (const HsHaloRetryPolicy *policy,
                                   const char              *retry_after,
                                   gint64                   now_real,
                                   GRand                   *rand)
{
  gint64 delay;

  g_return_val_if_fail (policy != NULL, 0);
  g_return_val_if_fail (rand != NULL, 0);

  if (hs_halo_retry_parse_retry_after (retry_after, now_real, &delay))
    return MIN (delay, policy->max_retry_after);

  return policy->rate_limit_delay +
         (gint64) (g_rand_double (rand) * (double) (policy->rate_limit_delay + 1));
}
