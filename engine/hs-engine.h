/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HALOSYNC_INSIDE) && !defined(HALOSYNC_COMPILATION)
#error "Only <halosync.h> can be included directly."
#endif

#include <gio/gio.h>

#include "hs-config.h"
#include "hs-agent-mapping.h"
#include "hs-fiscal-year.h"
#include "hs-plugin-loader.h"
#include "hs-run.h"
#include "hs-sink.h"
#include "hs-source.h"

G_BEGIN_DECLS

/**
 * HsSyncFlags:
 * @HS_SYNC_FLAGS_NONE: no flags
 * @HS_SYNC_FLAGS_DRY_RUN: roll the run back and only report what it would
 *   have changed
 * @HS_SYNC_FLAGS_ALLOW_MASS_DELETE: let a full run mark more than the
 *   configured share of a fiscal year as deleted
 *
 * Options of a sync request.
 */
typedef enum /*< flags >*/
{
  HS_SYNC_FLAGS_NONE = 0,
  HS_SYNC_FLAGS_DRY_RUN = 1 << 0,
  HS_SYNC_FLAGS_ALLOW_MASS_DELETE = 1 << 1,
} HsSyncFlags;

#define HS_TYPE_ENGINE (hs_engine_get_type ())

G_DECLARE_FINAL_TYPE (HsEngine, hs_engine, HS, ENGINE, GObject)

HsEngine       *hs_engine_new               (HsConfig  *config);
HsConfig       *hs_engine_get_config        (HsEngine  *self);
HsPluginLoader *hs_engine_get_plugin_loader (HsEngine  *self);
void            hs_engine_load_plugins      (HsEngine  *self);
char          **hs_engine_list_sources      (HsEngine  *self);
char          **hs_engine_list_sinks        (HsEngine  *self);
HsSource       *hs_engine_get_source        (HsEngine  *self,
                                             GError   **error);
HsSink         *hs_engine_get_sink          (HsEngine  *self,
                                             GError   **error);
HsRun          *hs_engine_get_current_run   (HsEngine  *self);
HsRun          *hs_engine_get_last_run      (HsEngine  *self);
void            hs_engine_restore_last_run_async  (HsEngine            *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean        hs_engine_restore_last_run_finish (HsEngine            *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);
HsRun          *hs_engine_find_run          (HsEngine  *self,
                                             const char *fiscal_year);
gboolean        hs_engine_cancel            (HsEngine  *self,
                                             const char *fiscal_year);
gboolean        hs_engine_stop              (HsEngine  *self);

void            hs_engine_start_sync_async  (HsEngine            *self,
                                             const char          *fiscal_year,
                                             HsSyncMode           mode,
                                             HsSyncFlags          flags,
                                             HsTrigger            trigger,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
HsRun          *hs_engine_start_sync_finish (HsEngine            *self,
                                             GAsyncResult        *result,
                                             GError             **error);
void            hs_engine_sync_async        (HsEngine            *self,
                                             const char          *fiscal_year,
                                             HsSyncMode           mode,
                                             HsSyncFlags          flags,
                                             HsTrigger            trigger,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
HsRun          *hs_engine_sync_finish       (HsEngine            *self,
                                             GAsyncResult        *result,
                                             GError             **error);

void            hs_engine_list_fiscal_years_async  (HsEngine            *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GPtrArray      *hs_engine_list_fiscal_years_finish (HsEngine            *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
void            hs_engine_create_fiscal_year_async (HsEngine            *self,
                                                    const char          *label,
                                                    const char          *start,
                                                    const char          *end,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
HsRun          *hs_engine_create_fiscal_year_finish (HsEngine           *self,
                                                     GAsyncResult       *result,
                                                     GError            **error);
void            hs_engine_delete_fiscal_year_async (HsEngine            *self,
                                                    const char          *label,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean        hs_engine_delete_fiscal_year_finish (HsEngine           *self,
                                                     GAsyncResult       *result,
                                                     GError            **error);
void            hs_engine_list_agents_async        (HsEngine            *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GPtrArray      *hs_engine_list_agents_finish       (HsEngine            *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
void            hs_engine_set_agent_mapping_async  (HsEngine            *self,
                                                    HsAgentMapping      *mapping,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean        hs_engine_set_agent_mapping_finish (HsEngine            *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
void            hs_engine_list_runs_async          (HsEngine            *self,
                                                    guint                limit,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GPtrArray      *hs_engine_list_runs_finish         (HsEngine            *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
void            hs_engine_summarize_async          (HsEngine            *self,
                                                    const char          *fiscal_year,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
GVariant       *hs_engine_summarize_finish         (HsEngine            *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
void            hs_engine_check_source_async       (HsEngine            *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean        hs_engine_check_source_finish      (HsEngine            *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
void            hs_engine_check_sink_async         (HsEngine            *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean        hs_engine_check_sink_finish        (HsEngine            *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);

G_END_DECLS
