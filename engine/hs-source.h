/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HALOSYNC_INSIDE) && !defined(HALOSYNC_COMPILATION)
#error "Only <halosync.h> can be included directly."
#endif

#include <gio/gio.h>

#include "hs-config.h"
#include "hs-pull.h"

G_BEGIN_DECLS

#define HS_TYPE_SOURCE (hs_source_get_type ())

G_DECLARE_DERIVABLE_TYPE (HsSource, hs_source, HS, SOURCE, GObject)

/**
 * HsSourceClass:
 * @parent_class: the parent class
 * @check_async: checks that the remote service is reachable and accepts
 *   the configured credentials, with as few requests as possible
 * @check_finish: finishes @check_async
 * @pull_async: reads the streams @pull asks for and pushes them to it,
 *   page by page; see #HsPull
 * @pull_finish: finishes @pull_async; %TRUE only if every stream was read
 *   completely
 *
 * A plugin's source subclasses #HsSource and implements both pairs.  All
 * failable setup belongs in the async functions, never in init.
 */
struct _HsSourceClass
{
  GObjectClass parent_class;

  void     (*check_async)  (HsSource            *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data);
  gboolean (*check_finish) (HsSource            *self,
                            GAsyncResult        *result,
                            GError             **error);
  void     (*pull_async)   (HsSource            *self,
                            HsPull              *pull,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data);
  gboolean (*pull_finish)  (HsSource            *self,
                            GAsyncResult        *result,
                            GError             **error);

  /*< private >*/
  gpointer padding[12];
};

const char *hs_source_get_name    (HsSource            *self);
HsConfig   *hs_source_get_config  (HsSource            *self);
void        hs_source_check_async (HsSource            *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean    hs_source_check_finish (HsSource           *self,
                                    GAsyncResult       *result,
                                    GError            **error);
void        hs_source_pull_async  (HsSource            *self,
                                   HsPull              *pull,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
gboolean    hs_source_pull_finish (HsSource            *self,
                                   GAsyncResult        *result,
                                   GError             **error);

G_END_DECLS
