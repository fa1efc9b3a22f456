/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HALOSYNC_INSIDE) && !defined(HALOSYNC_COMPILATION)
#error "Only <halosync.h> can be included directly."
#endif

#include <gio/gio.h>

#include "hs-agent-mapping.h"
#include "hs-config.h"
#include "hs-fiscal-year.h"
#include "hs-record.h"
#include "hs-run.h"

G_BEGIN_DECLS

#define HS_TYPE_SINK (hs_sink_get_type ())

G_DECLARE_DERIVABLE_TYPE (HsSink, hs_sink, HS, SINK, GObject)

/**
 * HsSinkClass:
 * @parent_class: the parent class
 * @uri_schemes: the URI schemes the sink writes, such as "sqlite"; set in
 *   class_init, %NULL-terminated
 * @open_async: connects and brings the schema up to date; calling it again
 *   on an open sink succeeds at once
 * @open_finish: finishes @open_async
 * @list_fiscal_years_async: lists the fiscal years, earliest first
 * @list_fiscal_years_finish: finishes @list_fiscal_years_async
 * @add_fiscal_year_async: stores a fiscal year; a duplicate label fails with
 *   %HS_ERROR_EXISTS and an overlap with %HS_ERROR_CONFLICT
 * @add_fiscal_year_finish: finishes @add_fiscal_year_async
 * @remove_fiscal_year_async: deletes a fiscal year no synced row belongs to;
 *   %HS_ERROR_NOT_FOUND or %HS_ERROR_CONFLICT otherwise
 * @remove_fiscal_year_finish: finishes @remove_fiscal_year_async
 * @list_agents_async: lists every agent that is synced or mapped, with its
 *   mapping (member %NULL when unmapped)
 * @list_agents_finish: finishes @list_agents_async
 * @set_agent_mapping_async: stores a mapping, or removes it when its member
 *   is %NULL, and applies it to the rows already stored
 * @set_agent_mapping_finish: finishes @set_agent_mapping_async
 * @list_runs_async: lists up to @limit runs of the ledger, newest first
 * @list_runs_finish: finishes @list_runs_async
 * @save_run_async: writes a run's ledger row in its own short transaction,
 *   inserting it (and setting its id) when the id is 0
 * @save_run_finish: finishes @save_run_async
 * @begin_run_async: opens the transaction a run writes in and fills in the
 *   run's stored cursors; %HS_ERROR_BUSY if a run is already open
 * @begin_run_finish: finishes @begin_run_async
 * @write_batch_async: upserts a batch inside the run's transaction, setting
 *   the fiscal year and `synced_at` and clearing `deleted_at`; a row whose
 *   values are unchanged is left alone, and a field the source could not
 *   read (hs_record_batch_is_unknown()) keeps its stored value (null in a
 *   new row)
 * @write_batch_finish: finishes @write_batch_async, giving the rows
 *   inserted and updated
 * @sweep_async: for a full run, counts the live rows of the run's window
 *   and those among them the run did not write; marks the latter deleted
 *   when @apply is %TRUE
 * @sweep_finish: finishes @sweep_async
 * @commit_run_async: stores the run's new cursors, refreshes the summary,
 *   writes the ledger row and commits, all at once; the row records the
 *   run as succeeded, since the engine marks it so only once the commit
 *   returns; a dry run is rolled back instead and only its ledger row is
 *   written
 * @commit_run_finish: finishes @commit_run_async
 * @abort_run_async: rolls the run's transaction back
 * @abort_run_finish: finishes @abort_run_async
 * @summarize_async: reads the per-member per-month summary of a fiscal
 *   year that dashboards and the desktop app's chart show
 * @summarize_finish: finishes @summarize_async, giving a #GVariant of type
 *   `a(sssdduu)`: member (empty when unmapped), team, month (`YYYY-MM`),
 *   hours, billable hours, tickets opened, tickets closed
 *
 * A plugin's sink subclasses #HsSink.  The engine serialises its calls:
 * one open run per sink, and between begin_run and commit_run or abort_run
 * only write_batch, sweep and the read-only list functions.  A sink backed
 * by a blocking library runs every call on one #HsWorker.
 */
struct _HsSinkClass
{
  GObjectClass parent_class;

  const char * const *uri_schemes;

  void       (*open_async)                (HsSink              *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  gboolean   (*open_finish)               (HsSink              *self,
                                           GAsyncResult        *result,
                                           GError             **error);
  void       (*list_fiscal_years_async)   (HsSink              *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  GPtrArray *(*list_fiscal_years_finish)  (HsSink              *self,
                                           GAsyncResult        *result,
                                           GError             **error);
  void       (*add_fiscal_year_async)     (HsSink              *self,
                                           HsFiscalYear        *fiscal_year,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  gboolean   (*add_fiscal_year_finish)    (HsSink              *self,
                                           GAsyncResult        *result,
                                           GError             **error);
  void       (*remove_fiscal_year_async)  (HsSink              *self,
                                           const char          *label,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  gboolean   (*remove_fiscal_year_finish) (HsSink              *self,
                                           GAsyncResult        *result,
                                           GError             **error);
  void       (*list_agents_async)         (HsSink              *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  GPtrArray *(*list_agents_finish)        (HsSink              *self,
                                           GAsyncResult        *result,
                                           GError             **error);
  void       (*set_agent_mapping_async)   (HsSink              *self,
                                           HsAgentMapping      *mapping,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  gboolean   (*set_agent_mapping_finish)  (HsSink              *self,
                                           GAsyncResult        *result,
                                           GError             **error);
  void       (*list_runs_async)           (HsSink              *self,
                                           guint                limit,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  GPtrArray *(*list_runs_finish)          (HsSink              *self,
                                           GAsyncResult        *result,
                                           GError             **error);
  void       (*save_run_async)            (HsSink              *self,
                                           HsRun               *run,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  gboolean   (*save_run_finish)           (HsSink              *self,
                                           GAsyncResult        *result,
                                           GError             **error);
  void       (*begin_run_async)           (HsSink              *self,
                                           HsRun               *run,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  gboolean   (*begin_run_finish)          (HsSink              *self,
                                           GAsyncResult        *result,
                                           GError             **error);
  void       (*write_batch_async)         (HsSink              *self,
                                           HsRun               *run,
                                           HsRecordBatch       *batch,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  gboolean   (*write_batch_finish)        (HsSink              *self,
                                           GAsyncResult        *result,
                                           guint               *inserted,
                                           guint               *updated,
                                           GError             **error);
  void       (*sweep_async)               (HsSink              *self,
                                           HsRun               *run,
                                           HsStream             stream,
                                           gboolean             apply,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  gboolean   (*sweep_finish)              (HsSink              *self,
                                           GAsyncResult        *result,
                                           guint64             *n_window,
                                           guint64             *n_missing,
                                           GError             **error);
  void       (*commit_run_async)          (HsSink              *self,
                                           HsRun               *run,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  gboolean   (*commit_run_finish)         (HsSink              *self,
                                           GAsyncResult        *result,
                                           GError             **error);
  void       (*abort_run_async)           (HsSink              *self,
                                           HsRun               *run,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  gboolean   (*abort_run_finish)          (HsSink              *self,
                                           GAsyncResult        *result,
                                           GError             **error);
  void       (*summarize_async)           (HsSink              *self,
                                           const char          *fiscal_year,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
  GVariant  *(*summarize_finish)          (HsSink              *self,
                                           GAsyncResult        *result,
                                           GError             **error);

  /*< private >*/
  gpointer padding[16];
};

const char *hs_sink_get_name                 (HsSink              *self);
HsConfig   *hs_sink_get_config               (HsSink              *self);
const char *hs_sink_get_uri                  (HsSink              *self);
gboolean    hs_sink_class_supports_uri       (HsSinkClass         *klass,
                                              const char          *uri);

void        hs_sink_open_async               (HsSink              *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    hs_sink_open_finish              (HsSink              *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void        hs_sink_list_fiscal_years_async  (HsSink              *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GPtrArray  *hs_sink_list_fiscal_years_finish (HsSink              *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void        hs_sink_add_fiscal_year_async    (HsSink              *self,
                                              HsFiscalYear        *fiscal_year,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    hs_sink_add_fiscal_year_finish   (HsSink              *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void        hs_sink_remove_fiscal_year_async (HsSink              *self,
                                              const char          *label,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    hs_sink_remove_fiscal_year_finish (HsSink             *self,
                                               GAsyncResult       *result,
                                               GError            **error);
void        hs_sink_list_agents_async        (HsSink              *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GPtrArray  *hs_sink_list_agents_finish       (HsSink              *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void        hs_sink_set_agent_mapping_async  (HsSink              *self,
                                              HsAgentMapping      *mapping,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    hs_sink_set_agent_mapping_finish (HsSink              *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void        hs_sink_list_runs_async          (HsSink              *self,
                                              guint                limit,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GPtrArray  *hs_sink_list_runs_finish         (HsSink              *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void        hs_sink_save_run_async           (HsSink              *self,
                                              HsRun               *run,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    hs_sink_save_run_finish          (HsSink              *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void        hs_sink_begin_run_async          (HsSink              *self,
                                              HsRun               *run,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    hs_sink_begin_run_finish         (HsSink              *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void        hs_sink_write_batch_async        (HsSink              *self,
                                              HsRun               *run,
                                              HsRecordBatch       *batch,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    hs_sink_write_batch_finish       (HsSink              *self,
                                              GAsyncResult        *result,
                                              guint               *inserted,
                                              guint               *updated,
                                              GError             **error);
void        hs_sink_sweep_async              (HsSink              *self,
                                              HsRun               *run,
                                              HsStream             stream,
                                              gboolean             apply,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    hs_sink_sweep_finish             (HsSink              *self,
                                              GAsyncResult        *result,
                                              guint64             *n_window,
                                              guint64             *n_missing,
                                              GError             **error);
void        hs_sink_commit_run_async         (HsSink              *self,
                                              HsRun               *run,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    hs_sink_commit_run_finish        (HsSink              *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void        hs_sink_abort_run_async          (HsSink              *self,
                                              HsRun               *run,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    hs_sink_abort_run_finish         (HsSink              *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void        hs_sink_summarize_async          (HsSink              *self,
                                              const char          *fiscal_year,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
GVariant   *hs_sink_summarize_finish         (HsSink              *self,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
