/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "hs-engine-client.h"

#define DAEMON_BUS_NAME "org.example.HaloSync.Daemon"
#define DAEMON_OBJECT_PATH "/org/example/HaloSync/Engine"
/* The ledger's maximum; enough to find every year's last success. */
#define YEAR_RUNS_LIMIT 1000

/**
 * HsEngineClient:
 *
 * The app's one connection to `halosyncd`.  It owns the generated D-Bus
 * proxy and turns the service's properties and signals into GObject
 * properties and signals that widgets bind to, so no widget has to know
 * whether the service is there, restarting or gone.
 *
 * The fiscal years are kept here too, because the header's drop-down, the
 * fiscal-year page and the new-year dialog must all agree on them.  So is
 * each year's last finished run and last successful one: LastRun is
 * whichever year ran last, but a person asks how fresh the year they look
 * at is.  They are read from the ledger when the service appears and
 * kept up to date from RunFinished.
 */
struct _HsEngineClient
{
  GObject parent_instance;

  GBusType bus_type;
  GCancellable *cancellable;     /* (owned) shutdown and reconnect */
  HsIpcEngine1 *proxy;           /* (owned) (nullable) */
  gboolean available;
  gboolean tried_activation;      /* since the service was last seen */
  char *error_message;           /* (owned) (nullable) */
  GListStore *fiscal_years;      /* (owned) (element-type HsFiscalYear) */
  char *fiscal_years_error;      /* (owned) (nullable) */
  HsRun *current_run;            /* (owned) (nullable) */
  HsRun *last_run;               /* (owned) (nullable) */
  gint64 next_run;
  char *sync_error;              /* (owned) (nullable) */
  HsRemedy sync_error_remedy;
  GHashTable *year_last_runs;    /* (owned) label → HsRun */
  GHashTable *year_successes;    /* (owned) label → HsRun */
  gboolean window_active;        /* told to every service that appears */
};

G_DEFINE_FINAL_TYPE (HsEngineClient, hs_engine_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_AVAILABLE,
  PROP_ERROR_MESSAGE,
  PROP_FISCAL_YEARS,
  PROP_FISCAL_YEARS_ERROR,
  PROP_CURRENT_RUN,
  PROP_LAST_RUN,
  PROP_NEXT_RUN,
  PROP_SYNC_ERROR,
  N_PROPS
};

enum {
  SIGNAL_RUN_STARTED,
  SIGNAL_PROGRESS,
  SIGNAL_RUN_FINISHED,
  SIGNAL_AGENTS_CHANGED,
  SIGNAL_YEAR_RUNS_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void connect_proxy (HsEngineClient *self);

static void
set_string (HsEngineClient  *self,
            char           **field,
            const char      *value,
            guint            prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_run (HsEngineClient  *self,
         HsRun          **field,
         HsRun           *run,
         guint            prop_id)
{
  if (*field == run)
    return;
  g_set_object (field, run);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_sync_error (HsEngineClient *self,
                const GError   *error)
{
  g_autofree char *text = error != NULL ? hs_engine_client_dup_error_text (error) : NULL;

  self->sync_error_remedy = error != NULL ? hs_remedy_for_error (error) : HS_REMEDY_NONE;
  set_string (self, &self->sync_error, text, PROP_SYNC_ERROR);
}

static void
set_available (HsEngineClient *self,
               gboolean        available)
{
  if (self->available == available)
    return;
  self->available = available;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
}

static const char *
not_running_message (void)
{
  return _("The HaloSync service is not running and did not start when asked. Start it again, or restart the computer if it still does not start.");
}

/**
 * hs_engine_client_dup_error_text:
 * @error: an error from a call to the service
 *
 * Turns an error from a D-Bus call into words for a person: the remote
 * error name is stripped, and a service that is gone is named as such.
 *
 * Returns: (transfer full): the text
 */
char *
hs_engine_client_dup_error_text (const GError *error)
{
  g_autoptr(GError) copy = NULL;

  g_return_val_if_fail (error != NULL, NULL);

  if (hs_remedy_for_error (error) == HS_REMEDY_START_SERVICE)
    return g_strdup (not_running_message ());

  copy = g_error_copy (error);
  g_dbus_error_strip_remote_error (copy);
  return g_strdup (copy->message);
}

static HsRun *
run_from_variant (GVariant *variant)
{
  g_autoptr(GError) error = NULL;
  HsRun *run;

  if (variant == NULL || g_variant_n_children (variant) == 0)
    return NULL;

  run = hs_run_new_from_variant (variant, &error);
  if (run == NULL)
    g_warning ("The service described a run the app cannot read: %s", error->message);
  return run;
}

static void
load_properties (HsEngineClient *self)
{
  g_autoptr(HsRun) current = NULL;
  g_autoptr(HsRun) last = NULL;
  gint64 next_run = 0;

  if (self->proxy != NULL && self->available)
    {
      current = run_from_variant (hs_ipc_engine1_get_current_run (self->proxy));
      /* A run that has ended is not going on, whatever the property
       * still says until the service updates it. */
      if (current != NULL && hs_run_is_finished (current))
        g_clear_object (&current);
      last = run_from_variant (hs_ipc_engine1_get_last_run (self->proxy));
      next_run = hs_ipc_engine1_get_next_run (self->proxy);
    }

  /* Replace a run only when it changed — another run, status or counts —
   * so widgets do not redraw on every property update.  The service
   * updates CurrentRun as often as it signals progress. */
  if (current == NULL || self->current_run == NULL ||
      hs_run_get_id (current) != hs_run_get_id (self->current_run) ||
      hs_run_get_status (current) != hs_run_get_status (self->current_run) ||
      hs_run_get_stage (current) != hs_run_get_stage (self->current_run) ||
      hs_run_get_retry_at (current) != hs_run_get_retry_at (self->current_run) ||
      hs_run_get_total (current, HS_COUNTER_FETCHED) != hs_run_get_total (self->current_run, HS_COUNTER_FETCHED) ||
      hs_run_get_total (current, HS_COUNTER_WRITTEN) != hs_run_get_total (self->current_run, HS_COUNTER_WRITTEN))
    set_run (self, &self->current_run, current, PROP_CURRENT_RUN);
  if (last == NULL || self->last_run == NULL ||
      hs_run_get_id (last) != hs_run_get_id (self->last_run))
    set_run (self, &self->last_run, last, PROP_LAST_RUN);

  if (self->next_run != next_run)
    {
      self->next_run = next_run;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_RUN]);
    }
}

static void
properties_changed_cb (GDBusProxy *proxy,
                       GVariant   *changed,
                       GStrv       invalidated,
                       gpointer    user_data)
{
  load_properties (HS_ENGINE_CLIENT (user_data));
}

static void
run_started_cb (HsIpcEngine1 *proxy,
                GVariant     *variant,
                gpointer      user_data)
{
  HsEngineClient *self = HS_ENGINE_CLIENT (user_data);
  g_autoptr(HsRun) run = run_from_variant (variant);

  if (run == NULL)
    return;

  set_sync_error (self, NULL);
  set_run (self, &self->current_run, run, PROP_CURRENT_RUN);
  /* A run of a year the app has not seen means someone created it
   * elsewhere (the CLI, a script). */
  if (hs_engine_client_find_fiscal_year (self, hs_run_get_fiscal_year (run)) == NULL)
    hs_engine_client_refresh_fiscal_years (self);
  g_signal_emit (self, signals[SIGNAL_RUN_STARTED], 0, run);
}

static void
progress_cb (HsIpcEngine1 *proxy,
             gint64        run_id,
             const char   *stage,
             const char   *stream,
             guint64       fetched,
             guint64       written,
             gpointer      user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_PROGRESS], 0, run_id, stage, stream, fetched, written);
}

/* Runs come newest first from the ledger and in order from RunFinished,
 * so a year's first run seen is kept unless a newer one arrives. */
static void
record_year_run (HsEngineClient *self,
                 HsRun          *run)
{
  const char *label = hs_run_get_fiscal_year (run);
  HsRun *known;

  if (!hs_run_is_finished (run))
    return;

  known = g_hash_table_lookup (self->year_last_runs, label);
  if (known == NULL || hs_run_get_id (run) > hs_run_get_id (known))
    g_hash_table_replace (self->year_last_runs, g_strdup (label), g_object_ref (run));

  if (hs_run_get_status (run) != HS_RUN_SUCCEEDED)
    return;
  known = g_hash_table_lookup (self->year_successes, label);
  if (known == NULL || hs_run_get_id (run) > hs_run_get_id (known))
    g_hash_table_replace (self->year_successes, g_strdup (label), g_object_ref (run));
}

static void
list_runs_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HsEngineClient) self = user_data;
  g_autoptr(GVariant) runs = NULL;
  g_autoptr(GError) error = NULL;
  GVariantIter iter;
  GVariant *child;

  if (!hs_ipc_engine1_call_list_runs_finish (HS_IPC_ENGINE1 (object), &runs, result, &error))
    {
      /* Without the ledger each year's state comes from RunFinished. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Cannot list the runs: %s", error->message);
      return;
    }

  g_variant_iter_init (&iter, runs);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr(GVariant) owned = child;
      g_autoptr(HsRun) run = run_from_variant (owned);

      if (run != NULL)
        record_year_run (self, run);
    }
  g_signal_emit (self, signals[SIGNAL_YEAR_RUNS_CHANGED], 0);
}

static void
load_year_runs (HsEngineClient *self)
{
  hs_ipc_engine1_call_list_runs (self->proxy, YEAR_RUNS_LIMIT, G_DBUS_CALL_FLAGS_NONE, -1,
                                 self->cancellable, list_runs_cb, g_object_ref (self));
}

static void
run_finished_cb (HsIpcEngine1 *proxy,
                 GVariant     *variant,
                 gpointer      user_data)
{
  HsEngineClient *self = HS_ENGINE_CLIENT (user_data);
  g_autoptr(HsRun) run = run_from_variant (variant);

  if (run == NULL)
    return;

  if (self->current_run != NULL && hs_run_get_id (self->current_run) == hs_run_get_id (run))
    set_run (self, &self->current_run, NULL, PROP_CURRENT_RUN);
  record_year_run (self, run);
  set_run (self, &self->last_run, run, PROP_LAST_RUN);
  g_signal_emit (self, signals[SIGNAL_YEAR_RUNS_CHANGED], 0);
  g_signal_emit (self, signals[SIGNAL_RUN_FINISHED], 0, run);
}

static void
list_fiscal_years_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(HsEngineClient) self = user_data;
  g_autoptr(GVariant) years = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func (g_object_unref);
  GVariantIter iter;
  const char *label, *start, *end;

  if (!hs_ipc_engine1_call_list_fiscal_years_finish (HS_IPC_ENGINE1 (object), &years, result, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = hs_engine_client_dup_error_text (error);
      set_string (self, &self->fiscal_years_error, text, PROP_FISCAL_YEARS_ERROR);
      return;
    }

  g_variant_iter_init (&iter, years);
  while (g_variant_iter_next (&iter, "(&s&s&s)", &label, &start, &end))
    {
      g_autoptr(GError) local_error = NULL;
      HsFiscalYear *year = hs_fiscal_year_new (label, start, end, &local_error);

      if (year == NULL)
        {
          g_warning ("The service listed a fiscal year the app cannot read: %s", local_error->message);
          continue;
        }
      g_ptr_array_add (parsed, year);
    }

  set_string (self, &self->fiscal_years_error, NULL, PROP_FISCAL_YEARS_ERROR);
  g_list_store_splice (self->fiscal_years, 0,
                       g_list_model_get_n_items (G_LIST_MODEL (self->fiscal_years)),
                       parsed->pdata, parsed->len);
}

/**
 * hs_engine_client_refresh_fiscal_years:
 * @self: the client
 *
 * Reloads the fiscal years from the service; the model changes when the
 * answer comes.
 */
void
hs_engine_client_refresh_fiscal_years (HsEngineClient *self)
{
  g_return_if_fail (HS_IS_ENGINE_CLIENT (self));

  if (self->proxy == NULL)
    return;

  hs_ipc_engine1_call_list_fiscal_years (self->proxy, G_DBUS_CALL_FLAGS_NONE, -1,
                                         self->cancellable,
                                         list_fiscal_years_cb, g_object_ref (self));
}

static void
set_window_active_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* At worst the service notifies about a run the window also shows. */
  if (!hs_ipc_engine1_call_set_window_active_finish (HS_IPC_ENGINE1 (object), result, &error))
    g_debug ("Could not tell the service whether the window is in front: %s", error->message);
}

static void
send_window_active (HsEngineClient *self)
{
  if (self->proxy != NULL)
    hs_ipc_engine1_call_set_window_active (self->proxy, self->window_active, G_DBUS_CALL_FLAGS_NONE, -1,
                                           self->cancellable, set_window_active_cb, NULL);
}

/**
 * hs_engine_client_set_window_active:
 * @self: the client
 * @active: whether one of the app's windows is in front
 *
 * Tells the service, now and whenever it starts again, so that it sends
 * no notification of a run the window in front reports itself.
 */
void
hs_engine_client_set_window_active (HsEngineClient *self,
                                    gboolean        active)
{
  g_return_if_fail (HS_IS_ENGINE_CLIENT (self));

  if (self->window_active == !!active)
    return;
  self->window_active = !!active;
  if (self->available)
    send_window_active (self);
}

static void
update_availability (HsEngineClient *self)
{
  g_autofree char *owner = NULL;

  if (self->proxy != NULL)
    owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (self->proxy));

  if (owner != NULL)
    {
      self->tried_activation = FALSE;
      set_string (self, &self->error_message, NULL, PROP_ERROR_MESSAGE);
      set_available (self, TRUE);
      load_properties (self);
      hs_engine_client_refresh_fiscal_years (self);
      load_year_runs (self);
      /* A service that started again knows nothing of our window. */
      if (self->window_active)
        send_window_active (self);
      return;
    }

  set_available (self, FALSE);
  load_properties (self);

  /* The service may have stopped on its own (an update, a crash); asking
   * for it again starts it through D-Bus activation.  Only once, so a
   * service that cannot start does not make us loop. */
  if (!self->tried_activation)
    {
      hs_engine_client_reconnect (self);
      return;
    }

  set_string (self, &self->error_message, not_running_message (), PROP_ERROR_MESSAGE);
}

static void
name_owner_changed_cb (GObject    *object,
                       GParamSpec *pspec,
                       gpointer    user_data)
{
  update_availability (HS_ENGINE_CLIENT (user_data));
}

/* A year created or deleted elsewhere (the CLI, a script). */
static void
fiscal_years_changed_cb (HsIpcEngine1 *proxy,
                         gpointer      user_data)
{
  hs_engine_client_refresh_fiscal_years (HS_ENGINE_CLIENT (user_data));
}

static void
agents_changed_cb (HsIpcEngine1 *proxy,
                   gpointer      user_data)
{
  g_signal_emit (user_data, signals[SIGNAL_AGENTS_CHANGED], 0);
}

static void
proxy_new_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HsEngineClient) self = user_data;
  g_autoptr(GError) error = NULL;
  HsIpcEngine1 *proxy;

  proxy = hs_ipc_engine1_proxy_new_for_bus_finish (result, &error);
  if (proxy == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("Cannot reach %s: %s", DAEMON_BUS_NAME, error->message);
      update_availability (self);
      return;
    }

  self->proxy = proxy;
  g_signal_connect_object (proxy, "notify::g-name-owner", G_CALLBACK (name_owner_changed_cb), self, 0);
  g_signal_connect_object (proxy, "g-properties-changed", G_CALLBACK (properties_changed_cb), self, 0);
  g_signal_connect_object (proxy, "run-started", G_CALLBACK (run_started_cb), self, 0);
  g_signal_connect_object (proxy, "progress", G_CALLBACK (progress_cb), self, 0);
  g_signal_connect_object (proxy, "run-finished", G_CALLBACK (run_finished_cb), self, 0);
  g_signal_connect_object (proxy, "fiscal-years-changed", G_CALLBACK (fiscal_years_changed_cb), self, 0);
  g_signal_connect_object (proxy, "agents-changed", G_CALLBACK (agents_changed_cb), self, 0);
  update_availability (self);
}

static void
connect_proxy (HsEngineClient *self)
{
  /* Creating the proxy starts the service when it is not running. */
  self->tried_activation = TRUE;
  hs_ipc_engine1_proxy_new_for_bus (self->bus_type,
                                    G_DBUS_PROXY_FLAGS_NONE,
                                    DAEMON_BUS_NAME,
                                    DAEMON_OBJECT_PATH,
                                    self->cancellable,
                                    proxy_new_cb,
                                    g_object_ref (self));
}

/**
 * hs_engine_client_reconnect:
 * @self: the client
 *
 * Drops the current connection and asks for the service again, starting
 * it through D-Bus activation when it is not running.
 */
void
hs_engine_client_reconnect (HsEngineClient *self)
{
  g_return_if_fail (HS_IS_ENGINE_CLIENT (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->proxy != NULL)
    g_signal_handlers_disconnect_by_data (self->proxy, self);
  g_clear_object (&self->proxy);
  connect_proxy (self);
}

static void
sync_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(HsEngineClient) self = user_data;
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsRun) run = NULL;

  if (!hs_ipc_engine1_call_sync_finish (HS_IPC_ENGINE1 (object), &variant, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_sync_error (self, error);
      return;
    }

  /* RunStarted may come later (the run can be queued); show the run as
   * ours from now on so the button turns into Cancel at once. */
  run = run_from_variant (variant);
  if (run != NULL && self->current_run == NULL && !hs_run_is_finished (run))
    set_run (self, &self->current_run, run, PROP_CURRENT_RUN);
}

/**
 * hs_engine_client_sync:
 * @self: the client
 * @fiscal_year: (nullable): the year to sync, or %NULL for the latest
 *
 * Asks the service for a manual incremental sync.  A refusal is reported
 * through #HsEngineClient:sync-error.
 */
void
hs_engine_client_sync (HsEngineClient *self,
                       const char     *fiscal_year)
{
  hs_engine_client_sync_full (self, fiscal_year, HS_SYNC_INCREMENTAL, HS_SYNC_FLAGS_NONE);
}

/**
 * hs_engine_client_sync_full:
 * @self: the client
 * @fiscal_year: (nullable): the year to sync, or %NULL for the latest
 * @mode: incremental, or full to find what Halo deleted
 * @flags: %HS_SYNC_FLAGS_DRY_RUN to only report what would change
 *
 * Asks the service for a manual sync as @mode and @flags say.  A refusal
 * is reported through #HsEngineClient:sync-error.
 */
void
hs_engine_client_sync_full (HsEngineClient *self,
                            const char     *fiscal_year,
                            HsSyncMode      mode,
                            HsSyncFlags     flags)
{
  g_auto(GVariantDict) options = G_VARIANT_DICT_INIT (NULL);

  g_return_if_fail (HS_IS_ENGINE_CLIENT (self));

  if (self->proxy == NULL)
    return;

  set_sync_error (self, NULL);
  g_variant_dict_insert (&options, "trigger", "s", "manual");
  if (mode == HS_SYNC_FULL)
    g_variant_dict_insert (&options, "full", "b", TRUE);
  if (flags & HS_SYNC_FLAGS_DRY_RUN)
    g_variant_dict_insert (&options, "dry-run", "b", TRUE);
  if (flags & HS_SYNC_FLAGS_ALLOW_MASS_DELETE)
    g_variant_dict_insert (&options, "allow-mass-delete", "b", TRUE);
  hs_ipc_engine1_call_sync (self->proxy,
                            fiscal_year != NULL ? fiscal_year : "",
                            g_variant_dict_end (&options),
                            G_DBUS_CALL_FLAGS_NONE,
                            -1,
                            self->cancellable,
                            sync_cb,
                            g_object_ref (self));
}

static void
cancel_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HsEngineClient) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The run ended on its own while we asked: nothing to report. */
  if (!hs_ipc_engine1_call_cancel_finish (HS_IPC_ENGINE1 (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_error_matches (error, HS_ERROR, HS_ERROR_NOT_FOUND))
    set_sync_error (self, error);
}

/**
 * hs_engine_client_cancel:
 * @self: the client
 *
 * Cancels the current run, if there is one.
 */
void
hs_engine_client_cancel (HsEngineClient *self)
{
  g_return_if_fail (HS_IS_ENGINE_CLIENT (self));

  if (self->proxy == NULL || self->current_run == NULL)
    return;

  /* The service names a run by its year: a queued run has no id yet. */
  hs_ipc_engine1_call_cancel (self->proxy,
                              hs_run_get_fiscal_year (self->current_run),
                              G_DBUS_CALL_FLAGS_NONE,
                              -1,
                              self->cancellable,
                              cancel_cb,
                              g_object_ref (self));
}

static void
hs_engine_client_dispose (GObject *object)
{
  HsEngineClient *self = HS_ENGINE_CLIENT (object);

  g_cancellable_cancel (self->cancellable);
  if (self->proxy != NULL)
    g_signal_handlers_disconnect_by_data (self->proxy, self);
  g_clear_object (&self->proxy);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->current_run);
  g_clear_object (&self->last_run);

  G_OBJECT_CLASS (hs_engine_client_parent_class)->dispose (object);
}

static void
hs_engine_client_finalize (GObject *object)
{
  HsEngineClient *self = HS_ENGINE_CLIENT (object);

  g_clear_object (&self->fiscal_years);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->fiscal_years_error, g_free);
  g_clear_pointer (&self->sync_error, g_free);
  g_clear_pointer (&self->year_last_runs, g_hash_table_unref);
  g_clear_pointer (&self->year_successes, g_hash_table_unref);

  G_OBJECT_CLASS (hs_engine_client_parent_class)->finalize (object);
}

static void
hs_engine_client_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  HsEngineClient *self = HS_ENGINE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;

    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;

    case PROP_FISCAL_YEARS:
      g_value_set_object (value, self->fiscal_years);
      break;

    case PROP_FISCAL_YEARS_ERROR:
      g_value_set_string (value, self->fiscal_years_error);
      break;

    case PROP_CURRENT_RUN:
      g_value_set_object (value, self->current_run);
      break;

    case PROP_LAST_RUN:
      g_value_set_object (value, self->last_run);
      break;

    case PROP_NEXT_RUN:
      g_value_set_int64 (value, self->next_run);
      break;

    case PROP_SYNC_ERROR:
      g_value_set_string (value, self->sync_error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_engine_client_class_init (HsEngineClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hs_engine_client_dispose;
  object_class->finalize = hs_engine_client_finalize;
  object_class->get_property = hs_engine_client_get_property;

  /* Registers HS_ERROR with GDBus, so the service's errors arrive in our
   * domain with their codes. */
  (void) hs_error_quark ();

  properties[PROP_AVAILABLE] =
    g_param_spec_boolean ("available", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FISCAL_YEARS] =
    g_param_spec_object ("fiscal-years", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FISCAL_YEARS_ERROR] =
    g_param_spec_string ("fiscal-years-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CURRENT_RUN] =
    g_param_spec_object ("current-run", NULL, NULL, HS_TYPE_RUN,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LAST_RUN] =
    g_param_spec_object ("last-run", NULL, NULL, HS_TYPE_RUN,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NEXT_RUN] =
    g_param_spec_int64 ("next-run", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SYNC_ERROR] =
    g_param_spec_string ("sync-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_RUN_STARTED] =
    g_signal_new ("run-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, HS_TYPE_RUN);
  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 5,
                  G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT64, G_TYPE_UINT64);
  signals[SIGNAL_RUN_FINISHED] =
    g_signal_new ("run-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, HS_TYPE_RUN);

  /* The service's agents or their mappings changed. */
  signals[SIGNAL_AGENTS_CHANGED] =
    g_signal_new ("agents-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /* A year's last run or last success changed, or were read. */
  signals[SIGNAL_YEAR_RUNS_CHANGED] =
    g_signal_new ("year-runs-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
hs_engine_client_init (HsEngineClient *self)
{
  self->cancellable = g_cancellable_new ();
  self->fiscal_years = g_list_store_new (HS_TYPE_FISCAL_YEAR);
  self->year_last_runs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->year_successes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

/**
 * hs_engine_client_new:
 * @bus_type: the bus the service is on (the session bus in practice)
 *
 * Returns: (transfer full): a service wrapper that starts connecting at once
 */
HsEngineClient *
hs_engine_client_new (GBusType bus_type)
{
  HsEngineClient *self = g_object_new (HS_TYPE_ENGINE_CLIENT, NULL);

  self->bus_type = bus_type;
  connect_proxy (self);
  return self;
}

gboolean
hs_engine_client_get_available (HsEngineClient *self)
{
  g_return_val_if_fail (HS_IS_ENGINE_CLIENT (self), FALSE);
  return self->available;
}

const char *
hs_engine_client_get_error_message (HsEngineClient *self)
{
  g_return_val_if_fail (HS_IS_ENGINE_CLIENT (self), NULL);
  return self->error_message;
}

HsIpcEngine1 *
hs_engine_client_get_proxy (HsEngineClient *self)
{
  g_return_val_if_fail (HS_IS_ENGINE_CLIENT (self), NULL);
  return self->available ? self->proxy : NULL;
}

GListModel *
hs_engine_client_get_fiscal_years (HsEngineClient *self)
{
  g_return_val_if_fail (HS_IS_ENGINE_CLIENT (self), NULL);
  return G_LIST_MODEL (self->fiscal_years);
}

const char *
hs_engine_client_get_fiscal_years_error (HsEngineClient *self)
{
  g_return_val_if_fail (HS_IS_ENGINE_CLIENT (self), NULL);
  return self->fiscal_years_error;
}

/**
 * hs_engine_client_find_fiscal_year:
 * @self: the client
 * @label: a label
 *
 * Returns: (transfer none) (nullable): the year with that label
 */
HsFiscalYear *
hs_engine_client_find_fiscal_year (HsEngineClient *self,
                                   const char     *label)
{
  guint n;

  g_return_val_if_fail (HS_IS_ENGINE_CLIENT (self), NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->fiscal_years));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HsFiscalYear) year = g_list_model_get_item (G_LIST_MODEL (self->fiscal_years), i);

      if (g_strcmp0 (hs_fiscal_year_get_label (year), label) == 0)
        return year;
    }
  return NULL;
}

/**
 * hs_engine_client_get_latest_fiscal_year:
 * @self: the client
 *
 * Returns: (transfer none) (nullable): the latest year, as
 *   hs_fiscal_year_find_latest() defines it: the one a sync without a
 *   year name covers
 */
HsFiscalYear *
hs_engine_client_get_latest_fiscal_year (HsEngineClient *self)
{
  GListModel *years;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (HS_IS_ENGINE_CLIENT (self), NULL);

  years = G_LIST_MODEL (self->fiscal_years);
  for (guint i = 0; i < g_list_model_get_n_items (years); i++)
    g_ptr_array_add (items, g_list_model_get_item (years, i));
  /* The store holds a reference of its own. */
  return hs_fiscal_year_find_latest (items, NULL);
}

HsRun *
hs_engine_client_get_current_run (HsEngineClient *self)
{
  g_return_val_if_fail (HS_IS_ENGINE_CLIENT (self), NULL);
  return self->current_run;
}

HsRun *
hs_engine_client_get_last_run (HsEngineClient *self)
{
  g_return_val_if_fail (HS_IS_ENGINE_CLIENT (self), NULL);
  return self->last_run;
}

gint64
hs_engine_client_get_next_run (HsEngineClient *self)
{
  g_return_val_if_fail (HS_IS_ENGINE_CLIENT (self), 0);
  return self->next_run;
}

const char *
hs_engine_client_get_sync_error (HsEngineClient *self)
{
  g_return_val_if_fail (HS_IS_ENGINE_CLIENT (self), NULL);
  return self->sync_error;
}

/**
 * hs_engine_client_get_sync_error_remedy:
 * @self: the client
 *
 * Returns: what fixes #HsEngineClient:sync-error
 */
HsRemedy
hs_engine_client_get_sync_error_remedy (HsEngineClient *self)
{
  g_return_val_if_fail (HS_IS_ENGINE_CLIENT (self), HS_REMEDY_NONE);
  return self->sync_error_remedy;
}

/**
 * hs_engine_client_get_year_last_run:
 * @self: the client
 * @label: a fiscal-year label
 *
 * Returns: (transfer none) (nullable): the year's most recently finished run
 */
HsRun *
hs_engine_client_get_year_last_run (HsEngineClient *self,
                                    const char     *label)
{
  g_return_val_if_fail (HS_IS_ENGINE_CLIENT (self), NULL);
  return label != NULL ? g_hash_table_lookup (self->year_last_runs, label) : NULL;
}

/**
 * hs_engine_client_get_year_last_success:
 * @self: the client
 * @label: a fiscal-year label
 *
 * Returns: (transfer none) (nullable): the year's last successful run,
 *   which the data in the database is as fresh as
 */
HsRun *
hs_engine_client_get_year_last_success (HsEngineClient *self,
                                        const char     *label)
{
  g_return_val_if_fail (HS_IS_ENGINE_CLIENT (self), NULL);
  return label != NULL ? g_hash_table_lookup (self->year_successes, label) : NULL;
}
