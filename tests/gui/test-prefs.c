/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-fiscal-year-dialog.h"
#include "hs-gui-test.h"
#include "hs-preferences-window.h"
#include "hs-window.h"

/* Widget tests of dialogs and the window's layout that need no service,
 * on a private bus where nothing provides it. */

#define TIMEOUT 10

static gboolean
client_failed (gpointer user_data)
{
  return hs_engine_client_get_error_message (user_data) != NULL;
}

static gboolean
widget_visible (gpointer user_data)
{
  return gtk_widget_get_visible (user_data);
}

typedef struct
{
  GtkWidget *window;
  GtkWidget *label;
} Fit;

/* The label is laid out whole (as tall as its text needs at its width)
 * and inside the window. */
static gboolean
label_fits (gpointer user_data)
{
  Fit *fit = user_data;
  graphene_rect_t bounds;
  int needed;

  if (!gtk_widget_get_mapped (fit->label) ||
      !gtk_widget_compute_bounds (fit->label, fit->window, &bounds))
    return FALSE;
  gtk_widget_measure (fit->label, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (fit->label),
                      &needed, NULL, NULL, NULL);
  /* Measured with its margins, allocated without. */
  needed -= gtk_widget_get_margin_top (fit->label) + gtk_widget_get_margin_bottom (fit->label);
  return gtk_widget_get_height (fit->label) >= needed &&
         bounds.origin.y + bounds.size.height <= gtk_widget_get_height (fit->window);
}

static void
test_fiscal_year_dialog_layout (void)
{
  g_autoptr(HsEngineClient) client = hs_engine_client_new (G_BUS_TYPE_SESSION);
  HsFiscalYearDialog *dialog = hs_fiscal_year_dialog_new (client);
  GtkWidget *create = hs_gui_test_get_child (dialog, HS_TYPE_FISCAL_YEAR_DIALOG, "create_button");
  GtkWidget *label_row = hs_gui_test_get_child (dialog, HS_TYPE_FISCAL_YEAR_DIALOG, "label_row");
  GtkLabel *error = hs_gui_test_get_child (dialog, HS_TYPE_FISCAL_YEAR_DIALOG, "error_label");
  Fit fit = { GTK_WIDGET (dialog), GTK_WIDGET (error) };
  int height;

  g_test_summary ("The new-year dialog starts in the Label row, Create is the default, "
                  "and the window grows to show a long error whole");
  gtk_window_present (GTK_WINDOW (dialog));
  hs_gui_test_spin (100);
  height = gtk_widget_get_height (GTK_WIDGET (dialog));

  g_assert_true (gtk_widget_is_ancestor (gtk_window_get_focus (GTK_WINDOW (dialog)), label_row));
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (dialog)) == create);

  /* With no service, Create gets the long "not running" reason (longer
   * still in German). */
  g_assert_true (hs_gui_test_wait_until (client_failed, client, TIMEOUT));
  g_assert_true (gtk_widget_activate (create));
  g_assert_true (hs_gui_test_wait_until (widget_visible, error, TIMEOUT));
  g_assert_cmpint (strlen (gtk_label_get_text (error)), >, 100);
  g_assert_true (gtk_label_get_wrap (error));
  g_assert_true (hs_gui_test_wait_until (label_fits, &fit, TIMEOUT));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (dialog)), >, height);

  gtk_window_destroy (GTK_WINDOW (dialog));
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
window_shortcuts (HsApplication *app,
                  gpointer       user_data)
{
  HsWindow *window = hs_gui_test_find_window (app, HS_TYPE_WINDOW);
  AdwViewStack *stack = hs_gui_test_get_child (window, HS_TYPE_WINDOW, "view_stack");
  static const char * const pages[][2] = {
    { "history", "<Alt>2" },
    { "agents", "<Alt>3" },
    { "fiscal-years", "<Alt>4" },
    { "overview", "<Alt>1" },
  };

  assert_accel (app, "window.close", "<Control>w");
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *action = g_strconcat ("win.show-page::", pages[i][0], NULL);

      assert_accel (app, action, pages[i][1]);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", pages[i][0]));
      g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, pages[i][0]);
    }
}

static void
test_window_shortcuts (void)
{
  g_test_summary ("Ctrl+W closes the window; Alt+1 to Alt+4 show the pages in the switcher's order");
  hs_gui_test_run_app (window_shortcuts, NULL);
}

static gboolean
widget_laid_out (gpointer user_data)
{
  return gtk_widget_get_mapped (user_data) && gtk_widget_get_width (user_data) > 0;
}

static void
embedded_path (HsApplication *app,
               gpointer       user_data)
{
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "halosync", "halosync.db", NULL);
  HsPreferencesWindow *prefs;
  GtkWidget *row;
  GtkLabel *label;
  graphene_rect_t bounds;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  prefs = hs_gui_test_find_window (app, HS_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (prefs);
  row = hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "embedded_path_row");
  label = hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "embedded_path_label");
  gtk_window_set_default_size (GTK_WINDOW (prefs), 360, 600);
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs),
                                           ADW_PREFERENCES_PAGE (gtk_widget_get_ancestor (row, ADW_TYPE_PREFERENCES_PAGE)));
  g_assert_true (hs_gui_test_wait_until (widget_laid_out, label, TIMEOUT));

  /* The whole path, shortened in the middle where it does not fit, and
   * in full in the tooltip. */
  g_assert_cmpstr (gtk_label_get_text (label), ==, expected);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (label)), ==, expected);
  g_assert_cmpint (gtk_label_get_ellipsize (label), ==, PANGO_ELLIPSIZE_MIDDLE);
  g_assert_true (pango_layout_is_ellipsized (gtk_label_get_layout (label)));
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (label), row, &bounds));
  g_assert_cmpfloat (bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (row));

  /* Only for the embedded database. */
  adw_combo_row_set_selected (hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "sink_kind_row"), 1);
  g_assert_false (gtk_widget_get_visible (row));
}

static void
test_embedded_path (void)
{
  g_test_summary ("Preferences show where the embedded database is, shortened in the middle when narrow");
  hs_gui_test_run_app (embedded_path, NULL);
}

static gboolean
window_gone (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

static gboolean
row_failed (gpointer user_data)
{
  return gtk_widget_has_css_class (user_data, "error");
}

/* Types @text as the SQLite file, without Apply, and closes the window;
 * @test_subtitle, if set, is what Test Connection says before that. */
static void
type_sqlite_path_and_close (HsApplication *app,
                            const char    *text,
                            const char    *test_subtitle)
{
  HsPreferencesWindow *prefs;

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  prefs = hs_gui_test_find_window (app, HS_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (prefs);
  g_object_add_weak_pointer (G_OBJECT (prefs), (gpointer *) &prefs);
  adw_combo_row_set_selected (hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "sink_kind_row"), 1);
  gtk_editable_set_text (hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "sqlite_path_row"), text);
  if (test_subtitle != NULL)
    {
      AdwActionRow *row = hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "database_test_row");
      GtkWidget *button = hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "database_test_button");

      /* A button only clicks once it is on screen: a person goes there. */
      adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs),
                                               ADW_PREFERENCES_PAGE (gtk_widget_get_ancestor (button, ADW_TYPE_PREFERENCES_PAGE)));
      g_assert_true (hs_gui_test_wait_until (widget_laid_out, button, TIMEOUT));
      g_assert_true (gtk_widget_activate (button));
      g_assert_true (hs_gui_test_wait_until (row_failed, row, TIMEOUT));
      g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, test_subtitle);
    }
  gtk_window_close (GTK_WINDOW (prefs));
  g_assert_true (hs_gui_test_wait_until (window_gone, &prefs, TIMEOUT));
}

static void
typed_location_kept (HsApplication *app,
                     gpointer       user_data)
{
  GSettings *settings = hs_application_get_settings (app);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "team.db", NULL);
  g_autofree char *expected = g_strconcat ("sqlite://", path, NULL);
  g_autofree char *kept = NULL;
  g_autofree char *still = NULL;

  type_sqlite_path_and_close (app, path, NULL);
  kept = g_settings_get_string (settings, "sink-uri");
  g_assert_cmpstr (kept, ==, expected);

  /* No location at all: it is not tested, and what was stored stays. */
  type_sqlite_path_and_close (app, "team.db", "Correct the database location above first.");
  still = g_settings_get_string (settings, "sink-uri");
  g_assert_cmpstr (still, ==, expected);

  g_settings_reset (settings, "sink-uri");
}

static void
test_typed_location_kept (void)
{
  g_test_summary ("Closing Preferences keeps a database file typed but not applied, and never a wrong one");
  hs_gui_test_run_app (typed_location_kept, NULL);
}

int
main (int   argc,
      char *argv[])
{
  hs_gui_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gui/fiscal-year-dialog/layout", test_fiscal_year_dialog_layout);
  g_test_add_func ("/gui/window/shortcuts", test_window_shortcuts);
  g_test_add_func ("/gui/preferences/embedded-path", test_embedded_path);
  g_test_add_func ("/gui/preferences/typed-location-kept", test_typed_location_kept);

  return hs_gui_test_run ();
}
