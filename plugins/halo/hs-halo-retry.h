/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * HsHaloRetryPolicy:
 * @max_attempts: attempts per request, the first included
 * @base_delay: back-off before the second attempt, in microseconds; it
 *   doubles with each attempt
 * @max_delay: the back-off's cap, in microseconds
 * @rate_limit_delay: the wait after a 429 without `Retry-After`, in
 *   microseconds: a random time between it and twice it
 * @max_retry_after: the longest `Retry-After` honoured, in microseconds
 *
 * How a request is retried after a server error (5xx), a network error,
 * or a rate-limit refusal (429).
 */
typedef struct
{
  guint max_attempts;
  gint64 base_delay;
  gint64 max_delay;
  gint64 rate_limit_delay;
  gint64 max_retry_after;
} HsHaloRetryPolicy;

void     hs_halo_retry_policy_init_default (HsHaloRetryPolicy       *policy);
gint64   hs_halo_retry_get_backoff         (const HsHaloRetryPolicy *policy,
                                            guint                    failed_attempts,
                                            GRand                   *rand);
gint64   hs_halo_retry_get_rate_limit_wait (const HsHaloRetryPolicy *policy,
                                            const char              *retry_after,
                                            gint64                   now_real,
                                            GRand                   *rand);
gboolean hs_halo_retry_parse_retry_after   (const char              *value,
                                            gint64                   now_real,
                                            gint64                  *delay);

G_END_DECLS
