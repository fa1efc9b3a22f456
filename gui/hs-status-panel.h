/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <adwaita.h>

#include "hs-engine-client.h"

G_BEGIN_DECLS

#define HS_TYPE_STATUS_PANEL (hs_status_panel_get_type ())

G_DECLARE_FINAL_TYPE (HsStatusPanel, hs_status_panel, HS, STATUS_PANEL, AdwBin)

void hs_status_panel_set_client      (HsStatusPanel  *self,
                                      HsEngineClient *client);
void hs_status_panel_set_fiscal_year (HsStatusPanel  *self,
                                      const char     *fiscal_year);

G_END_DECLS
