/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-engine-private.h"
#include "hs-error.h"
#include "hs-sync-job-private.h"

/*
 * The database half of a run: what HsSyncJob has its sink's worker do.
 * These functions run on that thread and keep the rules every sink is
 * held to, whatever the sink: a run takes the database's lock before its
 * first ledger row and lets it go after its last; a run that got a ledger
 * row always ends it with a final status; nothing is written after a
 * failure (HsSinkRun refuses it); the summary is rebuilt when the run
 * changed rows or the year has none.
 */

struct _HsSyncJobSinkState
{
  HsSinkRun *sink_run;  /* (owned) (nullable): while the run's transaction is open */
  gint64 id;            /* the run's ledger id; 0 until it is recorded */
  gboolean locked;
};

HsSyncJobSinkState *
_hs_sync_job_sink_state_new (void)
{
  return g_rc_box_new0 (HsSyncJobSinkState);
}

static void
state_clear (HsSyncJobSinkState *state)
{
  g_clear_object (&state->sink_run);
}

HsSyncJobSinkState *
_hs_sync_job_sink_state_ref (HsSyncJobSinkState *state)
{
  return g_rc_box_acquire (state);
}

void
_hs_sync_job_sink_state_unref (HsSyncJobSinkState *state)
{
  g_rc_box_release_full (state, (GDestroyNotify) state_clear);
}

void
_hs_sync_job_begin_data_free (HsSyncJobBeginData *data)
{
  _hs_sync_job_sink_state_unref (data->state);
  g_clear_object (&data->run);
  g_clear_object (&data->fiscal_year);
  g_clear_pointer (&data->agents, g_ptr_array_unref);
  g_free (data);
}

static void
unlock (HsSink             *sink,
        HsSyncJobSinkState *state)
{
  if (state->locked)
    hs_sink_unlock (sink);
  state->locked = FALSE;
}

/* Takes the lock, ends the runs of programs that died, records the run
 * as running, opens its transaction and reads the agent mappings. */
gboolean
_hs_sync_job_begin_func (HsSink       *sink,
                         gpointer      user_data,
                         GCancellable *cancellable,
                         GError      **error)
{
  HsSyncJobBeginData *data = user_data;
  HsSyncJobSinkState *state = data->state;
  gboolean taken = FALSE;

  if (!hs_sink_try_lock (sink, &taken, error))
    return FALSE;
  if (!taken)
    {
      g_set_error_literal (error, HS_ERROR, HS_ERROR_BUSY,
                           _("Another HaloSync program is running a sync into the database; "
                             "try again when it has finished"));
      return FALSE;
    }
  state->locked = TRUE;

  if (!_hs_engine_sink_end_dead_runs (sink, error) || !hs_sink_save_run (sink, data->run, error))
    {
      unlock (sink, state);
      return FALSE;
    }
  state->id = hs_run_get_id (data->run);

  /* From here the run has a ledger row, and the lock stays until
   * _hs_sync_job_end_func() writes its last one. */
  state->sink_run = hs_sink_begin_run (sink, data->run, data->fiscal_year, error);
  if (state->sink_run == NULL)
    return FALSE;

  data->agents = hs_sink_list_agents (sink, error);
  return data->agents != NULL;
}

void
_hs_sync_job_write_data_free (HsSyncJobWriteData *data)
{
  _hs_sync_job_sink_state_unref (data->state);
  hs_record_batch_unref (data->batch);
  g_free (data);
}

gboolean
_hs_sync_job_write_func (HsSink       *sink,
                         gpointer      user_data,
                         GCancellable *cancellable,
                         GError      **error)
{
  HsSyncJobWriteData *data = user_data;

  return hs_sink_run_write_batch (data->state->sink_run, data->batch, &data->inserted, &data->updated, error);
}

void
_hs_sync_job_sweep_data_free (HsSyncJobSweepData *data)
{
  _hs_sync_job_sink_state_unref (data->state);
  g_free (data);
}

gboolean
_hs_sync_job_sweep_func (HsSink       *sink,
                         gpointer      user_data,
                         GCancellable *cancellable,
                         GError      **error)
{
  HsSyncJobSweepData *data = user_data;

  return hs_sink_run_sweep (data->state->sink_run, data->stream, data->apply,
                            &data->n_window, &data->n_missing, error);
}

void
_hs_sync_job_end_data_free (HsSyncJobEndData *data)
{
  _hs_sync_job_sink_state_unref (data->state);
  g_clear_object (&data->run);
  g_free (data);
}

static gboolean
changed_rows (HsRun *run)
{
  return hs_run_get_total (run, HS_COUNTER_INSERTED) + hs_run_get_total (run, HS_COUNTER_UPDATED) +
         hs_run_get_total (run, HS_COUNTER_DELETED) > 0;
}

/* The summary is rebuilt when the run changed rows, and when there is
 * none for the year yet (a new year, a database restored without it):
 * rebuilding it after every hourly run that changed nothing would cost a
 * pass over the year's rows each hour. */
static gboolean
summary_wanted (HsSink   *sink,
                HsRun    *run,
                gboolean *wanted,
                GError  **error)
{
  g_autoptr(GVariant) summary = NULL;

  *wanted = changed_rows (run);
  if (*wanted)
    return TRUE;
  summary = hs_sink_summarize (sink, hs_run_get_fiscal_year (run), error);
  if (summary == NULL)
    return FALSE;
  *wanted = g_variant_n_children (summary) == 0;
  return TRUE;
}

/* Commits a run that succeeded: its rows, the summary when wanted, its
 * cursors and its final ledger row together.  A dry run is rolled back
 * instead, and only its ledger row written. */
gboolean
_hs_sync_job_commit_func (HsSink       *sink,
                          gpointer      user_data,
                          GCancellable *cancellable,
                          GError      **error)
{
  HsSyncJobEndData *data = user_data;
  HsSyncJobSinkState *state = data->state;
  g_autoptr(GArray) unmapped = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean rebuild;

  /* The agents whose work the year attributes to nobody, as the run
   * leaves it: an incremental run that touched none of their rows still
   * reports them.  Agent 1 is Halo's "Unassigned" pseudo-agent and 0
   * means none: neither is a person to map. */
  if (!hs_sink_run_list_unmapped_agents (state->sink_run, unmapped, error))
    return FALSE;
  for (guint i = 0; i < unmapped->len; i++)
    if (g_array_index (unmapped, gint64, i) > 1)
      hs_run_add_unmapped_agent (data->run, g_array_index (unmapped, gint64, i));

  if (hs_run_get_dry_run (data->run))
    {
      hs_sink_run_abort (state->sink_run);
      if (!hs_sink_save_run (sink, data->run, error))
        return FALSE;
    }
  else if (!summary_wanted (sink, data->run, &rebuild, error) ||
           (rebuild && !hs_sink_run_rebuild_summary (state->sink_run, error)) ||
           !hs_sink_run_commit (state->sink_run, data->run, error))
    return FALSE;

  g_clear_object (&state->sink_run);
  unlock (sink, state);
  return TRUE;
}

/* Ends a run that failed or was cancelled: rolls back whatever it wrote
 * and records why it ended in the ledger — in its row, or, for a run
 * that failed before it got one (the database refused the first
 * statements of a connection), in a row of its own: a failure in the
 * history is what tells someone to look.  A run refused because another
 * program syncs is no run.  It cannot fail: a ledger row that cannot be
 * written is left running, which the next program to open the database
 * marks interrupted, and the journal has every run's end. */
gboolean
_hs_sync_job_end_func (HsSink       *sink,
                       gpointer      user_data,
                       GCancellable *cancellable,
                       GError      **error)
{
  HsSyncJobEndData *data = user_data;
  HsSyncJobSinkState *state = data->state;
  g_autoptr(GError) local_error = NULL;

  if (state->sink_run != NULL)
    hs_sink_run_abort (state->sink_run);
  g_clear_object (&state->sink_run);

  if (state->id != 0)
    {
      hs_run_set_id (data->run, state->id);
      if (!hs_sink_save_run (sink, data->run, &local_error))
        g_warning ("Could not record the end of run %lld of %s in the ledger: %s",
                   (long long) state->id, hs_run_get_fiscal_year (data->run), local_error->message);
    }
  else if (hs_run_get_status (data->run) == HS_RUN_FAILED && hs_run_get_error_code (data->run) != HS_ERROR_BUSY)
    {
      if (!hs_sink_save_run (sink, data->run, &local_error))
        g_debug ("Could not record the failed sync of %s in the ledger: %s",
                   hs_run_get_fiscal_year (data->run), local_error->message);
    }

  unlock (sink, state);
  return TRUE;
}
