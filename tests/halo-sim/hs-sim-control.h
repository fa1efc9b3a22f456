/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-sim-request.h"
#include "hs-sim-server.h"

G_BEGIN_DECLS

void hs_sim_control_handle (HsSimServer  *server,
                            const char   *control_token,
                            HsSimRequest *req);

G_END_DECLS
