/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-format.h"
#include "hs-status-panel.h"

#define PULSE_INTERVAL_MS 120

/**
 * HsStatusPanel:
 *
 * What the service is doing, fed by its signals: the stage and a
 * progress bar while a run goes, records fetched and written per stream,
 * the selected fiscal year's last run in one line and how fresh its data
 * is, the next automatic run, and an error in words a person can act on,
 * with the button that fixes it, where a run or a request failed.
 *
 * Only the selected year's runs describe its data: another year's
 * failure says nothing about it.
 *
 * The bar fills where Halo said how many records the stream's queries
 * return (tickets, clients) and pulses where it did not (time entries).
 * The service's progress signal gives the stage, the stream and the
 * run's totals; the per-stream counts and totals come from its
 * CurrentRun, which it updates as often as it signals progress.
 */
struct _HsStatusPanel
{
  AdwBin parent_instance;

  HsEngineClient *client;        /* (owned) (nullable) */
  char *fiscal_year;             /* (owned) (nullable) the selected year */
  gint64 run_id;                 /* the run the counts belong to */
  guint64 fetched[HS_N_STREAMS];
  guint64 written[HS_N_STREAMS];
  gint64 expected[HS_N_STREAMS]; /* of a running run; -1 where unknown */
  guint64 fetched_total;         /* of the running run */
  guint64 written_total;
  char *stage;                   /* (owned) (nullable) */
  char *stream;                  /* (owned) (nullable) */
  guint pulse_id;
  guint retry_tick_id;           /* counts down to a retry */

  GtkImage *status_icon;
  GtkLabel *title_label;
  GtkLabel *subtitle_label;
  GtkLabel *freshness_label;
  GtkLabel *schedule_label;
  GtkProgressBar *progress_bar;
  GtkGrid *streams_grid;
  GtkBox *error_box;
  GtkLabel *error_label;
  GtkButton *error_button;
  GtkLabel *stream_labels[HS_N_STREAMS][3];
};

G_DEFINE_FINAL_TYPE (HsStatusPanel, hs_status_panel, ADW_TYPE_BIN)

static void
set_icon (HsStatusPanel *self,
          const char    *icon_name,
          const char    *css_class)
{
  static const char *classes[] = { "success", "error", "warning", "accent" };

  gtk_image_set_from_icon_name (self->status_icon, icon_name);
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_icon), classes[i]);
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_icon), css_class);
}

static void
update_streams (HsStatusPanel *self)
{
  gboolean any = FALSE;

  for (guint s = 0; s < HS_N_STREAMS; s++)
    {
      g_autofree char *fetched = hs_format_count (self->fetched[s]);
      g_autofree char *written = hs_format_count (self->written[s]);
      gboolean seen = self->fetched[s] > 0 || self->written[s] > 0 ||
                      g_strcmp0 (self->stream, hs_stream_to_string (s)) == 0;

      if (self->expected[s] >= 0)
        {
          g_autofree char *count = g_steal_pointer (&fetched);
          g_autofree char *expected = hs_format_count (self->expected[s]);

          /* Translators: records fetched so far of those Halo said the
           * stream holds, "1,200 of 5,000" */
          fetched = g_strdup_printf (_("%s of %s"), count, expected);
        }
      gtk_label_set_text (self->stream_labels[s][1], fetched);
      gtk_label_set_text (self->stream_labels[s][2], written);
      for (guint c = 0; c < 3; c++)
        gtk_widget_set_visible (GTK_WIDGET (self->stream_labels[s][c]), seen);
      any |= seen;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->streams_grid), any);
}

static void
load_counts_from_run (HsStatusPanel *self,
                      HsRun         *run)
{
  gboolean running = hs_run_get_status (run) == HS_RUN_RUNNING;

  self->run_id = hs_run_get_id (run);
  for (guint s = 0; s < HS_N_STREAMS; s++)
    {
      self->fetched[s] = hs_run_get_count (run, s, HS_COUNTER_FETCHED);
      self->written[s] = hs_run_get_count (run, s, HS_COUNTER_WRITTEN);
      self->expected[s] = running ? hs_run_get_expected (run, s) : -1;
    }
  update_streams (self);
}

/* A year never synced has no counts, whatever the last one showed. */
static void
clear_counts (HsStatusPanel *self)
{
  self->run_id = 0;
  for (guint s = 0; s < HS_N_STREAMS; s++)
    {
      self->fetched[s] = self->written[s] = 0;
      self->expected[s] = -1;
    }
  update_streams (self);
}

static gboolean
pulse_cb (gpointer user_data)
{
  HsStatusPanel *self = HS_STATUS_PANEL (user_data);

  gtk_progress_bar_pulse (self->progress_bar);
  return G_SOURCE_CONTINUE;
}

static void
update_error (HsStatusPanel *self)
{
  const char *sync_error = hs_engine_client_get_sync_error (self->client);
  HsRun *current = hs_engine_client_get_current_run (self->client);
  HsRun *last = hs_engine_client_get_year_last_run (self->client, self->fiscal_year);
  HsRemedy remedy = HS_REMEDY_NONE;
  g_autofree char *text = NULL;
  const char *label;

  if (sync_error != NULL)
    {
      text = g_strdup (sync_error);
      remedy = hs_engine_client_get_sync_error_remedy (self->client);
    }
  else if (current == NULL && last != NULL && hs_run_get_status (last) == HS_RUN_FAILED)
    {
      text = hs_remedy_dup_run_error (last);
      remedy = hs_remedy_for_run (last);
    }

  /* Halo or the network may be back by the next automatic sync; say
   * when that is, so waiting is a choice too. */
  if (text != NULL && remedy == HS_REMEDY_RETRY && hs_engine_client_get_next_run (self->client) > 0)
    {
      g_autofree char *when = hs_format_time (hs_engine_client_get_next_run (self->client));
      g_autofree char *full = NULL;

      /* Translators: an error, then on a line of its own when the service
       * tries again: "… Halo answered 503.\nHaloSync tries again by itself at 14:00." */
      full = g_strdup_printf (_("%s\nHaloSync tries again by itself at %s."), text, when);
      g_free (text);
      text = g_steal_pointer (&full);
    }

  label = hs_remedy_get_label (remedy);
  gtk_label_set_text (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_box), text != NULL);
  gtk_button_set_label (self->error_button, label != NULL ? label : "");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->error_button), hs_remedy_get_action (remedy));
  gtk_widget_set_visible (GTK_WIDGET (self->error_button), label != NULL);
}

/* The time the selected year's data is from, whatever happened since. */
static void
update_freshness (HsStatusPanel *self)
{
  HsRun *success = hs_engine_client_get_year_last_success (self->client, self->fiscal_year);
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;

  if (self->fiscal_year == NULL || !hs_engine_client_get_available (self->client))
    text = g_strdup ("");
  else if (success == NULL)
    text = g_strdup (_("No data synced yet"));
  else
    {
      when = hs_format_time (hs_run_get_finished_at (success));
      /* Translators: "Data as of 10:00", when the last successful sync of
       * the year ended */
      text = g_strdup_printf (_("Data as of %s"), when);
    }
  gtk_label_set_text (self->freshness_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->freshness_label), text[0] != '\0');
}

/* "Halo answered 503 — retrying in 8 s, attempt 3 of 5" */
static char *
format_retry (HsRun *run)
{
  gint64 left = hs_run_get_retry_at (run) - g_get_real_time ();
  guint seconds = left > 0 ? (guint) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC) : 0;

  if (seconds == 0)
    /* Translators: what failed, then the attempt under way and how many
     * there are, "Halo answered 503 — retrying now, attempt 3 of 5" */
    return g_strdup_printf (_("%s — retrying now, attempt %u of %u"), hs_run_get_retry_reason (run),
                            hs_run_get_retry_attempt (run), hs_run_get_retry_max_attempts (run));
  /* Translators: what failed, the seconds until the next attempt, its
   * number and how many there are, "Halo answered 503 — retrying in 8 s,
   * attempt 3 of 5" */
  return g_strdup_printf (_("%s — retrying in %u s, attempt %u of %u"), hs_run_get_retry_reason (run), seconds,
                          hs_run_get_retry_attempt (run), hs_run_get_retry_max_attempts (run));
}

static void update_running (HsStatusPanel *self,
                            HsRun         *run);

/* How far the fetch of the current stream is, or -1 where Halo gave no
 * total to divide by. */
static double
fetch_fraction (HsStatusPanel *self,
                HsRun         *run)
{
  HsStream stream = hs_run_get_stream (run);

  if (hs_run_get_stage (run) != HS_RUN_STAGE_FETCHING || self->expected[stream] <= 0)
    return -1;
  return MIN ((double) self->fetched[stream] / (double) self->expected[stream], 1.0);
}

static gboolean
retry_tick_cb (gpointer user_data)
{
  HsStatusPanel *self = HS_STATUS_PANEL (user_data);
  HsRun *current = hs_engine_client_get_current_run (self->client);

  if (current == NULL || hs_run_get_retry_reason (current) == NULL)
    {
      self->retry_tick_id = 0;
      return G_SOURCE_REMOVE;
    }
  update_running (self, current);
  return G_SOURCE_CONTINUE;
}

static void
update_running (HsStatusPanel *self,
                HsRun         *run)
{
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  gboolean retrying = hs_run_get_stage (run) == HS_RUN_STAGE_RETRYING && hs_run_get_retry_reason (run) != NULL;
  double fraction;

  title = g_strdup_printf (_("Syncing %s"), hs_run_get_fiscal_year (run));
  if (retrying)
    subtitle = format_retry (run);
  else if (self->stream != NULL)
    {
      g_autofree char *fetched = hs_format_count (self->fetched_total);
      g_autofree char *written = hs_format_count (self->written_total);

      /* Translators: a stage of a sync, the stream it works on and the
       * run's totals, "Fetching records · Tickets · 1,200 fetched, 1,150 written" */
      subtitle = g_strdup_printf (_("%s · %s · %s fetched, %s written"), hs_format_stage (self->stage),
                                  hs_format_stream (self->stream), fetched, written);
    }
  else
    subtitle = g_strdup (hs_format_stage (self->stage != NULL
                                          ? self->stage
                                          : hs_run_stage_to_string (hs_run_get_stage (run))));

  if (retrying && self->retry_tick_id == 0)
    self->retry_tick_id = g_timeout_add_seconds (1, retry_tick_cb, self);
  else if (!retrying)
    g_clear_handle_id (&self->retry_tick_id, g_source_remove);

  set_icon (self, "emblem-synchronizing-symbolic", "accent");
  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->subtitle_label, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), TRUE);
  fraction = fetch_fraction (self, run);
  if (fraction >= 0)
    {
      g_clear_handle_id (&self->pulse_id, g_source_remove);
      gtk_progress_bar_set_fraction (self->progress_bar, fraction);
    }
  else if (self->pulse_id == 0)
    self->pulse_id = g_timeout_add (PULSE_INTERVAL_MS, pulse_cb, self);
}

static void
update_idle (HsStatusPanel *self,
             HsRun         *last)
{
  g_autofree char *summary = NULL;

  g_clear_handle_id (&self->pulse_id, g_source_remove);
  g_clear_handle_id (&self->retry_tick_id, g_source_remove);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);

  if (!hs_engine_client_get_available (self->client))
    {
      set_icon (self, "network-offline-symbolic", NULL);
      gtk_label_set_text (self->title_label, _("Connecting to the HaloSync service…"));
      gtk_label_set_text (self->subtitle_label, "");
      return;
    }

  if (self->fiscal_year == NULL)
    {
      set_icon (self, "x-office-calendar-symbolic", NULL);
      gtk_label_set_text (self->title_label, _("No Fiscal Year"));
      gtk_label_set_text (self->subtitle_label,
                          _("Create a fiscal year to choose the dates HaloSync syncs."));
      return;
    }

  if (last == NULL)
    {
      set_icon (self, "emblem-synchronizing-symbolic", NULL);
      gtk_label_set_text (self->title_label, _("Not Synced Yet"));
      gtk_label_set_text (self->subtitle_label,
                          _("Press Sync Now to fetch the selected fiscal year from Halo."));
      return;
    }

  summary = hs_format_run_summary (last);
  gtk_label_set_text (self->subtitle_label, summary);
  switch (hs_run_get_status (last))
    {
    case HS_RUN_FAILED:
      set_icon (self, "dialog-error-symbolic", "error");
      gtk_label_set_text (self->title_label, _("Sync Failed"));
      break;
    case HS_RUN_CANCELLED:
      set_icon (self, "process-stop-symbolic", "warning");
      gtk_label_set_text (self->title_label, _("Sync Canceled"));
      break;
    case HS_RUN_INTERRUPTED:
      set_icon (self, "dialog-error-symbolic", "error");
      gtk_label_set_text (self->title_label, _("Sync Interrupted"));
      break;
    case HS_RUN_SUCCEEDED:
    case HS_RUN_QUEUED:
    case HS_RUN_RUNNING:
    default:
      set_icon (self, "emblem-ok-symbolic", "success");
      gtk_label_set_text (self->title_label, _("Up to Date"));
      break;
    }
}

static void
update_schedule (HsStatusPanel *self)
{
  gint64 next_run = hs_engine_client_get_next_run (self->client);
  g_autofree char *when = NULL;
  g_autofree char *text = NULL;

  if (!hs_engine_client_get_available (self->client))
    text = g_strdup ("");
  else if (next_run <= 0)
    text = g_strdup (_("Automatic syncs are off"));
  else
    {
      when = hs_format_time (next_run);
      text = g_strdup_printf (_("Next automatic sync %s"), when);
    }
  gtk_label_set_text (self->schedule_label, text);
}

static void
update (HsStatusPanel *self)
{
  HsRun *current = hs_engine_client_get_current_run (self->client);
  HsRun *last = hs_engine_client_get_year_last_run (self->client, self->fiscal_year);

  if (current != NULL)
    {
      if (hs_run_get_id (current) != self->run_id)
        {
          /* A new run: its stage and stream come with its progress. */
          self->fetched_total = self->written_total = 0;
          g_clear_pointer (&self->stage, g_free);
          g_clear_pointer (&self->stream, g_free);
        }
      load_counts_from_run (self, current);
      update_running (self, current);
    }
  else
    {
      g_clear_pointer (&self->stream, g_free);
      if (last != NULL)
        load_counts_from_run (self, last);
      else
        clear_counts (self);
      update_idle (self, last);
    }

  update_freshness (self);
  update_error (self);
  update_schedule (self);
}

static void
state_changed_cb (GObject    *object,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  update (HS_STATUS_PANEL (user_data));
}

static void
year_runs_changed_cb (HsEngineClient *client,
                      gpointer        user_data)
{
  update (HS_STATUS_PANEL (user_data));
}

static void
progress_cb (HsEngineClient *client,
             gint64          run_id,
             const char     *stage,
             const char     *stream,
             guint64         fetched,
             guint64         written,
             gpointer        user_data)
{
  HsStatusPanel *self = HS_STATUS_PANEL (user_data);
  HsRun *current = hs_engine_client_get_current_run (client);

  if (current == NULL || hs_run_get_id (current) != run_id)
    return;

  self->fetched_total = fetched;
  self->written_total = written;
  g_free (self->stage);
  self->stage = g_strdup (stage);
  g_free (self->stream);
  self->stream = g_strdup (stream[0] != '\0' ? stream : NULL);

  load_counts_from_run (self, current);
  update_running (self, current);
}

/**
 * hs_status_panel_set_client:
 * @self: the panel
 * @service: the service to follow
 */
void
hs_status_panel_set_client (HsStatusPanel  *self,
                            HsEngineClient *client)
{
  g_return_if_fail (HS_IS_STATUS_PANEL (self));
  g_return_if_fail (HS_IS_ENGINE_CLIENT (client));
  g_return_if_fail (self->client == NULL);

  self->client = g_object_ref (client);
  g_signal_connect_object (client, "notify::available", G_CALLBACK (state_changed_cb), self, 0);
  g_signal_connect_object (client, "notify::current-run", G_CALLBACK (state_changed_cb), self, 0);
  g_signal_connect_object (client, "notify::last-run", G_CALLBACK (state_changed_cb), self, 0);
  g_signal_connect_object (client, "notify::next-run", G_CALLBACK (state_changed_cb), self, 0);
  g_signal_connect_object (client, "notify::sync-error", G_CALLBACK (state_changed_cb), self, 0);
  g_signal_connect_object (client, "progress", G_CALLBACK (progress_cb), self, 0);
  g_signal_connect_object (client, "year-runs-changed", G_CALLBACK (year_runs_changed_cb), self, 0);
  update (self);
}

/**
 * hs_status_panel_set_fiscal_year:
 * @self: the panel
 * @fiscal_year: (nullable): the label of the year to describe
 */
void
hs_status_panel_set_fiscal_year (HsStatusPanel *self,
                                 const char    *fiscal_year)
{
  g_return_if_fail (HS_IS_STATUS_PANEL (self));

  if (g_strcmp0 (self->fiscal_year, fiscal_year) == 0)
    return;
  g_free (self->fiscal_year);
  self->fiscal_year = g_strdup (fiscal_year);
  if (self->client != NULL)
    update (self);
}

static void
hs_status_panel_dispose (GObject *object)
{
  HsStatusPanel *self = HS_STATUS_PANEL (object);

  g_clear_handle_id (&self->pulse_id, g_source_remove);
  g_clear_handle_id (&self->retry_tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_STATUS_PANEL);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (hs_status_panel_parent_class)->dispose (object);
}

static void
hs_status_panel_finalize (GObject *object)
{
  HsStatusPanel *self = HS_STATUS_PANEL (object);

  g_clear_pointer (&self->stage, g_free);
  g_clear_pointer (&self->stream, g_free);
  g_clear_pointer (&self->fiscal_year, g_free);

  G_OBJECT_CLASS (hs_status_panel_parent_class)->finalize (object);
}

static void
hs_status_panel_class_init (HsStatusPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_status_panel_dispose;
  object_class->finalize = hs_status_panel_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/HaloSync/hs-status-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, HsStatusPanel, status_icon);
  gtk_widget_class_bind_template_child (widget_class, HsStatusPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, HsStatusPanel, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, HsStatusPanel, freshness_label);
  gtk_widget_class_bind_template_child (widget_class, HsStatusPanel, schedule_label);
  gtk_widget_class_bind_template_child (widget_class, HsStatusPanel, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, HsStatusPanel, streams_grid);
  gtk_widget_class_bind_template_child (widget_class, HsStatusPanel, error_box);
  gtk_widget_class_bind_template_child (widget_class, HsStatusPanel, error_label);
  gtk_widget_class_bind_template_child (widget_class, HsStatusPanel, error_button);
  gtk_widget_class_set_css_name (widget_class, "statuspanel");
}

static void
hs_status_panel_init (HsStatusPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint s = 0; s < HS_N_STREAMS; s++)
    self->expected[s] = -1;

  /* One row per stream, in the order the engine syncs them; rows appear
   * once their stream has been seen. */
  for (guint s = 0; s < HS_N_STREAMS; s++)
    {
      for (guint c = 0; c < 3; c++)
        {
          GtkWidget *label = gtk_label_new (c == 0 ? hs_format_stream (hs_stream_to_string (s)) : "0");

          gtk_label_set_xalign (GTK_LABEL (label), c == 0 ? 0.0f : 1.0f);
          if (c > 0)
            gtk_widget_add_css_class (label, "numeric");
          gtk_grid_attach (self->streams_grid, label, (int) c, (int) s + 1, 1, 1);
          self->stream_labels[s][c] = GTK_LABEL (label);
        }
    }
}
