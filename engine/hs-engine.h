/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HALOSYNC_INSIDE) && !defined(HALOSYNC_COMPILATION)
#error "Only <halosync.h> can be included directly."
#endif

#include <gio/gio.h>

#include "hs-config.h"
#include "hs-plugin-loader.h"
#include "hs-sink.h"
#include "hs-source.h"

G_BEGIN_DECLS

#define HS_TYPE_ENGINE (hs_engine_get_type ())

G_DECLARE_FINAL_TYPE (HsEngine, hs_engine, HS, ENGINE, GObject)

HsEngine       *hs_engine_new               (HsConfig  *config);
HsConfig       *hs_engine_get_config        (HsEngine  *self);
HsPluginLoader *hs_engine_get_plugin_loader (HsEngine  *self);
void            hs_engine_load_plugins      (HsEngine  *self);
char          **hs_engine_list_sources      (HsEngine  *self);
char          **hs_engine_list_sinks        (HsEngine  *self);
HsSource       *hs_engine_get_source        (HsEngine  *self,
                                             GError   **error);
HsSink         *hs_engine_get_sink          (HsEngine  *self,
                                             GError   **error);

G_END_DECLS
