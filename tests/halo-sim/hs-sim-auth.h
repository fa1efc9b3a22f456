/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define HS_SIM_TYPE_AUTH (hs_sim_auth_get_type ())

G_DECLARE_FINAL_TYPE (HsSimAuth, hs_sim_auth, HS_SIM, AUTH, GObject)

HsSimAuth *hs_sim_auth_new          (const char *client_id,
                                     const char *client_secret,
                                     const char *tenant,
                                     guint       lifetime);
gboolean   hs_sim_auth_check_client (HsSimAuth  *self,
                                     const char *client_id,
                                     const char *client_secret,
                                     const char *tenant);
char      *hs_sim_auth_issue_token  (HsSimAuth  *self);
guint      hs_sim_auth_get_lifetime (HsSimAuth  *self);
gboolean   hs_sim_auth_check_bearer (HsSimAuth  *self,
                                     const char *authorization);
void       hs_sim_auth_revoke_all   (HsSimAuth  *self);

char      *hs_sim_auth_random_token (void);

G_END_DECLS
