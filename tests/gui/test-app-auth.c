/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-gui-test.h"
#include "hs-preferences-window.h"
#include "hs-status-panel.h"
#include "hs-window.h"

/* The real service with a client secret Halo (halo-sim) rejects: the app
 * must say where it failed and what to fix, in words, not codes. */

#define TIMEOUT 60

static HsTestSim *sim;

static gboolean
years_loaded (gpointer user_data)
{
  HsEngineClient *client = user_data;

  return hs_engine_client_get_available (client) &&
         g_list_model_get_n_items (hs_engine_client_get_fiscal_years (client)) > 0;
}

static gboolean
year_selected (gpointer user_data)
{
  return gtk_drop_down_get_selected_item (user_data) != NULL;
}

static gboolean
run_failed (gpointer user_data)
{
  HsRun **finished = user_data;

  return *finished != NULL;
}

static void
run_finished_cb (HsEngineClient *client,
                 HsRun          *run,
                 gpointer        user_data)
{
  g_set_object ((HsRun **) user_data, run);
}

static void
wrong_credentials (HsApplication *app,
                   gpointer       user_data)
{
  HsWindow *window = hs_gui_test_find_window (app, HS_TYPE_WINDOW);
  HsEngineClient *client = hs_application_get_client (app);
  GtkWidget *panel = hs_gui_test_get_child (window, HS_TYPE_WINDOW, "status_panel");
  GtkLabel *title = hs_gui_test_get_child (panel, HS_TYPE_STATUS_PANEL, "title_label");
  GtkLabel *error = hs_gui_test_get_child (panel, HS_TYPE_STATUS_PANEL, "error_label");
  GtkWidget *error_box = hs_gui_test_get_child (panel, HS_TYPE_STATUS_PANEL, "error_box");
  g_autoptr(HsRun) finished = NULL;
  g_autofree char *expected = NULL;

  g_assert_true (hs_gui_test_wait_until (years_loaded, client, TIMEOUT));
  /* The status card describes the selected year; a person syncs once the
   * window shows it. */
  g_assert_true (hs_gui_test_wait_until (year_selected,
                                         hs_gui_test_get_child (window, HS_TYPE_WINDOW, "fiscal_year_drop_down"),
                                         TIMEOUT));
  g_signal_connect (client, "run-finished", G_CALLBACK (run_finished_cb), &finished);
  g_action_group_activate_action (G_ACTION_GROUP (app), "sync", NULL);
  g_assert_true (hs_gui_test_wait_until (run_failed, &finished, TIMEOUT));
  g_signal_handlers_disconnect_by_data (client, &finished);

  g_assert_cmpint (hs_run_get_status (finished), ==, HS_RUN_FAILED);
  g_assert_cmpstr (gtk_label_get_text (title), ==, "Sync Failed");
  g_assert_true (gtk_widget_get_visible (error_box));

  /* Names what was rejected and where, so a person knows what to fix;
   * and never the secret itself. */
  expected = g_strdup_printf ("Halo rejected the client id or secret for %s",
                              hs_test_sim_get_base_url (sim));
  g_assert_nonnull (strstr (gtk_label_get_text (error), expected));
  g_assert_null (strstr (gtk_label_get_text (error), "not-the-secret"));
  g_assert_null (strstr (gtk_label_get_text (error), "GDBus.Error"));
  /* Wrong credentials are fixed in Preferences: the one button. */
  g_assert_true (hs_gui_test_find_label (panel, "Preferences") != NULL);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (hs_gui_test_get_child (panel, HS_TYPE_STATUS_PANEL,
                                                                                          "error_button"))),
                   ==, "app.preferences");
}

static void
no_fiscal_year (HsApplication *app,
                gpointer       user_data)
{
  HsWindow *window = hs_gui_test_find_window (app, HS_TYPE_WINDOW);
  HsEngineClient *client = hs_application_get_client (app);
  GtkWidget *panel = hs_gui_test_get_child (window, HS_TYPE_WINDOW, "status_panel");
  GtkWidget *button = hs_gui_test_get_child (window, HS_TYPE_WINDOW, "sync_button");

  g_assert_true (hs_gui_test_wait_for_label (panel, "No Fiscal Year", TIMEOUT));
  g_assert_true (hs_engine_client_get_available (client));
  g_assert_cmpuint (g_list_model_get_n_items (hs_engine_client_get_fiscal_years (client)), ==, 0);

  /* Nothing to sync: Sync Now is off, and the page's New Fiscal Year is
   * the one suggested button. */
  g_assert_false (g_action_get_enabled (g_action_map_lookup_action (G_ACTION_MAP (app), "sync")));
  g_assert_false (gtk_widget_is_sensitive (button));
  g_assert_false (gtk_widget_has_css_class (button, "suggested-action"));
}

static void
test_no_fiscal_year (void)
{
  g_test_summary ("With no fiscal year, Sync Now is insensitive and not suggested; the card says why");
  hs_gui_test_run_app (no_fiscal_year, NULL);
}

static gboolean
test_row_failed (gpointer user_data)
{
  return gtk_widget_has_css_class (GTK_WIDGET (user_data), "error");
}

static void
test_connection (HsApplication *app,
                 gpointer       user_data)
{
  HsPreferencesWindow *prefs;
  AdwActionRow *row;
  g_autofree char *expected = NULL;

  g_assert_true (hs_gui_test_wait_until (years_loaded, hs_application_get_client (app), TIMEOUT));
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  prefs = hs_gui_test_find_window (app, HS_TYPE_PREFERENCES_WINDOW);
  row = hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "halo_test_row");
  g_assert_true (gtk_widget_activate (hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "halo_test_button")));
  g_assert_true (hs_gui_test_wait_until (test_row_failed, row, TIMEOUT));

  /* The same words, where the person can fix it. */
  expected = g_strdup_printf ("Halo rejected the client id or secret for %s",
                              hs_test_sim_get_base_url (sim));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (row), expected));
}

static void
test_wrong_credentials_test_connection (void)
{
  g_test_summary ("Test Connection in Preferences shows the rejection inline");
  hs_gui_test_run_app (test_connection, NULL);
}

static void
test_wrong_credentials (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsIpcEngine1) proxy = NULL;
  g_autoptr(GVariant) run = NULL;

  g_test_summary ("Wrong Halo credentials show an error that says what to fix");
  proxy = hs_gui_test_new_service_proxy ();
  /* Creating the year succeeds even though its sync will fail. */
  hs_ipc_engine1_call_create_fiscal_year_sync (proxy, "FY2026", "2025-07-01", "2026-06-30",
                                              G_DBUS_CALL_FLAGS_NONE, -1, &run, NULL, &error);
  g_assert_no_error (error);
  hs_gui_test_run_app (wrong_credentials, NULL);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  hs_gui_test_init (&argc, &argv, g_getenv ("HS_GUI_SERVICE_DIR"));
  sim = hs_gui_test_start_service ("not-the-secret");

  g_test_add_func ("/gui/app/no-fiscal-year", test_no_fiscal_year);
  g_test_add_func ("/gui/app/wrong-credentials", test_wrong_credentials);
  g_test_add_func ("/gui/app/wrong-credentials-test-connection", test_wrong_credentials_test_connection);

  status = hs_gui_test_run ();
  g_clear_object (&sim);
  return status;
}
