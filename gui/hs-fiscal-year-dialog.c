/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-fiscal-year-dialog.h"

/**
 * HsFiscalYearDialog:
 *
 * Creates a fiscal year: a label and the first and last day, typed or
 * picked from a calendar.  The input is checked as it is typed, with the
 * engine's own rules (hs_fiscal_year_new()) and against the years that
 * exist, so *Create* is only sensitive for a year the service will
 * accept.  The service starts syncing a new year itself.
 */
struct _HsFiscalYearDialog
{
  AdwWindow parent_instance;

  HsEngineClient *client;      /* (owned) */
  GCancellable *cancellable;   /* (owned) */
  gboolean creating;

  GtkButton *create_button;
  AdwEntryRow *label_row;
  AdwEntryRow *start_row;
  AdwEntryRow *end_row;
  GtkPopover *start_popover;
  GtkPopover *end_popover;
  GtkCalendar *start_calendar;
  GtkCalendar *end_calendar;
  GtkLabel *error_label;
};

G_DEFINE_FINAL_TYPE (HsFiscalYearDialog, hs_fiscal_year_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNAL_CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
text_of (AdwEntryRow *row)
{
  return gtk_editable_get_text (GTK_EDITABLE (row));
}

static void
show_error (HsFiscalYearDialog *self,
            const char         *message)
{
  gtk_label_set_text (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
mark_row (AdwEntryRow *row,
          gboolean     invalid)
{
  if (invalid)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

/* Returns the year the input describes, or NULL with the reason shown. */
static HsFiscalYear *
validate (HsFiscalYearDialog *self)
{
  g_autoptr(HsFiscalYear) year = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) existing = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *years = hs_engine_client_get_fiscal_years (self->client);
  GDate date;

  mark_row (self->start_row, !hs_fiscal_year_parse_date (text_of (self->start_row), &date, NULL));
  mark_row (self->end_row, !hs_fiscal_year_parse_date (text_of (self->end_row), &date, NULL));

  year = hs_fiscal_year_new (text_of (self->label_row), text_of (self->start_row),
                             text_of (self->end_row), &error);
  if (year != NULL)
    {
      for (guint i = 0; i < g_list_model_get_n_items (years); i++)
        g_ptr_array_add (existing, g_list_model_get_item (years, i));
      if (!hs_fiscal_year_check_conflicts (year, existing, &error))
        g_clear_object (&year);
    }

  show_error (self, error != NULL ? error->message : NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), year != NULL && !self->creating);
  return g_steal_pointer (&year);
}

static void
revalidate (HsFiscalYearDialog *self)
{
  g_autoptr(HsFiscalYear) year = validate (self);
}

static void
create_fiscal_year_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(HsFiscalYearDialog) self = user_data;
  g_autoptr(GVariant) run = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;

  self->creating = FALSE;
  if (!hs_ipc_engine1_call_create_fiscal_year_finish (HS_IPC_ENGINE1 (object), &run, result, &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = hs_engine_client_dup_error_text (error);
      revalidate (self);
      show_error (self, text);
      return;
    }

  label = g_strdup (text_of (self->label_row));
  g_signal_emit (self, signals[SIGNAL_CREATED], 0, label);
  gtk_window_close (GTK_WINDOW (self));
}

static void
create_clicked_cb (HsFiscalYearDialog *self,
                   GtkWidget          *widget)
{
  g_autoptr(HsFiscalYear) year = validate (self);
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  HsIpcEngine1 *proxy = hs_engine_client_get_proxy (self->client);

  if (year == NULL || self->creating)
    return;
  if (proxy == NULL)
    {
      show_error (self, hs_engine_client_get_error_message (self->client));
      return;
    }

  start = hs_fiscal_year_dup_start_text (year);
  end = hs_fiscal_year_dup_end_text (year);
  self->creating = TRUE;
  gtk_widget_set_sensitive (GTK_WIDGET (self->create_button), FALSE);
  hs_ipc_engine1_call_create_fiscal_year (proxy, hs_fiscal_year_get_label (year), start, end,
                                          G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable, create_fiscal_year_cb,
                                          g_object_ref (self));
}

static void
popover_show_cb (HsFiscalYearDialog *self,
                 GtkPopover         *popover)
{
  AdwEntryRow *row = popover == self->start_popover ? self->start_row : self->end_row;
  GtkCalendar *calendar = popover == self->start_popover ? self->start_calendar : self->end_calendar;
  g_autoptr(GDateTime) when = NULL;
  GDate date;

  /* Open the calendar on the day typed, if it is one. */
  if (!hs_fiscal_year_parse_date (text_of (row), &date, NULL))
    return;
  when = g_date_time_new_local (g_date_get_year (&date), g_date_get_month (&date),
                                g_date_get_day (&date), 0, 0, 0);
  gtk_calendar_select_day (calendar, when);
}

static void
day_selected_cb (HsFiscalYearDialog *self,
                 GtkCalendar        *calendar)
{
  g_autoptr(GDateTime) when = gtk_calendar_get_date (calendar);
  g_autofree char *text = g_date_time_format (when, "%Y-%m-%d");
  AdwEntryRow *row = calendar == self->start_calendar ? self->start_row : self->end_row;
  GtkPopover *popover = calendar == self->start_calendar ? self->start_popover : self->end_popover;

  if (g_strcmp0 (text, text_of (row)) == 0)
    return;
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  gtk_popover_popdown (popover);
}

static void
validate_cb (HsFiscalYearDialog *self,
             GtkEditable        *editable)
{
  revalidate (self);
}

/* The year that ends last: a new year goes after it.  (Not the latest
 * year a sync covers, which may be an earlier one that has begun.) */
static HsFiscalYear *
find_last_year (GListModel *years)
{
  HsFiscalYear *last = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (years); i++)
    {
      g_autoptr(HsFiscalYear) year = g_list_model_get_item (years, i);

      if (last == NULL || g_date_compare (hs_fiscal_year_get_end (year), hs_fiscal_year_get_end (last)) > 0)
        last = year;
    }
  /* The model keeps its own reference. */
  return last;
}

/* Suggests the year after the last one, so the common case is one click:
 * same length, starting the day after, labelled like it when the labels
 * follow the usual "FY" + year pattern. */
static void
suggest (HsFiscalYearDialog *self)
{
  HsFiscalYear *last = find_last_year (hs_engine_client_get_fiscal_years (self->client));
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GDate start, end;
  char start_text[16], end_text[16];
  g_autofree char *label = NULL;

  if (last != NULL)
    {
      start = *hs_fiscal_year_get_end (last);
      g_date_add_days (&start, 1);
      if (!g_str_has_prefix (hs_fiscal_year_get_label (last), "FY"))
        label = g_strdup ("");
    }
  else
    g_date_set_dmy (&start, 1, G_DATE_JANUARY, (GDateYear) g_date_time_get_year (now));

  end = start;
  g_date_add_years (&end, 1);
  g_date_subtract_days (&end, 1);
  if (label == NULL)
    label = g_strdup_printf ("FY%u", (guint) g_date_get_year (&end));

  g_date_strftime (start_text, sizeof start_text, "%Y-%m-%d", &start);
  g_date_strftime (end_text, sizeof end_text, "%Y-%m-%d", &end);
  gtk_editable_set_text (GTK_EDITABLE (self->label_row), label);
  gtk_editable_set_text (GTK_EDITABLE (self->start_row), start_text);
  gtk_editable_set_text (GTK_EDITABLE (self->end_row), end_text);
}

static void
hs_fiscal_year_dialog_dispose (GObject *object)
{
  HsFiscalYearDialog *self = HS_FISCAL_YEAR_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_FISCAL_YEAR_DIALOG);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (hs_fiscal_year_dialog_parent_class)->dispose (object);
}

static void
hs_fiscal_year_dialog_class_init (HsFiscalYearDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_fiscal_year_dialog_dispose;

  /**
   * HsFiscalYearDialog::created:
   * @self: the dialog
   * @label: the new year's label
   *
   * The service stored the year (and queued its first sync).
   */
  signals[SIGNAL_CREATED] =
    g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/HaloSync/hs-fiscal-year-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, HsFiscalYearDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, HsFiscalYearDialog, label_row);
  gtk_widget_class_bind_template_child (widget_class, HsFiscalYearDialog, start_row);
  gtk_widget_class_bind_template_child (widget_class, HsFiscalYearDialog, end_row);
  gtk_widget_class_bind_template_child (widget_class, HsFiscalYearDialog, start_popover);
  gtk_widget_class_bind_template_child (widget_class, HsFiscalYearDialog, end_popover);
  gtk_widget_class_bind_template_child (widget_class, HsFiscalYearDialog, start_calendar);
  gtk_widget_class_bind_template_child (widget_class, HsFiscalYearDialog, end_calendar);
  gtk_widget_class_bind_template_child (widget_class, HsFiscalYearDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, create_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, day_selected_cb);
  gtk_widget_class_bind_template_callback_full (widget_class, "validate", G_CALLBACK (validate_cb));

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
hs_fiscal_year_dialog_init (HsFiscalYearDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/**
 * hs_fiscal_year_dialog_new:
 * @service: the service to create the year with
 *
 * Returns: (transfer none): the dialog, filled in with the year after the
 *   latest one; like every window it lives until it is closed
 */
HsFiscalYearDialog *
hs_fiscal_year_dialog_new (HsEngineClient *client)
{
  HsFiscalYearDialog *self;

  g_return_val_if_fail (HS_IS_ENGINE_CLIENT (client), NULL);

  self = g_object_new (HS_TYPE_FISCAL_YEAR_DIALOG, NULL);
  self->client = g_object_ref (client);
  suggest (self);
  revalidate (self);
  /* The label is what a person looks at first; left alone, GTK would
   * focus the first button, Cancel. */
  gtk_widget_grab_focus (GTK_WIDGET (self->label_row));
  return self;
}
