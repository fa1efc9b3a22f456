/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A splitmix64 stream.  Every generated entity gets its own stream keyed by
 * (seed, kind, id), so any record can be rebuilt on demand without
 * replaying the whole tenant, and the result never depends on the order in
 * which records are asked for.  GRand would do the same but costs a
 * 624-word Mersenne-Twister set-up per entity, far too slow for a million
 * time entries. */
typedef struct
{
  guint64 state;
} HsSimRng;

typedef enum
{
  HS_SIM_KIND_TENANT = 1,
  HS_SIM_KIND_AGENT,
  HS_SIM_KIND_CLIENT,
  HS_SIM_KIND_TICKET,
  HS_SIM_KIND_TICKET_TEXT,
  HS_SIM_KIND_ACTION_TEXT,
  HS_SIM_KIND_BREAK,
  HS_SIM_KIND_FAULT,
} HsSimKind;

static inline guint64
hs_sim_mix (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return x ^ (x >> 31);
}

static inline void
hs_sim_rng_init (HsSimRng  *rng,
                 guint64    seed,
                 HsSimKind  kind,
                 guint64    id)
{
  rng->state = hs_sim_mix (seed ^ hs_sim_mix (((guint64) kind << 56) ^ id));
}

static inline guint64
hs_sim_rng_next (HsSimRng *rng)
{
  guint64 z;

  rng->state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  z = rng->state;
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

/* A value in [0, n); n == 0 gives 0. */
static inline guint32
hs_sim_rng_below (HsSimRng *rng,
                  guint32   n)
{
  return (guint32) (((hs_sim_rng_next (rng) >> 32) * (guint64) n) >> 32);
}

/* A value in [lo, hi]. */
static inline gint64
hs_sim_rng_between (HsSimRng *rng,
                    gint64    lo,
                    gint64    hi)
{
  if (hi <= lo)
    return lo;
  return lo + (gint64) (hs_sim_rng_next (rng) % (guint64) (hi - lo + 1));
}

/* TRUE with probability percent / 100. */
static inline gboolean
hs_sim_rng_chance (HsSimRng *rng,
                   guint     percent)
{
  return hs_sim_rng_below (rng, 100) < percent;
}

G_END_DECLS
