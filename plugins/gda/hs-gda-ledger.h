/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-gda-db.h"

G_BEGIN_DECLS

/* Everything the ledger stores of an #HsRun, copied on the main thread
 * (which owns the run) for the worker thread to write. */
gboolean   hs_gda_ledger_save (HsGdaDb  *db,
                               HsRun    *run,
                               GError  **error);
GPtrArray *hs_gda_ledger_list (HsGdaDb  *db,
                               guint     limit,
                               GError  **error);

G_END_DECLS
