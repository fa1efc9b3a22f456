/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-gda-catalog.h"
#include "hs-gda-ledger.h"
#include "hs-gda-run.h"
#include "hs-gda-sink-private.h"
#include "hs-gda-summary.h"

/**
 * HsGdaRun:
 *
 * One run's transaction in the database: the writer's batches and
 * sweeps, the summary and, at the commit, the cursors and the ledger row.
 * #HsSinkRun refuses everything after a failure; a failed statement has
 * also made the connection refuse the rest of the transaction (see
 * hs-gda-db.c).
 */
struct _HsGdaRun
{
  HsSinkRun parent_instance;

  HsGdaSink *sink;  /* (owned) */
};

G_DEFINE_FINAL_TYPE (HsGdaRun, hs_gda_run, HS_TYPE_SINK_RUN)

static HsGdaDb *
get_db (HsGdaRun *self,
        GError  **error)
{
  return hs_gda_sink_get_db (self->sink, error);
}

static gboolean
hs_gda_run_write_batch (HsSinkRun     *run,
                        HsRecordBatch *batch,
                        guint         *inserted,
                        guint         *updated,
                        GError       **error)
{
  HsGdaRun *self = HS_GDA_RUN (run);

  if (!hs_gda_writer_write (hs_gda_sink_get_writer (self->sink), batch, g_get_real_time (), NULL,
                            inserted, updated, error))
    {
      hs_gda_prefix_database_error (error, _("Writing %s failed"),
                                    hs_stream_to_string (hs_record_batch_get_stream (batch)));
      return FALSE;
    }
  return TRUE;
}

static gboolean
hs_gda_run_sweep (HsSinkRun *run,
                  HsStream   stream,
                  gboolean   apply,
                  guint64   *n_window,
                  guint64   *n_missing,
                  GError   **error)
{
  HsGdaRun *self = HS_GDA_RUN (run);
  HsFiscalYear *year = hs_sink_run_get_fiscal_year (run);

  if (!hs_gda_writer_sweep (hs_gda_sink_get_writer (self->sink), stream,
                            hs_fiscal_year_get_window_start (year), hs_fiscal_year_get_window_end (year),
                            apply, g_get_real_time (), n_window, n_missing, error))
    {
      hs_gda_prefix_database_error (error, _("Looking for deleted %s failed"), hs_stream_to_string (stream));
      return FALSE;
    }
  return TRUE;
}

static gboolean
hs_gda_run_rebuild_summary (HsSinkRun *run,
                            GError   **error)
{
  HsGdaRun *self = HS_GDA_RUN (run);
  HsGdaDb *db = get_db (self, error);

  return db != NULL && hs_gda_summary_rebuild (db, hs_sink_run_get_fiscal_year (run), error);
}

static gboolean
hs_gda_run_list_unmapped_agents (HsSinkRun *run,
                                 GArray    *agent_ids,
                                 GError   **error)
{
  HsGdaRun *self = HS_GDA_RUN (run);
  HsGdaDb *db = get_db (self, error);

  return db != NULL &&
         hs_gda_summary_list_unmapped_agents (db, hs_sink_run_get_fiscal_year (run), agent_ids, error);
}

static gboolean
hs_gda_run_commit (HsSinkRun *sink_run,
                   HsRun     *run,
                   GError   **error)
{
  HsGdaRun *self = HS_GDA_RUN (sink_run);
  const char *label = hs_fiscal_year_get_label (hs_sink_run_get_fiscal_year (sink_run));
  gint64 cursors[HS_N_STREAMS];
  HsGdaDb *db = get_db (self, error);

  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    cursors[stream] = hs_run_get_cursor_after (run, stream);

  if (db == NULL ||
      !hs_gda_writer_end (hs_gda_sink_get_writer (self->sink), error) ||
      !hs_gda_catalog_write_cursors (db, label, cursors, error) ||
      !hs_gda_ledger_save (db, run, error) ||
      !hs_gda_db_commit (db, error))
    {
      hs_gda_prefix_database_error (error, _("Cannot commit the run to %s"), hs_gda_sink_get_display (self->sink));
      return FALSE;
    }

  hs_gda_sink_end_run (self->sink);
  return TRUE;
}

static void
hs_gda_run_abort (HsSinkRun *run)
{
  hs_gda_sink_rollback (HS_GDA_RUN (run)->sink);
}

static void
hs_gda_run_dispose (GObject *object)
{
  HsGdaRun *self = HS_GDA_RUN (object);

  /* The base class aborts a run nobody ended, which needs the sink. */
  G_OBJECT_CLASS (hs_gda_run_parent_class)->dispose (object);
  g_clear_object (&self->sink);
}

static void
hs_gda_run_class_init (HsGdaRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HsSinkRunClass *run_class = HS_SINK_RUN_CLASS (klass);

  object_class->dispose = hs_gda_run_dispose;
  run_class->write_batch = hs_gda_run_write_batch;
  run_class->sweep = hs_gda_run_sweep;
  run_class->rebuild_summary = hs_gda_run_rebuild_summary;
  run_class->list_unmapped_agents = hs_gda_run_list_unmapped_agents;
  run_class->commit = hs_gda_run_commit;
  run_class->abort = hs_gda_run_abort;
}

static void
hs_gda_run_init (HsGdaRun *self)
{
}

/* The run whose transaction @sink has just opened. */
HsSinkRun *
hs_gda_run_new (HsGdaSink *sink)
{
  HsGdaRun *self = g_object_new (HS_TYPE_GDA_RUN, NULL);

  self->sink = g_object_ref (sink);
  return HS_SINK_RUN (self);
}
