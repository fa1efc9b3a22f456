/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <halosync.h>

#include "hs-cli-output.h"
#include "hs-cli-progress.h"

#define MIN_BAR_WIDTH 8
#define MAX_BAR_WIDTH 30

/* The steps of a run, in the order it takes them; the bar fills by the
 * steps done, and within a stream's step by the records fetched where
 * Halo said how many there are.  A run reads its streams one after the
 * other, and only a full run checks for deletions (an incremental one
 * skips that step). */
static const char * const steps[] = {
  "connecting", "agents", "teams", "clients", "tickets", "time_entries", "deleting", "committing",
};

/**
 * HsCliProgress:
 *
 * Shows a run's progress signals: a bar redrawn in place on a terminal
 * that can erase a line, one plain line per stage or stream otherwise
 * (logs, pipes and TERM=dumb should not fill with carriage returns).
 */
struct _HsCliProgress
{
  GObject parent_instance;

  HsIpcEngine1 *proxy;   /* (owned) */
  gboolean interactive;
  gint64 run_id;         /* the run followed, 0 for any */
  gint64 shown_run;      /* the run last shown */
  char *last_stage;      /* (owned) (nullable) */
  char *last_stream;     /* (owned) (nullable) */
  guint last_step;       /* the furthest step seen */
  double done;           /* steps done, with a fraction; it never shrinks */
  gboolean drawn;        /* a bar is on the terminal line */
  guint spin;
};

G_DEFINE_FINAL_TYPE (HsCliProgress, hs_cli_progress, G_TYPE_OBJECT)

static const char *
stage_label (const char *stage)
{
  if (g_strcmp0 (stage, "connecting") == 0)
    return _("Connecting");
  if (g_strcmp0 (stage, "fetching") == 0)
    return _("Fetching");
  if (g_strcmp0 (stage, "retrying") == 0)
    return _("Waiting to ask Halo again for");
  if (g_strcmp0 (stage, "deleting") == 0)
    return _("Checking for deletions in");
  if (g_strcmp0 (stage, "committing") == 0)
    return _("Committing");
  if (g_strcmp0 (stage, "done") == 0)
    return _("Done");
  return _("Waiting");
}

/* The step a progress signal reports, as an index into steps[], or
 * G_N_ELEMENTS (steps) once the run is done. */
static guint
step_of (const char *stage,
         const char *stream)
{
  /* Waiting to retry is still the stream's step. */
  const char *name = g_strcmp0 (stage, "fetching") == 0 || g_strcmp0 (stage, "retrying") == 0 ? stream : stage;

  if (g_strcmp0 (stage, "done") == 0)
    return G_N_ELEMENTS (steps);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (g_strcmp0 (name, steps[i]) == 0)
      return i;
  return 0;
}

/* How far the fetch of the run's current stream is, from the service's
 * CurrentRun, or 0 where Halo gave no total. */
static double
stream_fraction (HsCliProgress *self,
                 gint64         run_id)
{
  GVariant *current = hs_ipc_engine1_get_current_run (self->proxy);
  g_autoptr(HsRun) run = NULL;
  HsStream stream;
  gint64 expected;

  if (current == NULL || g_variant_n_children (current) == 0)
    return 0;
  run = hs_run_new_from_variant (current, NULL);
  if (run == NULL || hs_run_get_id (run) != run_id ||
      hs_run_get_stage (run) != HS_RUN_STAGE_FETCHING)
    return 0;
  stream = hs_run_get_stream (run);
  expected = hs_run_get_expected (run, stream);
  if (expected <= 0)
    return 0;
  return MIN ((double) hs_run_get_count (run, stream, HS_COUNTER_FETCHED) / (double) expected, 1.0);
}

static guint
terminal_width (void)
{
  struct winsize size;

  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    return size.ws_col;
  return 80;
}

static void
print_line (HsCliProgress *self,
            const char    *label,
            const char    *fetched,
            const char    *written)
{
  if (g_strcmp0 (self->last_stage, label) == 0)
    return;
  g_free (self->last_stage);
  self->last_stage = g_strdup (label);
  /* Translators: "Fetching tickets: 1,200 fetched, 1,100 written" */
  g_printerr (_("%s: %s fetched, %s written\n"), label, fetched, written);
}

/* One line that fits the terminal as it is now (it may have been resized),
 * one column short of its width so the cursor never wraps: a wrapped line
 * could not be erased by the next redraw. */
static void
draw_bar (HsCliProgress *self,
          const char    *label,
          const char    *fetched,
          const char    *written)
{
  static const char spinner[] = "|/-\\";
  glong width = (glong) terminal_width () - 1;
  /* Translators: "1,200 fetched, 1,100 written", beside the progress bar */
  g_autofree char *counts = g_strdup_printf (_("%s fetched, %s written"), fetched, written);
  g_autofree char *text = g_strdup_printf ("%s  %s", label, counts);
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *fitted = NULL;
  /* The bar keeps its width while the text beside it changes; the text
   * gives way first, and on a very narrow terminal the bar does. */
  glong bar_width = CLAMP (width / 4, MIN_BAR_WIDTH, MAX_BAR_WIDTH);

  g_string_append_c (line, spinner[self->spin++ % 4]);
  g_string_append_c (line, ' ');
  if (width >= 3 * MIN_BAR_WIDTH)
    {
      glong filled = (glong) (bar_width * self->done / G_N_ELEMENTS (steps));

      g_string_append_c (line, '[');
      for (glong i = 0; i < bar_width; i++)
        g_string_append_c (line, i < filled ? '#' : '-');
      g_string_append (line, "] ");
    }
  g_string_append (line, text);

  fitted = hs_cli_fit_width (line->str, width);
  g_printerr ("\r\033[K%s", fitted);
  fflush (stderr);
  self->drawn = TRUE;
}

static void
progress_cb (HsIpcEngine1  *proxy,
             gint64         run_id,
             const char    *stage,
             const char    *stream,
             guint64        fetched,
             guint64        written,
             HsCliProgress *self)
{
  g_autofree char *fetched_text = NULL;
  g_autofree char *written_text = NULL;
  g_autofree char *label = NULL;
  gboolean with_stream = g_strcmp0 (stage, "fetching") == 0 || g_strcmp0 (stage, "retrying") == 0 ||
                         g_strcmp0 (stage, "deleting") == 0;

  if (self->run_id != 0 && run_id != self->run_id)
    return;

  fetched_text = hs_cli_format_count (fetched);
  written_text = hs_cli_format_count (written);
  label = with_stream ? g_strdup_printf ("%s %s", stage_label (stage), stream)
                      : g_strdup (stage_label (stage));
  if (run_id != self->shown_run)
    {
      self->shown_run = run_id;
      self->last_step = 0;
      self->done = 0;
    }
  self->last_step = MAX (self->last_step, step_of (stage, stream));
  if (self->interactive)
    self->done = MAX (self->done, self->last_step + stream_fraction (self, run_id));

  if (self->interactive)
    draw_bar (self, label, fetched_text, written_text);
  else
    print_line (self, label, fetched_text, written_text);
}

static void
hs_cli_progress_dispose (GObject *object)
{
  HsCliProgress *self = HS_CLI_PROGRESS (object);

  hs_cli_progress_clear (self);
  g_clear_object (&self->proxy);
  g_clear_pointer (&self->last_stage, g_free);

  G_OBJECT_CLASS (hs_cli_progress_parent_class)->dispose (object);
}

static void
hs_cli_progress_class_init (HsCliProgressClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hs_cli_progress_dispose;
}

static void
hs_cli_progress_init (HsCliProgress *self)
{
}

/* @interactive: stderr is a terminal that understands erasing a line. */
HsCliProgress *
hs_cli_progress_new (HsIpcEngine1 *proxy,
                     gboolean      interactive)
{
  HsCliProgress *self = g_object_new (HS_TYPE_CLI_PROGRESS, NULL);

  self->proxy = g_object_ref (proxy);
  self->interactive = interactive;
  g_signal_connect_object (proxy, "progress", G_CALLBACK (progress_cb), self, 0);
  return self;
}

/* Only show the run with this id from now on; 0 shows every run. */
void
hs_cli_progress_follow (HsCliProgress *self,
                        gint64         run_id)
{
  g_return_if_fail (HS_IS_CLI_PROGRESS (self));

  self->run_id = run_id;
}

/* Erases the bar so the next output starts on a clean line. */
void
hs_cli_progress_clear (HsCliProgress *self)
{
  g_return_if_fail (HS_IS_CLI_PROGRESS (self));

  if (!self->drawn)
    return;
  g_printerr ("\r\033[K");
  fflush (stderr);
  self->drawn = FALSE;
}
