/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HALOSYNC_INSIDE) && !defined(HALOSYNC_COMPILATION)
#error "Only <halosync.h> can be included directly."
#endif

#include <gio/gio.h>

#include "hs-fiscal-year.h"
#include "hs-record.h"
#include "hs-run.h"

G_BEGIN_DECLS

#define HS_TYPE_PULL (hs_pull_get_type ())

G_DECLARE_FINAL_TYPE (HsPull, hs_pull, HS, PULL, GObject)

HsPull       *hs_pull_new                (HsFiscalYear        *fiscal_year,
                                          HsSyncMode           mode);
HsFiscalYear *hs_pull_get_fiscal_year    (HsPull              *self);
HsSyncMode    hs_pull_get_mode           (HsPull              *self);
gint64        hs_pull_get_window_start   (HsPull              *self);
gint64        hs_pull_get_window_end     (HsPull              *self);
gint64        hs_pull_get_since          (HsPull              *self,
                                          HsStream             stream);
void          hs_pull_set_since          (HsPull              *self,
                                          HsStream             stream,
                                          gint64               usec);
void          hs_pull_begin_stream       (HsPull              *self,
                                          HsStream             stream);
void          hs_pull_push_async         (HsPull              *self,
                                          HsRecordBatch       *batch,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
gboolean      hs_pull_push_finish        (HsPull              *self,
                                          GAsyncResult        *result,
                                          GError             **error);
void          hs_pull_set_remote_count   (HsPull              *self,
                                          HsStream             stream,
                                          gint64               count);
gint64        hs_pull_get_remote_count   (HsPull              *self,
                                          HsStream             stream);
void          hs_pull_set_expected       (HsPull              *self,
                                          HsStream             stream,
                                          gint64               count);
gint64        hs_pull_get_expected       (HsPull              *self,
                                          HsStream             stream);
void          hs_pull_note_server_time   (HsPull              *self,
                                          gint64               usec);
gint64        hs_pull_get_server_time    (HsPull              *self);
void          hs_pull_add_requests       (HsPull              *self,
                                          guint                n);
guint         hs_pull_get_requests       (HsPull              *self);
void          hs_pull_note_retry         (HsPull              *self,
                                          const char          *reason,
                                          guint                attempt,
                                          guint                max_attempts,
                                          gint64               delay);
void          hs_pull_add_warning        (HsPull              *self,
                                          const char          *format,
                                          ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS
