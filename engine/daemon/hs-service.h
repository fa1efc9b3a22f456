/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <halosync.h>

#include "hs-ipc-engine1.h"

G_BEGIN_DECLS

#define HS_TYPE_SERVICE (hs_service_get_type ())

G_DECLARE_FINAL_TYPE (HsService, hs_service, HS, SERVICE, HsIpcEngine1Skeleton)

HsService *hs_service_new        (HsEngine  *engine);
HsEngine  *hs_service_get_engine (HsService *self);

G_END_DECLS
