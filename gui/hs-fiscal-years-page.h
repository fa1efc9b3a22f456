/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <adwaita.h>

#include "hs-engine-client.h"

G_BEGIN_DECLS

#define HS_TYPE_FISCAL_YEARS_PAGE (hs_fiscal_years_page_get_type ())

G_DECLARE_FINAL_TYPE (HsFiscalYearsPage, hs_fiscal_years_page, HS, FISCAL_YEARS_PAGE, GtkWidget)

void hs_fiscal_years_page_set_client (HsFiscalYearsPage *self,
                                      HsEngineClient    *client);

G_END_DECLS
