/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HS_TYPE_AGENT_ROW (hs_agent_row_get_type ())

G_DECLARE_FINAL_TYPE (HsAgentRow, hs_agent_row, HS, AGENT_ROW, AdwExpanderRow)

GtkWidget  *hs_agent_row_new         (gint64      halo_id,
                                      const char *name,
                                      const char *member,
                                      const char *team,
                                      gboolean    active);
gint64      hs_agent_row_get_halo_id (HsAgentRow *self);
const char *hs_agent_row_get_member  (HsAgentRow *self);
const char *hs_agent_row_get_team    (HsAgentRow *self);
void        hs_agent_row_update      (HsAgentRow *self,
                                      const char *name,
                                      const char *member,
                                      const char *team,
                                      gboolean    active);
void        hs_agent_row_set_mapping (HsAgentRow *self,
                                      const char *member,
                                      const char *team);
void        hs_agent_row_set_error   (HsAgentRow *self,
                                      const char *message);
void        hs_agent_row_set_suggestions (HsAgentRow *self,
                                          GMenuModel *members,
                                          GMenuModel *teams);

G_END_DECLS
