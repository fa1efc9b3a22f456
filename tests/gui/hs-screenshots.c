/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <signal.h>

#include "hs-agent-row.h"
#include "hs-agents-page.h"
#include "hs-gui-test.h"
#include "hs-status-panel.h"
#include "hs-window.h"

/* Renders the screenshots of the README and the metainfo from the real
 * app, driven against the real service and halo-sim, into the directory
 * HS_SCREENSHOT_DIR names.  Run it with `ninja -C _build screenshots`. */

#define TIMEOUT 30

static HsTestSim *sim;

typedef struct
{
  HsEngineClient *client;
  HsRun *finished;
} State;

static gboolean
years_loaded (gpointer user_data)
{
  State *state = user_data;

  return hs_engine_client_get_available (state->client) &&
         g_list_model_get_n_items (hs_engine_client_get_fiscal_years (state->client)) > 0;
}

/* Part of the tickets are in, and Halo said how many there are. */
static gboolean
tickets_partly_fetched (gpointer user_data)
{
  State *state = user_data;
  HsRun *run = hs_engine_client_get_current_run (state->client);
  guint64 fetched;

  if (run == NULL)
    return FALSE;
  fetched = hs_run_get_count (run, HS_STREAM_TICKETS, HS_COUNTER_FETCHED);
  return fetched > 0 && (gint64) fetched < hs_run_get_expected (run, HS_STREAM_TICKETS);
}

static gboolean
run_finished (gpointer user_data)
{
  State *state = user_data;

  return state->finished != NULL;
}

static void
run_finished_cb (HsEngineClient *client,
                 HsRun          *run,
                 gpointer        user_data)
{
  State *state = user_data;

  g_set_object (&state->finished, run);
}

static void
control (const char *method,
         const char *path,
         const char *json)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = hs_test_sim_control (sim, method, path, json, &error);
  g_assert_no_error (error);
}

static void
save (HsWindow   *window,
      const char *name)
{
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (g_getenv ("HS_SCREENSHOT_DIR"), file, NULL);

  /* Let layout, the progress bar and the toast settle first. */
  hs_gui_test_spin (600);
  hs_gui_test_save_screenshot (GTK_WIDGET (window), path);
  g_print ("# wrote %s\n", path);
}

static void
sync_and_wait (HsApplication *app,
               State         *state)
{
  g_clear_object (&state->finished);
  g_action_group_activate_action (G_ACTION_GROUP (app), "sync", NULL);
  g_assert_true (hs_gui_test_wait_until (run_finished, state, TIMEOUT));
}

static void
map_agents (void)
{
  static const char * const members[][2] = {
    { "Alex Morgan", "Service Desk" },
    { "Priya Natarajan", "Service Desk" },
    { "Jonas Weber", "Projects" },
    { "Maria Costa", "Projects" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(HsIpcEngine1) proxy = NULL;
  g_autoptr(GVariant) agents = NULL;

  proxy = hs_gui_test_new_service_proxy ();
  hs_ipc_engine1_call_list_agents_sync (proxy, G_DBUS_CALL_FLAGS_NONE, -1, &agents, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < MIN (g_variant_n_children (agents), G_N_ELEMENTS (members)); i++)
    {
      gint64 halo_id;

      g_variant_get_child (agents, i, "(xsssb)", &halo_id, NULL, NULL, NULL, NULL);
      hs_ipc_engine1_call_set_agent_mapping_sync (proxy, halo_id, members[i][0], members[i][1],
                                                 G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
      g_assert_no_error (error);
    }
}

typedef struct
{
  HsWindow *window;
  const char *prefix;
} SubtitleQuery;

static gboolean
card_subtitle_starts (gpointer user_data)
{
  SubtitleQuery *query = user_data;
  GtkWidget *panel = hs_gui_test_get_child (query->window, HS_TYPE_WINDOW, "status_panel");
  GtkLabel *subtitle = hs_gui_test_get_child (panel, HS_TYPE_STATUS_PANEL, "subtitle_label");

  return g_str_has_prefix (gtk_label_get_text (subtitle), query->prefix);
}

static void
save_widget (GtkWidget  *widget,
             const char *name)
{
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (g_getenv ("HS_SCREENSHOT_DIR"), file, NULL);

  hs_gui_test_spin (600);
  hs_gui_test_save_screenshot (widget, path);
  g_print ("# wrote %s\n", path);
}

/* Halo answering 503 three times: the card shows the wait and the
 * attempt, and the run goes on. */
static void
take_retrying (HsApplication *app,
               HsWindow      *window,
               State         *state)
{
  SubtitleQuery query = { window, "Halo answered 503 — retrying in " };

  control ("POST", "/_sim/faults",
           "{\"faults\": [{\"kind\": \"status\", \"status\": 503, \"path\": \"/api/tickets*\", \"count\": 3}]}");
  g_clear_object (&state->finished);
  g_action_group_activate_action (G_ACTION_GROUP (app), "sync", NULL);
  g_assert_true (hs_gui_test_wait_until (card_subtitle_starts, &query, TIMEOUT));
  save (window, "retrying");
  g_assert_true (hs_gui_test_wait_until (run_finished, state, TIMEOUT));
  control ("DELETE", "/_sim/faults", NULL);
}

/* An unmapped agent opened, with the members already mapped offered. */
static void
take_agents (HsWindow *window)
{
  AdwViewStack *stack = hs_gui_test_get_child (window, HS_TYPE_WINDOW, "view_stack");
  HsAgentsPage *page = hs_gui_test_get_child (window, HS_TYPE_WINDOW, "agents_page");
  g_autoptr(GError) error = NULL;
  g_autoptr(HsIpcEngine1) proxy = hs_gui_test_new_service_proxy ();
  g_autoptr(GVariant) agents = NULL;
  HsAgentRow *row = NULL;

  hs_ipc_engine1_call_list_agents_sync (proxy, G_DBUS_CALL_FLAGS_NONE, -1, &agents, NULL, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < g_variant_n_children (agents) && row == NULL; i++)
    {
      gint64 halo_id;
      const char *member;

      g_variant_get_child (agents, i, "(x&s&s&sb)", &halo_id, NULL, &member, NULL, NULL);
      if (member[0] == '\0')
        row = hs_agents_page_find_row (page, halo_id);
    }
  g_assert_nonnull (row);
  adw_view_stack_set_visible_child_name (stack, "agents");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  /* Focus scrolls the row into view.  The page alone: the window's
   * toasts of the earlier syncs are still queued over it. */
  gtk_widget_grab_focus (hs_gui_test_get_child (row, HS_TYPE_AGENT_ROW, "member_row"));
  save_widget (GTK_WIDGET (page), "agents");
}

/* A ticket Halo deleted, found by Check for Deleted Records…, whose
 * preview says what Apply would change. */
static void
take_deleted_records (HsApplication *app,
                      State         *state)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ticket = NULL;
  g_autofree char *path = NULL;
  AdwMessageDialog *dialog;

  ticket = hs_test_sim_control (sim, "POST", "/_sim/tickets",
                                "{\"summary\": \"Duplicate of 1042\", \"dateoccurred\": \"2026-05-04T08:00:00\","
                                " \"agent_id\": 2}",
                                &error);
  g_assert_no_error (error);
  path = g_strdup_printf ("/_sim/tickets/%" G_GINT64_FORMAT,
                          json_object_get_int_member (json_node_get_object (ticket), "id"));
  sync_and_wait (app, state);
  control ("DELETE", path, NULL);

  g_action_group_activate_action (G_ACTION_GROUP (app), "check-deletions", NULL);
  dialog = hs_gui_test_wait_for_message_dialog (app, "Check FY2026 for Deleted Records?", TIMEOUT);
  save_widget (GTK_WIDGET (dialog), "check-deletions");
  adw_message_dialog_response (dialog, "check");
  dialog = hs_gui_test_wait_for_message_dialog (app, "Deleted Records Found", TIMEOUT);
  save_widget (GTK_WIDGET (dialog), "deleted-records");
  adw_message_dialog_response (dialog, "close");
}

/* Another year's failure: FY2025 fails while FY2026, in the header,
 * stays up to date; the Fiscal Years page shows each year's state. */
static void
take_other_year_failed (HsApplication *app,
                        HsWindow      *window,
                        State         *state)
{
  AdwViewStack *stack = hs_gui_test_get_child (window, HS_TYPE_WINDOW, "view_stack");
  g_autoptr(HsIpcEngine1) proxy = hs_gui_test_new_service_proxy ();
  g_autoptr(GVariant) run = NULL;
  g_autoptr(GError) error = NULL;

  control ("POST", "/_sim/faults",
           "{\"faults\": [{\"kind\": \"malformed\", \"path\": \"*\", \"rate\": 1.0}]}");
  g_clear_object (&state->finished);
  hs_ipc_engine1_call_create_fiscal_year_sync (proxy, "FY2025", "2024-07-01", "2025-06-30",
                                              G_DBUS_CALL_FLAGS_NONE, -1, &run, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (hs_gui_test_wait_until (run_finished, state, TIMEOUT));
  control ("DELETE", "/_sim/faults", NULL);
  g_settings_set_string (hs_application_get_settings (app), "fiscal-year", "FY2026");
  adw_view_stack_set_visible_child_name (stack, "fiscal-years");
  save (window, "other-year-failed");
}

static gboolean
service_back (gpointer user_data)
{
  State *state = user_data;

  return hs_engine_client_get_available (state->client) && hs_engine_client_get_last_run (state->client) != NULL;
}

/* The service stopped and started again (an update, a login): the card
 * still knows the last sync, read back from the ledger. */
static void
take_restart (HsWindow *window,
              State    *state)
{
  AdwViewStack *stack = hs_gui_test_get_child (window, HS_TYPE_WINDOW, "view_stack");
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint32 pid;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "GetConnectionUnixProcessID", g_variant_new ("(s)", "org.example.HaloSync.Daemon"),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &pid);
  g_assert_cmpint (kill ((pid_t) pid, SIGTERM), ==, 0);
  /* The app asks for the service again, which D-Bus activation starts. */
  hs_gui_test_spin (1000);
  g_assert_true (hs_gui_test_wait_until (service_back, state, TIMEOUT));
  adw_view_stack_set_visible_child_name (stack, "overview");
  save (window, "restart");
}

static void
take_screenshots (HsApplication *app,
                  gpointer       user_data)
{
  HsWindow *window = hs_gui_test_find_window (app, HS_TYPE_WINDOW);
  AdwViewStack *stack = hs_gui_test_get_child (window, HS_TYPE_WINDOW, "view_stack");
  State state = { hs_application_get_client (app), NULL };

  g_signal_connect (state.client, "run-finished", G_CALLBACK (run_finished_cb), &state);
  gtk_window_set_default_size (GTK_WINDOW (window), 960, 680);
  g_assert_true (hs_gui_test_wait_until (years_loaded, &state, TIMEOUT));

  /* A full year synced, agents mapped, then one quiet manual sync. */
  sync_and_wait (app, &state);
  map_agents ();
  sync_and_wait (app, &state);
  adw_view_stack_set_visible_child_name (stack, "history");
  save (window, "idle");

  /* The toast with the counts shows right after a run ends. */
  sync_and_wait (app, &state);
  save (window, "finished");

  /* A slow Halo keeps a run going long enough to see it. */
  control ("POST", "/_sim/faults",
           "{\"faults\": [{\"kind\": \"latency\", \"path\": \"*\", \"ms\": 1500, \"rate\": 1.0}]}");
  g_clear_object (&state.finished);
  /* A full sync, which reads every ticket again, so that the bar fills
   * by Halo's total. */
  hs_engine_client_sync_full (state.client, "FY2026", HS_SYNC_FULL, HS_SYNC_FLAGS_NONE);
  g_assert_true (hs_gui_test_wait_until (tickets_partly_fetched, &state, TIMEOUT));
  hs_gui_test_spin (500);
  save (window, "syncing");
  g_action_group_activate_action (G_ACTION_GROUP (app), "cancel", NULL);
  g_assert_true (hs_gui_test_wait_until (run_finished, &state, TIMEOUT));

  /* Halo refusing access: the error says what to do about it. */
  control ("POST", "/_sim/faults",
           "{\"faults\": [{\"kind\": \"status\", \"path\": \"*\", \"status\": 403, \"rate\": 1.0}]}");
  sync_and_wait (app, &state);
  save (window, "error");
  control ("DELETE", "/_sim/faults", NULL);

  sync_and_wait (app, &state);
  adw_view_stack_set_visible_child_name (stack, "overview");
  save (window, "overview");

  take_retrying (app, window, &state);
  take_other_year_failed (app, window, &state);
  take_restart (window, &state);
  take_agents (window);
  take_deleted_records (app, &state);

  g_signal_handlers_disconnect_by_data (state.client, &state);
  g_clear_object (&state.finished);
}

static void
test_screenshots (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsIpcEngine1) proxy = NULL;
  g_autoptr(GVariant) run = NULL;

  g_assert_nonnull (g_getenv ("HS_SCREENSHOT_DIR"));
  proxy = hs_gui_test_new_service_proxy ();
  hs_ipc_engine1_call_create_fiscal_year_sync (proxy, "FY2026", "2025-07-01", "2026-06-30",
                                              G_DBUS_CALL_FLAGS_NONE, -1, &run, NULL, &error);
  g_assert_no_error (error);
  hs_gui_test_run_app (take_screenshots, NULL);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  hs_gui_test_init (&argc, &argv, g_getenv ("HS_GUI_SERVICE_DIR"));
  sim = hs_gui_test_start_service (NULL);
  g_test_add_func ("/screenshots", test_screenshots);
  status = hs_gui_test_run ();
  g_clear_object (&sim);
  return status;
}
