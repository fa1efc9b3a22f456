/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-engine-private.h"
#include "hs-error.h"
#include "hs-sync-job-private.h"

/* The source plugin a run reads from when several are installed. */
#define DEFAULT_SOURCE "halo"

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

static void
op_free (Op *op)
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

  g_clear_pointer (&self->current, op_free);
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
  self->sink_open = FALSE;
  g_clear_object (&self->sink);
}

static void
sink_uri_changed_cb (HsEngine   *self,
                     GParamSpec *pspec,
                     HsConfig   *config)
{
  self->sink_stale = self->sink != NULL;
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
  g_queue_clear_full (&self->queue, (GDestroyNotify) op_free);
  g_clear_object (&self->source);
  g_clear_object (&self->sink);
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
 * use from the first plugin that writes the URI's scheme.  The engine
 * opens it before its first use.
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
                     _("No installed sink plugin writes “%s:” databases; HaloSync writes sqlite: and postgresql: with its gda plugin — check the installation or HALOSYNC_PLUGIN_DIR"),
                     scheme);
      return NULL;
    }

  self->sink = g_object_new (type, "name", name, "config", self->config, "uri", uri, NULL);
  return self->sink;
}

/* --- Opening the sink ------------------------------------------------- */

static void
open_sink_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HsEngine *self = g_task_get_source_object (task);
  HsSink *sink = HS_SINK (object);
  SinkCall call = g_object_get_data (G_OBJECT (task), "sink-call");
  GError *error = NULL;

  if (!hs_sink_open_finish (sink, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (sink == self->sink)
    self->sink_open = TRUE;
  call (sink, g_steal_pointer (&task));
}

/* Opens the sink if needed, then starts @call on it.  @call owns @task and
 * must return a result on it. */
void
_hs_engine_with_sink (HsEngine *self,
           GTask    *task,
           SinkCall  call)
{
  HsSink *sink;
  GError *error = NULL;

  sink = hs_engine_get_sink (self, &error);
  if (sink == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (self->sink_open)
    {
      call (sink, task);
      return;
    }

  g_object_set_data (G_OBJECT (task), "sink-call", call);
  hs_sink_open_async (sink, g_task_get_cancellable (task), open_sink_cb, task);
}

/* --- Runs -------------------------------------------------------------- */

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

Op *
_hs_engine_find_run_op (HsEngine   *self,
             const char *fiscal_year,
             gboolean   *queued)
{
  if (self->current != NULL && self->current->run != NULL &&
      g_strcmp0 (hs_run_get_fiscal_year (self->current->run), fiscal_year) == 0)
    {
      if (queued != NULL)
        *queued = FALSE;
      return self->current;
    }

  for (GList *l = self->queue.head; l != NULL; l = l->next)
    {
      Op *op = l->data;

      if (op->run != NULL && g_strcmp0 (hs_run_get_fiscal_year (op->run), fiscal_year) == 0)
        {
          if (queued != NULL)
            *queued = TRUE;
          return op;
        }
    }
  return NULL;
}

/* Whether a run is going or queued: a catalogue change would wait for it. */
gboolean
_hs_engine_is_syncing (HsEngine *self)
{
  if (self->current != NULL && self->current->run != NULL)
    return TRUE;
  for (GList *l = self->queue.head; l != NULL; l = l->next)
    if (((Op *) l->data)->run != NULL)
      return TRUE;
  return FALSE;
}

/**
 * hs_engine_find_run:
 * @self: an engine
 * @fiscal_year: a fiscal-year label
 *
 * Returns: (transfer none) (nullable): the run queued or going for that
 *   year; there is at most one
 */
HsRun *
hs_engine_find_run (HsEngine   *self,
                    const char *fiscal_year)
{
  Op *op;

  g_return_val_if_fail (HS_IS_ENGINE (self), NULL);
  g_return_val_if_fail (fiscal_year != NULL, NULL);

  op = _hs_engine_find_run_op (self, fiscal_year, NULL);
  return op != NULL ? op->run : NULL;
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

static void
end_run (HsEngine *self,
         Op       *op)
{
  g_set_object (&self->last_run, op->run);
  g_signal_emit (self, signals[SIGNAL_RUN_FINISHED], 0, op->run);

  if (hs_run_get_status (op->run) == HS_RUN_SUCCEEDED && !hs_run_get_dry_run (op->run) &&
      hs_run_get_count (op->run, HS_STREAM_AGENTS, HS_COUNTER_INSERTED) +
      hs_run_get_count (op->run, HS_STREAM_AGENTS, HS_COUNTER_UPDATED) > 0)
    _hs_engine_emit_changed (self, HS_ENGINE_CHANGE_AGENTS);

  for (guint i = 0; i < op->waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (op->waiters, i);

      g_task_return_pointer (waiter, g_object_ref (op->run), g_object_unref);
    }
  g_ptr_array_set_size (op->waiters, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_RUN]);
}

static void
cancel_op (HsEngine   *self,
           Op         *op,
           gboolean    queued,
           const char *reason)
{
  if (!queued)
    {
      if (op->job != NULL)
        hs_sync_job_set_cancel_reason (op->job, reason);
      g_cancellable_cancel (op->cancellable);
      return;
    }

  /* A queued run never started: it has no ledger row and nothing to undo. */
  g_queue_remove (&self->queue, op);
  hs_run_set_status (op->run, HS_RUN_CANCELLED);
  hs_run_set_error_message (op->run, reason != NULL ? reason : _("The sync was cancelled before it started"));
  hs_run_set_finished_at (op->run, g_get_real_time ());
  end_run (self, op);
  op_free (op);
}

/**
 * hs_engine_cancel:
 * @self: an engine
 * @fiscal_year: a fiscal-year label
 *
 * Cancels the run queued or going for that year.  A running run rolls back
 * everything it wrote.
 *
 * Returns: %TRUE if there was such a run
 */
gboolean
hs_engine_cancel (HsEngine   *self,
                  const char *fiscal_year)
{
  gboolean queued = FALSE;
  Op *op;

  g_return_val_if_fail (HS_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (fiscal_year != NULL, FALSE);

  op = _hs_engine_find_run_op (self, fiscal_year, &queued);
  if (op == NULL)
    return FALSE;

  cancel_op (self, op, queued, NULL);
  return TRUE;
}

/**
 * hs_engine_stop:
 * @self: an engine
 *
 * For a program about to exit: cancels every queued and running run,
 * recording that the program stopped, and refuses new ones.  A running
 * run rolls back and writes its ledger row before #HsEngine::run-finished;
 * wait for that signal before exiting.
 *
 * Returns: %TRUE if a run is still going and will finish
 */
gboolean
hs_engine_stop (HsEngine *self)
{
  const char *reason = _("HaloSync was stopped during the sync; nothing was changed");
  GList *queued;

  g_return_val_if_fail (HS_IS_ENGINE (self), FALSE);

  self->stopping = TRUE;

  queued = g_list_copy (self->queue.head);
  for (GList *l = queued; l != NULL; l = l->next)
    {
      Op *op = l->data;

      if (op->run != NULL)
        cancel_op (self, op, TRUE, reason);
    }
  g_list_free (queued);

  if (hs_engine_get_current_run (self) == NULL)
    return FALSE;
  cancel_op (self, self->current, FALSE, reason);
  return TRUE;
}

static void
job_progress_cb (HsSyncJob *job,
                 HsEngine  *self)
{
  if (self->current != NULL && self->current->run != NULL)
    g_signal_emit (self, signals[SIGNAL_RUN_PROGRESS], 0, self->current->run);
}

static void
job_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(HsEngine) self = user_data;
  g_autoptr(GError) error = NULL;
  Op *op = self->current;

  if (!hs_sync_job_run_finish (HS_SYNC_JOB (object), result, &error))
    g_debug ("Run %" G_GINT64_FORMAT " of %s ended: %s", hs_run_get_id (op->run),
             hs_run_get_fiscal_year (op->run), error->message);

  end_run (self, op);
  _hs_engine_finish_op (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_RUN]);
}

/* Ends the current run op, which never got to run, with @error. */
void
_hs_engine_fail_run (HsEngine *self,
                     Op       *op,
                     GError   *error)
{
  hs_run_set_status (op->run, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                              ? HS_RUN_CANCELLED : HS_RUN_FAILED);
  hs_run_set_error (op->run, error);
  hs_run_set_finished_at (op->run, g_get_real_time ());
  g_error_free (error);

  end_run (self, op);
  _hs_engine_finish_op (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_RUN]);
}

static void
run_saved_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HsEngine) self = user_data;
  g_autoptr(HsSyncJob) job = NULL;
  Op *op = self->current;
  HsSource *source;
  GError *error = NULL;

  if (!hs_sink_save_run_finish (HS_SINK (object), result, &error))
    {
      _hs_engine_fail_run (self, op, error);
      return;
    }

  source = hs_engine_get_source (self, &error);
  if (source == NULL)
    {
      /* The ledger row exists now; record why the run could not go. */
      hs_run_set_status (op->run, HS_RUN_FAILED);
      hs_run_set_error (op->run, error);
      hs_run_set_finished_at (op->run, g_get_real_time ());
      g_signal_emit (self, signals[SIGNAL_RUN_STARTED], 0, op->run);
      hs_sink_save_run_async (HS_SINK (object), op->run, NULL, NULL, NULL);
      g_error_free (error);
      end_run (self, op);
      _hs_engine_finish_op (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_RUN]);
      return;
    }

  g_signal_emit (self, signals[SIGNAL_RUN_STARTED], 0, op->run);

  job = hs_sync_job_new (source, HS_SINK (object), self->config, op->fiscal_year, op->run);
  g_signal_connect_object (job, "progress", G_CALLBACK (job_progress_cb), self, 0);
  op->job = g_object_ref (job);
  hs_sync_job_run_async (job, op->cancellable, job_cb, g_object_ref (self));
}

static void
run_sink_ready (HsSink *sink,
                GTask  *task)
{
  HsEngine *self = g_task_get_source_object (task);
  Op *op = self->current;

  g_object_unref (task);

  /* The ledger row is written now, outside any transaction, so the run has
   * its id and shows as running to every reader. */
  hs_run_set_status (op->run, HS_RUN_RUNNING);
  hs_run_set_started_at (op->run, g_get_real_time ());
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_RUN]);
  hs_sink_save_run_async (sink, op->run, op->cancellable, run_saved_cb, g_object_ref (self));
}

static void
run_sink_ready_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  HsEngine *self = HS_ENGINE (object);
  GError *error = NULL;

  /* with_sink() only returns on the task when opening failed. */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    _hs_engine_fail_run (self, self->current, error);
}

void
_hs_engine_start_run (HsEngine *self,
                      Op       *op)
{
  GTask *task = g_task_new (self, op->cancellable, run_sink_ready_cb, NULL);

  g_task_set_source_tag (task, _hs_engine_start_run);
  _hs_engine_with_sink (self, task, run_sink_ready);
}

static HsFiscalYear *
find_fiscal_year (GPtrArray  *years,
                  const char *label,
                  GError    **error)
{
  HsFiscalYear *latest = NULL;

  for (guint i = 0; i < years->len; i++)
    {
      HsFiscalYear *fy = g_ptr_array_index (years, i);

      if (label != NULL && *label != '\0')
        {
          if (g_strcmp0 (hs_fiscal_year_get_label (fy), label) == 0)
            return fy;
        }
      else if (latest == NULL ||
               g_date_compare (hs_fiscal_year_get_start (fy), hs_fiscal_year_get_start (latest)) > 0)
        latest = fy;
    }

  if (latest != NULL)
    return latest;

  if (label != NULL && *label != '\0')
    g_set_error (error, HS_ERROR, HS_ERROR_NOT_FOUND,
                 _("There is no fiscal year “%s”; create it first, for example with halosyncctl fy create"),
                 label);
  else
    g_set_error_literal (error, HS_ERROR, HS_ERROR_NOT_FOUND,
                         _("No fiscal year exists yet; create one first, for example with halosyncctl fy create FY2025 2024-07-01 2025-06-30"));
  return NULL;
}

static void
sync_request_free (SyncRequest *request)
{
  g_free (request->fiscal_year);
  g_free (request);
}

/* Queues a run of @fiscal_year, or joins the one queued or going. */
HsRun *
_hs_engine_queue_run (HsEngine     *self,
           HsFiscalYear *fiscal_year,
           SyncRequest  *request,
           GTask        *waiter)
{
  const char *label = hs_fiscal_year_get_label (fiscal_year);
  Op *op = _hs_engine_find_run_op (self, label, NULL);

  if (op == NULL)
    {
      op = _hs_engine_op_new (_hs_engine_start_run);
      op->run = hs_run_new (label, request->trigger, request->mode,
                            (request->flags & HS_SYNC_FLAGS_DRY_RUN) != 0);
      hs_run_set_allow_mass_delete (op->run, (request->flags & HS_SYNC_FLAGS_ALLOW_MASS_DELETE) != 0);
      op->fiscal_year = g_object_ref (fiscal_year);
      op->cancellable = g_cancellable_new ();
      _hs_engine_enqueue_op (self, op);
    }

  if (waiter != NULL)
    g_ptr_array_add (op->waiters, g_object_ref (waiter));
  return op->run;
}

static void
start_sync_years_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HsEngine *self = g_task_get_source_object (task);
  SyncRequest *request = g_task_get_task_data (task);
  g_autoptr(GPtrArray) years = NULL;
  HsFiscalYear *fiscal_year;
  GError *error = NULL;
  HsRun *run;

  years = hs_sink_list_fiscal_years_finish (HS_SINK (object), result, &error);
  if (years == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  fiscal_year = find_fiscal_year (years, request->fiscal_year, &error);
  if (fiscal_year == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* A waiting caller is answered by end_run(), with the finished run. */
  run = _hs_engine_queue_run (self, fiscal_year, request, request->wait ? task : NULL);
  if (!request->wait)
    g_task_return_pointer (task, g_object_ref (run), g_object_unref);
}

static void
start_sync_sink_ready (HsSink *sink,
                       GTask  *task)
{
  hs_sink_list_fiscal_years_async (sink, g_task_get_cancellable (task), start_sync_years_cb, task);
}

static void
request_sync (HsEngine           *self,
              const char         *fiscal_year,
              HsSyncMode          mode,
              HsSyncFlags         flags,
              HsTrigger           trigger,
              gboolean            wait,
              gpointer            source_tag,
              GCancellable       *cancellable,
              GAsyncReadyCallback callback,
              gpointer            user_data)
{
  GTask *task;
  SyncRequest *request;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  if (self->stopping)
    {
      g_task_return_new_error (task, HS_ERROR, HS_ERROR_BUSY, "%s", _("HaloSync is stopping; sync again once it runs"));
      g_object_unref (task);
      return;
    }

  request = g_new0 (SyncRequest, 1);
  request->fiscal_year = g_strdup (fiscal_year);
  request->mode = mode;
  request->flags = flags;
  request->trigger = trigger;
  request->wait = wait;
  g_task_set_task_data (task, request, (GDestroyNotify) sync_request_free);

  _hs_engine_with_sink (self, task, start_sync_sink_ready);
}

/**
 * hs_engine_start_sync_async:
 * @self: an engine
 * @fiscal_year: (nullable): a fiscal-year label, or %NULL for the latest year
 * @mode: full or incremental
 * @flags: options
 * @trigger: what asks for the run
 * @cancellable: (nullable): cancels the request, not the run
 * @callback: called once the run is queued
 * @user_data: data for @callback
 *
 * Queues a sync of a fiscal year and returns at once.  When a run of that
 * year is already queued or going, the request joins it (single-flight):
 * the result is that run, and @mode and @flags are ignored.  Follow the
 * run with #HsEngine::run-started, #HsEngine::run-progress and
 * #HsEngine::run-finished, or use hs_engine_sync_async().
 */
void
hs_engine_start_sync_async (HsEngine           *self,
                            const char         *fiscal_year,
                            HsSyncMode          mode,
                            HsSyncFlags         flags,
                            HsTrigger           trigger,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_return_if_fail (HS_IS_ENGINE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  request_sync (self, fiscal_year, mode, flags, trigger, FALSE, hs_engine_start_sync_async,
                cancellable, callback, user_data);
}

/**
 * hs_engine_start_sync_finish:
 * @self: an engine
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full): the queued or joined run, or %NULL with
 *   %HS_ERROR_NOT_FOUND when the fiscal year does not exist, or the error
 *   that kept the database from opening
 */
HsRun *
hs_engine_start_sync_finish (HsEngine     *self,
                             GAsyncResult *result,
                             GError      **error)
{
  g_return_val_if_fail (HS_IS_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * hs_engine_sync_async:
 * @self: an engine
 * @fiscal_year: (nullable): a fiscal-year label, or %NULL for the latest year
 * @mode: full or incremental
 * @flags: options
 * @trigger: what asks for the run
 * @cancellable: (nullable): cancels waiting, not the run
 * @callback: called once the run has finished
 * @user_data: data for @callback
 *
 * Like hs_engine_start_sync_async(), but finishes with the run once it has
 * succeeded, failed or been cancelled.
 */
void
hs_engine_sync_async (HsEngine           *self,
                      const char         *fiscal_year,
                      HsSyncMode          mode,
                      HsSyncFlags         flags,
                      HsTrigger           trigger,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  g_return_if_fail (HS_IS_ENGINE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  request_sync (self, fiscal_year, mode, flags, trigger, TRUE, hs_engine_sync_async,
                cancellable, callback, user_data);
}

/**
 * hs_engine_sync_finish:
 * @self: an engine
 * @result: the result
 * @error: return location for an error
 *
 * A run that failed is still a result: check hs_run_get_status() and
 * hs_run_get_error_message().
 *
 * Returns: (transfer full): the finished run, or %NULL with an error when
 *   no run could be queued
 */
HsRun *
hs_engine_sync_finish (HsEngine     *self,
                       GAsyncResult *result,
                       GError      **error)
{
  g_return_val_if_fail (HS_IS_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

