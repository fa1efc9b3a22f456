/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-gda-writer.h"

/* Writes record batches into the synced tables inside a run's
 * transaction, counting exactly what it inserted and what it changed.
 *
 * libgda's cost is per parameter: each value set on a GdaHolder and
 * converted to text again at execution costs it some 3,500 instructions.
 * So a statement takes up to STATEMENT_ROWS rows in a handful of
 * parameters however many rows it holds, prepared once per stream and
 * set through held GdaHolder pointers; a batch is one statement:
 *
 * - PostgreSQL: one parameter per column, the column's values as an
 *   array literal, which the server unnests into rows;
 * - SQLite, which has no arrays: one parameter, the rows as a JSON
 *   array of arrays, read with json_each().
 *
 * A row whose values are all unchanged, and that is not marked deleted,
 * is left alone, so an identical second run writes nothing: the upsert
 * updates only where the row IS DISTINCT FROM (SQLite: IS NOT) the new
 * values.  What it inserted and what it changed is counted
 *
 * - on PostgreSQL by the statement itself: the upsert's RETURNING
 *   (xmax = 0) tells inserted rows from updated ones in a data-modifying
 *   WITH, and the statement selects both counts;
 * - on SQLite, which has no RETURNING in WITH and whose RETURNING cannot
 *   tell an inserted row from an updated one, by temporary AFTER INSERT
 *   and AFTER UPDATE triggers on the synced tables, for the run only,
 *   that add up in a one-row temporary table read and reset once per
 *   batch.
 *
 * (An UPDATE ... FROM (VALUES ...) followed by INSERT ... ON CONFLICT DO
 * NOTHING counts too, but binds every value twice, and on PostgreSQL
 * the planner joined the VALUES list against the whole table.)
 *
 * A cell the source could not read (hs_record_batch_is_unknown()) keeps
 * the stored value: batches that hold such cells go through a variant of
 * the upsert whose rows carry one more column, a mask of their unknown
 * fields, and which takes each such field from the stored row (null for a
 * new one).  Other batches do not pay for it.
 *
 * In full runs every key written is also kept in a temporary table per
 * stream, which hs_gda_writer_sweep() compares with the year's rows: on
 * PostgreSQL by the upsert itself, one more data-modifying WITH over the
 * same rows, on SQLite by a statement of its own.  All the temporary
 * tables and triggers are created inside the run's transaction, so a
 * rollback removes them too. */

/* Rows per statement, a bound on the text of one parameter: the
 * source's batches (a page of 100 tickets, about 1,500 time entries)
 * each fit in one. */
#define STATEMENT_ROWS 2000

/* A stream's statements and their parameters. */
/* The column of a keep variant's rows that masks their unknown fields. */
#define KEEP_COLUMN "hs_keep"

typedef struct
{
  GdaStatement *upsert;   /* (unowned): the connection's statement cache holds it */
  GdaStatement *seen;     /* (unowned) (nullable): records the keys of a full run,
                           * where the upsert does not */
  GdaSet *params;         /* (owned): shared by both statements */
  GdaHolder **rows;       /* (owned): PostgreSQL: one array per field;
                           * SQLite: one, the JSON rows */
  gboolean keeps;         /* the variant that keeps unknown fields */
  GdaHolder *keep;        /* (nullable): PostgreSQL's array of keep masks */
  GdaHolder *fiscal_year; /* (nullable) */
  GdaHolder *now;
} Statements;

struct _HsGdaWriter
{
  HsGdaDb *db;                 /* (unowned) */
  const HsGdaDialect *dialect;
  GHashTable *statements;      /* (owned): stream and kind of run → Statements */
  GString *text;               /* (owned): scratch for a rows parameter */
  char *fiscal_year;           /* (owned) (nullable): set while a run is open */
  gboolean track_seen;
  gboolean active;
};

static void
statements_free (Statements *statements)
{
  g_clear_object (&statements->params);
  g_free (statements->rows);
  g_free (statements);
}

HsGdaWriter *
hs_gda_writer_new (HsGdaDb *db)
{
  HsGdaWriter *self = g_new0 (HsGdaWriter, 1);

  self->db = db;
  self->dialect = hs_gda_db_get_dialect (db);
  self->statements = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                            (GDestroyNotify) statements_free);
  self->text = g_string_new (NULL);
  return self;
}

void
hs_gda_writer_free (HsGdaWriter *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_string_free (self->text, TRUE);
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

/* The CTE `v` of a statement's rows, named after the stream's fields
 * (and with @keep, the mask of unknown fields last): on PostgreSQL its
 * array parameters unnested, on SQLite the arrays of its JSON parameter
 * taken apart. */
static void
append_rows (HsGdaWriter *self,
             GString     *sql,
             HsStream     stream,
             gboolean     keep)
{
  const HsFieldInfo *fields;
  guint n_fields;

  fields = hs_stream_get_fields (stream, &n_fields);
  g_string_append (sql, "WITH v (");
  append_names (sql, "", fields, 0, n_fields);
  if (keep)
    g_string_append (sql, ", " KEEP_COLUMN);
  if (is_sqlite (self))
    {
      g_string_append (sql, ") AS (SELECT ");
      for (guint f = 0; f < n_fields + (keep ? 1 : 0); f++)
        {
          /* Doubles travel as text (see append_json_value()). */
          if (f < n_fields && fields[f].type == HS_FIELD_DOUBLE)
            g_string_append_printf (sql, "%sCAST(json_extract(value, '$[%u]') AS REAL)", f > 0 ? ", " : "", f);
          else
            g_string_append_printf (sql, "%sjson_extract(value, '$[%u]')", f > 0 ? ", " : "", f);
        }
      g_string_append (sql, " FROM json_each(##rows::string))");
      return;
    }

  g_string_append (sql, ") AS (SELECT * FROM unnest(");
  for (guint f = 0; f < n_fields; f++)
    {
      char name[16];

      g_snprintf (name, sizeof name, "c%u", f);
      if (f > 0)
        g_string_append (sql, ", ");
      hs_gda_dialect_append_array_param (self->dialect, sql, name, (HsGdaType) fields[f].type);
    }
  if (keep)
    {
      g_string_append (sql, ", ");
      hs_gda_dialect_append_array_param (self->dialect, sql, "keep", HS_GDA_TYPE_INT);
    }
  g_string_append (sql, "))");
}

/* The values an upsert inserts: `v`'s, but with @keep an unknown field
 * comes from the stored row of the same key. */
static void
append_values (GString  *sql,
               HsStream  stream,
               gboolean  keep)
{
  const char *table = hs_stream_to_string (stream);
  const HsFieldInfo *fields;
  guint n_fields, n_keys;

  fields = hs_stream_get_fields (stream, &n_fields);
  n_keys = hs_stream_get_n_key_fields (stream);
  if (!keep)
    {
      g_string_append (sql, "v.*");
      return;
    }

  append_names (sql, "v.", fields, 0, n_keys);
  for (guint f = n_keys; f < n_fields; f++)
    {
      g_string_append_printf (sql, ", CASE WHEN (v." KEEP_COLUMN " & %" G_GUINT64_FORMAT ") <> 0"
                                   " THEN (SELECT s.%s FROM %s AS s WHERE ",
                              G_GUINT64_CONSTANT (1) << f, fields[f].name, table);
      for (guint k = 0; k < n_keys; k++)
        g_string_append_printf (sql, "%ss.%s = v.%s", k > 0 ? " AND " : "", fields[k].name, fields[k].name);
      g_string_append_printf (sql, ") ELSE v.%s END", fields[f].name);
    }
}

/* Records the keys of `v` for the sweep. */
static void
append_seen (GString  *sql,
             HsStream  stream)
{
  const HsFieldInfo *fields;
  guint n_fields, n_keys;

  fields = hs_stream_get_fields (stream, &n_fields);
  n_keys = hs_stream_get_n_key_fields (stream);
  g_string_append_printf (sql, "INSERT INTO hs_seen_%s (", hs_stream_to_string (stream));
  append_names (sql, "", fields, 0, n_keys);
  g_string_append (sql, ") SELECT ");
  append_names (sql, "", fields, 0, n_keys);
  /* `WHERE true` tells SQLite's parser that ON CONFLICT belongs to the
   * INSERT, not to a join. */
  g_string_append (sql, " FROM v WHERE true ON CONFLICT DO NOTHING");
}

/* The upsert of a statement's rows: on PostgreSQL selecting how many
 * it inserted and updated, and with @with_seen recording the keys for
 * the sweep; on SQLite counted by the run's temporary triggers. */
static char *
build_upsert (HsGdaWriter *self,
              HsStream     stream,
              gboolean     with_seen,
              gboolean     keep)
{
  const char *table = hs_stream_to_string (stream);
  const HsFieldInfo *fields;
  guint n_fields, n_keys;
  GString *sql = g_string_new (NULL);

  fields = hs_stream_get_fields (stream, &n_fields);
  n_keys = hs_stream_get_n_key_fields (stream);

  append_rows (self, sql, stream, keep);
  if (!is_sqlite (self))
    {
      /* Keys are recorded from the rows, not from RETURNING, which
       * leaves out the rows the upsert found unchanged. */
      if (with_seen)
        {
          g_string_append (sql, ", seen AS (");
          append_seen (sql, stream);
          g_string_append_c (sql, ')');
        }
      g_string_append (sql, ", up AS (");
    }
  g_string_append_printf (sql, " INSERT INTO %s AS t ", table);
  append_column_list (sql, stream);
  g_string_append (sql, " SELECT ");
  append_values (sql, stream, keep);
  g_string_append (sql, ", ");
  if (has_fiscal_year (stream))
    {
      hs_gda_dialect_append_param (self->dialect, sql, "fy", HS_GDA_TYPE_TEXT);
      g_string_append (sql, ", ");
    }
  hs_gda_dialect_append_param (self->dialect, sql, "now", HS_GDA_TYPE_TIMESTAMP);
  g_string_append (sql, ", NULL FROM v WHERE true ON CONFLICT (");
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

/* SQLite's record of the keys, a statement of its own. */
static char *
build_seen (HsGdaWriter *self,
            HsStream     stream,
            gboolean     keep)
{
  GString *sql = g_string_new (NULL);

  append_rows (self, sql, stream, keep);
  g_string_append_c (sql, ' ');
  append_seen (sql, stream);
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

/* The statements of @stream, and their parameters.  On PostgreSQL a
 * full run's upsert records the keys itself, so the two kinds of run
 * use different statements; @keep asks for the variant that keeps
 * unknown fields. */
static Statements *
get_statements (HsGdaWriter *self,
                HsStream     stream,
                gboolean     keep,
                GError     **error)
{
  gboolean with_seen = self->track_seen && !is_sqlite (self);
  gpointer key = GUINT_TO_POINTER (((guint) keep << 9) | ((guint) with_seen << 8) | stream);
  g_autoptr(GdaSet) params = NULL;
  g_autoptr(GPtrArray) names = NULL;
  Statements *statements;
  GdaStatement *upsert, *seen = NULL;
  guint n_fields, n_rows_params;

  statements = g_hash_table_lookup (self->statements, key);
  if (statements != NULL)
    return statements;

  hs_stream_get_fields (stream, &n_fields);

  upsert = prepare_built (self, build_upsert (self, stream, with_seen, keep), error);
  if (upsert == NULL)
    return NULL;
  if (is_sqlite (self))
    {
      seen = prepare_built (self, build_seen (self, stream, keep), error);
      if (seen == NULL)
        return NULL;
    }

  names = g_ptr_array_new_with_free_func (g_free);
  if (is_sqlite (self))
    g_ptr_array_add (names, g_strdup ("rows"));
  else
    for (guint f = 0; f < n_fields; f++)
      g_ptr_array_add (names, g_strdup_printf ("c%u", f));
  n_rows_params = names->len;
  if (keep && !is_sqlite (self))
    g_ptr_array_add (names, g_strdup ("keep"));
  if (has_fiscal_year (stream))
    g_ptr_array_add (names, g_strdup ("fy"));
  g_ptr_array_add (names, g_strdup ("now"));
  params = hs_gda_params_new (names);

  statements = g_new0 (Statements, 1);
  statements->upsert = upsert;
  statements->seen = seen;
  statements->rows = g_new0 (GdaHolder *, n_rows_params);
  for (guint i = 0; i < n_rows_params; i++)
    statements->rows[i] = gda_set_get_holder (params, g_ptr_array_index (names, i));
  statements->keeps = keep;
  statements->keep = gda_set_get_holder (params, "keep");
  statements->fiscal_year = gda_set_get_holder (params, "fy");
  statements->now = gda_set_get_holder (params, "now");
  statements->params = g_steal_pointer (&params);

  g_hash_table_insert (self->statements, key, statements);
  return statements;
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

/* Appends a cell to a row of SQLite's JSON rows: text as a JSON string,
 * integers as JSON numbers, and doubles as JSON strings the statement
 * casts: SQLite 3.40's json_extract() reads a JSON number's fraction with
 * the C library's locale, so under a decimal-comma locale (de_DE) 1.25
 * came back as 1.0, while CAST of text to REAL reads it the same
 * everywhere. */
static void
append_json_value (GString     *json,
                   const char  *text,
                   HsFieldType  type)
{
  if (text == NULL)
    {
      g_string_append (json, "null");
      return;
    }
  if (type != HS_FIELD_TEXT && type != HS_FIELD_DOUBLE)
    {
      g_string_append (json, text);
      return;
    }

  g_string_append_c (json, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (json, '\\');
      if ((guchar) *p < 0x20)
        g_string_append_printf (json, "\\u%04x", (guint) *p);
      else
        g_string_append_c (json, *p);
    }
  g_string_append_c (json, '"');
}

/* The mask of @record's unknown fields, as text. */
static const char *
format_keep_mask (HsRecordBatch *batch,
                  guint          record,
                  guint          n_fields,
                  char           buf[HS_GDA_VALUE_BUF])
{
  guint64 mask = 0;

  for (guint f = 0; f < n_fields; f++)
    if (hs_record_batch_is_unknown (batch, record, f))
      mask |= G_GUINT64_CONSTANT (1) << f;
  g_snprintf (buf, HS_GDA_VALUE_BUF, "%" G_GUINT64_FORMAT, mask);
  return buf;
}

/* Sets the rows parameters to rows [@first, @first + @n_rows) of
 * @batch. */
static gboolean
bind_rows (HsGdaWriter   *self,
           Statements    *statements,
           HsRecordBatch *batch,
           guint          first,
           guint          n_rows,
           GError       **error)
{
  HsStream stream = hs_record_batch_get_stream (batch);
  GString *text = self->text;
  const HsFieldInfo *fields;
  guint n_fields;
  char buf[HS_GDA_VALUE_BUF];

  fields = hs_stream_get_fields (stream, &n_fields);

  if (!is_sqlite (self))
    {
      for (guint f = 0; f < n_fields; f++)
        {
          g_string_assign (text, "{");
          for (guint r = first; r < first + n_rows; r++)
            append_array_element (text, hs_gda_dialect_format_cell (self->dialect, batch, r, f,
                                                                    fields[f].type, buf));
          g_string_append_c (text, '}');

          if (!hs_gda_holder_set_string (statements->rows[f], text->str, error))
            return FALSE;
        }
      if (!statements->keeps)
        return TRUE;

      g_string_assign (text, "{");
      for (guint r = first; r < first + n_rows; r++)
        append_array_element (text, format_keep_mask (batch, r, n_fields, buf));
      g_string_append_c (text, '}');
      return hs_gda_holder_set_string (statements->keep, text->str, error);
    }

  g_string_assign (text, "[");
  for (guint r = first; r < first + n_rows; r++)
    {
      g_string_append (text, r > first ? ",[" : "[");
      for (guint f = 0; f < n_fields; f++)
        {
          if (f > 0)
            g_string_append_c (text, ',');
          append_json_value (text, hs_gda_dialect_format_cell (self->dialect, batch, r, f,
                                                               fields[f].type, buf),
                             fields[f].type);
        }
      if (statements->keeps)
        g_string_append_printf (text, ",%s", format_keep_mask (batch, r, n_fields, buf));
      g_string_append_c (text, ']');
    }
  g_string_append_c (text, ']');
  return hs_gda_holder_set_string (statements->rows[0], text->str, error);
}

static gboolean
bind_statements (HsGdaWriter   *self,
                 Statements    *statements,
                 HsRecordBatch *batch,
                 guint          first,
                 guint          n_rows,
                 gint64         now,
                 GError       **error)
{
  char buf[HS_GDA_VALUE_BUF];

  if (!bind_rows (self, statements, batch, first, n_rows, error))
    return FALSE;

  if (statements->fiscal_year != NULL &&
      !hs_gda_holder_set_string (statements->fiscal_year, self->fiscal_year, error))
    return FALSE;

  return hs_gda_holder_set_string (statements->now,
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

/* Runs PostgreSQL's upsert, adding what it inserted and updated. */
static gboolean
run_counted (HsGdaWriter *self,
             Statements  *statements,
             guint       *inserted,
             guint       *updated,
             GError     **error)
{
  g_autoptr(GdaDataModel) model = NULL;

  model = hs_gda_db_select (self->db, statements->upsert, statements->params,
                            (const GType[]) { G_TYPE_INT64, G_TYPE_INT64, G_TYPE_NONE }, error);
  if (model == NULL)
    return FALSE;

  *inserted += (guint) hs_gda_model_get_int (model, 0, 0);
  *updated += (guint) hs_gda_model_get_int (model, 1, 0);
  return TRUE;
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

  for (guint first = 0; first < n_records; first += STATEMENT_ROWS)
    {
      guint n_rows = MIN (n_records - first, STATEMENT_ROWS);
      Statements *statements;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      statements = get_statements (self, stream, hs_record_batch_has_unknown (batch), error);
      if (statements == NULL || !bind_statements (self, statements, batch, first, n_rows, now, error))
        return FALSE;

      if (!is_sqlite (self))
        {
          if (!run_counted (self, statements, &n_inserted, &n_updated, error))
            return FALSE;
        }
      else if (!hs_gda_db_run (self->db, statements->upsert, statements->params, NULL, error) ||
               (self->track_seen &&
                !hs_gda_db_run (self->db, statements->seen, statements->params, NULL, error)))
        return FALSE;
    }

  if (is_sqlite (self) && n_records > 0 && !read_counts (self, &n_inserted, &n_updated, error))
    return FALSE;

  *inserted = n_inserted;
  *updated = n_updated;
  return TRUE;
}

/* With @missing, the live rows of the run's fiscal year it did not write:
 * those a run of that year wrote last, whatever their dates say now (a
 * ticket leaves the window when Halo's copy changes), and every live row
 * of a stream no year owns.  Without, the live rows whose window field
 * lies in the window, what the source's record counts count. */
static void
append_sweep_condition (HsGdaWriter *self,
                        GString     *sql,
                        HsStream     stream,
                        gboolean     missing)
{
  const char *table = hs_stream_to_string (stream);
  int window_field = hs_stream_get_window_field (stream);
  const HsFieldInfo *fields;
  guint n_fields, n_keys;

  fields = hs_stream_get_fields (stream, &n_fields);
  n_keys = hs_stream_get_n_key_fields (stream);

  g_string_append (sql, " WHERE deleted_at IS NULL");
  if (window_field < 0)
    ;
  else if (missing)
    {
      g_string_append (sql, " AND fiscal_year = ");
      hs_gda_dialect_append_param (self->dialect, sql, "fy", HS_GDA_TYPE_TEXT);
    }
  else
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
            gboolean     missing,
            const char  *start,
            const char  *end,
            guint64     *count,
            GError     **error)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autoptr(GdaDataModel) model = NULL;
  const GType types[] = { G_TYPE_INT64, G_TYPE_NONE };

  g_string_append_printf (sql, "SELECT count(*) FROM %s", hs_stream_to_string (stream));
  append_sweep_condition (self, sql, stream, missing);
  if (!has_fiscal_year (stream))
    model = hs_gda_db_query (self->db, sql->str, types, error, NULL);
  else if (missing)
    model = hs_gda_db_query (self->db, sql->str, types, error, "fy", self->fiscal_year, NULL);
  else
    model = hs_gda_db_query (self->db, sql->str, types, error, "start", start, "end", end, NULL);
  if (model == NULL)
    return FALSE;

  *count = (guint64) hs_gda_model_get_int (model, 0, 0);
  return TRUE;
}

/* Counts the live rows of @stream in the window [@window_start,
 * @window_end) — all live rows for streams without a window field —
 * and the live rows of the run's fiscal year this run did not write; with
 * @apply, marks the latter deleted at @now first, so the window's count is
 * what is left.  Rows are never removed, and a later run that writes one
 * makes it live again. */
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
  char start[HS_GDA_VALUE_BUF], end[HS_GDA_VALUE_BUF], now_text[HS_GDA_VALUE_BUF];
  g_autoptr(GString) update = NULL;
  int affected;

  g_return_val_if_fail (self->active && self->track_seen, FALSE);

  hs_gda_dialect_format_timestamp (self->dialect, window_start, start);
  hs_gda_dialect_format_timestamp (self->dialect, window_end, end);

  if (!count_live (self, stream, TRUE, start, end, n_missing, error))
    return FALSE;

  if (apply && *n_missing > 0)
    {
      update = g_string_new (NULL);
      g_string_append_printf (update, "UPDATE %s SET deleted_at = ", hs_stream_to_string (stream));
      hs_gda_dialect_append_param (self->dialect, update, "now", HS_GDA_TYPE_TIMESTAMP);
      append_sweep_condition (self, update, stream, TRUE);
      hs_gda_dialect_format_timestamp (self->dialect, now, now_text);

      if (has_fiscal_year (stream))
        {
          if (!hs_gda_db_exec (self->db, update->str, &affected, error,
                               "now", now_text, "fy", self->fiscal_year, NULL))
            return FALSE;
        }
      else if (!hs_gda_db_exec (self->db, update->str, &affected, error, "now", now_text, NULL))
        return FALSE;
      *n_missing = (guint64) affected;
    }

  return count_live (self, stream, FALSE, start, end, n_window, error);
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
