/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Shared by HsSource and HsSink: the default of an unimplemented async
 * vfunc, and how the public _finish recognises its result. */
void     _hs_plugin_object_return_not_supported (gpointer             object,
                                                 const char          *plugin_name,
                                                 const char          *operation,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean _hs_plugin_object_is_not_supported     (GAsyncResult        *result);

G_END_DECLS
