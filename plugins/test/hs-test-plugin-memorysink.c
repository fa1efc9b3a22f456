/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <halosync.h>

/*
 * A sink for `memory:` URIs that keeps everything in memory and does only
 * what the plugin contract asks of storage: it checks no fiscal year for
 * clashes, gives no run a status of its own and rebuilds the summary
 * whenever it is told to.  The engine's rules tests run the real engine
 * on it, so that every rule they see kept was kept by the engine.
 *
 * The URI's query makes one function fail, as a database would:
 * `memory:///?fail=write` (or begin, sweep, summary, commit, save);
 * `stall=sweep` (or commit) makes one take half a second, long enough
 * for a test to cancel the run while the sink is in it;
 * `dead-run=1` leaves a run the ledger shows as running, as a program
 * that was killed would.  Its properties count what was done to it, and
 * clearing "summarized" loses every summary.
 */

#define HS_TYPE_MEMORY_SINK (hs_memory_sink_get_type ())
G_DECLARE_FINAL_TYPE (HsMemorySink, hs_memory_sink, HS, MEMORY_SINK, HsSink)

#define HS_TYPE_MEMORY_RUN (hs_memory_run_get_type ())
G_DECLARE_FINAL_TYPE (HsMemoryRun, hs_memory_run, HS, MEMORY_RUN, HsSinkRun)

struct _HsMemorySink
{
  HsSink parent_instance;

  char *fail;                          /* (owned) (nullable): the function that fails */
  char *stall;                         /* (owned) (nullable): the function that is slow */
  gboolean locked;
  GPtrArray *years;                    /* (owned) (element-type HsFiscalYear) */
  GPtrArray *runs;                     /* (owned) (element-type HsRun): oldest first */
  GHashTable *mappings;                /* (owned): halo id → HsAgentMapping */
  GHashTable *rows[HS_N_STREAMS];      /* (owned): key → fiscal-year label */
  GHashTable *contents[HS_N_STREAMS];  /* (owned): key → the row's fingerprint */
  GHashTable *unmapped[HS_N_STREAMS];  /* (owned): key → agent id, rows with an agent and no member */
  GHashTable *cursors;                 /* (owned): "label/stream" → gint64 */
  GHashTable *summarized;              /* (owned) (element-type utf8): years with a summary */
  guint summary_rebuilds;
  guint commits;
};

G_DEFINE_FINAL_TYPE (HsMemorySink, hs_memory_sink, HS_TYPE_SINK)

struct _HsMemoryRun
{
  HsSinkRun parent_instance;

  HsMemorySink *sink;                  /* (owned) */
  GHashTable *written[HS_N_STREAMS];   /* (owned): key → fingerprint, rows written in the run */
  GHashTable *deleted[HS_N_STREAMS];   /* (owned): keys the sweep marked */
  GHashTable *unmapped[HS_N_STREAMS];  /* (owned): as the sink's, for rows written in the run */
  gboolean rebuild;
};

G_DEFINE_FINAL_TYPE (HsMemoryRun, hs_memory_run, HS_TYPE_SINK_RUN)

enum
{
  PROP_0,
  PROP_SUMMARY_REBUILDS,
  PROP_COMMITS,
  PROP_SUMMARIZED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const uri_schemes[] = { "memory", NULL };

static gboolean
fails (HsMemorySink *self,
       const char   *function,
       GError      **error)
{
  if (g_strcmp0 (self->fail, function) != 0)
    return FALSE;
  g_set_error (error, HS_ERROR, HS_ERROR_DATABASE, "The memory sink was told to fail in %s", function);
  return TRUE;
}

#define STALL_USEC (G_USEC_PER_SEC / 2)

static void
stall (HsMemorySink *self,
       const char   *function)
{
  if (g_strcmp0 (self->stall, function) == 0)
    g_usleep (STALL_USEC);
}

static char *
cursor_key (const char *label,
            HsStream    stream)
{
  return g_strdup_printf ("%s/%d", label, stream);
}

/* Rows are keyed by their first integer field: the id, or for a time
 * entry its ticket id with its action id. */
static gint64
row_key (HsRecordBatch *batch,
         guint          row)
{
  if (hs_record_batch_get_stream (batch) == HS_STREAM_TIME_ENTRIES)
    return hs_record_batch_get_int (batch, row, HS_TIME_ENTRY_TICKET_ID) * 1000000 +
           hs_record_batch_get_int (batch, row, HS_TIME_ENTRY_ACTION_ID);
  return hs_record_batch_get_int (batch, row, 0);
}

static GHashTable *
key_set_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

/* What a row holds, as text: a row whose fingerprint did not change is
 * not counted as updated, as a database that compares values would not. */
static char *
row_fingerprint (HsRecordBatch *batch,
                 guint          row)
{
  guint n_fields;
  const HsFieldInfo *fields = hs_stream_get_fields (hs_record_batch_get_stream (batch), &n_fields);
  GString *text = g_string_new (NULL);

  for (guint field = 0; field < n_fields; field++)
    {
      if (hs_record_batch_is_null (batch, row, field))
        g_string_append (text, "null");
      else if (fields[field].type == HS_FIELD_TEXT)
        g_string_append (text, hs_record_batch_get_text (batch, row, field));
      else if (fields[field].type == HS_FIELD_DOUBLE)
        g_string_append_printf (text, "%g", hs_record_batch_get_double (batch, row, field));
      else if (fields[field].type == HS_FIELD_BOOLEAN)
        g_string_append_printf (text, "%d", hs_record_batch_get_boolean (batch, row, field));
      else if (fields[field].type == HS_FIELD_TIMESTAMP)
        g_string_append_printf (text, "%" G_GINT64_FORMAT, hs_record_batch_get_timestamp (batch, row, field));
      else
        g_string_append_printf (text, "%" G_GINT64_FORMAT, hs_record_batch_get_int (batch, row, field));
      g_string_append_c (text, '\x1f');
    }
  return g_string_free (text, FALSE);
}

static void
add_key (GHashTable *set,
         gint64      key)
{
  g_hash_table_add (set, g_memdup2 (&key, sizeof key));
}

static gboolean
hs_memory_run_write_batch (HsSinkRun     *sink_run,
                           HsRecordBatch *batch,
                           guint         *inserted,
                           guint         *updated,
                           GError       **error)
{
  HsMemoryRun *self = HS_MEMORY_RUN (sink_run);
  HsStream stream = hs_record_batch_get_stream (batch);
  GHashTable *stored = self->sink->contents[stream];
  int agent_field = hs_stream_get_agent_field (stream);
  int member_field = hs_stream_get_member_field (stream);

  *inserted = *updated = 0;
  if (fails (self->sink, "write", error))
    return FALSE;

  for (guint row = 0; row < hs_record_batch_get_n_records (batch); row++)
    {
      gint64 key = row_key (batch, row);
      g_autofree char *fingerprint = NULL;
      const char *before;

      if (g_hash_table_contains (self->written[stream], &key))
        continue;
      fingerprint = row_fingerprint (batch, row);
      if (agent_field >= 0 && member_field >= 0 &&
          !hs_record_batch_is_null (batch, row, agent_field) && hs_record_batch_is_null (batch, row, member_field))
        {
          gint64 agent = hs_record_batch_get_int (batch, row, agent_field);

          g_hash_table_insert (self->unmapped[stream], g_memdup2 (&key, sizeof key), g_memdup2 (&agent, sizeof agent));
        }
      before = g_hash_table_lookup (stored, &key);
      if (before == NULL)
        (*inserted)++;
      else if (g_strcmp0 (before, fingerprint) != 0)
        (*updated)++;
      g_hash_table_insert (self->written[stream], g_memdup2 (&key, sizeof key), g_steal_pointer (&fingerprint));
    }
  return TRUE;
}

static gboolean
hs_memory_run_sweep (HsSinkRun *sink_run,
                     HsStream   stream,
                     gboolean   apply,
                     guint64   *n_window,
                     guint64   *n_missing,
                     GError   **error)
{
  HsMemoryRun *self = HS_MEMORY_RUN (sink_run);
  const char *label = hs_fiscal_year_get_label (hs_sink_run_get_fiscal_year (sink_run));
  GHashTableIter iter;
  gpointer key, year;

  stall (self->sink, "sweep");
  /* It keeps no dates, so it counts the year's rows for the window: the
   * test source reports no record counts to compare them with. */
  *n_window = *n_missing = 0;
  if (fails (self->sink, "sweep", error))
    return FALSE;

  g_hash_table_iter_init (&iter, self->sink->rows[stream]);
  while (g_hash_table_iter_next (&iter, &key, &year))
    {
      if (g_strcmp0 (year, label) != 0)
        continue;
      (*n_window)++;
      if (g_hash_table_contains (self->written[stream], key))
        continue;
      (*n_missing)++;
      if (apply)
        add_key (self->deleted[stream], *(gint64 *) key);
    }
  if (apply)
    *n_window -= *n_missing;
  return TRUE;
}

static gboolean
hs_memory_run_rebuild_summary (HsSinkRun *sink_run,
                               GError   **error)
{
  HsMemoryRun *self = HS_MEMORY_RUN (sink_run);

  if (fails (self->sink, "summary", error))
    return FALSE;
  self->rebuild = TRUE;
  self->sink->summary_rebuilds++;
  return TRUE;
}

static void
add_agent (GArray     *agent_ids,
           GHashTable *seen,
           gint64      agent)
{
  if (g_hash_table_contains (seen, &agent))
    return;
  add_key (seen, agent);
  g_array_append_val (agent_ids, agent);
}

/* The rows of the year as the run leaves them: those it wrote, and the
 * stored ones it neither wrote nor marked deleted. */
static gboolean
hs_memory_run_list_unmapped_agents (HsSinkRun *sink_run,
                                    GArray    *agent_ids,
                                    GError   **error)
{
  HsMemoryRun *self = HS_MEMORY_RUN (sink_run);
  const char *label = hs_fiscal_year_get_label (hs_sink_run_get_fiscal_year (sink_run));
  g_autoptr(GHashTable) seen = key_set_new ();

  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    {
      GHashTableIter iter;
      gpointer key, agent;

      g_hash_table_iter_init (&iter, self->unmapped[stream]);
      while (g_hash_table_iter_next (&iter, &key, &agent))
        add_agent (agent_ids, seen, *(gint64 *) agent);

      g_hash_table_iter_init (&iter, self->sink->unmapped[stream]);
      while (g_hash_table_iter_next (&iter, &key, &agent))
        if (g_strcmp0 (g_hash_table_lookup (self->sink->rows[stream], key), label) == 0 &&
            !g_hash_table_contains (self->written[stream], key) &&
            !g_hash_table_contains (self->deleted[stream], key))
          add_agent (agent_ids, seen, *(gint64 *) agent);
    }
  return TRUE;
}

static void
save_run (HsMemorySink *self,
          HsRun        *run)
{
  if (hs_run_get_id (run) == 0)
    {
      hs_run_set_id (run, self->runs->len + 1);
      g_ptr_array_add (self->runs, hs_run_copy (run));
      return;
    }
  g_clear_object (&g_ptr_array_index (self->runs, hs_run_get_id (run) - 1));
  g_ptr_array_index (self->runs, hs_run_get_id (run) - 1) = hs_run_copy (run);
}

static gboolean
hs_memory_run_commit (HsSinkRun *sink_run,
                      HsRun     *run,
                      GError   **error)
{
  HsMemoryRun *self = HS_MEMORY_RUN (sink_run);
  HsMemorySink *sink = self->sink;
  const char *label = hs_fiscal_year_get_label (hs_sink_run_get_fiscal_year (sink_run));

  stall (sink, "commit");
  if (fails (sink, "commit", error))
    return FALSE;

  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    {
      GHashTableIter iter;
      gpointer key, fingerprint;

      g_hash_table_iter_init (&iter, self->written[stream]);
      while (g_hash_table_iter_next (&iter, &key, &fingerprint))
        {
          g_hash_table_insert (sink->rows[stream], g_memdup2 (key, sizeof (gint64)), g_strdup (label));
          g_hash_table_insert (sink->contents[stream], g_memdup2 (key, sizeof (gint64)), g_strdup (fingerprint));
          g_hash_table_remove (sink->unmapped[stream], key);
        }
      g_hash_table_iter_init (&iter, self->unmapped[stream]);
      while (g_hash_table_iter_next (&iter, &key, &fingerprint))
        g_hash_table_insert (sink->unmapped[stream], g_memdup2 (key, sizeof (gint64)),
                             g_memdup2 (fingerprint, sizeof (gint64)));
      g_hash_table_iter_init (&iter, self->deleted[stream]);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          g_hash_table_remove (sink->rows[stream], key);
          g_hash_table_remove (sink->contents[stream], key);
          g_hash_table_remove (sink->unmapped[stream], key);
        }

      if (hs_run_get_cursor_after (run, stream) > 0)
        {
          gint64 cursor = hs_run_get_cursor_after (run, stream);

          g_hash_table_insert (sink->cursors, cursor_key (label, stream), g_memdup2 (&cursor, sizeof cursor));
        }
    }
  if (self->rebuild)
    g_hash_table_add (sink->summarized, g_strdup (label));
  save_run (sink, run);
  sink->commits++;
  return TRUE;
}

static void
hs_memory_run_abort (HsSinkRun *sink_run)
{
  HsMemoryRun *self = HS_MEMORY_RUN (sink_run);

  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    {
      g_hash_table_remove_all (self->written[stream]);
      g_hash_table_remove_all (self->deleted[stream]);
      g_hash_table_remove_all (self->unmapped[stream]);
    }
}

static void
hs_memory_run_finalize (GObject *object)
{
  HsMemoryRun *self = HS_MEMORY_RUN (object);

  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    {
      g_clear_pointer (&self->written[stream], g_hash_table_unref);
      g_clear_pointer (&self->deleted[stream], g_hash_table_unref);
      g_clear_pointer (&self->unmapped[stream], g_hash_table_unref);
    }
  g_clear_object (&self->sink);

  G_OBJECT_CLASS (hs_memory_run_parent_class)->finalize (object);
}

static void
hs_memory_run_class_init (HsMemoryRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HsSinkRunClass *run_class = HS_SINK_RUN_CLASS (klass);

  object_class->finalize = hs_memory_run_finalize;
  run_class->write_batch = hs_memory_run_write_batch;
  run_class->sweep = hs_memory_run_sweep;
  run_class->rebuild_summary = hs_memory_run_rebuild_summary;
  run_class->list_unmapped_agents = hs_memory_run_list_unmapped_agents;
  run_class->commit = hs_memory_run_commit;
  run_class->abort = hs_memory_run_abort;
}

static void
hs_memory_run_init (HsMemoryRun *self)
{
  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    {
      self->written[stream] = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
      self->deleted[stream] = key_set_new ();
      self->unmapped[stream] = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
    }
}

static gboolean
hs_memory_sink_open (HsSink       *sink,
                     GCancellable *cancellable,
                     GError      **error)
{
  HsMemorySink *self = HS_MEMORY_SINK (sink);
  g_autoptr(GUri) uri = g_uri_parse (hs_sink_get_uri (sink), G_URI_FLAGS_NONE, error);
  g_autoptr(GHashTable) params = NULL;

  if (uri == NULL)
    return FALSE;
  params = g_uri_parse_params (g_uri_get_query (uri) != NULL ? g_uri_get_query (uri) : "", -1, "&",
                               G_URI_PARAMS_NONE, error);
  if (params == NULL)
    return FALSE;

  self->fail = g_strdup (g_hash_table_lookup (params, "fail"));
  self->stall = g_strdup (g_hash_table_lookup (params, "stall"));
  if (g_hash_table_contains (params, "dead-run"))
    {
      g_autoptr(HsRun) dead = hs_run_new ("FY2026", HS_TRIGGER_HOURLY, HS_SYNC_INCREMENTAL, FALSE);

      hs_run_set_status (dead, HS_RUN_RUNNING);
      save_run (self, dead);
    }
  return TRUE;
}

static gboolean
hs_memory_sink_try_lock (HsSink   *sink,
                         gboolean *taken,
                         GError  **error)
{
  HsMemorySink *self = HS_MEMORY_SINK (sink);

  *taken = !self->locked;
  self->locked = TRUE;
  return TRUE;
}

static void
hs_memory_sink_unlock (HsSink *sink)
{
  HS_MEMORY_SINK (sink)->locked = FALSE;
}

static GPtrArray *
hs_memory_sink_list_fiscal_years (HsSink  *sink,
                                  GError **error)
{
  HsMemorySink *self = HS_MEMORY_SINK (sink);
  GPtrArray *years = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->years->len; i++)
    g_ptr_array_add (years, g_object_ref (g_ptr_array_index (self->years, i)));
  return years;
}

static gboolean
hs_memory_sink_create_fiscal_year (HsSink       *sink,
                                   HsFiscalYear *fiscal_year,
                                   GError      **error)
{
  g_ptr_array_add (HS_MEMORY_SINK (sink)->years, g_object_ref (fiscal_year));
  return TRUE;
}

static gboolean
hs_memory_sink_delete_fiscal_year (HsSink     *sink,
                                   const char *label,
                                   GError    **error)
{
  HsMemorySink *self = HS_MEMORY_SINK (sink);

  for (guint i = 0; i < self->years->len; i++)
    if (g_strcmp0 (hs_fiscal_year_get_label (g_ptr_array_index (self->years, i)), label) == 0)
      {
        g_ptr_array_remove_index (self->years, i);
        g_hash_table_remove (self->summarized, label);
        return TRUE;
      }
  g_set_error (error, HS_ERROR, HS_ERROR_NOT_FOUND, "No fiscal year “%s”", label);
  return FALSE;
}

static GPtrArray *
hs_memory_sink_list_agents (HsSink  *sink,
                            GError **error)
{
  HsMemorySink *self = HS_MEMORY_SINK (sink);
  GPtrArray *agents = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer key, mapping;

  g_hash_table_iter_init (&iter, self->rows[HS_STREAM_AGENTS]);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      mapping = g_hash_table_lookup (self->mappings, key);
      g_ptr_array_add (agents, mapping != NULL ? g_object_ref (mapping)
                                               : hs_agent_mapping_new (*(gint64 *) key, NULL, NULL, NULL));
    }
  return agents;
}

static gboolean
hs_memory_sink_set_agent_mapping (HsSink         *sink,
                                  HsAgentMapping *mapping,
                                  GError        **error)
{
  HsMemorySink *self = HS_MEMORY_SINK (sink);
  gint64 id = hs_agent_mapping_get_halo_id (mapping);

  g_hash_table_insert (self->mappings, g_memdup2 (&id, sizeof id), g_object_ref (mapping));
  return TRUE;
}

static GPtrArray *
hs_memory_sink_list_runs (HsSink  *sink,
                          guint    limit,
                          GError **error)
{
  HsMemorySink *self = HS_MEMORY_SINK (sink);
  GPtrArray *runs = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = self->runs->len; i > 0 && runs->len < limit; i--)
    g_ptr_array_add (runs, hs_run_copy (g_ptr_array_index (self->runs, i - 1)));
  return runs;
}

static gboolean
hs_memory_sink_save_run (HsSink  *sink,
                         HsRun   *run,
                         GError **error)
{
  HsMemorySink *self = HS_MEMORY_SINK (sink);

  if (fails (self, "save", error))
    return FALSE;
  save_run (self, run);
  return TRUE;
}

static HsSinkRun *
hs_memory_sink_begin_run (HsSink       *sink,
                          HsRun        *run,
                          HsFiscalYear *fiscal_year,
                          GError      **error)
{
  HsMemorySink *self = HS_MEMORY_SINK (sink);
  HsMemoryRun *sink_run;

  if (fails (self, "begin", error))
    return NULL;

  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    {
      g_autofree char *key = cursor_key (hs_fiscal_year_get_label (fiscal_year), stream);
      gint64 *cursor = g_hash_table_lookup (self->cursors, key);

      hs_run_set_cursor_before (run, stream, cursor != NULL ? *cursor : 0);
    }

  sink_run = g_object_new (HS_TYPE_MEMORY_RUN, NULL);
  sink_run->sink = g_object_ref (self);
  return HS_SINK_RUN (sink_run);
}

/* One row per summarized year: enough for the engine to tell a summary
 * from none. */
static GVariant *
hs_memory_sink_summarize (HsSink     *sink,
                          const char *fiscal_year,
                          GError    **error)
{
  HsMemorySink *self = HS_MEMORY_SINK (sink);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sssdduu)"));
  if (g_hash_table_contains (self->summarized, fiscal_year))
    g_variant_builder_add (&builder, "(sssdduu)", "", "", "2025-07", 0.0, 0.0, 0, 0);
  return g_variant_builder_end (&builder);
}

static void
hs_memory_sink_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HsMemorySink *self = HS_MEMORY_SINK (object);

  switch (prop_id)
    {
    case PROP_SUMMARY_REBUILDS:
      g_value_set_uint (value, self->summary_rebuilds);
      break;
    case PROP_COMMITS:
      g_value_set_uint (value, self->commits);
      break;
    case PROP_SUMMARIZED:
      g_value_set_boolean (value, g_hash_table_size (self->summarized) > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Clearing "summarized" drops every summary, as restoring a database
 * without them would. */
static void
hs_memory_sink_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HsMemorySink *self = HS_MEMORY_SINK (object);

  switch (prop_id)
    {
    case PROP_SUMMARIZED:
      if (!g_value_get_boolean (value))
        g_hash_table_remove_all (self->summarized);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_memory_sink_finalize (GObject *object)
{
  HsMemorySink *self = HS_MEMORY_SINK (object);

  g_free (self->fail);
  g_free (self->stall);
  g_ptr_array_unref (self->years);
  g_ptr_array_unref (self->runs);
  g_hash_table_unref (self->mappings);
  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    {
      g_hash_table_unref (self->rows[stream]);
      g_hash_table_unref (self->contents[stream]);
      g_hash_table_unref (self->unmapped[stream]);
    }
  g_hash_table_unref (self->cursors);
  g_hash_table_unref (self->summarized);

  G_OBJECT_CLASS (hs_memory_sink_parent_class)->finalize (object);
}

static void
hs_memory_sink_class_init (HsMemorySinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HsSinkClass *sink_class = HS_SINK_CLASS (klass);

  object_class->get_property = hs_memory_sink_get_property;
  object_class->set_property = hs_memory_sink_set_property;
  object_class->finalize = hs_memory_sink_finalize;

  sink_class->uri_schemes = uri_schemes;
  sink_class->open = hs_memory_sink_open;
  sink_class->try_lock = hs_memory_sink_try_lock;
  sink_class->unlock = hs_memory_sink_unlock;
  sink_class->list_fiscal_years = hs_memory_sink_list_fiscal_years;
  sink_class->create_fiscal_year = hs_memory_sink_create_fiscal_year;
  sink_class->delete_fiscal_year = hs_memory_sink_delete_fiscal_year;
  sink_class->list_agents = hs_memory_sink_list_agents;
  sink_class->set_agent_mapping = hs_memory_sink_set_agent_mapping;
  sink_class->list_runs = hs_memory_sink_list_runs;
  sink_class->save_run = hs_memory_sink_save_run;
  sink_class->begin_run = hs_memory_sink_begin_run;
  sink_class->summarize = hs_memory_sink_summarize;

  properties[PROP_SUMMARY_REBUILDS] =
    g_param_spec_uint ("summary-rebuilds", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMMITS] =
    g_param_spec_uint ("commits", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARIZED] =
    g_param_spec_boolean ("summarized", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hs_memory_sink_init (HsMemorySink *self)
{
  self->years = g_ptr_array_new_with_free_func (g_object_unref);
  self->runs = g_ptr_array_new_with_free_func (g_object_unref);
  self->mappings = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    {
      self->rows[stream] = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
      self->contents[stream] = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
      self->unmapped[stream] = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
    }
  self->cursors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->summarized = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

HS_PLUGIN_DEFINE (hs_memory_sink_get_type)
