/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <halosync.h>

/* A source that reads nothing and whose check always succeeds: what the
 * loader tests load as a working plugin. */

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

static void
hs_test_source_class_init (HsTestSourceClass *klass)
{
  HsSourceClass *source_class = HS_SOURCE_CLASS (klass);

  source_class->check_async = hs_test_source_check_async;
  source_class->check_finish = hs_test_source_check_finish;
}

static void
hs_test_source_init (HsTestSource *self)
{
}

HS_PLUGIN_DEFINE (hs_test_source_get_type)
