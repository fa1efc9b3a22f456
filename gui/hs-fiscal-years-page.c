/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-fiscal-years-page.h"
#include "hs-format.h"

/**
 * HsFiscalYearsPage:
 *
 * The fiscal years the service knows, earliest first, each with how
 * fresh its data is and whether its last sync failed, with a way to
 * create one and to delete one that nothing was synced into.
 */
struct _HsFiscalYearsPage
{
  GtkWidget parent_instance;

  HsEngineClient *client; /* (owned) (nullable) */

  GtkStack *stack;
  GtkListBox *list_box;
  AdwStatusPage *error_page;
};

G_DEFINE_FINAL_TYPE (HsFiscalYearsPage, hs_fiscal_years_page, GTK_TYPE_WIDGET)

static void
delete_fiscal_year_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(HsFiscalYearsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hs_ipc_engine1_call_delete_fiscal_year_finish (HS_IPC_ENGINE1 (object), result, &error))
    {
      g_autofree char *text = hs_engine_client_dup_error_text (error);

      gtk_widget_activate_action (GTK_WIDGET (self), "win.show-toast", "s", text);
      return;
    }

  if (self->client != NULL)
    hs_engine_client_refresh_fiscal_years (self->client);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  HsFiscalYearsPage *self = HS_FISCAL_YEARS_PAGE (user_data);
  const char *label = g_object_get_data (G_OBJECT (dialog), "label");
  HsIpcEngine1 *proxy;

  if (!g_str_equal (response, "delete") || self->client == NULL)
    return;

  proxy = hs_engine_client_get_proxy (self->client);
  if (proxy != NULL)
    hs_ipc_engine1_call_delete_fiscal_year (proxy, label, G_DBUS_CALL_FLAGS_NONE, -1, NULL, delete_fiscal_year_cb,
                                            g_object_ref (self));
}

static void
delete_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  HsFiscalYearsPage *self = HS_FISCAL_YEARS_PAGE (user_data);
  HsFiscalYear *year = g_object_get_data (G_OBJECT (button), "fiscal-year");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  heading = g_strdup_printf (_("Delete %s?"), hs_fiscal_year_get_label (year));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       heading,
                                                       _("Only a fiscal year that nothing was synced into can be deleted. Synced data is never removed this way.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "label",
                          g_strdup (hs_fiscal_year_get_label (year)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* "Data as of 10:00", and the last attempt when it did not succeed. */
static char *
dup_year_status (HsFiscalYearsPage *self,
                 HsFiscalYear      *year)
{
  const char *label = hs_fiscal_year_get_label (year);
  HsRun *last = hs_engine_client_get_year_last_run (self->client, label);
  HsRun *success = hs_engine_client_get_year_last_success (self->client, label);
  g_autofree char *freshness = NULL;
  g_autofree char *when = NULL;
  g_autofree char *summary = NULL;

  if (success == NULL)
    freshness = g_strdup (_("No data synced yet"));
  else
    {
      when = hs_format_time (hs_run_get_finished_at (success));
      freshness = g_strdup_printf (_("Data as of %s"), when);
    }

  if (last == NULL || last == success)
    return g_steal_pointer (&freshness);

  summary = hs_format_run_summary (last);
  /* Translators: the last sync's result, then how fresh the data is:
   * "Sync failed 10:00 · 3.2 s — Data as of 09:00" */
  return g_strdup_printf (_("%s — %s"), summary, freshness);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  HsFiscalYearsPage *self = HS_FISCAL_YEARS_PAGE (user_data);
  HsFiscalYear *year = HS_FISCAL_YEAR (item);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  g_autofree char *range = hs_format_date_range (year);
  g_autofree char *delete_label = g_strdup_printf (_("Delete %s"), hs_fiscal_year_get_label (year));
  g_autofree char *status = dup_year_status (self, year);
  g_autofree char *subtitle = g_strdup_printf ("%s\n%s", range, status);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), hs_fiscal_year_get_label (year));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, delete_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, delete_label,
                                  -1);
  g_object_set_data_full (G_OBJECT (button), "fiscal-year", g_object_ref (year), g_object_unref);
  g_signal_connect_object (button, "clicked", G_CALLBACK (delete_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
update (HsFiscalYearsPage *self)
{
  const char *error = hs_engine_client_get_fiscal_years_error (self->client);
  GListModel *years = hs_engine_client_get_fiscal_years (self->client);

  if (error != NULL)
    {
      /* A status page's description is markup. */
      g_autofree char *markup = g_markup_escape_text (error, -1);

      adw_status_page_set_description (self->error_page, markup);
      gtk_stack_set_visible_child_name (self->stack, "error");
    }
  else
    gtk_stack_set_visible_child_name (self->stack,
                                      g_list_model_get_n_items (years) > 0 ? "list" : "empty");
}

static void
years_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  update (HS_FISCAL_YEARS_PAGE (user_data));
}

static void
error_changed_cb (GObject    *object,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  update (HS_FISCAL_YEARS_PAGE (user_data));
}

/* Rows are rebuilt rather than patched: a handful of years, and a run
 * finishes at most every few minutes. */
static void
year_runs_changed_cb (HsEngineClient *client,
                      gpointer        user_data)
{
  HsFiscalYearsPage *self = HS_FISCAL_YEARS_PAGE (user_data);

  gtk_list_box_bind_model (self->list_box, hs_engine_client_get_fiscal_years (client), create_row, self, NULL);
}

void
hs_fiscal_years_page_set_client (HsFiscalYearsPage *self,
                                 HsEngineClient    *client)
{
  GListModel *years;

  g_return_if_fail (HS_IS_FISCAL_YEARS_PAGE (self));
  g_return_if_fail (HS_IS_ENGINE_CLIENT (client));
  g_return_if_fail (self->client == NULL);

  self->client = g_object_ref (client);
  years = hs_engine_client_get_fiscal_years (client);
  gtk_list_box_bind_model (self->list_box, years, create_row, self, NULL);
  g_signal_connect_object (years, "items-changed", G_CALLBACK (years_changed_cb), self, 0);
  g_signal_connect_object (client, "notify::fiscal-years-error", G_CALLBACK (error_changed_cb), self, 0);
  g_signal_connect_object (client, "year-runs-changed", G_CALLBACK (year_runs_changed_cb), self, 0);
  update (self);
}

static void
hs_fiscal_years_page_dispose (GObject *object)
{
  HsFiscalYearsPage *self = HS_FISCAL_YEARS_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_FISCAL_YEARS_PAGE);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (hs_fiscal_years_page_parent_class)->dispose (object);
}

static void
hs_fiscal_years_page_class_init (HsFiscalYearsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_fiscal_years_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/HaloSync/hs-fiscal-years-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HsFiscalYearsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, HsFiscalYearsPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, HsFiscalYearsPage, error_page);
}

static void
hs_fiscal_years_page_init (HsFiscalYearsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}
