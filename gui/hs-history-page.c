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
 * ends.
 */
struct _HsHistoryPage
{
  GtkWidget parent_instance;

  HsEngineClient *client;     /* (owned) (nullable) */
  GCancellable *cancellable;  /* (owned) (nullable) the load going on */
  GListStore *runs;           /* (owned) (element-type HsRun) */

  GtkStack *stack;
  GtkListBox *list_box;
  AdwStatusPage *error_page;
};

G_DEFINE_FINAL_TYPE (HsHistoryPage, hs_history_page, GTK_TYPE_WIDGET)

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  return hs_run_row_new (HS_RUN (item));
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

  g_list_store_splice (self->runs, 0, g_list_model_get_n_items (G_LIST_MODEL (self->runs)),
                       parsed->pdata, parsed->len);
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
 * Returns: (transfer none): the runs shown, newest first
 */
GListModel *
hs_history_page_get_runs (HsHistoryPage *self)
{
  g_return_val_if_fail (HS_IS_HISTORY_PAGE (self), NULL);
  return G_LIST_MODEL (self->runs);
}

static void
hs_history_page_dispose (GObject *object)
{
  HsHistoryPage *self = HS_HISTORY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_HISTORY_PAGE);
  g_clear_object (&self->client);
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
}

static void
hs_history_page_init (HsHistoryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->runs = g_list_store_new (HS_TYPE_RUN);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->runs), create_row, NULL, NULL);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}
