/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-application.h"

G_BEGIN_DECLS

struct _HsApplication
{
  AdwApplication parent_instance;

  GSettings *settings;    /* (owned) */
  HsConfig *config;       /* (owned) */
  HsEngineClient *client; /* (owned) */
};

void _hs_application_actions_init (HsApplication *self);

G_END_DECLS
