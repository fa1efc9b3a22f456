/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-config.h"
#include "hs-engine-private.h"
#include "hs-fiscal-year.h"
#include "hs-run.h"
#include "hs-sink.h"
#include "hs-source.h"

G_BEGIN_DECLS

#define HS_TYPE_SYNC_JOB (hs_sync_job_get_type ())

G_DECLARE_FINAL_TYPE (HsSyncJob, hs_sync_job, HS, SYNC_JOB, GObject)

HsSyncJob *hs_sync_job_new               (HsSource            *source,
                                          HsEngineSinkSlot    *slot,
                                          HsConfig            *config,
                                          HsFiscalYear        *fiscal_year,
                                          HsRun               *run);
void       hs_sync_job_run_async         (HsSyncJob           *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean   hs_sync_job_run_finish        (HsSyncJob           *self,
                                          GAsyncResult        *result,
                                          GError             **error);
void       hs_sync_job_set_cancel_reason (HsSyncJob           *self,
                                          const char          *reason);

/* The run's side in the sink (hs-sync-job-sink.c): its state lives on the
 * sink's worker, which alone reads and changes it; calls hold a ref. */
typedef struct _HsSyncJobSinkState HsSyncJobSinkState;

HsSyncJobSinkState *_hs_sync_job_sink_state_new   (void);
HsSyncJobSinkState *_hs_sync_job_sink_state_ref   (HsSyncJobSinkState *state);
void                _hs_sync_job_sink_state_unref (HsSyncJobSinkState *state);

typedef struct
{
  HsSyncJobSinkState *state;  /* (owned) */
  HsRun *run;                 /* (owned): a copy; gets its id and stored cursors */
  HsFiscalYear *fiscal_year;  /* (owned) */
  GPtrArray *agents;          /* (owned) (nullable): the answer */
} HsSyncJobBeginData;

typedef struct
{
  HsSyncJobSinkState *state;  /* (owned) */
  HsRecordBatch *batch;       /* (owned) */
  guint inserted;
  guint updated;
} HsSyncJobWriteData;

typedef struct
{
  HsSyncJobSinkState *state;  /* (owned) */
  HsStream stream;
  gboolean apply;
  guint64 n_window;
  guint64 n_missing;
} HsSyncJobSweepData;

typedef struct
{
  HsSyncJobSinkState *state;  /* (owned) */
  HsRun *run;                 /* (owned): a copy, as it is to be recorded */
} HsSyncJobEndData;

void     _hs_sync_job_begin_data_free (HsSyncJobBeginData *data);
void     _hs_sync_job_write_data_free (HsSyncJobWriteData *data);
void     _hs_sync_job_sweep_data_free (HsSyncJobSweepData *data);
void     _hs_sync_job_end_data_free   (HsSyncJobEndData   *data);
gboolean _hs_sync_job_begin_func      (HsSink             *sink,
                                       gpointer            data,
                                       GCancellable       *cancellable,
                                       GError            **error);
gboolean _hs_sync_job_write_func      (HsSink             *sink,
                                       gpointer            data,
                                       GCancellable       *cancellable,
                                       GError            **error);
gboolean _hs_sync_job_sweep_func      (HsSink             *sink,
                                       gpointer            data,
                                       GCancellable       *cancellable,
                                       GError            **error);
gboolean _hs_sync_job_commit_func     (HsSink             *sink,
                                       gpointer            data,
                                       GCancellable       *cancellable,
                                       GError            **error);
gboolean _hs_sync_job_end_func        (HsSink             *sink,
                                       gpointer            data,
                                       GCancellable       *cancellable,
                                       GError            **error);

G_END_DECLS
