/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-worker.h"

/**
 * HsWorker:
 *
 * One thread that runs queued #GTask functions in order.
 *
 * Blocking client libraries such as libgda may only be used from one
 * thread per connection, and a sink's operations must not overtake each
 * other (a batch written after the commit it belongs to is lost).
 * g_task_run_in_thread() gives neither guarantee: it spreads tasks over a
 * shared pool.  A sink therefore owns one worker and runs every database
 * call on it; the connection never leaves that thread.
 *
 * A task whose cancellable is cancelled before its turn returns
 * %G_IO_ERROR_CANCELLED without running.  Disposing the worker lets the
 * queued tasks finish, then joins the thread.
 */
struct _HsWorker
{
  GObject parent_instance;

  GAsyncQueue *queue;  /* (owned) of Job */
  GThread *thread;     /* (owned) */
};

typedef struct
{
  GTask *task;           /* (owned) (nullable): NULL asks the thread to stop */
  GTaskThreadFunc func;
} Job;

G_DEFINE_FINAL_TYPE (HsWorker, hs_worker, G_TYPE_OBJECT)

static gboolean
release_task_cb (gpointer data)
{
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

/* The task's callback may run, and drop its reference, before the worker
 * drops its own: the worker's would then finalize the task's source
 * object (a sync job, the engine) on this thread, racing the thread that
 * uses it.  So the worker's reference is dropped in the task's context,
 * like the callback's. */
static void
release_task (GTask *task)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, release_task_cb, task, NULL);
  g_source_set_static_name (source, "[halosync] release worker task");
  g_source_attach (source, g_task_get_context (task));
}

static gpointer
worker_thread (gpointer data)
{
  g_autoptr(GAsyncQueue) queue = data;

  for (;;)
    {
      Job *job = g_async_queue_pop (queue);
      GTask *task = g_steal_pointer (&job->task);
      GTaskThreadFunc func = job->func;

      g_free (job);
      if (task == NULL)
        break;

      if (!g_task_return_error_if_cancelled (task))
        func (task,
              g_task_get_source_object (task),
              g_task_get_task_data (task),
              g_task_get_cancellable (task));
      release_task (task);
    }

  return NULL;
}

static void
hs_worker_dispose (GObject *object)
{
  HsWorker *self = HS_WORKER (object);

  if (self->thread != NULL)
    {
      GThread *thread = g_steal_pointer (&self->thread);

      g_async_queue_push (self->queue, g_new0 (Job, 1));

      /* The last reference to a task's source object can be dropped on the
       * worker itself; joining there would wait forever.  The thread then
       * stops by itself after the current job. */
      if (thread == g_thread_self ())
        g_thread_unref (thread);
      else
        g_thread_join (thread);
    }
  g_clear_pointer (&self->queue, g_async_queue_unref);

  G_OBJECT_CLASS (hs_worker_parent_class)->dispose (object);
}

static void
hs_worker_class_init (HsWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hs_worker_dispose;
}

static void
hs_worker_init (HsWorker *self)
{
  self->queue = g_async_queue_new ();
}

/**
 * hs_worker_new:
 * @name: the thread's name, as debuggers show it
 *
 * Returns: (transfer full): a worker with its thread started
 */
HsWorker *
hs_worker_new (const char *name)
{
  HsWorker *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (HS_TYPE_WORKER, NULL);
  self->thread = g_thread_new (name, worker_thread, g_async_queue_ref (self->queue));
  return self;
}

/**
 * hs_worker_run: (skip)
 * @self: a worker
 * @task: the task to run; the worker holds a reference until @func returns,
 *   and drops it in the task's context
 * @func: the function to run on the worker's thread; it must return a
 *   result on @task
 *
 * Queues @func behind every function queued before it.
 */
void
hs_worker_run (HsWorker       *self,
               GTask          *task,
               GTaskThreadFunc func)
{
  Job *job;

  g_return_if_fail (HS_IS_WORKER (self));
  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (func != NULL);
  g_return_if_fail (self->thread != NULL);

  job = g_new0 (Job, 1);
  job->task = g_object_ref (task);
  job->func = func;
  g_async_queue_push (self->queue, job);
}
