/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-config.h"
#include "hs-fiscal-year.h"
#include "hs-run.h"
#include "hs-sink.h"
#include "hs-source.h"

G_BEGIN_DECLS

#define HS_TYPE_SYNC_JOB (hs_sync_job_get_type ())

G_DECLARE_FINAL_TYPE (HsSyncJob, hs_sync_job, HS, SYNC_JOB, GObject)

HsSyncJob *hs_sync_job_new          (HsSource            *source,
                                     HsSink              *sink,
                                     HsConfig            *config,
                                     HsFiscalYear        *fiscal_year,
                                     HsRun               *run);
void       hs_sync_job_run_async    (HsSyncJob           *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
gboolean   hs_sync_job_run_finish   (HsSyncJob           *self,
                                     GAsyncResult        *result,
                                     GError             **error);
void       hs_sync_job_set_cancel_reason (HsSyncJob      *self,
                                          const char     *reason);

G_END_DECLS
