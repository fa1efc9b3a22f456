/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-run.h"

G_BEGIN_DECLS

/* Shared by hs-run.c and hs-run-variant.c. */

/* A source that meets thousands of odd fields must not turn the ledger
 * into a log; the first messages say what happened, the count how often. */
#define MAX_KEPT_WARNINGS 50

struct _HsRun
{
  GObject parent_instance;

  gint64 id;
  char *fiscal_year;
  HsTrigger trigger;
  HsSyncMode mode;
  gboolean dry_run;
  gboolean allow_mass_delete;
  HsRunStatus status;
  HsRunStage stage;
  HsStream stream;
  gint64 started_at;
  gint64 finished_at;
  guint64 counts[HS_N_STREAMS][HS_N_COUNTERS];
  gint64 remote_counts[HS_N_STREAMS];
  gint64 expected[HS_N_STREAMS];
  gint64 cursor_before[HS_N_STREAMS];
  gint64 cursor_after[HS_N_STREAMS];
  guint api_calls;
  guint n_warnings;
  GPtrArray *warnings;    /* (owned) (element-type utf8), NULL-terminated */
  GArray *unmapped;       /* (owned) (element-type gint64), sorted */
  char *error_message;    /* (owned) (nullable) */
  char *retry_reason;     /* (owned) (nullable): while waiting to retry */
  guint retry_attempt;
  guint retry_max_attempts;
  gint64 retry_at;        /* real time, microseconds */
  int error_code;         /* an #HsError code, meaningful with error_message */
};

G_END_DECLS
