/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-scheduler.h"

/**
 * HsScheduler:
 *
 * Decides when the service's automatic sync is due: at minute 0 of every
 * `interval` hours of local time (hour % interval == 0).
 *
 * The timer is re-armed from the wall clock every time it fires, so it
 * never drifts, and a sleeping or busy machine cannot shift the schedule.
 * hs_scheduler_check() — called on start, on resume from suspend and by
 * the timer — compares the latest slot that has passed with the last slot
 * that ran: a missed slot runs once, however many were missed.  While the
 * network is down, or metered and metered syncs are not allowed, a due
 * slot waits and runs when the network allows.
 *
 * Slots are found by stepping whole hours of absolute time from the start
 * of the current local hour, which keeps minute 0 across DST changes and
 * never lands on a skipped or doubled local time by accident.
 */
struct _HsScheduler
{
  GObject parent_instance;

  GTimeZone *zone;            /* (owned) */
  HsClockFunc clock;
  gpointer clock_data;
  GDestroyNotify clock_destroy;

  gboolean enabled;
  guint interval;
  gboolean allow_metered;
  gboolean network_available;
  gboolean network_metered;

  gint64 last_slot;           /* the slot that last ran, µs since the epoch; 0 for none */
  gint64 pending_slot;        /* a due slot waiting for the network, or 0 */
  gint64 next_run;            /* the next slot, or 0 when disabled */
  guint timer;
  gboolean started;
};

G_DEFINE_FINAL_TYPE (HsScheduler, hs_scheduler, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NEXT_RUN,
  PROP_LAST_SLOT,
  PROP_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_RUN_DUE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GDateTime *
real_clock (GTimeZone *zone,
            gpointer   user_data)
{
  return g_date_time_new_now (zone);
}

static void
hs_scheduler_dispose (GObject *object)
{
  HsScheduler *self = HS_SCHEDULER (object);

  g_clear_handle_id (&self->timer, g_source_remove);
  if (self->clock_destroy != NULL)
    g_clear_pointer (&self->clock_data, self->clock_destroy);

  G_OBJECT_CLASS (hs_scheduler_parent_class)->dispose (object);
}

static void
hs_scheduler_finalize (GObject *object)
{
  HsScheduler *self = HS_SCHEDULER (object);

  g_clear_pointer (&self->zone, g_time_zone_unref);

  G_OBJECT_CLASS (hs_scheduler_parent_class)->finalize (object);
}

static void
hs_scheduler_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  HsScheduler *self = HS_SCHEDULER (object);

  switch (prop_id)
    {
    case PROP_NEXT_RUN:
      g_value_set_int64 (value, self->next_run);
      break;

    case PROP_LAST_SLOT:
      g_value_set_int64 (value, self->last_slot);
      break;

    case PROP_PENDING:
      g_value_set_boolean (value, self->pending_slot != 0);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_scheduler_class_init (HsSchedulerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hs_scheduler_dispose;
  object_class->finalize = hs_scheduler_finalize;
  object_class->get_property = hs_scheduler_get_property;

  /* When the next automatic sync is due, µs since the epoch; 0 when off. */
  properties[PROP_NEXT_RUN] =
    g_param_spec_int64 ("next-run", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* The slot that last ran; the service keeps it across restarts. */
  properties[PROP_LAST_SLOT] =
    g_param_spec_int64 ("last-slot", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /* A due slot is waiting for a (suitable) network. */
  properties[PROP_PENDING] =
    g_param_spec_boolean ("pending", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted with the slot's time when the automatic sync should run. */
  signals[SIGNAL_RUN_DUE] =
    g_signal_new ("run-due", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
hs_scheduler_init (HsScheduler *self)
{
  self->clock = real_clock;
  self->enabled = TRUE;
  self->interval = 1;
  self->network_available = TRUE;
}

/* zone: (nullable): the local time zone when %NULL */
HsScheduler *
hs_scheduler_new (GTimeZone *zone)
{
  HsScheduler *self = g_object_new (HS_TYPE_SCHEDULER, NULL);

  self->zone = zone != NULL ? g_time_zone_ref (zone) : g_time_zone_new_local ();
  return self;
}

void
hs_scheduler_set_clock (HsScheduler   *self,
                        HsClockFunc    clock,
                        gpointer       user_data,
                        GDestroyNotify destroy)
{
  g_return_if_fail (HS_IS_SCHEDULER (self));
  g_return_if_fail (clock != NULL);

  if (self->clock_destroy != NULL)
    self->clock_destroy (self->clock_data);
  self->clock = clock;
  self->clock_data = user_data;
  self->clock_destroy = destroy;
}

/* GDateTime arithmetic in a zone with DST can land on local times that do
 * not exist; moving in UTC and converting back cannot. */
static GDateTime *
add_absolute (GDateTime *time,
              GTimeSpan  span)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);
  g_autoptr(GDateTime) moved = g_date_time_add (utc, span);

  return g_date_time_to_timezone (moved, g_date_time_get_timezone (time));
}

static GDateTime *
hour_start (GDateTime *time)
{
  GTimeSpan into_hour = (GTimeSpan) (g_date_time_get_minute (time) * 60 + g_date_time_get_second (time)) * G_USEC_PER_SEC +
                        g_date_time_get_microsecond (time);

  return add_absolute (time, -into_hour);
}

/* The first slot strictly after @now, in @now's time zone. */
GDateTime *
hs_scheduler_next_slot_after (GDateTime *now,
                              guint      hours)
{
  g_autoptr(GDateTime) slot = NULL;

  g_return_val_if_fail (now != NULL, NULL);
  g_return_val_if_fail (hours >= 1 && hours <= 24, NULL);

  slot = hour_start (now);
  do
    {
      GDateTime *next = add_absolute (slot, G_TIME_SPAN_HOUR);

      g_date_time_unref (slot);
      slot = next;
    }
  while (g_date_time_get_hour (slot) % hours != 0);

  return g_steal_pointer (&slot);
}

/* The last slot at or before @now. */
GDateTime *
hs_scheduler_slot_at_or_before (GDateTime *now,
                                guint      hours)
{
  g_autoptr(GDateTime) slot = NULL;

  g_return_val_if_fail (now != NULL, NULL);
  g_return_val_if_fail (hours >= 1 && hours <= 24, NULL);

  slot = hour_start (now);
  while (g_date_time_get_hour (slot) % hours != 0)
    {
      GDateTime *previous = add_absolute (slot, -G_TIME_SPAN_HOUR);

      g_date_time_unref (slot);
      slot = previous;
    }

  return g_steal_pointer (&slot);
}

static gint64
to_usec (GDateTime *time)
{
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

static void
set_next_run (HsScheduler *self,
              gint64       usec)
{
  if (self->next_run == usec)
    return;
  self->next_run = usec;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_RUN]);
}

static void
set_pending (HsScheduler *self,
             gint64       slot)
{
  gboolean was_pending = self->pending_slot != 0;

  self->pending_slot = slot;
  if (was_pending != (slot != 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

static gboolean
network_allows (HsScheduler *self)
{
  return self->network_available && (!self->network_metered || self->allow_metered);
}

static void
run_slot (HsScheduler *self,
          gint64       slot)
{
  if (!network_allows (self))
    {
      g_debug ("Automatic sync due but the network does not allow it; waiting");
      set_pending (self, slot);
      return;
    }

  set_pending (self, 0);
  self->last_slot = slot;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SLOT]);
  g_signal_emit (self, signals[SIGNAL_RUN_DUE], 0, slot);
}

static gboolean
timer_cb (gpointer user_data)
{
  HsScheduler *self = user_data;

  self->timer = 0;
  hs_scheduler_check (self);
  return G_SOURCE_REMOVE;
}

/* Runs a slot that is due and has not run, then arms the timer for the
 * next slot from the wall clock. */
void
hs_scheduler_check (HsScheduler *self)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) due = NULL;
  g_autoptr(GDateTime) next = NULL;
  gint64 due_usec, wait_ms;

  g_return_if_fail (HS_IS_SCHEDULER (self));

  g_clear_handle_id (&self->timer, g_source_remove);
  if (!self->enabled || !self->started)
    {
      set_pending (self, 0);
      set_next_run (self, 0);
      return;
    }

  now = self->clock (self->zone, self->clock_data);
  due = hs_scheduler_slot_at_or_before (now, self->interval);
  due_usec = to_usec (due);

  /* With no history there is nothing to catch up: the first automatic run
   * is the next slot. */
  if (self->last_slot == 0)
    {
      self->last_slot = due_usec;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SLOT]);
    }
  else if (self->last_slot < due_usec)
    run_slot (self, due_usec);

  next = hs_scheduler_next_slot_after (now, self->interval);
  set_next_run (self, to_usec (next));

  /* A timeout counts monotonic time, which stops during suspend; the
   * resume check covers that, and each firing re-reads the wall clock. */
  wait_ms = (to_usec (next) - to_usec (now)) / 1000 + 1;
  self->timer = g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) MIN (wait_ms, (gint64) G_MAXUINT),
                                    timer_cb, self, NULL);
}

void
hs_scheduler_start (HsScheduler *self)
{
  g_return_if_fail (HS_IS_SCHEDULER (self));

  self->started = TRUE;
  hs_scheduler_check (self);
}

void
hs_scheduler_set_enabled (HsScheduler *self,
                          gboolean     enabled)
{
  g_return_if_fail (HS_IS_SCHEDULER (self));

  self->enabled = !!enabled;
  hs_scheduler_check (self);
}

gboolean
hs_scheduler_get_enabled (HsScheduler *self)
{
  g_return_val_if_fail (HS_IS_SCHEDULER (self), FALSE);

  return self->enabled;
}

void
hs_scheduler_set_interval (HsScheduler *self,
                           guint        hours)
{
  g_return_if_fail (HS_IS_SCHEDULER (self));
  g_return_if_fail (hours >= 1 && hours <= 24);

  self->interval = hours;
  hs_scheduler_check (self);
}

void
hs_scheduler_set_allow_metered (HsScheduler *self,
                                gboolean     allow)
{
  g_return_if_fail (HS_IS_SCHEDULER (self));

  self->allow_metered = !!allow;
  if (self->pending_slot != 0 && network_allows (self))
    run_slot (self, self->pending_slot);
}

void
hs_scheduler_set_network (HsScheduler *self,
                          gboolean     available,
                          gboolean     metered)
{
  g_return_if_fail (HS_IS_SCHEDULER (self));

  self->network_available = !!available;
  self->network_metered = !!metered;
  if (self->pending_slot != 0 && network_allows (self))
    run_slot (self, self->pending_slot);
}

void
hs_scheduler_set_last_slot (HsScheduler *self,
                            gint64       usec)
{
  g_return_if_fail (HS_IS_SCHEDULER (self));
  g_return_if_fail (usec >= 0);

  self->last_slot = usec;
}

gint64
hs_scheduler_get_last_slot (HsScheduler *self)
{
  g_return_val_if_fail (HS_IS_SCHEDULER (self), 0);

  return self->last_slot;
}

gint64
hs_scheduler_get_next_run (HsScheduler *self)
{
  g_return_val_if_fail (HS_IS_SCHEDULER (self), 0);

  return self->next_run;
}

gboolean
hs_scheduler_is_pending (HsScheduler *self)
{
  g_return_val_if_fail (HS_IS_SCHEDULER (self), FALSE);

  return self->pending_slot != 0;
}
