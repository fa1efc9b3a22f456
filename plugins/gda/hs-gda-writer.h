/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-gda-db.h"

G_BEGIN_DECLS

typedef struct _HsGdaWriter HsGdaWriter;

HsGdaWriter *hs_gda_writer_new    (HsGdaDb        *db);
void         hs_gda_writer_free   (HsGdaWriter    *self);
gboolean     hs_gda_writer_begin  (HsGdaWriter    *self,
                                   const char     *fiscal_year,
                                   gboolean        track_seen,
                                   GError        **error);
gboolean     hs_gda_writer_write  (HsGdaWriter    *self,
                                   HsRecordBatch  *batch,
                                   gint64          now,
                                   GCancellable   *cancellable,
                                   guint          *inserted,
                                   guint          *updated,
                                   GError        **error);
gboolean     hs_gda_writer_sweep  (HsGdaWriter    *self,
                                   HsStream        stream,
                                   gint64          window_start,
                                   gint64          window_end,
                                   gboolean        apply,
                                   gint64          now,
                                   guint64        *n_window,
                                   guint64        *n_missing,
                                   GError        **error);
gboolean     hs_gda_writer_end    (HsGdaWriter    *self,
                                   GError        **error);
void         hs_gda_writer_forget (HsGdaWriter    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsGdaWriter, hs_gda_writer_free)

G_END_DECLS
