/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-gda-writer.h"

/* Writes record batches into the synced tables inside a run's
 * transaction, counting exactly what it inserted and what it changed.
 *
 * libgda's cost is per parameter: each value set on a GdaHolder and
 * converted to text again at execution costs it some 3,500 instructions.
 * So the rows reach each provider in as few parameters as it can take:
 *
 * - PostgreSQL: one statement of up to hs_gda_dialect_get_chunk_rows()
 *   rows, prepared once per stream, with one parameter per column that
 *   holds the column's values as an array literal; the server unnests
 *   them into rows.  The number of parameters no longer grows with the
 *   rows, and a batch is one round trip.
 * - SQLite, which has no arrays: multi-row statements of
 *   hs_gda_dialect_get_chunk_rows() rows, prepared once per stream and
 *   row count, one parameter per value.
 *
 * Either way the parameters are set through held GdaHolder pointers.
 *
 * A row whose values are all unchanged, and that is not marked deleted,
 * is left alone, so an identical second run writes nothing: the upsert
 * updates only where the row IS DISTINCT FROM (SQLite: IS NOT) the new
 * values.  What it inserted and what it changed is counted
 *
 * - on PostgreSQL by the statement itself: the upsert's RETURNING
 *   (xmax = 0) tells inserted rows from updated ones in a data-modifying
 *   WITH, and the statement selects both counts;
 * - on SQLite, which has no RETURNING in WITH and where a statement
 *   with hundreds of parameters would copy them all to return rows, by
 *   temporary AFTER INSERT and AFTER UPDATE triggers on the synced
 *   tables, for the run only, that add up in a one-row temporary table
 *   read and reset once per batch.
 *
 * (An UPDATE ... FROM (VALUES ...) followed by INSERT ... ON CONFLICT DO
 * NOTHING counts too, but binds every value twice, and on PostgreSQL
 * the planner joined the VALUES list against the whole table.)
 *
 * In full runs every key written is also kept in a temporary table per
 * stream, which hs_gda_writer_sweep() compares with the window: on
 * PostgreSQL by the upsert itself, one more data-modifying WITH over the
 * same rows, on SQLite by a statement of its own.  All the temporary
 * tables and triggers are created inside the run's transaction, so a
 * rollback removes them too. */

typedef struct
{
  GdaStatement *upsert;   /* (unowned): the connection's statement cache holds it */
  GdaStatement *seen;     /* (unowned) (nullable): records the keys of a full run,
                           * where the upsert does not */
  GdaSet *params;         /* (owned): shared by both statements */
  GdaHolder **cells;      /* (owned): PostgreSQL: one array per field;
                           * SQLite: n_rows × n_fields, row-major */
  GdaHolder *fiscal_year; /* (nullable) */
  GdaHolder *now;
} Chunk;

struct _HsGdaWriter
{
  HsGdaDb *db;                 /* (unowned) */
  const HsGdaDialect *dialect;
  GHashTable *chunks;          /* (owned): stream and row count → Chunk */
  GString *array;              /* (owned): scratch for an array parameter */
  char *fiscal_year;           /* (owned) (nullable): set while a run is open */
  gboolean track_seen;
  gboolean active;
};

static void
chunk_free (Chunk *chunk)
{
  g_clear_object (&chunk->params);
  g_free (chunk->cells);
  g_free (chunk);
}

HsGdaWriter *
hs_gda_writer_new (HsGdaDb *db)
{
  HsGdaWriter *self = g_new0 (HsGdaWriter, 1);

  self->db = db;
  self->dialect = hs_gda_db_get_dialect (db);
  self->chunks = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                        (GDestroyNotify) chunk_free);
  self->array = g_string_new (NULL);
  return self;
}

void
hs_gda_writer_free (HsGdaWriter *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->chunks, g_hash_table_unref);
  g_string_free (self->array, TRUE);
  g_free (self->fiscal_year);
  g_free (self);
}

static gboolean
has_fiscal_year (HsStream stream)
{
  return hs_stream_get_window_field (stream) >= 0;
}

static gboolean
is_sqlite (HsGdaWriter *self)
{
  return hs_gda_dialect_get_provider (self->dialect) == HS_GDA_PROVIDER_SQLITE;
}

static void
append_values (HsGdaWriter *self,
               GString     *sql,
               HsStream     stream,
               guint        n_rows,
               gboolean     keys_only)
{
  const HsFieldInfo *fields;
  guint n_fields;

  fields = hs_stream_get_fields (stream, &n_fields);
  if (keys_only)
    n_fields = hs_stream_get_n_key_fields (stream);

  g_string_append (sql, "VALUES ");
  for (guint r = 0; r < n_rows; r++)
    {
      g_string_append (sql, r > 0 ? ", (" : "(");
      for (guint f = 0; f < n_fields; f++)
        {
          char name[32];

          g_snprintf (name, sizeof name, "r%u_%u", r, f);
          if (f > 0)
            g_string_append (sql, ", ");
          hs_gda_dialect_append_param (self->dialect, sql, name, (HsGdaType) fields[f].type);
        }
      g_string_append_c (sql, ')');
    }
}

static void
append_names (GString           *sql,
              const char        *prefix,
              const HsFieldInfo *fields,
              guint              first,
              guint              last)
{
  for (guint f = first; f < last; f++)
    g_string_append_printf (sql, "%s%s%s", f > first ? ", " : "", prefix, fields[f].name);
}

static void
append_column_list (GString  *sql,
                    HsStream  stream)
{
  const HsFieldInfo *fields;
  guint n_fields;

  fields = hs_stream_get_fields (stream, &n_fields);
  g_string_append_c (sql, '(');
  append_names (sql, "", fields, 0, n_fields);
  if (has_fiscal_year (stream))
    g_string_append (sql, ", fiscal_year");
  g_string_append (sql, ", synced_at, deleted_at)");
}

/* PostgreSQL's rows: one array parameter per field, unnested. */
static void
append_unnest (HsGdaWriter *self,
               GString     *sql,
               HsStream     stream)
{
  const HsFieldInfo *fields;
  guint n_fields;

  fields = hs_stream_get_fields (stream, &n_fields);
  g_string_append (sql, "SELECT * FROM unnest(");
  for (guint f = 0; f < n_fields; f++)
    {
      char name[16];

      g_snprintf (name, sizeof name, "c%u", f);
      if (f > 0)
        g_string_append (sql, ", ");
      hs_gda_dialect_append_array_param (self->dialect, sql, name, (HsGdaType) fields[f].type);
    }
  g_string_append_c (sql, ')');
}

/* The upsert of a chunk: on PostgreSQL of the rows in its array
 * parameters, selecting how many it inserted and updated, and with
 * @with_seen recording the keys for the sweep; on SQLite of @n_rows rows,
 * counted by the run's temporary triggers. */
static char *
build_upsert (HsGdaWriter *self,
              HsStream     stream,
              guint        n_rows,
              gboolean     with_seen)
{
  const char *table = hs_stream_to_string (stream);
  const HsFieldInfo *fields;
  guint n_fields, n_keys;
  GString *sql = g_string_new (NULL);

  fields = hs_stream_get_fields (stream, &n_fields);
  n_keys = hs_stream_get_n_key_fields (stream);

  if (!is_sqlite (self))
    {
      g_string_append (sql, "WITH v (");
      append_names (sql, "", fields, 0, n_fields);
      g_string_append (sql, ") AS (");
      append_unnest (self, sql, stream);
      g_string_append (sql, "), ");
      /* Keys are recorded from the rows, not from RETURNING, which
       * leaves out the rows the upsert found unchanged. */
      if (with_seen)
        {
          g_string_append_printf (sql, "seen AS (INSERT INTO hs_seen_%s (", table);
          append_names (sql, "", fields, 0, n_keys);
          g_string_append (sql, ") SELECT ");
          append_names (sql, "", fields, 0, n_keys);
          g_string_append (sql, " FROM v ON CONFLICT DO NOTHING), ");
        }
      g_string_append (sql, "up AS (");
    }
  g_string_append_printf (sql, "INSERT INTO %s AS t ", table);
  append_column_list (sql, stream);
  g_string_append (sql, " SELECT v.*, ");
  if (has_fiscal_year (stream))
    {
      hs_gda_dialect_append_param (self->dialect, sql, "fy", HS_GDA_TYPE_TEXT);
      g_string_append (sql, ", ");
    }
  hs_gda_dialect_append_param (self->dialect, sql, "now", HS_GDA_TYPE_TIMESTAMP);
  if (is_sqlite (self))
    {
      g_string_append (sql, ", NULL FROM (");
      append_values (self, sql, stream, n_rows, FALSE);
      /* `WHERE true` tells SQLite's parser that ON CONFLICT belongs to
       * the INSERT, not to a join. */
      g_string_append (sql, ") AS v WHERE true");
    }
  else
    g_string_append (sql, ", NULL FROM v");
  g_string_append (sql, " ON CONFLICT (");
  append_names (sql, "", fields, 0, n_keys);
  g_string_append (sql, ") DO UPDATE SET ");
  for (guint f = n_keys; f < n_fields; f++)
    g_string_append_printf (sql, "%s = excluded.%s, ", fields[f].name, fields[f].name);
  if (has_fiscal_year (stream))
    g_string_append (sql, "fiscal_year = excluded.fiscal_year, ");
  g_string_append (sql, "synced_at = excluded.synced_at, deleted_at = NULL WHERE (");
  append_names (sql, "t.", fields, n_keys, n_fields);
  if (has_fiscal_year (stream))
    g_string_append (sql, ", t.fiscal_year");
  g_string_append_printf (sql, ", t.deleted_at) %s (", hs_gda_dialect_get_distinct (self->dialect));
  append_names (sql, "excluded.", fields, n_keys, n_fields);
  if (has_fiscal_year (stream))
    g_string_append (sql, ", excluded.fiscal_year");
  g_string_append (sql, ", excluded.deleted_at)");
  if (!is_sqlite (self))
    g_string_append (sql, " RETURNING (xmax = 0) AS inserted)"
                          " SELECT count(NULLIF(inserted, false)), count(NULLIF(inserted, true)) FROM up");
  return g_string_free (sql, FALSE);
}

static char *
build_seen (HsGdaWriter *self,
            HsStream     stream,
            guint        n_rows)
{
  const HsFieldInfo *fields;
  guint n_fields;
  GString *sql = g_string_new (NULL);

  fields = hs_stream_get_fields (stream, &n_fields);
  g_string_append_printf (sql, "INSERT INTO hs_seen_%s (", hs_stream_to_string (stream));
  append_names (sql, "", fields, 0, hs_stream_get_n_key_fields (stream));
  g_string_append (sql, ") ");
  append_values (self, sql, stream, n_rows, TRUE);
  g_string_append (sql, " ON CONFLICT DO NOTHING");
  return g_string_free (sql, FALSE);
}

static GdaStatement *
prepare_built (HsGdaWriter *self,
               char        *sql,
               GError     **error)
{
  g_autofree char *owned = sql;

  return hs_gda_db_prepare (self->db, owned, error);
}

/* The statements for @n_rows rows of @stream, and their parameters.  On
 * PostgreSQL one statement takes any number of rows, and a full run's
 * upsert records the keys itself (@with_seen), so the two kinds of run
 * use different statements. */
static Chunk *
get_chunk (HsGdaWriter *self,
           HsStream     stream,
           guint        n_rows,
           GError     **error)
{
  gboolean with_seen = self->track_seen && !is_sqlite (self);
  guint n_cells = is_sqlite (self) ? n_rows : 1;
  gpointer key = GUINT_TO_POINTER (((guint) with_seen << 24) | (stream << 16) | n_cells);
  g_autoptr(GdaSet) params = NULL;
  g_autoptr(GPtrArray) names = NULL;
  Chunk *chunk;
  GdaStatement *upsert, *seen = NULL;
  guint n_fields;

  chunk = g_hash_table_lookup (self->chunks, key);
  if (chunk != NULL)
    return chunk;

  hs_stream_get_fields (stream, &n_fields);

  upsert = prepare_built (self, build_upsert (self, stream, n_rows, with_seen), error);
  if (upsert == NULL)
    return NULL;
  if (is_sqlite (self))
    {
      seen = prepare_built (self, build_seen (self, stream, n_rows), error);
      if (seen == NULL)
        return NULL;
    }

  names = g_ptr_array_new_with_free_func (g_free);
  for (guint r = 0; r < n_cells; r++)
    for (guint f = 0; f < n_fields; f++)
      g_ptr_array_add (names, is_sqlite (self) ? g_strdup_printf ("r%u_%u", r, f) : g_strdup_printf ("c%u", f));
  if (has_fiscal_year (stream))
    g_ptr_array_add (names, g_strdup ("fy"));
  g_ptr_array_add (names, g_strdup ("now"));
  params = hs_gda_params_new (names);

  chunk = g_new0 (Chunk, 1);
  chunk->upsert = upsert;
  chunk->seen = seen;
  chunk->cells = g_new0 (GdaHolder *, (gsize) n_cells * n_fields);
  for (guint i = 0; i < n_cells * n_fields; i++)
    chunk->cells[i] = gda_set_get_holder (params, g_ptr_array_index (names, i));
  chunk->fiscal_year = gda_set_get_holder (params, "fy");
  chunk->now = gda_set_get_holder (params, "now");
  chunk->params = g_steal_pointer (&params);

  g_hash_table_insert (self->chunks, key, chunk);
  return chunk;
}

/* SQLite's counts: see the top of this file. */
static gboolean
create_counters (HsGdaWriter *self,
                 GError     **error)
{
  g_autofree char *create = hs_gda_dialect_expand (self->dialect,
                                                   "CREATE TEMP TABLE hs_write_counts"
                                                   " (inserted @INT@ NOT NULL, updated @INT@ NOT NULL)");

  if (!hs_gda_db_exec (self->db, create, NULL, error, NULL) ||
      !hs_gda_db_exec (self->db, "INSERT INTO hs_write_counts VALUES (0, 0)", NULL, error, NULL))
    return FALSE;

  /* SQLite fires AFTER INSERT for the rows an upsert inserts and AFTER
   * UPDATE for those it changes; a sweep, which sets deleted_at, is not
   * a change a batch made. */
  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    {
      const char *table = hs_stream_to_string (stream);
      g_autofree char *on_insert = g_strdup_printf ("CREATE TEMP TRIGGER hs_count_%s_insert"
                                                    " AFTER INSERT ON main.%s BEGIN"
                                                    " UPDATE hs_write_counts SET inserted = inserted + 1; END",
                                                    table, table);
      g_autofree char *on_update = g_strdup_printf ("CREATE TEMP TRIGGER hs_count_%s_update"
                                                    " AFTER UPDATE ON main.%s WHEN NEW.deleted_at IS NULL BEGIN"
                                                    " UPDATE hs_write_counts SET updated = updated + 1; END",
                                                    table, table);

      if (!hs_gda_db_exec (self->db, on_insert, NULL, error, NULL) ||
          !hs_gda_db_exec (self->db, on_update, NULL, error, NULL))
        return FALSE;
    }

  return TRUE;
}

/* Prepares the run's temporary tables and triggers; the caller has
 * just opened the run's transaction. */
gboolean
hs_gda_writer_begin (HsGdaWriter *self,
                     const char  *fiscal_year,
                     gboolean     track_seen,
                     GError     **error)
{
  g_return_val_if_fail (!self->active, FALSE);

  if (is_sqlite (self) && !create_counters (self, error))
    return FALSE;

  if (track_seen)
    {
      for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
        {
          const HsFieldInfo *fields;
          guint n_fields, n_keys;
          g_autoptr(GString) create = g_string_new (NULL);
          g_autofree char *sql = NULL;

          fields = hs_stream_get_fields (stream, &n_fields);
          n_keys = hs_stream_get_n_key_fields (stream);
          g_string_append_printf (create, "CREATE TEMP TABLE hs_seen_%s (", hs_stream_to_string (stream));
          for (guint f = 0; f < n_keys; f++)
            g_string_append_printf (create, "%s @INT@ NOT NULL, ", fields[f].name);
          g_string_append (create, "PRIMARY KEY (");
          append_names (create, "", fields, 0, n_keys);
          g_string_append (create, "))");

          sql = hs_gda_dialect_expand (self->dialect, create->str);
          if (!hs_gda_db_exec (self->db, sql, NULL, error, NULL))
            return FALSE;
        }
    }

  self->fiscal_year = g_strdup (fiscal_year);
  self->track_seen = track_seen;
  self->active = TRUE;
  return TRUE;
}

/* A key twice in one batch would be counted as inserted and then
 * updated on SQLite, and is refused by PostgreSQL's upsert: refuse it
 * the same way on both.  A NULL key is left for the database to refuse. */
static gboolean
check_keys (HsRecordBatch *batch,
            GError       **error)
{
  HsStream stream = hs_record_batch_get_stream (batch);
  guint n_records = hs_record_batch_get_n_records (batch);
  guint n_keys = hs_stream_get_n_key_fields (stream);
  g_autoptr(GHashTable) keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint r = 0; r < n_records; r++)
    {
      GString *text = g_string_new (NULL);
      gboolean has_null = FALSE;
      char *key;

      for (guint f = 0; f < n_keys; f++)
        {
          has_null |= hs_record_batch_is_null (batch, r, f);
          g_string_append_printf (text, "%s%" G_GINT64_FORMAT, f > 0 ? ", " : "",
                                  hs_record_batch_get_int (batch, r, f));
        }

      key = g_string_free (text, FALSE);
      if (has_null)
        {
          g_free (key);
          continue;
        }

      /* On a duplicate the table keeps @key and frees its twin. */
      if (!g_hash_table_add (keys, key))
        {
          g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                       _("The batch of %s holds the key (%s) twice; a batch may hold each record once"),
                       hs_stream_to_string (stream), key);
          return FALSE;
        }
    }

  return TRUE;
}

/* Appends @text as an element of a PostgreSQL array literal: quoted
 * always, so that no text is taken for NULL or split at a comma. */
static void
append_array_element (GString    *array,
                      const char *text)
{
  if (array->len > 1)
    g_string_append_c (array, ',');
  if (text == NULL)
    {
      g_string_append (array, "NULL");
      return;
    }

  g_string_append_c (array, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (array, '\\');
      g_string_append_c (array, *p);
    }
  g_string_append_c (array, '"');
}

static gboolean
bind_rows (HsGdaWriter   *self,
           Chunk         *chunk,
           HsRecordBatch *batch,
           guint          first,
           guint          n_rows,
           GError       **error)
{
  HsStream stream = hs_record_batch_get_stream (batch);
  const HsFieldInfo *fields;
  guint n_fields;
  char buf[HS_GDA_VALUE_BUF];

  fields = hs_stream_get_fields (stream, &n_fields);

  if (!is_sqlite (self))
    {
      for (guint f = 0; f < n_fields; f++)
        {
          g_string_assign (self->array, "{");
          for (guint r = first; r < first + n_rows; r++)
            append_array_element (self->array,
                                  hs_gda_dialect_format_cell (self->dialect, batch, r, f, fields[f].type, buf));
          g_string_append_c (self->array, '}');

          if (!hs_gda_holder_set_string (chunk->cells[f], self->array->str, error))
            return FALSE;
        }
      return TRUE;
    }

  for (guint r = 0; r < n_rows; r++)
    {
      for (guint f = 0; f < n_fields; f++)
        {
          const char *text = hs_gda_dialect_format_cell (self->dialect, batch, first + r, f,
                                                         fields[f].type, buf);

          if (!hs_gda_holder_set_string (chunk->cells[r * n_fields + f], text, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
bind_chunk (HsGdaWriter   *self,
            Chunk         *chunk,
            HsRecordBatch *batch,
            guint          first,
            guint          n_rows,
            gint64         now,
            GError       **error)
{
  char buf[HS_GDA_VALUE_BUF];

  if (!bind_rows (self, chunk, batch, first, n_rows, error))
    return FALSE;

  if (chunk->fiscal_year != NULL &&
      !hs_gda_holder_set_string (chunk->fiscal_year, self->fiscal_year, error))
    return FALSE;

  return hs_gda_holder_set_string (chunk->now,
                                   hs_gda_dialect_format_timestamp (self->dialect, now, buf),
                                   error);
}

/* Reads what the batch's statements inserted and updated on SQLite,
 * and sets the counts back to zero for the next batch. */
static gboolean
read_counts (HsGdaWriter *self,
             guint       *inserted,
             guint       *updated,
             GError     **error)
{
  g_autoptr(GdaDataModel) model = NULL;

  model = hs_gda_db_query (self->db, "SELECT inserted, updated FROM hs_write_counts",
                           (const GType[]) { G_TYPE_INT64, G_TYPE_INT64, G_TYPE_NONE },
                           error, NULL);
  if (model == NULL)
    return FALSE;

  *inserted = (guint) hs_gda_model_get_int (model, 0, 0);
  *updated = (guint) hs_gda_model_get_int (model, 1, 0);

  return hs_gda_db_exec (self->db, "UPDATE hs_write_counts SET inserted = 0, updated = 0",
                         NULL, error, NULL);
}

/* Runs a PostgreSQL chunk, adding what it inserted and updated. */
static gboolean
run_counted (HsGdaWriter *self,
             Chunk       *chunk,
             guint       *inserted,
             guint       *updated,
             GError     **error)
{
  g_autoptr(GdaDataModel) model = NULL;

  model = hs_gda_db_select (self->db, chunk->upsert, chunk->params,
                            (const GType[]) { G_TYPE_INT64, G_TYPE_INT64, G_TYPE_NONE }, error);
  if (model == NULL)
    return FALSE;

  *inserted += (guint) hs_gda_model_get_int (model, 0, 0);
  *updated += (guint) hs_gda_model_get_int (model, 1, 0);
  return TRUE;
}

/* How many of @remaining rows the next statement takes: a full chunk,
 * else on PostgreSQL the rest, and on SQLite the largest power of two
 * that fits.  Every distinct row count is a SQLite statement libgda
 * prepares, with a parameter set it builds in time quadratic in its
 * size, and keeps for the connection's life; this way a stream needs at
 * most a handful, whatever the batch sizes. */
static guint
chunk_size (HsGdaWriter *self,
            guint        remaining)
{
  guint chunk_rows = hs_gda_dialect_get_chunk_rows (self->dialect);
  guint size = 1;

  if (remaining >= chunk_rows)
    return chunk_rows;
  if (!is_sqlite (self))
    return remaining;
  while (size * 2 <= remaining)
    size *= 2;
  return size;
}

/* Upserts @batch, setting the run's fiscal year (on streams bound to
 * fiscal years), synced_at = @now and deleted_at = NULL on the rows it
 * inserts or changes. */
gboolean
hs_gda_writer_write (HsGdaWriter   *self,
                     HsRecordBatch *batch,
                     gint64         now,
                     GCancellable  *cancellable,
                     guint         *inserted,
                     guint         *updated,
                     GError       **error)
{
  HsStream stream = hs_record_batch_get_stream (batch);
  guint n_records = hs_record_batch_get_n_records (batch);
  guint n_inserted = 0, n_updated = 0;

  g_return_val_if_fail (self->active, FALSE);

  if (!check_keys (batch, error))
    return FALSE;

  for (guint first = 0; first < n_records;)
    {
      guint n_rows = chunk_size (self, n_records - first);
      Chunk *chunk;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      chunk = get_chunk (self, stream, n_rows, error);
      if (chunk == NULL || !bind_chunk (self, chunk, batch, first, n_rows, now, error))
        return FALSE;

      if (!is_sqlite (self))
        {
          if (!run_counted (self, chunk, &n_inserted, &n_updated, error))
            return FALSE;
        }
      else if (!hs_gda_db_run (self->db, chunk->upsert, chunk->params, NULL, error) ||
               (self->track_seen && !hs_gda_db_run (self->db, chunk->seen, chunk->params, NULL, error)))
        return FALSE;

      first += n_rows;
    }

  if (is_sqlite (self) && n_records > 0 && !read_counts (self, &n_inserted, &n_updated, error))
    return FALSE;

  *inserted = n_inserted;
  *updated = n_updated;
  return TRUE;
}

static void
append_sweep_condition (HsGdaWriter *self,
                        GString     *sql,
                        HsStream     stream,
                        gboolean     windowed,
                        gboolean     missing)
{
  const char *table = hs_stream_to_string (stream);
  int window_field = hs_stream_get_window_field (stream);
  const HsFieldInfo *fields;
  guint n_fields, n_keys;

  fields = hs_stream_get_fields (stream, &n_fields);
  n_keys = hs_stream_get_n_key_fields (stream);

  g_string_append (sql, " WHERE deleted_at IS NULL");
  if (windowed)
    {
      g_string_append_printf (sql, " AND %s >= ", fields[window_field].name);
      hs_gda_dialect_append_param (self->dialect, sql, "start", HS_GDA_TYPE_TIMESTAMP);
      g_string_append_printf (sql, " AND %s < ", fields[window_field].name);
      hs_gda_dialect_append_param (self->dialect, sql, "end", HS_GDA_TYPE_TIMESTAMP);
    }
  if (missing)
    {
      g_string_append_printf (sql, " AND NOT EXISTS (SELECT 1 FROM hs_seen_%s AS s WHERE ", table);
      for (guint f = 0; f < n_keys; f++)
        g_string_append_printf (sql, "%ss.%s = %s.%s", f > 0 ? " AND " : "",
                                fields[f].name, table, fields[f].name);
      g_string_append_c (sql, ')');
    }
}

static gboolean
count_live (HsGdaWriter *self,
            HsStream     stream,
            gboolean     windowed,
            gboolean     missing,
            const char  *start,
            const char  *end,
            guint64     *count,
            GError     **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GdaDataModel) model = NULL;

  g_string_append_printf (sql, "SELECT count(*) FROM %s", hs_stream_to_string (stream));
  append_sweep_condition (self, sql, stream, windowed, missing);
  if (windowed)
    model = hs_gda_db_query (self->db, sql->str, (const GType[]) { G_TYPE_INT64, G_TYPE_NONE },
                             error, "start", start, "end", end, NULL);
  else
    model = hs_gda_db_query (self->db, sql->str, (const GType[]) { G_TYPE_INT64, G_TYPE_NONE },
                             error, NULL);
  if (model == NULL)
    return FALSE;

  *count = (guint64) hs_gda_model_get_int (model, 0, 0);
  return TRUE;
}

/* Counts the live rows of @stream in the window [@window_start,
 * @window_end) — all live rows for streams without a window field —
 * and those among them this run did not write; with @apply, marks the
 * latter deleted at @now.  Rows are never removed. */
gboolean
hs_gda_writer_sweep (HsGdaWriter *self,
                     HsStream     stream,
                     gint64       window_start,
                     gint64       window_end,
                     gboolean     apply,
                     gint64       now,
                     guint64     *n_window,
                     guint64     *n_missing,
                     GError     **error)
{
  gboolean windowed = hs_stream_get_window_field (stream) >= 0;
  char start[HS_GDA_VALUE_BUF], end[HS_GDA_VALUE_BUF], now_text[HS_GDA_VALUE_BUF];
  g_autoptr(GString) update = NULL;
  int affected;

  g_return_val_if_fail (self->active && self->track_seen, FALSE);

  hs_gda_dialect_format_timestamp (self->dialect, window_start, start);
  hs_gda_dialect_format_timestamp (self->dialect, window_end, end);

  if (!count_live (self, stream, windowed, FALSE, start, end, n_window, error) ||
      !count_live (self, stream, windowed, TRUE, start, end, n_missing, error))
    return FALSE;

  if (!apply || *n_missing == 0)
    return TRUE;

  update = g_string_new (NULL);
  g_string_append_printf (update, "UPDATE %s SET deleted_at = ", hs_stream_to_string (stream));
  hs_gda_dialect_append_param (self->dialect, update, "now", HS_GDA_TYPE_TIMESTAMP);
  append_sweep_condition (self, update, stream, windowed, TRUE);
  hs_gda_dialect_format_timestamp (self->dialect, now, now_text);

  if (windowed)
    {
      if (!hs_gda_db_exec (self->db, update->str, &affected, error,
                           "now", now_text, "start", start, "end", end, NULL))
        return FALSE;
    }
  else if (!hs_gda_db_exec (self->db, update->str, &affected, error, "now", now_text, NULL))
    return FALSE;

  *n_missing = (guint64) affected;
  return TRUE;
}

/* Drops the run's temporary tables and triggers, inside its
 * transaction, before the commit. */
gboolean
hs_gda_writer_end (HsGdaWriter *self,
                   GError     **error)
{
  g_return_val_if_fail (self->active, FALSE);

  if (self->track_seen)
    {
      for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
        {
          g_autofree char *sql = g_strdup_printf ("DROP TABLE hs_seen_%s", hs_stream_to_string (stream));

          if (!hs_gda_db_exec (self->db, sql, NULL, error, NULL))
            return FALSE;
        }
    }

  if (is_sqlite (self))
    {
      for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
        {
          const char *table = hs_stream_to_string (stream);
          g_autofree char *on_insert = g_strdup_printf ("DROP TRIGGER hs_count_%s_insert", table);
          g_autofree char *on_update = g_strdup_printf ("DROP TRIGGER hs_count_%s_update", table);

          if (!hs_gda_db_exec (self->db, on_insert, NULL, error, NULL) ||
              !hs_gda_db_exec (self->db, on_update, NULL, error, NULL))
            return FALSE;
        }

      if (!hs_gda_db_exec (self->db, "DROP TABLE hs_write_counts", NULL, error, NULL))
        return FALSE;
    }

  hs_gda_writer_forget (self);
  return TRUE;
}

/* Forgets the run after its transaction ended; a rollback took the
 * temporary tables with it. */
void
hs_gda_writer_forget (HsGdaWriter *self)
{
  g_clear_pointer (&self->fiscal_year, g_free);
  self->track_seen = FALSE;
  self->active = FALSE;
}
