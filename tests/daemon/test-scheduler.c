/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-scheduler.h"
#include "hs-test.h"

/* An ISO 8601 time with an explicit offset parses into a fixed-offset
 * zone; the scheduler must see the real zone with its DST rules. */
static GDateTime *
parse_in (GTimeZone  *zone,
          const char *iso)
{
  g_autoptr(GDateTime) parsed = g_date_time_new_from_iso8601 (iso, zone);

  g_assert_nonnull (parsed);
  return g_date_time_to_timezone (parsed, zone);
}

/* A clock the test moves by hand. */
typedef struct
{
  GDateTime *now;   /* (owned) */
} FakeClock;

static GDateTime *
fake_now (GTimeZone *zone,
          gpointer   user_data)
{
  FakeClock *clock = user_data;

  return g_date_time_to_timezone (clock->now, zone);
}

static void
fake_set (FakeClock  *clock,
          GTimeZone  *zone,
          const char *iso)
{
  g_clear_pointer (&clock->now, g_date_time_unref);
  clock->now = parse_in (zone, iso);
}

static GTimeZone *
berlin (void)
{
  GTimeZone *zone = g_time_zone_new_identifier ("Europe/Berlin");

  /* tzdata is a package dependency of the tests; without it DST cannot be
   * checked at all, which must fail loudly. */
  g_assert_nonnull (zone);
  return zone;
}

static char *
format_slot (GDateTime *slot)
{
  return g_date_time_format (slot, "%Y-%m-%d %H:%M:%S %z");
}

static void
assert_next (GTimeZone  *zone,
             const char *now_iso,
             guint       hours,
             const char *expected)
{
  g_autoptr(GDateTime) now = parse_in (zone, now_iso);
  g_autoptr(GDateTime) next = NULL;
  g_autofree char *text = NULL;

  next = hs_scheduler_next_slot_after (now, hours);
  text = format_slot (next);
  g_assert_cmpstr (text, ==, expected);
}

static void
assert_previous (GTimeZone  *zone,
                 const char *now_iso,
                 guint       hours,
                 const char *expected)
{
  g_autoptr(GDateTime) now = parse_in (zone, now_iso);
  g_autoptr(GDateTime) slot = hs_scheduler_slot_at_or_before (now, hours);
  g_autofree char *text = format_slot (slot);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_next_slot_boundaries (void)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

  /* Within the hour, exactly on it, and one microsecond past it. */
  assert_next (utc, "2026-11-28T10:17:42Z", 1, "2026-11-28 11:00:00 +0000");
  assert_next (utc, "2026-11-28T10:00:00Z", 1, "2026-11-28 11:00:00 +0000");
  assert_next (utc, "2026-11-28T10:59:59.999999Z", 1, "2026-11-28 11:00:00 +0000");
  /* Across a day, a month and a year. */
  assert_next (utc, "2026-11-28T23:30:00Z", 1, "2026-11-29 00:00:00 +0000");
  assert_next (utc, "2026-11-30T23:59:00Z", 1, "2026-12-01 00:00:00 +0000");
  assert_next (utc, "2026-12-31T23:00:01Z", 1, "2027-01-01 00:00:00 +0000");
  assert_next (utc, "2028-02-28T23:10:00Z", 1, "2028-02-29 00:00:00 +0000");
  /* Longer intervals land on hours divisible by the interval. */
  assert_next (utc, "2026-11-28T10:17:42Z", 3, "2026-11-28 12:00:00 +0000");
  assert_next (utc, "2026-11-28T22:00:00Z", 3, "2026-11-29 00:00:00 +0000");
  assert_next (utc, "2026-11-28T00:00:00Z", 24, "2026-11-29 00:00:00 +0000");

  assert_previous (utc, "2026-11-28T10:17:42Z", 1, "2026-11-28 10:00:00 +0000");
  assert_previous (utc, "2026-11-28T10:00:00Z", 1, "2026-11-28 10:00:00 +0000");
  assert_previous (utc, "2026-11-28T02:30:00Z", 6, "2026-11-28 00:00:00 +0000");
  assert_previous (utc, "2026-01-01T00:30:00Z", 24, "2026-01-01 00:00:00 +0000");
}

static void
test_next_slot_dst (void)
{
  g_autoptr(GTimeZone) zone = berlin ();

  /* Spring forward: 02:00 does not exist on 2026-03-29; 01:xx CET is
   * followed by 03:00 CEST, one real hour later. */
  assert_next (zone, "2026-03-29T01:20:00+01:00", 1, "2026-03-29 03:00:00 +0200");
  assert_next (zone, "2026-03-29T03:00:00+02:00", 1, "2026-03-29 04:00:00 +0200");
  /* With a two-hour interval, the skipped 02:00 moves the slot to 04:00. */
  assert_next (zone, "2026-03-29T00:30:00+01:00", 2, "2026-03-29 04:00:00 +0200");

  /* Fall back: 02:00 happens twice on 2026-10-25; both are slots. */
  assert_next (zone, "2026-10-25T01:30:00+02:00", 1, "2026-10-25 02:00:00 +0200");
  assert_next (zone, "2026-10-25T02:30:00+02:00", 1, "2026-10-25 02:00:00 +0100");
  assert_next (zone, "2026-10-25T02:30:00+01:00", 1, "2026-10-25 03:00:00 +0100");
  assert_previous (zone, "2026-10-25T02:10:00+01:00", 1, "2026-10-25 02:00:00 +0100");

  /* India is half an hour off UTC: minute 0 is local minute 0. */
  {
    g_autoptr(GTimeZone) kolkata = g_time_zone_new_identifier ("Asia/Kolkata");

    g_assert_nonnull (kolkata);
    assert_next (kolkata, "2026-11-28T10:45:00+05:30", 1, "2026-11-28 11:00:00 +0530");
  }
}

typedef struct
{
  GTimeZone *zone;
  FakeClock clock;
  HsScheduler *scheduler;
  GArray *due;         /* (element-type gint64) slots announced */
} Fixture;

static void
run_due_cb (HsScheduler *scheduler,
            gint64       slot,
            Fixture     *fixture)
{
  g_array_append_val (fixture->due, slot);
}

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer user_data)
{
  fixture->zone = berlin ();
  fake_set (&fixture->clock, fixture->zone, "2026-11-28T10:17:00+01:00");
  fixture->scheduler = hs_scheduler_new (fixture->zone);
  hs_scheduler_set_clock (fixture->scheduler, fake_now, &fixture->clock, NULL);
  fixture->due = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_signal_connect (fixture->scheduler, "run-due", G_CALLBACK (run_due_cb), fixture);
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer user_data)
{
  g_clear_object (&fixture->scheduler);
  g_clear_pointer (&fixture->clock.now, g_date_time_unref);
  g_clear_pointer (&fixture->due, g_array_unref);
  g_clear_pointer (&fixture->zone, g_time_zone_unref);
}

static gint64
usec_of (GTimeZone  *zone,
         const char *iso)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (iso, zone);

  return g_date_time_to_unix (time) * G_USEC_PER_SEC;
}

static void
test_first_start_does_not_run (Fixture      *fixture,
                               gconstpointer user_data)
{
  /* A new installation has no missed slot; it waits for the next one. */
  hs_scheduler_start (fixture->scheduler);
  g_assert_cmpuint (fixture->due->len, ==, 0);
  g_assert_cmpint (hs_scheduler_get_next_run (fixture->scheduler), ==,
                   usec_of (fixture->zone, "2026-11-28T11:00:00+01:00"));
  g_assert_cmpint (hs_scheduler_get_last_slot (fixture->scheduler), ==,
                   usec_of (fixture->zone, "2026-11-28T10:00:00+01:00"));

  /* The next slot comes: it runs once, however often it is checked. */
  fake_set (&fixture->clock, fixture->zone, "2026-11-28T11:00:00.5+01:00");
  hs_scheduler_check (fixture->scheduler);
  hs_scheduler_check (fixture->scheduler);
  g_assert_cmpuint (fixture->due->len, ==, 1);
  g_assert_cmpint (g_array_index (fixture->due, gint64, 0), ==,
                   usec_of (fixture->zone, "2026-11-28T11:00:00+01:00"));
  g_assert_cmpint (hs_scheduler_get_next_run (fixture->scheduler), ==,
                   usec_of (fixture->zone, "2026-11-28T12:00:00+01:00"));
}

static void
test_missed_caught_up_once (Fixture      *fixture,
                            gconstpointer user_data)
{
  /* The service was stopped (or the machine asleep) from 06:00 to 10:17:
   * four slots passed; one catch-up run, for the latest. */
  hs_scheduler_set_last_slot (fixture->scheduler, usec_of (fixture->zone, "2026-11-28T06:00:00+01:00"));
  hs_scheduler_start (fixture->scheduler);
  g_assert_cmpuint (fixture->due->len, ==, 1);
  g_assert_cmpint (g_array_index (fixture->due, gint64, 0), ==,
                   usec_of (fixture->zone, "2026-11-28T10:00:00+01:00"));

  /* A resume check in the same hour does not run it again. */
  fake_set (&fixture->clock, fixture->zone, "2026-11-28T10:40:00+01:00");
  hs_scheduler_check (fixture->scheduler);
  g_assert_cmpuint (fixture->due->len, ==, 1);
}

static void
test_offline_waits (Fixture      *fixture,
                    gconstpointer user_data)
{
  hs_scheduler_start (fixture->scheduler);
  hs_scheduler_set_network (fixture->scheduler, FALSE, FALSE);

  fake_set (&fixture->clock, fixture->zone, "2026-11-28T11:00:01+01:00");
  hs_scheduler_check (fixture->scheduler);
  g_assert_cmpuint (fixture->due->len, ==, 0);
  g_assert_true (hs_scheduler_is_pending (fixture->scheduler));

  /* Back online: the waiting slot runs, once. */
  hs_scheduler_set_network (fixture->scheduler, TRUE, FALSE);
  g_assert_cmpuint (fixture->due->len, ==, 1);
  g_assert_false (hs_scheduler_is_pending (fixture->scheduler));
  hs_scheduler_set_network (fixture->scheduler, TRUE, FALSE);
  g_assert_cmpuint (fixture->due->len, ==, 1);
}

static void
test_metered_policy (Fixture      *fixture,
                     gconstpointer user_data)
{
  hs_scheduler_start (fixture->scheduler);
  hs_scheduler_set_network (fixture->scheduler, TRUE, TRUE);

  fake_set (&fixture->clock, fixture->zone, "2026-11-28T11:00:01+01:00");
  hs_scheduler_check (fixture->scheduler);
  g_assert_cmpuint (fixture->due->len, ==, 0);
  g_assert_true (hs_scheduler_is_pending (fixture->scheduler));

  /* Allowing metered syncs lets the waiting one go. */
  hs_scheduler_set_allow_metered (fixture->scheduler, TRUE);
  g_assert_cmpuint (fixture->due->len, ==, 1);

  fake_set (&fixture->clock, fixture->zone, "2026-11-28T12:00:01+01:00");
  hs_scheduler_check (fixture->scheduler);
  g_assert_cmpuint (fixture->due->len, ==, 2);
}

static void
test_settings_apply_live (Fixture      *fixture,
                          gconstpointer user_data)
{
  hs_scheduler_start (fixture->scheduler);
  g_assert_cmpint (hs_scheduler_get_next_run (fixture->scheduler), ==,
                   usec_of (fixture->zone, "2026-11-28T11:00:00+01:00"));

  hs_scheduler_set_interval (fixture->scheduler, 4);
  g_assert_cmpint (hs_scheduler_get_next_run (fixture->scheduler), ==,
                   usec_of (fixture->zone, "2026-11-28T12:00:00+01:00"));

  hs_scheduler_set_enabled (fixture->scheduler, FALSE);
  g_assert_cmpint (hs_scheduler_get_next_run (fixture->scheduler), ==, 0);
  fake_set (&fixture->clock, fixture->zone, "2026-11-28T16:00:01+01:00");
  hs_scheduler_check (fixture->scheduler);
  g_assert_cmpuint (fixture->due->len, ==, 0);

  /* Turned back on, the slot that passed while off is caught up once. */
  hs_scheduler_set_enabled (fixture->scheduler, TRUE);
  g_assert_cmpuint (fixture->due->len, ==, 1);
  g_assert_cmpint (hs_scheduler_get_next_run (fixture->scheduler), ==,
                   usec_of (fixture->zone, "2026-11-28T20:00:00+01:00"));
}

static void
test_dst_day_runs_every_hour (Fixture      *fixture,
                              gconstpointer user_data)
{
  const char *steps[] = {
    "2026-10-25T00:00:01+02:00", "2026-10-25T01:00:01+02:00", "2026-10-25T02:00:01+02:00",
    "2026-10-25T02:00:01+01:00", "2026-10-25T03:00:01+01:00",
  };

  fake_set (&fixture->clock, fixture->zone, "2026-10-24T23:30:00+02:00");
  hs_scheduler_start (fixture->scheduler);

  /* The day clocks go back has 25 hours, so 25 slots; the doubled 02:00
   * runs twice and nothing is skipped. */
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      fake_set (&fixture->clock, fixture->zone, steps[i]);
      hs_scheduler_check (fixture->scheduler);
    }
  g_assert_cmpuint (fixture->due->len, ==, G_N_ELEMENTS (steps));
  for (guint i = 1; i < fixture->due->len; i++)
    g_assert_cmpint (g_array_index (fixture->due, gint64, i) - g_array_index (fixture->due, gint64, i - 1),
                     ==, (gint64) G_USEC_PER_SEC * 3600);
}

int
main (int    argc,
      char **argv)
{
  hs_test_init (&argc, &argv);

  g_test_add_func ("/scheduler/next-slot/boundaries", test_next_slot_boundaries);
  g_test_add_func ("/scheduler/next-slot/dst", test_next_slot_dst);

#define ADD(path, func) \
  g_test_add ("/scheduler/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("first-start-does-not-run", test_first_start_does_not_run);
  ADD ("missed-caught-up-once", test_missed_caught_up_once);
  ADD ("offline-waits", test_offline_waits);
  ADD ("metered-policy", test_metered_policy);
  ADD ("settings-apply-live", test_settings_apply_live);
  ADD ("dst-day-runs-every-hour", test_dst_day_runs_every_hour);

#undef ADD

  return g_test_run ();
}
