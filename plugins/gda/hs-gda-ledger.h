/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-gda-db.h"

G_BEGIN_DECLS

/* Everything the ledger stores of an #HsRun, copied on the main thread
 * (which owns the run) for the worker thread to write. */
typedef struct
{
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
  gint64 cursor_before[HS_N_STREAMS];
  gint64 cursor_after[HS_N_STREAMS];
  guint api_calls;
  guint n_warnings;
  char **warnings;
  GArray *unmapped;       /* (element-type gint64) */
  char *error_message;    /* (nullable) */
} HsGdaRunRecord;

HsGdaRunRecord *hs_gda_run_record_new           (HsRun          *run);
void            hs_gda_run_record_free          (HsGdaRunRecord *self);
guint64         hs_gda_run_record_get_total     (HsGdaRunRecord *self,
                                                 HsCounter       counter);
gboolean        hs_gda_ledger_save              (HsGdaDb        *db,
                                                 HsGdaRunRecord *record,
                                                 gint64         *id,
                                                 GError        **error);
GPtrArray      *hs_gda_ledger_list              (HsGdaDb        *db,
                                                 guint           limit,
                                                 GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsGdaRunRecord, hs_gda_run_record_free)

gboolean        hs_gda_ledger_interrupt_running (HsGdaDb        *db,
                                                 gint64          now,
                                                 const char     *message,
                                                 GError        **error);

G_END_DECLS
