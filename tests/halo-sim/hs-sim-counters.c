/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-sim-counters.h"

/**
 * HsSimCounters:
 *
 * What the clients asked for: requests per endpoint, responses per
 * status, and the time of every request, from which the busiest sliding
 * window is worked out when asked.  Tests read these to prove a client
 * paced itself or retried as it should.
 */
struct _HsSimCounters
{
  GObject parent_instance;

  GHashTable *endpoints;    /* (owned): "GET /api/tickets" → count */
  GHashTable *statuses;     /* (owned): status → count */
  GArray *times;            /* (owned) of gint64, monotonic µs, ascending */
};

G_DEFINE_FINAL_TYPE (HsSimCounters, hs_sim_counters, G_TYPE_OBJECT)

static void
hs_sim_counters_finalize (GObject *object)
{
  HsSimCounters *self = HS_SIM_COUNTERS (object);

  g_clear_pointer (&self->endpoints, g_hash_table_unref);
  g_clear_pointer (&self->statuses, g_hash_table_unref);
  g_clear_pointer (&self->times, g_array_unref);

  G_OBJECT_CLASS (hs_sim_counters_parent_class)->finalize (object);
}

static void
hs_sim_counters_class_init (HsSimCountersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hs_sim_counters_finalize;
}

static void
hs_sim_counters_init (HsSimCounters *self)
{
  self->endpoints = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->statuses = g_hash_table_new (NULL, NULL);
  self->times = g_array_new (FALSE, FALSE, sizeof (gint64));
}

HsSimCounters *
hs_sim_counters_new (void)
{
  return g_object_new (HS_SIM_TYPE_COUNTERS, NULL);
}

void
hs_sim_counters_record (HsSimCounters *self,
                        const char    *endpoint,
                        gint64         monotonic)
{
  guint count;

  g_return_if_fail (HS_SIM_IS_COUNTERS (self));

  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->endpoints, endpoint));
  g_hash_table_replace (self->endpoints, g_strdup (endpoint), GUINT_TO_POINTER (count + 1));
  g_array_append_val (self->times, monotonic);
}

void
hs_sim_counters_record_status (HsSimCounters *self,
                               guint          status)
{
  guint count;

  g_return_if_fail (HS_SIM_IS_COUNTERS (self));

  count = GPOINTER_TO_UINT (g_hash_table_lookup (self->statuses, GUINT_TO_POINTER (status)));
  g_hash_table_replace (self->statuses, GUINT_TO_POINTER (status), GUINT_TO_POINTER (count + 1));
}

void
hs_sim_counters_reset (HsSimCounters *self)
{
  g_return_if_fail (HS_SIM_IS_COUNTERS (self));

  g_hash_table_remove_all (self->endpoints);
  g_hash_table_remove_all (self->statuses);
  g_array_set_size (self->times, 0);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The most requests that fell in any interval [t, t + window). */
static guint
max_in_window (HsSimCounters *self,
               gint64         window)
{
  const gint64 *t = (const gint64 *) (gpointer) self->times->data;
  guint best = 0, first = 0;

  for (guint last = 0; last < self->times->len; last++)
    {
      while (t[last] - t[first] >= window)
        first++;
      best = MAX (best, last - first + 1);
    }
  return best;
}

/**
 * hs_sim_counters_to_json:
 * @self: the counters
 * @window: the sliding window for `max_in_window`, in µs
 *
 * Returns: (transfer full): `{"total": N, "endpoints": {"GET /api/tickets": N, …},
 *   "statuses": {"200": N, …}, "window_seconds": S, "max_in_window": N}`
 */
JsonNode *
hs_sim_counters_to_json (HsSimCounters *self,
                         gint64         window)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (HS_SIM_IS_COUNTERS (self), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, self->times->len);

  g_hash_table_iter_init (&iter, self->endpoints);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, key);
  g_ptr_array_sort (names, compare_strings);
  json_builder_set_member_name (builder, "endpoints");
  json_builder_begin_object (builder);
  for (guint i = 0; i < names->len; i++)
    {
      json_builder_set_member_name (builder, g_ptr_array_index (names, i));
      json_builder_add_int_value (builder, GPOINTER_TO_UINT (g_hash_table_lookup (self->endpoints, g_ptr_array_index (names, i))));
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "statuses");
  json_builder_begin_object (builder);
  g_hash_table_iter_init (&iter, self->statuses);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      char name[16];

      g_snprintf (name, sizeof name, "%u", GPOINTER_TO_UINT (key));
      json_builder_set_member_name (builder, name);
      json_builder_add_int_value (builder, GPOINTER_TO_UINT (g_hash_table_lookup (self->statuses, key)));
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "window_seconds");
  json_builder_add_double_value (builder, (double) window / G_USEC_PER_SEC);
  json_builder_set_member_name (builder, "max_in_window");
  json_builder_add_int_value (builder, max_in_window (self, window));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
