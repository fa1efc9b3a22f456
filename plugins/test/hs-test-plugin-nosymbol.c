/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <halosync.h>

/* A plugin that declares the right API but forgot its query function. */

G_MODULE_EXPORT const guint hs_plugin_api_version = HS_PLUGIN_API_VERSION;
