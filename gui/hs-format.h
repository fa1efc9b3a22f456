/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <halosync.h>

G_BEGIN_DECLS

char       *hs_format_count        (guint64       n);
char       *hs_format_duration     (gint64        usec);
char       *hs_format_time         (gint64        usec);
char       *hs_format_day_time     (gint64        usec);
char       *hs_format_date         (const GDate  *date);
char       *hs_format_date_range   (HsFiscalYear *year);
const char *hs_format_stage        (const char   *stage);
const char *hs_format_stream       (const char   *stream);
const char *hs_format_run_trigger  (HsRun        *run);
const char *hs_format_status       (HsRunStatus   status);
guint64     hs_format_rows_written (HsRun        *run);
char       *hs_format_run_summary  (HsRun        *run);
char       *hs_format_run_counts   (HsRun        *run);
char       *hs_format_stream_counts (HsRun       *run,
                                     HsStream     stream);

G_END_DECLS
