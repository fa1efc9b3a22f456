/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HALOSYNC_INSIDE) && !defined(HALOSYNC_COMPILATION)
#error "Only <halosync.h> can be included directly."
#endif

#include <gio/gio.h>

G_BEGIN_DECLS

#define HS_TYPE_WORKER (hs_worker_get_type ())

G_DECLARE_FINAL_TYPE (HsWorker, hs_worker, HS, WORKER, GObject)

HsWorker *hs_worker_new (const char      *name);
void      hs_worker_run (HsWorker        *self,
                         GTask           *task,
                         GTaskThreadFunc  func);

G_END_DECLS
