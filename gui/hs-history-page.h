/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <adwaita.h>

#include "hs-engine-client.h"

G_BEGIN_DECLS

#define HS_TYPE_HISTORY_PAGE (hs_history_page_get_type ())

G_DECLARE_FINAL_TYPE (HsHistoryPage, hs_history_page, HS, HISTORY_PAGE, GtkWidget)

void        hs_history_page_set_client (HsHistoryPage  *self,
                                        HsEngineClient *client);
GListModel *hs_history_page_get_runs   (HsHistoryPage  *self);
GListModel *hs_history_page_get_shown_runs (HsHistoryPage *self);
void        hs_history_page_show_run   (HsHistoryPage  *self,
                                        gint64          run_id);

G_END_DECLS
