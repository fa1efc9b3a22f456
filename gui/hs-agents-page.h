/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <adwaita.h>

#include "hs-agent-row.h"
#include "hs-engine-client.h"

G_BEGIN_DECLS

#define HS_TYPE_AGENTS_PAGE (hs_agents_page_get_type ())

G_DECLARE_FINAL_TYPE (HsAgentsPage, hs_agents_page, HS, AGENTS_PAGE, GtkWidget)

void        hs_agents_page_set_client (HsAgentsPage   *self,
                                       HsEngineClient *client);
void        hs_agents_page_reload     (HsAgentsPage   *self);
HsAgentRow *hs_agents_page_find_row   (HsAgentsPage   *self,
                                       gint64          halo_id);
guint       hs_agents_page_get_n_rows (HsAgentsPage   *self);

G_END_DECLS
