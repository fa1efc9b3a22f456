/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-engine-private.h"
#include "hs-error.h"

/**
 * HsEngine:
 *
 * The entry point for programs that embed HaloSync: it owns the
 * configuration, the plugins, one source and one sink, and runs syncs.
 *
 * ```python
 * from gi.repository import HaloSync
 * engine = HaloSync.Engine.new(None)
 * engine.load_plugins()
 * print(engine.list_sources(), engine.list_sinks())
 * ```
 */
G_DEFINE_FINAL_TYPE (HsEngine, hs_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONFIG,
  PROP_CURRENT_RUN,
  PROP_LAST_RUN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_RUN_STARTED,
  SIGNAL_RUN_PROGRESS,
  SIGNAL_RUN_FINISHED,
  SIGNAL_FISCAL_YEARS_CHANGED,
  SIGNAL_AGENTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* How many of the newest ledger rows hs_engine_restore_last_run_async()
 * looks through: only runs still going elsewhere come before the one it
 * wants. */
#define RUNS_SEARCHED_FOR_LAST 20

void
_hs_engine_op_free (Op *op)
{
  g_clear_object (&op->task);
  g_clear_object (&op->run);
  g_clear_object (&op->fiscal_year);
  g_clear_object (&op->mapping);
  g_clear_pointer (&op->label, g_free);
  g_clear_object (&op->cancellable);
  g_clear_object (&op->job);
  g_clear_pointer (&op->waiters, g_ptr_array_unref);
  g_free (op);
}

Op *
_hs_engine_op_new (OpStart start)
{
  Op *op = g_new0 (Op, 1);

  op->start = start;
  op->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  return op;
}

static void drop_stale_sink (HsEngine *self);

static gboolean
start_next_op (gpointer data)
{
  HsEngine *self = data;
  Op *op;

  if (self->current != NULL)
    return G_SOURCE_REMOVE;

  drop_stale_sink (self);

  op = g_queue_pop_head (&self->queue);
  if (op == NULL)
    return G_SOURCE_REMOVE;

  self->current = op;
  op->start (self, op);
  return G_SOURCE_REMOVE;
}

void
_hs_engine_enqueue_op (HsEngine *self,
            Op       *op)
{
  g_queue_push_tail (&self->queue, op);
  if (self->current == NULL)
    g_idle_add_full (G_PRIORITY_DEFAULT, start_next_op, g_object_ref (self), g_object_unref);
}

/* Ends the current op; the next one starts from an idle so a long queue
 * does not recurse. */
void
_hs_engine_finish_op (HsEngine *self)
{
  g_return_if_fail (self->current != NULL);

  g_clear_pointer (&self->current, _hs_engine_op_free);
  if (!g_queue_is_empty (&self->queue))
    g_idle_add_full (G_PRIORITY_DEFAULT, start_next_op, g_object_ref (self), g_object_unref);
  else
    drop_stale_sink (self);
}

/* The sink URI changed: the old sink is dropped once nothing uses it, and
 * the next operation opens the new database. */
static void
drop_stale_sink (HsEngine *self)
{
  if (!self->sink_stale || self->current != NULL)
    return;

  g_debug ("The database setting changed; reopening");
  self->sink_stale = FALSE;
  g_clear_pointer (&self->sink_slot, _hs_engine_sink_slot_unref);
}

static void
sink_uri_changed_cb (HsEngine   *self,
                     GParamSpec *pspec,
                     HsConfig   *config)
{
  self->sink_stale = self->sink_slot != NULL;
  drop_stale_sink (self);
}

static void
hs_engine_constructed (GObject *object)
{
  HsEngine *self = HS_ENGINE (object);

  G_OBJECT_CLASS (hs_engine_parent_class)->constructed (object);

  if (self->config == NULL)
    self->config = hs_config_new ();

  g_signal_connect_object (self->config, "notify::sink-uri",
                           G_CALLBACK (sink_uri_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
hs_engine_dispose (GObject *object)
{
  HsEngine *self = HS_ENGINE (object);

  /* Ops hold a reference to the engine while they run, so only queued
   * ops can be left here; they never started and are simply dropped. */
  g_queue_clear_full (&self->queue, (GDestroyNotify) _hs_engine_op_free);
  g_clear_object (&self->source);
  g_clear_pointer (&self->sink_slot, _hs_engine_sink_slot_unref);
  g_clear_object (&self->loader);
  g_clear_object (&self->last_run);
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

    case PROP_CURRENT_RUN:
      g_value_set_object (value, hs_engine_get_current_run (self));
      break;

    case PROP_LAST_RUN:
      g_value_set_object (value, self->last_run);
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

  /**
   * HsEngine:current-run:
   *
   * The run going now, or %NULL.
   */
  properties[PROP_CURRENT_RUN] =
    g_param_spec_object ("current-run", NULL, NULL, HS_TYPE_RUN,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HsEngine:last-run:
   *
   * The run that finished last in this engine, or %NULL.
   */
  properties[PROP_LAST_RUN] =
    g_param_spec_object ("last-run", NULL, NULL, HS_TYPE_RUN,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HsEngine::run-started:
   * @self: the engine
   * @run: the run, now with its ledger id
   */
  signals[SIGNAL_RUN_STARTED] =
    g_signal_new ("run-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, HS_TYPE_RUN);

  /**
   * HsEngine::run-progress:
   * @self: the engine
   * @run: the run whose stage or counts changed
   *
   * Emitted on every stage change and at most about ten times a second
   * otherwise.
   */
  signals[SIGNAL_RUN_PROGRESS] =
    g_signal_new ("run-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, HS_TYPE_RUN);

  /**
   * HsEngine::run-finished:
   * @self: the engine
   * @run: the run, succeeded, failed or cancelled
   */
  signals[SIGNAL_RUN_FINISHED] =
    g_signal_new ("run-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, HS_TYPE_RUN);

  /**
   * HsEngine::fiscal-years-changed:
   * @self: the engine
   *
   * A fiscal year was created or deleted through this engine.
   */
  signals[SIGNAL_FISCAL_YEARS_CHANGED] =
    g_signal_new ("fiscal-years-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * HsEngine::agents-changed:
   * @self: the engine
   *
   * An agent mapping changed, or a run stored new or changed agents.
   */
  signals[SIGNAL_AGENTS_CHANGED] =
    g_signal_new ("agents-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
hs_engine_init (HsEngine *self)
{
  self->loader = hs_plugin_loader_new ();
  g_queue_init (&self->queue);
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
 * Returns the engine's source, created on first use from the plugin the
 * #HsConfig:source setting names ("halo" unless set).
 *
 * Returns: (transfer none) (nullable): the source, or %NULL with
 *   %HS_ERROR_PLUGIN if that plugin is not loaded
 */
HsSource *
hs_engine_get_source (HsEngine *self,
                      GError  **error)
{
  const char *name;
  GType type;

  g_return_val_if_fail (HS_IS_ENGINE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->source != NULL)
    return self->source;

  hs_plugin_loader_load (self->loader);
  name = hs_config_get_source (self->config);
  type = hs_plugin_loader_find_source (self->loader, name);
  if (type == G_TYPE_INVALID)
    {
      g_auto(GStrv) search_path = hs_plugin_loader_dup_search_path (self->loader);
      g_autofree char *path = g_strjoinv (":", search_path);

      g_set_error (error, HS_ERROR, HS_ERROR_PLUGIN,
                   _("No source plugin “%s” was found in %s; check the “source” setting, the installation "
                     "or HALOSYNC_PLUGIN_DIR"),
                   name, path);
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
 * use from the first plugin that writes the URI's scheme.  The engine
 * calls it from a worker thread of its own, and opens it before its first
 * use; call the sink's functions only through the engine.
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

  if (self->sink_slot != NULL)
    return _hs_engine_sink_slot_get_sink (self->sink_slot);

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
                     _("No installed sink plugin writes “%s:” databases; HaloSync writes sqlite: and postgresql: with its gda plugin — check the installation or HALOSYNC_PLUGIN_DIR"),
                     scheme);
      return NULL;
    }

  {
    g_autoptr(HsSink) sink = g_object_new (type, "name", name, "config", self->config, "uri", uri, NULL);

    self->sink_slot = _hs_engine_sink_slot_new (sink);
    return sink;
  }
}

/* --- Runs' signals and properties ------------------------------------- */

/**
 * hs_engine_get_current_run:
 * @self: an engine
 *
 * Returns: (transfer none) (nullable): the run going now
 */
HsRun *
hs_engine_get_current_run (HsEngine *self)
{
  g_return_val_if_fail (HS_IS_ENGINE (self), NULL);

  /* While run-finished is emitted the op is still current, but its run
   * is no longer going. */
  if (self->current == NULL || self->current->run == NULL || hs_run_is_finished (self->current->run))
    return NULL;
  return self->current->run;
}

/**
 * hs_engine_get_last_run:
 * @self: an engine
 *
 * Returns: (transfer none) (nullable): the run that finished last
 */
HsRun *
hs_engine_get_last_run (HsEngine *self)
{
  g_return_val_if_fail (HS_IS_ENGINE (self), NULL);

  return self->last_run;
}

static void
restore_last_run_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  HsEngine *self = HS_ENGINE (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GPtrArray) runs = NULL;
  GError *error = NULL;

  runs = hs_engine_list_runs_finish (self, result, &error);
  if (runs == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* A run that finished here while the ledger was read is newer; the
   * ledger's running rows belong to runs still going elsewhere. */
  for (guint i = 0; self->last_run == NULL && i < runs->len; i++)
    {
      HsRun *run = g_ptr_array_index (runs, i);

      if (hs_run_is_finished (run))
        {
          g_set_object (&self->last_run, run);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_RUN]);
        }
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * hs_engine_restore_last_run_async:
 * @self: an engine
 * @cancellable: (nullable): a cancellable
 * @callback: called when the ledger has been read
 * @user_data: data for @callback
 *
 * Sets #HsEngine:last-run from the ledger: the newest run there that
 * finished, by this program or another.  A program that starts again
 * then reports the sync before it started rather than none.  A run that
 * finishes in this engine meanwhile is newer and is kept.
 */
void
hs_engine_restore_last_run_async (HsEngine           *self,
                                  GCancellable       *cancellable,
                                  GAsyncReadyCallback callback,
                                  gpointer            user_data)
{
  GTask *task;

  g_return_if_fail (HS_IS_ENGINE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hs_engine_restore_last_run_async);
  hs_engine_list_runs_async (self, RUNS_SEARCHED_FOR_LAST, cancellable, restore_last_run_cb, task);
}

/**
 * hs_engine_restore_last_run_finish:
 * @self: an engine
 * @result: the result
 * @error: return location for an error
 *
 * Returns: whether the ledger could be read
 */
gboolean
hs_engine_restore_last_run_finish (HsEngine     *self,
                                   GAsyncResult *result,
                                   GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, hs_engine_restore_last_run_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
_hs_engine_emit_run (HsEngine        *self,
                     HsEngineRunEvent event,
                     HsRun           *run)
{
  switch (event)
    {
    case HS_ENGINE_RUN_STARTED:
      g_signal_emit (self, signals[SIGNAL_RUN_STARTED], 0, run);
      break;
    case HS_ENGINE_RUN_PROGRESS:
      g_signal_emit (self, signals[SIGNAL_RUN_PROGRESS], 0, run);
      break;
    case HS_ENGINE_RUN_FINISHED:
      g_set_object (&self->last_run, run);
      g_signal_emit (self, signals[SIGNAL_RUN_FINISHED], 0, run);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_RUN]);
      break;
    default:
      g_assert_not_reached ();
    }
}

void
_hs_engine_notify_current_run (HsEngine *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_RUN]);
}

void
_hs_engine_emit_changed (HsEngine      *self,
                         HsEngineChange change)
{
  if (change == HS_ENGINE_CHANGE_FISCAL_YEARS)
    g_signal_emit (self, signals[SIGNAL_FISCAL_YEARS_CHANGED], 0);
  else if (change == HS_ENGINE_CHANGE_AGENTS)
    g_signal_emit (self, signals[SIGNAL_AGENTS_CHANGED], 0);
}
