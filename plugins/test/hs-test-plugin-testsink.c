/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <halosync.h>

/* A sink for `test:` URIs that opens without a database: what the loader
 * tests load as a working sink plugin. */

#define HS_TYPE_TEST_SINK (hs_test_sink_get_type ())
G_DECLARE_FINAL_TYPE (HsTestSink, hs_test_sink, HS, TEST_SINK, HsSink)

struct _HsTestSink
{
  HsSink parent_instance;
};

G_DEFINE_FINAL_TYPE (HsTestSink, hs_test_sink, HS_TYPE_SINK)

static const char * const uri_schemes[] = { "test", NULL };

static void
hs_test_sink_open_async (HsSink             *sink,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (sink, cancellable, callback, user_data);

  g_task_set_source_tag (task, hs_test_sink_open_async);
  g_task_return_boolean (task, TRUE);
}

static gboolean
hs_test_sink_open_finish (HsSink       *sink,
                          GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, sink), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
hs_test_sink_class_init (HsTestSinkClass *klass)
{
  HsSinkClass *sink_class = HS_SINK_CLASS (klass);

  sink_class->uri_schemes = uri_schemes;
  sink_class->open_async = hs_test_sink_open_async;
  sink_class->open_finish = hs_test_sink_open_finish;
}

static void
hs_test_sink_init (HsTestSink *self)
{
}

HS_PLUGIN_DEFINE (hs_test_sink_get_type)
