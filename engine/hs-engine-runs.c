/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-engine-private.h"
#include "hs-error.h"
#include "hs-sync-job-private.h"

/* Runs: queued one at a time per engine, single-flight per fiscal year,
 * cancelled on request, and ended with a final status whatever happens. */

Op *
_hs_engine_find_run_op (HsEngine   *self,
                        const char *fiscal_year,
                        gboolean   *queued)
{
  if (self->current != NULL && self->current->run != NULL &&
      g_strcmp0 (hs_run_get_fiscal_year (self->current->run), fiscal_year) == 0)
    {
      if (queued != NULL)
        *queued = FALSE;
      return self->current;
    }

  for (GList *l = self->queue.head; l != NULL; l = l->next)
    {
      Op *op = l->data;

      if (op->run != NULL && g_strcmp0 (hs_run_get_fiscal_year (op->run), fiscal_year) == 0)
        {
          if (queued != NULL)
            *queued = TRUE;
          return op;
        }
    }
  return NULL;
}

/* Whether a run is going or queued: a catalogue change would wait for it. */
gboolean
_hs_engine_is_syncing (HsEngine *self)
{
  if (self->current != NULL && self->current->run != NULL)
    return TRUE;
  for (GList *l = self->queue.head; l != NULL; l = l->next)
    if (((Op *) l->data)->run != NULL)
      return TRUE;
  return FALSE;
}

/**
 * hs_engine_find_run:
 * @self: an engine
 * @fiscal_year: a fiscal-year label
 *
 * Returns: (transfer none) (nullable): the run queued or going for that
 *   year; there is at most one
 */
HsRun *
hs_engine_find_run (HsEngine   *self,
                    const char *fiscal_year)
{
  Op *op;

  g_return_val_if_fail (HS_IS_ENGINE (self), NULL);
  g_return_val_if_fail (fiscal_year != NULL, NULL);

  op = _hs_engine_find_run_op (self, fiscal_year, NULL);
  return op != NULL ? op->run : NULL;
}

static void
end_run (HsEngine *self,
         Op       *op)
{
  _hs_engine_emit_run (self, HS_ENGINE_RUN_FINISHED, op->run);

  if (hs_run_get_status (op->run) == HS_RUN_SUCCEEDED && !hs_run_get_dry_run (op->run) &&
      hs_run_get_count (op->run, HS_STREAM_AGENTS, HS_COUNTER_INSERTED) +
      hs_run_get_count (op->run, HS_STREAM_AGENTS, HS_COUNTER_UPDATED) > 0)
    _hs_engine_emit_changed (self, HS_ENGINE_CHANGE_AGENTS);

  for (guint i = 0; i < op->waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (op->waiters, i);

      g_task_return_pointer (waiter, g_object_ref (op->run), g_object_unref);
    }
  g_ptr_array_set_size (op->waiters, 0);
}

static void
cancel_op (HsEngine   *self,
           Op         *op,
           gboolean    queued,
           const char *reason)
{
  if (!queued)
    {
      if (op->job != NULL)
        hs_sync_job_set_cancel_reason (op->job, reason);
      g_cancellable_cancel (op->cancellable);
      return;
    }

  /* A queued run never started: it has no ledger row and nothing to undo. */
  g_queue_remove (&self->queue, op);
  hs_run_set_status (op->run, HS_RUN_CANCELLED);
  hs_run_set_error_message (op->run, reason != NULL ? reason : _("The sync was canceled before it started"));
  hs_run_set_finished_at (op->run, g_get_real_time ());
  end_run (self, op);
  _hs_engine_op_free (op);
}

/**
 * hs_engine_cancel:
 * @self: an engine
 * @fiscal_year: a fiscal-year label
 *
 * Cancels the run queued or going for that year.  A running run rolls back
 * everything it wrote.
 *
 * Returns: %TRUE if there was such a run
 */
gboolean
hs_engine_cancel (HsEngine   *self,
                  const char *fiscal_year)
{
  gboolean queued = FALSE;
  Op *op;

  g_return_val_if_fail (HS_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (fiscal_year != NULL, FALSE);

  op = _hs_engine_find_run_op (self, fiscal_year, &queued);
  if (op == NULL)
    return FALSE;

  cancel_op (self, op, queued, NULL);
  return TRUE;
}

/**
 * hs_engine_stop:
 * @self: an engine
 *
 * For a program about to exit: cancels every queued and running run,
 * recording that the program stopped, and refuses new ones.  A running
 * run rolls back and writes its ledger row before #HsEngine::run-finished;
 * wait for that signal before exiting.
 *
 * Returns: %TRUE if a run is still going and will finish
 */
gboolean
hs_engine_stop (HsEngine *self)
{
  const char *reason = _("HaloSync was stopped during the sync; nothing was changed");
  GList *queued;

  g_return_val_if_fail (HS_IS_ENGINE (self), FALSE);

  self->stopping = TRUE;

  queued = g_list_copy (self->queue.head);
  for (GList *l = queued; l != NULL; l = l->next)
    {
      Op *op = l->data;

      if (op->run != NULL)
        cancel_op (self, op, TRUE, reason);
    }
  g_list_free (queued);

  if (hs_engine_get_current_run (self) == NULL)
    return FALSE;
  cancel_op (self, self->current, FALSE, reason);
  return TRUE;
}

static void
job_started_cb (HsSyncJob *job,
                HsEngine  *self)
{
  _hs_engine_emit_run (self, HS_ENGINE_RUN_STARTED, self->current->run);
}

static void
job_progress_cb (HsSyncJob *job,
                 HsEngine  *self)
{
  _hs_engine_emit_run (self, HS_ENGINE_RUN_PROGRESS, self->current->run);
}

static void
job_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(HsEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  Op *op = self->current;

  if (!hs_sync_job_run_finish (HS_SYNC_JOB (object), result, &error))
    g_debug ("Run %lld of %s ended: %s", (long long) hs_run_get_id (op->run),
             hs_run_get_fiscal_year (op->run), error->message);

  end_run (self, op);
  _hs_engine_finish_op (self);
  _hs_engine_notify_current_run (self);
}

/* Ends the current run op, which never got to run, with @error. */
void
_hs_engine_fail_run (HsEngine *self,
                     Op       *op,
                     GError   *error)
{
  hs_run_set_status (op->run, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                              ? HS_RUN_CANCELLED : HS_RUN_FAILED);
  hs_run_set_error (op->run, error);
  hs_run_set_finished_at (op->run, g_get_real_time ());
  g_error_free (error);

  end_run (self, op);
  _hs_engine_finish_op (self);
  _hs_engine_notify_current_run (self);
}

/* Starts the current op's run: the job takes the database's lock,
 * records the run and reads Halo, as hs-sync-job.c describes. */
void
_hs_engine_start_run (HsEngine *self,
                      Op       *op)
{
  GError *error = NULL;
  HsSource *source;

  source = hs_engine_get_source (self, &error);
  if (source == NULL || hs_engine_get_sink (self, &error) == NULL)
    {
      _hs_engine_fail_run (self, op, error);
      return;
    }

  hs_run_set_status (op->run, HS_RUN_RUNNING);
  hs_run_set_started_at (op->run, g_get_real_time ());
  _hs_engine_notify_current_run (self);

  op->job = hs_sync_job_new (source, self->sink_slot, self->config, op->fiscal_year, op->run);
  g_signal_connect_object (op->job, "started", G_CALLBACK (job_started_cb), self, 0);
  g_signal_connect_object (op->job, "progress", G_CALLBACK (job_progress_cb), self, 0);
  hs_sync_job_run_async (op->job, op->cancellable, job_cb, g_object_ref (self));
}

static void
sync_request_free (SyncRequest *request)
{
  g_free (request->fiscal_year);
  g_free (request);
}

/* Queues a run of @fiscal_year, or joins the one queued or going. */
HsRun *
_hs_engine_queue_run (HsEngine     *self,
                      HsFiscalYear *fiscal_year,
                      SyncRequest  *request,
                      GTask        *waiter)
{
  const char *label = hs_fiscal_year_get_label (fiscal_year);
  Op *op = _hs_engine_find_run_op (self, label, NULL);

  if (op == NULL)
    {
      op = _hs_engine_op_new (_hs_engine_start_run);
      op->run = hs_run_new (label, request->trigger, request->mode,
                            (request->flags & HS_SYNC_FLAGS_DRY_RUN) != 0);
      hs_run_set_allow_mass_delete (op->run, (request->flags & HS_SYNC_FLAGS_ALLOW_MASS_DELETE) != 0);
      op->fiscal_year = g_object_ref (fiscal_year);
      op->cancellable = g_cancellable_new ();
      _hs_engine_enqueue_op (self, op);
    }

  if (waiter != NULL)
    g_ptr_array_add (op->waiters, g_object_ref (waiter));
  return op->run;
}

typedef struct
{
  SyncRequest *request;   /* (owned) */
  GPtrArray *years;       /* (owned) (nullable): the worker's answer */
} ListYears;

static void
list_years_free (ListYears *data)
{
  sync_request_free (data->request);
  g_clear_pointer (&data->years, g_ptr_array_unref);
  g_free (data);
}

static gboolean
list_years_func (HsSink       *sink,
                 gpointer      data,
                 GCancellable *cancellable,
                 GError      **error)
{
  ListYears *list = data;

  list->years = hs_sink_list_fiscal_years (sink, error);
  return list->years != NULL;
}

static HsFiscalYear *
find_fiscal_year (GPtrArray  *years,
                  const char *label,
                  GError    **error)
{
  HsFiscalYear *year = NULL;

  if (label == NULL || *label == '\0')
    year = hs_fiscal_year_find_latest (years, NULL);
  else
    for (guint i = 0; i < years->len && year == NULL; i++)
      if (g_strcmp0 (hs_fiscal_year_get_label (g_ptr_array_index (years, i)), label) == 0)
        year = g_ptr_array_index (years, i);

  if (year != NULL)
    return year;

  if (label != NULL && *label != '\0')
    g_set_error (error, HS_ERROR, HS_ERROR_NOT_FOUND, _("There is no fiscal year “%s”; create it first"), label);
  else
    g_set_error_literal (error, HS_ERROR, HS_ERROR_NOT_FOUND, _("No fiscal year exists yet; create one first"));
  return NULL;
}

static void
request_sync_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HsEngine *self = HS_ENGINE (object);
  ListYears *list = _hs_engine_sink_call_get_data (result);
  HsFiscalYear *fiscal_year;
  GError *error = NULL;
  HsRun *run;

  if (!g_task_propagate_boolean (G_TASK (result), &error) ||
      (fiscal_year = find_fiscal_year (list->years, list->request->fiscal_year, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* A waiting caller is answered by end_run(), with the finished run. */
  run = _hs_engine_queue_run (self, fiscal_year, list->request, list->request->wait ? task : NULL);
  if (!list->request->wait)
    g_task_return_pointer (task, g_object_ref (run), g_object_unref);
}

static void
request_sync (HsEngine           *self,
              const char         *fiscal_year,
              HsSyncMode          mode,
              HsSyncFlags         flags,
              HsTrigger           trigger,
              gboolean            wait,
              gpointer            source_tag,
              GCancellable       *cancellable,
              GAsyncReadyCallback callback,
              gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ListYears *list;

  g_task_set_source_tag (task, source_tag);

  if (self->stopping)
    {
      g_task_return_new_error (task, HS_ERROR, HS_ERROR_BUSY, "%s", _("HaloSync is stopping; sync again once it runs"));
      return;
    }

  list = g_new0 (ListYears, 1);
  list->request = g_new0 (SyncRequest, 1);
  list->request->fiscal_year = g_strdup (fiscal_year);
  list->request->mode = mode;
  list->request->flags = flags;
  list->request->trigger = trigger;
  list->request->wait = wait;
  _hs_engine_call_sink (self, list_years_func, list, (GDestroyNotify) list_years_free, cancellable,
                        request_sync_cb, g_steal_pointer (&task));
}

/**
 * hs_engine_start_sync_async:
 * @self: an engine
 * @fiscal_year: (nullable): a fiscal-year label, or %NULL for the latest
 *   (hs_fiscal_year_find_latest())
 * @mode: full or incremental
 * @flags: options
 * @trigger: what asks for the run
 * @cancellable: (nullable): cancels the request, not the run
 * @callback: called once the run is queued
 * @user_data: data for @callback
 *
 * Queues a sync of a fiscal year and returns at once.  When a run of that
 * year is already queued or going, the request joins it (single-flight):
 * the result is that run, and @mode and @flags are ignored.  Follow the
 * run with #HsEngine::run-started, #HsEngine::run-progress and
 * #HsEngine::run-finished, or use hs_engine_sync_async().
 */
void
hs_engine_start_sync_async (HsEngine           *self,
                            const char         *fiscal_year,
                            HsSyncMode          mode,
                            HsSyncFlags         flags,
                            HsTrigger           trigger,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_return_if_fail (HS_IS_ENGINE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  request_sync (self, fiscal_year, mode, flags, trigger, FALSE, hs_engine_start_sync_async,
                cancellable, callback, user_data);
}

/**
 * hs_engine_start_sync_finish:
 * @self: an engine
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full): the queued or joined run, or %NULL with
 *   %HS_ERROR_NOT_FOUND when the fiscal year does not exist, or the error
 *   that kept the database from opening
 */
HsRun *
hs_engine_start_sync_finish (HsEngine     *self,
                             GAsyncResult *result,
                             GError      **error)
{
  g_return_val_if_fail (HS_IS_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * hs_engine_sync_async:
 * @self: an engine
 * @fiscal_year: (nullable): a fiscal-year label, or %NULL for the latest
 * @mode: full or incremental
 * @flags: options
 * @trigger: what asks for the run
 * @cancellable: (nullable): cancels waiting, not the run
 * @callback: called once the run has finished
 * @user_data: data for @callback
 *
 * Like hs_engine_start_sync_async(), but finishes with the run once it has
 * succeeded, failed or been cancelled.
 */
void
hs_engine_sync_async (HsEngine           *self,
                      const char         *fiscal_year,
                      HsSyncMode          mode,
                      HsSyncFlags         flags,
                      HsTrigger           trigger,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  g_return_if_fail (HS_IS_ENGINE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  request_sync (self, fiscal_year, mode, flags, trigger, TRUE, hs_engine_sync_async,
                cancellable, callback, user_data);
}

/**
 * hs_engine_sync_finish:
 * @self: an engine
 * @result: the result
 * @error: return location for an error
 *
 * A run that failed is still a result: check hs_run_get_status() and
 * hs_run_get_error_message().
 *
 * Returns: (transfer full): the finished run, or %NULL with an error when
 *   no run could be queued
 */
HsRun *
hs_engine_sync_finish (HsEngine     *self,
                       GAsyncResult *result,
                       GError      **error)
{
  g_return_val_if_fail (HS_IS_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
