/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gmodule.h>
#include <string.h>

#include "hs-plugin-loader.h"
#include "hs-sink.h"
#include "hs-source.h"
#include "hs-version.h"

#define PLUGIN_PREFIX "libhs_plugin_"
#define PLUGIN_SUFFIX "." G_MODULE_SUFFIX

/**
 * HsPluginLoader:
 *
 * Finds and loads source and sink plugins.
 *
 * Directories are searched in this order, and the first plugin of a name
 * wins: locations added with hs_plugin_loader_add_location() (tests), the
 * colon-separated `HALOSYNC_PLUGIN_DIR`, then the installed plugin
 * directory.  A file that cannot be used (not a plugin, built for another
 * plugin API, missing a symbol) is skipped with one warning naming the file
 * and the reason, and the other plugins still load.
 */
struct _HsPluginLoader
{
  GObject parent_instance;

  GPtrArray *locations;  /* (owned) (element-type utf8) */
  GPtrArray *plugins;    /* (owned) (element-type Plugin) */
  GPtrArray *skipped;    /* (owned) (element-type utf8): "file: reason" */
  gboolean loaded;
};

typedef struct
{
  char *name;
  char *path;
  GType type;
} Plugin;

G_DEFINE_FINAL_TYPE (HsPluginLoader, hs_plugin_loader, G_TYPE_OBJECT)

static void
plugin_free (Plugin *plugin)
{
  g_free (plugin->name);
  g_free (plugin->path);
  g_free (plugin);
}

static void
hs_plugin_loader_finalize (GObject *object)
{
  HsPluginLoader *self = HS_PLUGIN_LOADER (object);

  g_clear_pointer (&self->locations, g_ptr_array_unref);
  g_clear_pointer (&self->plugins, g_ptr_array_unref);
  g_clear_pointer (&self->skipped, g_ptr_array_unref);

  G_OBJECT_CLASS (hs_plugin_loader_parent_class)->finalize (object);
}

static void
hs_plugin_loader_class_init (HsPluginLoaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hs_plugin_loader_finalize;
}

static void
hs_plugin_loader_init (HsPluginLoader *self)
{
  self->locations = g_ptr_array_new_with_free_func (g_free);
  self->plugins = g_ptr_array_new_with_free_func ((GDestroyNotify) plugin_free);
  self->skipped = g_ptr_array_new_with_free_func (g_free);
}

/**
 * hs_plugin_loader_new:
 *
 * Returns: (transfer full): a loader that has not loaded anything yet
 */
HsPluginLoader *
hs_plugin_loader_new (void)
{
  return g_object_new (HS_TYPE_PLUGIN_LOADER, NULL);
}

/**
 * hs_plugin_loader_add_location:
 * @self: a loader
 * @directory: a directory to search before the environment and the
 *   installed plugin directory
 *
 * Must be called before hs_plugin_loader_load().
 */
void
hs_plugin_loader_add_location (HsPluginLoader *self,
                               const char     *directory)
{
  g_return_if_fail (HS_IS_PLUGIN_LOADER (self));
  g_return_if_fail (directory != NULL);
  g_return_if_fail (!self->loaded);

  g_ptr_array_add (self->locations, g_strdup (directory));
}

/**
 * hs_plugin_loader_dup_search_path:
 * @self: a loader
 *
 * Returns: (transfer full): the directories searched, in order
 */
char **
hs_plugin_loader_dup_search_path (HsPluginLoader *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *env;

  g_return_val_if_fail (HS_IS_PLUGIN_LOADER (self), NULL);

  for (guint i = 0; i < self->locations->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->locations, i));

  env = g_getenv ("HALOSYNC_PLUGIN_DIR");
  if (env != NULL)
    {
      g_auto(GStrv) dirs = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);

      for (guint i = 0; dirs[i] != NULL; i++)
        if (dirs[i][0] != '\0')
          g_strv_builder_add (builder, dirs[i]);
    }

  g_strv_builder_add (builder, HS_PLUGIN_DIR);
  return g_strv_builder_end (builder);
}

static Plugin *
find_plugin (HsPluginLoader *self,
             const char     *name)
{
  for (guint i = 0; i < self->plugins->len; i++)
    {
      Plugin *plugin = g_ptr_array_index (self->plugins, i);

      if (strcmp (plugin->name, name) == 0)
        return plugin;
    }
  return NULL;
}

static void
skip (HsPluginLoader *self,
      const char     *path,
      const char     *reason)
{
  g_warning ("Skipping plugin %s: %s", path, reason);
  g_ptr_array_add (self->skipped, g_strdup_printf ("%s: %s", path, reason));
}

static void
load_file (HsPluginLoader *self,
           const char     *directory,
           const char     *filename)
{
  g_autofree char *path = g_build_filename (directory, filename, NULL);
  g_autofree char *name = NULL;
  g_autofree char *reason = NULL;
  GModule *module;
  gpointer api_symbol = NULL;
  GType (*query_type) (void) = NULL;
  GType type;
  Plugin *plugin;

  if (!g_str_has_prefix (filename, PLUGIN_PREFIX) ||
      strlen (filename) <= strlen (PLUGIN_PREFIX PLUGIN_SUFFIX))
    {
      g_autofree char *message = g_strdup_printf (_("not a HaloSync plugin: plugins are named %s"),
                                                  PLUGIN_PREFIX "NAME" PLUGIN_SUFFIX);

      skip (self, path, message);
      return;
    }

  name = g_strndup (filename + strlen (PLUGIN_PREFIX),
                    strlen (filename) - strlen (PLUGIN_PREFIX PLUGIN_SUFFIX));
  if (find_plugin (self, name) != NULL)
    {
      g_debug ("Plugin %s is shadowed by one found earlier in the search path", path);
      return;
    }

  module = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL)
    {
      skip (self, path, g_module_error ());
      return;
    }

  if (!g_module_symbol (module, "hs_plugin_api_version", &api_symbol) || api_symbol == NULL)
    reason = g_strdup (_("not a HaloSync plugin: it does not export hs_plugin_api_version"));
  else if (*(const guint *) api_symbol != HS_PLUGIN_API_VERSION)
    reason = g_strdup_printf (_("built for plugin API %u, but this engine loads plugin API %u; rebuild it"),
                              *(const guint *) api_symbol, (guint) HS_PLUGIN_API_VERSION);
  else if (!g_module_symbol (module, "hs_plugin_query_type", (gpointer *) &query_type) ||
           query_type == NULL)
    reason = g_strdup (_("incomplete plugin: it does not export hs_plugin_query_type"));

  if (reason != NULL)
    {
      g_module_close (module);
      skip (self, path, reason);
      return;
    }

  /* Types registered by the plugin cannot be unregistered, so the module
   * must never be unloaded once its query function has run. */
  g_module_make_resident (module);

  type = query_type ();
  if (!g_type_is_a (type, HS_TYPE_SOURCE) && !g_type_is_a (type, HS_TYPE_SINK))
    {
      skip (self, path, _("hs_plugin_query_type() returned neither an HsSource nor an HsSink type"));
      return;
    }
  if (G_TYPE_IS_ABSTRACT (type))
    {
      skip (self, path, _("hs_plugin_query_type() returned an abstract type"));
      return;
    }

  plugin = g_new0 (Plugin, 1);
  plugin->name = g_steal_pointer (&name);
  plugin->path = g_steal_pointer (&path);
  plugin->type = type;
  g_ptr_array_add (self->plugins, plugin);
  g_debug ("Loaded %s plugin “%s” from %s",
           g_type_is_a (type, HS_TYPE_SOURCE) ? "source" : "sink", plugin->name, plugin->path);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
load_directory (HsPluginLoader *self,
                const char     *directory)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *filename;

  dir = g_dir_open (directory, 0, &error);
  if (dir == NULL)
    {
      g_debug ("Not loading plugins from %s: %s", directory, error->message);
      return;
    }

  while ((filename = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (filename, PLUGIN_SUFFIX))
      g_ptr_array_add (files, g_strdup (filename));

  /* A stable order makes the warnings and the listing reproducible. */
  g_ptr_array_sort (files, compare_strings);
  for (guint i = 0; i < files->len; i++)
    load_file (self, directory, g_ptr_array_index (files, i));
}

/**
 * hs_plugin_loader_load:
 * @self: a loader
 *
 * Loads the plugins of every directory of the search path.  Calling it
 * again does nothing.
 */
void
hs_plugin_loader_load (HsPluginLoader *self)
{
  g_auto(GStrv) path = NULL;

  g_return_if_fail (HS_IS_PLUGIN_LOADER (self));

  if (self->loaded)
    return;
  self->loaded = TRUE;

  path = hs_plugin_loader_dup_search_path (self);
  for (guint i = 0; path[i] != NULL; i++)
    load_directory (self, path[i]);
}

static char **
list_names (HsPluginLoader *self,
            GType           base)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->plugins->len; i++)
    {
      Plugin *plugin = g_ptr_array_index (self->plugins, i);

      if (g_type_is_a (plugin->type, base))
        g_strv_builder_add (builder, plugin->name);
    }
  return g_strv_builder_end (builder);
}

/**
 * hs_plugin_loader_list_sources:
 * @self: a loader
 *
 * Returns: (transfer full): the names of the loaded source plugins
 */
char **
hs_plugin_loader_list_sources (HsPluginLoader *self)
{
  g_return_val_if_fail (HS_IS_PLUGIN_LOADER (self), NULL);

  return list_names (self, HS_TYPE_SOURCE);
}

/**
 * hs_plugin_loader_list_sinks:
 * @self: a loader
 *
 * Returns: (transfer full): the names of the loaded sink plugins
 */
char **
hs_plugin_loader_list_sinks (HsPluginLoader *self)
{
  g_return_val_if_fail (HS_IS_PLUGIN_LOADER (self), NULL);

  return list_names (self, HS_TYPE_SINK);
}

static GType
find_type (HsPluginLoader *self,
           const char     *name,
           GType           base)
{
  Plugin *plugin = find_plugin (self, name);

  if (plugin == NULL || !g_type_is_a (plugin->type, base))
    return G_TYPE_INVALID;
  return plugin->type;
}

/**
 * hs_plugin_loader_find_source:
 * @self: a loader
 * @name: a plugin name
 *
 * Returns: the source type of that plugin, or %G_TYPE_INVALID
 */
GType
hs_plugin_loader_find_source (HsPluginLoader *self,
                              const char     *name)
{
  g_return_val_if_fail (HS_IS_PLUGIN_LOADER (self), G_TYPE_INVALID);
  g_return_val_if_fail (name != NULL, G_TYPE_INVALID);

  return find_type (self, name, HS_TYPE_SOURCE);
}

/**
 * hs_plugin_loader_find_sink:
 * @self: a loader
 * @name: a plugin name
 *
 * Returns: the sink type of that plugin, or %G_TYPE_INVALID
 */
GType
hs_plugin_loader_find_sink (HsPluginLoader *self,
                            const char     *name)
{
  g_return_val_if_fail (HS_IS_PLUGIN_LOADER (self), G_TYPE_INVALID);
  g_return_val_if_fail (name != NULL, G_TYPE_INVALID);

  return find_type (self, name, HS_TYPE_SINK);
}

/**
 * hs_plugin_loader_find_sink_for_uri:
 * @self: a loader
 * @uri: a sink URI
 * @name: (out) (optional) (transfer none): the plugin's name
 *
 * Returns: the type of the first sink plugin that writes @uri's scheme, or
 *   %G_TYPE_INVALID
 */
GType
hs_plugin_loader_find_sink_for_uri (HsPluginLoader *self,
                                    const char     *uri,
                                    const char    **name)
{
  g_return_val_if_fail (HS_IS_PLUGIN_LOADER (self), G_TYPE_INVALID);
  g_return_val_if_fail (uri != NULL, G_TYPE_INVALID);

  for (guint i = 0; i < self->plugins->len; i++)
    {
      Plugin *plugin = g_ptr_array_index (self->plugins, i);
      g_autoptr(GTypeClass) klass = NULL;

      if (!g_type_is_a (plugin->type, HS_TYPE_SINK))
        continue;

      klass = g_type_class_ref (plugin->type);
      if (hs_sink_class_supports_uri (HS_SINK_CLASS (klass), uri))
        {
          if (name != NULL)
            *name = plugin->name;
          return plugin->type;
        }
    }
  return G_TYPE_INVALID;
}

/**
 * hs_plugin_loader_get_path:
 * @self: a loader
 * @name: a plugin name
 *
 * Returns: (nullable): the file the plugin was loaded from
 */
const char *
hs_plugin_loader_get_path (HsPluginLoader *self,
                           const char     *name)
{
  Plugin *plugin;

  g_return_val_if_fail (HS_IS_PLUGIN_LOADER (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  plugin = find_plugin (self, name);
  return plugin != NULL ? plugin->path : NULL;
}

/**
 * hs_plugin_loader_list_skipped:
 * @self: a loader
 *
 * Returns: (transfer full): one "file: reason" line per skipped file
 */
char **
hs_plugin_loader_list_skipped (HsPluginLoader *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (HS_IS_PLUGIN_LOADER (self), NULL);

  for (guint i = 0; i < self->skipped->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->skipped, i));
  return g_strv_builder_end (builder);
}
