/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-test.h"

typedef struct
{
  GMutex lock;
  GString *order;
  GThread *thread;   /* the thread the last job ran on */
  gboolean mixed;    /* jobs ran on more than one thread */
} Log;

static void
record_job (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  Log *log = g_object_get_data (G_OBJECT (task), "log");

  g_mutex_lock (&log->lock);
  if (log->thread != NULL && log->thread != g_thread_self ())
    log->mixed = TRUE;
  log->thread = g_thread_self ();
  g_string_append_printf (log->order, "%u;", GPOINTER_TO_UINT (task_data));
  g_mutex_unlock (&log->lock);

  /* Later jobs must still wait for slow earlier ones. */
  if (GPOINTER_TO_UINT (task_data) % 10 == 0)
    g_usleep (2000);

  g_task_return_boolean (task, TRUE);
}

static void
done_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  guint *pending = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_task_propagate_boolean (G_TASK (result), &error));
  g_assert_no_error (error);
  (*pending)--;
}

static void
test_order (void)
{
  g_autoptr(HsWorker) worker = hs_worker_new ("test-worker");
  g_autoptr(GString) expected = g_string_new (NULL);
  Log log = { 0 };
  guint pending = 0;

  g_mutex_init (&log.lock);
  log.order = g_string_new (NULL);

  for (guint i = 1; i <= 50; i++)
    {
      g_autoptr(GTask) task = g_task_new (NULL, NULL, done_cb, &pending);

      g_object_set_data (G_OBJECT (task), "log", &log);
      g_task_set_task_data (task, GUINT_TO_POINTER (i), NULL);
      hs_worker_run (worker, task, record_job);
      pending++;
      g_string_append_printf (expected, "%u;", i);
    }

  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpstr (log.order->str, ==, expected->str);
  g_assert_false (log.mixed);
  g_assert_true (log.thread != g_thread_self ());

  g_string_free (log.order, TRUE);
  g_mutex_clear (&log.lock);
}

static void
fail_if_run (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_error ("A job cancelled before its turn ran anyway");
}

static void
test_cancelled_before_turn (void)
{
  g_autoptr(HsWorker) worker = hs_worker_new ("test-worker");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  task = g_task_new (NULL, cancellable, hs_test_store_result_cb, &result);
  hs_worker_run (worker, task, fail_if_run);
  hs_test_wait_for_result (&result);

  g_assert_false (g_task_propagate_boolean (G_TASK (result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
slow_job (GTask        *task,
          gpointer      source_object,
          gpointer      task_data,
          GCancellable *cancellable)
{
  gboolean *ran = task_data;

  g_usleep (20000);
  *ran = TRUE;
  g_task_return_boolean (task, TRUE);
}

static void
test_dispose_drains_queue (void)
{
  HsWorker *worker = hs_worker_new ("test-worker");
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);
  gboolean ran = FALSE;

  g_task_set_task_data (task, &ran, NULL);
  hs_worker_run (worker, task, slow_job);

  /* Disposing waits for queued work instead of dropping it. */
  g_object_unref (worker);
  g_assert_true (ran);
}

typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean callback_done;
  GThread *finalized_on;
} Handoff;

static void
return_then_wait (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Handoff *handoff = task_data;

  g_task_return_boolean (task, TRUE);

  /* Every other reference is gone when the worker drops its own. */
  g_mutex_lock (&handoff->lock);
  while (!handoff->callback_done)
    g_cond_wait (&handoff->cond, &handoff->lock);
  g_mutex_unlock (&handoff->lock);
}

static void
handoff_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Handoff *handoff = user_data;

  g_mutex_lock (&handoff->lock);
  handoff->callback_done = TRUE;
  g_cond_signal (&handoff->cond);
  g_mutex_unlock (&handoff->lock);
}

static void
record_finalizing_thread (gpointer data,
                          GObject *where_the_object_was)
{
  Handoff *handoff = data;

  g_atomic_pointer_set (&handoff->finalized_on, g_thread_self ());
  g_main_context_wakeup (NULL);
}

/* A task's source object is used by the thread that made the task: it is
 * finalized there, even when the worker holds the last reference. */
static void
test_source_object_finalized_by_caller (void)
{
  g_autoptr(HsWorker) worker = hs_worker_new ("test-worker");
  GObject *source = g_object_new (G_TYPE_OBJECT, NULL);
  Handoff handoff = { 0 };
  GTask *task = g_task_new (source, NULL, handoff_done_cb, &handoff);

  g_mutex_init (&handoff.lock);
  g_cond_init (&handoff.cond);
  g_object_weak_ref (source, record_finalizing_thread, &handoff);
  g_task_set_task_data (task, &handoff, NULL);
  hs_worker_run (worker, task, return_then_wait);
  g_object_unref (task);
  g_object_unref (source);

  while (g_atomic_pointer_get (&handoff.finalized_on) == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (handoff.finalized_on == g_thread_self ());
  g_cond_clear (&handoff.cond);
  g_mutex_clear (&handoff.lock);
}

int
main (int    argc,
      char **argv)
{
  hs_test_init (&argc, &argv);

  g_test_add_func ("/worker/order", test_order);
  g_test_add_func ("/worker/cancelled-before-turn", test_cancelled_before_turn);
  g_test_add_func ("/worker/dispose-drains-queue", test_dispose_drains_queue);
  g_test_add_func ("/worker/source-object-finalized-by-caller", test_source_object_finalized_by_caller);

  return g_test_run ();
}
