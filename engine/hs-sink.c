/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-plugin-object-private.h"
#include "hs-sink.h"

/**
 * HsSink:
 *
 * The base class of a plugin that stores synced records and HaloSync's
 * own tables (fiscal years, agent mappings, the run ledger, cursors).
 *
 * The engine creates one sink per URI, injecting its name, the #HsConfig
 * and the URI as construct-only properties.  The write path of a run is
 * begin_run, any number of write_batch and sweep calls, then commit_run or
 * abort_run: everything between begin and commit is one transaction, so a
 * failed or cancelled run leaves the database as it was.
 */
typedef struct
{
  char *name;
  HsConfig *config;
  char *uri;
} HsSinkPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (HsSink, hs_sink, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_CONFIG,
  PROP_URI,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
hs_sink_real_open_async (HsSink             *self,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  _hs_plugin_object_return_not_supported (self, hs_sink_get_name (self), _("open a database"),
                                          cancellable, callback, user_data);
}

static void
hs_sink_real_list_fiscal_years_async (HsSink             *self,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data)
{
  _hs_plugin_object_return_not_supported (self, hs_sink_get_name (self), _("list fiscal years"),
                                          cancellable, callback, user_data);
}

static void
hs_sink_real_add_fiscal_year_async (HsSink             *self,
                                    HsFiscalYear *fiscal_year,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  _hs_plugin_object_return_not_supported (self, hs_sink_get_name (self), _("store fiscal years"),
                                          cancellable, callback, user_data);
}

static void
hs_sink_real_remove_fiscal_year_async (HsSink             *self,
                                       const char *label,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data)
{
  _hs_plugin_object_return_not_supported (self, hs_sink_get_name (self), _("delete fiscal years"),
                                          cancellable, callback, user_data);
}

static void
hs_sink_real_list_agents_async (HsSink             *self,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  _hs_plugin_object_return_not_supported (self, hs_sink_get_name (self), _("list agents"),
                                          cancellable, callback, user_data);
}

static void
hs_sink_real_set_agent_mapping_async (HsSink             *self,
                                      HsAgentMapping *mapping,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data)
{
  _hs_plugin_object_return_not_supported (self, hs_sink_get_name (self), _("map agents"),
                                          cancellable, callback, user_data);
}

static void
hs_sink_real_list_runs_async (HsSink             *self,
                              guint limit,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  _hs_plugin_object_return_not_supported (self, hs_sink_get_name (self), _("list runs"),
                                          cancellable, callback, user_data);
}

static void
hs_sink_real_save_run_async (HsSink             *self,
                             HsRun *run,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  _hs_plugin_object_return_not_supported (self, hs_sink_get_name (self), _("record runs"),
                                          cancellable, callback, user_data);
}

static void
hs_sink_real_begin_run_async (HsSink             *self,
                              HsRun *run,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  _hs_plugin_object_return_not_supported (self, hs_sink_get_name (self), _("write runs"),
                                          cancellable, callback, user_data);
}

static void
hs_sink_real_write_batch_async (HsSink             *self,
                                HsRun *run,
                                HsRecordBatch *batch,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  _hs_plugin_object_return_not_supported (self, hs_sink_get_name (self), _("write records"),
                                          cancellable, callback, user_data);
}

static void
hs_sink_real_sweep_async (HsSink             *self,
                          HsRun *run,
                          HsStream stream,
                          gboolean apply,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  _hs_plugin_object_return_not_supported (self, hs_sink_get_name (self), _("check for deleted records"),
                                          cancellable, callback, user_data);
}

static void
hs_sink_real_commit_run_async (HsSink             *self,
                               HsRun *run,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  _hs_plugin_object_return_not_supported (self, hs_sink_get_name (self), _("commit runs"),
                                          cancellable, callback, user_data);
}

static void
hs_sink_real_abort_run_async (HsSink             *self,
                              HsRun *run,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  _hs_plugin_object_return_not_supported (self, hs_sink_get_name (self), _("abort runs"),
                                          cancellable, callback, user_data);
}

static void
hs_sink_real_summarize_async (HsSink             *self,
                              const char         *fiscal_year,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  _hs_plugin_object_return_not_supported (self, hs_sink_get_name (self), _("summarize fiscal years"),
                                          cancellable, callback, user_data);
}

static void
hs_sink_dispose (GObject *object)
{
  HsSink *self = HS_SINK (object);
  HsSinkPrivate *priv = hs_sink_get_instance_private (self);

  g_clear_object (&priv->config);

  G_OBJECT_CLASS (hs_sink_parent_class)->dispose (object);
}

static void
hs_sink_finalize (GObject *object)
{
  HsSink *self = HS_SINK (object);
  HsSinkPrivate *priv = hs_sink_get_instance_private (self);

  g_clear_pointer (&priv->name, g_free);
  g_clear_pointer (&priv->uri, g_free);

  G_OBJECT_CLASS (hs_sink_parent_class)->finalize (object);
}

static void
hs_sink_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  HsSink *self = HS_SINK (object);
  HsSinkPrivate *priv = hs_sink_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, priv->name);
      break;

    case PROP_CONFIG:
      g_value_set_object (value, priv->config);
      break;

    case PROP_URI:
      g_value_set_string (value, priv->uri);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_sink_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  HsSink *self = HS_SINK (object);
  HsSinkPrivate *priv = hs_sink_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_NAME:
      priv->name = g_value_dup_string (value);
      break;

    case PROP_CONFIG:
      priv->config = g_value_dup_object (value);
      break;

    case PROP_URI:
      priv->uri = g_value_dup_string (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_sink_class_init (HsSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hs_sink_dispose;
  object_class->finalize = hs_sink_finalize;
  object_class->get_property = hs_sink_get_property;
  object_class->set_property = hs_sink_set_property;

  klass->open_async = hs_sink_real_open_async;
  klass->list_fiscal_years_async = hs_sink_real_list_fiscal_years_async;
  klass->add_fiscal_year_async = hs_sink_real_add_fiscal_year_async;
  klass->remove_fiscal_year_async = hs_sink_real_remove_fiscal_year_async;
  klass->list_agents_async = hs_sink_real_list_agents_async;
  klass->set_agent_mapping_async = hs_sink_real_set_agent_mapping_async;
  klass->list_runs_async = hs_sink_real_list_runs_async;
  klass->save_run_async = hs_sink_real_save_run_async;
  klass->begin_run_async = hs_sink_real_begin_run_async;
  klass->write_batch_async = hs_sink_real_write_batch_async;
  klass->sweep_async = hs_sink_real_sweep_async;
  klass->commit_run_async = hs_sink_real_commit_run_async;
  klass->abort_run_async = hs_sink_real_abort_run_async;
  klass->summarize_async = hs_sink_real_summarize_async;

  /**
   * HsSink:name:
   *
   * The plugin's name, such as "gda".
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * HsSink:config:
   *
   * The engine's configuration.
   */
  properties[PROP_CONFIG] =
    g_param_spec_object ("config", NULL, NULL, HS_TYPE_CONFIG,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * HsSink:uri:
   *
   * The database the sink writes, such as `sqlite:///home/me/halosync.db`.
   * It may carry a password; never show or log it as it is.
   */
  properties[PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hs_sink_init (HsSink *self)
{
}

/**
 * hs_sink_get_name:
 * @self: a sink
 *
 * Returns: the plugin's name
 */
const char *
hs_sink_get_name (HsSink *self)
{
  HsSinkPrivate *priv = hs_sink_get_instance_private (self);

  g_return_val_if_fail (HS_IS_SINK (self), NULL);

  return priv->name != NULL ? priv->name : G_OBJECT_TYPE_NAME (self);
}

/**
 * hs_sink_get_config:
 * @self: a sink
 *
 * Returns: (transfer none) (nullable): the configuration
 */
HsConfig *
hs_sink_get_config (HsSink *self)
{
  HsSinkPrivate *priv = hs_sink_get_instance_private (self);

  g_return_val_if_fail (HS_IS_SINK (self), NULL);

  return priv->config;
}

/**
 * hs_sink_get_uri:
 * @self: a sink
 *
 * Returns: (nullable): the URI of the database the sink writes
 */
const char *
hs_sink_get_uri (HsSink *self)
{
  HsSinkPrivate *priv = hs_sink_get_instance_private (self);

  g_return_val_if_fail (HS_IS_SINK (self), NULL);

  return priv->uri;
}

/**
 * hs_sink_class_supports_uri:
 * @klass: a sink class
 * @uri: a sink URI
 *
 * Returns: %TRUE if the scheme of @uri is one of @klass's
 */
gboolean
hs_sink_class_supports_uri (HsSinkClass *klass,
                            const char  *uri)
{
  g_autofree char *scheme = NULL;

  g_return_val_if_fail (HS_IS_SINK_CLASS (klass), FALSE);
  g_return_val_if_fail (uri != NULL, FALSE);

  scheme = g_uri_parse_scheme (uri);
  if (scheme == NULL || klass->uri_schemes == NULL)
    return FALSE;

  for (guint i = 0; klass->uri_schemes[i] != NULL; i++)
    if (g_ascii_strcasecmp (klass->uri_schemes[i], scheme) == 0)
      return TRUE;
  return FALSE;
}

/**
 * hs_sink_open_async:
 * @self: a sink
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Connects to the sink's database and brings its schema up to date.
 */
void
hs_sink_open_async (HsSink             *self,
                    GCancellable       *cancellable,
                    GAsyncReadyCallback callback,
                    gpointer            user_data)
{
  g_return_if_fail (HS_IS_SINK (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HS_SINK_GET_CLASS (self)->open_async (self, cancellable, callback, user_data);
}

/**
 * hs_sink_open_finish:
 * @self: a sink
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE if the sink is open
 */
gboolean
hs_sink_open_finish (HsSink       *self,
                     GAsyncResult *result,
                     GError      **error)
{
  g_return_val_if_fail (HS_IS_SINK (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  if (_hs_plugin_object_is_not_supported (result))
    return g_task_propagate_boolean (G_TASK (result), error);

  return HS_SINK_GET_CLASS (self)->open_finish (self, result, error);
}

/**
 * hs_sink_list_fiscal_years_async:
 * @self: a sink
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Lists the fiscal years, earliest first.
 */
void
hs_sink_list_fiscal_years_async (HsSink             *self,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_return_if_fail (HS_IS_SINK (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HS_SINK_GET_CLASS (self)->list_fiscal_years_async (self, cancellable, callback, user_data);
}

/**
 * hs_sink_list_fiscal_years_finish:
 * @self: a sink
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type HsFiscalYear): the fiscal years
 */
GPtrArray *
hs_sink_list_fiscal_years_finish (HsSink       *self,
                                  GAsyncResult *result,
                                  GError      **error)
{
  g_return_val_if_fail (HS_IS_SINK (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  if (_hs_plugin_object_is_not_supported (result))
    return g_task_propagate_pointer (G_TASK (result), error);

  return HS_SINK_GET_CLASS (self)->list_fiscal_years_finish (self, result, error);
}

/**
 * hs_sink_add_fiscal_year_async:
 * @self: a sink
 * @fiscal_year: the fiscal year to store
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Stores a fiscal year.  A duplicate label fails with %HS_ERROR_EXISTS, a year sharing a day with another with %HS_ERROR_CONFLICT.
 */
void
hs_sink_add_fiscal_year_async (HsSink             *self,
                               HsFiscalYear *fiscal_year,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_return_if_fail (HS_IS_SINK (self));
  g_return_if_fail (HS_IS_FISCAL_YEAR (fiscal_year));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HS_SINK_GET_CLASS (self)->add_fiscal_year_async (self, fiscal_year, cancellable, callback, user_data);
}

/**
 * hs_sink_add_fiscal_year_finish:
 * @self: a sink
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE if the year was stored
 */
gboolean
hs_sink_add_fiscal_year_finish (HsSink       *self,
                                GAsyncResult *result,
                                GError      **error)
{
  g_return_val_if_fail (HS_IS_SINK (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  if (_hs_plugin_object_is_not_supported (result))
    return g_task_propagate_boolean (G_TASK (result), error);

  return HS_SINK_GET_CLASS (self)->add_fiscal_year_finish (self, result, error);
}

/**
 * hs_sink_remove_fiscal_year_async:
 * @self: a sink
 * @label: the label of the year to delete
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Deletes a fiscal year and its cursors.  A year that synced rows still belong to is refused with %HS_ERROR_CONFLICT; an unknown one with %HS_ERROR_NOT_FOUND.
 */
void
hs_sink_remove_fiscal_year_async (HsSink             *self,
                                  const char *label,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  g_return_if_fail (HS_IS_SINK (self));
  g_return_if_fail (label != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HS_SINK_GET_CLASS (self)->remove_fiscal_year_async (self, label, cancellable, callback, user_data);
}

/**
 * hs_sink_remove_fiscal_year_finish:
 * @self: a sink
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE if the year was deleted
 */
gboolean
hs_sink_remove_fiscal_year_finish (HsSink       *self,
                                   GAsyncResult *result,
                                   GError      **error)
{
  g_return_val_if_fail (HS_IS_SINK (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  if (_hs_plugin_object_is_not_supported (result))
    return g_task_propagate_boolean (G_TASK (result), error);

  return HS_SINK_GET_CLASS (self)->remove_fiscal_year_finish (self, result, error);
}

/**
 * hs_sink_list_agents_async:
 * @self: a sink
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Lists every agent a sync has stored or someone has mapped, with its mapping.
 */
void
hs_sink_list_agents_async (HsSink             *self,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_return_if_fail (HS_IS_SINK (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HS_SINK_GET_CLASS (self)->list_agents_async (self, cancellable, callback, user_data);
}

/**
 * hs_sink_list_agents_finish:
 * @self: a sink
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type HsAgentMapping): the agents, by Halo id
 */
GPtrArray *
hs_sink_list_agents_finish (HsSink       *self,
                            GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (HS_IS_SINK (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  if (_hs_plugin_object_is_not_supported (result))
    return g_task_propagate_pointer (G_TASK (result), error);

  return HS_SINK_GET_CLASS (self)->list_agents_finish (self, result, error);
}

/**
 * hs_sink_set_agent_mapping_async:
 * @self: a sink
 * @mapping: the mapping; a %NULL member removes the agent's mapping
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Stores or removes an agent's mapping and applies it to the tickets and time entries already stored.
 */
void
hs_sink_set_agent_mapping_async (HsSink             *self,
                                 HsAgentMapping *mapping,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_return_if_fail (HS_IS_SINK (self));
  g_return_if_fail (HS_IS_AGENT_MAPPING (mapping));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HS_SINK_GET_CLASS (self)->set_agent_mapping_async (self, mapping, cancellable, callback, user_data);
}

/**
 * hs_sink_set_agent_mapping_finish:
 * @self: a sink
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE if the mapping was stored
 */
gboolean
hs_sink_set_agent_mapping_finish (HsSink       *self,
                                  GAsyncResult *result,
                                  GError      **error)
{
  g_return_val_if_fail (HS_IS_SINK (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  if (_hs_plugin_object_is_not_supported (result))
    return g_task_propagate_boolean (G_TASK (result), error);

  return HS_SINK_GET_CLASS (self)->set_agent_mapping_finish (self, result, error);
}

/**
 * hs_sink_list_runs_async:
 * @self: a sink
 * @limit: the most runs to return
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Lists the most recent runs of the ledger, newest first.
 */
void
hs_sink_list_runs_async (HsSink             *self,
                         guint limit,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_return_if_fail (HS_IS_SINK (self));
  g_return_if_fail (limit > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HS_SINK_GET_CLASS (self)->list_runs_async (self, limit, cancellable, callback, user_data);
}

/**
 * hs_sink_list_runs_finish:
 * @self: a sink
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type HsRun): the runs
 */
GPtrArray *
hs_sink_list_runs_finish (HsSink       *self,
                          GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (HS_IS_SINK (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  if (_hs_plugin_object_is_not_supported (result))
    return g_task_propagate_pointer (G_TASK (result), error);

  return HS_SINK_GET_CLASS (self)->list_runs_finish (self, result, error);
}

/**
 * hs_sink_save_run_async:
 * @self: a sink
 * @run: the run to record
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Writes the run's ledger row in a transaction of its own, inserting it and setting its id when the id is 0.
 */
void
hs_sink_save_run_async (HsSink             *self,
                        HsRun *run,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_return_if_fail (HS_IS_SINK (self));
  g_return_if_fail (HS_IS_RUN (run));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HS_SINK_GET_CLASS (self)->save_run_async (self, run, cancellable, callback, user_data);
}

/**
 * hs_sink_save_run_finish:
 * @self: a sink
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE if the row was written
 */
gboolean
hs_sink_save_run_finish (HsSink       *self,
                         GAsyncResult *result,
                         GError      **error)
{
  g_return_val_if_fail (HS_IS_SINK (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  if (_hs_plugin_object_is_not_supported (result))
    return g_task_propagate_boolean (G_TASK (result), error);

  return HS_SINK_GET_CLASS (self)->save_run_finish (self, result, error);
}

/**
 * hs_sink_begin_run_async:
 * @self: a sink
 * @run: the run about to write
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Opens the transaction the run writes in and sets the run's cursors before, from the stored cursors of its fiscal year.
 */
void
hs_sink_begin_run_async (HsSink             *self,
                         HsRun *run,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_return_if_fail (HS_IS_SINK (self));
  g_return_if_fail (HS_IS_RUN (run));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HS_SINK_GET_CLASS (self)->begin_run_async (self, run, cancellable, callback, user_data);
}

/**
 * hs_sink_begin_run_finish:
 * @self: a sink
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE if the transaction is open
 */
gboolean
hs_sink_begin_run_finish (HsSink       *self,
                          GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (HS_IS_SINK (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  if (_hs_plugin_object_is_not_supported (result))
    return g_task_propagate_boolean (G_TASK (result), error);

  return HS_SINK_GET_CLASS (self)->begin_run_finish (self, result, error);
}

/**
 * hs_sink_write_batch_async:
 * @self: a sink
 * @run: the open run
 * @batch: the records; no key may appear twice
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Upserts @batch inside the run's transaction.
 */
void
hs_sink_write_batch_async (HsSink             *self,
                           HsRun *run,
                           HsRecordBatch *batch,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_return_if_fail (HS_IS_SINK (self));
  g_return_if_fail (HS_IS_RUN (run));
  g_return_if_fail (batch != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HS_SINK_GET_CLASS (self)->write_batch_async (self, run, batch, cancellable, callback, user_data);
}

/**
 * hs_sink_write_batch_finish:
 * @self: a sink
 * @result: the result
 * @inserted: (out) (optional): the number of rows inserted
 * @updated: (out) (optional): the number of rows whose values changed
 * @error: return location for an error
 *
 * Returns: %TRUE if the batch was written
 */
gboolean
hs_sink_write_batch_finish (HsSink       *self,
                            GAsyncResult *result,
                            guint        *inserted,
                            guint        *updated,
                            GError      **error)
{
  g_return_val_if_fail (HS_IS_SINK (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  if (inserted != NULL)
    *inserted = 0;
  if (updated != NULL)
    *updated = 0;
  if (_hs_plugin_object_is_not_supported (result))
    return g_task_propagate_boolean (G_TASK (result), error);

  return HS_SINK_GET_CLASS (self)->write_batch_finish (self, result, inserted, updated, error);
}

/**
 * hs_sink_sweep_async:
 * @self: a sink
 * @run: the open full run
 * @stream: the stream to check
 * @apply: whether to mark the missing rows deleted
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Finds the live rows of the run's window that the run did not write, and with @apply marks them deleted.  Only full runs may sweep.
 */
void
hs_sink_sweep_async (HsSink             *self,
                     HsRun *run,
                     HsStream stream,
                     gboolean apply,
                     GCancellable       *cancellable,
                     GAsyncReadyCallback callback,
                     gpointer            user_data)
{
  g_return_if_fail (HS_IS_SINK (self));
  g_return_if_fail (HS_IS_RUN (run));
  g_return_if_fail (stream < HS_N_STREAMS);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HS_SINK_GET_CLASS (self)->sweep_async (self, run, stream, apply, cancellable, callback, user_data);
}

/**
 * hs_sink_sweep_finish:
 * @self: a sink
 * @result: the result
 * @n_window: (out) (optional): the live rows of the run's window before marking
 * @n_missing: (out) (optional): the live rows of the window the run did not write
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
hs_sink_sweep_finish (HsSink       *self,
                      GAsyncResult *result,
                      guint64      *n_window,
                      guint64      *n_missing,
                      GError      **error)
{
  g_return_val_if_fail (HS_IS_SINK (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  if (n_window != NULL)
    *n_window = 0;
  if (n_missing != NULL)
    *n_missing = 0;
  if (_hs_plugin_object_is_not_supported (result))
    return g_task_propagate_boolean (G_TASK (result), error);

  return HS_SINK_GET_CLASS (self)->sweep_finish (self, result, n_window, n_missing, error);
}

/**
 * hs_sink_commit_run_async:
 * @self: a sink
 * @run: the open run, with its final status and cursors after
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Stores the run's new cursors, refreshes the per-member summary, writes the ledger row and commits them together.  A dry run is rolled back and only its ledger row is written.
 */
void
hs_sink_commit_run_async (HsSink             *self,
                          HsRun *run,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  g_return_if_fail (HS_IS_SINK (self));
  g_return_if_fail (HS_IS_RUN (run));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HS_SINK_GET_CLASS (self)->commit_run_async (self, run, cancellable, callback, user_data);
}

/**
 * hs_sink_commit_run_finish:
 * @self: a sink
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE if the run was committed
 */
gboolean
hs_sink_commit_run_finish (HsSink       *self,
                           GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (HS_IS_SINK (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  if (_hs_plugin_object_is_not_supported (result))
    return g_task_propagate_boolean (G_TASK (result), error);

  return HS_SINK_GET_CLASS (self)->commit_run_finish (self, result, error);
}

/**
 * hs_sink_abort_run_async:
 * @self: a sink
 * @run: the open run
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Rolls the run's transaction back; nothing it wrote remains.
 */
void
hs_sink_abort_run_async (HsSink             *self,
                         HsRun *run,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_return_if_fail (HS_IS_SINK (self));
  g_return_if_fail (HS_IS_RUN (run));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HS_SINK_GET_CLASS (self)->abort_run_async (self, run, cancellable, callback, user_data);
}

/**
 * hs_sink_abort_run_finish:
 * @self: a sink
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE if the transaction was rolled back
 */
gboolean
hs_sink_abort_run_finish (HsSink       *self,
                          GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (HS_IS_SINK (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  if (_hs_plugin_object_is_not_supported (result))
    return g_task_propagate_boolean (G_TASK (result), error);

  return HS_SINK_GET_CLASS (self)->abort_run_finish (self, result, error);
}

/**
 * hs_sink_summarize_async:
 * @self: a sink
 * @fiscal_year: the label of a fiscal year
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Reads the per-member per-month summary of a fiscal year, as committed
 * by its last run.
 */
void
hs_sink_summarize_async (HsSink             *self,
                         const char         *fiscal_year,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_return_if_fail (HS_IS_SINK (self));
  g_return_if_fail (fiscal_year != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  HS_SINK_GET_CLASS (self)->summarize_async (self, fiscal_year, cancellable, callback, user_data);
}

/**
 * hs_sink_summarize_finish:
 * @self: a sink
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full): a #GVariant of type `a(sssdduu)`, one entry per
 *   member and month: member (empty when unmapped), team (may be empty),
 *   month as `YYYY-MM`, hours, billable hours, tickets opened, tickets
 *   closed; ordered by month, then member
 */
GVariant *
hs_sink_summarize_finish (HsSink       *self,
                          GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (HS_IS_SINK (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  if (_hs_plugin_object_is_not_supported (result))
    return g_task_propagate_pointer (G_TASK (result), error);

  return HS_SINK_GET_CLASS (self)->summarize_finish (self, result, error);
}
