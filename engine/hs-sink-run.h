/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HALOSYNC_INSIDE) && !defined(HALOSYNC_COMPILATION)
#error "Only <halosync.h> can be included directly."
#endif

#include <gio/gio.h>

#include "hs-fiscal-year.h"
#include "hs-record.h"
#include "hs-run.h"

G_BEGIN_DECLS

#define HS_TYPE_SINK_RUN (hs_sink_run_get_type ())

G_DECLARE_DERIVABLE_TYPE (HsSinkRun, hs_sink_run, HS, SINK_RUN, GObject)

/**
 * HsSinkRunClass:
 * @parent_class: the parent class
 * @write_batch: upserts a batch in the run's transaction, setting the
 *   fiscal year (on streams bound to one) and `synced_at`, and clearing
 *   `deleted_at`; a row whose values are unchanged is left alone, and a
 *   field the source could not read (hs_record_batch_is_unknown()) keeps
 *   its stored value (null in a new row); gives the rows inserted and
 *   updated
 * @sweep: for a full run, counts the live rows in the fiscal year's
 *   window (on streams bound to a year, by their window field: what the
 *   source's record counts count; on the others, all) and, of the live
 *   rows the year holds — those whose fiscal year is the run's, whatever
 *   their dates say now — the ones the run did not write; with @apply,
 *   marks the latter deleted first, so the window's count is what is left
 * @rebuild_summary: recomputes the fiscal year's per-member per-month
 *   summary from the rows as the run leaves them
 * @list_unmapped_agents: appends to @agent_ids (of #gint64) each agent
 *   id, once, that the live rows the fiscal year holds (by their fiscal
 *   year, as @sweep reads it) name with no team member, as the run
 *   leaves them
 * @commit: stores the run's new cursors (hs_run_get_cursor_after()) and
 *   its ledger row as @run has them, then commits, all at once
 * @abort: rolls the transaction back; it cannot fail (a connection that
 *   cannot roll back is dropped, which rolls back on the server)
 *
 * The transaction of one run, as a sink's hs_sink_begin_run() opens it.
 * A subclass implements the functions; this class keeps the rule every
 * sink must follow: after any failure nothing more is written.  The first
 * function that fails ends the run: every later write, sweep, summary or
 * commit is refused with that failure, whatever the database would do
 * (SQLite, after some failures, has rolled back already, and a write
 * would then commit on its own), until hs_sink_run_abort().  The engine
 * calls these from the sink's worker thread, as #HsSink explains.
 */
struct _HsSinkRunClass
{
  GObjectClass parent_class;

  gboolean (*write_batch)     (HsSinkRun      *self,
                               HsRecordBatch  *batch,
                               guint          *inserted,
                               guint          *updated,
                               GError        **error);
  gboolean (*sweep)           (HsSinkRun      *self,
                               HsStream        stream,
                               gboolean        apply,
                               guint64        *n_window,
                               guint64        *n_missing,
                               GError        **error);
  gboolean (*rebuild_summary) (HsSinkRun      *self,
                               GError        **error);
  gboolean (*list_unmapped_agents) (HsSinkRun *self,
                                    GArray    *agent_ids,
                                    GError   **error);
  gboolean (*commit)          (HsSinkRun      *self,
                               HsRun          *run,
                               GError        **error);
  void     (*abort)           (HsSinkRun      *self);

  /*< private >*/
  gpointer padding[7];
};

HsFiscalYear *hs_sink_run_get_fiscal_year   (HsSinkRun      *self);
HsSyncMode    hs_sink_run_get_mode          (HsSinkRun      *self);
gboolean      hs_sink_run_write_batch       (HsSinkRun      *self,
                                             HsRecordBatch  *batch,
                                             guint          *inserted,
                                             guint          *updated,
                                             GError        **error);
gboolean      hs_sink_run_sweep             (HsSinkRun      *self,
                                             HsStream        stream,
                                             gboolean        apply,
                                             guint64        *n_window,
                                             guint64        *n_missing,
                                             GError        **error);
gboolean      hs_sink_run_rebuild_summary   (HsSinkRun      *self,
                                             GError        **error);
gboolean      hs_sink_run_list_unmapped_agents (HsSinkRun   *self,
                                                GArray      *agent_ids,
                                                GError     **error);
gboolean      hs_sink_run_commit            (HsSinkRun      *self,
                                             HsRun          *run,
                                             GError        **error);
void          hs_sink_run_abort             (HsSinkRun      *self);

G_END_DECLS
