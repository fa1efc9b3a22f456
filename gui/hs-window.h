/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <adwaita.h>

#include "hs-application.h"
#include "hs-fiscal-year-dialog.h"

G_BEGIN_DECLS

#define HS_TYPE_WINDOW (hs_window_get_type ())

G_DECLARE_FINAL_TYPE (HsWindow, hs_window, HS, WINDOW, AdwApplicationWindow)

HsWindow           *hs_window_new                    (HsApplication *application);
HsFiscalYearDialog *hs_window_show_new_fiscal_year   (HsWindow      *self);
const char         *hs_window_get_visible_state      (HsWindow      *self);
void                hs_window_show_run               (HsWindow      *self,
                                                      gint64         run_id);
void                hs_window_check_deletions        (HsWindow      *self,
                                                      const char    *fiscal_year);

G_END_DECLS
