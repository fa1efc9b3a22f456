/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <unistd.h>

#include <halosync.h>

#include "hs-daemon.h"
#include "hs-scheduler.h"
#include "hs-engine-service.h"

#define OBJECT_PATH "/org/example/HaloSync/Engine"
/* With the schedule off, the service leaves after a minute without work;
 * D-Bus activation brings it back when someone calls. */
#define IDLE_TIMEOUT_MS (60 * 1000)
/* How long a stopping service waits for its run to roll back and record
 * itself; well inside systemd's 90 s before it kills. */
#define STOP_TIMEOUT_S 30

/**
 * HsDaemon:
 *
 * `halosyncd`, the user service that owns every sync: it exports
 * `org.example.HaloSync.Engine1`, runs the automatic sync of the latest
 * fiscal year at minute 0 of the hour, catches up a slot missed while it
 * was stopped or the machine slept, waits for a usable network, and tells
 * the user when an unattended run fails: a notification under its own
 * (hidden) desktop file, whose click opens the run in the desktop app and
 * whose Retry syncs the year again.
 */
struct _HsDaemon
{
  GApplication parent_instance;

  HsEngine *engine;          /* (owned) */
  HsEngineService *service;        /* (owned) (nullable): while registered */
  HsScheduler *scheduler;    /* (owned) */
  GNetworkMonitor *monitor;  /* (unowned) */
  GDBusConnection *system_bus;  /* (owned) (nullable) */
  guint sleep_subscription;
  guint sigterm_source;
  guint sigint_source;
  gboolean schedule_held;
  guint runs_held;
  gboolean stopping;
  gboolean restoring;        /* the ledger is being read on the sink's thread */
};

G_DEFINE_FINAL_TYPE (HsDaemon, hs_daemon, G_TYPE_APPLICATION)

static void
update_hold (HsDaemon *self)
{
  gboolean want = hs_scheduler_get_enabled (self->scheduler);

  /* The hourly timer needs the process; without it the service may go. */
  if (want && !self->schedule_held)
    g_application_hold (G_APPLICATION (self));
  else if (!want && self->schedule_held)
    g_application_release (G_APPLICATION (self));
  self->schedule_held = want;
}

static void
schedule_changed_cb (HsDaemon   *self,
                     GParamSpec *pspec,
                     HsConfig   *config)
{
  hs_scheduler_set_interval (self->scheduler, hs_config_get_schedule_interval (config));
  hs_scheduler_set_allow_metered (self->scheduler, hs_config_get_sync_on_metered (config));
  hs_scheduler_set_enabled (self->scheduler, hs_config_get_schedule_enabled (config));
  update_hold (self);
}

static void
network_changed_cb (HsDaemon        *self,
                    gboolean         available,
                    GNetworkMonitor *monitor)
{
  hs_scheduler_set_network (self->scheduler,
                            g_network_monitor_get_network_available (monitor),
                            g_network_monitor_get_network_metered (monitor));
}

static void
network_metered_cb (HsDaemon        *self,
                    GParamSpec      *pspec,
                    GNetworkMonitor *monitor)
{
  network_changed_cb (self, TRUE, monitor);
}

static void
next_run_cb (HsDaemon    *self,
             GParamSpec  *pspec,
             HsScheduler *scheduler)
{
  if (self->service != NULL)
    hs_ipc_engine1_set_next_run (HS_IPC_ENGINE1 (self->service), hs_scheduler_get_next_run (scheduler));
}

/* The last slot that ran survives restarts, so a slot missed while the
 * service was stopped is caught up once when it starts. */
static void
last_slot_cb (HsDaemon    *self,
              GParamSpec  *pspec,
              HsScheduler *scheduler)
{
  GSettings *settings = hs_config_get_settings (hs_engine_get_config (self->engine));

  if (settings != NULL)
    g_settings_set_int64 (settings, "last-scheduled-run", hs_scheduler_get_last_slot (scheduler));
}

/* For the runs the service starts itself; @user_data is their trigger. */
static void
sync_started_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HsTrigger trigger = GPOINTER_TO_INT (user_data);
  g_autoptr(HsRun) run = NULL;
  g_autoptr(GError) error = NULL;

  /* A run that cannot start (no database, no fiscal year) never ends
   * either, so it is logged here with the fields of a failed run. */
  run = hs_engine_start_sync_finish (HS_ENGINE (object), result, &error);
  if (run == NULL)
    g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                      "HALOSYNC_TRIGGER", hs_trigger_to_string (trigger),
                      "HALOSYNC_STATUS", hs_run_status_to_string (HS_RUN_FAILED),
                      "MESSAGE", "The %s sync did not start: %s", hs_trigger_to_string (trigger), error->message);
}

static void
run_due_cb (HsDaemon    *self,
            gint64       slot,
            HsScheduler *scheduler)
{
  hs_engine_start_sync_async (self->engine, NULL, HS_SYNC_INCREMENTAL, HS_SYNC_FLAGS_NONE,
                              HS_TRIGGER_HOURLY, NULL, sync_started_cb, GINT_TO_POINTER (HS_TRIGGER_HOURLY));
}

static void
run_started_cb (HsDaemon *self,
                HsRun    *run)
{
  self->runs_held++;
  g_application_hold (G_APPLICATION (self));
}

/* One line in the journal for the end of every run, found by its fields
 * (`journalctl --user HALOSYNC_STATUS=failed`): an hourly run that fails
 * at night leaves a trace even when nobody saw its notification. */
static void
log_run_end (HsRun *run)
{
  HsRunStatus status = hs_run_get_status (run);
  const char *status_text = hs_run_status_to_string (status);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, hs_run_get_id (run));
  g_autofree char *written = g_strdup_printf ("%" G_GUINT64_FORMAT, hs_run_get_total (run, HS_COUNTER_WRITTEN));

  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                    "HALOSYNC_RUN_ID", id,
                    "HALOSYNC_FISCAL_YEAR", hs_run_get_fiscal_year (run),
                    "HALOSYNC_TRIGGER", hs_trigger_to_string (hs_run_get_trigger (run)),
                    "HALOSYNC_STATUS", status_text,
                    "HALOSYNC_RECORDS_WRITTEN", written,
                    "MESSAGE", "Run %s (%s sync of %s) %s%s%s",
                    id, hs_trigger_to_string (hs_run_get_trigger (run)), hs_run_get_fiscal_year (run),
                    status_text,
                    hs_run_get_error_message (run) != NULL ? ": " : "",
                    hs_run_get_error_message (run) != NULL ? hs_run_get_error_message (run) : "");
}

/* One notification per fiscal year: a later failure replaces it, and a
 * later success takes it away. */
static char *
dup_failure_notification_id (HsRun *run)
{
  return g_strconcat ("sync-failed-", hs_run_get_fiscal_year (run), NULL);
}

static void
notify_failure (HsDaemon *self,
                HsRun    *run)
{
  g_autoptr(GNotification) notification = NULL;
  g_autoptr(GIcon) icon = g_themed_icon_new (HS_APP_ID);
  g_autofree char *title = g_strdup_printf (_("HaloSync could not sync %s"), hs_run_get_fiscal_year (run));
  g_autofree char *id = dup_failure_notification_id (run);

  notification = g_notification_new (title);
  g_notification_set_body (notification, hs_run_get_error_message (run));
  g_notification_set_icon (notification, icon);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_set_default_action_and_target_value (notification, "app.show-run",
                                                      g_variant_new_int64 (hs_run_get_id (run)));
  g_notification_add_button_with_target_value (notification, _("Retry"), "app.retry",
                                               g_variant_new_string (hs_run_get_fiscal_year (run)));
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

static void
run_finished_cb (HsDaemon *self,
                 HsRun    *run)
{
  HsTrigger trigger = hs_run_get_trigger (run);
  HsRunStatus status = hs_run_get_status (run);

  log_run_end (run);

  /* Nobody watches an automatic run: a failure is worth a notification,
   * unless the desktop app is in front, where it shows the failure itself.
   * Runs someone started report to that someone. */
  if (status == HS_RUN_FAILED && (trigger == HS_TRIGGER_HOURLY || trigger == HS_TRIGGER_FISCAL_YEAR) &&
      (self->service == NULL || !hs_engine_service_get_window_active (self->service)))
    notify_failure (self, run);
  else if (status == HS_RUN_SUCCEEDED && !hs_run_get_dry_run (run))
    {
      g_autofree char *id = dup_failure_notification_id (run);

      g_application_withdraw_notification (G_APPLICATION (self), id);
    }

  /* A run that never started (cancelled while queued) took no hold. */
  if (self->runs_held > 0 && hs_run_get_started_at (run) > 0)
    {
      self->runs_held--;
      g_application_release (G_APPLICATION (self));
    }
}

static void
prepare_for_sleep_cb (GDBusConnection *connection,
                      const char      *sender,
                      const char      *path,
                      const char      *interface,
                      const char      *signal,
                      GVariant        *parameters,
                      gpointer         user_data)
{
  HsDaemon *self = user_data;
  gboolean going_to_sleep = TRUE;

  g_variant_get (parameters, "(b)", &going_to_sleep);
  if (!going_to_sleep)
    {
      g_debug ("Resumed from suspend; checking for a missed automatic sync");
      hs_scheduler_check (self->scheduler);
    }
}

static void
watch_sleep (HsDaemon *self)
{
  g_autoptr(GError) error = NULL;

  self->system_bus = g_bus_get_sync (G_BUS_TYPE_SYSTEM, NULL, &error);
  if (self->system_bus == NULL)
    {
      g_debug ("No system bus, so no resume notifications: %s", error->message);
      return;
    }

  self->sleep_subscription =
    g_dbus_connection_signal_subscribe (self->system_bus, "org.freedesktop.login1",
                                        "org.freedesktop.login1.Manager", "PrepareForSleep",
                                        "/org/freedesktop/login1", NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                        prepare_for_sleep_cb, self, NULL);
}

/* Only the service's own user may drive it.  The session bus is normally
 * reachable only by that user anyway; this holds even when it is not. */
static gboolean
authorize_method_cb (GDBusInterfaceSkeleton *skeleton,
                     GDBusMethodInvocation  *invocation,
                     gpointer                user_data)
{
  GDBusConnection *connection = g_dbus_method_invocation_get_connection (invocation);
  const char *sender = g_dbus_method_invocation_get_sender (invocation);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint32 uid;

  if (sender == NULL)
    return TRUE;  /* a peer-to-peer connection, authenticated as this user */

  /* Asked on every call, not cached: calls are few, and a cache would
   * hold every client that ever called for the service's lifetime. */
  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetConnectionUnixUser",
                                       g_variant_new ("(s)", sender), G_VARIANT_TYPE ("(u)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  if (reply == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED,
                                             _("Cannot tell who is calling: %s"), error->message);
      return FALSE;
    }
  g_variant_get (reply, "(u)", &uid);

  if (uid != (guint32) getuid ())
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_ACCESS_DENIED,
                                             _("Only the user running HaloSync may call it"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
hs_daemon_dbus_register (GApplication    *application,
                         GDBusConnection *connection,
                         const char      *object_path,
                         GError         **error)
{
  HsDaemon *self = HS_DAEMON (application);

  if (!G_APPLICATION_CLASS (hs_daemon_parent_class)->dbus_register (application, connection,
                                                                      object_path, error))
    return FALSE;

  self->service = hs_engine_service_new (self->engine);
  g_signal_connect (self->service, "g-authorize-method", G_CALLBACK (authorize_method_cb), NULL);
  hs_ipc_engine1_set_next_run (HS_IPC_ENGINE1 (self->service), hs_scheduler_get_next_run (self->scheduler));
  return g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->service), connection,
                                           OBJECT_PATH, error);
}

static void
hs_daemon_dbus_unregister (GApplication    *application,
                           GDBusConnection *connection,
                           const char      *object_path)
{
  HsDaemon *self = HS_DAEMON (application);

  if (self->service != NULL)
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->service));
  g_clear_object (&self->service);

  G_APPLICATION_CLASS (hs_daemon_parent_class)->dbus_unregister (application, connection, object_path);
}

static gboolean
stop_timeout_cb (gpointer user_data)
{
  HsDaemon *self = user_data;

  g_warning ("The running sync did not end within %d s of the stop; leaving anyway", STOP_TIMEOUT_S);
  g_application_quit (G_APPLICATION (self));
  return G_SOURCE_REMOVE;
}

static void
stopped_run_finished_cb (HsDaemon *self,
                         HsRun    *run)
{
  if (hs_engine_get_current_run (self->engine) == NULL)
    g_application_quit (G_APPLICATION (self));
}

/* SIGTERM (systemctl stop, logout) and SIGINT: a running sync is
 * cancelled, rolls back and records why before the service leaves, with
 * exit status 0.  A second signal leaves at once. */
static gboolean
stop_signal_cb (gpointer user_data)
{
  HsDaemon *self = user_data;

  if (self->stopping || !hs_engine_stop (self->engine))
    {
      g_application_quit (G_APPLICATION (self));
      return G_SOURCE_CONTINUE;
    }

  g_message ("Stopping: cancelling the running sync first");
  self->stopping = TRUE;
  g_signal_connect_object (self->engine, "run-finished", G_CALLBACK (stopped_run_finished_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, STOP_TIMEOUT_S, stop_timeout_cb,
                              g_object_ref (self), g_object_unref);
  return G_SOURCE_CONTINUE;
}

static void
restore_last_run_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(HsDaemon) self = user_data;
  g_autoptr(GError) error = NULL;

  self->restoring = FALSE;
  if (!hs_engine_restore_last_run_finish (HS_ENGINE (object), result, &error))
    g_message ("Could not read the last sync from the database: %s", error->message);
}

static gboolean
set_flag_cb (gpointer user_data)
{
  gboolean *flag = user_data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

/* The first read opens the database, and opening it loads libgda's
 * provider module on the sink's thread.  A process that exits meanwhile
 * runs its libraries' destructors under that dlopen(), which then runs
 * GObject's constructor a second time and aborts: a service stopped
 * right after it started must let the read end first. */
static void
wait_for_restore (HsDaemon *self)
{
  gboolean timed_out = FALSE;
  guint timeout;

  if (!self->restoring)
    return;
  timeout = g_timeout_add_seconds (STOP_TIMEOUT_S, set_flag_cb, &timed_out);
  while (self->restoring && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout);
  else
    g_warning ("The database did not answer within %d s of the stop; leaving anyway", STOP_TIMEOUT_S);
}

static void
hs_daemon_startup (GApplication *application)
{
  HsDaemon *self = HS_DAEMON (application);
  HsConfig *config = hs_engine_get_config (self->engine);
  GSettings *settings = hs_config_get_settings (config);

  G_APPLICATION_CLASS (hs_daemon_parent_class)->startup (application);

  hs_engine_load_plugins (self->engine);
  self->restoring = TRUE;
  hs_engine_restore_last_run_async (self->engine, NULL, restore_last_run_cb, g_object_ref (self));

  if (settings != NULL)
    hs_scheduler_set_last_slot (self->scheduler, g_settings_get_int64 (settings, "last-scheduled-run"));
  hs_scheduler_set_interval (self->scheduler, hs_config_get_schedule_interval (config));
  hs_scheduler_set_allow_metered (self->scheduler, hs_config_get_sync_on_metered (config));
  hs_scheduler_set_enabled (self->scheduler, hs_config_get_schedule_enabled (config));

  g_signal_connect_object (config, "notify::schedule-enabled", G_CALLBACK (schedule_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (config, "notify::schedule-interval", G_CALLBACK (schedule_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (config, "notify::sync-on-metered", G_CALLBACK (schedule_changed_cb), self, G_CONNECT_SWAPPED);

  self->monitor = g_network_monitor_get_default ();
  g_signal_connect_object (self->monitor, "network-changed", G_CALLBACK (network_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->monitor, "notify::network-metered", G_CALLBACK (network_metered_cb), self, G_CONNECT_SWAPPED);
  network_changed_cb (self, TRUE, self->monitor);

  g_signal_connect_object (self->scheduler, "run-due", G_CALLBACK (run_due_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scheduler, "notify::next-run", G_CALLBACK (next_run_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scheduler, "notify::last-slot", G_CALLBACK (last_slot_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "run-started", G_CALLBACK (run_started_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->engine, "run-finished", G_CALLBACK (run_finished_cb), self, G_CONNECT_SWAPPED);

  watch_sleep (self);
  self->sigterm_source = g_unix_signal_add (SIGTERM, stop_signal_cb, self);
  self->sigint_source = g_unix_signal_add (SIGINT, stop_signal_cb, self);
  g_application_set_inactivity_timeout (application, IDLE_TIMEOUT_MS);
  update_hold (self);
  hs_scheduler_start (self->scheduler);
}

static void
hs_daemon_shutdown (GApplication *application)
{
  HsDaemon *self = HS_DAEMON (application);

  wait_for_restore (self);
  if (self->system_bus != NULL && self->sleep_subscription != 0)
    g_dbus_connection_signal_unsubscribe (self->system_bus, self->sleep_subscription);
  self->sleep_subscription = 0;
  g_clear_handle_id (&self->sigterm_source, g_source_remove);
  g_clear_handle_id (&self->sigint_source, g_source_remove);
  g_clear_object (&self->system_bus);

  G_APPLICATION_CLASS (hs_daemon_parent_class)->shutdown (application);
}

static void
open_app_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    g_message ("Could not open the HaloSync app at the failed sync: %s", error->message);
}

/* app.show-run (x): the notification's click, passed on to the desktop
 * app (started by D-Bus activation if need be), which shows the run. */
static void
show_run_cb (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GDBusConnection *connection = g_application_get_dbus_connection (G_APPLICATION (user_data));
  g_autofree char *path = g_strconcat ("/", HS_APP_ID, NULL);

  if (connection == NULL)
    return;
  g_strdelimit (path, ".", '/');
  g_dbus_connection_call (connection, HS_APP_ID, path, "org.freedesktop.Application", "ActivateAction",
                          g_variant_new ("(s@av@a{sv})", "show-run",
                                         g_variant_new_array (G_VARIANT_TYPE_VARIANT,
                                                              (GVariant *[]) { g_variant_new_variant (parameter) }, 1),
                                         g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)),
                          NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, open_app_cb, NULL);
}

/* app.retry (s): the notification's Retry, a person's request. */
static void
retry_cb (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  HsDaemon *self = user_data;

  hs_engine_start_sync_async (self->engine, g_variant_get_string (parameter, NULL), HS_SYNC_INCREMENTAL,
                              HS_SYNC_FLAGS_NONE, HS_TRIGGER_MANUAL, NULL, sync_started_cb,
                              GINT_TO_POINTER (HS_TRIGGER_MANUAL));
}

static void
hs_daemon_activate (GApplication *application)
{
  /* A service has no window; being started is all activation means. */
}

static void
hs_daemon_dispose (GObject *object)
{
  HsDaemon *self = HS_DAEMON (object);

  g_clear_object (&self->service);
  g_clear_object (&self->scheduler);
  g_clear_object (&self->engine);

  G_OBJECT_CLASS (hs_daemon_parent_class)->dispose (object);
}

static void
hs_daemon_class_init (HsDaemonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = hs_daemon_dispose;
  application_class->startup = hs_daemon_startup;
  application_class->shutdown = hs_daemon_shutdown;
  application_class->activate = hs_daemon_activate;
  application_class->dbus_register = hs_daemon_dbus_register;
  application_class->dbus_unregister = hs_daemon_dbus_unregister;
}

static void
hs_daemon_init (HsDaemon *self)
{
  static const GActionEntry actions[] = {
    { .name = "show-run", .activate = show_run_cb, .parameter_type = "x" },
    { .name = "retry", .activate = retry_cb, .parameter_type = "s" },
  };

  self->engine = hs_engine_new (NULL);
  self->scheduler = hs_scheduler_new (NULL);
  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);
}

HsDaemon *
hs_daemon_new (void)
{
  return g_object_new (HS_TYPE_DAEMON,
                       "application-id", "org.example.HaloSync.Daemon",
                       "flags", G_APPLICATION_IS_SERVICE,
                       NULL);
}
