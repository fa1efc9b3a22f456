/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-gda-db.h"

G_BEGIN_DECLS

/* The newest schema version this plugin creates and understands. */
#define HS_GDA_SCHEMA_VERSION 1

gboolean hs_gda_schema_migrate    (HsGdaDb  *db,
                                   gint64    now,
                                   GError  **error);
gboolean hs_gda_schema_enable_rls (HsGdaDb  *db,
                                   gboolean  anon,
                                   GError  **error);
gboolean hs_gda_schema_lock_tables (HsGdaDb            *db,
                                    const char * const *tables,
                                    GError            **error);

G_END_DECLS
