/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-error.h"
#include "hs-sink-run-private.h"
#include "hs-sink.h"

/**
 * HsSink:
 *
 * The base class of a plugin that stores synced records and HaloSync's
 * own tables (fiscal years, agent mappings, the run ledger, cursors); see
 * #HsSinkClass for the contract, and #HsSinkRun for a run's transaction.
 *
 * The engine creates one sink per URI, injecting its name, the #HsConfig
 * and the URI as construct-only properties, and calls every function from
 * the one worker thread it owns for the sink.
 */
typedef struct
{
  char *name;
  HsConfig *config;
  char *uri;
  gboolean opened;
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

static gboolean
not_supported (HsSink     *self,
               const char *operation,
               GError    **error)
{
  g_set_error (error, HS_ERROR, HS_ERROR_NOT_SUPPORTED, _("The plugin “%s” cannot %s"),
               hs_sink_get_name (self), operation);
  return FALSE;
}

static gboolean
hs_sink_real_open (HsSink       *self,
                   GCancellable *cancellable,
                   GError      **error)
{
  return not_supported (self, _("open a database"), error);
}

static GPtrArray *
hs_sink_real_list_fiscal_years (HsSink  *self,
                                GError **error)
{
  not_supported (self, _("list fiscal years"), error);
  return NULL;
}

static gboolean
hs_sink_real_create_fiscal_year (HsSink       *self,
                                 HsFiscalYear *fiscal_year,
                                 GError      **error)
{
  return not_supported (self, _("store fiscal years"), error);
}

static gboolean
hs_sink_real_delete_fiscal_year (HsSink     *self,
                                 const char *label,
                                 GError    **error)
{
  return not_supported (self, _("delete fiscal years"), error);
}

static GPtrArray *
hs_sink_real_list_agents (HsSink  *self,
                          GError **error)
{
  not_supported (self, _("list agents"), error);
  return NULL;
}

static gboolean
hs_sink_real_set_agent_mapping (HsSink         *self,
                                HsAgentMapping *mapping,
                                GError        **error)
{
  return not_supported (self, _("map agents"), error);
}

static GPtrArray *
hs_sink_real_list_runs (HsSink  *self,
                        guint    limit,
                        GError **error)
{
  not_supported (self, _("list runs"), error);
  return NULL;
}

static gboolean
hs_sink_real_save_run (HsSink  *self,
                       HsRun   *run,
                       GError **error)
{
  return not_supported (self, _("record runs"), error);
}

static HsSinkRun *
hs_sink_real_begin_run (HsSink       *self,
                        HsRun        *run,
                        HsFiscalYear *fiscal_year,
                        GError      **error)
{
  not_supported (self, _("write runs"), error);
  return NULL;
}

static GVariant *
hs_sink_real_summarize (HsSink     *self,
                        const char *fiscal_year,
                        GError    **error)
{
  not_supported (self, _("summarize fiscal years"), error);
  return NULL;
}

/* Storage no other program writes needs no lock between programs. */
static gboolean
hs_sink_real_try_lock (HsSink   *self,
                       gboolean *taken,
                       GError  **error)
{
  *taken = TRUE;
  return TRUE;
}

static void
hs_sink_real_unlock (HsSink *self)
{
}

static void
hs_sink_class_init (HsSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hs_sink_dispose;
  object_class->finalize = hs_sink_finalize;
  object_class->get_property = hs_sink_get_property;
  object_class->set_property = hs_sink_set_property;

  klass->open = hs_sink_real_open;
  klass->try_lock = hs_sink_real_try_lock;
  klass->unlock = hs_sink_real_unlock;
  klass->list_fiscal_years = hs_sink_real_list_fiscal_years;
  klass->create_fiscal_year = hs_sink_real_create_fiscal_year;
  klass->delete_fiscal_year = hs_sink_real_delete_fiscal_year;
  klass->list_agents = hs_sink_real_list_agents;
  klass->set_agent_mapping = hs_sink_real_set_agent_mapping;
  klass->list_runs = hs_sink_real_list_runs;
  klass->save_run = hs_sink_real_save_run;
  klass->begin_run = hs_sink_real_begin_run;
  klass->summarize = hs_sink_real_summarize;


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
 * hs_sink_open:
 * @self: a sink
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Connects to the sink's database and brings its schema up to date.
 * Opening a sink that is open succeeds at once: the plugin's open is
 * called until it succeeds, and never again.
 *
 * Returns: %TRUE on success
 */
gboolean
hs_sink_open (HsSink       *self,
              GCancellable *cancellable,
              GError      **error)
{
  HsSinkPrivate *priv = hs_sink_get_instance_private (self);

  g_return_val_if_fail (HS_IS_SINK (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!priv->opened)
    priv->opened = HS_SINK_GET_CLASS (self)->open (self, cancellable, error);
  return priv->opened;
}

/**
 * hs_sink_try_lock:
 * @self: a sink
 * @taken: (out): whether the lock was taken; %FALSE if another program
 *   holds it
 * @error: return location for an error
 *
 * Returns: %TRUE unless the database failed
 */
gboolean
hs_sink_try_lock (HsSink   *self,
                  gboolean *taken,
                  GError  **error)
{
  g_return_val_if_fail (HS_IS_SINK (self), FALSE);
  g_return_val_if_fail (taken != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *taken = FALSE;
  return HS_SINK_GET_CLASS (self)->try_lock (self, taken, error);
}

/**
 * hs_sink_unlock:
 * @self: a sink
 *
 * Lets go of the lock hs_sink_try_lock() took.
 */
void
hs_sink_unlock (HsSink *self)
{
  g_return_if_fail (HS_IS_SINK (self));

  HS_SINK_GET_CLASS (self)->unlock (self);
}

/**
 * hs_sink_list_fiscal_years:
 * @self: a sink
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type HsFiscalYear) (nullable):
 *   the fiscal years, earliest first
 */
GPtrArray *
hs_sink_list_fiscal_years (HsSink  *self,
                           GError **error)
{
  g_return_val_if_fail (HS_IS_SINK (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return HS_SINK_GET_CLASS (self)->list_fiscal_years (self, error);
}

/**
 * hs_sink_create_fiscal_year:
 * @self: a sink
 * @fiscal_year: the year, checked against the stored ones
 * @error: return location for an error
 *
 * Returns: %TRUE if the year was stored
 */
gboolean
hs_sink_create_fiscal_year (HsSink       *self,
                            HsFiscalYear *fiscal_year,
                            GError      **error)
{
  g_return_val_if_fail (HS_IS_SINK (self), FALSE);
  g_return_val_if_fail (HS_IS_FISCAL_YEAR (fiscal_year), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return HS_SINK_GET_CLASS (self)->create_fiscal_year (self, fiscal_year, error);
}

/**
 * hs_sink_delete_fiscal_year:
 * @self: a sink
 * @label: the year's label
 * @error: return location for an error
 *
 * Returns: %TRUE if the year was deleted
 */
gboolean
hs_sink_delete_fiscal_year (HsSink     *self,
                            const char *label,
                            GError    **error)
{
  g_return_val_if_fail (HS_IS_SINK (self), FALSE);
  g_return_val_if_fail (label != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return HS_SINK_GET_CLASS (self)->delete_fiscal_year (self, label, error);
}

/**
 * hs_sink_list_agents:
 * @self: a sink
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type HsAgentMapping) (nullable):
 *   the agents with their mappings
 */
GPtrArray *
hs_sink_list_agents (HsSink  *self,
                     GError **error)
{
  g_return_val_if_fail (HS_IS_SINK (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return HS_SINK_GET_CLASS (self)->list_agents (self, error);
}

/**
 * hs_sink_set_agent_mapping:
 * @self: a sink
 * @mapping: the mapping; a %NULL member unmaps the agent
 * @error: return location for an error
 *
 * Returns: %TRUE if the mapping was stored
 */
gboolean
hs_sink_set_agent_mapping (HsSink         *self,
                           HsAgentMapping *mapping,
                           GError        **error)
{
  g_return_val_if_fail (HS_IS_SINK (self), FALSE);
  g_return_val_if_fail (HS_IS_AGENT_MAPPING (mapping), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return HS_SINK_GET_CLASS (self)->set_agent_mapping (self, mapping, error);
}

/**
 * hs_sink_list_runs:
 * @self: a sink
 * @limit: the most runs to return
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type HsRun) (nullable): the
 *   runs, newest first
 */
GPtrArray *
hs_sink_list_runs (HsSink  *self,
                   guint    limit,
                   GError **error)
{
  g_return_val_if_fail (HS_IS_SINK (self), NULL);
  g_return_val_if_fail (limit > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return HS_SINK_GET_CLASS (self)->list_runs (self, limit, error);
}

/**
 * hs_sink_save_run:
 * @self: a sink
 * @run: the run as it is to be recorded
 * @error: return location for an error
 *
 * Writes the run's ledger row in a transaction of its own; a run without
 * an id gets one.
 *
 * Returns: %TRUE on success
 */
gboolean
hs_sink_save_run (HsSink  *self,
                  HsRun   *run,
                  GError **error)
{
  g_return_val_if_fail (HS_IS_SINK (self), FALSE);
  g_return_val_if_fail (HS_IS_RUN (run), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return HS_SINK_GET_CLASS (self)->save_run (self, run, error);
}

/**
 * hs_sink_begin_run:
 * @self: a sink
 * @run: the run, whose stored cursors are set
 * @fiscal_year: the fiscal year it syncs
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the run's transaction
 */
HsSinkRun *
hs_sink_begin_run (HsSink       *self,
                   HsRun        *run,
                   HsFiscalYear *fiscal_year,
                   GError      **error)
{
  HsSinkRun *sink_run;

  g_return_val_if_fail (HS_IS_SINK (self), NULL);
  g_return_val_if_fail (HS_IS_RUN (run), NULL);
  g_return_val_if_fail (HS_IS_FISCAL_YEAR (fiscal_year), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  sink_run = HS_SINK_GET_CLASS (self)->begin_run (self, run, fiscal_year, error);
  if (sink_run != NULL)
    _hs_sink_run_set_up (sink_run, hs_sink_get_name (self), fiscal_year, hs_run_get_mode (run));
  return sink_run;
}

/**
 * hs_sink_summarize:
 * @self: a sink
 * @fiscal_year: a fiscal-year label
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the summary, a #GVariant of type
 *   `a(sssdduu)` as #HsSinkClass describes
 */
GVariant *
hs_sink_summarize (HsSink     *self,
                   const char *fiscal_year,
                   GError    **error)
{
  g_return_val_if_fail (HS_IS_SINK (self), NULL);
  g_return_val_if_fail (fiscal_year != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return HS_SINK_GET_CLASS (self)->summarize (self, fiscal_year, error);
}
