/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-engine.h"
#include "hs-error.h"

/* The source plugin a run reads from when several are installed. */
#define DEFAULT_SOURCE "halo"

/**
 * HsEngine:
 *
 * The entry point for programs that embed HaloSync: it owns the
 * configuration, the plugins, one source and one sink, and runs syncs.
 *
 * |[<!-- language="Python" -->
 * from gi.repository import HaloSync
 * engine = HaloSync.Engine.new(None)
 * engine.load_plugins()
 * print(engine.list_sources(), engine.list_sinks())
 * ]|
 */
struct _HsEngine
{
  GObject parent_instance;

  HsConfig *config;         /* (owned) */
  HsPluginLoader *loader;   /* (owned) */
  HsSource *source;         /* (owned) (nullable): created on first use */
  HsSink *sink;             /* (owned) (nullable): created on first use */
};

G_DEFINE_FINAL_TYPE (HsEngine, hs_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONFIG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
hs_engine_constructed (GObject *object)
{
  HsEngine *self = HS_ENGINE (object);

  G_OBJECT_CLASS (hs_engine_parent_class)->constructed (object);

  if (self->config == NULL)
    self->config = hs_config_new ();
}

static void
hs_engine_dispose (GObject *object)
{
  HsEngine *self = HS_ENGINE (object);

  g_clear_object (&self->source);
  g_clear_object (&self->sink);
  g_clear_object (&self->loader);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (hs_engine_parent_class)->dispose (object);
}

static void
hs_engine_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  HsEngine *self = HS_ENGINE (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      g_value_set_object (value, self->config);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_engine_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  HsEngine *self = HS_ENGINE (object);

  switch (prop_id)
    {
    case PROP_CONFIG:
      self->config = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_engine_class_init (HsEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = hs_engine_constructed;
  object_class->dispose = hs_engine_dispose;
  object_class->get_property = hs_engine_get_property;
  object_class->set_property = hs_engine_set_property;

  /**
   * HsEngine:config:
   *
   * The configuration; hs_config_new() when none is given.
   */
  properties[PROP_CONFIG] =
    g_param_spec_object ("config", NULL, NULL, HS_TYPE_CONFIG,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hs_engine_init (HsEngine *self)
{
  self->loader = hs_plugin_loader_new ();
}

/**
 * hs_engine_new:
 * @config: (nullable): the configuration, or %NULL for hs_config_new()
 *
 * Returns: (transfer full): an engine with no plugins loaded yet
 */
HsEngine *
hs_engine_new (HsConfig *config)
{
  g_return_val_if_fail (config == NULL || HS_IS_CONFIG (config), NULL);

  return g_object_new (HS_TYPE_ENGINE, "config", config, NULL);
}

/**
 * hs_engine_get_config:
 * @self: an engine
 *
 * Returns: (transfer none): the configuration
 */
HsConfig *
hs_engine_get_config (HsEngine *self)
{
  g_return_val_if_fail (HS_IS_ENGINE (self), NULL);

  return self->config;
}

/**
 * hs_engine_get_plugin_loader:
 * @self: an engine
 *
 * Add locations to the loader before hs_engine_load_plugins().
 *
 * Returns: (transfer none): the plugin loader
 */
HsPluginLoader *
hs_engine_get_plugin_loader (HsEngine *self)
{
  g_return_val_if_fail (HS_IS_ENGINE (self), NULL);

  return self->loader;
}

/**
 * hs_engine_load_plugins:
 * @self: an engine
 *
 * Loads the plugins of the search path (see #HsPluginLoader).  Broken
 * plugins are skipped with a warning.
 */
void
hs_engine_load_plugins (HsEngine *self)
{
  g_return_if_fail (HS_IS_ENGINE (self));

  hs_plugin_loader_load (self->loader);
}

/**
 * hs_engine_list_sources:
 * @self: an engine
 *
 * Returns: (transfer full): the names of the loaded source plugins
 */
char **
hs_engine_list_sources (HsEngine *self)
{
  g_return_val_if_fail (HS_IS_ENGINE (self), NULL);

  return hs_plugin_loader_list_sources (self->loader);
}

/**
 * hs_engine_list_sinks:
 * @self: an engine
 *
 * Returns: (transfer full): the names of the loaded sink plugins
 */
char **
hs_engine_list_sinks (HsEngine *self)
{
  g_return_val_if_fail (HS_IS_ENGINE (self), NULL);

  return hs_plugin_loader_list_sinks (self->loader);
}

/**
 * hs_engine_get_source:
 * @self: an engine
 * @error: return location for an error
 *
 * Returns the engine's source, created on first use from the "halo"
 * plugin, or the only source plugin when there is no "halo".
 *
 * Returns: (transfer none) (nullable): the source, or %NULL with
 *   %HS_ERROR_PLUGIN if no source plugin is loaded
 */
HsSource *
hs_engine_get_source (HsEngine *self,
                      GError  **error)
{
  g_auto(GStrv) names = NULL;
  const char *name = DEFAULT_SOURCE;
  GType type;

  g_return_val_if_fail (HS_IS_ENGINE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->source != NULL)
    return self->source;

  hs_plugin_loader_load (self->loader);
  type = hs_plugin_loader_find_source (self->loader, name);
  if (type == G_TYPE_INVALID)
    {
      names = hs_plugin_loader_list_sources (self->loader);
      if (g_strv_length (names) == 1)
        {
          name = names[0];
          type = hs_plugin_loader_find_source (self->loader, name);
        }
    }

  if (type == G_TYPE_INVALID)
    {
      g_auto(GStrv) search_path = hs_plugin_loader_dup_search_path (self->loader);
      g_autofree char *path = g_strjoinv (":", search_path);

      g_set_error (error, HS_ERROR, HS_ERROR_PLUGIN,
                   _("No Halo source plugin was found in %s; check the installation or HALOSYNC_PLUGIN_DIR"),
                   path);
      return NULL;
    }

  self->source = g_object_new (type, "name", name, "config", self->config, NULL);
  return self->source;
}

/**
 * hs_engine_get_sink:
 * @self: an engine
 * @error: return location for an error
 *
 * Returns the engine's sink for the configured sink URI, created on first
 * use from the first plugin that writes the URI's scheme.  The sink is not
 * opened yet.
 *
 * Returns: (transfer none) (nullable): the sink, or %NULL with
 *   %HS_ERROR_PLUGIN if no plugin writes that kind of database
 */
HsSink *
hs_engine_get_sink (HsEngine *self,
                    GError  **error)
{
  const char *uri;
  const char *name = NULL;
  GType type;

  g_return_val_if_fail (HS_IS_ENGINE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->sink != NULL)
    return self->sink;

  hs_plugin_loader_load (self->loader);
  uri = hs_config_get_sink_uri (self->config);
  type = hs_plugin_loader_find_sink_for_uri (self->loader, uri, &name);
  if (type == G_TYPE_INVALID)
    {
      g_autofree char *scheme = g_uri_parse_scheme (uri);

      if (scheme == NULL)
        g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                     _("The database setting is not a URI; use sqlite:///path/to/file.db or postgresql://user@host/db"));
      else
        g_set_error (error, HS_ERROR, HS_ERROR_PLUGIN,
                     _("No sink plugin writes “%s:” databases; use sqlite: or postgresql:, or check HALOSYNC_PLUGIN_DIR"),
                     scheme);
      return NULL;
    }

  self->sink = g_object_new (type, "name", name, "config", self->config, "uri", uri, NULL);
  return self->sink;
}
