/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <halosync.h>

#include "hs-ipc-engine1.h"

G_BEGIN_DECLS

#define HS_TYPE_ENGINE_SERVICE (hs_engine_service_get_type ())

G_DECLARE_FINAL_TYPE (HsEngineService, hs_engine_service, HS, ENGINE_SERVICE, HsIpcEngine1Skeleton)

HsEngineService *hs_engine_service_new        (HsEngine        *engine);
HsEngine        *hs_engine_service_get_engine (HsEngineService *self);
gboolean         hs_engine_service_get_window_active (HsEngineService *self);

G_END_DECLS
