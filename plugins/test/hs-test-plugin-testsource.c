/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <halosync.h>

/* A source whose check always succeeds and that reads two agents and
 * three tickets opened on the fiscal year's first day: what the loader
 * tests load as a working plugin, and what the engine's rules tests
 * sync from. */

#define HS_TYPE_TEST_SOURCE (hs_test_source_get_type ())
G_DECLARE_FINAL_TYPE (HsTestSource, hs_test_source, HS, TEST_SOURCE, HsSource)

struct _HsTestSource
{
  HsSource parent_instance;
};

G_DEFINE_FINAL_TYPE (HsTestSource, hs_test_source, HS_TYPE_SOURCE)

static void
hs_test_source_check_async (HsSource           *source,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);

  g_task_set_source_tag (task, hs_test_source_check_async);
  g_task_return_boolean (task, TRUE);
}

static gboolean
hs_test_source_check_finish (HsSource     *source,
                             GAsyncResult *result,
                             GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static HsRecordBatch *
make_batch (HsPull  *pull,
            HsStream stream)
{
  HsRecordBatch *batch = hs_record_batch_new (stream);
  gint64 opened = hs_pull_get_window_start (pull);

  for (gint64 id = 2; id < (stream == HS_STREAM_AGENTS ? 4 : 5); id++)
    {
      guint row = hs_record_batch_append (batch);
      g_autofree char *name = g_strdup_printf ("Record %" G_GINT64_FORMAT, id);

      if (stream == HS_STREAM_AGENTS)
        {
          hs_record_batch_set_int (batch, row, HS_AGENT_ID, id);
          hs_record_batch_set_text (batch, row, HS_AGENT_NAME, name);
          continue;
        }
      hs_record_batch_set_int (batch, row, HS_TICKET_ID, id);
      hs_record_batch_set_text (batch, row, HS_TICKET_SUMMARY, name);
      hs_record_batch_set_timestamp (batch, row, HS_TICKET_OPENED_AT, opened);
      hs_record_batch_set_timestamp (batch, row, HS_TICKET_LAST_UPDATE, opened);
    }
  return batch;
}

static void push_next (GTask *task);

static void
push_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!hs_pull_push_finish (HS_PULL (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  push_next (g_steal_pointer (&task));
}

/* Reads the agents, then the tickets; the task data counts the streams
 * done. */
static void
push_next (GTask *task)
{
  static const HsStream streams[] = { HS_STREAM_AGENTS, HS_STREAM_TICKETS };
  HsPull *pull = g_task_get_task_data (task);
  guint done = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "streams-done"));
  g_autoptr(HsRecordBatch) batch = NULL;

  if (done == G_N_ELEMENTS (streams))
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  g_object_set_data (G_OBJECT (task), "streams-done", GUINT_TO_POINTER (done + 1));
  hs_pull_begin_stream (pull, streams[done]);
  batch = make_batch (pull, streams[done]);
  hs_pull_push_async (pull, batch, g_task_get_cancellable (task), push_cb, task);
}

static void
hs_test_source_pull_async (HsSource           *source,
                           HsPull             *pull,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  GTask *task = g_task_new (source, cancellable, callback, user_data);

  g_task_set_source_tag (task, hs_test_source_pull_async);
  g_task_set_task_data (task, g_object_ref (pull), g_object_unref);
  push_next (task);
}

static gboolean
hs_test_source_pull_finish (HsSource     *source,
                            GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
hs_test_source_class_init (HsTestSourceClass *klass)
{
  HsSourceClass *source_class = HS_SOURCE_CLASS (klass);

  source_class->check_async = hs_test_source_check_async;
  source_class->check_finish = hs_test_source_check_finish;
  source_class->pull_async = hs_test_source_pull_async;
  source_class->pull_finish = hs_test_source_pull_finish;
}

static void
hs_test_source_init (HsTestSource *self)
{
}

HS_PLUGIN_DEFINE (hs_test_source_get_type)
