/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-engine-private.h"
#include "hs-error.h"

/* How many of the newest ledger rows are checked for runs whose program
 * died: each program that opens the database checks them, so a dead run
 * is found long before that many runs follow it. */
#define DEAD_RUNS_CHECKED 50

/*
 * The sink and the thread it runs on.  Every call to a sink happens on
 * its worker, in order (see #HsSinkClass); a call holds the slot, so a
 * call queued before the database setting changed still reaches the sink
 * it was meant for.
 */
struct _HsEngineSinkSlot
{
  HsSink *sink;       /* (owned) */
  HsWorker *worker;   /* (owned) */
  gboolean opened;    /* the worker's: the sink is open and checked */
};

typedef struct
{
  HsEngineSinkSlot *slot;   /* (owned) */
  HsEngineSinkFunc func;
  gpointer data;            /* (owned) */
  GDestroyNotify data_free;
} SinkCall;

static void
slot_clear (HsEngineSinkSlot *slot)
{
  /* The worker first: it lets queued calls finish, then joins. */
  g_clear_object (&slot->worker);
  g_clear_object (&slot->sink);
}

HsEngineSinkSlot *
_hs_engine_sink_slot_new (HsSink *sink)
{
  HsEngineSinkSlot *slot = g_rc_box_new0 (HsEngineSinkSlot);

  slot->sink = g_object_ref (sink);
  slot->worker = hs_worker_new ("hs-sink");
  return slot;
}

HsEngineSinkSlot *
_hs_engine_sink_slot_ref (HsEngineSinkSlot *slot)
{
  return g_rc_box_acquire (slot);
}

void
_hs_engine_sink_slot_unref (HsEngineSinkSlot *slot)
{
  g_rc_box_release_full (slot, (GDestroyNotify) slot_clear);
}

HsSink *
_hs_engine_sink_slot_get_sink (HsEngineSinkSlot *slot)
{
  return slot->sink;
}

static void
sink_call_free (SinkCall *call)
{
  if (call->data_free != NULL)
    call->data_free (call->data);
  g_clear_pointer (&call->slot, _hs_engine_sink_slot_unref);
  g_free (call);
}

/* The engine's rule for runs whose program died: a run the ledger still
 * shows as running while nobody holds the database's lock was left by a
 * program that was killed, crashed or lost the database.  With the lock
 * held, none of them is live, and each is marked interrupted. */
gboolean
_hs_engine_sink_end_dead_runs (HsSink  *sink,
                               GError **error)
{
  g_autoptr(GPtrArray) runs = hs_sink_list_runs (sink, DEAD_RUNS_CHECKED, error);

  if (runs == NULL)
    return FALSE;

  for (guint i = 0; i < runs->len; i++)
    {
      HsRun *run = g_ptr_array_index (runs, i);

      if (hs_run_get_status (run) != HS_RUN_RUNNING)
        continue;

      hs_run_set_status (run, HS_RUN_INTERRUPTED);
      hs_run_set_stage (run, HS_RUN_STAGE_DONE);
      hs_run_set_finished_at (run, g_get_real_time ());
      hs_run_set_error_message (run, _("HaloSync stopped before this sync finished (the program was killed, "
                                       "crashed or lost the database); nothing of it was kept, and the next "
                                       "sync reads its changes again"));
      if (!hs_sink_save_run (sink, run, error))
        return FALSE;
      g_message ("Marked run %lld of %s interrupted: its program stopped before it finished",
                 (long long) hs_run_get_id (run), hs_run_get_fiscal_year (run));
    }
  return TRUE;
}

/* Opening: the schema, then the dead runs, unless another program holds
 * the lock (then the rows may be its own, and it is left to them). */
static gboolean
open_slot (HsEngineSinkSlot *slot,
           GCancellable     *cancellable,
           GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean taken = FALSE;

  if (slot->opened)
    return TRUE;
  if (!hs_sink_open (slot->sink, cancellable, error))
    return FALSE;
  slot->opened = TRUE;

  if (!hs_sink_try_lock (slot->sink, &taken, &local_error))
    {
      g_warning ("Could not check %s for runs that never finished: %s",
                 hs_sink_get_name (slot->sink), local_error->message);
      return TRUE;
    }
  if (!taken)
    return TRUE;

  if (!_hs_engine_sink_end_dead_runs (slot->sink, &local_error))
    g_warning ("Could not check %s for runs that never finished: %s",
               hs_sink_get_name (slot->sink), local_error->message);
  hs_sink_unlock (slot->sink);
  return TRUE;
}

static void
sink_call_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  SinkCall *call = task_data;
  GError *error = NULL;

  if (!open_slot (call->slot, cancellable, &error) ||
      !call->func (call->slot->sink, call->data, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/*
 * Runs @func on the worker of @slot's sink, opening the sink first if
 * need be.  @callback gets a GTask whose task data is @data: propagate
 * its boolean for @func's result, then read what @func left in @data.
 * A call with a cancelled @cancellable does not run (it fails with
 * %G_IO_ERROR_CANCELLED); rolling back and recording a run take none.
 */
void
_hs_engine_sink_slot_call (HsEngineSinkSlot   *slot,
                           gpointer            source_object,
                           HsEngineSinkFunc    func,
                           gpointer            data,
                           GDestroyNotify      data_free,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (source_object, cancellable, callback, user_data);
  SinkCall *call = g_new0 (SinkCall, 1);

  call->slot = _hs_engine_sink_slot_ref (slot);
  call->func = func;
  call->data = data;
  call->data_free = data_free;
  g_task_set_source_tag (task, _hs_engine_sink_slot_call);
  g_task_set_task_data (task, call, (GDestroyNotify) sink_call_free);
  hs_worker_run (slot->worker, task, sink_call_thread);
}

/* The @data of the call that gave @result. */
gpointer
_hs_engine_sink_call_get_data (GAsyncResult *result)
{
  SinkCall *call = g_task_get_task_data (G_TASK (result));

  return call->data;
}

/*
 * Like _hs_engine_sink_slot_call(), on the engine's sink for the
 * configured database, which it creates if need be; @callback's source
 * object is the engine.
 */
void
_hs_engine_call_sink (HsEngine           *self,
                      HsEngineSinkFunc    func,
                      gpointer            data,
                      GDestroyNotify      data_free,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  GError *error = NULL;

  if (hs_engine_get_sink (self, &error) == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
      SinkCall *call = g_new0 (SinkCall, 1);

      /* The same task data as a call that ran, for the callback. */
      call->data = data;
      call->data_free = data_free;
      g_task_set_source_tag (task, _hs_engine_sink_slot_call);
      g_task_set_task_data (task, call, (GDestroyNotify) sink_call_free);
      g_task_return_error (task, error);
      return;
    }

  _hs_engine_sink_slot_call (self->sink_slot, self, func, data, data_free, cancellable, callback, user_data);
}
