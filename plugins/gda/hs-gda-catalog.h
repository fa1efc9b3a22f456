/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-gda-db.h"

G_BEGIN_DECLS

GPtrArray    *hs_gda_catalog_list_fiscal_years  (HsGdaDb        *db,
                                                 GError        **error);
HsFiscalYear *hs_gda_catalog_find_fiscal_year   (HsGdaDb        *db,
                                                 const char     *label,
                                                 GError        **error);
gboolean      hs_gda_catalog_create_fiscal_year (HsGdaDb        *db,
                                                 HsFiscalYear   *fiscal_year,
                                                 GError        **error);
gboolean      hs_gda_catalog_delete_fiscal_year (HsGdaDb        *db,
                                                 const char     *label,
                                                 GError        **error);
GPtrArray    *hs_gda_catalog_list_agents        (HsGdaDb        *db,
                                                 GError        **error);
gboolean      hs_gda_catalog_set_agent_mapping  (HsGdaDb        *db,
                                                 HsAgentMapping *mapping,
                                                 GError        **error);
gboolean      hs_gda_catalog_read_cursors       (HsGdaDb        *db,
                                                 const char     *fiscal_year,
                                                 gint64         *cursors,
                                                 GError        **error);
gboolean      hs_gda_catalog_write_cursors      (HsGdaDb        *db,
                                                 const char     *fiscal_year,
                                                 const gint64   *cursors,
                                                 GError        **error);

G_END_DECLS
