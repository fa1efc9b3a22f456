/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <adwaita.h>
#include <halosync.h>

G_BEGIN_DECLS

#define HS_TYPE_RUN_ROW (hs_run_row_get_type ())

G_DECLARE_FINAL_TYPE (HsRunRow, hs_run_row, HS, RUN_ROW, AdwExpanderRow)

GtkWidget *hs_run_row_new     (HsRun    *run);
HsRun     *hs_run_row_get_run (HsRunRow *self);

G_END_DECLS
