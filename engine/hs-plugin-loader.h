/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HALOSYNC_INSIDE) && !defined(HALOSYNC_COMPILATION)
#error "Only <halosync.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

#define HS_TYPE_PLUGIN_LOADER (hs_plugin_loader_get_type ())

G_DECLARE_FINAL_TYPE (HsPluginLoader, hs_plugin_loader, HS, PLUGIN_LOADER, GObject)

HsPluginLoader *hs_plugin_loader_new                (void);
void            hs_plugin_loader_add_location       (HsPluginLoader *self,
                                                     const char     *directory);
char          **hs_plugin_loader_dup_search_path    (HsPluginLoader *self);
void            hs_plugin_loader_load               (HsPluginLoader *self);
char          **hs_plugin_loader_list_sources       (HsPluginLoader *self);
char          **hs_plugin_loader_list_sinks         (HsPluginLoader *self);
GType           hs_plugin_loader_find_source        (HsPluginLoader *self,
                                                     const char     *name);
GType           hs_plugin_loader_find_sink          (HsPluginLoader *self,
                                                     const char     *name);
GType           hs_plugin_loader_find_sink_for_uri  (HsPluginLoader *self,
                                                     const char     *uri,
                                                     const char    **name);
const char     *hs_plugin_loader_get_path           (HsPluginLoader *self,
                                                     const char     *name);
char          **hs_plugin_loader_list_skipped       (HsPluginLoader *self);

G_END_DECLS
