/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-halo-wait.h"

/* Every wait of the plugin (rate budget, back-off, Retry-After) is a
 * GSource on the caller's main context, never a sleeping thread, so that
 * cancelling a run ends it at once.  The deadline source reads its time
 * from an injectable clock: with the real monotonic clock it behaves as a
 * timer, and a test that moves a fake clock forward and wakes the context
 * sees the source fire without waiting in real time. */

typedef struct
{
  GSource source;
  HsHaloClockFunc clock;
  gpointer clock_data;
  gint64 deadline;
} HsHaloDeadlineSource;

/**
 * hs_halo_monotonic_clock:
 * @user_data: unused
 *
 * Returns: g_get_monotonic_time()
 */
gint64
hs_halo_monotonic_clock (gpointer user_data)
{
  return g_get_monotonic_time ();
}

static gboolean
deadline_prepare (GSource *source,
                  int     *timeout)
{
  HsHaloDeadlineSource *self = (HsHaloDeadlineSource *) source;
  gint64 remaining = self->deadline - self->clock (self->clock_data);

  if (remaining <= 0)
    {
      *timeout = 0;
      return TRUE;
    }

  /* Round up, so the source never wakes a millisecond early and spins. */
  *timeout = (int) MIN ((remaining + 999) / 1000, G_MAXINT);
  return FALSE;
}

static gboolean
deadline_check (GSource *source)
{
  HsHaloDeadlineSource *self = (HsHaloDeadlineSource *) source;

  return self->clock (self->clock_data) >= self->deadline;
}

static gboolean
deadline_dispatch (GSource    *source,
                   GSourceFunc callback,
                   gpointer    user_data)
{
  g_return_val_if_fail (callback != NULL, G_SOURCE_REMOVE);

  return callback (user_data);
}

static GSourceFuncs deadline_funcs = {
  deadline_prepare,
  deadline_check,
  deadline_dispatch,
  NULL, NULL, NULL,
};

/**
 * hs_halo_deadline_source_new:
 * @clock: the clock @deadline is on
 * @clock_data: data for @clock
 * @deadline: when the source becomes ready, in @clock's microseconds
 *
 * Returns: (transfer full): a source that dispatches once @clock reaches
 *   @deadline; set its callback with g_source_set_callback()
 */
GSource *
hs_halo_deadline_source_new (HsHaloClockFunc clock,
                             gpointer        clock_data,
                             gint64          deadline)
{
  GSource *source;
  HsHaloDeadlineSource *self;

  g_return_val_if_fail (clock != NULL, NULL);

  source = g_source_new (&deadline_funcs, sizeof (HsHaloDeadlineSource));
  g_source_set_static_name (source, "[halosync] deadline");
  self = (HsHaloDeadlineSource *) source;
  self->clock = clock;
  self->clock_data = clock_data;
  self->deadline = deadline;
  return source;
}

typedef struct
{
  GSource *deadline;        /* (owned) (nullable) */
  GSource *cancel_source;   /* (owned) (nullable) */
} WaitData;

static void
wait_data_free (WaitData *data)
{
  g_assert (data->deadline == NULL && data->cancel_source == NULL);
  g_free (data);
}

/* Both sources hold a reference on the task, so they are destroyed before
 * it returns; that drops their references and lets the task go. */
static void
wait_complete (GTask *task)
{
  g_autoptr(GTask) owned = g_object_ref (task);
  WaitData *data = g_task_get_task_data (owned);

  if (data->deadline != NULL)
    g_source_destroy (data->deadline);
  g_clear_pointer (&data->deadline, g_source_unref);
  if (data->cancel_source != NULL)
    g_source_destroy (data->cancel_source);
  g_clear_pointer (&data->cancel_source, g_source_unref);

  if (!g_task_return_error_if_cancelled (owned))
    g_task_return_boolean (owned, TRUE);
}

static gboolean
wait_done_cb (gpointer user_data)
{
  wait_complete (G_TASK (user_data));
  return G_SOURCE_REMOVE;
}

static gboolean
wait_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  wait_complete (G_TASK (user_data));
  return G_SOURCE_REMOVE;
}

/**
 * hs_halo_wait_async:
 * @clock: the clock @deadline is on
 * @clock_data: data for @clock
 * @deadline: when to complete, in @clock's microseconds
 * @cancellable: (nullable): cancelling completes the wait at once with
 *   %G_IO_ERROR_CANCELLED
 * @callback: called when the wait is over
 * @user_data: data for @callback
 *
 * Waits on the thread-default main context.
 */
void
hs_halo_wait_async (HsHaloClockFunc     clock,
                    gpointer            clock_data,
                    gint64              deadline,
                    GCancellable       *cancellable,
                    GAsyncReadyCallback callback,
                    gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  WaitData *data;

  g_return_if_fail (clock != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, hs_halo_wait_async);

  if (g_task_return_error_if_cancelled (task))
    return;

  data = g_new0 (WaitData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) wait_data_free);

  data->deadline = hs_halo_deadline_source_new (clock, clock_data, deadline);
  g_source_set_callback (data->deadline, wait_done_cb, g_object_ref (task), g_object_unref);
  g_source_attach (data->deadline, g_task_get_context (task));

  if (cancellable != NULL)
    {
      data->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (data->cancel_source, G_SOURCE_FUNC (wait_cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (data->cancel_source, g_task_get_context (task));
    }
}

/**
 * hs_halo_wait_finish:
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE when the deadline was reached, %FALSE if cancelled
 */
gboolean
hs_halo_wait_finish (GAsyncResult *result,
                     GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, hs_halo_wait_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
