/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-sim-request.h"
#include "hs-sim-tenant.h"

G_BEGIN_DECLS

/* Tickets without count or pageinate: Halo's default is unconfirmed
 * (halo-api.md §11); 50 is what one client library claims. */
#define HS_SIM_DEFAULT_TICKET_COUNT 50
#define HS_SIM_MAX_PAGE_SIZE 100

void hs_sim_api_handle (HsSimTenant  *tenant,
                        HsSimRequest *req);

G_END_DECLS
