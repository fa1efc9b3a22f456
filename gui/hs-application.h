/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <adwaita.h>
#include <halosync.h>

#include "hs-engine-client.h"

G_BEGIN_DECLS

#define HS_TYPE_APPLICATION (hs_application_get_type ())

G_DECLARE_FINAL_TYPE (HsApplication, hs_application, HS, APPLICATION, AdwApplication)

HsApplication  *hs_application_new          (void);
HsEngineClient *hs_application_get_client   (HsApplication *self);
GSettings      *hs_application_get_settings (HsApplication *self);
HsConfig       *hs_application_get_config   (HsApplication *self);

G_END_DECLS
