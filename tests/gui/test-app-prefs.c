/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-gui-test.h"
#include "hs-preferences-window.h"
#include "hs-status-panel.h"
#include "hs-window.h"

/* Preferences and the main window against the real service and a real
 * Secret Service: a gnome-keyring-daemon on the private bus, which both
 * the app and halosyncd use, so a secret the app stores is the one the
 * service signs in with. */

#define TIMEOUT 60

static HsTestSim *sim;

/* A login keyring in the private directories hs_gui_test_init() made,
 * on the test's session bus. */
static GSubprocess *
start_keyring (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);

  return hs_test_start_keyring (launcher, g_getenv ("DBUS_SESSION_BUS_ADDRESS"), TIMEOUT);
}

static gboolean
service_available (gpointer user_data)
{
  return hs_engine_client_get_available (user_data);
}

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_config_store_secret_finish (HS_CONFIG (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer user_data)
{
  return *(gboolean *) user_data;
}

/* Stores a client secret as the app's own configuration files it. */
static void
store_client_secret (HsApplication *app,
                     const char    *secret)
{
  gboolean stored = FALSE;

  hs_config_store_secret_async (hs_application_get_config (app), HS_SECRET_HALO_CLIENT_SECRET,
                                secret, NULL, stored_cb, &stored);
  g_assert_true (hs_gui_test_wait_until (flag_set, &stored, TIMEOUT));
}

static void
looked_up_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  *(char **) user_data = hs_config_lookup_secret_finish (HS_CONFIG (object), result, &error);
  g_assert_no_error (error);
}

static gboolean
string_set (gpointer user_data)
{
  return *(char **) user_data != NULL;
}

static char *
look_up_client_secret (HsApplication *app)
{
  char *secret = NULL;

  hs_config_lookup_secret_async (hs_application_get_config (app), HS_SECRET_HALO_CLIENT_SECRET,
                                 NULL, looked_up_cb, &secret);
  g_assert_true (hs_gui_test_wait_until (string_set, &secret, TIMEOUT));
  return secret;
}

static HsPreferencesWindow *
open_preferences (HsApplication *app)
{
  HsPreferencesWindow *prefs;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  prefs = hs_gui_test_find_window (app, HS_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (prefs);
  return prefs;
}

static gboolean
test_row_done (gpointer user_data)
{
  return gtk_widget_has_css_class (GTK_WIDGET (user_data), "error") ||
         gtk_widget_has_css_class (GTK_WIDGET (user_data), "success");
}

/* With no secret anywhere, the service's reason names its setting and
 * variable; the window names its own row instead and goes there. */
static void
missing_secret_named (HsApplication *app,
                      gpointer       user_data)
{
  HsPreferencesWindow *prefs;
  AdwActionRow *row;
  GtkWidget *secret_row, *focus;

  g_assert_true (hs_gui_test_wait_until (service_available, hs_application_get_client (app), TIMEOUT));
  prefs = open_preferences (app);
  row = hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "halo_test_row");
  secret_row = hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "client_secret_row");

  g_assert_true (gtk_widget_activate (hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "halo_test_button")));
  g_assert_true (hs_gui_test_wait_until (test_row_done, row, TIMEOUT));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==,
                   "Enter the client secret of the Halo API application in Client secret.");
  focus = gtk_root_get_focus (GTK_ROOT (prefs));
  g_assert_nonnull (focus);
  g_assert_true (focus == secret_row || gtk_widget_is_ancestor (focus, secret_row));
}

static void
test_missing_secret_named (void)
{
  g_test_summary ("Test Connection without a secret names the row to fill in, not a setting or variable");
  hs_gui_test_run_app (missing_secret_named, NULL);
}

static void
typed_secret_tested (HsApplication *app,
                     gpointer       user_data)
{
  HsPreferencesWindow *prefs;
  AdwActionRow *row;

  g_assert_true (hs_gui_test_wait_until (service_available, hs_application_get_client (app), TIMEOUT));
  /* An old secret in the keyring, which a test of the stored settings
   * would use and Halo rejects. */
  store_client_secret (app, "an-old-secret");
  prefs = open_preferences (app);
  row = hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "halo_test_row");

  /* Typed, not applied, and tested. */
  gtk_editable_set_text (hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "client_secret_row"),
                         hs_test_sim_get_client_secret (sim));
  g_assert_true (gtk_widget_activate (hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "halo_test_button")));
  g_assert_true (hs_gui_test_wait_until (test_row_done, row, TIMEOUT));
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, "Halo accepted the credentials.");
}

static void
test_typed_secret_tested (void)
{
  g_test_summary ("Test Connection uses the secret typed in the row, without Apply");
  hs_gui_test_run_app (typed_secret_tested, NULL);
}

static gboolean
widget_visible (gpointer user_data)
{
  return gtk_widget_get_visible (user_data);
}

static gboolean
widget_mapped (gpointer user_data)
{
  return gtk_widget_get_mapped (user_data);
}

static gboolean
widget_unmapped (gpointer user_data)
{
  return !gtk_widget_get_mapped (user_data);
}

static void
stored_secret_shown (HsApplication *app,
                     gpointer       user_data)
{
  HsPreferencesWindow *prefs;
  GtkEditable *row;
  GtkLabel *label;

  g_assert_true (hs_gui_test_wait_until (service_available, hs_application_get_client (app), TIMEOUT));
  store_client_secret (app, hs_test_sim_get_client_secret (sim));
  prefs = open_preferences (app);
  row = hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "client_secret_row");
  label = hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "client_secret_stored_label");

  /* Said, not shown. */
  g_assert_true (hs_gui_test_wait_until (widget_visible, label, TIMEOUT));
  g_assert_cmpstr (gtk_label_get_text (label), ==, "Stored in the keyring");
  g_assert_cmpstr (gtk_editable_get_text (row), ==, "");
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (row)));

  /* Typing a new one replaces it; the note makes room. */
  gtk_editable_set_text (row, "a-new-secret");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (label)));
}

static void
test_stored_secret_shown (void)
{
  g_test_summary ("Reopened preferences say a secret is stored, without showing it");
  hs_gui_test_run_app (stored_secret_shown, NULL);
}

static gboolean
preferences_closed (gpointer user_data)
{
  return hs_gui_test_find_window (user_data, HS_TYPE_PREFERENCES_WINDOW) == NULL;
}

static void
typed_secret_kept (HsApplication *app,
                   gpointer       user_data)
{
  HsPreferencesWindow *prefs;
  g_autofree char *secret = NULL;

  g_assert_true (hs_gui_test_wait_until (service_available, hs_application_get_client (app), TIMEOUT));
  store_client_secret (app, "an-old-secret");
  prefs = open_preferences (app);
  gtk_editable_set_text (hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "client_secret_row"),
                         "typed-then-closed");
  gtk_window_close (GTK_WINDOW (prefs));
  g_assert_true (hs_gui_test_wait_until (preferences_closed, app, TIMEOUT));

  secret = look_up_client_secret (app);
  g_assert_cmpstr (secret, ==, "typed-then-closed");
}

static void
test_typed_secret_kept (void)
{
  g_test_summary ("Closing Preferences stores a typed secret that was not applied");
  hs_gui_test_run_app (typed_secret_kept, NULL);
}

/* Types a secret and quits with Ctrl+Q, leaving the app to end by
 * itself rather than under hs_gui_test_run_app(), which would close the
 * windows itself. */
static void
quit_while_typed_cb (GApplication *app,
                     gpointer      user_data)
{
  HsPreferencesWindow *prefs;

  g_assert_true (hs_gui_test_wait_until (service_available, hs_application_get_client (HS_APPLICATION (app)),
                                         TIMEOUT));
  store_client_secret (HS_APPLICATION (app), "an-old-secret");
  prefs = open_preferences (HS_APPLICATION (app));
  gtk_editable_set_text (hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "client_secret_row"),
                         "typed-then-quit");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (prefs), "app.quit", NULL));
}

static void
test_quit_keeps_typed_secret (void)
{
  g_autoptr(HsApplication) app = hs_application_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;

  g_test_summary ("Quitting with Ctrl+Q stores a typed secret before the app ends");
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (quit_while_typed_cb), NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 0, NULL), ==, 0);

  /* Blocking, as a process that has ended runs nothing more: a store
   * still under way in the app's main context must not finish here. */
  secret = hs_config_lookup_secret (hs_application_get_config (app), HS_SECRET_HALO_CLIENT_SECRET, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "typed-then-quit");
}

static gboolean
years_loaded (gpointer user_data)
{
  HsEngineClient *client = user_data;

  return hs_engine_client_get_available (client) &&
         g_list_model_get_n_items (hs_engine_client_get_fiscal_years (client)) > 0;
}

static gboolean
year_shown (gpointer user_data)
{
  return gtk_widget_get_visible (user_data) && gtk_drop_down_get_selected_item (user_data) != NULL;
}

static gboolean
switcher_at_bottom (gpointer user_data)
{
  return adw_view_switcher_title_get_title_visible (user_data);
}

static gboolean
window_narrowed (gpointer user_data)
{
  return gtk_widget_get_width (user_data) <= 360;
}

static void
narrow_window (HsApplication *app,
               gpointer       user_data)
{
  HsWindow *window = hs_gui_test_find_window (app, HS_TYPE_WINDOW);
  GtkWidget *button = hs_gui_test_get_child (window, HS_TYPE_WINDOW, "sync_button");
  AdwViewSwitcherTitle *switcher_title = hs_gui_test_get_child (window, HS_TYPE_WINDOW, "switcher_title");
  int minimum, content;

  /* Everything in the header and on the card: the year drop-down, Sync
   * Now, and the error of the year's failed first sync, which names a
   * variable or a URL longer than a narrow line. */
  g_assert_true (hs_gui_test_wait_until (years_loaded, hs_application_get_client (app), TIMEOUT));
  g_assert_true (hs_gui_test_wait_until (widget_visible,
                                         hs_gui_test_get_child (hs_gui_test_get_child (window, HS_TYPE_WINDOW, "status_panel"),
                                                                HS_TYPE_STATUS_PANEL, "error_box"),
                                         TIMEOUT));
  g_assert_true (hs_gui_test_wait_until (year_shown, hs_gui_test_get_child (window, HS_TYPE_WINDOW, "fiscal_year_drop_down"),
                                         TIMEOUT));
  g_assert_cmpstr (hs_window_get_visible_state (window), ==, "content");
  /* At the usual size, Sync Now in words. */
  g_assert_true (hs_gui_test_wait_until (widget_mapped, button, TIMEOUT));

  /* As a person narrows it: the window stops where the wide header needs
   * it to, the switcher moves to the bottom and Sync Now to an icon, and
   * then it narrows further. */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  g_assert_true (hs_gui_test_wait_until (switcher_at_bottom, switcher_title, TIMEOUT));
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  g_assert_true (hs_gui_test_wait_until (window_narrowed, window, TIMEOUT));
  gtk_widget_measure (hs_gui_test_get_child (window, HS_TYPE_WINDOW, "toast_overlay"),
                      GTK_ORIENTATION_HORIZONTAL, -1, &content, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
  g_test_message ("minimum width %d, of the content %d", minimum, content);
  g_assert_cmpint (minimum, <=, 360);
  g_assert_true (hs_gui_test_wait_until (widget_mapped,
                                         hs_gui_test_get_child (window, HS_TYPE_WINDOW, "sync_icon_button"),
                                         TIMEOUT));
  g_assert_true (hs_gui_test_wait_until (widget_unmapped, button, TIMEOUT));
}

static void
test_narrow_window (void)
{
  GtkSettings *settings = gtk_settings_get_default ();
  g_autofree char *layout = NULL;

  g_test_summary ("The main window fits 360 pixels, the width of a phone");
  /* GNOME's window buttons (its button-layout setting), as on a phone,
   * not GTK's fallback of three, which alone take 108 pixels. */
  g_object_get (settings, "gtk-decoration-layout", &layout, NULL);
  g_object_set (settings, "gtk-decoration-layout", "appmenu:close", NULL);
  hs_gui_test_run_app (narrow_window, NULL);
  g_object_set (settings, "gtk-decoration-layout", layout, NULL);
}

static double
switcher_x (HsWindow *window)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (hs_gui_test_get_child (window, HS_TYPE_WINDOW, "switcher_title"),
                                            GTK_WIDGET (window), &bounds));
  return bounds.origin.x;
}

static gboolean
button_does (gpointer user_data)
{
  const char **expected = user_data;

  return g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (expected[0])), expected[1]) == 0;
}

static void
switcher_stays (HsApplication *app,
                gpointer       user_data)
{
  HsWindow *window = hs_gui_test_find_window (app, HS_TYPE_WINDOW);
  GtkWidget *button = hs_gui_test_get_child (window, HS_TYPE_WINDOW, "sync_button");
  const void *cancel[] = { button, "app.cancel" };
  const void *sync[] = { button, "app.sync" };
  GtkSettings *settings = gtk_widget_get_settings (button);
  g_autofree char *font = NULL;
  int fitted, refitted;
  double x;
  int width;

  store_client_secret (app, hs_test_sim_get_client_secret (sim));
  g_assert_true (hs_gui_test_wait_until (years_loaded, hs_application_get_client (app), TIMEOUT));
  g_assert_true (hs_gui_test_wait_until (year_shown, hs_gui_test_get_child (window, HS_TYPE_WINDOW, "fiscal_year_drop_down"),
                                         TIMEOUT));
  g_assert_true (hs_gui_test_wait_until (button_does, sync, TIMEOUT));
  hs_gui_test_spin (100);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Sync Now");
  g_assert_true (gtk_widget_get_mapped (button));
  x = switcher_x (window);
  width = gtk_widget_get_width (button);

  g_action_group_activate_action (G_ACTION_GROUP (app), "sync", NULL);
  g_assert_true (hs_gui_test_wait_until (button_does, cancel, TIMEOUT));
  hs_gui_test_spin (100);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Cancel");
  g_test_message ("switcher at %g, then %g; button %d, then %d pixels wide",
                  x, switcher_x (window), width, gtk_widget_get_width (button));
  g_assert_cmpfloat (switcher_x (window), ==, x);
  g_assert_cmpint (gtk_widget_get_width (button), ==, width);

  g_action_group_activate_action (G_ACTION_GROUP (app), "cancel", NULL);
  g_assert_true (hs_gui_test_wait_until (button_does, sync, TIMEOUT));

  /* A larger font (or text scaling) makes both words wider. */
  gtk_widget_get_size_request (button, &fitted, NULL);
  g_object_get (settings, "gtk-font-name", &font, NULL);
  g_object_set (settings, "gtk-font-name", "Sans 20", NULL);
  gtk_widget_get_size_request (button, &refitted, NULL);
  g_object_set (settings, "gtk-font-name", font, NULL);
  g_assert_cmpint (refitted, >, fitted);
}

static void
test_switcher_stays (void)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("The view switcher does not move when Sync Now turns into Cancel");
  /* A slow Halo keeps the run going while the header is measured. */
  reply = hs_test_sim_control (sim, "POST", "/_sim/faults",
                               "{\"faults\": [{\"kind\": \"latency\", \"path\": \"*\", \"ms\": 2000, \"rate\": 1.0}]}",
                               &error);
  g_assert_no_error (error);
  hs_gui_test_run_app (switcher_stays, NULL);
  g_clear_pointer (&reply, json_node_unref);
  reply = hs_test_sim_control (sim, "DELETE", "/_sim/faults", NULL, &error);
  g_assert_no_error (error);
}

/* A year for the header's drop-down; its first sync fails for want of
 * a secret, which puts the card's error up too. */
static void
create_fiscal_year (void)
{
  g_autoptr(HsIpcEngine1) proxy = hs_gui_test_new_service_proxy ();
  g_autoptr(GVariant) run = NULL;
  g_autoptr(GError) error = NULL;

  hs_ipc_engine1_call_create_fiscal_year_sync (proxy, "FY2026", "2025-07-01", "2026-06-30",
                                              G_DBUS_CALL_FLAGS_NONE, -1, &run, NULL, &error);
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GSubprocess) keyring = NULL;
  int status;

  hs_gui_test_init (&argc, &argv, g_getenv ("HS_GUI_SERVICE_DIR"));
  keyring = start_keyring ();
  /* An empty variable counts as unset: the secret comes from the
   * keyring, for the app and the service alike. */
  sim = hs_gui_test_start_service ("");
  create_fiscal_year ();

  /* First: the keyring is still empty. */
  g_test_add_func ("/gui/app/prefs/missing-secret-named", test_missing_secret_named);
  g_test_add_func ("/gui/app/window/narrow", test_narrow_window);
  g_test_add_func ("/gui/app/window/switcher-stays", test_switcher_stays);
  g_test_add_func ("/gui/app/prefs/typed-secret-tested", test_typed_secret_tested);
  g_test_add_func ("/gui/app/prefs/stored-secret-shown", test_stored_secret_shown);
  g_test_add_func ("/gui/app/prefs/typed-secret-kept", test_typed_secret_kept);
  g_test_add_func ("/gui/app/prefs/quit-keeps-typed-secret", test_quit_keeps_typed_secret);

  status = hs_gui_test_run ();
  g_clear_object (&sim);
  g_subprocess_force_exit (keyring);
  g_subprocess_wait (keyring, NULL, NULL);
  return status;
}
