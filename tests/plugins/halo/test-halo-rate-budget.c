/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-test.h"
#include "hs-halo-rate-budget.h"

/* The budget runs on a fake clock here: time moves only when a test moves
 * it, so waits are checked to the microsecond and take no real time. */

#define SECOND G_GINT64_CONSTANT (1000000)

static gint64
fake_clock (gpointer user_data)
{
  return *(gint64 *) user_data;
}

typedef struct
{
  gint64 now;
  HsHaloRateBudget *budget;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->now = 1000 * SECOND;
  f->budget = hs_halo_rate_budget_new (5, 10);
  hs_halo_rate_budget_set_clock (f->budget, fake_clock, &f->now);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->budget);
}

/* Spins the context without blocking: a fake clock never wakes it. */
static void
spin (void)
{
  for (guint i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
}

/* Acquires a slot and returns it, failing if it does not come at once. */
static guint
acquire_now (HsHaloRateBudget *budget)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint slot = 0;

  hs_halo_rate_budget_acquire_async (budget, NULL, hs_test_store_result_cb, &result);
  spin ();
  g_assert_nonnull (result);
  g_assert_true (hs_halo_rate_budget_acquire_finish (budget, result, &slot, &error));
  g_assert_no_error (error);
  return slot;
}

static void
test_burst (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = f->now;
  guint slot;

  /* Five go at once, with no time passing. */
  for (guint i = 0; i < 5; i++)
    hs_halo_rate_budget_release (f->budget, acquire_now (f->budget));

  /* The sixth waits exactly until the oldest leaves the window. */
  g_assert_cmpint (hs_halo_rate_budget_get_delay (f->budget), ==, 10 * SECOND);
  hs_halo_rate_budget_acquire_async (f->budget, NULL, hs_test_store_result_cb, &result);
  spin ();
  g_assert_null (result);
  g_assert_cmpuint (hs_halo_rate_budget_get_n_waiting (f->budget), ==, 1);

  f->now = start + 10 * SECOND - 1;
  g_main_context_wakeup (NULL);
  spin ();
  g_assert_null (result);

  f->now = start + 10 * SECOND;
  g_main_context_wakeup (NULL);
  spin ();
  g_assert_nonnull (result);
  g_assert_true (hs_halo_rate_budget_acquire_finish (f->budget, result, &slot, &error));
  g_assert_no_error (error);
  hs_halo_rate_budget_release (f->budget, slot);
  g_assert_cmpuint (hs_halo_rate_budget_get_n_waiting (f->budget), ==, 0);
}

static void
test_counts_from_completion (Fixture       *f,
                             gconstpointer  data)
{
  guint slots[5];
  gint64 start = f->now;
  g_autoptr(GAsyncResult) result = NULL;

  for (guint i = 0; i < 5; i++)
    slots[i] = acquire_now (f->budget);

  /* All five in flight: the sixth waits for a release, not a time. */
  g_assert_cmpint (hs_halo_rate_budget_get_delay (f->budget), ==, -1);
  hs_halo_rate_budget_acquire_async (f->budget, NULL, hs_test_store_result_cb, &result);
  f->now = start + 60 * SECOND;
  g_main_context_wakeup (NULL);
  spin ();
  g_assert_null (result);

  /* A request that took 3 s counts from when it ended. */
  f->now = start + 3 * SECOND;
  hs_halo_rate_budget_release (f->budget, slots[0]);
  for (guint i = 1; i < 5; i++)
    hs_halo_rate_budget_release (f->budget, slots[i]);
  spin ();
  g_assert_null (result);
  g_assert_cmpint (hs_halo_rate_budget_get_delay (f->budget), ==, 10 * SECOND);

  f->now = start + 13 * SECOND;
  g_main_context_wakeup (NULL);
  spin ();
  g_assert_nonnull (result);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) cancelled = NULL;
  g_autoptr(GAsyncResult) next = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = f->now;
  guint slot = 0;

  for (guint i = 0; i < 5; i++)
    hs_halo_rate_budget_release (f->budget, acquire_now (f->budget));

  hs_halo_rate_budget_acquire_async (f->budget, cancellable, hs_test_store_result_cb, &cancelled);
  hs_halo_rate_budget_acquire_async (f->budget, NULL, hs_test_store_result_cb, &next);
  spin ();
  g_assert_null (cancelled);

  /* Cancelling ends the wait without any time passing. */
  g_cancellable_cancel (cancellable);
  spin ();
  g_assert_nonnull (cancelled);
  g_assert_false (hs_halo_rate_budget_acquire_finish (f->budget, cancelled, &slot, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* The cancelled request took no slot; the one behind it still waits
   * for the window, then goes. */
  g_assert_cmpuint (hs_halo_rate_budget_get_n_waiting (f->budget), ==, 1);
  g_assert_null (next);
  f->now = start + 10 * SECOND;
  g_main_context_wakeup (NULL);
  spin ();
  g_assert_nonnull (next);
  g_assert_true (hs_halo_rate_budget_acquire_finish (f->budget, next, &slot, &error));
  hs_halo_rate_budget_release (f->budget, slot);

  /* An already cancelled request never waits. */
  g_clear_object (&cancelled);
  hs_halo_rate_budget_acquire_async (f->budget, cancellable, hs_test_store_result_cb, &cancelled);
  spin ();
  g_assert_false (hs_halo_rate_budget_acquire_finish (f->budget, cancelled, &slot, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

typedef struct
{
  gint64 granted;
  gint64 released;  /* G_MAXINT64 while in flight */
} Request;

typedef struct
{
  Fixture *f;
  GArray *requests;   /* Request */
  guint index;
  guint slot;
  GAsyncResult *result;
} Pending;

static void
test_never_over (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  g_autoptr(GArray) requests = g_array_new (FALSE, FALSE, sizeof (Request));
  GPtrArray *pending = g_ptr_array_new ();
  guint n_granted = 0;

  /* A random mix of waiting requests, slow responses and time passing;
   * then, for every grant, no more than 5 requests may have been able to
   * reach the server in the 10 s window around it. */
  for (guint step = 0; step < 3000; step++)
    {
      double r = g_rand_double (rand);

      if (r < 0.4 && pending->len < 12)
        {
          Pending *p = g_new0 (Pending, 1);

          hs_halo_rate_budget_acquire_async (f->budget, NULL, hs_test_store_result_cb, &p->result);
          g_ptr_array_add (pending, p);
        }
      else if (r < 0.7)
        f->now += g_rand_int_range (rand, 0, 3 * SECOND);

      g_main_context_wakeup (NULL);
      spin ();

      for (guint i = 0; i < pending->len; i++)
        {
          Pending *p = pending->pdata[i];

          if (p->result != NULL && p->index == 0)
            {
              Request req = { f->now, G_MAXINT64 };

              g_assert_true (hs_halo_rate_budget_acquire_finish (f->budget, p->result, &p->slot, NULL));
              g_array_append_val (requests, req);
              p->index = requests->len;
              n_granted++;
            }
          else if (p->index != 0 && g_rand_double (rand) < 0.3)
            {
              g_array_index (requests, Request, p->index - 1).released = f->now;
              hs_halo_rate_budget_release (f->budget, p->slot);
              g_clear_object (&p->result);
              g_free (g_ptr_array_steal_index (pending, i));
              i--;
            }
        }
    }

  g_assert_cmpuint (n_granted, >, 200);
  for (guint i = 0; i < requests->len; i++)
    {
      gint64 g = g_array_index (requests, Request, i).granted;
      guint overlapping = 0;

      for (guint j = 0; j <= i; j++)
        {
          Request *other = &g_array_index (requests, Request, j);

          if (other->released == G_MAXINT64 || other->released + 10 * SECOND > g)
            overlapping++;
        }
      g_assert_cmpuint (overlapping, <=, 5);
    }

  /* Let the rest finish so the budget can go. */
  while (pending->len > 0)
    {
      Pending *p = g_ptr_array_steal_index (pending, 0);

      f->now += 20 * SECOND;
      g_main_context_wakeup (NULL);
      spin ();
      if (p->result != NULL && p->index == 0)
        g_assert_true (hs_halo_rate_budget_acquire_finish (f->budget, p->result, &p->slot, NULL));
      if (p->result == NULL)
        {
          g_ptr_array_add (pending, p);
          continue;
        }
      hs_halo_rate_budget_release (f->budget, p->slot);
      g_clear_object (&p->result);
      g_free (p);
    }
  g_ptr_array_unref (pending);
}

static void
test_off (Fixture       *f,
          gconstpointer  data)
{
  hs_halo_rate_budget_set_limit (f->budget, 0, 10);

  for (guint i = 0; i < 1000; i++)
    {
      guint slot = acquire_now (f->budget);

      g_assert_cmpuint (slot, ==, HS_HALO_RATE_BUDGET_NO_SLOT);
      hs_halo_rate_budget_release (f->budget, slot);
    }
}

static void
test_change_limit (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  guint held;
  guint slot;

  held = acquire_now (f->budget);
  for (guint i = 0; i < 4; i++)
    hs_halo_rate_budget_release (f->budget, acquire_now (f->budget));

  hs_halo_rate_budget_acquire_async (f->budget, NULL, hs_test_store_result_cb, &result);
  spin ();
  g_assert_null (result);

  /* A larger limit lets the waiting request go at once; the history stays. */
  hs_halo_rate_budget_set_limit (f->budget, 6, 10);
  spin ();
  g_assert_nonnull (result);
  g_assert_true (hs_halo_rate_budget_acquire_finish (f->budget, result, &slot, NULL));
  hs_halo_rate_budget_release (f->budget, slot);
  g_assert_cmpint (hs_halo_rate_budget_get_delay (f->budget), ==, 10 * SECOND);

  /* A stale slot from before the change is ignored, not misapplied. */
  hs_halo_rate_budget_release (f->budget, held);
  g_assert_cmpint (hs_halo_rate_budget_get_delay (f->budget), ==, 10 * SECOND);

  /* Turning pacing off frees everyone. */
  g_clear_object (&result);
  hs_halo_rate_budget_acquire_async (f->budget, NULL, hs_test_store_result_cb, &result);
  spin ();
  g_assert_null (result);
  g_object_set (f->budget, "requests", 0, NULL);
  spin ();
  g_assert_nonnull (result);
  g_assert_true (hs_halo_rate_budget_acquire_finish (f->budget, result, &slot, NULL));
  g_assert_cmpuint (slot, ==, HS_HALO_RATE_BUDGET_NO_SLOT);
}

static void
test_real_clock (void)
{
  g_autoptr(HsHaloRateBudget) budget = hs_halo_rate_budget_new (2, 1);
  g_autoptr(GAsyncResult) result = NULL;
  gint64 start = g_get_monotonic_time ();
  guint slot;

  /* On the real clock the wait is a timer: 2 go, the third ~1 s later. */
  for (guint i = 0; i < 2; i++)
    {
      hs_halo_rate_budget_acquire_async (budget, NULL, hs_test_store_result_cb, &result);
      hs_test_wait_for_result (&result);
      g_assert_true (hs_halo_rate_budget_acquire_finish (budget, result, &slot, NULL));
      hs_halo_rate_budget_release (budget, slot);
      g_clear_object (&result);
    }
  g_assert_cmpint (g_get_monotonic_time () - start, <, SECOND / 2);

  hs_halo_rate_budget_acquire_async (budget, NULL, hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  g_assert_true (hs_halo_rate_budget_acquire_finish (budget, result, &slot, NULL));
  hs_halo_rate_budget_release (budget, slot);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, SECOND);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * SECOND);
}

int
main (int   argc,
      char *argv[])
{
  hs_test_init (&argc, &argv);

  g_test_add ("/halo/rate-budget/burst", Fixture, NULL, fixture_set_up, test_burst, fixture_tear_down);
  g_test_add ("/halo/rate-budget/counts-from-completion", Fixture, NULL,
              fixture_set_up, test_counts_from_completion, fixture_tear_down);
  g_test_add ("/halo/rate-budget/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/halo/rate-budget/never-over", Fixture, NULL, fixture_set_up, test_never_over, fixture_tear_down);
  g_test_add ("/halo/rate-budget/off", Fixture, NULL, fixture_set_up, test_off, fixture_tear_down);
  g_test_add ("/halo/rate-budget/change-limit", Fixture, NULL,
              fixture_set_up, test_change_limit, fixture_tear_down);
  g_test_add_func ("/halo/rate-budget/real-clock", test_real_clock);

  return g_test_run ();
}
