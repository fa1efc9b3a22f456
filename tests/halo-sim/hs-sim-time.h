/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Times are .NET-style ticks (100 ns) since 1970-01-01T00:00:00 UTC: Halo
 * prints up to seven fraction digits, which microseconds cannot hold. */
#define HS_SIM_TICKS_PER_SECOND G_GINT64_CONSTANT (10000000)
#define HS_SIM_TICKS_PER_MINUTE (60 * HS_SIM_TICKS_PER_SECOND)
#define HS_SIM_TICKS_PER_HOUR (3600 * HS_SIM_TICKS_PER_SECOND)
#define HS_SIM_TICKS_PER_DAY (86400 * HS_SIM_TICKS_PER_SECOND)

/* Stored for "no date"; printed as Halo's 1900-01-01T00:00:00 sentinel. */
#define HS_SIM_NO_DATE G_GINT64_CONSTANT (0)

/* "YYYY-MM-DDTHH:MM:SS.fffffff" plus the terminator. */
#define HS_SIM_TIME_BUF 32

void     hs_sim_time_format   (gint64      ticks,
                               char        buf[HS_SIM_TIME_BUF]);
gboolean hs_sim_time_parse    (const char *text,
                               gint64     *ticks);
gint64   hs_sim_time_from_ymd (int         year,
                               int         month,
                               int         day);
gint64   hs_sim_time_truncate (gint64      ticks,
                               guint       digits);

G_END_DECLS
