/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hs-halo-rate-budget.h"

/**
 * HsHaloRateBudget:
 *
 * Paces requests to Halo's limit (hosted: 300 per rolling 5 minutes).
 *
 * The window slides exactly like Halo's: a request may go when fewer than
 * N requests fall in the last W seconds, otherwise it waits until the
 * oldest leaves the window.  So a burst of up to N goes at once and pacing
 * only starts as the window fills.  One budget serves every request of a
 * source — all streams, all runs, token requests and retries.
 *
 * Each request holds a slot from acquire to release.  A slot records when
 * its request *finished*, not when it was sent: Halo counts arrivals,
 * which lie between the two, so counting from the end keeps a request that
 * was slow on the way from making Halo see N+1 in its window.  A request
 * still in flight occupies its slot.
 *
 * Requests wait in FIFO order on GSource timers of an injectable clock;
 * cancelling a waiting request ends its wait at once.
 */
struct _HsHaloRateBudget
{
  GObject parent_instance;

  guint requests;        /* N; 0 turns pacing off */
  guint window;          /* W in seconds */
  HsHaloClockFunc clock;
  gpointer clock_data;

  gint64 *times;         /* (owned): N slots, see SLOT_* */
  guint n_used;          /* slots ever taken, up to N */
  guint generation;      /* bumped when the slots are rebuilt */

  GQueue waiters;        /* (owned) (element-type Waiter) */
  GSource *timer;        /* (owned) (nullable) */
  gint64 timer_deadline;
};

G_DEFINE_FINAL_TYPE (HsHaloRateBudget, hs_halo_rate_budget, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REQUESTS,
  PROP_WINDOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A slot's time while its request is in flight. */
#define SLOT_IN_FLIGHT G_MAXINT64

/* A slot number carries the generation, so a release after the slots were
 * rebuilt (the limit changed) cannot free someone else's slot. */
#define SLOT_INDEX_BITS 20
#define SLOT_INDEX_MASK ((1u << SLOT_INDEX_BITS) - 1)
#define MAX_REQUESTS SLOT_INDEX_MASK

typedef struct
{
  GTask *task;             /* (owned) */
  GSource *cancel_source;  /* (owned) (nullable) */
} Waiter;

static void process_queue (HsHaloRateBudget *self);

static void
waiter_free (Waiter *waiter)
{
  if (waiter->cancel_source != NULL)
    g_source_destroy (waiter->cancel_source);
  g_clear_pointer (&waiter->cancel_source, g_source_unref);
  g_clear_object (&waiter->task);
  g_free (waiter);
}

static void
disarm_timer (HsHaloRateBudget *self)
{
  if (self->timer != NULL)
    g_source_destroy (self->timer);
  g_clear_pointer (&self->timer, g_source_unref);
}

static gboolean
timer_cb (gpointer user_data)
{
  HsHaloRateBudget *self = user_data;

  g_clear_pointer (&self->timer, g_source_unref);
  process_queue (self);
  return G_SOURCE_REMOVE;
}

static void
arm_timer (HsHaloRateBudget *self,
           gint64            deadline,
           GMainContext     *context)
{
  if (self->timer != NULL && self->timer_deadline == deadline)
    return;

  disarm_timer (self);
  self->timer = hs_halo_deadline_source_new (self->clock, self->clock_data, deadline);
  self->timer_deadline = deadline;
  g_source_set_callback (self->timer, timer_cb, self, NULL);
  g_source_attach (self->timer, context);
}

/* Finds a slot a request may take now.  Returns 0 and sets @slot when one
 * is free, the microseconds until one is otherwise, or -1 when every slot
 * is held by a request in flight (its release will retry). */
static gint64
find_slot (HsHaloRateBudget *self,
           gint64            now,
           guint            *slot)
{
  guint oldest = 0;

  if (self->requests == 0)
    {
      *slot = HS_HALO_RATE_BUDGET_NO_SLOT;
      return 0;
    }

  if (self->n_used < self->requests)
    {
      *slot = self->n_used;
      return 0;
    }

  for (guint i = 1; i < self->requests; i++)
    if (self->times[i] < self->times[oldest])
      oldest = i;

  if (self->times[oldest] == SLOT_IN_FLIGHT)
    return -1;

  /* A request at the oldest time t counts while now - t < W. */
  if (self->times[oldest] + (gint64) self->window * G_USEC_PER_SEC <= now)
    {
      *slot = oldest;
      return 0;
    }

  return self->times[oldest] + (gint64) self->window * G_USEC_PER_SEC - now;
}

static void
process_queue (HsHaloRateBudget *self)
{
  /* Alive until the loop ends: a waiter's callback may drop the last reference. */
  g_autoptr(GObject) keep G_GNUC_UNUSED = g_object_ref (G_OBJECT (self));

  while (!g_queue_is_empty (&self->waiters))
    {
      Waiter *waiter = g_queue_peek_head (&self->waiters);
      gint64 now = self->clock (self->clock_data);
      guint slot = HS_HALO_RATE_BUDGET_NO_SLOT;
      gint64 delay = find_slot (self, now, &slot);
      g_autoptr(GTask) task = NULL;

      if (delay > 0)
        {
          arm_timer (self, now + delay, g_task_get_context (waiter->task));
          return;
        }
      if (delay < 0)
        break;

      g_queue_pop_head (&self->waiters);
      task = g_steal_pointer (&waiter->task);
      waiter_free (waiter);

      if (slot != HS_HALO_RATE_BUDGET_NO_SLOT)
        {
          self->times[slot] = SLOT_IN_FLIGHT;
          if (slot == self->n_used)
            self->n_used++;
          slot |= self->generation << SLOT_INDEX_BITS;
        }

      /* The state is complete before the callback can run, so a callback
       * that acquires again (re-entering this loop) sees it whole. */
      g_task_return_pointer (task, GUINT_TO_POINTER (slot), NULL);
    }

  disarm_timer (self);
}

static void
hs_halo_rate_budget_dispose (GObject *object)
{
  HsHaloRateBudget *self = HS_HALO_RATE_BUDGET (object);

  /* Waiting tasks hold a reference, so no waiter is left here. */
  g_assert (g_queue_is_empty (&self->waiters));
  disarm_timer (self);

  G_OBJECT_CLASS (hs_halo_rate_budget_parent_class)->dispose (object);
}

static void
hs_halo_rate_budget_finalize (GObject *object)
{
  HsHaloRateBudget *self = HS_HALO_RATE_BUDGET (object);

  g_clear_pointer (&self->times, g_free);

  G_OBJECT_CLASS (hs_halo_rate_budget_parent_class)->finalize (object);
}

static void
hs_halo_rate_budget_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  HsHaloRateBudget *self = HS_HALO_RATE_BUDGET (object);

  switch (prop_id)
    {
    case PROP_REQUESTS:
      g_value_set_uint (value, self->requests);
      break;
    case PROP_WINDOW:
      g_value_set_uint (value, self->window);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_halo_rate_budget_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  HsHaloRateBudget *self = HS_HALO_RATE_BUDGET (object);

  switch (prop_id)
    {
    case PROP_REQUESTS:
      hs_halo_rate_budget_set_limit (self, g_value_get_uint (value), self->window);
      break;
    case PROP_WINDOW:
      hs_halo_rate_budget_set_limit (self, self->requests, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_halo_rate_budget_class_init (HsHaloRateBudgetClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hs_halo_rate_budget_dispose;
  object_class->finalize = hs_halo_rate_budget_finalize;
  object_class->get_property = hs_halo_rate_budget_get_property;
  object_class->set_property = hs_halo_rate_budget_set_property;

  /**
   * HsHaloRateBudget:requests:
   *
   * Requests allowed per window; 0 turns pacing off.
   */
  properties[PROP_REQUESTS] =
    g_param_spec_uint ("requests", NULL, NULL, 0, MAX_REQUESTS, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HsHaloRateBudget:window:
   *
   * The length of the sliding window, in seconds.
   */
  properties[PROP_WINDOW] =
    g_param_spec_uint ("window", NULL, NULL, 1, 86400, 300,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hs_halo_rate_budget_init (HsHaloRateBudget *self)
{
  self->window = 300;
  self->clock = hs_halo_monotonic_clock;
  g_queue_init (&self->waiters);
}

/**
 * hs_halo_rate_budget_new:
 * @requests: requests allowed per window, 0 for no pacing
 * @window_seconds: the window's length
 *
 * Returns: (transfer full): a budget on the monotonic clock
 */
HsHaloRateBudget *
hs_halo_rate_budget_new (guint requests,
                         guint window_seconds)
{
  return g_object_new (HS_TYPE_HALO_RATE_BUDGET,
                       "requests", requests,
                       "window", window_seconds,
                       NULL);
}

static int
compare_descending (gconstpointer a,
                    gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? 1 : x > y ? -1 : 0;
}

/**
 * hs_halo_rate_budget_set_limit:
 * @self: a budget
 * @requests: requests allowed per window, 0 for no pacing
 * @window_seconds: the window's length
 *
 * Changes the limit, keeping the history: the most recent requests still
 * count against the new window.
 */
void
hs_halo_rate_budget_set_limit (HsHaloRateBudget *self,
                               guint             requests,
                               guint             window_seconds)
{
  gint64 now;
  gint64 *times;
  guint n_keep;

  g_return_if_fail (HS_IS_HALO_RATE_BUDGET (self));
  g_return_if_fail (requests <= MAX_REQUESTS);
  g_return_if_fail (window_seconds > 0);

  if (self->window != window_seconds)
    {
      self->window = window_seconds;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WINDOW]);
    }

  if (self->requests != requests)
    {
      now = self->clock (self->clock_data);

      /* Requests in flight keep counting, as if they had just ended; their
       * slot numbers go stale with the generation. */
      for (guint i = 0; i < self->n_used; i++)
        if (self->times[i] == SLOT_IN_FLIGHT)
          self->times[i] = now;
      if (self->n_used > 1)
        qsort (self->times, self->n_used, sizeof (gint64), compare_descending);

      n_keep = MIN (self->n_used, requests);
      times = g_new0 (gint64, MAX (requests, 1));
      if (n_keep > 0)
        memcpy (times, self->times, n_keep * sizeof (gint64));
      g_free (self->times);
      self->times = times;
      self->n_used = n_keep;
      self->requests = requests;
      self->generation = (self->generation + 1) & ((1u << (32 - SLOT_INDEX_BITS)) - 1);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUESTS]);
    }

  disarm_timer (self);
  process_queue (self);
}

/**
 * hs_halo_rate_budget_get_requests:
 * @self: a budget
 *
 * Returns: requests allowed per window, 0 if pacing is off
 */
guint
hs_halo_rate_budget_get_requests (HsHaloRateBudget *self)
{
  g_return_val_if_fail (HS_IS_HALO_RATE_BUDGET (self), 0);

  return self->requests;
}

/**
 * hs_halo_rate_budget_get_window:
 * @self: a budget
 *
 * Returns: the window's length in seconds
 */
guint
hs_halo_rate_budget_get_window (HsHaloRateBudget *self)
{
  g_return_val_if_fail (HS_IS_HALO_RATE_BUDGET (self), 0);

  return self->window;
}

/**
 * hs_halo_rate_budget_set_clock:
 * @self: a budget
 * @clock: the clock to read, in microseconds
 * @clock_data: data for @clock
 *
 * Replaces the monotonic clock, for tests.  Set it before the first
 * request.
 */
void
hs_halo_rate_budget_set_clock (HsHaloRateBudget *self,
                               HsHaloClockFunc   clock,
                               gpointer          clock_data)
{
  g_return_if_fail (HS_IS_HALO_RATE_BUDGET (self));
  g_return_if_fail (clock != NULL);
  g_return_if_fail (self->n_used == 0 && g_queue_is_empty (&self->waiters));

  self->clock = clock;
  self->clock_data = clock_data;
}

/**
 * hs_halo_rate_budget_get_delay:
 * @self: a budget
 *
 * Returns: how many microseconds a request made now would wait, not
 *   counting requests already waiting; -1 if every slot is held by a
 *   request in flight
 */
gint64
hs_halo_rate_budget_get_delay (HsHaloRateBudget *self)
{
  guint slot;

  g_return_val_if_fail (HS_IS_HALO_RATE_BUDGET (self), 0);

  return find_slot (self, self->clock (self->clock_data), &slot);
}

/**
 * hs_halo_rate_budget_get_n_waiting:
 * @self: a budget
 *
 * Returns: requests waiting for a slot
 */
guint
hs_halo_rate_budget_get_n_waiting (HsHaloRateBudget *self)
{
  g_return_val_if_fail (HS_IS_HALO_RATE_BUDGET (self), 0);

  return g_queue_get_length (&self->waiters);
}

static gboolean
waiter_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  Waiter *waiter = user_data;
  g_autoptr(GTask) task = g_object_ref (waiter->task);
  HsHaloRateBudget *self = g_task_get_source_object (task);

  g_queue_remove (&self->waiters, waiter);
  waiter_free (waiter);
  g_task_return_error_if_cancelled (task);

  /* The head may have left: the next one may go, or the timer is moot. */
  process_queue (self);
  return G_SOURCE_REMOVE;
}

/**
 * hs_halo_rate_budget_acquire_async:
 * @self: a budget
 * @cancellable: (nullable): cancelling ends the wait at once
 * @callback: called when the request may go
 * @user_data: data for @callback
 *
 * Waits until the budget lets one request go.  Send the request, then
 * call hs_halo_rate_budget_release() with the slot when it has finished
 * (with any outcome).
 */
void
hs_halo_rate_budget_acquire_async (HsHaloRateBudget   *self,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  Waiter *waiter;

  g_return_if_fail (HS_IS_HALO_RATE_BUDGET (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hs_halo_rate_budget_acquire_async);

  if (g_task_return_error_if_cancelled (task))
    return;

  waiter = g_new0 (Waiter, 1);
  waiter->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      /* A source, not g_cancellable_connect(): the wait ends on this
       * context, never in the cancelling thread. */
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel_source, G_SOURCE_FUNC (waiter_cancelled_cb),
                             waiter, NULL);
      g_source_attach (waiter->cancel_source, g_task_get_context (waiter->task));
    }
  g_queue_push_tail (&self->waiters, waiter);

  process_queue (self);
}

/**
 * hs_halo_rate_budget_acquire_finish:
 * @self: a budget
 * @result: the result
 * @slot: (out): the slot to release after the request
 * @error: return location for an error
 *
 * Returns: %TRUE if the request may go, %FALSE if cancelled
 */
gboolean
hs_halo_rate_budget_acquire_finish (HsHaloRateBudget *self,
                                    GAsyncResult     *result,
                                    guint            *slot,
                                    GError          **error)
{
  GError *local_error = NULL;
  gpointer value;

  g_return_val_if_fail (HS_IS_HALO_RATE_BUDGET (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (slot != NULL, FALSE);

  value = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  *slot = GPOINTER_TO_UINT (value);
  return TRUE;
}

/**
 * hs_halo_rate_budget_release:
 * @self: a budget
 * @slot: the slot hs_halo_rate_budget_acquire_finish() gave
 *
 * Marks the request of @slot as finished now; it counts against the
 * window from this moment.
 */
void
hs_halo_rate_budget_release (HsHaloRateBudget *self,
                             guint             slot)
{
  guint index = slot & SLOT_INDEX_MASK;

  g_return_if_fail (HS_IS_HALO_RATE_BUDGET (self));

  if (slot == HS_HALO_RATE_BUDGET_NO_SLOT ||
      slot >> SLOT_INDEX_BITS != self->generation ||
      index >= self->n_used)
    return;

  g_return_if_fail (self->times[index] == SLOT_IN_FLIGHT);

  self->times[index] = self->clock (self->clock_data);
  process_queue (self);
}
