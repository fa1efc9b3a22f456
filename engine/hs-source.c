/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-plugin-object-private.h"
#include "hs-source.h"

/**
 * HsSource:
 *
 * The base class of a plugin that reads records from a remote service.
 *
 * The engine creates one source per engine, injecting its name and the
 * #HsConfig as construct-only properties, so everything a source holds
 * (tokens, a rate budget) is shared by every run of that engine.
 */
typedef struct
{
  char *name;
  HsConfig *config;
} HsSourcePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (HsSource, hs_source, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_CONFIG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
hs_source_real_check_async (HsSource           *self,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  _hs_plugin_object_return_not_supported (self, hs_source_get_name (self),
                                          _("check the connection"),
                                          cancellable, callback, user_data);
}

static void
hs_source_real_pull_async (HsSource           *self,
                           HsPull             *pull,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  _hs_plugin_object_return_not_supported (self, hs_source_get_name (self),
                                          _("read records"),
                                          cancellable, callback, user_data);
}

static void
hs_source_dispose (GObject *object)
{
  HsSource *self = HS_SOURCE (object);
  HsSourcePrivate *priv = hs_source_get_instance_private (self);

  g_clear_object (&priv->config);

  G_OBJECT_CLASS (hs_source_parent_class)->dispose (object);
}

static void
hs_source_finalize (GObject *object)
{
  HsSource *self = HS_SOURCE (object);
  HsSourcePrivate *priv = hs_source_get_instance_private (self);

  g_clear_pointer (&priv->name, g_free);

  G_OBJECT_CLASS (hs_source_parent_class)->finalize (object);
}

static void
hs_source_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  HsSource *self = HS_SOURCE (object);
  HsSourcePrivate *priv = hs_source_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, priv->name);
      break;

    case PROP_CONFIG:
      g_value_set_object (value, priv->config);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_source_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  HsSource *self = HS_SOURCE (object);
  HsSourcePrivate *priv = hs_source_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_NAME:
      priv->name = g_value_dup_string (value);
      break;

    case PROP_CONFIG:
      priv->config = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_source_class_init (HsSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hs_source_dispose;
  object_class->finalize = hs_source_finalize;
  object_class->get_property = hs_source_get_property;
  object_class->set_property = hs_source_set_property;

  klass->check_async = hs_source_real_check_async;
  klass->pull_async = hs_source_real_pull_async;

  /**
   * HsSource:name:
   *
   * The plugin's name, such as "halo".
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * HsSource:config:
   *
   * The engine's configuration.
   */
  properties[PROP_CONFIG] =
    g_param_spec_object ("config", NULL, NULL, HS_TYPE_CONFIG,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hs_source_init (HsSource *self)
{
}

/**
 * hs_source_get_name:
 * @self: a source
 *
 * Returns: the plugin's name
 */
const char *
hs_source_get_name (HsSource *self)
{
  HsSourcePrivate *priv = hs_source_get_instance_private (self);

  g_return_val_if_fail (HS_IS_SOURCE (self), NULL);

  return priv->name != NULL ? priv->name : G_OBJECT_TYPE_NAME (self);
}

/**
 * hs_source_get_config:
 * @self: a source
 *
 * Returns: (transfer none) (nullable): the configuration
 */
HsConfig *
hs_source_get_config (HsSource *self)
{
  HsSourcePrivate *priv = hs_source_get_instance_private (self);

  g_return_val_if_fail (HS_IS_SOURCE (self), NULL);

  return priv->config;
}

/**
 * hs_source_check_async:
 * @self: a source
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Checks that the source can reach its service with the configured
 * credentials ("Test connection").
 */
void
hs_source_check_async (HsSource           *self,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  g_return_if_fail (HS_IS_SOURCE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HS_SOURCE_GET_CLASS (self)->check_async (self, cancellable, callback, user_data);
}

/**
 * hs_source_check_finish:
 * @self: a source
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE if the service accepted the credentials
 */
gboolean
hs_source_check_finish (HsSource     *self,
                        GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (HS_IS_SOURCE (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  if (_hs_plugin_object_is_not_supported (result))
    return g_task_propagate_boolean (G_TASK (result), error);

  return HS_SOURCE_GET_CLASS (self)->check_finish (self, result, error);
}

/**
 * hs_source_pull_async:
 * @self: a source
 * @pull: what to read and where to hand it
 * @cancellable: (nullable): a cancellable; cancelling interrupts any wait
 * @callback: called when the source has read everything or failed
 * @user_data: data for @callback
 *
 * Reads the streams of @pull's fiscal year.
 */
void
hs_source_pull_async (HsSource           *self,
                      HsPull             *pull,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  g_return_if_fail (HS_IS_SOURCE (self));
  g_return_if_fail (HS_IS_PULL (pull));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HS_SOURCE_GET_CLASS (self)->pull_async (self, pull, cancellable, callback, user_data);
}

/**
 * hs_source_pull_finish:
 * @self: a source
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE if every stream was read completely
 */
gboolean
hs_source_pull_finish (HsSource     *self,
                       GAsyncResult *result,
                       GError      **error)
{
  g_return_val_if_fail (HS_IS_SOURCE (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  if (_hs_plugin_object_is_not_supported (result))
    return g_task_propagate_boolean (G_TASK (result), error);

  return HS_SOURCE_GET_CLASS (self)->pull_finish (self, result, error);
}
