/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-error.h"
#include "hs-plugin-object-private.h"

void
_hs_plugin_object_return_not_supported (gpointer            object,
                                        const char         *plugin_name,
                                        const char         *operation,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (object, cancellable, callback, user_data);

  g_task_set_source_tag (task, _hs_plugin_object_return_not_supported);
  g_task_return_new_error (task, HS_ERROR, HS_ERROR_NOT_SUPPORTED,
                           _("The plugin “%s” cannot %s"), plugin_name, operation);
}

gboolean
_hs_plugin_object_is_not_supported (GAsyncResult *result)
{
  return g_async_result_is_tagged (result, _hs_plugin_object_return_not_supported);
}
