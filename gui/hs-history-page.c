/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-history-page.h"
#include "hs-run-row.h"

/* Enough to see a day of hourly runs and the manual ones between them. */
#define HISTORY_LIMIT 50

/**
 * HsHistoryPage:
 *
 * The most recent runs, newest first, reloaded whenever a run starts or
 * ends, optionally only one fiscal year's and only those with a problem.
 */
struct _HsHistoryPage
{
  GtkWidget parent_instance;

  HsEngineClient *client;     /* (owned) (nullable) */
  GCancellable *cancellable;  /* (owned) (nullable) the load going on */
  GListStore *runs;           /* (owned) (element-type HsRun) */
  GtkFilterListModel *shown;  /* (owned) the runs that pass the filters */
  GtkCustomFilter *filter;    /* (owned) */

  GtkStack *stack;
  GtkListBox *list_box;
  AdwStatusPage *error_page;
  GtkDropDown *year_filter;
  GtkStringList *year_names;  /* "All Years", then each year the runs name */
  GtkToggleButton *problems_filter;

  gint64 run_to_show;         /* 0, or a run to open once it is listed */
};

G_DEFINE_FINAL_TYPE (HsHistoryPage, hs_history_page, GTK_TYPE_WIDGET)

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  return hs_run_row_new (HS_RUN (item));
}

/* A run someone should look at: it did not finish its work, or it left
 * something to fix. */
static gboolean
has_problem (HsRun *run)
{
  switch (hs_run_get_status (run))
    {
    case HS_RUN_FAILED:
    case HS_RUN_INTERRUPTED:
    case HS_RUN_CANCELLED:
      return TRUE;
    case HS_RUN_SUCCEEDED:
    case HS_RUN_QUEUED:
    case HS_RUN_RUNNING:
    default:
      return hs_run_get_n_warnings (run) > 0 || hs_run_get_unmapped_agents (run)->len > 0;
    }
}

/* The year chosen, or %NULL for all of them. */
static const char *
get_chosen_year (HsHistoryPage *self)
{
  guint position = gtk_drop_down_get_selected (self->year_filter);

  if (position == 0 || position == GTK_INVALID_LIST_POSITION)
    return NULL;
  return gtk_string_list_get_string (self->year_names, position);
}

static gboolean
filter_run (gpointer item,
            gpointer user_data)
{
  HsHistoryPage *self = user_data;
  HsRun *run = HS_RUN (item);
  const char *year = get_chosen_year (self);

  if (year != NULL && g_strcmp0 (hs_run_get_fiscal_year (run), year) != 0)
    return FALSE;
  return !gtk_toggle_button_get_active (self->problems_filter) || has_problem (run);
}

static void
filters_changed_cb (HsHistoryPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static int
compare_years_newest_first (gconstpointer a,
                            gconstpointer b)
{
  return -g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Offers the years the runs name, keeping the one chosen (even when
 * none of the new runs names it, so that a reload never widens what is
 * shown without being asked). */
static void
update_year_names (HsHistoryPage *self,
                   GPtrArray     *runs)
{
  g_autofree char *chosen = g_strdup (get_chosen_year (self));
  g_autoptr(GPtrArray) years = g_ptr_array_new ();
  guint selected = 0;

  for (guint i = 0; i < runs->len; i++)
    {
      const char *year = hs_run_get_fiscal_year (g_ptr_array_index (runs, i));

      if (year != NULL && !g_ptr_array_find_with_equal_func (years, year, g_str_equal, NULL))
        g_ptr_array_add (years, (gpointer) year);
    }
  if (chosen != NULL && !g_ptr_array_find_with_equal_func (years, chosen, g_str_equal, NULL))
    g_ptr_array_add (years, chosen);
  g_ptr_array_sort (years, compare_years_newest_first);

  g_signal_handlers_block_by_func (self->year_filter, filters_changed_cb, self);
  g_ptr_array_insert (years, 0, _("All Years"));
  g_ptr_array_add (years, NULL);
  gtk_string_list_splice (self->year_names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->year_names)),
                          (const char * const *) years->pdata);
  for (guint i = 1; chosen != NULL && years->pdata[i] != NULL; i++)
    if (g_strcmp0 (years->pdata[i], chosen) == 0)
      selected = i;
  gtk_drop_down_set_selected (self->year_filter, selected);
  g_signal_handlers_unblock_by_func (self->year_filter, filters_changed_cb, self);
}

/* Opens the row of the run to show, if it is listed; the filters are off
 * by then (see hs_history_page_show_run()). */
static gboolean
open_run_to_show (HsHistoryPage *self)
{
  GListModel *shown = G_LIST_MODEL (self->shown);

  for (guint i = 0; self->run_to_show != 0 && i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(HsRun) run = g_list_model_get_item (shown, i);
      GtkListBoxRow *row;

      if (hs_run_get_id (run) != self->run_to_show)
        continue;
      row = gtk_list_box_get_row_at_index (self->list_box, (int) i);
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (row));
      self->run_to_show = 0;
      return TRUE;
    }
  return FALSE;
}

static void
list_runs_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HsHistoryPage) self = user_data;
  g_autoptr(GVariant) runs = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func (g_object_unref);
  GVariantIter iter;
  GVariant *child;

  if (!hs_ipc_engine1_call_list_runs_finish (HS_IPC_ENGINE1 (object), &runs, result, &error))
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

  g_variant_iter_init (&iter, runs);
  while ((child = g_variant_iter_next_value (&iter)) != NULL)
    {
      g_autoptr(GVariant) owned = child;
      g_autoptr(GError) local_error = NULL;
      HsRun *run = hs_run_new_from_variant (owned, &local_error);

      if (run == NULL)
        g_warning ("The service listed a run the app cannot read: %s", local_error->message);
      else
        g_ptr_array_add (parsed, run);
    }

  update_year_names (self, parsed);
  g_list_store_splice (self->runs, 0, g_list_model_get_n_items (G_LIST_MODEL (self->runs)),
                       parsed->pdata, parsed->len);
  filters_changed_cb (self);
  /* A run older than the list never shows; the list is still the place
   * to look. */
  open_run_to_show (self);
  self->run_to_show = 0;
  gtk_stack_set_visible_child_name (self->stack, parsed->len > 0 ? "list" : "empty");
}

static void
reload (HsHistoryPage *self)
{
  HsIpcEngine1 *proxy = hs_engine_client_get_proxy (self->client);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (proxy == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  hs_ipc_engine1_call_list_runs (proxy, HISTORY_LIMIT, G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable,
                                 list_runs_cb, g_object_ref (self));
}

static void
run_changed_cb (HsEngineClient *client,
                HsRun          *run,
                gpointer        user_data)
{
  reload (HS_HISTORY_PAGE (user_data));
}

static void
available_changed_cb (GObject    *object,
                      GParamSpec *pspec,
                      gpointer    user_data)
{
  reload (HS_HISTORY_PAGE (user_data));
}

void
hs_history_page_set_client (HsHistoryPage  *self,
                            HsEngineClient *client)
{
  g_return_if_fail (HS_IS_HISTORY_PAGE (self));
  g_return_if_fail (HS_IS_ENGINE_CLIENT (client));
  g_return_if_fail (self->client == NULL);

  self->client = g_object_ref (client);
  g_signal_connect_object (client, "run-started", G_CALLBACK (run_changed_cb), self, 0);
  g_signal_connect_object (client, "run-finished", G_CALLBACK (run_changed_cb), self, 0);
  g_signal_connect_object (client, "notify::available", G_CALLBACK (available_changed_cb), self, 0);
  reload (self);
}

/**
 * hs_history_page_get_runs:
 * @self: the page
 *
 * Returns: (transfer none): the recent runs, newest first, whatever the
 *   filters
 */
GListModel *
hs_history_page_get_runs (HsHistoryPage *self)
{
  g_return_val_if_fail (HS_IS_HISTORY_PAGE (self), NULL);
  return G_LIST_MODEL (self->runs);
}

/**
 * hs_history_page_show_run:
 * @self: the page
 * @run_id: a run's id in the ledger
 *
 * Clears the filters and opens the run's row, now or, if the run is not
 * listed yet (the page is loading, or the run just ended), once the list
 * next loads.
 */
void
hs_history_page_show_run (HsHistoryPage *self,
                          gint64         run_id)
{
  g_return_if_fail (HS_IS_HISTORY_PAGE (self));

  gtk_drop_down_set_selected (self->year_filter, 0);
  gtk_toggle_button_set_active (self->problems_filter, FALSE);
  self->run_to_show = run_id;
  if (!open_run_to_show (self))
    reload (self);
}

/**
 * hs_history_page_get_shown_runs:
 * @self: the page
 *
 * Returns: (transfer none): the runs the filters let through, newest first
 */
GListModel *
hs_history_page_get_shown_runs (HsHistoryPage *self)
{
  g_return_val_if_fail (HS_IS_HISTORY_PAGE (self), NULL);
  return G_LIST_MODEL (self->shown);
}

static void
hs_history_page_dispose (GObject *object)
{
  HsHistoryPage *self = HS_HISTORY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_HISTORY_PAGE);
  g_clear_object (&self->client);
  g_clear_object (&self->shown);
  g_clear_object (&self->filter);
  g_clear_object (&self->runs);

  G_OBJECT_CLASS (hs_history_page_parent_class)->dispose (object);
}

static void
hs_history_page_class_init (HsHistoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_history_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/HaloSync/hs-history-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HsHistoryPage, stack);
  gtk_widget_class_bind_template_child (widget_class, HsHistoryPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, HsHistoryPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, HsHistoryPage, year_filter);
  gtk_widget_class_bind_template_child (widget_class, HsHistoryPage, year_names);
  gtk_widget_class_bind_template_child (widget_class, HsHistoryPage, problems_filter);
}

static void
hs_history_page_init (HsHistoryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->runs = g_list_store_new (HS_TYPE_RUN);
  self->filter = gtk_custom_filter_new (filter_run, self, NULL);
  self->shown = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->runs)),
                                           g_object_ref (GTK_FILTER (self->filter)));
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->shown), create_row, NULL, NULL);
  gtk_string_list_append (self->year_names, _("All Years"));
  g_signal_connect_swapped (self->year_filter, "notify::selected", G_CALLBACK (filters_changed_cb), self);
  g_signal_connect_swapped (self->problems_filter, "toggled", G_CALLBACK (filters_changed_cb), self);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}
