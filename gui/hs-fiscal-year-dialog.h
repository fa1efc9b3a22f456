/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <adwaita.h>

#include "hs-engine-client.h"

G_BEGIN_DECLS

#define HS_TYPE_FISCAL_YEAR_DIALOG (hs_fiscal_year_dialog_get_type ())

G_DECLARE_FINAL_TYPE (HsFiscalYearDialog, hs_fiscal_year_dialog, HS, FISCAL_YEAR_DIALOG, AdwWindow)

HsFiscalYearDialog *hs_fiscal_year_dialog_new (HsEngineClient *client);

G_END_DECLS
