/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HALOSYNC_INSIDE) && !defined(HALOSYNC_COMPILATION)
#error "Only <halosync.h> can be included directly."
#endif

#include <gio/gio.h>

#include "hs-agent-mapping.h"
#include "hs-config.h"
#include "hs-fiscal-year.h"
#include "hs-run.h"
#include "hs-sink-run.h"

G_BEGIN_DECLS

#define HS_TYPE_SINK (hs_sink_get_type ())

G_DECLARE_DERIVABLE_TYPE (HsSink, hs_sink, HS, SINK, GObject)

/**
 * HsSinkClass:
 * @parent_class: the parent class
 * @uri_schemes: the URI schemes the sink writes, such as "sqlite"; set in
 *   class_init, %NULL-terminated
 * @open: connects and brings the schema up to date; called before
 *   anything else, and never again once it succeeded
 * @try_lock: takes the lock that keeps two programs from writing into the
 *   database at once, without waiting: @taken says whether it did.  The
 *   lock must go with the program or connection that holds it (a file
 *   lock, a session lock), so that a program that dies frees it
 * @unlock: lets the lock go
 * @list_fiscal_years: lists the fiscal years, earliest first
 * @create_fiscal_year: stores a fiscal year; the engine has checked that
 *   its label is free and that it overlaps no other
 * @delete_fiscal_year: deletes a fiscal year with its cursors and summary;
 *   %HS_ERROR_CONFLICT if synced rows still belong to it
 * @list_agents: lists every agent that is synced or mapped, with its
 *   mapping (member %NULL when unmapped)
 * @set_agent_mapping: stores a mapping, or removes it when its member is
 *   %NULL, and applies it to the rows and summaries already stored
 * @list_runs: lists up to @limit runs of the ledger, newest first
 * @save_run: writes a run's ledger row in a transaction of its own,
 *   inserting it and setting its id when the id is 0
 * @begin_run: opens the transaction a run writes in, sets the run's
 *   stored cursors (hs_run_set_cursor_before()) and returns the object
 *   that writes it; see #HsSinkRun
 * @summarize: reads the per-member per-month summary of a fiscal year,
 *   a #GVariant of type `a(sssdduu)`: member (empty when unmapped), team,
 *   month (`YYYY-MM`), hours, billable hours, tickets opened, closed
 *
 * A plugin's sink subclasses #HsSink and is storage only: the rules every
 * sink must keep live in the engine, which checks fiscal years for clashes
 * before it stores one, holds the lock while anything is written, gives
 * every run a final status in the ledger, marks the runs of programs that
 * died as interrupted, and decides when the summary is rebuilt.
 *
 * Why the functions block: a database library such as libgda blocks in
 * every call and may only be used from one thread per connection, and a
 * sink's operations must never overtake each other (a batch written after
 * the commit it belongs to is lost).  So, as evolution-data-server's sync
 * backends do, the sink is written as plain blocking code and the engine,
 * which owns one #HsWorker thread per sink, calls every function there, in
 * order, while its own API stays asynchronous.  A sink keeps its
 * connection and all its state to itself; it never sees another thread.
 * Each @error is an %HS_ERROR: %HS_ERROR_DATABASE for a database failure,
 * %HS_ERROR_BUSY when another program holds the database.
 */
struct _HsSinkClass
{
  GObjectClass parent_class;

  const char * const *uri_schemes;

  gboolean   (*open)               (HsSink          *self,
                                    GCancellable    *cancellable,
                                    GError         **error);
  gboolean   (*try_lock)           (HsSink          *self,
                                    gboolean        *taken,
                                    GError         **error);
  void       (*unlock)             (HsSink          *self);
  GPtrArray *(*list_fiscal_years)  (HsSink          *self,
                                    GError         **error);
  gboolean   (*create_fiscal_year) (HsSink          *self,
                                    HsFiscalYear    *fiscal_year,
                                    GError         **error);
  gboolean   (*delete_fiscal_year) (HsSink          *self,
                                    const char      *label,
                                    GError         **error);
  GPtrArray *(*list_agents)        (HsSink          *self,
                                    GError         **error);
  gboolean   (*set_agent_mapping)  (HsSink          *self,
                                    HsAgentMapping  *mapping,
                                    GError         **error);
  GPtrArray *(*list_runs)          (HsSink          *self,
                                    guint            limit,
                                    GError         **error);
  gboolean   (*save_run)           (HsSink          *self,
                                    HsRun           *run,
                                    GError         **error);
  HsSinkRun *(*begin_run)          (HsSink          *self,
                                    HsRun           *run,
                                    HsFiscalYear    *fiscal_year,
                                    GError         **error);
  GVariant  *(*summarize)          (HsSink          *self,
                                    const char      *fiscal_year,
                                    GError         **error);

  /*< private >*/
  gpointer padding[12];
};

const char *hs_sink_get_name           (HsSink          *self);
HsConfig   *hs_sink_get_config         (HsSink          *self);
const char *hs_sink_get_uri            (HsSink          *self);
gboolean    hs_sink_class_supports_uri (HsSinkClass     *klass,
                                        const char      *uri);

gboolean    hs_sink_open               (HsSink          *self,
                                        GCancellable    *cancellable,
                                        GError         **error);
gboolean    hs_sink_try_lock           (HsSink          *self,
                                        gboolean        *taken,
                                        GError         **error);
void        hs_sink_unlock             (HsSink          *self);
GPtrArray  *hs_sink_list_fiscal_years  (HsSink          *self,
                                        GError         **error);
gboolean    hs_sink_create_fiscal_year (HsSink          *self,
                                        HsFiscalYear    *fiscal_year,
                                        GError         **error);
gboolean    hs_sink_delete_fiscal_year (HsSink          *self,
                                        const char      *label,
                                        GError         **error);
GPtrArray  *hs_sink_list_agents        (HsSink          *self,
                                        GError         **error);
gboolean    hs_sink_set_agent_mapping  (HsSink          *self,
                                        HsAgentMapping  *mapping,
                                        GError         **error);
GPtrArray  *hs_sink_list_runs          (HsSink          *self,
                                        guint            limit,
                                        GError         **error);
gboolean    hs_sink_save_run           (HsSink          *self,
                                        HsRun           *run,
                                        GError         **error);
HsSinkRun  *hs_sink_begin_run          (HsSink          *self,
                                        HsRun           *run,
                                        HsFiscalYear    *fiscal_year,
                                        GError         **error);
GVariant   *hs_sink_summarize          (HsSink          *self,
                                        const char      *fiscal_year,
                                        GError         **error);

G_END_DECLS
