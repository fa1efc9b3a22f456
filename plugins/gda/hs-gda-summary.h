/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-gda-db.h"

G_BEGIN_DECLS

gboolean  hs_gda_summary_rebuild        (HsGdaDb      *db,
                                         HsFiscalYear *fiscal_year,
                                         GError      **error);
gboolean  hs_gda_summary_rebuild_stored (HsGdaDb      *db,
                                         GError      **error);
gboolean  hs_gda_summary_list_unmapped_agents (HsGdaDb      *db,
                                               HsFiscalYear *fiscal_year,
                                               GArray       *agent_ids,
                                               GError      **error);
gboolean  hs_gda_summary_is_empty       (HsGdaDb      *db,
                                         const char   *fiscal_year,
                                         gboolean     *empty,
                                         GError      **error);
GVariant *hs_gda_summary_read           (HsGdaDb      *db,
                                         const char   *fiscal_year,
                                         GError      **error);

G_END_DECLS
