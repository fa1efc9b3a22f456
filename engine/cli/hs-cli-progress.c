/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "hs-cli-output.h"
#include "hs-cli-progress.h"

#define BAR_WIDTH 24

/**
 * HsCliProgress:
 *
 * Shows a run's progress signals: a bar redrawn in place on a terminal,
 * one plain line per stage or stream otherwise (logs and pipes should not
 * fill with carriage returns).
 */
struct _HsCliProgress
{
  GObject parent_instance;

  HsIpcEngine1 *proxy;   /* (owned) */
  gboolean interactive;
  gint64 run_id;         /* the run followed, 0 for any */
  char *last_stage;      /* (owned) (nullable) */
  char *last_stream;     /* (owned) (nullable) */
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
  if (g_strcmp0 (stage, "deleting") == 0)
    return _("Checking for deletions in");
  if (g_strcmp0 (stage, "committing") == 0)
    return _("Committing");
  if (g_strcmp0 (stage, "done") == 0)
    return _("Done");
  return _("Waiting");
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
  g_autofree char *fetched_text = hs_cli_format_count (fetched);
  g_autofree char *written_text = hs_cli_format_count (written);
  gboolean with_stream = g_strcmp0 (stage, "fetching") == 0 || g_strcmp0 (stage, "deleting") == 0;

  if (self->run_id != 0 && run_id != self->run_id)
    return;

  if (!self->interactive)
    {
      if (g_strcmp0 (stage, self->last_stage) == 0 && g_strcmp0 (stream, self->last_stream) == 0)
        return;
      g_free (self->last_stage);
      g_free (self->last_stream);
      self->last_stage = g_strdup (stage);
      self->last_stream = g_strdup (stream);
      /* Translators: "Fetching tickets: 1,200 fetched, 1,100 written" */
      g_printerr (_("%s%s%s: %s fetched, %s written\n"), stage_label (stage),
                  with_stream ? " " : "", with_stream ? stream : "", fetched_text, written_text);
      return;
    }

  {
    static const char spinner[] = "|/-\\";
    g_autoptr(GString) bar = g_string_new (NULL);
    guint filled = fetched > 0 ? (guint) (BAR_WIDTH * MIN (written, fetched) / fetched) : 0;

    for (guint i = 0; i < BAR_WIDTH; i++)
      g_string_append_c (bar, i < filled ? '#' : '-');

    g_printerr ("\r\033[K%c %s%s%s [%s] %s fetched, %s written", spinner[self->spin++ % 4],
                stage_label (stage), with_stream ? " " : "", with_stream ? stream : "",
                bar->str, fetched_text, written_text);
    fflush (stderr);
    self->drawn = TRUE;
  }
}

static void
hs_cli_progress_dispose (GObject *object)
{
  HsCliProgress *self = HS_CLI_PROGRESS (object);

  hs_cli_progress_clear (self);
  g_clear_object (&self->proxy);
  g_clear_pointer (&self->last_stage, g_free);
  g_clear_pointer (&self->last_stream, g_free);

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
