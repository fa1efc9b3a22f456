/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-sim-auth.h"
#include "hs-sim-counters.h"
#include "hs-sim-faults.h"
#include "hs-sim-tenant.h"

G_BEGIN_DECLS

#define HS_SIM_TYPE_SERVER (hs_sim_server_get_type ())

G_DECLARE_FINAL_TYPE (HsSimServer, hs_sim_server, HS_SIM, SERVER, GObject)

HsSimServer   *hs_sim_server_new          (HsSimTenant  *tenant,
                                           HsSimAuth    *auth,
                                           HsSimFaults  *faults,
                                           const char   *control_token);
gboolean       hs_sim_server_listen       (HsSimServer  *self,
                                           guint         port,
                                           GError      **error);
const char    *hs_sim_server_get_base_url (HsSimServer  *self);
HsSimTenant   *hs_sim_server_get_tenant   (HsSimServer  *self);
HsSimAuth     *hs_sim_server_get_auth     (HsSimServer  *self);
HsSimFaults   *hs_sim_server_get_faults   (HsSimServer  *self);
HsSimCounters *hs_sim_server_get_counters (HsSimServer  *self);
gint64         hs_sim_server_now          (HsSimServer  *self);
void           hs_sim_server_set_now      (HsSimServer  *self,
                                           gint64        now);

G_END_DECLS
