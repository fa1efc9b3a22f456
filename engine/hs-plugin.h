/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HALOSYNC_INSIDE) && !defined(HALOSYNC_COMPILATION)
#error "Only <halosync.h> can be included directly."
#endif

#include <gmodule.h>

#include "hs-version.h"

G_BEGIN_DECLS

/**
 * SECTION:hs-plugin
 * @title: Writing a plugin
 *
 * A plugin is a shared module named `libhs_plugin_NAME.so` in a plugin
 * directory (see #HsPluginLoader).  It exports exactly two symbols:
 * `hs_plugin_api_version`, the %HS_PLUGIN_API_VERSION it was built
 * against, and `hs_plugin_query_type()`, which returns its #HsSource or
 * #HsSink subclass.  HS_PLUGIN_DEFINE() writes both:
 *
 * |[<!-- language="C" -->
 * G_DEFINE_FINAL_TYPE (MySink, my_sink, HS_TYPE_SINK)
 * ...
 * HS_PLUGIN_DEFINE (my_sink_get_type)
 * ]|
 *
 * Build it against `halosync-1.pc` and install it into that package's
 * `plugindir`.  Loaded modules stay resident: a GType cannot be
 * registered again after its module is unloaded.
 */

/**
 * HS_PLUGIN_DEFINE:
 * @get_type: the `_get_type` function of the plugin's source or sink class
 *
 * Defines the two symbols every plugin exports.
 */
#define HS_PLUGIN_DEFINE(get_type) \
  G_MODULE_EXPORT const guint hs_plugin_api_version = HS_PLUGIN_API_VERSION; \
  G_MODULE_EXPORT GType \
  hs_plugin_query_type (void) \
  { \
    return get_type (); \
  }

G_MODULE_EXPORT extern const guint hs_plugin_api_version;
G_MODULE_EXPORT GType hs_plugin_query_type (void);

G_END_DECLS
