/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-enum-types.h"
#include "hs-pull-private.h"

/**
 * HsPull:
 *
 * What a source is asked to read in one run, and where it hands the
 * records.
 *
 * A pull names the fiscal year's window [start, end) and, per stream, the
 * time from which changes are wanted (hs_pull_get_since(): 0 means the whole
 * window).  The source reads its streams, calls hs_pull_begin_stream() before
 * each, and hands every page to hs_pull_push_async() as one
 * #HsRecordBatch.  It must wait for the push to finish before it parses the
 * next page: that is how a slow sink slows the source down, so memory does
 * not grow with the tenant.  The source also reports how many records the
 * remote side says the window holds, how many requests it made and any
 * warnings (odd values it replaced with null).
 *
 * Without a consumer (outside the engine, as in tests) a push completes at
 * once after emitting #HsPull::batch.
 */
struct _HsPull
{
  GObject parent_instance;

  HsFiscalYear *fiscal_year;  /* (owned) */
  HsSyncMode mode;
  gint64 since[HS_N_STREAMS];
  gint64 remote_counts[HS_N_STREAMS];
  gint64 expected[HS_N_STREAMS];
  guint requests;
  gint64 server_time;   /* µs since the epoch; 0 until the source reports one */

  HsPullConsumer consumer;
  gpointer consumer_data;
};

G_DEFINE_FINAL_TYPE (HsPull, hs_pull, G_TYPE_OBJECT)

enum {
  SIGNAL_STREAM_STARTED,
  SIGNAL_BATCH,
  SIGNAL_WARNING,
  SIGNAL_RETRYING,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
hs_pull_dispose (GObject *object)
{
  HsPull *self = HS_PULL (object);

  g_clear_object (&self->fiscal_year);

  G_OBJECT_CLASS (hs_pull_parent_class)->dispose (object);
}

static void
hs_pull_class_init (HsPullClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hs_pull_dispose;

  /**
   * HsPull::stream-started:
   * @self: the pull
   * @stream: the stream the source starts reading
   */
  signals[SIGNAL_STREAM_STARTED] =
    g_signal_new ("stream-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, HS_TYPE_STREAM);

  /**
   * HsPull::batch:
   * @self: the pull
   * @batch: the records the source handed over
   */
  signals[SIGNAL_BATCH] =
    g_signal_new ("batch", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, HS_TYPE_RECORD_BATCH);

  /**
   * HsPull::warning:
   * @self: the pull
   * @message: what the source met, with no secret in it
   */
  signals[SIGNAL_WARNING] =
    g_signal_new ("warning", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * HsPull::retrying:
   * @self: the pull
   * @reason: what went wrong, for people
   * @attempt: the number of the attempt to come, the first request being 1
   * @max_attempts: how many attempts the source makes in all
   * @delay: how long the source waits first, in microseconds
   */
  signals[SIGNAL_RETRYING] =
    g_signal_new ("retrying", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_INT64);
}

static void
hs_pull_init (HsPull *self)
{
  for (guint i = 0; i < HS_N_STREAMS; i++)
    {
      self->remote_counts[i] = -1;
      self->expected[i] = -1;
    }
}

/**
 * hs_pull_new:
 * @fiscal_year: the fiscal year to read
 * @mode: full or incremental
 *
 * Returns: (transfer full): a pull of the whole window; incremental callers
 *   set per-stream starting points with hs_pull_set_since()
 */
HsPull *
hs_pull_new (HsFiscalYear *fiscal_year,
             HsSyncMode    mode)
{
  HsPull *self;

  g_return_val_if_fail (HS_IS_FISCAL_YEAR (fiscal_year), NULL);

  self = g_object_new (HS_TYPE_PULL, NULL);
  self->fiscal_year = g_object_ref (fiscal_year);
  self->mode = mode;
  return self;
}

/**
 * hs_pull_get_fiscal_year:
 * @self: a pull
 *
 * Returns: (transfer none): the fiscal year
 */
HsFiscalYear *
hs_pull_get_fiscal_year (HsPull *self)
{
  g_return_val_if_fail (HS_IS_PULL (self), NULL);

  return self->fiscal_year;
}

/**
 * hs_pull_get_mode:
 * @self: a pull
 *
 * Returns: full or incremental
 */
HsSyncMode
hs_pull_get_mode (HsPull *self)
{
  g_return_val_if_fail (HS_IS_PULL (self), HS_SYNC_FULL);

  return self->mode;
}

/**
 * hs_pull_get_window_start:
 * @self: a pull
 *
 * Returns: the window's start, microseconds since the Unix epoch (UTC)
 */
gint64
hs_pull_get_window_start (HsPull *self)
{
  g_return_val_if_fail (HS_IS_PULL (self), 0);

  return hs_fiscal_year_get_window_start (self->fiscal_year);
}

/**
 * hs_pull_get_window_end:
 * @self: a pull
 *
 * Returns: the window's exclusive end, microseconds since the Unix epoch
 */
gint64
hs_pull_get_window_end (HsPull *self)
{
  g_return_val_if_fail (HS_IS_PULL (self), 0);

  return hs_fiscal_year_get_window_end (self->fiscal_year);
}

/**
 * hs_pull_get_since:
 * @self: a pull
 * @stream: a stream
 *
 * Returns: the time from which changes to @stream are wanted (cursor minus
 *   look-back, inclusive), or 0 to read the whole window
 */
gint64
hs_pull_get_since (HsPull  *self,
                   HsStream stream)
{
  g_return_val_if_fail (HS_IS_PULL (self), 0);
  g_return_val_if_fail (stream < HS_N_STREAMS, 0);

  return self->since[stream];
}

/**
 * hs_pull_set_since:
 * @self: a pull
 * @stream: a stream
 * @usec: the time from which changes are wanted, or 0 for the whole window
 */
void
hs_pull_set_since (HsPull  *self,
                   HsStream stream,
                   gint64   usec)
{
  g_return_if_fail (HS_IS_PULL (self));
  g_return_if_fail (stream < HS_N_STREAMS);
  g_return_if_fail (usec >= 0);

  self->since[stream] = usec;
}

/**
 * hs_pull_begin_stream:
 * @self: a pull
 * @stream: the stream the source starts reading
 */
void
hs_pull_begin_stream (HsPull  *self,
                      HsStream stream)
{
  g_return_if_fail (HS_IS_PULL (self));
  g_return_if_fail (stream < HS_N_STREAMS);

  g_signal_emit (self, signals[SIGNAL_STREAM_STARTED], 0, stream);
}

/**
 * hs_pull_push_async:
 * @self: a pull
 * @batch: one page of records
 * @cancellable: (nullable): a cancellable
 * @callback: called once the batch is accepted
 * @user_data: data for @callback
 *
 * Hands over a page of records.  Wait for it to finish before pushing the
 * next page.
 */
void
hs_pull_push_async (HsPull             *self,
                    HsRecordBatch      *batch,
                    GCancellable       *cancellable,
                    GAsyncReadyCallback callback,
                    gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HS_IS_PULL (self));
  g_return_if_fail (batch != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hs_pull_push_async);

  g_signal_emit (self, signals[SIGNAL_BATCH], 0, batch);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (self->consumer != NULL)
    self->consumer (self, batch, g_steal_pointer (&task), self->consumer_data);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * hs_pull_push_finish:
 * @self: a pull
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE if the batch was accepted; on error the source must stop
 */
gboolean
hs_pull_push_finish (HsPull       *self,
                     GAsyncResult *result,
                     GError      **error)
{
  g_return_val_if_fail (HS_IS_PULL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * hs_pull_set_remote_count:
 * @self: a pull
 * @stream: a stream
 * @count: how many records the remote side reports for the window
 */
void
hs_pull_set_remote_count (HsPull  *self,
                          HsStream stream,
                          gint64   count)
{
  g_return_if_fail (HS_IS_PULL (self));
  g_return_if_fail (stream < HS_N_STREAMS);

  self->remote_counts[stream] = count;
}

/**
 * hs_pull_get_remote_count:
 * @self: a pull
 * @stream: a stream
 *
 * Returns: the count the source reported, or -1
 */
gint64
hs_pull_get_remote_count (HsPull  *self,
                          HsStream stream)
{
  g_return_val_if_fail (HS_IS_PULL (self), -1);
  g_return_val_if_fail (stream < HS_N_STREAMS, -1);

  return self->remote_counts[stream];
}

/**
 * hs_pull_note_server_time:
 * @self: a pull
 * @usec: the remote side's clock when it answered, in µs since the epoch
 *   (an HTTP `Date` header, say)
 *
 * Tells the engine what time it is on the remote side.  The earliest time
 * noted is when the run began reading by the clock that stamps the
 * records' last updates, which is what the run's new cursors are bounded
 * by: never the local clock, which may be hours or days off.
 */
void
hs_pull_note_server_time (HsPull *self,
                          gint64  usec)
{
  g_return_if_fail (HS_IS_PULL (self));

  if (usec > 0 && (self->server_time == 0 || usec < self->server_time))
    self->server_time = usec;
}

/**
 * hs_pull_get_server_time:
 * @self: a pull
 *
 * Returns: the earliest time hs_pull_note_server_time() noted, or 0
 */
gint64
hs_pull_get_server_time (HsPull *self)
{
  g_return_val_if_fail (HS_IS_PULL (self), 0);

  return self->server_time;
}

/**
 * hs_pull_set_expected:
 * @self: a pull
 * @stream: a stream
 * @count: how many records of @stream the source expects to push in all
 *
 * For a progress fraction: a source whose remote side counts the records
 * a query will return (a paged list's total) says so.  It may raise the
 * figure when it starts another query of the same stream.
 */
void
hs_pull_set_expected (HsPull  *self,
                      HsStream stream,
                      gint64   count)
{
  g_return_if_fail (HS_IS_PULL (self));
  g_return_if_fail (stream < HS_N_STREAMS);

  self->expected[stream] = count;
}

/**
 * hs_pull_get_expected:
 * @self: a pull
 * @stream: a stream
 *
 * Returns: what the source last set with hs_pull_set_expected(), or -1
 */
gint64
hs_pull_get_expected (HsPull  *self,
                      HsStream stream)
{
  g_return_val_if_fail (HS_IS_PULL (self), -1);
  g_return_val_if_fail (stream < HS_N_STREAMS, -1);

  return self->expected[stream];
}

/**
 * hs_pull_add_requests:
 * @self: a pull
 * @n: requests the source made
 */
void
hs_pull_add_requests (HsPull *self,
                      guint   n)
{
  g_return_if_fail (HS_IS_PULL (self));

  self->requests += n;
}

/**
 * hs_pull_get_requests:
 * @self: a pull
 *
 * Returns: the requests made so far
 */
guint
hs_pull_get_requests (HsPull *self)
{
  g_return_val_if_fail (HS_IS_PULL (self), 0);

  return self->requests;
}

/**
 * hs_pull_add_warning: (skip)
 * @self: a pull
 * @format: a printf() format, with no secret in what it formats
 * @...: arguments for @format
 *
 * Reports something odd that did not stop the source, such as a field of
 * the wrong type that was stored as null.
 */
void
hs_pull_add_warning (HsPull     *self,
                     const char *format,
                     ...)
{
  g_autofree char *message = NULL;
  va_list args;

  g_return_if_fail (HS_IS_PULL (self));
  g_return_if_fail (format != NULL);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_signal_emit (self, signals[SIGNAL_WARNING], 0, message);
}

/**
 * hs_pull_note_retry:
 * @self: a pull
 * @reason: what went wrong, for people, as in "Halo answered 503"; no
 *   secret in it
 * @attempt: the number of the attempt to come, the first request being 1
 * @max_attempts: how many attempts the source makes before it gives up
 * @delay: how long the source waits before that attempt, in microseconds
 *
 * Tells the run that the source waits to ask again after a failure that
 * may pass, so that people see a wait rather than a stall.  The run goes
 * on fetching with the next records the source hands over.
 */
void
hs_pull_note_retry (HsPull     *self,
                    const char *reason,
                    guint       attempt,
                    guint       max_attempts,
                    gint64      delay)
{
  g_return_if_fail (HS_IS_PULL (self));
  g_return_if_fail (reason != NULL);

  g_signal_emit (self, signals[SIGNAL_RETRYING], 0, reason, attempt, max_attempts, MAX (delay, 0));
}

void
_hs_pull_set_consumer (HsPull        *self,
                       HsPullConsumer consumer,
                       gpointer       user_data)
{
  g_return_if_fail (HS_IS_PULL (self));

  self->consumer = consumer;
  self->consumer_data = user_data;
}
