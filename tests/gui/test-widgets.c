/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-agent-row.h"
#include "hs-application.h"
#include "hs-fiscal-year-dialog.h"
#include "hs-format.h"
#include "hs-gui-test.h"
#include "hs-hours-chart.h"
#include "hs-preferences-window.h"
#include "hs-run-row.h"
#include "hs-window.h"

/* Widget tests that need no service: every widget is built from its
 * template, and what it does on its own (validation, settings, layout,
 * the "service is not running" state) is checked.  They run on a private
 * bus where nothing provides the service, whatever the session has. */

static GSettings *
app_settings (void)
{
  return g_settings_new (HS_SETTINGS_SCHEMA);
}

static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = app_settings ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;

  g_object_get (settings, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i] != NULL; i++)
    g_settings_reset (settings, keys[i]);
}

static HsWindow *
app_window (HsApplication *app)
{
  HsWindow *window = hs_gui_test_find_window (app, HS_TYPE_WINDOW);

  g_assert_true (HS_IS_WINDOW (window));
  return window;
}

static gboolean
window_shows_unavailable (gpointer user_data)
{
  return g_strcmp0 (hs_window_get_visible_state (user_data), "unavailable") == 0;
}

static void
window_service_unavailable (HsApplication *app,
                            gpointer       user_data)
{
  HsWindow *window = app_window (app);
  AdwStatusPage *page;
  GtkWidget *button;
  GAction *sync;

  g_assert_true (hs_gui_test_wait_until (window_shows_unavailable, window, 10));

  page = hs_gui_test_get_child (window, HS_TYPE_WINDOW, "unavailable_page");
  g_assert_nonnull (strstr (adw_status_page_get_description (page), "not running"));
  /* A desktop user gets a button that starts it, not a command. */
  g_assert_null (strstr (adw_status_page_get_description (page), "systemctl"));
  button = gtk_widget_get_ancestor (hs_gui_test_find_label (GTK_WIDGET (page), "Start Service"), GTK_TYPE_BUTTON);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "win.reconnect");

  /* Nothing to sync with: the action (and with it Ctrl+R) is off. */
  sync = g_action_map_lookup_action (G_ACTION_MAP (app), "sync");
  g_assert_false (g_action_get_enabled (sync));
}

static void
test_window_service_unavailable (void)
{
  g_autoptr(GSettings) settings = app_settings ();

  g_test_summary ("Without the service the window says it is not running and offers to start it");
  reset_settings ();
  g_settings_set_string (settings, "halo-url", "https://example.halopsa.com");
  hs_gui_test_run_app (window_service_unavailable, NULL);
}

static void
window_welcome (HsApplication *app,
                gpointer       user_data)
{
  g_autoptr(GSettings) settings = app_settings ();
  HsWindow *window = app_window (app);
  GtkWidget *label, *button;

  hs_gui_test_spin (50);
  g_assert_cmpstr (hs_window_get_visible_state (window), ==, "welcome");

  label = hs_gui_test_find_label (GTK_WIDGET (window), "Set Up HaloSync…");
  g_assert_nonnull (label);
  button = gtk_widget_get_ancestor (label, GTK_TYPE_BUTTON);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "app.preferences");
  g_assert_true (g_action_get_enabled (g_action_map_lookup_action (G_ACTION_MAP (app), "preferences")));

  /* Configuring Halo moves on from the welcome page at once. */
  g_settings_set_string (settings, "halo-url", "https://example.halopsa.com");
  g_assert_cmpstr (hs_window_get_visible_state (window), !=, "welcome");
}

static void
assert_accel (HsApplication *app,
              const char    *action,
              const char    *accel)
{
  g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);

  g_assert_true (g_strv_contains ((const char * const *) accels, accel));
}

static void
accelerators (HsApplication *app,
              gpointer       user_data)
{
  assert_accel (app, "app.sync", "<Control>r");
  assert_accel (app, "app.new-fiscal-year", "<Control>n");
  assert_accel (app, "app.preferences", "<Control>comma");
  assert_accel (app, "app.quit", "<Control>q");
  assert_accel (app, "app.help", "F1");
  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "help"));
  /* GtkApplication adds Ctrl+? for the shortcuts window it found. */
  assert_accel (app, "win.show-help-overlay", "<Control>question");
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (app_window (app))));
}

static void
test_accelerators (void)
{
  g_test_summary ("Ctrl+R, Ctrl+N, Ctrl+comma, Ctrl+? and Ctrl+Q reach their actions");
  reset_settings ();
  hs_gui_test_run_app (accelerators, NULL);
}

static void
test_window_welcome (void)
{
  g_test_summary ("With nothing configured the window welcomes and leads to Preferences");
  reset_settings ();
  g_unsetenv ("HALOSYNC_HALO_URL");
  hs_gui_test_run_app (window_welcome, NULL);
}

static void
window_size_remembered (HsApplication *app,
                        gpointer       user_data)
{
  g_autoptr(GSettings) settings = app_settings ();
  HsWindow *window = app_window (app);
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 820);
  g_assert_cmpint (height, ==, 610);

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 650);
  hs_gui_test_spin (50);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 650);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

static void
test_window_size_remembered (void)
{
  g_autoptr(GSettings) settings = app_settings ();

  g_test_summary ("The window opens at the remembered size and remembers a new one on close");
  reset_settings ();
  g_settings_set_int (settings, "window-width", 820);
  g_settings_set_int (settings, "window-height", 610);
  hs_gui_test_run_app (window_size_remembered, NULL);
}

static void
assert_setting (GSettings  *settings,
                const char *key,
                const char *expected)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  g_assert_cmpstr (value, ==, expected);
}

static void
set_text (gpointer    editable,
          const char *text)
{
  gtk_editable_set_text (GTK_EDITABLE (editable), text);
}

static void
test_fiscal_year_dialog_validation (void)
{
  g_autoptr(HsEngineClient) client = hs_engine_client_new (G_BUS_TYPE_SESSION);
  HsFiscalYearDialog *dialog = hs_fiscal_year_dialog_new (client);
  GtkWidget *create = hs_gui_test_get_child (dialog, HS_TYPE_FISCAL_YEAR_DIALOG, "create_button");
  GtkLabel *error = hs_gui_test_get_child (dialog, HS_TYPE_FISCAL_YEAR_DIALOG, "error_label");
  GtkWidget *label = hs_gui_test_get_child (dialog, HS_TYPE_FISCAL_YEAR_DIALOG, "label_row");
  GtkWidget *start = hs_gui_test_get_child (dialog, HS_TYPE_FISCAL_YEAR_DIALOG, "start_row");
  GtkWidget *end = hs_gui_test_get_child (dialog, HS_TYPE_FISCAL_YEAR_DIALOG, "end_row");
  GtkCalendar *end_calendar = hs_gui_test_get_child (dialog, HS_TYPE_FISCAL_YEAR_DIALOG, "end_calendar");
  g_autoptr(GDateTime) day = NULL;

  g_test_summary ("The new-year dialog checks its input as it is typed and only then allows Create");
  gtk_window_present (GTK_WINDOW (dialog));

  /* With no year yet it suggests this calendar year, which is valid. */
  g_assert_true (g_str_has_prefix (gtk_editable_get_text (GTK_EDITABLE (label)), "FY"));
  g_assert_true (gtk_widget_get_sensitive (create));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error)));

  set_text (label, "FY2030");
  set_text (start, "2030-07-01");
  set_text (end, "2030-06-30");
  g_assert_false (gtk_widget_get_sensitive (create));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (error)));
  g_assert_nonnull (strstr (gtk_label_get_text (error), "before it starts"));

  set_text (end, "2031-13-01");
  g_assert_false (gtk_widget_get_sensitive (create));
  g_assert_true (gtk_widget_has_css_class (end, "error"));
  g_assert_false (gtk_widget_has_css_class (start, "error"));

  /* Picking the day in the calendar fills the entry in. */
  day = g_date_time_new_local (2031, 6, 30, 0, 0, 0);
  gtk_calendar_select_day (end_calendar, day);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (end)), ==, "2031-06-30");
  g_assert_true (gtk_widget_get_sensitive (create));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (error)));
  g_assert_false (gtk_widget_has_css_class (end, "error"));

  set_text (label, "");
  g_assert_false (gtk_widget_get_sensitive (create));
  g_assert_nonnull (strstr (gtk_label_get_text (error), "label"));

  gtk_window_destroy (GTK_WINDOW (dialog));
}

static GVariant *
sample_summary (void)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sssdduu)"));
  g_variant_builder_add (&builder, "(sssdduu)", "Alice", "Service Desk", "2025-07", 10.0, 8.0, 3u, 2u);
  g_variant_builder_add (&builder, "(sssdduu)", "Alice", "Service Desk", "2025-08", 12.5, 10.0, 1u, 1u);
  g_variant_builder_add (&builder, "(sssdduu)", "Bob", "Projects", "2025-07", 30.0, 15.0, 0u, 0u);
  g_variant_builder_add (&builder, "(sssdduu)", "", "", "2025-07", 2.0, 0.0, 1u, 0u);
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

static void
test_hours_chart (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *chart = hs_hours_chart_new ();
  g_autoptr(GVariant) summary = sample_summary ();
  g_autofree char *png = g_build_filename (g_get_tmp_dir (), "chart.png", NULL);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  int empty_height, height;

  g_test_summary ("The chart adds up each member's months and grows a bar per member");
  gtk_window_set_child (GTK_WINDOW (window), chart);
  gtk_window_set_default_size (GTK_WINDOW (window), 500, -1);
  gtk_widget_measure (chart, GTK_ORIENTATION_VERTICAL, -1, &empty_height, NULL, NULL, NULL);
  g_assert_cmpint (empty_height, ==, 0);

  hs_hours_chart_set_summary (HS_HOURS_CHART (chart), summary);
  g_assert_cmpuint (hs_hours_chart_get_n_members (HS_HOURS_CHART (chart)), ==, 3);
  g_assert_cmpfloat_with_epsilon (hs_hours_chart_get_total_hours (HS_HOURS_CHART (chart)), 54.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (hs_hours_chart_get_billable_hours (HS_HOURS_CHART (chart)), 33.0, 1e-9);
  gtk_widget_measure (chart, GTK_ORIENTATION_VERTICAL, -1, &height, NULL, NULL, NULL);
  g_assert_cmpint (height, >, empty_height);

  /* It draws in both styles without warnings, at the size it asked for. */
  gtk_window_present (GTK_WINDOW (window));
  hs_gui_test_spin (100);
  hs_gui_test_save_screenshot (chart, png);
  texture = gdk_texture_new_from_filename (png, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, gtk_widget_get_height (chart));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  hs_gui_test_spin (100);
  hs_gui_test_save_screenshot (chart, png);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  hs_hours_chart_set_summary (HS_HOURS_CHART (chart), NULL);
  g_assert_cmpuint (hs_hours_chart_get_n_members (HS_HOURS_CHART (chart)), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

static HsRun *
sample_run (HsRunStatus status)
{
  HsRun *run = hs_run_new ("FY2025", HS_TRIGGER_MANUAL, HS_SYNC_FULL, FALSE);

  hs_run_set_id (run, 7);
  hs_run_set_status (run, status);
  hs_run_set_started_at (run, G_GINT64_CONSTANT (1750000000) * G_USEC_PER_SEC);
  hs_run_set_finished_at (run, G_GINT64_CONSTANT (1750000000) * G_USEC_PER_SEC + 3200 * 1000);
  hs_run_add_count (run, HS_STREAM_TICKETS, HS_COUNTER_FETCHED, 1300);
  hs_run_add_count (run, HS_STREAM_TICKETS, HS_COUNTER_INSERTED, 1200);
  hs_run_add_count (run, HS_STREAM_TIME_ENTRIES, HS_COUNTER_UPDATED, 34);
  hs_run_add_count (run, HS_STREAM_TICKETS, HS_COUNTER_DELETED, 2);
  return run;
}

static void
test_format (void)
{
  g_autoptr(HsRun) run = sample_run (HS_RUN_SUCCEEDED);
  g_autoptr(HsRun) failed = sample_run (HS_RUN_FAILED);
  g_autofree char *summary = hs_format_run_summary (run);
  g_autofree char *failed_summary = hs_format_run_summary (failed);
  g_autofree char *counts = hs_format_run_counts (run);
  g_autofree char *seconds = hs_format_duration (3200 * 1000);
  g_autofree char *minutes = hs_format_duration (125 * G_USEC_PER_SEC);
  g_autofree char *hours = hs_format_duration (G_GINT64_CONSTANT (2 * 3600 + 600) * G_USEC_PER_SEC);

  g_test_summary ("A run reads the same in one line everywhere: when, rows and how long");
  g_assert_cmpstr (seconds, ==, "3.2 s");
  g_assert_cmpstr (minutes, ==, "2 min 5 s");
  g_assert_cmpstr (hours, ==, "2 h 10 min");
  g_assert_cmpuint (hs_format_rows_written (run), ==, 1236);
  g_assert_true (g_str_has_prefix (summary, "Synced "));
  g_assert_true (g_str_has_suffix (summary, " · 1236 rows · 3.2 s"));
  g_assert_true (g_str_has_prefix (failed_summary, "Sync failed "));
  g_assert_cmpstr (counts, ==, "1200 new · 34 updated · 2 deleted");
  g_assert_cmpstr (hs_format_stream ("time_entries"), ==, "Time entries");
  g_assert_cmpstr (hs_format_stage ("committing"), ==, "Saving");
}

static void
test_format_trigger (void)
{
  g_autoptr(HsRun) sync_now = hs_run_new ("FY2025", HS_TRIGGER_MANUAL, HS_SYNC_INCREMENTAL, FALSE);
  g_autoptr(HsRun) check = hs_run_new ("FY2025", HS_TRIGGER_MANUAL, HS_SYNC_FULL, TRUE);
  g_autoptr(HsRun) full = hs_run_new ("FY2025", HS_TRIGGER_MANUAL, HS_SYNC_FULL, FALSE);
  g_autoptr(HsRun) hourly = hs_run_new ("FY2025", HS_TRIGGER_HOURLY, HS_SYNC_INCREMENTAL, FALSE);

  g_test_summary ("A manual full run is named for what started it in the app, not Sync Now");
  g_assert_cmpstr (hs_format_run_trigger (sync_now), ==, "Sync Now");
  g_assert_cmpstr (hs_format_run_trigger (check), ==, "Check for deleted records");
  g_assert_cmpstr (hs_format_run_trigger (full), ==, "Full sync");
  g_assert_cmpstr (hs_format_run_trigger (hourly), ==, "Automatic");
}

static void
test_run_row (void)
{
  g_autoptr(HsRun) run = sample_run (HS_RUN_FAILED);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *row;

  g_test_summary ("A history row shows the run's year, trigger, counts and, expanded, its error");
  hs_run_add_warning (run, "Ticket 12 has no agent");
  hs_run_set_error_message (run, "Halo rejected the client id or secret for https://example.halopsa.com");
  row = hs_run_row_new (run);
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_window_set_child (GTK_WINDOW (window), list);
  gtk_window_present (GTK_WINDOW (window));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  g_assert_true (hs_gui_test_wait_for_label (row, "Ticket 12 has no agent", 10));

  g_assert_true (hs_run_row_get_run (HS_RUN_ROW (row)) == run);
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==,
                   "FY2025 · Full sync · 3.2 s · 1200 new · 34 updated · 2 deleted");
  g_assert_nonnull (hs_gui_test_find_label (row, "Failed"));
  g_assert_nonnull (hs_gui_test_find_label (row, "Halo rejected the client id or secret for https://example.halopsa.com"));
  g_assert_nonnull (hs_gui_test_find_label (row, "Ticket 12 has no agent"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
save_cb (HsAgentRow *row,
         const char *member,
         const char *team,
         gpointer    user_data)
{
  GStrv *saved = user_data;

  g_strfreev (*saved);
  *saved = g_new0 (char *, 3);
  (*saved)[0] = g_strdup (member);
  (*saved)[1] = g_strdup (team);
}

static void
test_agent_row (void)
{
  GtkWidget *row = hs_agent_row_new (42, "Carol Agent", "", "", TRUE);
  GtkWidget *icon = hs_gui_test_get_child (row, HS_TYPE_AGENT_ROW, "unmapped_icon");
  GtkWidget *member = hs_gui_test_get_child (row, HS_TYPE_AGENT_ROW, "member_row");
  GtkWidget *team = hs_gui_test_get_child (row, HS_TYPE_AGENT_ROW, "team_row");
  g_auto(GStrv) saved = NULL;

  g_test_summary ("An unmapped agent is marked; applying an edit asks to save both fields");
  g_object_ref_sink (row);
  g_assert_true (gtk_widget_get_visible (icon));
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "Not mapped");

  g_signal_connect (row, "save", G_CALLBACK (save_cb), &saved);
  set_text (member, "  Carol  ");
  set_text (team, "Projects");
  g_signal_emit_by_name (team, "apply");
  g_assert_nonnull (saved);
  g_assert_cmpstr (saved[0], ==, "Carol");
  g_assert_cmpstr (saved[1], ==, "Projects");

  /* Only the owner's confirmation changes what the row shows as stored. */
  g_assert_cmpstr (hs_agent_row_get_member (HS_AGENT_ROW (row)), ==, "");
  hs_agent_row_set_mapping (HS_AGENT_ROW (row), "Carol", "Projects");
  g_assert_false (gtk_widget_get_visible (icon));
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "Carol · Projects");

  g_object_unref (row);
}

static void
preferences (HsApplication *app,
             gpointer       user_data)
{
  g_autoptr(GSettings) settings = app_settings ();
  HsPreferencesWindow *prefs;
  GtkWidget *url, *kind, *path, *uri, *error, *schedule;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  prefs = hs_gui_test_find_window (app, HS_TYPE_PREFERENCES_WINDOW);
  g_assert_true (HS_IS_PREFERENCES_WINDOW (prefs));

  url = hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "url_row");
  kind = hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "sink_kind_row");
  path = hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "sqlite_path_row");
  uri = hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "postgres_uri_row");
  error = hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "sink_error_label");
  schedule = hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "schedule_switch");

  set_text (url, "https://example.halopsa.com");
  assert_setting (settings, "halo-url", "https://example.halopsa.com");

  gtk_switch_set_active (GTK_SWITCH (schedule), FALSE);
  g_assert_false (g_settings_get_boolean (settings, "schedule-enabled"));

  adw_combo_row_set_selected (ADW_COMBO_ROW (kind), 1);
  g_assert_true (gtk_widget_get_visible (path));
  g_assert_false (gtk_widget_get_visible (uri));
  set_text (path, "relative.db");
  g_signal_emit_by_name (path, "apply");
  g_assert_true (gtk_widget_get_visible (error));
  assert_setting (settings, "sink-uri", "");
  set_text (path, "/srv/halosync/team.db");
  g_signal_emit_by_name (path, "apply");
  g_assert_false (gtk_widget_get_visible (error));
  assert_setting (settings, "sink-uri", "sqlite:///srv/halosync/team.db");

  adw_combo_row_set_selected (ADW_COMBO_ROW (kind), 2);
  set_text (uri, "postgresql://admin:hunter2@db.example.com/postgres");
  g_signal_emit_by_name (uri, "apply");
  g_assert_true (gtk_widget_get_visible (error));
  assert_setting (settings, "sink-uri", "sqlite:///srv/halosync/team.db");
  set_text (uri, "postgresql://admin@db.example.com:5432/postgres?sslmode=require");
  g_signal_emit_by_name (uri, "apply");
  assert_setting (settings, "sink-uri", "postgresql://admin@db.example.com:5432/postgres?sslmode=require");

  adw_combo_row_set_selected (ADW_COMBO_ROW (kind), 0);
  assert_setting (settings, "sink-uri", "");
}

static void
test_preferences (void)
{
  g_test_summary ("Preferences write the settings the service reads, and refuse a password in the URI");
  reset_settings ();
  hs_gui_test_run_app (preferences, NULL);
}

int
main (int   argc,
      char *argv[])
{
  /* A private bus on which nothing provides the service. */
  hs_gui_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gui/format", test_format);
  g_test_add_func ("/gui/format/trigger", test_format_trigger);
  g_test_add_func ("/gui/window/service-unavailable", test_window_service_unavailable);
  g_test_add_func ("/gui/window/welcome", test_window_welcome);
  g_test_add_func ("/gui/window/accelerators", test_accelerators);
  g_test_add_func ("/gui/window/size-remembered", test_window_size_remembered);
  g_test_add_func ("/gui/fiscal-year-dialog/validation", test_fiscal_year_dialog_validation);
  g_test_add_func ("/gui/hours-chart", test_hours_chart);
  g_test_add_func ("/gui/run-row", test_run_row);
  g_test_add_func ("/gui/agent-row", test_agent_row);
  g_test_add_func ("/gui/preferences", test_preferences);

  return hs_gui_test_run ();
}
