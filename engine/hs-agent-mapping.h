/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HALOSYNC_INSIDE) && !defined(HALOSYNC_COMPILATION)
#error "Only <halosync.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * HS_AGENT_MAPPING_MAX_NAME:
 *
 * The longest member or team name, in characters.
 */
#define HS_AGENT_MAPPING_MAX_NAME 128

#define HS_TYPE_AGENT_MAPPING (hs_agent_mapping_get_type ())

G_DECLARE_FINAL_TYPE (HsAgentMapping, hs_agent_mapping, HS, AGENT_MAPPING, GObject)

HsAgentMapping *hs_agent_mapping_new            (gint64          halo_id,
                                                 const char     *member,
                                                 const char     *team,
                                                 GError        **error);
gint64          hs_agent_mapping_get_halo_id    (HsAgentMapping *self);
const char     *hs_agent_mapping_get_member     (HsAgentMapping *self);
const char     *hs_agent_mapping_get_team       (HsAgentMapping *self);
gboolean        hs_agent_mapping_get_active     (HsAgentMapping *self);
void            hs_agent_mapping_set_active     (HsAgentMapping *self,
                                                 gboolean        active);
const char     *hs_agent_mapping_get_agent_name (HsAgentMapping *self);
void            hs_agent_mapping_set_agent_name (HsAgentMapping *self,
                                                 const char     *agent_name);
const char     *hs_agent_mapping_get_halo_team  (HsAgentMapping *self);
void            hs_agent_mapping_set_halo_team  (HsAgentMapping *self,
                                                 const char     *halo_team);
gboolean        hs_agent_mapping_is_mapped      (HsAgentMapping *self);

G_END_DECLS
