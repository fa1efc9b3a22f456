/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-format.h"

/* Every place that shows a run (status panel, history, toasts) words it
 * the same way; the helpers live here so they cannot drift apart. */

/**
 * hs_format_count:
 * @n: a count
 *
 * Returns: (transfer full): @n with the locale's digit grouping, "1,234"
 */
char *
hs_format_count (guint64 n)
{
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, n);
}

/**
 * hs_format_duration:
 * @usec: a duration in microseconds
 *
 * Returns: (transfer full): "3.2 s", "4 min 5 s" or "2 h 10 min"
 */
char *
hs_format_duration (gint64 usec)
{
  gint64 seconds;

  if (usec < 0)
    usec = 0;
  if (usec < 60 * G_USEC_PER_SEC)
    /* Translators: a duration in seconds with one decimal */
    return g_strdup_printf (_("%.1f s"), (double) usec / G_USEC_PER_SEC);

  seconds = usec / G_USEC_PER_SEC;
  if (seconds < 3600)
    /* Translators: a duration in minutes and seconds */
    return g_strdup_printf (_("%d min %d s"), (int) (seconds / 60), (int) (seconds % 60));

  /* Translators: a duration in hours and minutes */
  return g_strdup_printf (_("%d h %d min"), (int) (seconds / 3600), (int) (seconds % 3600 / 60));
}

/**
 * hs_format_time:
 * @usec: microseconds since the Unix epoch
 *
 * Returns: (transfer full): the local time, with the date unless it is
 *   today
 */
char *
hs_format_time (gint64 usec)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (when == NULL)
    return g_strdup ("");

  if (g_date_time_get_year (when) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (now))
    /* Translators: a time of day today, in g_date_time_format() syntax */
    return g_date_time_format (when, _("%H:%M"));

  /* Translators: a day and time, in g_date_time_format() syntax */
  return g_date_time_format (when, _("%-d %b %Y, %H:%M"));
}

/**
 * hs_format_day_time:
 * @usec: microseconds since the Unix epoch
 *
 * For lists that span days, where a bare time of day would be read as
 * today's.
 *
 * Returns: (transfer full): the local day and time: "Today, 10:00",
 *   "Yesterday, 10:00" or "3 Dec 2026, 10:00"
 */
char *
hs_format_day_time (gint64 usec)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);

  if (when == NULL)
    return g_strdup ("");

  if (g_date_time_get_year (when) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (now))
    /* Translators: a time of day today, in g_date_time_format() syntax */
    return g_date_time_format (when, _("Today, %H:%M"));
  if (g_date_time_get_year (when) == g_date_time_get_year (yesterday) &&
      g_date_time_get_day_of_year (when) == g_date_time_get_day_of_year (yesterday))
    /* Translators: a time of day yesterday, in g_date_time_format() syntax */
    return g_date_time_format (when, _("Yesterday, %H:%M"));

  /* Translators: a day and time, in g_date_time_format() syntax */
  return g_date_time_format (when, _("%-d %b %Y, %H:%M"));
}

/**
 * hs_format_date:
 * @date: a valid date
 *
 * Returns: (transfer full): the date for people, "1 Jul 2025"
 */
char *
hs_format_date (const GDate *date)
{
  g_autoptr(GDateTime) when = NULL;

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  when = g_date_time_new_local (g_date_get_year (date), g_date_get_month (date),
                                g_date_get_day (date), 0, 0, 0);
  /* Translators: a date, in g_date_time_format() syntax */
  return g_date_time_format (when, _("%-d %b %Y"));
}

/**
 * hs_format_date_range:
 * @year: a fiscal year
 *
 * Returns: (transfer full): "1 Jul 2025 – 30 Jun 2026"
 */
char *
hs_format_date_range (HsFiscalYear *year)
{
  g_autofree char *start = hs_format_date (hs_fiscal_year_get_start (year));
  g_autofree char *end = hs_format_date (hs_fiscal_year_get_end (year));

  /* Translators: the first and last day of a fiscal year */
  return g_strdup_printf (_("%s – %s"), start, end);
}

/**
 * hs_format_stage:
 * @stage: a stage as the service names it
 *
 * Returns: what the stage means, for people
 */
const char *
hs_format_stage (const char *stage)
{
  HsRunStage value;

  if (stage == NULL || !hs_run_stage_from_string (stage, &value))
    return _("Working");

  switch (value)
    {
    case HS_RUN_STAGE_WAITING:
      return _("Waiting for another sync to finish");
    case HS_RUN_STAGE_CONNECTING:
      return _("Connecting to Halo and the database");
    case HS_RUN_STAGE_FETCHING:
      return _("Fetching records");
    case HS_RUN_STAGE_RETRYING:
      return _("Waiting to ask Halo again");
    case HS_RUN_STAGE_DELETING:
      return _("Checking for deleted records");
    case HS_RUN_STAGE_COMMITTING:
      return _("Saving");
    case HS_RUN_STAGE_DONE:
      return _("Done");
    default:
      return _("Working");
    }
}

/**
 * hs_format_stream:
 * @stream: a stream as the service names it
 *
 * Returns: the stream's name for people, or @stream itself if unknown
 */
const char *
hs_format_stream (const char *stream)
{
  HsStream value;

  if (stream == NULL || !hs_stream_from_string (stream, &value))
    return stream != NULL ? stream : "";

  switch (value)
    {
    case HS_STREAM_AGENTS:
      return _("Agents");
    case HS_STREAM_TEAMS:
      return _("Teams");
    case HS_STREAM_CLIENTS:
      return _("Clients");
    case HS_STREAM_TICKETS:
      return _("Tickets");
    case HS_STREAM_TIME_ENTRIES:
      return _("Time entries");
    default:
      return stream;
    }
}

/* What started @run, as the history names it.  In the app a manual full
 * run is the check for deleted records (a dry run) or its applying, not
 * Sync Now, which reads only what changed. */
const char *
hs_format_run_trigger (HsRun *run)
{
  switch (hs_run_get_trigger (run))
    {
    case HS_TRIGGER_MANUAL:
      if (hs_run_get_mode (run) == HS_SYNC_FULL)
        return hs_run_get_dry_run (run) ? _("Check for deleted records") : _("Full sync");
      return _("Sync Now");
    case HS_TRIGGER_HOURLY:
      return _("Automatic");
    case HS_TRIGGER_FISCAL_YEAR:
      return _("New fiscal year");
    case HS_TRIGGER_DBUS:
      return _("Script");
    case HS_TRIGGER_CLI:
      return _("Command line");
    default:
      return "";
    }
}

const char *
hs_format_status (HsRunStatus status)
{
  switch (status)
    {
    case HS_RUN_QUEUED:
      return _("Queued");
    case HS_RUN_RUNNING:
      return _("Running");
    case HS_RUN_SUCCEEDED:
      return _("Succeeded");
    case HS_RUN_FAILED:
      return _("Failed");
    case HS_RUN_CANCELLED:
      return _("Canceled");
    case HS_RUN_INTERRUPTED:
      return _("Interrupted");
    default:
      return "";
    }
}

/**
 * hs_format_rows_written:
 * @run: a run
 *
 * Returns: the rows the run changed in the database
 */
guint64
hs_format_rows_written (HsRun *run)
{
  return hs_run_get_total (run, HS_COUNTER_INSERTED) +
         hs_run_get_total (run, HS_COUNTER_UPDATED) +
         hs_run_get_total (run, HS_COUNTER_DELETED);
}

static gint64
run_duration (HsRun *run)
{
  gint64 started = hs_run_get_started_at (run);
  gint64 finished = hs_run_get_finished_at (run);

  if (started <= 0 || finished < started)
    return 0;
  return finished - started;
}

/**
 * hs_format_run_summary:
 * @run: a finished run
 *
 * Returns: (transfer full): the run in one line, "Synced 10:00 · 1,234
 *   rows · 3.2 s"
 */
char *
hs_format_run_summary (HsRun *run)
{
  g_autofree char *when = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *rows = NULL;
  guint64 n_rows;

  g_return_val_if_fail (HS_IS_RUN (run), NULL);

  when = hs_format_time (hs_run_get_finished_at (run) > 0 ? hs_run_get_finished_at (run)
                                                          : hs_run_get_started_at (run));
  duration = hs_format_duration (run_duration (run));
  n_rows = hs_format_rows_written (run);
  rows = hs_format_count (n_rows);

  switch (hs_run_get_status (run))
    {
    case HS_RUN_SUCCEEDED:
      /* Translators: "Synced 10:00 · 1,234 rows · 3.2 s" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Synced %s · %s row · %s",
                                           "Synced %s · %s rows · %s", n_rows),
                              when, rows, duration);
    case HS_RUN_FAILED:
      /* Translators: "Sync failed 10:00 · 3.2 s" */
      return g_strdup_printf (_("Sync failed %s · %s"), when, duration);
    case HS_RUN_CANCELLED:
      /* Translators: "Sync canceled 10:00 · 3.2 s" */
      return g_strdup_printf (_("Sync canceled %s · %s"), when, duration);
    case HS_RUN_INTERRUPTED:
      /* Translators: "Sync interrupted 10:00" */
      return g_strdup_printf (_("Sync interrupted %s"), when);
    case HS_RUN_QUEUED:
    case HS_RUN_RUNNING:
    default:
      /* Translators: "Started 10:00" */
      return g_strdup_printf (_("Started %s"), when);
    }
}

/**
 * hs_format_stream_counts:
 * @run: a run
 * @stream: one of its streams
 *
 * Returns: (transfer full): "1,234 fetched · 120 new · 3 updated · 0
 *   deleted"
 */
char *
hs_format_stream_counts (HsRun    *run,
                         HsStream  stream)
{
  g_autofree char *fetched = hs_format_count (hs_run_get_count (run, stream, HS_COUNTER_FETCHED));
  g_autofree char *inserted = hs_format_count (hs_run_get_count (run, stream, HS_COUNTER_INSERTED));
  g_autofree char *updated = hs_format_count (hs_run_get_count (run, stream, HS_COUNTER_UPDATED));
  g_autofree char *deleted = hs_format_count (hs_run_get_count (run, stream, HS_COUNTER_DELETED));

  /* Translators: what a sync did with one kind of record */
  return g_strdup_printf (_("%s fetched · %s new · %s updated · %s deleted"), fetched, inserted, updated, deleted);
}

/**
 * hs_format_run_counts:
 * @run: a run
 *
 * Returns: (transfer full): "120 new · 3 updated · 0 deleted"
 */
char *
hs_format_run_counts (HsRun *run)
{
  g_autofree char *inserted = hs_format_count (hs_run_get_total (run, HS_COUNTER_INSERTED));
  g_autofree char *updated = hs_format_count (hs_run_get_total (run, HS_COUNTER_UPDATED));
  g_autofree char *deleted = hs_format_count (hs_run_get_total (run, HS_COUNTER_DELETED));

  /* Translators: row counts of a sync */
  return g_strdup_printf (_("%s new · %s updated · %s deleted"), inserted, updated, deleted);
}
