/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <adwaita.h>

#include "hs-engine-client.h"

G_BEGIN_DECLS

#define HS_TYPE_OVERVIEW_PAGE (hs_overview_page_get_type ())

G_DECLARE_FINAL_TYPE (HsOverviewPage, hs_overview_page, HS, OVERVIEW_PAGE, GtkWidget)

void hs_overview_page_set_client      (HsOverviewPage *self,
                                       HsEngineClient *client);
void hs_overview_page_set_fiscal_year (HsOverviewPage *self,
                                       const char     *label);

G_END_DECLS
