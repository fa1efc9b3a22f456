/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-gda-db.h"
#include "hs-gda-sink.h"
#include "hs-gda-writer.h"

G_BEGIN_DECLS

/* What a run's transaction (hs-gda-run.c) uses of its sink. */

HsGdaDb     *hs_gda_sink_get_db           (HsGdaSink   *self,
                                           GError     **error);
HsGdaWriter *hs_gda_sink_get_writer       (HsGdaSink   *self);
const char  *hs_gda_sink_get_display      (HsGdaSink   *self);
void         hs_gda_sink_rollback         (HsGdaSink   *self);
void         hs_gda_sink_end_run          (HsGdaSink   *self);
void         hs_gda_prefix_database_error (GError     **error,
                                           const char  *format,
                                           ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS
