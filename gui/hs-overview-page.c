/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-hours-chart.h"
#include "hs-overview-page.h"

/**
 * HsOverviewPage:
 *
 * The hours each team member logged in the selected fiscal year, from the
 * service's per-member summary; reloaded when a run of that year ends.
 */
struct _HsOverviewPage
{
  GtkWidget parent_instance;

  HsEngineClient *client;     /* (owned) (nullable) */
  char *fiscal_year;          /* (owned) (nullable) */
  GCancellable *cancellable;  /* (owned) (nullable) the load going on */

  GtkStack *stack;
  GtkLabel *totals_label;
  HsHoursChart *chart;
  AdwStatusPage *empty_page;
  AdwStatusPage *error_page;
};

G_DEFINE_FINAL_TYPE (HsOverviewPage, hs_overview_page, GTK_TYPE_WIDGET)

static void
show_summary (HsOverviewPage *self,
              GVariant       *summary)
{
  g_autofree char *description = NULL;
  g_autofree char *totals = NULL;

  hs_hours_chart_set_summary (self->chart, summary);
  if (hs_hours_chart_get_n_members (self->chart) == 0)
    {
      g_autofree char *year = g_markup_escape_text (self->fiscal_year, -1);

      /* A status page's description is markup. */
      description = g_strdup_printf (_("Sync %s to see the hours each team member logged."), year);
      adw_status_page_set_description (self->empty_page, description);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  /* Translators: "FY2025 · 1234.5 h logged · 980.0 h billable" */
  totals = g_strdup_printf (_("%s · %.1f h logged · %.1f h billable"),
                            self->fiscal_year,
                            hs_hours_chart_get_total_hours (self->chart),
                            hs_hours_chart_get_billable_hours (self->chart));
  gtk_label_set_text (self->totals_label, totals);
  gtk_stack_set_visible_child_name (self->stack, "chart");
}

static void
get_summary_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HsOverviewPage) self = user_data;
  g_autoptr(GVariant) summary = NULL;
  g_autoptr(GError) error = NULL;

  if (!hs_ipc_engine1_call_get_summary_finish (HS_IPC_ENGINE1 (object), &summary, result, &error))
    {
      g_autofree char *text = NULL;
      g_autofree char *markup = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = hs_engine_client_dup_error_text (error);
      /* A status page's description is markup. */
      markup = g_markup_escape_text (text, -1);
      adw_status_page_set_description (self->error_page, markup);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  show_summary (self, summary);
}

static void
reload (HsOverviewPage *self)
{
  HsIpcEngine1 *proxy;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->client == NULL)
    return;

  if (self->fiscal_year == NULL)
    {
      hs_hours_chart_set_summary (self->chart, NULL);
      gtk_stack_set_visible_child_name (self->stack, "no-year");
      return;
    }

  proxy = hs_engine_client_get_proxy (self->client);
  if (proxy == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  hs_ipc_engine1_call_get_summary (proxy, self->fiscal_year, G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable,
                                   get_summary_cb, g_object_ref (self));
}

static void
run_finished_cb (HsEngineClient *client,
                 HsRun          *run,
                 gpointer        user_data)
{
  HsOverviewPage *self = HS_OVERVIEW_PAGE (user_data);

  if (g_strcmp0 (hs_run_get_fiscal_year (run), self->fiscal_year) == 0)
    reload (self);
}

static void
available_changed_cb (GObject    *object,
                      GParamSpec *pspec,
                      gpointer    user_data)
{
  reload (HS_OVERVIEW_PAGE (user_data));
}

void
hs_overview_page_set_client (HsOverviewPage *self,
                             HsEngineClient *client)
{
  g_return_if_fail (HS_IS_OVERVIEW_PAGE (self));
  g_return_if_fail (HS_IS_ENGINE_CLIENT (client));
  g_return_if_fail (self->client == NULL);

  self->client = g_object_ref (client);
  g_signal_connect_object (client, "run-finished", G_CALLBACK (run_finished_cb), self, 0);
  g_signal_connect_object (client, "notify::available", G_CALLBACK (available_changed_cb), self, 0);
  reload (self);
}

/**
 * hs_overview_page_set_fiscal_year:
 * @self: the page
 * @label: (nullable): the year to show
 */
void
hs_overview_page_set_fiscal_year (HsOverviewPage *self,
                                  const char     *label)
{
  g_return_if_fail (HS_IS_OVERVIEW_PAGE (self));

  if (g_strcmp0 (self->fiscal_year, label) == 0)
    return;
  g_free (self->fiscal_year);
  self->fiscal_year = g_strdup (label);
  reload (self);
}

static void
hs_overview_page_dispose (GObject *object)
{
  HsOverviewPage *self = HS_OVERVIEW_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_OVERVIEW_PAGE);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (hs_overview_page_parent_class)->dispose (object);
}

static void
hs_overview_page_finalize (GObject *object)
{
  HsOverviewPage *self = HS_OVERVIEW_PAGE (object);

  g_clear_pointer (&self->fiscal_year, g_free);

  G_OBJECT_CLASS (hs_overview_page_parent_class)->finalize (object);
}

static void
hs_overview_page_class_init (HsOverviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_overview_page_dispose;
  object_class->finalize = hs_overview_page_finalize;

  g_type_ensure (HS_TYPE_HOURS_CHART);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/HaloSync/hs-overview-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HsOverviewPage, stack);
  gtk_widget_class_bind_template_child (widget_class, HsOverviewPage, totals_label);
  gtk_widget_class_bind_template_child (widget_class, HsOverviewPage, chart);
  gtk_widget_class_bind_template_child (widget_class, HsOverviewPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, HsOverviewPage, error_page);
}

static void
hs_overview_page_init (HsOverviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_stack_set_visible_child_name (self->stack, "no-year");
}
