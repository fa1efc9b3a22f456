/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-test-db.h"

G_BEGIN_DECLS

/* Every table of the gda sink's schema. */
extern const char * const hs_gda_test_tables[];

typedef void (*HsGdaTestFunc) (HsTestDbKind kind);

void           hs_gda_test_add                (const char     *name,
                                               HsGdaTestFunc   func);
void           hs_gda_test_add_postgresql     (const char     *name,
                                               HsGdaTestFunc   func);
gint64         hs_gda_test_usec               (const char     *iso8601);

HsSink        *hs_gda_test_new_sink           (const char     *uri);
HsSink        *hs_gda_test_open_sink          (const char     *uri);
gboolean       hs_gda_test_open               (HsSink         *sink,
                                               GError        **error);
void           hs_gda_test_add_fiscal_year    (HsSink         *sink,
                                               const char     *label,
                                               const char     *start,
                                               const char     *end);
gboolean       hs_gda_test_try_add_fiscal_year (HsSink        *sink,
                                               const char     *label,
                                               const char     *start,
                                               const char     *end,
                                               GError        **error);
GPtrArray     *hs_gda_test_list_fiscal_years  (HsSink         *sink);
gboolean       hs_gda_test_remove_fiscal_year (HsSink         *sink,
                                               const char     *label,
                                               GError        **error);
GPtrArray     *hs_gda_test_list_agents        (HsSink         *sink);
void           hs_gda_test_set_agent_mapping  (HsSink         *sink,
                                               HsAgentMapping *mapping);
GPtrArray     *hs_gda_test_list_runs          (HsSink         *sink,
                                               guint           limit);
gboolean       hs_gda_test_save_run           (HsSink         *sink,
                                               HsRun          *run,
                                               GError        **error);
gboolean       hs_gda_test_begin_run          (HsSink         *sink,
                                               HsRun          *run,
                                               GError        **error);
gboolean       hs_gda_test_write_batch        (HsSink         *sink,
                                               HsRun          *run,
                                               HsRecordBatch  *batch,
                                               guint          *inserted,
                                               guint          *updated,
                                               GError        **error);
void           hs_gda_test_write              (HsSink         *sink,
                                               HsRun          *run,
                                               HsRecordBatch  *batch,
                                               guint           expect_inserted,
                                               guint           expect_updated);
gboolean       hs_gda_test_sweep              (HsSink         *sink,
                                               HsRun          *run,
                                               HsStream        stream,
                                               gboolean        apply,
                                               guint64        *n_window,
                                               guint64        *n_missing,
                                               GError        **error);
gboolean       hs_gda_test_commit_run         (HsSink         *sink,
                                               HsRun          *run,
                                               GError        **error);
gboolean       hs_gda_test_commit_without_summary (HsSink     *sink,
                                                   HsRun      *run,
                                                   GError    **error);
void           hs_gda_test_abort_run          (HsSink         *sink,
                                               HsRun          *run);
GVariant      *hs_gda_test_summarize          (HsSink         *sink,
                                               const char     *fiscal_year,
                                               GError        **error);

void           hs_gda_test_add_ticket         (HsRecordBatch  *batch,
                                               gint64          id,
                                               const char     *summary,
                                               gint64          agent_id,
                                               const char     *opened_at,
                                               const char     *closed_at,
                                               double          hours,
                                               const char     *member);
void           hs_gda_test_add_time_entry     (HsRecordBatch  *batch,
                                               gint64          ticket_id,
                                               gint64          action_id,
                                               gint64          agent_id,
                                               const char     *started_at,
                                               double          hours,
                                               int             billable,
                                               const char     *member);
void           hs_gda_test_add_agent          (HsRecordBatch  *batch,
                                               gint64          id,
                                               const char     *name);

G_END_DECLS
