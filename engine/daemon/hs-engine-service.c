/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "hs-engine-service.h"

/* Bounds on what a caller may send: nothing legitimate is longer, and the
 * service should not hold arbitrary amounts of a caller's memory. */
#define MAX_RUNS_LISTED 1000
#define MAX_TEXT_LENGTH 1024

/**
 * HsEngineService:
 *
 * The implementation of `org.example.HaloSync.Engine1` on top of an
 * #HsEngine.  `halosyncd` exports it on the session bus; `halosyncctl
 * --local` exports it on a private in-process connection, so both modes
 * answer, validate and fail in exactly the same way.
 *
 * Every argument is validated before the engine sees it, and every error
 * crosses the bus as a registered `org.example.HaloSync.Error.*` name with
 * a message a person can act on.
 */
struct _HsEngineService
{
  HsIpcEngine1Skeleton parent_instance;

  HsEngine *engine;  /* (owned) */
  GHashTable *active_windows;  /* (owned): unique bus name → watch id */
};

static void hs_engine_service_iface_init (HsIpcEngine1Iface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HsEngineService, hs_engine_service, HS_IPC_TYPE_ENGINE1_SKELETON,
                               G_IMPLEMENT_INTERFACE (HS_IPC_TYPE_ENGINE1, hs_engine_service_iface_init))

/* Errors from outside HaloSync's domain (a cancelled wait, an I/O error)
 * still cross the bus with one of HaloSync's names. */
static void
return_error (GDBusMethodInvocation *invocation,
              const GError          *error)
{
  if (error->domain == HS_ERROR)
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    g_dbus_method_invocation_return_error_literal (invocation, HS_ERROR, HS_ERROR_FAILED, error->message);
}

static gboolean
check_text (GDBusMethodInvocation *invocation,
            const char            *what,
            const char            *text)
{
  if (strlen (text) > MAX_TEXT_LENGTH)
    {
      g_dbus_method_invocation_return_error (invocation, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                                             _("The %s is longer than %d bytes"), what, MAX_TEXT_LENGTH);
      return FALSE;
    }
  return TRUE;
}

static void
update_runs (HsEngineService *self)
{
  HsRun *current = hs_engine_get_current_run (self->engine);
  HsRun *last = hs_engine_get_last_run (self->engine);
  g_autoptr(GVariant) empty = g_variant_ref_sink (g_variant_new ("a{sv}", NULL));

  hs_ipc_engine1_set_current_run (HS_IPC_ENGINE1 (self),
                                  current != NULL ? hs_run_to_variant (current) : empty);
  hs_ipc_engine1_set_last_run (HS_IPC_ENGINE1 (self),
                               last != NULL ? hs_run_to_variant (last) : empty);
}

/* Property changes go out in an idle; flushing them first means a client
 * that hears RunStarted or RunFinished already sees CurrentRun and LastRun
 * as they are after it. */
static void
run_started_cb (HsEngineService *self,
                HsRun           *run)
{
  update_runs (self);
  g_dbus_interface_skeleton_flush (G_DBUS_INTERFACE_SKELETON (self));
  hs_ipc_engine1_emit_run_started (HS_IPC_ENGINE1 (self), hs_run_to_variant (run));
}

static void
run_progress_cb (HsEngineService *self,
                 HsRun           *run)
{
  /* CurrentRun carries the per-stream counts; the engine calls this at
   * most about ten times a second. */
  hs_ipc_engine1_set_current_run (HS_IPC_ENGINE1 (self), hs_run_to_variant (run));
  hs_ipc_engine1_emit_progress (HS_IPC_ENGINE1 (self),
                                hs_run_get_id (run),
                                hs_run_stage_to_string (hs_run_get_stage (run)),
                                hs_stream_to_string (hs_run_get_stream (run)),
                                hs_run_get_total (run, HS_COUNTER_FETCHED),
                                hs_run_get_total (run, HS_COUNTER_WRITTEN));
}

static void
run_finished_cb (HsEngineService *self,
                 HsRun           *run)
{
  update_runs (self);
  g_dbus_interface_skeleton_flush (G_DBUS_INTERFACE_SKELETON (self));
  hs_ipc_engine1_emit_run_finished (HS_IPC_ENGINE1 (self), hs_run_to_variant (run));
}

/* The engine learns of a run that finished before it started from the
 * ledger, after the service is on the bus. */
static void
last_run_cb (HsEngineService *self)
{
  update_runs (self);
}

static void
fiscal_years_changed_cb (HsEngineService *self)
{
  hs_ipc_engine1_emit_fiscal_years_changed (HS_IPC_ENGINE1 (self));
}

static void
agents_changed_cb (HsEngineService *self)
{
  hs_ipc_engine1_emit_agents_changed (HS_IPC_ENGINE1 (self));
}

static void
start_sync_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(HsRun) run = NULL;
  g_autoptr(GError) error = NULL;

  run = hs_engine_start_sync_finish (HS_ENGINE (object), result, &error);
  if (run == NULL)
    {
      return_error (invocation, error);
      return;
    }

  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@a{sv})", hs_run_to_variant (run)));
}

static gboolean
handle_sync (HsIpcEngine1          *object,
             GDBusMethodInvocation *invocation,
             const char            *fiscal_year,
             GVariant              *options)
{
  HsEngineService *self = HS_ENGINE_SERVICE (object);
  HsSyncFlags flags = HS_SYNC_FLAGS_NONE;
  HsTrigger trigger = HS_TRIGGER_DBUS;
  gboolean full = FALSE;
  GVariantIter iter;
  const char *key;
  GVariant *value;

  if (!check_text (invocation, _("fiscal-year label"), fiscal_year))
    return TRUE;

  g_variant_iter_init (&iter, options);
  while (g_variant_iter_loop (&iter, "{&sv}", &key, &value))
    {
      if (g_str_equal (key, "trigger") && g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
        {
          const char *name = g_variant_get_string (value, NULL);

          /* The schedule and fiscal-year creation are the service's own
           * triggers; a caller cannot claim them. */
          if (!hs_trigger_from_string (name, &trigger) ||
              trigger == HS_TRIGGER_HOURLY || trigger == HS_TRIGGER_FISCAL_YEAR)
            {
              g_dbus_method_invocation_return_error (invocation, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                                                     _("“%s” is not a trigger a caller may use; use manual, dbus or cli"),
                                                     name);
              return TRUE;
            }
        }
      else if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN) &&
               (g_str_equal (key, "full") || g_str_equal (key, "dry-run") ||
                g_str_equal (key, "allow-mass-delete")))
        {
          gboolean on = g_variant_get_boolean (value);

          if (g_str_equal (key, "full"))
            full = on;
          else if (on)
            flags |= g_str_equal (key, "dry-run") ? HS_SYNC_FLAGS_DRY_RUN : HS_SYNC_FLAGS_ALLOW_MASS_DELETE;
        }
      else
        {
          g_dbus_method_invocation_return_error (invocation, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                                                 _("Unknown sync option “%s” of type %s; the options are full (b), dry-run (b), allow-mass-delete (b) and trigger (s)"),
                                                 key, g_variant_get_type_string (value));
          return TRUE;
        }
    }

  hs_engine_start_sync_async (self->engine, fiscal_year, full ? HS_SYNC_FULL : HS_SYNC_INCREMENTAL,
                              flags, trigger, NULL, start_sync_cb, g_object_ref (invocation));
  return TRUE;
}

static gboolean
handle_cancel (HsIpcEngine1          *object,
               GDBusMethodInvocation *invocation,
               const char            *fiscal_year)
{
  HsEngineService *self = HS_ENGINE_SERVICE (object);

  if (!check_text (invocation, _("fiscal-year label"), fiscal_year))
    return TRUE;

  if (!hs_engine_cancel (self->engine, fiscal_year))
    {
      g_dbus_method_invocation_return_error (invocation, HS_ERROR, HS_ERROR_NOT_FOUND,
                                             _("No sync of “%s” is queued or running"), fiscal_year);
      return TRUE;
    }

  hs_ipc_engine1_complete_cancel (object, invocation);
  return TRUE;
}

static void
create_fiscal_year_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(HsRun) run = NULL;
  g_autoptr(GError) error = NULL;

  run = hs_engine_create_fiscal_year_finish (HS_ENGINE (object), result, &error);
  if (run == NULL)
    {
      return_error (invocation, error);
      return;
    }

  g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@a{sv})", hs_run_to_variant (run)));
}

static gboolean
handle_create_fiscal_year (HsIpcEngine1          *object,
                           GDBusMethodInvocation *invocation,
                           const char            *label,
                           const char            *start,
                           const char            *end)
{
  HsEngineService *self = HS_ENGINE_SERVICE (object);

  if (!check_text (invocation, _("fiscal-year label"), label) ||
      !check_text (invocation, _("start date"), start) ||
      !check_text (invocation, _("end date"), end))
    return TRUE;

  hs_engine_create_fiscal_year_async (self->engine, label, start, end, NULL,
                                      create_fiscal_year_cb, g_object_ref (invocation));
  return TRUE;
}

static void
delete_fiscal_year_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(GError) error = NULL;

  if (!hs_engine_delete_fiscal_year_finish (HS_ENGINE (object), result, &error))
    return_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
handle_delete_fiscal_year (HsIpcEngine1          *object,
                           GDBusMethodInvocation *invocation,
                           const char            *label)
{
  HsEngineService *self = HS_ENGINE_SERVICE (object);

  if (!check_text (invocation, _("fiscal-year label"), label))
    return TRUE;

  hs_engine_delete_fiscal_year_async (self->engine, label, NULL, delete_fiscal_year_cb,
                                      g_object_ref (invocation));
  return TRUE;
}

static void
list_fiscal_years_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(GPtrArray) years = NULL;
  g_autoptr(GError) error = NULL;

  years = hs_engine_list_fiscal_years_finish (HS_ENGINE (object), result, &error);
  if (years == NULL)
    return_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(@a(sss))", hs_fiscal_years_to_variant (years)));
}

static gboolean
handle_list_fiscal_years (HsIpcEngine1          *object,
                          GDBusMethodInvocation *invocation)
{
  HsEngineService *self = HS_ENGINE_SERVICE (object);

  hs_engine_list_fiscal_years_async (self->engine, NULL, list_fiscal_years_cb, g_object_ref (invocation));
  return TRUE;
}

static void
list_runs_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GError) error = NULL;

  runs = hs_engine_list_runs_finish (HS_ENGINE (object), result, &error);
  if (runs == NULL)
    return_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(@aa{sv})", hs_runs_to_variant (runs)));
}

static gboolean
handle_list_runs (HsIpcEngine1          *object,
                  GDBusMethodInvocation *invocation,
                  guint                  limit)
{
  HsEngineService *self = HS_ENGINE_SERVICE (object);

  if (limit < 1 || limit > MAX_RUNS_LISTED)
    {
      g_dbus_method_invocation_return_error (invocation, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                                             _("Ask for 1 to %d runs, not %u"), MAX_RUNS_LISTED, limit);
      return TRUE;
    }

  hs_engine_list_runs_async (self->engine, limit, NULL, list_runs_cb, g_object_ref (invocation));
  return TRUE;
}

static void
list_agents_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(GPtrArray) agents = NULL;
  g_autoptr(GError) error = NULL;

  agents = hs_engine_list_agents_finish (HS_ENGINE (object), result, &error);
  if (agents == NULL)
    return_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(@a(xsssb))", hs_agents_to_variant (agents)));
}

static gboolean
handle_list_agents (HsIpcEngine1          *object,
                    GDBusMethodInvocation *invocation)
{
  HsEngineService *self = HS_ENGINE_SERVICE (object);

  hs_engine_list_agents_async (self->engine, NULL, list_agents_cb, g_object_ref (invocation));
  return TRUE;
}

static void
list_teams_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(GPtrArray) agents = NULL;
  g_autoptr(GError) error = NULL;

  agents = hs_engine_list_agents_finish (HS_ENGINE (object), result, &error);
  if (agents == NULL)
    return_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(@as)", hs_agent_teams_to_variant (agents)));
}

static gboolean
handle_list_teams (HsIpcEngine1          *object,
                   GDBusMethodInvocation *invocation)
{
  HsEngineService *self = HS_ENGINE_SERVICE (object);

  hs_engine_list_agents_async (self->engine, NULL, list_teams_cb, g_object_ref (invocation));
  return TRUE;
}

static void
set_agent_mapping_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(GError) error = NULL;

  if (!hs_engine_set_agent_mapping_finish (HS_ENGINE (object), result, &error))
    return_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
handle_set_agent_mapping (HsIpcEngine1          *object,
                          GDBusMethodInvocation *invocation,
                          gint64                 halo_id,
                          const char            *member,
                          const char            *team)
{
  HsEngineService *self = HS_ENGINE_SERVICE (object);
  g_autoptr(HsAgentMapping) mapping = NULL;
  g_autoptr(GError) error = NULL;

  /* No byte limit here: hs_agent_mapping_new() holds both names to
   * HS_AGENT_MAPPING_MAX_NAME characters, the one limit (and message) of
   * every client, the CLI's and the desktop app's alike. */
  mapping = hs_agent_mapping_new (halo_id, *member != '\0' ? member : NULL,
                                  *team != '\0' ? team : NULL, &error);
  if (mapping == NULL)
    {
      return_error (invocation, error);
      return TRUE;
    }

  hs_engine_set_agent_mapping_async (self->engine, mapping, NULL, set_agent_mapping_cb,
                                     g_object_ref (invocation));
  return TRUE;
}

static void
summarize_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(GVariant) summary = NULL;
  g_autoptr(GError) error = NULL;

  summary = hs_engine_summarize_finish (HS_ENGINE (object), result, &error);
  if (summary == NULL)
    return_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@a(sssdduu))", summary));
}

static gboolean
handle_get_summary (HsIpcEngine1          *object,
                    GDBusMethodInvocation *invocation,
                    const char            *fiscal_year)
{
  HsEngineService *self = HS_ENGINE_SERVICE (object);

  if (!check_text (invocation, _("fiscal-year label"), fiscal_year))
    return TRUE;

  hs_engine_summarize_async (self->engine, fiscal_year, NULL, summarize_cb, g_object_ref (invocation));
  return TRUE;
}

static void
check_source_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(GError) error = NULL;

  if (!hs_engine_check_source_finish (HS_ENGINE (object), result, &error))
    return_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
handle_test_halo (HsIpcEngine1          *object,
                  GDBusMethodInvocation *invocation)
{
  HsEngineService *self = HS_ENGINE_SERVICE (object);

  hs_engine_check_source_async (self->engine, NULL, check_source_cb, g_object_ref (invocation));
  return TRUE;
}

static void
check_sink_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GDBusMethodInvocation) invocation = user_data;
  g_autoptr(GError) error = NULL;

  if (!hs_engine_check_sink_finish (HS_ENGINE (object), result, &error))
    return_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, NULL);
}

static gboolean
handle_test_database (HsIpcEngine1          *object,
                      GDBusMethodInvocation *invocation)
{
  HsEngineService *self = HS_ENGINE_SERVICE (object);

  hs_engine_check_sink_async (self->engine, NULL, check_sink_cb, g_object_ref (invocation));
  return TRUE;
}

static void
window_owner_vanished_cb (GDBusConnection *connection,
                          const char      *name,
                          gpointer         user_data)
{
  HsEngineService *self = user_data;

  g_hash_table_remove (self->active_windows, name);
}

static gboolean
handle_set_window_active (HsIpcEngine1          *object,
                          GDBusMethodInvocation *invocation,
                          gboolean               active)
{
  HsEngineService *self = HS_ENGINE_SERVICE (object);
  const char *sender = g_dbus_method_invocation_get_sender (invocation);

  /* A peer-to-peer caller (halosyncctl --local) has no window. */
  if (sender != NULL && !active)
    g_hash_table_remove (self->active_windows, sender);
  else if (sender != NULL && !g_hash_table_contains (self->active_windows, sender))
    g_hash_table_insert (self->active_windows, g_strdup (sender),
                         GUINT_TO_POINTER (g_bus_watch_name_on_connection (g_dbus_method_invocation_get_connection (invocation),
                                                                           sender, G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                                           NULL, window_owner_vanished_cb, self, NULL)));
  hs_ipc_engine1_complete_set_window_active (object, invocation);
  return TRUE;
}

/**
 * hs_engine_service_get_window_active:
 * @self: the service
 *
 * Returns: whether a caller says one of its windows is in front
 */
gboolean
hs_engine_service_get_window_active (HsEngineService *self)
{
  g_return_val_if_fail (HS_IS_ENGINE_SERVICE (self), FALSE);
  return g_hash_table_size (self->active_windows) > 0;
}

static void
hs_engine_service_iface_init (HsIpcEngine1Iface *iface)
{
  iface->handle_sync = handle_sync;
  iface->handle_cancel = handle_cancel;
  iface->handle_create_fiscal_year = handle_create_fiscal_year;
  iface->handle_delete_fiscal_year = handle_delete_fiscal_year;
  iface->handle_list_fiscal_years = handle_list_fiscal_years;
  iface->handle_list_runs = handle_list_runs;
  iface->handle_list_agents = handle_list_agents;
  iface->handle_list_teams = handle_list_teams;
  iface->handle_set_agent_mapping = handle_set_agent_mapping;
  iface->handle_get_summary = handle_get_summary;
  iface->handle_test_halo = handle_test_halo;
  iface->handle_test_database = handle_test_database;
  iface->handle_set_window_active = handle_set_window_active;
}

static void
hs_engine_service_dispose (GObject *object)
{
  HsEngineService *self = HS_ENGINE_SERVICE (object);

  g_clear_object (&self->engine);
  g_clear_pointer (&self->active_windows, g_hash_table_unref);

  G_OBJECT_CLASS (hs_engine_service_parent_class)->dispose (object);
}

static void
hs_engine_service_class_init (HsEngineServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hs_engine_service_dispose;
}

static void
unwatch_name (gpointer watch_id)
{
  g_bus_unwatch_name (GPOINTER_TO_UINT (watch_id));
}

static void
hs_engine_service_init (HsEngineService *self)
{
  self->active_windows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unwatch_name);
}

HsEngineService *
hs_engine_service_new (HsEngine *engine)
{
  HsEngineService *self;

  g_return_val_if_fail (HS_IS_ENGINE (engine), NULL);

  self = g_object_new (HS_TYPE_ENGINE_SERVICE, NULL);
  self->engine = g_object_ref (engine);
  g_signal_connect_object (engine, "run-started", G_CALLBACK (run_started_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "run-progress", G_CALLBACK (run_progress_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "run-finished", G_CALLBACK (run_finished_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "notify::last-run", G_CALLBACK (last_run_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "fiscal-years-changed", G_CALLBACK (fiscal_years_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (engine, "agents-changed", G_CALLBACK (agents_changed_cb), self, G_CONNECT_SWAPPED);
  update_runs (self);
  return self;
}

HsEngine *
hs_engine_service_get_engine (HsEngineService *self)
{
  g_return_val_if_fail (HS_IS_ENGINE_SERVICE (self), NULL);

  return self->engine;
}
