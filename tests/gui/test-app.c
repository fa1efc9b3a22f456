/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-agents-page.h"
#include "hs-fiscal-year-dialog.h"
#include "hs-format.h"
#include "hs-gui-test.h"
#include "hs-history-page.h"
#include "hs-preferences-window.h"
#include "hs-run-row.h"
#include "hs-status-panel.h"
#include "hs-window.h"

/* The app against the real service: halosyncd, activated on a private
 * bus, with the Halo source talking to halo-sim and the gda sink writing
 * SQLite.  The tests drive the widgets a person would use and run in the
 * order they are added; the service keeps its state from one to the
 * next, as it would between two sessions. */

/* How long a step may take before the test fails; the sanitizer build
 * runs the app and the service many times slower. */
#define TIMEOUT 60

static HsTestSim *sim;

typedef struct
{
  HsApplication *app;
  HsWindow *window;
  HsEngineClient *client;
  HsRun *started;    /* (owned) (nullable) the last run the app saw start */
  HsRun *finished;   /* (owned) (nullable) the last run the app saw end */
  char *title_at_start;        /* (owned) the status title when it started */
  char *button_at_start;       /* (owned) the header button's label then */
  guint n_progress;            /* Progress signals seen */
} Fixture;

static void
progress_cb (HsEngineClient *client,
             gint64          run_id,
             const char     *stage,
             const char     *stream,
             guint64         fetched,
             guint64         written,
             gpointer        user_data)
{
  Fixture *f = user_data;

  f->n_progress++;
}

static void
run_started_cb (HsEngineClient *client,
                HsRun          *run,
                gpointer        user_data)
{
  Fixture *f = user_data;
  GtkLabel *title = hs_gui_test_get_child (hs_gui_test_get_child (f->window, HS_TYPE_WINDOW, "status_panel"),
                                           HS_TYPE_STATUS_PANEL, "title_label");
  GtkButton *button = hs_gui_test_get_child (f->window, HS_TYPE_WINDOW, "sync_button");

  g_set_object (&f->started, run);
  g_free (f->title_at_start);
  f->title_at_start = g_strdup (gtk_label_get_text (title));
  g_free (f->button_at_start);
  f->button_at_start = g_strdup (gtk_button_get_label (button));
}

static void
run_finished_cb (HsEngineClient *client,
                 HsRun          *run,
                 gpointer        user_data)
{
  Fixture *f = user_data;

  g_set_object (&f->finished, run);
}

static void
fixture_set_up (Fixture       *f,
                HsApplication *app)
{
  f->app = app;
  f->window = hs_gui_test_find_window (app, HS_TYPE_WINDOW);
  f->client = hs_application_get_client (app);
  g_signal_connect (f->client, "run-started", G_CALLBACK (run_started_cb), f);
  g_signal_connect (f->client, "run-finished", G_CALLBACK (run_finished_cb), f);
  g_signal_connect (f->client, "progress", G_CALLBACK (progress_cb), f);
}

static void
fixture_tear_down (Fixture *f)
{
  g_signal_handlers_disconnect_by_data (f->client, f);
  g_clear_object (&f->started);
  g_clear_object (&f->finished);
  g_clear_pointer (&f->title_at_start, g_free);
  g_clear_pointer (&f->button_at_start, g_free);
}

static gboolean
service_available (gpointer user_data)
{
  Fixture *f = user_data;

  return hs_engine_client_get_available (f->client) &&
         g_list_model_get_n_items (hs_engine_client_get_fiscal_years (f->client)) > 0;
}

static gboolean
run_finished (gpointer user_data)
{
  Fixture *f = user_data;

  return f->finished != NULL;
}

static gboolean
run_fetching (gpointer user_data)
{
  Fixture *f = user_data;

  return hs_engine_client_get_current_run (f->client) != NULL && f->n_progress > 0;
}

static const char *
label_text (Fixture    *f,
            const char *name)
{
  GtkWidget *panel = hs_gui_test_get_child (f->window, HS_TYPE_WINDOW, "status_panel");

  return gtk_label_get_text (hs_gui_test_get_child (panel, HS_TYPE_STATUS_PANEL, name));
}

typedef struct
{
  Fixture *f;
  const char *name;
  const char *text;
} PanelLabelQuery;

static gboolean
panel_label_is (gpointer user_data)
{
  PanelLabelQuery *query = user_data;

  return g_strcmp0 (label_text (query->f, query->name), query->text) == 0;
}

/* Creates a year straight over D-Bus, as a script would, and waits for
 * the background sync the service starts for it. */
static void
create_year_over_dbus (const char *label,
                       const char *start,
                       const char *end)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsIpcEngine1) proxy = NULL;
  g_autoptr(GVariant) run = NULL;
  gint64 deadline = g_get_monotonic_time () + TIMEOUT * G_USEC_PER_SEC;

  proxy = hs_gui_test_new_service_proxy ();
  hs_ipc_engine1_call_create_fiscal_year_sync (proxy, label, start, end, G_DBUS_CALL_FLAGS_NONE, -1,
                                              &run, NULL, &error);
  g_assert_no_error (error);

  /* The service names its last run once that run has ended. */
  while (g_get_monotonic_time () < deadline)
    {
      GVariant *last = hs_ipc_engine1_get_last_run (proxy);
      const char *year = NULL;

      if (last != NULL && g_variant_lookup (last, "fiscal-year", "&s", &year) &&
          g_strcmp0 (year, label) == 0)
        return;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20000);
    }
  g_assert_not_reached ();
}

static gboolean
latest_selected (gpointer user_data)
{
  HsFiscalYear *selected = gtk_drop_down_get_selected_item (user_data);

  return selected != NULL && g_strcmp0 (hs_fiscal_year_get_label (selected), "FY2026") == 0;
}

static void
window_lists_years (HsApplication *app,
                    gpointer       user_data)
{
  Fixture f = { 0 };
  GtkDropDown *drop_down;
  HsFiscalYear *selected;
  GListModel *model;

  fixture_set_up (&f, app);
  g_assert_true (hs_gui_test_wait_until (service_available, &f, TIMEOUT));
  g_assert_cmpstr (hs_window_get_visible_state (f.window), ==, "content");

  /* The drop-down holds what the service has, latest selected. */
  drop_down = hs_gui_test_get_child (f.window, HS_TYPE_WINDOW, "fiscal_year_drop_down");
  model = gtk_drop_down_get_model (drop_down);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_true (hs_gui_test_wait_until (latest_selected, drop_down, TIMEOUT));
  selected = gtk_drop_down_get_selected_item (drop_down);
  g_assert_cmpstr (hs_fiscal_year_get_label (selected), ==, "FY2026");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (drop_down)));

  /* The service's last run is shown in one line. */
  g_assert_true (g_str_has_prefix (label_text (&f, "subtitle_label"), "Synced "));

  fixture_tear_down (&f);
}

static void
test_window_lists_years (void)
{
  g_test_summary ("The window opens with the fiscal years the service has, the latest selected");
  create_year_over_dbus ("FY2025", "2024-07-01", "2025-06-30");
  create_year_over_dbus ("FY2026", "2025-07-01", "2026-06-30");
  hs_gui_test_run_app (window_lists_years, NULL);
}

static void
sync_now (HsApplication *app,
          gpointer       user_data)
{
  Fixture f = { 0 };
  GtkWidget *button;
  GtkWidget *grid;

  fixture_set_up (&f, app);
  g_assert_true (hs_gui_test_wait_until (service_available, &f, TIMEOUT));

  /* Ctrl+R and the header button are both app.sync. */
  button = hs_gui_test_get_child (f.window, HS_TYPE_WINDOW, "sync_button");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "app.sync");
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (hs_gui_test_wait_until (run_finished, &f, TIMEOUT));

  /* While it ran: Syncing, and the button was Cancel. */
  g_assert_nonnull (f.started);
  g_assert_cmpstr (hs_run_get_fiscal_year (f.started), ==, "FY2026");
  g_assert_cmpint (hs_run_get_trigger (f.started), ==, HS_TRIGGER_MANUAL);
  g_assert_cmpstr (f.title_at_start, ==, "Syncing FY2026");
  g_assert_cmpstr (f.button_at_start, ==, "_Cancel");

  /* Then: finished, with the counts per stream and in one line. */
  g_assert_cmpint (hs_run_get_status (f.finished), ==, HS_RUN_SUCCEEDED);
  g_assert_cmpstr (label_text (&f, "title_label"), ==, "Up to Date");
  g_assert_true (g_str_has_prefix (label_text (&f, "subtitle_label"), "Synced "));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Sync Now");
  grid = hs_gui_test_get_child (hs_gui_test_get_child (f.window, HS_TYPE_WINDOW, "status_panel"),
                                HS_TYPE_STATUS_PANEL, "streams_grid");
  g_assert_true (gtk_widget_get_visible (grid));
  g_assert_cmpuint (hs_run_get_total (f.finished, HS_COUNTER_FETCHED), >, 0);
  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    {
      g_autofree char *fetched = hs_format_count (hs_run_get_count (f.finished, stream, HS_COUNTER_FETCHED));

      /* Each stream the run read shows with what it fetched. */
      if (hs_run_get_count (f.finished, stream, HS_COUNTER_FETCHED) == 0)
        continue;
      g_assert_true (hs_gui_test_wait_for_label (grid, hs_format_stream (hs_stream_to_string (stream)), TIMEOUT));
      g_assert_true (hs_gui_test_wait_for_label (grid, fetched, TIMEOUT));
    }

  fixture_tear_down (&f);
}

static void
test_sync_now (void)
{
  g_test_summary ("Sync Now starts a run; the status goes from running to finished with the counts");
  hs_gui_test_run_app (sync_now, NULL);
}

static void
cancel (HsApplication *app,
        gpointer       user_data)
{
  Fixture f = { 0 };
  PanelLabelQuery canceled = { &f, "title_label", "Sync Canceled" };
  GtkWidget *button;

  fixture_set_up (&f, app);
  g_assert_true (hs_gui_test_wait_until (service_available, &f, TIMEOUT));

  button = hs_gui_test_get_child (f.window, HS_TYPE_WINDOW, "sync_button");
  g_action_group_activate_action (G_ACTION_GROUP (app), "sync", NULL);
  g_assert_true (hs_gui_test_wait_until (run_fetching, &f, TIMEOUT));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "app.cancel");

  /* The same button, now Cancel. */
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (hs_gui_test_wait_until (run_finished, &f, TIMEOUT));
  g_test_message ("run %" G_GINT64_FORMAT ": %s, %u requests, %u progress signals seen, request error: %s",
                  hs_run_get_id (f.finished), hs_run_status_to_string (hs_run_get_status (f.finished)),
                  hs_run_get_api_calls (f.finished), f.n_progress,
                  hs_engine_client_get_sync_error (f.client) != NULL ? hs_engine_client_get_sync_error (f.client) : "none");
  g_assert_cmpint (hs_run_get_status (f.finished), ==, HS_RUN_CANCELLED);
  /* The card learns of the end from the RunFinished signal, the service's
   * properties and its run list, which a loaded machine can deliver in
   * either order: it must settle on the cancellation, not show it first. */
  g_assert_true (hs_gui_test_wait_until (panel_label_is, &canceled, TIMEOUT));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "app.sync");

  fixture_tear_down (&f);
}

static void
test_cancel (void)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("Cancel, the same button while a run goes, cancels the run");
  /* A slow Halo keeps the run going long enough to cancel it, even when
   * the app reacts slowly (the sanitizer build on a loaded machine); a
   * cancel that arrives while the last request finishes is too late. */
  reply = hs_test_sim_control (sim, "POST", "/_sim/faults",
                               "{\"faults\": [{\"kind\": \"latency\", \"path\": \"*\", \"ms\": 4000, \"rate\": 1.0}]}",
                               &error);
  g_assert_no_error (error);
  hs_gui_test_run_app (cancel, NULL);
  g_clear_pointer (&reply, json_node_unref);
  reply = hs_test_sim_control (sim, "DELETE", "/_sim/faults", NULL, &error);
  g_assert_no_error (error);
}

static gboolean
year_created_and_syncing (gpointer user_data)
{
  Fixture *f = user_data;

  return hs_engine_client_find_fiscal_year (f->client, "FY2027") != NULL &&
         f->started != NULL && g_strcmp0 (hs_run_get_fiscal_year (f->started), "FY2027") == 0;
}

static void
new_fiscal_year (HsApplication *app,
                 gpointer       user_data)
{
  Fixture f = { 0 };
  HsFiscalYearDialog *dialog;
  GtkWidget *create, *label, *start, *end;

  fixture_set_up (&f, app);
  g_assert_true (hs_gui_test_wait_until (service_available, &f, TIMEOUT));

  /* Ctrl+N */
  g_action_group_activate_action (G_ACTION_GROUP (app), "new-fiscal-year", NULL);
  dialog = hs_gui_test_find_window (app, HS_TYPE_FISCAL_YEAR_DIALOG);
  g_assert_nonnull (dialog);
  create = hs_gui_test_get_child (dialog, HS_TYPE_FISCAL_YEAR_DIALOG, "create_button");
  label = hs_gui_test_get_child (dialog, HS_TYPE_FISCAL_YEAR_DIALOG, "label_row");
  start = hs_gui_test_get_child (dialog, HS_TYPE_FISCAL_YEAR_DIALOG, "start_row");
  end = hs_gui_test_get_child (dialog, HS_TYPE_FISCAL_YEAR_DIALOG, "end_row");

  /* It suggests the year after the latest. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (label)), ==, "FY2027");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (start)), ==, "2026-07-01");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (end)), ==, "2027-06-30");
  g_assert_true (gtk_widget_get_sensitive (create));

  /* An end before the start is refused. */
  gtk_editable_set_text (GTK_EDITABLE (end), "2026-06-30");
  g_assert_false (gtk_widget_get_sensitive (create));
  /* So is one that overlaps an existing year. */
  gtk_editable_set_text (GTK_EDITABLE (start), "2026-06-01");
  gtk_editable_set_text (GTK_EDITABLE (end), "2027-05-31");
  g_assert_false (gtk_widget_get_sensitive (create));

  gtk_editable_set_text (GTK_EDITABLE (start), "2026-07-01");
  gtk_editable_set_text (GTK_EDITABLE (end), "2027-06-30");
  g_assert_true (gtk_widget_get_sensitive (create));
  g_assert_true (gtk_widget_activate (create));

  /* The service stores it and starts syncing it in the background. */
  g_assert_true (hs_gui_test_wait_until (year_created_and_syncing, &f, TIMEOUT));
  g_assert_cmpint (hs_run_get_trigger (f.started), ==, HS_TRIGGER_FISCAL_YEAR);
  g_assert_null (hs_gui_test_find_window (app, HS_TYPE_FISCAL_YEAR_DIALOG));
  g_assert_true (hs_gui_test_wait_until (run_finished, &f, TIMEOUT));

  fixture_tear_down (&f);
}

static void
test_new_fiscal_year (void)
{
  g_test_summary ("The new-year dialog refuses an end before the start; a valid year is created and synced");
  hs_gui_test_run_app (new_fiscal_year, NULL);
}

static gboolean
history_loaded (gpointer user_data)
{
  Fixture *f = user_data;
  HsHistoryPage *page = hs_gui_test_get_child (f->window, HS_TYPE_WINDOW, "history_page");

  /* Two years created, one sync, one cancel, one new year. */
  return g_list_model_get_n_items (hs_history_page_get_runs (page)) >= 5;
}

/* The row of the @index-th run shown, expanded. */
static HsRunRow *
expand_run_row (HsHistoryPage *page,
                guint          index)
{
  GtkListBox *list_box = hs_gui_test_get_child (page, HS_TYPE_HISTORY_PAGE, "list_box");
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list_box, index);

  g_assert_true (HS_IS_RUN_ROW (row));
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  return HS_RUN_ROW (row);
}

/* Rows say on which day, what each stream did, and which agents still
 * have no team member. */
static void
check_history_details (HsHistoryPage *page)
{
  GListModel *runs = hs_history_page_get_shown_runs (page);
  HsRunRow *row = expand_run_row (page, 0);
  g_autofree char *tickets = NULL;
  g_autofree char *unmapped_title = NULL;
  guint with_tickets = G_MAXUINT;
  guint with_unmapped = G_MAXUINT;

  g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), "Today, "));

  /* The demo year's first sync fetched tickets and, with no agent mapped
   * yet, left some agents without a team member. */
  for (guint i = 0; i < g_list_model_get_n_items (runs); i++)
    {
      g_autoptr(HsRun) run = g_list_model_get_item (runs, i);

      if (with_tickets == G_MAXUINT && hs_run_get_count (run, HS_STREAM_TICKETS, HS_COUNTER_FETCHED) > 0)
        {
          with_tickets = i;
          tickets = hs_format_stream_counts (run, HS_STREAM_TICKETS);
        }
      if (with_unmapped == G_MAXUINT && hs_run_get_unmapped_agents (run)->len > 0)
        {
          with_unmapped = i;
          unmapped_title = g_strdup_printf ("%u Agents Without a Team Member", hs_run_get_unmapped_agents (run)->len);
        }
    }
  g_assert_cmpuint (with_tickets, !=, G_MAXUINT);
  g_assert_cmpuint (with_unmapped, !=, G_MAXUINT);

  row = expand_run_row (page, with_tickets);
  g_assert_true (hs_gui_test_wait_for_label (GTK_WIDGET (row), "Tickets", TIMEOUT));
  g_assert_true (hs_gui_test_wait_for_label (GTK_WIDGET (row), tickets, TIMEOUT));
  row = expand_run_row (page, with_unmapped);
  g_assert_true (hs_gui_test_wait_for_label (GTK_WIDGET (row), unmapped_title, TIMEOUT));
}

static gboolean
run_has_problem (HsRun *run)
{
  return hs_run_get_status (run) != HS_RUN_SUCCEEDED || hs_run_get_n_warnings (run) > 0 ||
         hs_run_get_unmapped_agents (run)->len > 0;
}

/* The shown runs are exactly those of the chosen year (or all), and only
 * those with a problem when asked. */
static void
assert_filtered (HsHistoryPage *page,
                 const char    *year,
                 gboolean       problems_only)
{
  GListModel *all = hs_history_page_get_runs (page);
  GListModel *shown = hs_history_page_get_shown_runs (page);
  guint n_shown = 0;

  for (guint i = 0; i < g_list_model_get_n_items (all); i++)
    {
      g_autoptr(HsRun) run = g_list_model_get_item (all, i);
      gboolean passes = (year == NULL || g_strcmp0 (hs_run_get_fiscal_year (run), year) == 0) &&
                        (!problems_only || run_has_problem (run));

      if (passes)
        {
          g_autoptr(HsRun) next = g_list_model_get_item (shown, n_shown++);

          g_assert_true (next == run);
        }
    }
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, n_shown);
}

static void
check_history_filters (HsHistoryPage *page)
{
  GtkDropDown *years = hs_gui_test_get_child (page, HS_TYPE_HISTORY_PAGE, "year_filter");
  GtkToggleButton *problems = hs_gui_test_get_child (page, HS_TYPE_HISTORY_PAGE, "problems_filter");
  GListModel *names = gtk_drop_down_get_model (years);
  guint fy2027 = GTK_INVALID_LIST_POSITION;

  g_assert_cmpuint (g_list_model_get_n_items (names), >=, 3);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (names), 0), ==, "All Years");
  for (guint i = 1; i < g_list_model_get_n_items (names); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (names), i), "FY2027") == 0)
      fy2027 = i;
  g_assert_cmpuint (fy2027, ==, 1);

  assert_filtered (page, NULL, FALSE);
  gtk_drop_down_set_selected (years, fy2027);
  assert_filtered (page, "FY2027", FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (hs_history_page_get_shown_runs (page)), <,
                    g_list_model_get_n_items (hs_history_page_get_runs (page)));
  gtk_toggle_button_set_active (problems, TRUE);
  assert_filtered (page, "FY2027", TRUE);
  gtk_drop_down_set_selected (years, 0);
  assert_filtered (page, NULL, TRUE);
  /* The canceled run is a problem to see. */
  g_assert_true (hs_gui_test_wait_for_label (GTK_WIDGET (page), "Canceled", TIMEOUT));
  gtk_toggle_button_set_active (problems, FALSE);
  assert_filtered (page, NULL, FALSE);
}

/* A notification's click (app.show-run, from the service) opens that
 * run on the History page, whatever the filters hid. */
static void
check_show_run (HsApplication *app,
                Fixture       *f,
                HsHistoryPage *page)
{
  AdwViewStack *stack = hs_gui_test_get_child (f->window, HS_TYPE_WINDOW, "view_stack");
  GtkToggleButton *problems = hs_gui_test_get_child (page, HS_TYPE_HISTORY_PAGE, "problems_filter");
  GtkListBox *list_box = hs_gui_test_get_child (page, HS_TYPE_HISTORY_PAGE, "list_box");
  g_autoptr(HsRun) run = g_list_model_get_item (hs_history_page_get_runs (page), 2);
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list_box, i)) != NULL; i++)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), FALSE);
  gtk_toggle_button_set_active (problems, TRUE);
  adw_view_stack_set_visible_child_name (stack, "overview");
  g_action_group_activate_action (G_ACTION_GROUP (app), "show-run", g_variant_new_int64 (hs_run_get_id (run)));

  g_assert_cmpstr (adw_view_stack_get_visible_child_name (stack), ==, "history");
  g_assert_false (gtk_toggle_button_get_active (problems));
  row = gtk_list_box_get_row_at_index (list_box, 2);
  g_assert_true (HS_IS_RUN_ROW (row));
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)));
}

static void
history (HsApplication *app,
         gpointer       user_data)
{
  Fixture f = { 0 };
  AdwViewStack *stack;
  HsHistoryPage *page;
  g_autoptr(HsRun) newest = NULL;

  fixture_set_up (&f, app);
  stack = hs_gui_test_get_child (f.window, HS_TYPE_WINDOW, "view_stack");
  adw_view_stack_set_visible_child_name (stack, "history");
  page = hs_gui_test_get_child (f.window, HS_TYPE_WINDOW, "history_page");
  g_assert_true (hs_gui_test_wait_until (history_loaded, &f, TIMEOUT));

  /* Newest first: the new year's background sync. */
  newest = g_list_model_get_item (hs_history_page_get_runs (page), 0);
  g_assert_cmpstr (hs_run_get_fiscal_year (newest), ==, "FY2027");
  g_assert_cmpint (hs_run_get_trigger (newest), ==, HS_TRIGGER_FISCAL_YEAR);
  g_assert_true (hs_gui_test_wait_for_label (GTK_WIDGET (page), "Canceled", TIMEOUT));
  g_assert_true (hs_gui_test_wait_for_label (GTK_WIDGET (page), "Succeeded", TIMEOUT));

  check_history_details (page);
  check_history_filters (page);
  check_show_run (app, &f, page);

  fixture_tear_down (&f);
}

static void
test_history (void)
{
  g_test_summary ("History lists the runs, newest first, with their status");
  hs_gui_test_run_app (history, NULL);
}

typedef struct
{
  Fixture *f;
  HsAgentRow *row;
} AgentQuery;

static gboolean
agents_loaded (gpointer user_data)
{
  Fixture *f = user_data;
  HsAgentsPage *page = hs_gui_test_get_child (f->window, HS_TYPE_WINDOW, "agents_page");

  return hs_agents_page_get_n_rows (page) > 0;
}

static gboolean
agent_mapped (gpointer user_data)
{
  HsAgentRow *row = user_data;

  return g_strcmp0 (hs_agent_row_get_member (row), "Dana Example") == 0;
}

/* The Halo id of the @index-th agent the service lists. */
static gint64
agent_id_at (gsize index)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsIpcEngine1) proxy = NULL;
  g_autoptr(GVariant) agents = NULL;
  gint64 halo_id;

  proxy = hs_gui_test_new_service_proxy ();
  hs_ipc_engine1_call_list_agents_sync (proxy, G_DBUS_CALL_FLAGS_NONE, -1, &agents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (agents), >, index);
  g_variant_get_child (agents, index, "(xsssb)", &halo_id, NULL, NULL, NULL, NULL);
  return halo_id;
}

static gint64
first_agent_id (void)
{
  return agent_id_at (0);
}

static void
map_agent (HsApplication *app,
           gpointer       user_data)
{
  Fixture f = { 0 };
  HsAgentsPage *page;
  HsAgentRow *row;
  GtkWidget *member, *team;
  gint64 halo_id = *(gint64 *) user_data;

  fixture_set_up (&f, app);
  page = hs_gui_test_get_child (f.window, HS_TYPE_WINDOW, "agents_page");
  g_assert_true (hs_gui_test_wait_until (agents_loaded, &f, TIMEOUT));

  row = hs_agents_page_find_row (page, halo_id);
  g_assert_nonnull (row);
  member = hs_gui_test_get_child (row, HS_TYPE_AGENT_ROW, "member_row");
  team = hs_gui_test_get_child (row, HS_TYPE_AGENT_ROW, "team_row");
  gtk_editable_set_text (GTK_EDITABLE (member), "Dana Example");
  gtk_editable_set_text (GTK_EDITABLE (team), "Service Desk");
  g_signal_emit_by_name (member, "apply");

  g_assert_true (hs_gui_test_wait_until (agent_mapped, row, TIMEOUT));
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "Dana Example · Service Desk");

  fixture_tear_down (&f);
}

static void
mapping_persisted (HsApplication *app,
                   gpointer       user_data)
{
  Fixture f = { 0 };
  HsAgentsPage *page;
  HsAgentRow *row;
  gint64 halo_id = *(gint64 *) user_data;

  fixture_set_up (&f, app);
  page = hs_gui_test_get_child (f.window, HS_TYPE_WINDOW, "agents_page");
  g_assert_true (hs_gui_test_wait_until (agents_loaded, &f, TIMEOUT));
  row = hs_agents_page_find_row (page, halo_id);
  g_assert_nonnull (row);
  g_assert_cmpstr (hs_agent_row_get_member (row), ==, "Dana Example");
  g_assert_cmpstr (hs_agent_row_get_team (row), ==, "Service Desk");

  fixture_tear_down (&f);
}

static void
test_map_agent (void)
{
  gint64 halo_id = first_agent_id ();

  g_test_summary ("A mapping edited on the Agents page is saved by the service and still there next time");
  hs_gui_test_run_app (map_agent, &halo_id);
  /* A new app (as after a restart) reads it back from the service. */
  hs_gui_test_run_app (mapping_persisted, &halo_id);
}

static gboolean
menu_offers (GMenuModel *menu,
             const char *label)
{
  for (int i = 0; menu != NULL && i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *item_label = NULL;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &item_label) &&
          g_strcmp0 (item_label, label) == 0)
        return TRUE;
    }
  return FALSE;
}

typedef struct
{
  HsAgentRow *row;
  const char *team;
} TeamOffered;

/* Whether @row offers @team, which tells that the page has reloaded. */
static gboolean
team_offered (gpointer user_data)
{
  TeamOffered *query = user_data;
  GtkMenuButton *button = hs_gui_test_get_child (query->row, HS_TYPE_AGENT_ROW, "team_suggestions");

  return menu_offers (gtk_menu_button_get_menu_model (button), query->team);
}

static gboolean
agent_unmapped (gpointer user_data)
{
  return hs_agent_row_get_member (user_data)[0] == '\0';
}

static gboolean
agent_mapped_again (gpointer user_data)
{
  HsAgentRow *row = user_data;

  return g_strcmp0 (hs_agent_row_get_member (row), "Dana Example") == 0 && hs_agent_row_get_team (row)[0] == '\0';
}

static gboolean
has_focus_within (GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
agent_editor (HsApplication *app,
              gpointer       user_data)
{
  Fixture f = { 0 };
  HsAgentsPage *page;
  HsAgentRow *row, *other;
  GtkWidget *member, *team;
  GtkMenuButton *members;
  const gint64 *ids = user_data;
  TeamOffered night = { NULL, "Night Shift" };
  TeamOffered evening = { NULL, "Evening" };
  g_autoptr(HsIpcEngine1) proxy = hs_gui_test_new_service_proxy ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) halo_teams = NULL;

  fixture_set_up (&f, app);
  adw_view_stack_set_visible_child_name (hs_gui_test_get_child (f.window, HS_TYPE_WINDOW, "view_stack"), "agents");
  page = hs_gui_test_get_child (f.window, HS_TYPE_WINDOW, "agents_page");
  g_assert_true (hs_gui_test_wait_until (agents_loaded, &f, TIMEOUT));
  row = hs_agents_page_find_row (page, ids[1]);
  other = hs_agents_page_find_row (page, ids[2]);
  g_assert_nonnull (row);
  g_assert_nonnull (other);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  member = hs_gui_test_get_child (row, HS_TYPE_AGENT_ROW, "member_row");
  team = hs_gui_test_get_child (row, HS_TYPE_AGENT_ROW, "team_row");

  /* The teams Halo lists the agents in are offered beside those of the
   * mappings; the service lists them each once and in order. */
  hs_ipc_engine1_call_list_teams_sync (proxy, G_DBUS_CALL_FLAGS_NONE, -1, &halo_teams, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (halo_teams), >, 1);
  for (guint i = 0; halo_teams[i] != NULL; i++)
    {
      TeamOffered halo = { row, halo_teams[i] };

      g_assert_true (i == 0 || g_utf8_collate (halo_teams[i - 1], halo_teams[i]) < 0);
      g_assert_true (hs_gui_test_wait_until (team_offered, &halo, TIMEOUT));
    }

  /* The first agent's member is offered; picking it saves it and goes
   * on to the team, the row still open. */
  members = hs_gui_test_get_child (row, HS_TYPE_AGENT_ROW, "member_suggestions");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (members)));
  g_assert_true (menu_offers (gtk_menu_button_get_menu_model (members), "Dana Example"));
  gtk_widget_grab_focus (member);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.use-member", "s", "Dana Example"));
  g_assert_true (hs_gui_test_wait_until (agent_mapped, row, TIMEOUT));
  g_assert_true (has_focus_within (team));

  /* Saving the team reloads the page, which keeps the very row open. */
  gtk_editable_set_text (GTK_EDITABLE (team), "Night Shift");
  g_signal_emit_by_name (team, "apply");
  night.row = other;
  g_assert_true (hs_gui_test_wait_until (team_offered, &night, TIMEOUT));
  g_assert_true (hs_agents_page_find_row (page, ids[1]) == row);
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)));
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "Dana Example · Night Shift");

  /* What is being typed survives a change made elsewhere. */
  gtk_editable_set_text (GTK_EDITABLE (team), "Night Shift B");
  hs_ipc_engine1_call_set_agent_mapping_sync (proxy, ids[2], "Eve Example", "Evening", G_DBUS_CALL_FLAGS_NONE, -1,
                                              NULL, &error);
  g_assert_no_error (error);
  evening.row = row;
  g_assert_true (hs_gui_test_wait_until (team_offered, &evening, TIMEOUT));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (team)), ==, "Night Shift B");

  /* Undo puts back what the last save replaced. */
  gtk_editable_set_text (GTK_EDITABLE (team), "Night Shift");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "agents.undo", NULL));
  g_assert_true (hs_gui_test_wait_until (agent_mapped_again, row, TIMEOUT));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (team)), ==, "");

  /* Clearing the member alone unmaps the agent. */
  gtk_editable_set_text (GTK_EDITABLE (team), "Night Shift");
  gtk_editable_set_text (GTK_EDITABLE (member), "");
  g_signal_emit_by_name (member, "apply");
  g_assert_true (hs_gui_test_wait_until (agent_unmapped, row, TIMEOUT));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (team)), ==, "");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "Not mapped");

  fixture_tear_down (&f);
}

static void
test_agent_editor (void)
{
  gint64 ids[] = { agent_id_at (0), agent_id_at (1), agent_id_at (2) };

  g_test_summary ("The agent editor offers members, teams and Halo's teams, keeps the row open and typed text, "
                  "undoes, and unmaps when the member is cleared");
  hs_gui_test_run_app (agent_editor, ids);
}

typedef struct
{
  AdwActionRow *row;
  const char *subtitle;
} SubtitleQuery;

static gboolean
subtitle_is (gpointer user_data)
{
  SubtitleQuery *query = user_data;

  return g_strcmp0 (adw_action_row_get_subtitle (query->row), query->subtitle) == 0;
}

static gboolean
widget_mapped (gpointer user_data)
{
  return gtk_widget_get_mapped (user_data);
}

static void
test_connections (HsApplication *app,
                  gpointer       user_data)
{
  Fixture f = { 0 };
  HsPreferencesWindow *prefs;
  SubtitleQuery halo, database;
  GtkWidget *button;

  fixture_set_up (&f, app);
  g_assert_true (hs_gui_test_wait_until (service_available, &f, TIMEOUT));

  /* Ctrl+, */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  prefs = hs_gui_test_find_window (app, HS_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (prefs);

  halo.row = hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "halo_test_row");
  halo.subtitle = "Halo accepted the credentials.";
  database.row = hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "database_test_row");
  database.subtitle = "The database is ready.";
  g_assert_true (gtk_widget_activate (hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "halo_test_button")));
  g_assert_true (hs_gui_test_wait_until (subtitle_is, &halo, TIMEOUT));
  /* The database test is on the Database page; a person goes there. */
  button = hs_gui_test_get_child (prefs, HS_TYPE_PREFERENCES_WINDOW, "database_test_button");
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (prefs),
                                           ADW_PREFERENCES_PAGE (gtk_widget_get_ancestor (button, ADW_TYPE_PREFERENCES_PAGE)));
  g_assert_true (hs_gui_test_wait_until (widget_mapped, button, TIMEOUT));
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (hs_gui_test_wait_until (subtitle_is, &database, TIMEOUT));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (halo.row), "success"));

  fixture_tear_down (&f);
}

static void
test_test_connections (void)
{
  g_test_summary ("Preferences test the Halo and database connections and show the result inline");
  hs_gui_test_run_app (test_connections, NULL);
}

/* Syncs a year straight over D-Bus, as the hourly schedule or a script
 * would, and returns the run once it has ended. */
static HsRun *
sync_over_dbus (const char *label)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsIpcEngine1) proxy = hs_gui_test_new_service_proxy ();
  g_autoptr(GVariant) queued = NULL;
  g_auto(GVariantDict) options = G_VARIANT_DICT_INIT (NULL);
  g_autoptr(GVariant) newest = NULL;
  GVariant *last;
  gint64 before = 0;
  gint64 deadline = g_get_monotonic_time () + TIMEOUT * G_USEC_PER_SEC;

  /* The ledger, not LastRun: the property may still lag behind a run
   * that has just ended. */
  hs_ipc_engine1_call_list_runs_sync (proxy, 1, G_DBUS_CALL_FLAGS_NONE, -1, &newest, NULL, &error);
  g_assert_no_error (error);
  if (g_variant_n_children (newest) > 0)
    {
      g_autoptr(GVariant) run = g_variant_get_child_value (newest, 0);

      g_variant_lookup (run, "id", "x", &before);
    }
  hs_ipc_engine1_call_sync_sync (proxy, label, g_variant_dict_end (&options), G_DBUS_CALL_FLAGS_NONE, -1,
                                 &queued, NULL, &error);
  g_assert_no_error (error);

  while (g_get_monotonic_time () < deadline)
    {
      const char *year = NULL;
      gint64 id = 0;

      last = hs_ipc_engine1_get_last_run (proxy);
      if (last != NULL && g_variant_lookup (last, "fiscal-year", "&s", &year) &&
          g_variant_lookup (last, "id", "x", &id) && id > before && g_strcmp0 (year, label) == 0)
        {
          HsRun *run = hs_run_new_from_variant (last, &error);

          g_assert_no_error (error);
          return run;
        }
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20000);
    }
  g_assert_not_reached ();
}

/* Fails on any label under @widget that tells a desktop user to type a
 * command or set a variable. */
static void
assert_no_commands (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    {
      const char *text = gtk_label_get_text (GTK_LABEL (widget));

      g_assert_null (strstr (text, "halosyncctl"));
      g_assert_null (strstr (text, "systemctl"));
      g_assert_null (strstr (text, "HALOSYNC_"));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_no_commands (child);
}

typedef struct
{
  HsRun *fy2026_success;
  HsRun *fy2025_failure;
} YearStatusData;

static void
year_status (HsApplication *app,
             gpointer       user_data)
{
  YearStatusData *data = user_data;
  Fixture f = { 0 };
  GtkWidget *panel, *error_box, *error_button;
  g_autofree char *when = hs_format_time (hs_run_get_finished_at (data->fy2026_success));
  g_autofree char *fresh = g_strdup_printf ("Data as of %s", when);
  PanelLabelQuery up_to_date = { &f, "title_label", "Up to Date" };
  PanelLabelQuery failed = { &f, "title_label", "Sync Failed" };

  fixture_set_up (&f, app);
  panel = hs_gui_test_get_child (f.window, HS_TYPE_WINDOW, "status_panel");
  error_box = hs_gui_test_get_child (panel, HS_TYPE_STATUS_PANEL, "error_box");
  g_settings_set_string (hs_application_get_settings (app), "fiscal-year", "FY2026");
  g_assert_true (hs_gui_test_wait_until (service_available, &f, TIMEOUT));

  /* FY2025 failed last, but FY2026 is selected and its own last sync
   * succeeded. */
  g_assert_true (hs_gui_test_wait_until (panel_label_is, &up_to_date, TIMEOUT));
  error_button = hs_gui_test_get_child (panel, HS_TYPE_STATUS_PANEL, "error_button");
  g_assert_cmpstr (label_text (&f, "freshness_label"), ==, fresh);
  g_assert_false (gtk_widget_get_visible (error_box));

  /* FY2025 shows its failure, with what to do and how old its data is. */
  g_settings_set_string (hs_application_get_settings (app), "fiscal-year", "FY2025");
  g_assert_true (hs_gui_test_wait_until (panel_label_is, &failed, TIMEOUT));
  g_assert_true (g_str_has_prefix (label_text (&f, "freshness_label"), "Data as of "));
  g_assert_true (gtk_widget_get_visible (error_box));
  g_assert_nonnull (strstr (label_text (&f, "error_label"), hs_run_get_error_message (data->fy2025_failure)));
  /* Halo answered with something broken: that may pass, so Retry. */
  g_assert_true (gtk_widget_get_visible (error_button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (error_button)), ==, "_Retry");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (error_button)), ==, "app.sync");
  assert_no_commands (GTK_WIDGET (f.window));

  fixture_tear_down (&f);
}

static void
test_year_status (void)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  YearStatusData data = { 0 };

  g_test_summary ("The status card describes the selected year: another year's failure does not show, "
                  "and a failed year still says how fresh its data is and offers Retry");
  data.fy2026_success = sync_over_dbus ("FY2026");
  g_assert_cmpint (hs_run_get_status (data.fy2026_success), ==, HS_RUN_SUCCEEDED);
  /* Every Halo answer is broken JSON: the FY2025 sync fails. */
  reply = hs_test_sim_control (sim, "POST", "/_sim/faults",
                               "{\"faults\": [{\"kind\": \"malformed\", \"path\": \"*\", \"rate\": 1.0}]}",
                               &error);
  g_assert_no_error (error);
  data.fy2025_failure = sync_over_dbus ("FY2025");
  g_clear_pointer (&reply, json_node_unref);
  reply = hs_test_sim_control (sim, "DELETE", "/_sim/faults", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hs_run_get_status (data.fy2025_failure), ==, HS_RUN_FAILED);

  hs_gui_test_run_app (year_status, &data);
  g_clear_object (&data.fy2026_success);
  g_clear_object (&data.fy2025_failure);
}

/* Every text the card's subtitle takes is looked at, not only the one it
 * shows when the test next looks: a slow app (the sanitizer build) may
 * handle a whole run's signals in one go. */
static void
subtitle_changed_cb (GtkLabel   *label,
                     GParamSpec *pspec,
                     gboolean   *seen)
{
  const char *text = gtk_label_get_text (label);

  if (g_str_has_prefix (text, "Halo answered 503 — retrying ") && strstr (text, " of 5") != NULL)
    *seen = TRUE;
}

/* Halo's 503s make the run wait and try again, and the card says so
 * rather than showing a stalled fetch, until the attempts run out.  The
 * waits are random (up to 1, 2, 4 and 8 s), so all four give the card
 * time to show one even on a slow machine. */
static void
retrying (HsApplication *app,
          gpointer       user_data)
{
  Fixture f = { 0 };
  GtkLabel *subtitle;
  gboolean seen = FALSE;

  fixture_set_up (&f, app);
  subtitle = hs_gui_test_get_child (hs_gui_test_get_child (f.window, HS_TYPE_WINDOW, "status_panel"),
                                    HS_TYPE_STATUS_PANEL, "subtitle_label");
  g_signal_connect (subtitle, "notify::label", G_CALLBACK (subtitle_changed_cb), &seen);
  g_assert_true (hs_gui_test_wait_until (service_available, &f, TIMEOUT));
  g_settings_set_string (hs_application_get_settings (app), "fiscal-year", "FY2026");
  g_action_group_activate_action (G_ACTION_GROUP (app), "sync", NULL);
  g_assert_true (hs_gui_test_wait_until (run_finished, &f, TIMEOUT));
  g_signal_handlers_disconnect_by_data (subtitle, &seen);
  g_assert_true (seen);
  g_assert_cmpint (hs_run_get_status (f.finished), ==, HS_RUN_FAILED);
  g_assert_nonnull (strstr (hs_run_get_error_message (f.finished), "503"));
  g_assert_null (hs_run_get_retry_reason (f.finished));

  fixture_tear_down (&f);
}

static void
test_retrying (void)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("A run that waits to retry after Halo's 503s shows the wait, the reason and the attempt");
  reply = hs_test_sim_control (sim, "POST", "/_sim/faults",
                               "{\"faults\": [{\"kind\": \"status\", \"status\": 503, \"path\": \"/api/tickets*\","
                               " \"count\": 0}]}",
                               &error);
  g_assert_no_error (error);
  hs_gui_test_run_app (retrying, NULL);
  g_clear_pointer (&reply, json_node_unref);
  reply = hs_test_sim_control (sim, "DELETE", "/_sim/faults", NULL, &error);
  g_assert_no_error (error);
}

typedef struct
{
  GtkWidget *grid;
  double fraction;      /* the largest the bar showed */
  gboolean of_shown;    /* a stream said "N of M" */
} FractionSeen;

static void
fraction_changed_cb (GtkProgressBar *bar,
                     GParamSpec     *pspec,
                     FractionSeen   *seen)
{
  seen->fraction = MAX (seen->fraction, gtk_progress_bar_get_fraction (bar));
  for (GtkWidget *child = gtk_widget_get_first_child (seen->grid); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child) && strstr (gtk_label_get_text (GTK_LABEL (child)), " of ") != NULL)
      seen->of_shown = TRUE;
}

/* Tickets come in pages whose total Halo gives, so the bar fills and
 * the stream's row says how far it is, rather than only pulsing. */
static void
progress_fraction (HsApplication *app,
                   gpointer       user_data)
{
  Fixture f = { 0 };
  GtkWidget *panel;
  GtkProgressBar *bar;
  FractionSeen seen = { 0 };

  fixture_set_up (&f, app);
  panel = hs_gui_test_get_child (f.window, HS_TYPE_WINDOW, "status_panel");
  bar = hs_gui_test_get_child (panel, HS_TYPE_STATUS_PANEL, "progress_bar");
  seen.grid = hs_gui_test_get_child (panel, HS_TYPE_STATUS_PANEL, "streams_grid");
  g_signal_connect (bar, "notify::fraction", G_CALLBACK (fraction_changed_cb), &seen);
  g_assert_true (hs_gui_test_wait_until (service_available, &f, TIMEOUT));
  g_settings_set_string (hs_application_get_settings (app), "fiscal-year", "FY2026");
  /* A full sync reads every ticket again; an incremental one now finds
   * none changed. */
  hs_engine_client_sync_full (f.client, "FY2026", HS_SYNC_FULL, HS_SYNC_FLAGS_NONE);
  g_assert_true (hs_gui_test_wait_until (run_finished, &f, TIMEOUT));
  g_signal_handlers_disconnect_by_data (bar, &seen);

  g_assert_cmpint (hs_run_get_status (f.finished), ==, HS_RUN_SUCCEEDED);
  g_assert_cmpfloat (seen.fraction, >, 0.0);
  g_assert_cmpfloat (seen.fraction, <=, 1.0);
  g_assert_true (seen.of_shown);

  fixture_tear_down (&f);
}

static void
test_progress_fraction (void)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("While tickets are fetched the bar fills by Halo's totals and the row says how far");
  /* Slow pages, so the card has the time to show each. */
  reply = hs_test_sim_control (sim, "POST", "/_sim/faults",
                               "{\"faults\": [{\"kind\": \"latency\", \"ms\": 300, \"path\": \"/api/tickets*\"}]}",
                               &error);
  g_assert_no_error (error);
  hs_gui_test_run_app (progress_fraction, NULL);
  g_clear_pointer (&reply, json_node_unref);
  reply = hs_test_sim_control (sim, "DELETE", "/_sim/faults", NULL, &error);
  g_assert_no_error (error);
}

static gboolean
full_run_finished (gpointer user_data)
{
  Fixture *f = user_data;

  return f->finished != NULL && hs_run_get_mode (f->finished) == HS_SYNC_FULL;
}

/* A ticket Halo deleted after it was synced is found by the check, whose
 * dry run changes nothing; applying it runs the full sync that marks it. */
static void
check_deletions (HsApplication *app,
                 gpointer       user_data)
{
  Fixture f = { 0 };
  gint64 ticket_id = *(gint64 *) user_data;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_strdup_printf ("/_sim/tickets/%" G_GINT64_FORMAT, ticket_id);
  AdwMessageDialog *dialog;

  fixture_set_up (&f, app);
  g_assert_true (hs_gui_test_wait_until (service_available, &f, TIMEOUT));
  g_settings_set_string (hs_application_get_settings (app), "fiscal-year", "FY2026");
  reply = hs_test_sim_control (sim, "DELETE", path, NULL, &error);
  g_assert_no_error (error);

  g_action_group_activate_action (G_ACTION_GROUP (app), "check-deletions", NULL);
  dialog = hs_gui_test_wait_for_message_dialog (app, "Check FY2026 for Deleted Records?", TIMEOUT);
  adw_message_dialog_response (dialog, "check");

  g_assert_true (hs_gui_test_wait_until (full_run_finished, &f, TIMEOUT));
  g_assert_true (hs_run_get_dry_run (f.finished));
  g_assert_cmpint (hs_run_get_status (f.finished), ==, HS_RUN_SUCCEEDED);
  g_assert_cmpuint (hs_run_get_total (f.finished, HS_COUNTER_DELETED), ==, 1);
  dialog = hs_gui_test_wait_for_message_dialog (app, "Deleted Records Found", TIMEOUT);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Marked as deleted: 1\n"));

  g_clear_object (&f.finished);
  adw_message_dialog_response (dialog, "apply");
  g_assert_true (hs_gui_test_wait_until (full_run_finished, &f, TIMEOUT));
  g_assert_false (hs_run_get_dry_run (f.finished));
  g_assert_cmpint (hs_run_get_status (f.finished), ==, HS_RUN_SUCCEEDED);
  /* The dry run kept nothing: the deletion is the real run's to make. */
  g_assert_cmpuint (hs_run_get_total (f.finished, HS_COUNTER_DELETED), ==, 1);
  g_assert_cmpint (hs_run_get_trigger (f.finished), ==, HS_TRIGGER_MANUAL);

  fixture_tear_down (&f);
}

static void
test_check_deletions (void)
{
  g_autoptr(JsonNode) ticket = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsRun) synced = NULL;
  gint64 ticket_id;

  g_test_summary ("Check for Deleted Records previews a full sync and applies it on request");
  ticket = hs_test_sim_control (sim, "POST", "/_sim/tickets",
                                "{\"summary\": \"Deleted in Halo\", \"dateoccurred\": \"2026-05-04T08:00:00\","
                                " \"agent_id\": 2}",
                                &error);
  g_assert_no_error (error);
  ticket_id = json_object_get_int_member (json_node_get_object (ticket), "id");
  synced = sync_over_dbus ("FY2026");
  g_assert_cmpint (hs_run_get_status (synced), ==, HS_RUN_SUCCEEDED);
  g_assert_cmpuint (hs_run_get_total (synced, HS_COUNTER_INSERTED), >=, 1);

  hs_gui_test_run_app (check_deletions, &ticket_id);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  hs_gui_test_init (&argc, &argv, g_getenv ("HS_GUI_SERVICE_DIR"));
  sim = hs_gui_test_start_service (NULL);

  g_test_add_func ("/gui/app/window-lists-years", test_window_lists_years);
  g_test_add_func ("/gui/app/sync-now", test_sync_now);
  g_test_add_func ("/gui/app/cancel", test_cancel);
  g_test_add_func ("/gui/app/new-fiscal-year", test_new_fiscal_year);
  g_test_add_func ("/gui/app/history", test_history);
  g_test_add_func ("/gui/app/map-agent", test_map_agent);
  g_test_add_func ("/gui/app/agent-editor", test_agent_editor);
  g_test_add_func ("/gui/app/test-connections", test_test_connections);
  g_test_add_func ("/gui/app/year-status", test_year_status);
  g_test_add_func ("/gui/app/retrying", test_retrying);
  g_test_add_func ("/gui/app/progress-fraction", test_progress_fraction);
  g_test_add_func ("/gui/app/check-deletions", test_check_deletions);

  status = hs_gui_test_run ();
  g_clear_object (&sim);
  return status;
}
