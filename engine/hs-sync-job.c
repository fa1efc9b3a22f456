/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-error.h"
#include "hs-pull-private.h"
#include "hs-sync-job-private.h"

/* A second batch may be written while the source fetches the next page;
 * more would only hold pages in memory without going faster, since the
 * sink writes them one after the other. */
#define MAX_WRITES_IN_FLIGHT 2
/* Progress signals are for people watching; ten a second is smooth. */
#define PROGRESS_INTERVAL_USEC (G_USEC_PER_SEC / 10)

/*
 * HsSyncJob:
 *
 * One run of the pipeline for one fiscal year: take the database's lock,
 * record the run and open its transaction, pull every stream from the
 * source while writing its batches, then (full runs only) look for rows
 * the source no longer returns, move the cursors and commit rows, cursors
 * and the ledger row together.  Any failure or cancellation rolls
 * everything back and records the run as failed or cancelled in its own
 * short transaction.  The database half of each step runs on the sink's
 * worker (hs-sync-job-sink.c); this half runs on the main context and
 * owns the #HsRun.
 *
 * Deletions are only considered after a complete read, and never more
 * than the configured share of a window unless the run allows a mass
 * delete: a partial or empty read must never look like Halo deleting
 * everything (sync-anchors.md, pitfalls 7 and 8).
 */
struct _HsSyncJob
{
  GObject parent_instance;

  HsSource *source;           /* (owned) */
  HsEngineSinkSlot *slot;     /* (owned) */
  HsSyncJobSinkState *state;  /* (owned): read and changed on the worker only */
  HsConfig *config;           /* (owned) */
  HsFiscalYear *fiscal_year;  /* (owned) */
  HsRun *run;                 /* (owned) */
  HsPull *pull;               /* (owned) (nullable) */

  GTask *task;                /* (owned) (nullable): while running */
  GCancellable *cancellable;  /* (owned): cancelled on cancel or failure */
  GCancellable *external;     /* (owned) (nullable) */
  gulong external_handler;

  GHashTable *members;        /* (owned): agent id (gint64*) → member */
  gint64 max_cursor[HS_N_STREAMS];
  guint writes_in_flight;
  GQueue waiting_pushes;      /* (owned) GTasks of pushes waiting for room */
  GError *run_error;          /* (owned) (nullable): why the run is ending */
  char *cancel_reason;        /* (owned) (nullable): the ledger's word for a cancel */
  gboolean failing;           /* the run is rolling back */
  gboolean committing;        /* the commit is on its way: too late to cancel */
  gboolean pull_finished;
  gint64 last_progress;
  HsStream sweeping;
};

G_DEFINE_FINAL_TYPE (HsSyncJob, hs_sync_job, G_TYPE_OBJECT)

enum {
  SIGNAL_STARTED,
  SIGNAL_PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void after_pull (HsSyncJob *self);
static void sweep_next (HsSyncJob *self);
static void fail       (HsSyncJob *self,
                        GError    *error);

static void
hs_sync_job_dispose (GObject *object)
{
  HsSyncJob *self = HS_SYNC_JOB (object);

  if (self->external != NULL)
    g_cancellable_disconnect (self->external, self->external_handler);
  self->external_handler = 0;
  g_clear_object (&self->external);
  g_clear_object (&self->source);
  g_clear_pointer (&self->slot, _hs_engine_sink_slot_unref);
  g_clear_pointer (&self->state, _hs_sync_job_sink_state_unref);
  g_clear_object (&self->config);
  g_clear_object (&self->fiscal_year);
  g_clear_object (&self->pull);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->members, g_hash_table_unref);
  g_clear_error (&self->run_error);
  g_clear_pointer (&self->cancel_reason, g_free);
  g_queue_clear_full (&self->waiting_pushes, g_object_unref);
  g_assert (self->task == NULL);

  G_OBJECT_CLASS (hs_sync_job_parent_class)->dispose (object);
}

static void
hs_sync_job_finalize (GObject *object)
{
  HsSyncJob *self = HS_SYNC_JOB (object);

  g_clear_object (&self->run);

  G_OBJECT_CLASS (hs_sync_job_parent_class)->finalize (object);
}

static void
hs_sync_job_class_init (HsSyncJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hs_sync_job_dispose;
  object_class->finalize = hs_sync_job_finalize;

  /* Emitted once the run is recorded (it has its id) and its transaction
   * is open. */
  signals[SIGNAL_STARTED] =
    g_signal_new ("started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* Emitted after "started", on stage changes and at most ten times a
   * second otherwise. */
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
hs_sync_job_init (HsSyncJob *self)
{
  self->cancellable = g_cancellable_new ();
  self->state = _hs_sync_job_sink_state_new ();
  self->members = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_queue_init (&self->waiting_pushes);
}

HsSyncJob *
hs_sync_job_new (HsSource         *source,
                 HsEngineSinkSlot *slot,
                 HsConfig         *config,
                 HsFiscalYear     *fiscal_year,
                 HsRun            *run)
{
  HsSyncJob *self;

  g_return_val_if_fail (HS_IS_SOURCE (source), NULL);
  g_return_val_if_fail (slot != NULL, NULL);
  g_return_val_if_fail (HS_IS_CONFIG (config), NULL);
  g_return_val_if_fail (HS_IS_FISCAL_YEAR (fiscal_year), NULL);
  g_return_val_if_fail (HS_IS_RUN (run), NULL);

  self = g_object_new (HS_TYPE_SYNC_JOB, NULL);
  self->source = g_object_ref (source);
  self->slot = _hs_engine_sink_slot_ref (slot);
  self->config = g_object_ref (config);
  self->fiscal_year = g_object_ref (fiscal_year);
  self->run = g_object_ref (run);
  return self;
}

static void
emit_progress (HsSyncJob *self,
               gboolean   force)
{
  gint64 now = g_get_monotonic_time ();

  /* Listeners follow a run by its id: until "started" it has none. */
  if (hs_run_get_id (self->run) == 0)
    return;
  if (!force && now - self->last_progress < PROGRESS_INTERVAL_USEC)
    return;
  self->last_progress = now;
  if (self->pull != NULL)
    for (HsStream s = 0; s < HS_N_STREAMS; s++)
      hs_run_set_expected (self->run, s, hs_pull_get_expected (self->pull, s));
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0);
}

static void
set_stage (HsSyncJob *self,
           HsRunStage stage)
{
  if (stage != HS_RUN_STAGE_RETRYING)
    hs_run_set_retry (self->run, NULL, 0, 0, 0);
  hs_run_set_stage (self->run, stage);
  emit_progress (self, TRUE);
}

/* Runs @func on the sink's worker; @callback gets the job. */
static void
call_sink (HsSyncJob          *self,
           HsEngineSinkFunc    func,
           gpointer            data,
           GDestroyNotify      data_free,
           GCancellable       *cancellable,
           GAsyncReadyCallback callback)
{
  _hs_engine_sink_slot_call (self->slot, self, func, data, data_free, cancellable, callback,
                             g_object_ref (self));
}

/* Ending a run, well or badly, happens exactly once and always through
 * here, so the task cannot be returned twice. */
static void
complete (HsSyncJob *self,
          GError    *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  g_return_if_fail (task != NULL);

  hs_run_set_retry (self->run, NULL, 0, 0, 0);
  hs_run_set_stage (self->run, HS_RUN_STAGE_DONE);
  emit_progress (self, TRUE);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
end_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(HsSyncJob) self = user_data;
  HsSyncJobEndData *data = _hs_engine_sink_call_get_data (result);

  /* The end cannot fail; the ledger gave the run its id if it had one. */
  g_task_propagate_boolean (G_TASK (result), NULL);
  if (hs_run_get_id (self->run) == 0)
    hs_run_set_id (self->run, hs_run_get_id (data->run));
  complete (self, g_steal_pointer (&self->run_error));
}

static HsSyncJobEndData *
end_data_new (HsSyncJob *self)
{
  HsSyncJobEndData *data = g_new0 (HsSyncJobEndData, 1);

  data->state = _hs_sync_job_sink_state_ref (self->state);
  data->run = hs_run_copy (self->run);
  return data;
}

static void
fail (HsSyncJob *self,
      GError    *error)
{
  gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_return_if_fail (!self->failing);
  self->failing = TRUE;
  self->run_error = error;

  /* Stop whatever is still going: the source, a waiting push. */
  g_cancellable_cancel (self->cancellable);
  while (!g_queue_is_empty (&self->waiting_pushes))
    {
      g_autoptr(GTask) push = g_queue_pop_head (&self->waiting_pushes);

      g_task_return_new_error (push, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("The run ended"));
    }

  hs_run_set_status (self->run, cancelled ? HS_RUN_CANCELLED : HS_RUN_FAILED);
  if (cancelled)
    hs_run_set_error_message (self->run, self->cancel_reason != NULL ? self->cancel_reason
                                         : _("The sync was canceled; nothing was changed"));
  else
    hs_run_set_error (self->run, error);
  hs_run_set_finished_at (self->run, g_get_real_time ());
  hs_run_set_stage (self->run, HS_RUN_STAGE_DONE);

  /* No cancellable: a cancelled run is still rolled back and recorded. */
  call_sink (self, _hs_sync_job_end_func, end_data_new (self), (GDestroyNotify) _hs_sync_job_end_data_free,
             NULL, end_cb);
}

static void
commit_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HsSyncJob) self = user_data;
  HsSyncJobEndData *data = _hs_engine_sink_call_get_data (result);
  GArray *unmapped;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      fail (self, error);
      return;
    }

  unmapped = hs_run_get_unmapped_agents (data->run);
  for (guint i = 0; i < unmapped->len; i++)
    hs_run_add_unmapped_agent (self->run, g_array_index (unmapped, gint64, i));

  /* Only now, with everything durable, does the run count as succeeded. */
  hs_run_set_status (self->run, HS_RUN_SUCCEEDED);
  complete (self, NULL);
}

static void
commit (HsSyncJob *self)
{
  HsSyncJobEndData *data;
  gint64 halo_now = hs_pull_get_server_time (self->pull);
  gint64 look_back = (gint64) hs_config_get_look_back_minutes (self->config) * 60 * G_USEC_PER_SEC;

  if (g_cancellable_is_cancelled (self->cancellable))
    {
      fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Canceled")));
      return;
    }

  /* After a complete read, every row changed since the run began reading
   * has been seen.  The cursor moves to the newest change seen, but never
   * past the moment the run began reading by Halo's own clock (its Date
   * header), so a row changed while the run read is read again, not
   * skipped (sync-anchors.md, pitfall 6); and at least to that moment
   * minus the look-back, so rows stamped once in bulk are not re-read by
   * every later run (pitfall 1).  The local clock plays no part: a
   * machine days ahead of Halo would otherwise push the cursor past every
   * later edit.  Without a Date, the newest change seen is all there is.
   * The cursor never moves back. */
  for (HsStream s = 0; s < HS_N_STREAMS; s++)
    {
      gint64 cursor = self->max_cursor[s];

      if (hs_stream_get_cursor_field (s) < 0)
        continue;

      if (halo_now > 0)
        cursor = MAX (MIN (cursor, halo_now), halo_now - look_back);
      if (cursor > hs_run_get_cursor_before (self->run, s))
        hs_run_set_cursor_after (self->run, s, cursor);
    }

  set_stage (self, HS_RUN_STAGE_COMMITTING);
  hs_run_set_finished_at (self->run, g_get_real_time ());

  /* The ledger row is written as the run will be once committed (or, for
   * a dry run, rolled back): the run itself counts as succeeded only once
   * the commit returns. */
  data = end_data_new (self);
  hs_run_set_status (data->run, HS_RUN_SUCCEEDED);
  hs_run_set_stage (data->run, HS_RUN_STAGE_DONE);
  /* Everything is read and written: a cancel from now on is too late,
   * and the run ends as the commit does, not "cancelled" over rows that
   * are committed. */
  self->committing = TRUE;
  call_sink (self, _hs_sync_job_commit_func, data, (GDestroyNotify) _hs_sync_job_end_data_free,
             NULL, commit_cb);
}

static void
reconcile (HsSyncJob *self,
           HsStream   stream,
           guint64    live_rows)
{
  gint64 remote = hs_run_get_remote_count (self->run, stream);

  if (remote < 0 || (guint64) remote == live_rows)
    return;

  {
    g_autofree char *message =
      g_strdup_printf (_("Drift: the source reports %lld %s in %s but the database holds %llu"),
                       (long long) remote, hs_stream_to_string (stream), hs_run_get_fiscal_year (self->run),
                       (unsigned long long) live_rows);

    hs_run_add_warning (self->run, message);
  }
}

static void sweep_call (HsSyncJob          *self,
                        gboolean            apply,
                        GAsyncReadyCallback callback);

static void
sweep_apply_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HsSyncJob) self = user_data;
  HsSyncJobSweepData *data = _hs_engine_sink_call_get_data (result);
  GError *error = NULL;

  g_task_propagate_boolean (G_TASK (result), &error);
  /* A cancel ended the run while the sink counted: nothing goes on. */
  if (self->failing)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    {
      fail (self, error);
      return;
    }

  hs_run_add_count (self->run, self->sweeping, HS_COUNTER_DELETED, data->n_missing);
  reconcile (self, self->sweeping, data->n_window);
  self->sweeping++;
  sweep_next (self);
}

static void
sweep_count_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HsSyncJob) self = user_data;
  HsSyncJobSweepData *data = _hs_engine_sink_call_get_data (result);
  GError *error = NULL;
  guint percent = hs_config_get_max_delete_percent (self->config);

  g_task_propagate_boolean (G_TASK (result), &error);
  /* A cancel ended the run while the sink counted: nothing goes on. */
  if (self->failing)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    {
      fail (self, error);
      return;
    }

  if (data->n_missing == 0)
    {
      reconcile (self, self->sweeping, data->n_window);
      self->sweeping++;
      sweep_next (self);
      return;
    }

  if (data->n_missing * 100 > (guint64) percent * data->n_window && !hs_run_get_allow_mass_delete (self->run))
    {
      g_autofree char *message =
        g_strdup_printf (_("Not marking %llu of %llu %s as deleted: "
                           "that is more than %u%% of %s. If they really were deleted, run a full sync "
                           "that allows a mass delete (halosyncctl sync --full --allow-mass-delete)"),
                         (unsigned long long) data->n_missing, (unsigned long long) data->n_window,
                         hs_stream_to_string (self->sweeping), percent,
                         hs_run_get_fiscal_year (self->run));

      hs_run_add_warning (self->run, message);
      reconcile (self, self->sweeping, data->n_window);
      self->sweeping++;
      sweep_next (self);
      return;
    }

  sweep_call (self, TRUE, sweep_apply_cb);
}

static void
sweep_call (HsSyncJob          *self,
            gboolean            apply,
            GAsyncReadyCallback callback)
{
  HsSyncJobSweepData *data = g_new0 (HsSyncJobSweepData, 1);

  data->state = _hs_sync_job_sink_state_ref (self->state);
  data->stream = self->sweeping;
  data->apply = apply;
  call_sink (self, _hs_sync_job_sweep_func, data, (GDestroyNotify) _hs_sync_job_sweep_data_free,
             self->cancellable, callback);
}

static void
sweep_next (HsSyncJob *self)
{
  if (self->sweeping >= HS_N_STREAMS)
    {
      commit (self);
      return;
    }

  hs_run_set_stream (self->run, self->sweeping);
  sweep_call (self, FALSE, sweep_count_cb);
}

/* Runs once the source has read everything and every batch is written. */
static void
after_pull (HsSyncJob *self)
{
  for (HsStream s = 0; s < HS_N_STREAMS; s++)
    hs_run_set_remote_count (self->run, s, hs_pull_get_remote_count (self->pull, s));

  if (hs_run_get_mode (self->run) == HS_SYNC_FULL)
    {
      set_stage (self, HS_RUN_STAGE_DELETING);
      self->sweeping = 0;
      sweep_next (self);
      return;
    }

  commit (self);
}

/* A write finished: the source may go on with its next page. */
static void
release_waiting_push (HsSyncJob *self)
{
  g_autoptr(GTask) push = g_queue_pop_head (&self->waiting_pushes);

  if (push != NULL)
    g_task_return_boolean (push, TRUE);
}

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(HsSyncJob) self = user_data;
  HsSyncJobWriteData *data = _hs_engine_sink_call_get_data (result);
  GError *error = NULL;
  HsStream stream;

  self->writes_in_flight--;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* The first failed write is the run's error, and ends it now: the
       * source may be waiting for room this write would have made. */
      if (!self->failing)
        fail (self, error);
      else
        g_error_free (error);
      return;
    }

  if (self->failing)
    return;

  stream = hs_record_batch_get_stream (data->batch);
  hs_run_add_count (self->run, stream, HS_COUNTER_INSERTED, data->inserted);
  hs_run_add_count (self->run, stream, HS_COUNTER_UPDATED, data->updated);
  hs_run_add_count (self->run, stream, HS_COUNTER_WRITTEN, hs_record_batch_get_n_records (data->batch));
  emit_progress (self, FALSE);

  release_waiting_push (self);
  if (self->pull_finished && self->writes_in_flight == 0)
    after_pull (self);
}

static void
apply_members (HsSyncJob     *self,
               HsRecordBatch *batch)
{
  HsStream stream = hs_record_batch_get_stream (batch);
  int agent_field = hs_stream_get_agent_field (stream);
  int member_field = hs_stream_get_member_field (stream);
  guint n = hs_record_batch_get_n_records (batch);

  if (agent_field < 0 || member_field < 0)
    return;

  for (guint i = 0; i < n; i++)
    {
      gint64 agent;
      const char *member;

      if (hs_record_batch_is_null (batch, i, agent_field))
        continue;

      agent = hs_record_batch_get_int (batch, i, agent_field);
      member = g_hash_table_lookup (self->members, &agent);
      hs_record_batch_set_text (batch, i, member_field, member);
    }
}

static void
track_cursor (HsSyncJob     *self,
              HsRecordBatch *batch)
{
  HsStream stream = hs_record_batch_get_stream (batch);
  int field = hs_stream_get_cursor_field (stream);
  guint n = hs_record_batch_get_n_records (batch);

  if (field < 0)
    return;

  for (guint i = 0; i < n; i++)
    if (!hs_record_batch_is_null (batch, i, field))
      self->max_cursor[stream] = MAX (self->max_cursor[stream],
                                      hs_record_batch_get_timestamp (batch, i, field));
}

/* Records again: the source's retry, if it waited for one, worked. */
static void
end_retry (HsSyncJob *self)
{
  if (hs_run_get_stage (self->run) == HS_RUN_STAGE_RETRYING)
    set_stage (self, HS_RUN_STAGE_FETCHING);
}

static void
consume_batch (HsPull        *pull,
               HsRecordBatch *batch,
               GTask         *push,
               gpointer       user_data)
{
  HsSyncJob *self = user_data;
  HsSyncJobWriteData *data;

  if (self->failing)
    {
      g_task_return_new_error (push, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("The run ended"));
      g_object_unref (push);
      return;
    }

  end_retry (self);
  apply_members (self, batch);
  track_cursor (self, batch);
  hs_run_set_stream (self->run, hs_record_batch_get_stream (batch));
  hs_run_add_count (self->run, hs_record_batch_get_stream (batch), HS_COUNTER_FETCHED,
                    hs_record_batch_get_n_records (batch));

  data = g_new0 (HsSyncJobWriteData, 1);
  data->state = _hs_sync_job_sink_state_ref (self->state);
  data->batch = hs_record_batch_ref (batch);
  self->writes_in_flight++;
  call_sink (self, _hs_sync_job_write_func, data, (GDestroyNotify) _hs_sync_job_write_data_free,
             self->cancellable, write_cb);

  /* The source may fetch its next page while earlier ones are written, but
   * not run further ahead than that. */
  if (self->writes_in_flight <= MAX_WRITES_IN_FLIGHT)
    {
      g_task_return_boolean (push, TRUE);
      g_object_unref (push);
    }
  else
    g_queue_push_tail (&self->waiting_pushes, push);

  emit_progress (self, FALSE);
}

static void
stream_started_cb (HsPull   *pull,
                   HsStream  stream,
                   HsSyncJob *self)
{
  end_retry (self);
  hs_run_set_stream (self->run, stream);
  emit_progress (self, TRUE);
}

/* Waiting is a stage of its own, so that a run held up by Halo says so
 * rather than looking stalled. */
static void
retrying_cb (HsPull     *pull,
             const char *reason,
             guint       attempt,
             guint       max_attempts,
             gint64      delay,
             HsSyncJob  *self)
{
  if (self->failing)
    return;
  hs_run_set_retry (self->run, reason, attempt, max_attempts, g_get_real_time () + delay);
  set_stage (self, HS_RUN_STAGE_RETRYING);
}

static void
warning_cb (HsPull     *pull,
            const char *message,
            HsSyncJob  *self)
{
  hs_run_add_warning (self->run, message);
}

static void
pull_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(HsSyncJob) self = user_data;
  GError *error = NULL;
  gboolean ok;

  ok = hs_source_pull_finish (self->source, result, &error);
  hs_run_add_api_calls (self->run, hs_pull_get_requests (self->pull));

  if (self->failing)
    {
      g_clear_error (&error);
      return;
    }

  if (!ok)
    {
      fail (self, error);
      return;
    }

  self->pull_finished = TRUE;
  if (self->writes_in_flight == 0)
    after_pull (self);
}

static void
start_pull (HsSyncJob *self)
{
  gint64 look_back = (gint64) hs_config_get_look_back_minutes (self->config) * 60 * G_USEC_PER_SEC;

  self->pull = hs_pull_new (self->fiscal_year, hs_run_get_mode (self->run));

  /* Incremental runs re-read from the stored cursor minus the look-back,
   * inclusive, so ties at the cursor and late or backdated updates are
   * read again; the upsert makes re-reading harmless.  Time entries have
   * no last-modified field of their own and follow the tickets. */
  if (hs_run_get_mode (self->run) == HS_SYNC_INCREMENTAL)
    {
      gint64 cursor = hs_run_get_cursor_before (self->run, HS_STREAM_TICKETS);

      if (cursor > 0)
        {
          gint64 since = MAX (cursor - look_back, 1);

          hs_pull_set_since (self->pull, HS_STREAM_TICKETS, since);
          hs_pull_set_since (self->pull, HS_STREAM_TIME_ENTRIES, since);
        }
    }

  _hs_pull_set_consumer (self->pull, consume_batch, self);
  g_signal_connect_object (self->pull, "stream-started", G_CALLBACK (stream_started_cb), self, 0);
  g_signal_connect_object (self->pull, "warning", G_CALLBACK (warning_cb), self, 0);
  g_signal_connect_object (self->pull, "retrying", G_CALLBACK (retrying_cb), self, 0);

  set_stage (self, HS_RUN_STAGE_FETCHING);
  hs_source_pull_async (self->source, self->pull, self->cancellable, pull_cb, g_object_ref (self));
}

static void
begin_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(HsSyncJob) self = user_data;
  HsSyncJobBeginData *data = _hs_engine_sink_call_get_data (result);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!self->failing)
        fail (self, error);
      else
        g_error_free (error);
      return;
    }
  if (self->failing)
    return;

  hs_run_set_id (self->run, hs_run_get_id (data->run));
  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    hs_run_set_cursor_before (self->run, stream, hs_run_get_cursor_before (data->run, stream));

  for (guint i = 0; i < data->agents->len; i++)
    {
      HsAgentMapping *mapping = g_ptr_array_index (data->agents, i);
      gint64 id = hs_agent_mapping_get_halo_id (mapping);

      if (hs_agent_mapping_is_mapped (mapping))
        g_hash_table_insert (self->members, g_memdup2 (&id, sizeof id),
                             g_strdup (hs_agent_mapping_get_member (mapping)));
    }

  g_signal_emit (self, signals[SIGNAL_STARTED], 0);
  start_pull (self);
}

static gboolean
cancel_in_main_context (gpointer user_data)
{
  HsSyncJob *self = user_data;

  if (self->task != NULL && !self->failing && !self->committing)
    fail (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Canceled")));
  return G_SOURCE_REMOVE;
}

/* A cancelled run ends at once, whatever it was waiting for (the source,
 * room for a batch), rather than when the source notices; it may be
 * cancelled from any thread. */
static void
external_cancelled_cb (GCancellable *external,
                       HsSyncJob    *self)
{
  g_autoptr(GSource) idle = g_idle_source_new ();

  g_cancellable_cancel (self->cancellable);
  /* Deferred: the handler runs inside the cancellable's emission. */
  g_source_set_callback (idle, cancel_in_main_context, g_object_ref (self), g_object_unref);
  g_source_attach (idle, g_task_get_context (self->task));
}

/*
 * Runs the job.  The result is %FALSE with the run's error when the run
 * failed or was cancelled; the run itself says the same.
 */
void
hs_sync_job_run_async (HsSyncJob          *self,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  HsSyncJobBeginData *data;

  g_return_if_fail (HS_IS_SYNC_JOB (self));
  g_return_if_fail (self->task == NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, hs_sync_job_run_async);

  if (cancellable != NULL)
    {
      self->external = g_object_ref (cancellable);
      self->external_handler = g_cancellable_connect (cancellable, G_CALLBACK (external_cancelled_cb),
                                                      self, NULL);
    }

  hs_run_set_status (self->run, HS_RUN_RUNNING);
  set_stage (self, HS_RUN_STAGE_CONNECTING);

  data = g_new0 (HsSyncJobBeginData, 1);
  data->state = _hs_sync_job_sink_state_ref (self->state);
  data->run = hs_run_copy (self->run);
  data->fiscal_year = g_object_ref (self->fiscal_year);
  call_sink (self, _hs_sync_job_begin_func, data, (GDestroyNotify) _hs_sync_job_begin_data_free,
             self->cancellable, begin_cb);
}

/*
 * Says why a cancel that may follow happens (the program is stopping,
 * say), for the run's record; %NULL says a person cancelled it.
 */
void
hs_sync_job_set_cancel_reason (HsSyncJob  *self,
                               const char *reason)
{
  g_return_if_fail (HS_IS_SYNC_JOB (self));

  g_free (self->cancel_reason);
  self->cancel_reason = g_strdup (reason);
}

gboolean
hs_sync_job_run_finish (HsSyncJob    *self,
                        GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (HS_IS_SYNC_JOB (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
