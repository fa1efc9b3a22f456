/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "hs-enum-types.h"
#include "hs-error.h"
#include "hs-run-private.h"

/**
 * HsRun:
 *
 * One sync of one fiscal year: what started it, how it went and what it
 * moved, per stream.  The engine updates a run on the main thread; sinks
 * read it while the engine waits for them, and persist it in their run
 * ledger.  Counters are what the run did, or for a dry run what it would
 * have done.
 */
G_DEFINE_FINAL_TYPE (HsRun, hs_run, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_FISCAL_YEAR,
  PROP_TRIGGER,
  PROP_MODE,
  PROP_DRY_RUN,
  PROP_STATUS,
  PROP_STAGE,
  PROP_STARTED_AT,
  PROP_FINISHED_AT,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
hs_run_finalize (GObject *object)
{
  HsRun *self = HS_RUN (object);

  g_clear_pointer (&self->fiscal_year, g_free);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  g_clear_pointer (&self->unmapped, g_array_unref);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->retry_reason, g_free);

  G_OBJECT_CLASS (hs_run_parent_class)->finalize (object);
}

static void
hs_run_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  HsRun *self = HS_RUN (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_FISCAL_YEAR:
      g_value_set_string (value, self->fiscal_year);
      break;

    case PROP_TRIGGER:
      g_value_set_enum (value, self->trigger);
      break;

    case PROP_MODE:
      g_value_set_enum (value, self->mode);
      break;

    case PROP_DRY_RUN:
      g_value_set_boolean (value, self->dry_run);
      break;

    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;

    case PROP_STAGE:
      g_value_set_enum (value, self->stage);
      break;

    case PROP_STARTED_AT:
      g_value_set_int64 (value, self->started_at);
      break;

    case PROP_FINISHED_AT:
      g_value_set_int64 (value, self->finished_at);
      break;

    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_run_class_init (HsRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hs_run_finalize;
  object_class->get_property = hs_run_get_property;

  /**
   * HsRun:id:
   *
   * The run's id in the sink's ledger, or 0 before it is recorded.
   */
  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HsRun:fiscal-year:
   *
   * The label of the fiscal year the run syncs.
   */
  properties[PROP_FISCAL_YEAR] =
    g_param_spec_string ("fiscal-year", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * HsRun:trigger:
   *
   * What started the run.
   */
  properties[PROP_TRIGGER] =
    g_param_spec_enum ("trigger", NULL, NULL, HS_TYPE_TRIGGER, HS_TRIGGER_MANUAL,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * HsRun:mode:
   *
   * Whether the run reads the whole window or only changes.
   */
  properties[PROP_MODE] =
    g_param_spec_enum ("mode", NULL, NULL, HS_TYPE_SYNC_MODE, HS_SYNC_INCREMENTAL,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * HsRun:dry-run:
   *
   * Whether the run rolls back instead of committing.
   */
  properties[PROP_DRY_RUN] =
    g_param_spec_boolean ("dry-run", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * HsRun:status:
   *
   * Where the run is in its life.
   */
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, HS_TYPE_RUN_STATUS, HS_RUN_QUEUED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HsRun:stage:
   *
   * What the run is doing.
   */
  properties[PROP_STAGE] =
    g_param_spec_enum ("stage", NULL, NULL, HS_TYPE_RUN_STAGE, HS_RUN_STAGE_WAITING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HsRun:started-at:
   *
   * When the run started, in microseconds since the Unix epoch, or 0.
   */
  properties[PROP_STARTED_AT] =
    g_param_spec_int64 ("started-at", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HsRun:finished-at:
   *
   * When the run ended, in microseconds since the Unix epoch, or 0.
   */
  properties[PROP_FINISHED_AT] =
    g_param_spec_int64 ("finished-at", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HsRun:error-message:
   *
   * Why the run failed, in words a person can act on; never holds a secret.
   */
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hs_run_init (HsRun *self)
{
  /* Reserving one slot makes pdata a valid, empty, NULL-terminated array
   * from the start, as hs_run_get_warnings() promises. */
  self->warnings = g_ptr_array_new_null_terminated (1, g_free, TRUE);
  self->unmapped = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < HS_N_STREAMS; i++)
    {
      self->remote_counts[i] = -1;
      self->expected[i] = -1;
    }
}

/**
 * hs_run_new:
 * @fiscal_year: the label of the fiscal year to sync
 * @trigger: what starts the run
 * @mode: full or incremental
 * @dry_run: whether to roll back instead of committing
 *
 * Returns: (transfer full): a queued run
 */
HsRun *
hs_run_new (const char *fiscal_year,
            HsTrigger   trigger,
            HsSyncMode  mode,
            gboolean    dry_run)
{
  HsRun *self;

  g_return_val_if_fail (fiscal_year != NULL, NULL);

  self = g_object_new (HS_TYPE_RUN, NULL);
  self->fiscal_year = g_strdup (fiscal_year);
  self->trigger = trigger;
  self->mode = mode;
  self->dry_run = !!dry_run;
  return self;
}

/**
 * hs_run_copy:
 * @self: a run
 *
 * A run as it is now, for another thread to read while this one goes on
 * changing @self: the engine hands copies to a sink.
 *
 * Returns: (transfer full): a copy of @self
 */
HsRun *
hs_run_copy (HsRun *self)
{
  HsRun *copy;

  g_return_val_if_fail (HS_IS_RUN (self), NULL);

  copy = hs_run_new (self->fiscal_year, self->trigger, self->mode, self->dry_run);
  copy->id = self->id;
  copy->allow_mass_delete = self->allow_mass_delete;
  copy->status = self->status;
  copy->stage = self->stage;
  copy->stream = self->stream;
  copy->started_at = self->started_at;
  copy->finished_at = self->finished_at;
  memcpy (copy->counts, self->counts, sizeof self->counts);
  memcpy (copy->remote_counts, self->remote_counts, sizeof self->remote_counts);
  memcpy (copy->expected, self->expected, sizeof self->expected);
  memcpy (copy->cursor_before, self->cursor_before, sizeof self->cursor_before);
  memcpy (copy->cursor_after, self->cursor_after, sizeof self->cursor_after);
  copy->api_calls = self->api_calls;
  copy->n_warnings = self->n_warnings;
  for (guint i = 0; i < self->warnings->len; i++)
    g_ptr_array_add (copy->warnings, g_strdup (g_ptr_array_index (self->warnings, i)));
  g_array_append_vals (copy->unmapped, self->unmapped->data, self->unmapped->len);
  copy->error_message = g_strdup (self->error_message);
  copy->error_code = self->error_code;
  copy->retry_reason = g_strdup (self->retry_reason);
  copy->retry_attempt = self->retry_attempt;
  copy->retry_max_attempts = self->retry_max_attempts;
  copy->retry_at = self->retry_at;
  return copy;
}

/**
 * hs_run_get_id:
 * @self: a run
 *
 * Returns: the ledger id, or 0 before the run is recorded
 */
gint64
hs_run_get_id (HsRun *self)
{
  g_return_val_if_fail (HS_IS_RUN (self), 0);

  return self->id;
}

/**
 * hs_run_set_id:
 * @self: a run
 * @id: the id the sink's ledger gave the run
 */
void
hs_run_set_id (HsRun *self,
               gint64 id)
{
  g_return_if_fail (HS_IS_RUN (self));
  g_return_if_fail (id >= 0);

  if (self->id == id)
    return;
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

/**
 * hs_run_get_fiscal_year:
 * @self: a run
 *
 * Returns: the fiscal-year label
 */
const char *
hs_run_get_fiscal_year (HsRun *self)
{
  g_return_val_if_fail (HS_IS_RUN (self), NULL);

  return self->fiscal_year;
}

/**
 * hs_run_get_trigger:
 * @self: a run
 *
 * Returns: what started the run
 */
HsTrigger
hs_run_get_trigger (HsRun *self)
{
  g_return_val_if_fail (HS_IS_RUN (self), HS_TRIGGER_MANUAL);

  return self->trigger;
}

/**
 * hs_run_get_mode:
 * @self: a run
 *
 * Returns: full or incremental
 */
HsSyncMode
hs_run_get_mode (HsRun *self)
{
  g_return_val_if_fail (HS_IS_RUN (self), HS_SYNC_INCREMENTAL);

  return self->mode;
}

/**
 * hs_run_get_dry_run:
 * @self: a run
 *
 * Returns: whether the run rolls back instead of committing
 */
gboolean
hs_run_get_dry_run (HsRun *self)
{
  g_return_val_if_fail (HS_IS_RUN (self), FALSE);

  return self->dry_run;
}

/**
 * hs_run_get_allow_mass_delete:
 * @self: a run
 *
 * Returns: whether the run may mark more than the configured share of a
 *   window as deleted
 */
gboolean
hs_run_get_allow_mass_delete (HsRun *self)
{
  g_return_val_if_fail (HS_IS_RUN (self), FALSE);

  return self->allow_mass_delete;
}

/**
 * hs_run_set_allow_mass_delete:
 * @self: a run
 * @allow: whether to lift the mass-delete guard for this run
 */
void
hs_run_set_allow_mass_delete (HsRun   *self,
                              gboolean allow)
{
  g_return_if_fail (HS_IS_RUN (self));

  self->allow_mass_delete = !!allow;
}

/**
 * hs_run_get_status:
 * @self: a run
 *
 * Returns: the status
 */
HsRunStatus
hs_run_get_status (HsRun *self)
{
  g_return_val_if_fail (HS_IS_RUN (self), HS_RUN_QUEUED);

  return self->status;
}

/**
 * hs_run_set_status:
 * @self: a run
 * @status: the new status
 */
void
hs_run_set_status (HsRun      *self,
                   HsRunStatus status)
{
  g_return_if_fail (HS_IS_RUN (self));

  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

/**
 * hs_run_get_stage:
 * @self: a run
 *
 * Returns: the stage
 */
HsRunStage
hs_run_get_stage (HsRun *self)
{
  g_return_val_if_fail (HS_IS_RUN (self), HS_RUN_STAGE_WAITING);

  return self->stage;
}

/**
 * hs_run_set_stage:
 * @self: a run
 * @stage: the new stage
 */
void
hs_run_set_stage (HsRun     *self,
                  HsRunStage stage)
{
  g_return_if_fail (HS_IS_RUN (self));

  if (self->stage == stage)
    return;
  self->stage = stage;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAGE]);
}

/**
 * hs_run_get_stream:
 * @self: a run
 *
 * Returns: the stream the run is working on
 */
HsStream
hs_run_get_stream (HsRun *self)
{
  g_return_val_if_fail (HS_IS_RUN (self), HS_STREAM_AGENTS);

  return self->stream;
}

/**
 * hs_run_set_stream:
 * @self: a run
 * @stream: the stream now being worked on
 */
void
hs_run_set_stream (HsRun   *self,
                   HsStream stream)
{
  g_return_if_fail (HS_IS_RUN (self));
  g_return_if_fail (stream < HS_N_STREAMS);

  self->stream = stream;
}

/**
 * hs_run_get_started_at:
 * @self: a run
 *
 * Returns: microseconds since the Unix epoch, or 0 if not started
 */
gint64
hs_run_get_started_at (HsRun *self)
{
  g_return_val_if_fail (HS_IS_RUN (self), 0);

  return self->started_at;
}

/**
 * hs_run_set_started_at:
 * @self: a run
 * @usec: microseconds since the Unix epoch
 */
void
hs_run_set_started_at (HsRun *self,
                       gint64 usec)
{
  g_return_if_fail (HS_IS_RUN (self));

  if (self->started_at == usec)
    return;
  self->started_at = usec;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STARTED_AT]);
}

/**
 * hs_run_get_finished_at:
 * @self: a run
 *
 * Returns: microseconds since the Unix epoch, or 0 if not finished
 */
gint64
hs_run_get_finished_at (HsRun *self)
{
  g_return_val_if_fail (HS_IS_RUN (self), 0);

  return self->finished_at;
}

/**
 * hs_run_set_finished_at:
 * @self: a run
 * @usec: microseconds since the Unix epoch
 */
void
hs_run_set_finished_at (HsRun *self,
                        gint64 usec)
{
  g_return_if_fail (HS_IS_RUN (self));

  if (self->finished_at == usec)
    return;
  self->finished_at = usec;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED_AT]);
}

/**
 * hs_run_get_count:
 * @self: a run
 * @stream: a stream
 * @counter: which count
 *
 * Returns: the count for @stream
 */
guint64
hs_run_get_count (HsRun    *self,
                  HsStream  stream,
                  HsCounter counter)
{
  g_return_val_if_fail (HS_IS_RUN (self), 0);
  g_return_val_if_fail (stream < HS_N_STREAMS, 0);
  g_return_val_if_fail (counter < HS_N_COUNTERS, 0);

  return self->counts[stream][counter];
}

/**
 * hs_run_get_total:
 * @self: a run
 * @counter: which count
 *
 * Returns: the count summed over all streams
 */
guint64
hs_run_get_total (HsRun    *self,
                  HsCounter counter)
{
  guint64 total = 0;

  g_return_val_if_fail (HS_IS_RUN (self), 0);
  g_return_val_if_fail (counter < HS_N_COUNTERS, 0);

  for (guint i = 0; i < HS_N_STREAMS; i++)
    total += self->counts[i][counter];
  return total;
}

/**
 * hs_run_add_count:
 * @self: a run
 * @stream: a stream
 * @counter: which count
 * @delta: how much to add
 */
void
hs_run_add_count (HsRun    *self,
                  HsStream  stream,
                  HsCounter counter,
                  guint64   delta)
{
  g_return_if_fail (HS_IS_RUN (self));
  g_return_if_fail (stream < HS_N_STREAMS);
  g_return_if_fail (counter < HS_N_COUNTERS);

  self->counts[stream][counter] += delta;
}

/**
 * hs_run_get_remote_count:
 * @self: a run
 * @stream: a stream
 *
 * Returns: how many records the source says the window holds, or -1 if
 *   it did not say
 */
gint64
hs_run_get_remote_count (HsRun   *self,
                         HsStream stream)
{
  g_return_val_if_fail (HS_IS_RUN (self), -1);
  g_return_val_if_fail (stream < HS_N_STREAMS, -1);

  return self->remote_counts[stream];
}

/**
 * hs_run_set_remote_count:
 * @self: a run
 * @stream: a stream
 * @count: the number of records the source reports for the window, or -1
 */
void
hs_run_set_remote_count (HsRun   *self,
                         HsStream stream,
                         gint64   count)
{
  g_return_if_fail (HS_IS_RUN (self));
  g_return_if_fail (stream < HS_N_STREAMS);

  self->remote_counts[stream] = count;
}

/**
 * hs_run_get_expected:
 * @self: a run
 * @stream: a stream
 *
 * How many records of @stream the run expects to fetch, as far as the
 * source's counts tell: with the fetched count, a fraction of the work.
 * It may grow while the run goes, when the source starts another query.
 *
 * Returns: the number, or -1 if the source gave none
 */
gint64
hs_run_get_expected (HsRun   *self,
                     HsStream stream)
{
  g_return_val_if_fail (HS_IS_RUN (self), -1);
  g_return_val_if_fail (stream < HS_N_STREAMS, -1);

  return self->expected[stream];
}

/**
 * hs_run_set_expected:
 * @self: a run
 * @stream: a stream
 * @count: the number of records the run expects to fetch, or -1
 */
void
hs_run_set_expected (HsRun   *self,
                     HsStream stream,
                     gint64   count)
{
  g_return_if_fail (HS_IS_RUN (self));
  g_return_if_fail (stream < HS_N_STREAMS);

  self->expected[stream] = count;
}

/**
 * hs_run_get_cursor_before:
 * @self: a run
 * @stream: a stream
 *
 * Returns: the stream's stored cursor when the run began (microseconds
 *   since the Unix epoch), or 0 if there was none
 */
gint64
hs_run_get_cursor_before (HsRun   *self,
                          HsStream stream)
{
  g_return_val_if_fail (HS_IS_RUN (self), 0);
  g_return_val_if_fail (stream < HS_N_STREAMS, 0);

  return self->cursor_before[stream];
}

/**
 * hs_run_set_cursor_before:
 * @self: a run
 * @stream: a stream
 * @usec: the stored cursor, or 0 for none
 */
void
hs_run_set_cursor_before (HsRun   *self,
                          HsStream stream,
                          gint64   usec)
{
  g_return_if_fail (HS_IS_RUN (self));
  g_return_if_fail (stream < HS_N_STREAMS);

  self->cursor_before[stream] = usec;
}

/**
 * hs_run_get_cursor_after:
 * @self: a run
 * @stream: a stream
 *
 * Returns: the cursor the run commits for @stream, or 0 to keep the old one
 */
gint64
hs_run_get_cursor_after (HsRun   *self,
                         HsStream stream)
{
  g_return_val_if_fail (HS_IS_RUN (self), 0);
  g_return_val_if_fail (stream < HS_N_STREAMS, 0);

  return self->cursor_after[stream];
}

/**
 * hs_run_set_cursor_after:
 * @self: a run
 * @stream: a stream
 * @usec: the new cursor, or 0 to keep the old one
 */
void
hs_run_set_cursor_after (HsRun   *self,
                         HsStream stream,
                         gint64   usec)
{
  g_return_if_fail (HS_IS_RUN (self));
  g_return_if_fail (stream < HS_N_STREAMS);

  self->cursor_after[stream] = usec;
}

/**
 * hs_run_get_api_calls:
 * @self: a run
 *
 * Returns: how many requests the source made
 */
guint
hs_run_get_api_calls (HsRun *self)
{
  g_return_val_if_fail (HS_IS_RUN (self), 0);

  return self->api_calls;
}

/**
 * hs_run_add_api_calls:
 * @self: a run
 * @n: requests made
 */
void
hs_run_add_api_calls (HsRun *self,
                      guint  n)
{
  g_return_if_fail (HS_IS_RUN (self));

  self->api_calls += n;
}

/**
 * hs_run_get_n_warnings:
 * @self: a run
 *
 * Returns: how many warnings the run met, including those not kept
 */
guint
hs_run_get_n_warnings (HsRun *self)
{
  g_return_val_if_fail (HS_IS_RUN (self), 0);

  return self->n_warnings;
}

/**
 * hs_run_get_warnings:
 * @self: a run
 *
 * Only the first 50 messages are kept; hs_run_get_n_warnings() counts all.
 *
 * Returns: (transfer none) (array zero-terminated=1): the warning messages
 */
const char * const *
hs_run_get_warnings (HsRun *self)
{
  g_return_val_if_fail (HS_IS_RUN (self), NULL);

  return (const char * const *) self->warnings->pdata;
}

/**
 * hs_run_add_warning:
 * @self: a run
 * @message: what happened, with no secret in it
 */
void
hs_run_add_warning (HsRun      *self,
                    const char *message)
{
  g_return_if_fail (HS_IS_RUN (self));
  g_return_if_fail (message != NULL);

  self->n_warnings++;
  if (self->warnings->len < MAX_KEPT_WARNINGS)
    g_ptr_array_add (self->warnings, g_strdup (message));
}

/**
 * hs_run_get_unmapped_agents:
 * @self: a run
 *
 * Returns: (transfer none) (element-type gint64): the ids of agents the run
 *   met that have no team-member mapping, in ascending order
 */
GArray *
hs_run_get_unmapped_agents (HsRun *self)
{
  g_return_val_if_fail (HS_IS_RUN (self), NULL);

  return self->unmapped;
}

/**
 * hs_run_add_unmapped_agent:
 * @self: a run
 * @agent_id: a Halo agent id with no mapping
 */
void
hs_run_add_unmapped_agent (HsRun *self,
                           gint64 agent_id)
{
  guint lo = 0, hi;

  g_return_if_fail (HS_IS_RUN (self));

  hi = self->unmapped->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      gint64 v = g_array_index (self->unmapped, gint64, mid);

      if (v == agent_id)
        return;
      if (v < agent_id)
        lo = mid + 1;
      else
        hi = mid;
    }
  g_array_insert_val (self->unmapped, lo, agent_id);
}

/**
 * hs_run_get_retry_reason:
 * @self: a run
 *
 * While the run waits to ask the source again (%HS_RUN_STAGE_RETRYING),
 * what went wrong, as in "Halo answered 503".
 *
 * Returns: (nullable): the reason, or %NULL when the run is not waiting
 *   to retry
 */
const char *
hs_run_get_retry_reason (HsRun *self)
{
  g_return_val_if_fail (HS_IS_RUN (self), NULL);
  return self->retry_reason;
}

/**
 * hs_run_get_retry_attempt:
 * @self: a run
 *
 * Returns: the number of the attempt the run waits to make, counting the
 *   first request as 1; 0 when not waiting
 */
guint
hs_run_get_retry_attempt (HsRun *self)
{
  g_return_val_if_fail (HS_IS_RUN (self), 0);
  return self->retry_attempt;
}

/**
 * hs_run_get_retry_max_attempts:
 * @self: a run
 *
 * Returns: how many attempts the source makes before the run fails; 0
 *   when not waiting
 */
guint
hs_run_get_retry_max_attempts (HsRun *self)
{
  g_return_val_if_fail (HS_IS_RUN (self), 0);
  return self->retry_max_attempts;
}

/**
 * hs_run_get_retry_at:
 * @self: a run
 *
 * Returns: when the next attempt is made, in microseconds since the Unix
 *   epoch; 0 when not waiting
 */
gint64
hs_run_get_retry_at (HsRun *self)
{
  g_return_val_if_fail (HS_IS_RUN (self), 0);
  return self->retry_at;
}

/**
 * hs_run_set_retry:
 * @self: a run
 * @reason: (nullable): what went wrong, for people; %NULL when the run no
 *   longer waits to retry
 * @attempt: the number of the attempt to come
 * @max_attempts: how many attempts there are in all
 * @retry_at: when it comes, in microseconds since the Unix epoch
 *
 * Records that the run waits to ask the source again, or (with %NULL)
 * that it no longer does.  The stage is the caller's to set.
 */
void
hs_run_set_retry (HsRun      *self,
                  const char *reason,
                  guint       attempt,
                  guint       max_attempts,
                  gint64      retry_at)
{
  g_return_if_fail (HS_IS_RUN (self));

  g_free (self->retry_reason);
  self->retry_reason = g_strdup (reason);
  self->retry_attempt = reason != NULL ? attempt : 0;
  self->retry_max_attempts = reason != NULL ? max_attempts : 0;
  self->retry_at = reason != NULL ? retry_at : 0;
}

/**
 * hs_run_get_error_message:
 * @self: a run
 *
 * Returns: (nullable): why the run failed
 */
const char *
hs_run_get_error_message (HsRun *self)
{
  g_return_val_if_fail (HS_IS_RUN (self), NULL);

  return self->error_message;
}

/**
 * hs_run_set_error_message:
 * @self: a run
 * @message: (nullable): why the run failed, with no secret in it
 */
void
hs_run_set_error_message (HsRun      *self,
                          const char *message)
{
  g_return_if_fail (HS_IS_RUN (self));

  if (g_strcmp0 (self->error_message, message) == 0)
    return;
  g_free (self->error_message);
  self->error_message = g_strdup (message);
  self->error_code = HS_ERROR_FAILED;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
}

/**
 * hs_run_set_error:
 * @self: a run
 * @error: why the run failed, with no secret in its message
 *
 * Sets the error message and keeps the error's code, so that callers can
 * tell a run refused as busy from one that failed.  Errors outside
 * %HS_ERROR keep %HS_ERROR_FAILED.
 */
void
hs_run_set_error (HsRun        *self,
                  const GError *error)
{
  g_return_if_fail (HS_IS_RUN (self));
  g_return_if_fail (error != NULL);

  hs_run_set_error_message (self, error->message);
  self->error_code = error->domain == HS_ERROR ? error->code : HS_ERROR_FAILED;
}

/**
 * hs_run_get_error_code:
 * @self: a run
 *
 * Returns: the #HsError code of the run's error; %HS_ERROR_FAILED when
 *   it has none of its own
 */
int
hs_run_get_error_code (HsRun *self)
{
  g_return_val_if_fail (HS_IS_RUN (self), HS_ERROR_FAILED);

  return self->error_code;
}

/**
 * hs_run_is_finished:
 * @self: a run
 *
 * Returns: %TRUE once the run succeeded, failed or was cancelled
 */
gboolean
hs_run_is_finished (HsRun *self)
{
  g_return_val_if_fail (HS_IS_RUN (self), FALSE);

  return self->status >= HS_RUN_SUCCEEDED;
}
