/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-agents-page.h"
#include "hs-deletion-check.h"
#include "hs-fiscal-years-page.h"
#include "hs-format.h"
#include "hs-history-page.h"
#include "hs-overview-page.h"
#include "hs-status-panel.h"
#include "hs-window.h"

/**
 * HsWindow:
 *
 * The main window: the fiscal-year drop-down and *Sync Now* in the
 * header, the live status on top and the pages below.  Before anything
 * is configured it shows a welcome page that leads to Preferences, and
 * when the service cannot be reached it says so and how to fix it.
 */
struct _HsWindow
{
  AdwApplicationWindow parent_instance;

  HsEngineClient *client;        /* (owned) */
  GSettings *settings;           /* (owned) */
  HsConfig *config;              /* (owned) */
  gboolean updating_selection;
  guint select_idle_id;
  HsDeletionCheck *deletion_check;  /* (owned) (nullable): the last one asked for */

  AdwToastOverlay *toast_overlay;
  GtkDropDown *fiscal_year_drop_down;
  AdwSqueezer *sync_squeezer;
  GtkButton *sync_button;
  GtkButton *sync_icon_button;
  GtkStack *main_stack;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar *switcher_bar;
  AdwViewStack *view_stack;
  AdwStatusPage *unavailable_page;
  HsStatusPanel *status_panel;
  HsOverviewPage *overview_page;
  HsHistoryPage *history_page;
  HsAgentsPage *agents_page;
  HsFiscalYearsPage *fiscal_years_page;
};

G_DEFINE_FINAL_TYPE (HsWindow, hs_window, ADW_TYPE_APPLICATION_WINDOW)

/* A toast title is Pango markup; labels and messages are plain text. */
static void
add_toast (HsWindow   *self,
           const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (escaped));
}

/* The header offers pages, years and Sync Now only where they mean
 * something; the welcome and service-not-running pages have one way on,
 * their own button. */
static void
update_header (HsWindow *self)
{
  gboolean content = g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "content") == 0;
  gboolean narrow = adw_view_switcher_title_get_title_visible (self->switcher_title);
  guint n_years = g_list_model_get_n_items (hs_engine_client_get_fiscal_years (self->client));

  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, content);
  adw_view_switcher_bar_set_reveal (self->switcher_bar, content && narrow);
  /* The header's title keeps its natural width before its neighbours get
   * theirs, so a squeezer that could always fall back to the icon would
   * take Sync Now's words in any window too narrow for the wide
   * switcher.  The icon is there only once the switcher has moved to the
   * bottom bar (a hidden child does not count towards the minimum). */
  gtk_widget_set_visible (GTK_WIDGET (self->sync_icon_button), narrow);
  gtk_widget_set_visible (GTK_WIDGET (self->fiscal_year_drop_down), content && n_years > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_squeezer), content);
}

static void
title_visible_changed_cb (GObject    *object,
                          GParamSpec *pspec,
                          gpointer    user_data)
{
  update_header (HS_WINDOW (user_data));
}

static void
update_visible_page (HsWindow *self)
{
  g_autofree char *reason = NULL;
  const char *page;

  if (hs_config_get_halo_url (self->config)[0] == '\0')
    page = "welcome";
  else if (!hs_engine_client_get_available (self->client) &&
           hs_engine_client_get_error_message (self->client) != NULL)
    page = "unavailable";
  else
    page = "content";

  /* A status page's description is markup. */
  reason = g_markup_escape_text (hs_engine_client_get_error_message (self->client) != NULL
                                 ? hs_engine_client_get_error_message (self->client) : "", -1);
  adw_status_page_set_description (self->unavailable_page, reason);
  gtk_stack_set_visible_child_name (self->main_stack, page);
  update_header (self);
}

/* Sync Now and Cancel take the width of the wider of the two, so that
 * the view switcher in the middle of the header stays where it is when
 * one turns into the other.  Measured on the button itself, as the
 * translation and the font make it. */
static void
fit_sync_button (HsWindow *self)
{
  const char *labels[] = { _("_Sync Now"), _("_Cancel") };
  g_autofree char *label = g_strdup (gtk_button_get_label (self->sync_button));
  int width = -1;

  gtk_widget_set_size_request (GTK_WIDGET (self->sync_button), -1, -1);
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      int natural;

      gtk_button_set_label (self->sync_button, labels[i]);
      gtk_widget_measure (GTK_WIDGET (self->sync_button), GTK_ORIENTATION_HORIZONTAL, -1,
                          NULL, &natural, NULL, NULL);
      width = MAX (width, natural);
    }
  gtk_button_set_label (self->sync_button, label);
  gtk_widget_set_size_request (GTK_WIDGET (self->sync_button), width, -1);
}

static void
font_changed_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  fit_sync_button (HS_WINDOW (user_data));
}

static void
set_suggested (GtkButton *button,
               gboolean   suggested)
{
  if (suggested)
    gtk_widget_add_css_class (GTK_WIDGET (button), "suggested-action");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (button), "suggested-action");
}

static void
update_sync_button (HsWindow *self)
{
  gboolean running = hs_engine_client_get_current_run (self->client) != NULL;
  gboolean any_year = g_list_model_get_n_items (hs_engine_client_get_fiscal_years (self->client)) > 0;

  /* One button in one place: Sync Now turns into Cancel while a run goes,
   * so the way to stop it is where the person just clicked.  Its icon
   * form follows it (action and tooltip are bound). */
  if (running)
    {
      gtk_button_set_label (self->sync_button, _("_Cancel"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->sync_button), "app.cancel");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_button), _("Cancel the running sync"));
      gtk_button_set_icon_name (self->sync_icon_button, "process-stop-symbolic");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->sync_icon_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Cancel Sync"), -1);
    }
  else
    {
      gtk_button_set_label (self->sync_button, _("_Sync Now"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->sync_button), "app.sync");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->sync_button),
                                   _("Sync the selected fiscal year now (Ctrl+R)"));
      gtk_button_set_icon_name (self->sync_icon_button, "view-refresh-symbolic");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->sync_icon_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sync Now"), -1);
    }

  /* Without a year the pages suggest creating one; one suggested button
   * per screen. */
  set_suggested (self->sync_button, !running && any_year);
  set_suggested (self->sync_icon_button, !running && any_year);
}

static const char *
selected_label (HsWindow *self)
{
  HsFiscalYear *year = gtk_drop_down_get_selected_item (self->fiscal_year_drop_down);

  return year != NULL ? hs_fiscal_year_get_label (year) : NULL;
}

/* Selects the remembered year, or the latest when none is remembered or
 * the remembered one is gone. */
static void
select_fiscal_year (HsWindow *self)
{
  GListModel *years = hs_engine_client_get_fiscal_years (self->client);
  g_autofree char *wanted = g_settings_get_string (self->settings, "fiscal-year");
  HsFiscalYear *chosen = hs_engine_client_find_fiscal_year (self->client, wanted);
  guint position = GTK_INVALID_LIST_POSITION;

  if (chosen == NULL)
    chosen = hs_engine_client_get_latest_fiscal_year (self->client);
  for (guint i = 0; i < g_list_model_get_n_items (years); i++)
    {
      g_autoptr(HsFiscalYear) year = g_list_model_get_item (years, i);

      if (year == chosen)
        position = i;
    }

  self->updating_selection = TRUE;
  gtk_drop_down_set_selected (self->fiscal_year_drop_down, position);
  self->updating_selection = FALSE;

  update_header (self);
  hs_overview_page_set_fiscal_year (self->overview_page, selected_label (self));
  hs_status_panel_set_fiscal_year (self->status_panel, selected_label (self));
  update_sync_button (self);
}

static gboolean
select_fiscal_year_idle_cb (gpointer user_data)
{
  HsWindow *self = HS_WINDOW (user_data);

  self->select_idle_id = 0;
  select_fiscal_year (self);
  return G_SOURCE_REMOVE;
}

static void
fiscal_years_changed_cb (GListModel *model,
                         guint       position,
                         guint       removed,
                         guint       added,
                         gpointer    user_data)
{
  HsWindow *self = HS_WINDOW (user_data);

  /* The drop-down's own selection model reacts to the change too and
   * selects the first item; that is not the person's choice, so it must
   * not be remembered.  Choose ours once it is done. */
  self->updating_selection = TRUE;
  if (self->select_idle_id == 0)
    self->select_idle_id = g_idle_add (select_fiscal_year_idle_cb, self);
}

static void
fiscal_year_setting_changed_cb (GSettings  *settings,
                                const char *key,
                                gpointer    user_data)
{
  select_fiscal_year (HS_WINDOW (user_data));
}

static void
drop_down_selected_cb (GtkDropDown *drop_down,
                       GParamSpec  *pspec,
                       gpointer     user_data)
{
  HsWindow *self = HS_WINDOW (user_data);
  const char *label = selected_label (self);

  /* The card describes the year the header shows, whoever chose it. */
  hs_status_panel_set_fiscal_year (self->status_panel, label);
  if (self->updating_selection || label == NULL)
    return;
  g_settings_set_string (self->settings, "fiscal-year", label);
}

static void
service_state_changed_cb (GObject    *object,
                          GParamSpec *pspec,
                          gpointer    user_data)
{
  HsWindow *self = HS_WINDOW (user_data);

  update_visible_page (self);
  update_sync_button (self);
}

static void
run_finished_cb (HsEngineClient *client,
                 HsRun          *run,
                 gpointer        user_data)
{
  HsWindow *self = HS_WINDOW (user_data);
  g_autofree char *text = NULL;
  g_autofree char *counts = NULL;
  const char *year = hs_run_get_fiscal_year (run);

  switch (hs_run_get_status (run))
    {
    case HS_RUN_SUCCEEDED:
      counts = hs_format_run_counts (run);
      /* Translators: "FY2025 synced: 120 new · 3 updated · 0 deleted" */
      text = g_strdup_printf (_("%s synced: %s"), year, counts);
      break;
    case HS_RUN_FAILED:
      text = g_strdup_printf (_("Sync of %s failed"), year);
      break;
    case HS_RUN_CANCELLED:
      text = g_strdup_printf (_("Sync of %s canceled"), year);
      break;
    case HS_RUN_INTERRUPTED:
      text = g_strdup_printf (_("Sync of %s interrupted"), year);
      break;
    case HS_RUN_QUEUED:
    case HS_RUN_RUNNING:
    default:
      return;
    }

  add_toast (self, text);
}

/* Pages report what they did through this action, so they need not know
 * the window they are in. */
static void
show_toast_activated (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  add_toast (HS_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
reconnect_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  hs_engine_client_reconnect (HS_WINDOW (widget)->client);
}

static void
show_page_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  HsWindow *self = HS_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (adw_view_stack_get_child_by_name (self->view_stack, name) != NULL)
    adw_view_stack_set_visible_child_name (self->view_stack, name);
}

static gboolean
hs_window_close_request (GtkWindow *window)
{
  HsWindow *self = HS_WINDOW (window);
  gboolean maximized = gtk_window_is_maximized (window);
  int width, height;

  /* A maximized window's size says nothing about the size the person
   * chose; keep the last one. */
  g_settings_set_boolean (self->settings, "window-maximized", maximized);
  if (!maximized)
    {
      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }

  return GTK_WINDOW_CLASS (hs_window_parent_class)->close_request (window);
}

/* GtkWindow:application is not a construct property, so the window is
 * wired to the app's service here rather than in constructed(). */
static void
set_up (HsWindow      *self,
        HsApplication *application)
{
  g_autoptr(GtkExpression) expression = NULL;

  self->client = g_object_ref (hs_application_get_client (application));
  self->settings = g_object_ref (hs_application_get_settings (application));
  self->config = g_object_ref (hs_application_get_config (application));

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  /* Connected before the drop-down takes the model, so it runs before
   * the drop-down's own handler. */
  g_signal_connect_object (hs_engine_client_get_fiscal_years (self->client), "items-changed",
                           G_CALLBACK (fiscal_years_changed_cb), self, 0);
  expression = gtk_property_expression_new (HS_TYPE_FISCAL_YEAR, NULL, "label");
  gtk_drop_down_set_expression (self->fiscal_year_drop_down, expression);
  gtk_drop_down_set_model (self->fiscal_year_drop_down, hs_engine_client_get_fiscal_years (self->client));
  g_signal_connect_object (self->fiscal_year_drop_down, "notify::selected",
                           G_CALLBACK (drop_down_selected_cb), self, 0);
  g_signal_connect_object (self->settings, "changed::fiscal-year",
                           G_CALLBACK (fiscal_year_setting_changed_cb), self, 0);

  g_signal_connect_object (self->client, "notify::available",
                           G_CALLBACK (service_state_changed_cb), self, 0);
  g_signal_connect_object (self->client, "notify::error-message",
                           G_CALLBACK (service_state_changed_cb), self, 0);
  g_signal_connect_object (self->client, "notify::current-run",
                           G_CALLBACK (service_state_changed_cb), self, 0);
  g_signal_connect_object (self->config, "notify::halo-url",
                           G_CALLBACK (service_state_changed_cb), self, 0);
  g_signal_connect_object (self->client, "run-finished",
                           G_CALLBACK (run_finished_cb), self, 0);
  g_signal_connect_object (self->switcher_title, "notify::title-visible",
                           G_CALLBACK (title_visible_changed_cb), self, 0);

  hs_status_panel_set_client (self->status_panel, self->client);
  hs_overview_page_set_client (self->overview_page, self->client);
  hs_history_page_set_client (self->history_page, self->client);
  hs_agents_page_set_client (self->agents_page, self->client);
  hs_fiscal_years_page_set_client (self->fiscal_years_page, self->client);

  g_signal_connect_object (gtk_widget_get_settings (GTK_WIDGET (self)), "notify::gtk-font-name",
                           G_CALLBACK (font_changed_cb), self, 0);
  g_signal_connect_object (gtk_widget_get_settings (GTK_WIDGET (self)), "notify::gtk-xft-dpi",
                           G_CALLBACK (font_changed_cb), self, 0);

  fit_sync_button (self);
  select_fiscal_year (self);
  update_visible_page (self);
  update_sync_button (self);
}

static void
hs_window_dispose (GObject *object)
{
  HsWindow *self = HS_WINDOW (object);

  g_clear_handle_id (&self->select_idle_id, g_source_remove);
  /* libadwaita 1.2's switchers tear down their buttons when their stack
   * goes; if the stack is disposed first they unparent dead widgets. */
  if (self->switcher_title != NULL)
    adw_view_switcher_title_set_stack (self->switcher_title, NULL);
  if (self->switcher_bar != NULL)
    adw_view_switcher_bar_set_stack (self->switcher_bar, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_WINDOW);
  g_clear_object (&self->deletion_check);
  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (hs_window_parent_class)->dispose (object);
}

static void
hs_window_class_init (HsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = hs_window_dispose;
  window_class->close_request = hs_window_close_request;

  g_type_ensure (HS_TYPE_STATUS_PANEL);
  g_type_ensure (HS_TYPE_OVERVIEW_PAGE);
  g_type_ensure (HS_TYPE_HISTORY_PAGE);
  g_type_ensure (HS_TYPE_AGENTS_PAGE);
  g_type_ensure (HS_TYPE_FISCAL_YEARS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/HaloSync/hs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, fiscal_year_drop_down);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, sync_squeezer);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, sync_icon_button);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, unavailable_page);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, status_panel);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, overview_page);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, history_page);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, agents_page);
  gtk_widget_class_bind_template_child (widget_class, HsWindow, fiscal_years_page);

  gtk_widget_class_install_action (widget_class, "win.reconnect", NULL, reconnect_activated);
  gtk_widget_class_install_action (widget_class, "win.show-toast", "s", show_toast_activated);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_activated);
}

static void
hs_window_init (HsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_object_bind_property (self->sync_button, "action-name", self->sync_icon_button, "action-name",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->sync_button, "tooltip-text", self->sync_icon_button, "tooltip-text",
                          G_BINDING_SYNC_CREATE);
}

/**
 * hs_window_new:
 * @application: the app
 *
 * Returns: (transfer none): a new main window, owned by @application
 */
HsWindow *
hs_window_new (HsApplication *application)
{
  HsWindow *self;

  g_return_val_if_fail (HS_IS_APPLICATION (application), NULL);

  self = g_object_new (HS_TYPE_WINDOW, "application", application, NULL);
  set_up (self, application);
  return self;
}

static void
fiscal_year_created_cb (HsFiscalYearDialog *dialog,
                        const char         *label,
                        gpointer            user_data)
{
  HsWindow *self = HS_WINDOW (user_data);
  g_autofree char *text = g_strdup_printf (_("%s created; it is syncing in the background"), label);

  hs_engine_client_refresh_fiscal_years (self->client);
  add_toast (self, text);
}

/**
 * hs_window_show_new_fiscal_year:
 * @self: the window
 *
 * Opens the *New Fiscal Year* dialog over the window.
 *
 * Returns: (transfer none): the dialog
 */
HsFiscalYearDialog *
hs_window_show_new_fiscal_year (HsWindow *self)
{
  HsFiscalYearDialog *dialog;

  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);

  dialog = hs_fiscal_year_dialog_new (self->client);
  gtk_window_set_application (GTK_WINDOW (dialog), gtk_window_get_application (GTK_WINDOW (self)));
  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  g_signal_connect_object (dialog, "created", G_CALLBACK (fiscal_year_created_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

/**
 * hs_window_show_run:
 * @self: the window
 * @run_id: a run's id in the ledger
 *
 * Shows the run on the History page, opened, as a notification's click
 * asks.
 */
void
hs_window_show_run (HsWindow *self,
                    gint64    run_id)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->view_stack, "history");
  hs_history_page_show_run (self->history_page, run_id);
}

/**
 * hs_window_check_deletions:
 * @self: the window
 * @fiscal_year: the label of the year to check
 *
 * Starts *Check for Deleted Records…* for the year: a question, a
 * preview, and the full sync if the person applies it.
 */
void
hs_window_check_deletions (HsWindow   *self,
                           const char *fiscal_year)
{
  g_return_if_fail (HS_IS_WINDOW (self));

  g_clear_object (&self->deletion_check);
  self->deletion_check = hs_deletion_check_new (self->client, GTK_WINDOW (self), fiscal_year);
  hs_deletion_check_start (self->deletion_check);
}

/**
 * hs_window_get_visible_state:
 * @self: the window
 *
 * Returns: which face the window shows: "content", "welcome" (nothing
 *   configured) or "unavailable" (the service cannot be reached)
 */
const char *
hs_window_get_visible_state (HsWindow *self)
{
  g_return_val_if_fail (HS_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->main_stack);
}
