/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-format.h"
#include "hs-run-row.h"

/**
 * HsRunRow:
 *
 * One run in the history: when, which year, what started it, how it
 * ended and what it changed; expanded, its details, error and warnings.
 */
struct _HsRunRow
{
  AdwExpanderRow parent_instance;

  HsRun *run;                 /* (owned) */

  GtkImage *status_icon;
  GtkLabel *status_label;
};

G_DEFINE_FINAL_TYPE (HsRunRow, hs_run_row, ADW_TYPE_EXPANDER_ROW)

enum {
  PROP_0,
  PROP_RUN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
add_detail (HsRunRow   *self,
            const char *title,
            const char *value,
            const char *css_class)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "property");
  if (css_class != NULL)
    gtk_widget_add_css_class (row, css_class);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), row);
}

/* Enough to find them on the Agents page; a tenant's first sync can
 * leave hundreds unmapped. */
#define MAX_UNMAPPED_SHOWN 10

static char *
format_unmapped (GArray *unmapped)
{
  g_autoptr(GString) ids = g_string_new (NULL);
  guint shown = MIN (unmapped->len, MAX_UNMAPPED_SHOWN);

  for (guint i = 0; i < shown; i++)
    {
      if (i > 0)
        /* Translators: the separator between Halo agent ids, "3, 7, 12" */
        g_string_append (ids, _(", "));
      g_string_append_printf (ids, "%" G_GINT64_FORMAT, g_array_index (unmapped, gint64, i));
    }
  if (unmapped->len > shown)
    /* Translators: "Halo agent ids 3, 7, 12 and 4 more; map them on the Agents page" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Halo agent ids %s and %u more; map them on the Agents page",
                                         "Halo agent ids %s and %u more; map them on the Agents page",
                                         unmapped->len - shown),
                            ids->str, unmapped->len - shown);
  /* Translators: "Halo agent ids 3, 7, 12; map them on the Agents page" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Halo agent id %s; map it on the Agents page",
                                       "Halo agent ids %s; map them on the Agents page", shown),
                          ids->str);
}

static const char *
status_icon_name (HsRunStatus status)
{
  switch (status)
    {
    case HS_RUN_SUCCEEDED:
      return "emblem-ok-symbolic";
    case HS_RUN_FAILED:
    case HS_RUN_INTERRUPTED:
      return "dialog-error-symbolic";
    case HS_RUN_CANCELLED:
      return "process-stop-symbolic";
    case HS_RUN_QUEUED:
    case HS_RUN_RUNNING:
    default:
      return "emblem-synchronizing-symbolic";
    }
}

static const char *
status_css_class (HsRunStatus status)
{
  switch (status)
    {
    case HS_RUN_SUCCEEDED:
      return "success";
    case HS_RUN_FAILED:
    case HS_RUN_INTERRUPTED:
      return "error";
    case HS_RUN_CANCELLED:
      return "warning";
    case HS_RUN_QUEUED:
    case HS_RUN_RUNNING:
    default:
      return "accent";
    }
}

static void
hs_run_row_constructed (GObject *object)
{
  HsRunRow *self = HS_RUN_ROW (object);
  HsRunStatus status = hs_run_get_status (self->run);
  gint64 started = hs_run_get_started_at (self->run);
  gint64 finished = hs_run_get_finished_at (self->run);
  g_autofree char *when = hs_format_day_time (started > 0 ? started : finished);
  g_autofree char *counts = hs_format_run_counts (self->run);
  g_autofree char *duration = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *fetched = hs_format_count (hs_run_get_total (self->run, HS_COUNTER_FETCHED));
  g_autofree char *api_calls = g_strdup_printf ("%u", hs_run_get_api_calls (self->run));
  const char * const *warnings = hs_run_get_warnings (self->run);
  const char *error = hs_run_get_error_message (self->run);
  GArray *unmapped = hs_run_get_unmapped_agents (self->run);

  G_OBJECT_CLASS (hs_run_row_parent_class)->constructed (object);

  /* A run still going has lasted until now. */
  if (finished == 0)
    finished = g_get_real_time ();
  duration = hs_format_duration (started > 0 && finished >= started ? finished - started : 0);
  /* Translators: "FY2025 · Sync Now · 3.2 s · 120 new · 3 updated · 0 deleted" */
  subtitle = g_strdup_printf (_("%s · %s · %s · %s"), hs_run_get_fiscal_year (self->run),
                              hs_format_run_trigger (self->run), duration, counts);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), when);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);

  gtk_image_set_from_icon_name (self->status_icon, status_icon_name (status));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), status_css_class (status));
  gtk_label_set_text (self->status_label, hs_format_status (status));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), status_css_class (status));

  if (error != NULL)
    add_detail (self, _("Error"), error, "error");
  add_detail (self, _("Mode"),
              hs_run_get_mode (self->run) == HS_SYNC_FULL ? _("Full") : _("Incremental"),
              NULL);
  if (hs_run_get_dry_run (self->run))
    add_detail (self, _("Dry run"), _("Nothing was saved"), NULL);
  add_detail (self, _("Records fetched"), fetched, NULL);
  add_detail (self, _("Rows"), counts, NULL);
  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    {
      g_autofree char *stream_counts = NULL;

      if (hs_run_get_count (self->run, stream, HS_COUNTER_FETCHED) == 0 &&
          hs_run_get_count (self->run, stream, HS_COUNTER_INSERTED) == 0 &&
          hs_run_get_count (self->run, stream, HS_COUNTER_UPDATED) == 0 &&
          hs_run_get_count (self->run, stream, HS_COUNTER_DELETED) == 0)
        continue;
      stream_counts = hs_format_stream_counts (self->run, stream);
      add_detail (self, hs_format_stream (hs_stream_to_string (stream)), stream_counts, NULL);
    }
  add_detail (self, _("Requests to Halo"), api_calls, NULL);
  if (hs_run_get_n_warnings (self->run) > 0)
    {
      g_autofree char *joined = g_strjoinv ("\n", (char **) warnings);
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Warning",
                                                             "%u Warnings",
                                                             hs_run_get_n_warnings (self->run)),
                                                hs_run_get_n_warnings (self->run));

      add_detail (self, title, joined, "warning");
    }
  if (unmapped->len > 0)
    {
      g_autofree char *ids = format_unmapped (unmapped);
      g_autofree char *title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Agent Without a Team Member",
                                                             "%u Agents Without a Team Member", unmapped->len),
                                                unmapped->len);

      add_detail (self, title, ids, "warning");
    }
}

static void
hs_run_row_dispose (GObject *object)
{
  HsRunRow *self = HS_RUN_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_RUN_ROW);
  g_clear_object (&self->run);

  G_OBJECT_CLASS (hs_run_row_parent_class)->dispose (object);
}

static void
hs_run_row_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  HsRunRow *self = HS_RUN_ROW (object);

  switch (prop_id)
    {
    case PROP_RUN:
      g_value_set_object (value, self->run);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_run_row_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  HsRunRow *self = HS_RUN_ROW (object);

  switch (prop_id)
    {
    case PROP_RUN:
      self->run = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_run_row_class_init (HsRunRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = hs_run_row_constructed;
  object_class->dispose = hs_run_row_dispose;
  object_class->get_property = hs_run_row_get_property;
  object_class->set_property = hs_run_row_set_property;

  properties[PROP_RUN] =
    g_param_spec_object ("run", NULL, NULL, HS_TYPE_RUN,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/HaloSync/hs-run-row.ui");
  gtk_widget_class_bind_template_child (widget_class, HsRunRow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, HsRunRow, status_label);
}

static void
hs_run_row_init (HsRunRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * hs_run_row_new:
 * @run: a run
 *
 * Returns: (transfer floating): a row showing @run
 */
GtkWidget *
hs_run_row_new (HsRun *run)
{
  g_return_val_if_fail (HS_IS_RUN (run), NULL);

  return g_object_new (HS_TYPE_RUN_ROW, "run", run, NULL);
}

HsRun *
hs_run_row_get_run (HsRunRow *self)
{
  g_return_val_if_fail (HS_IS_RUN_ROW (self), NULL);
  return self->run;
}
