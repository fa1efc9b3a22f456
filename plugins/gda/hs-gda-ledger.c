/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <json-glib/json-glib.h>

#include "hs-gda-ledger.h"

/* The run ledger, sync_runs: one row per run, with the totals in columns
 * for dashboards and the per-stream detail (counts, remote counts,
 * cursors before and after), the unmapped agents and the kept warnings
 * as a JSON object in `details`.  Every function runs inside a
 * transaction its caller opened. */

static const char * const counter_names[] = { "fetched", "inserted", "updated", "deleted", "written" };

G_STATIC_ASSERT (G_N_ELEMENTS (counter_names) == HS_N_COUNTERS);

/* The columns written, in order, with the type of each. */
static const struct
{
  const char *name;
  const char *column;
  HsGdaType type;
} columns[] = {
  { "fiscal_year", "fiscal_year", HS_GDA_TYPE_TEXT },
  { "trigger", "\"trigger\"", HS_GDA_TYPE_TEXT },
  { "mode", "mode", HS_GDA_TYPE_TEXT },
  { "dry_run", "dry_run", HS_GDA_TYPE_BOOLEAN },
  { "status", "status", HS_GDA_TYPE_TEXT },
  { "stage", "stage", HS_GDA_TYPE_TEXT },
  { "started_at", "started_at", HS_GDA_TYPE_TIMESTAMP },
  { "finished_at", "finished_at", HS_GDA_TYPE_TIMESTAMP },
  { "fetched", "fetched", HS_GDA_TYPE_INT },
  { "inserted", "inserted", HS_GDA_TYPE_INT },
  { "updated", "updated", HS_GDA_TYPE_INT },
  { "deleted", "deleted", HS_GDA_TYPE_INT },
  { "api_calls", "api_calls", HS_GDA_TYPE_INT },
  { "warnings_count", "warnings_count", HS_GDA_TYPE_INT },
  { "warnings", "warnings", HS_GDA_TYPE_TEXT },
  { "error", "error", HS_GDA_TYPE_TEXT },
  { "details", "details", HS_GDA_TYPE_TEXT },
};

/* Copies what the ledger keeps of @run.  Call on the thread that owns
 * the run. */
HsGdaRunRecord *
hs_gda_run_record_new (HsRun *run)
{
  HsGdaRunRecord *self = g_new0 (HsGdaRunRecord, 1);
  GArray *unmapped = hs_run_get_unmapped_agents (run);
  const char * const *warnings;

  self->id = hs_run_get_id (run);
  self->fiscal_year = g_strdup (hs_run_get_fiscal_year (run));
  self->trigger = hs_run_get_trigger (run);
  self->mode = hs_run_get_mode (run);
  self->dry_run = hs_run_get_dry_run (run);
  self->allow_mass_delete = hs_run_get_allow_mass_delete (run);
  self->status = hs_run_get_status (run);
  self->stage = hs_run_get_stage (run);
  self->stream = hs_run_get_stream (run);
  self->started_at = hs_run_get_started_at (run);
  self->finished_at = hs_run_get_finished_at (run);
  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    {
      for (HsCounter counter = 0; counter < HS_N_COUNTERS; counter++)
        self->counts[stream][counter] = hs_run_get_count (run, stream, counter);
      self->remote_counts[stream] = hs_run_get_remote_count (run, stream);
      self->cursor_before[stream] = hs_run_get_cursor_before (run, stream);
      self->cursor_after[stream] = hs_run_get_cursor_after (run, stream);
    }
  self->api_calls = hs_run_get_api_calls (run);
  self->n_warnings = hs_run_get_n_warnings (run);
  warnings = hs_run_get_warnings (run);
  /* hs_run_get_warnings() is NULL until the first warning. */
  self->warnings = warnings != NULL ? g_strdupv ((char **) warnings) : g_new0 (char *, 1);
  self->unmapped = g_array_copy (unmapped);
  self->error_message = g_strdup (hs_run_get_error_message (run));
  return self;
}

void
hs_gda_run_record_free (HsGdaRunRecord *self)
{
  if (self == NULL)
    return;

  g_free (self->fiscal_year);
  g_strfreev (self->warnings);
  g_clear_pointer (&self->unmapped, g_array_unref);
  g_free (self->error_message);
  g_free (self);
}

guint64
hs_gda_run_record_get_total (HsGdaRunRecord *self,
                             HsCounter       counter)
{
  guint64 total = 0;

  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    total += self->counts[stream][counter];
  return total;
}

static const char *
enum_nick (GType type,
           int   value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *enum_value = g_enum_get_value (klass, value);
  const char *nick = enum_value != NULL ? enum_value->value_nick : NULL;

  g_type_class_unref (klass);
  return nick;
}

static gboolean
enum_from_nick (GType       type,
                const char *nick,
                int        *value)
{
  GEnumClass *klass = g_type_class_ref (type);
  GEnumValue *enum_value = nick != NULL ? g_enum_get_value_by_nick (klass, nick) : NULL;

  if (enum_value != NULL)
    *value = enum_value->value;
  g_type_class_unref (klass);
  return enum_value != NULL;
}

static char *
build_details (HsGdaRunRecord *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "streams");
  json_builder_begin_object (builder);
  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    {
      json_builder_set_member_name (builder, hs_stream_to_string (stream));
      json_builder_begin_object (builder);
      for (HsCounter counter = 0; counter < HS_N_COUNTERS; counter++)
        {
          json_builder_set_member_name (builder, counter_names[counter]);
          json_builder_add_int_value (builder, (gint64) self->counts[stream][counter]);
        }
      json_builder_set_member_name (builder, "remote_count");
      json_builder_add_int_value (builder, self->remote_counts[stream]);
      json_builder_set_member_name (builder, "cursor_before");
      json_builder_add_int_value (builder, self->cursor_before[stream]);
      json_builder_set_member_name (builder, "cursor_after");
      json_builder_add_int_value (builder, self->cursor_after[stream]);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "unmapped_agents");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->unmapped->len; i++)
    json_builder_add_int_value (builder, g_array_index (self->unmapped, gint64, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  for (guint i = 0; self->warnings[i] != NULL; i++)
    json_builder_add_string_value (builder, self->warnings[i]);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "current_stream");
  json_builder_add_string_value (builder, hs_stream_to_string (self->stream));
  json_builder_set_member_name (builder, "allow_mass_delete");
  json_builder_add_boolean_value (builder, self->allow_mass_delete);

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
append_params (const HsGdaDialect *dialect,
               GString            *sql,
               gboolean            with_id)
{
  if (with_id)
    {
      hs_gda_dialect_append_param (dialect, sql, "id", HS_GDA_TYPE_INT);
      g_string_append (sql, ", ");
    }
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      if (i > 0)
        g_string_append (sql, ", ");
      hs_gda_dialect_append_param (dialect, sql, columns[i].name, columns[i].type);
    }
}

static char *
build_insert (const HsGdaDialect *dialect,
              gboolean            with_id)
{
  GString *sql = g_string_new ("INSERT INTO sync_runs (");

  if (with_id)
    g_string_append (sql, "id, ");
  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    g_string_append_printf (sql, "%s%s", i > 0 ? ", " : "", columns[i].column);
  g_string_append (sql, ") VALUES (");
  append_params (dialect, sql, with_id);
  g_string_append_c (sql, ')');
  if (!with_id && hs_gda_dialect_get_provider (dialect) == HS_GDA_PROVIDER_POSTGRESQL)
    g_string_append (sql, " RETURNING id");
  return g_string_free (sql, FALSE);
}

static char *
build_update (const HsGdaDialect *dialect)
{
  GString *sql = g_string_new ("UPDATE sync_runs SET ");

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_string_append_printf (sql, "%s%s = ", i > 0 ? ", " : "", columns[i].column);
      hs_gda_dialect_append_param (dialect, sql, columns[i].name, columns[i].type);
    }
  g_string_append (sql, " WHERE id = ");
  hs_gda_dialect_append_param (dialect, sql, "id", HS_GDA_TYPE_INT);
  return g_string_free (sql, FALSE);
}

/* Fills the statement's parameters from @record; @texts keeps the
 * formatted numbers alive until the statement ran. */
static gboolean
bind_record (const HsGdaDialect *dialect,
             GdaSet             *params,
             HsGdaRunRecord     *record,
             GPtrArray          *texts,
             GError            **error)
{
  const char *values[G_N_ELEMENTS (columns)];
  g_autofree char *warnings = g_strjoinv ("\n", record->warnings);
  char buf[HS_GDA_VALUE_BUF];
  GdaHolder *id;
  guint i = 0;

#define NUMBER(n) (g_ptr_array_add (texts, g_strdup_printf ("%" G_GUINT64_FORMAT, (guint64) (n))), \
                   (const char *) g_ptr_array_index (texts, texts->len - 1))
#define TIMESTAMP(t) ((t) == 0 ? NULL : \
                      (g_ptr_array_add (texts, g_strdup (hs_gda_dialect_format_timestamp (dialect, (t), buf))), \
                       (const char *) g_ptr_array_index (texts, texts->len - 1)))

  values[i++] = record->fiscal_year;
  values[i++] = hs_trigger_to_string (record->trigger);
  values[i++] = enum_nick (HS_TYPE_SYNC_MODE, record->mode);
  values[i++] = hs_gda_dialect_format_boolean (dialect, record->dry_run);
  values[i++] = hs_run_status_to_string (record->status);
  values[i++] = hs_run_stage_to_string (record->stage);
  values[i++] = TIMESTAMP (record->started_at);
  values[i++] = TIMESTAMP (record->finished_at);
  /* The ledger's total columns; "written" lives in the per-stream details. */
  for (HsCounter counter = 0; counter <= HS_COUNTER_DELETED; counter++)
    values[i++] = NUMBER (hs_gda_run_record_get_total (record, counter));
  values[i++] = NUMBER (record->api_calls);
  values[i++] = NUMBER (record->n_warnings);
  values[i++] = *warnings != '\0' ? warnings : NULL;
  values[i++] = record->error_message;
  g_ptr_array_add (texts, build_details (record));
  values[i++] = g_ptr_array_index (texts, texts->len - 1);

#undef NUMBER
#undef TIMESTAMP

  g_assert (i == G_N_ELEMENTS (columns));

  for (i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      if (!hs_gda_holder_set_string (gda_set_get_holder (params, columns[i].name), values[i], error))
        return FALSE;
    }

  id = gda_set_get_holder (params, "id");
  if (id != NULL)
    {
      g_ptr_array_add (texts, g_strdup_printf ("%" G_GINT64_FORMAT, record->id));
      if (!hs_gda_holder_set_string (id, g_ptr_array_index (texts, texts->len - 1), error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
run_record_statement (HsGdaDb        *db,
                      const char     *sql,
                      HsGdaRunRecord *record,
                      int            *affected,
                      GdaDataModel  **returned,
                      GError        **error)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GdaSet) params = NULL;
  GdaStatement *statement;

  statement = hs_gda_db_prepare (db, sql, error);
  if (statement == NULL)
    return FALSE;

  params = hs_gda_db_new_params (db, statement, error);
  if (params == NULL ||
      !bind_record (hs_gda_db_get_dialect (db), params, record, texts, error))
    return FALSE;

  if (returned != NULL)
    {
      *returned = hs_gda_db_select (db, statement, params,
                                    (const GType[]) { G_TYPE_INT64, G_TYPE_NONE }, error);
      return *returned != NULL;
    }
  return hs_gda_db_run (db, statement, params, affected, error);
}

static gboolean
insert_record (HsGdaDb        *db,
               HsGdaRunRecord *record,
               gboolean        with_id,
               gint64         *id,
               GError        **error)
{
  g_autofree char *sql = build_insert (hs_gda_db_get_dialect (db), with_id);
  g_autoptr(GdaDataModel) returned = NULL;

  if (with_id)
    {
      *id = record->id;
      return run_record_statement (db, sql, record, NULL, NULL, error);
    }

  if (hs_gda_db_get_provider (db) == HS_GDA_PROVIDER_POSTGRESQL)
    {
      if (!run_record_statement (db, sql, record, NULL, &returned, error))
        return FALSE;
    }
  else
    {
      if (!run_record_statement (db, sql, record, NULL, NULL, error))
        return FALSE;
      returned = hs_gda_db_query (db, "SELECT last_insert_rowid()",
                                  (const GType[]) { G_TYPE_INT64, G_TYPE_NONE }, error, NULL);
      if (returned == NULL)
        return FALSE;
    }

  *id = hs_gda_model_get_int (returned, 0, 0);
  return TRUE;
}

/* Writes @record's row: a new row when its id is 0, else the row with
 * its id (inserted again if it is gone, as after a rolled-back run).
 * @id receives the row's id. */
gboolean
hs_gda_ledger_save (HsGdaDb        *db,
                    HsGdaRunRecord *record,
                    gint64         *id,
                    GError        **error)
{
  g_autofree char *update = NULL;
  int affected = 0;

  if (record->id == 0)
    return insert_record (db, record, FALSE, id, error);

  update = build_update (hs_gda_db_get_dialect (db));
  if (!run_record_statement (db, update, record, &affected, NULL, error))
    return FALSE;

  if (affected == 0)
    return insert_record (db, record, TRUE, id, error);

  *id = record->id;
  return TRUE;
}

static gint64
member_int (JsonObject *object,
            const char *name,
            gint64      fallback)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (node);
}

static void
apply_details (HsRun      *run,
               const char *details)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *streams;
  JsonArray *array;
  const char *current;
  HsStream stream;

  /* A ledger row whose details a person edited beyond reading still
   * lists, with what its columns say. */
  if (details == NULL || !json_parser_load_from_data (parser, details, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;

  root = json_node_get_object (json_parser_get_root (parser));
  streams = json_object_get_object_member (root, "streams");
  for (stream = 0; stream < HS_N_STREAMS; stream++)
    {
      JsonObject *object = streams != NULL ? json_object_get_object_member (streams, hs_stream_to_string (stream)) : NULL;

      if (object == NULL)
        continue;
      for (HsCounter counter = 0; counter < HS_N_COUNTERS; counter++)
        hs_run_add_count (run, stream, counter, (guint64) MAX (member_int (object, counter_names[counter], 0), 0));
      hs_run_set_remote_count (run, stream, member_int (object, "remote_count", -1));
      hs_run_set_cursor_before (run, stream, member_int (object, "cursor_before", 0));
      hs_run_set_cursor_after (run, stream, member_int (object, "cursor_after", 0));
    }

  array = json_object_get_array_member (root, "unmapped_agents");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    hs_run_add_unmapped_agent (run, json_array_get_int_element (array, i));

  array = json_object_get_array_member (root, "warnings");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    hs_run_add_warning (run, json_array_get_string_element (array, i));

  current = json_object_get_string_member_with_default (root, "current_stream", NULL);
  if (current != NULL && hs_stream_from_string (current, &stream))
    hs_run_set_stream (run, stream);
  hs_run_set_allow_mass_delete (run, json_object_get_boolean_member_with_default (root, "allow_mass_delete", FALSE));
}

static HsRun *
run_from_row (GdaDataModel *model,
              int           row)
{
  HsTrigger trigger = HS_TRIGGER_MANUAL;
  HsRunStatus status = HS_RUN_FAILED;
  int mode = HS_SYNC_INCREMENTAL;
  int stage = HS_RUN_STAGE_DONE;
  const char *fiscal_year = hs_gda_model_get_string (model, 1, row);
  guint64 n_warnings;
  HsRun *run;

  hs_trigger_from_string (hs_gda_model_get_string (model, 2, row), &trigger);
  enum_from_nick (HS_TYPE_SYNC_MODE, hs_gda_model_get_string (model, 3, row), &mode);
  hs_run_status_from_string (hs_gda_model_get_string (model, 5, row), &status);
  enum_from_nick (HS_TYPE_RUN_STAGE, hs_gda_model_get_string (model, 6, row), &stage);

  run = hs_run_new (fiscal_year != NULL ? fiscal_year : "", trigger, mode,
                    hs_gda_model_get_int (model, 4, row) != 0);
  hs_run_set_id (run, hs_gda_model_get_int (model, 0, row));
  hs_run_set_status (run, status);
  hs_run_set_stage (run, stage);
  hs_run_set_started_at (run, hs_gda_model_get_int (model, 7, row));
  hs_run_set_finished_at (run, hs_gda_model_get_int (model, 8, row));
  hs_run_add_api_calls (run, (guint) hs_gda_model_get_int (model, 9, row));
  hs_run_set_error_message (run, hs_gda_model_get_string (model, 11, row));
  apply_details (run, hs_gda_model_get_string (model, 12, row));

  /* The ledger keeps only the warnings the run kept; the rest count. */
  n_warnings = (guint64) MAX (hs_gda_model_get_int (model, 10, row), 0);
  while (hs_run_get_n_warnings (run) < n_warnings)
    hs_run_add_warning (run, "");

  return run;
}

/* Returns: (transfer container) (element-type HsRun): up to @limit runs,
 *   newest first */
GPtrArray *
hs_gda_ledger_list (HsGdaDb *db,
                    guint    limit,
                    GError **error)
{
  const HsGdaDialect *dialect = hs_gda_db_get_dialect (db);
  g_autoptr(GString) sql = g_string_new ("SELECT id, fiscal_year, \"trigger\", mode, ");
  g_autoptr(GdaDataModel) model = NULL;
  g_autoptr(GPtrArray) runs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *limit_text = g_strdup_printf ("%u", limit);
  int n_rows;

  hs_gda_dialect_append_column (dialect, sql, "dry_run", HS_GDA_TYPE_BOOLEAN);
  g_string_append (sql, ", status, stage, ");
  hs_gda_dialect_append_column (dialect, sql, "started_at", HS_GDA_TYPE_TIMESTAMP);
  g_string_append (sql, ", ");
  hs_gda_dialect_append_column (dialect, sql, "finished_at", HS_GDA_TYPE_TIMESTAMP);
  g_string_append (sql, ", api_calls, warnings_count, error, details FROM sync_runs ORDER BY id DESC LIMIT ");
  hs_gda_dialect_append_param (dialect, sql, "limit", HS_GDA_TYPE_INT);

  model = hs_gda_db_query (db, sql->str,
                           (const GType[]) { G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                                             G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING,
                                             G_TYPE_INT64, G_TYPE_INT64, G_TYPE_INT64, G_TYPE_INT64,
                                             G_TYPE_STRING, G_TYPE_STRING, G_TYPE_NONE },
                           error, "limit", limit_text, NULL);
  if (model == NULL)
    return NULL;

  n_rows = gda_data_model_get_n_rows (model);
  for (int row = 0; row < n_rows; row++)
    g_ptr_array_add (runs, run_from_row (model, row));

  return g_steal_pointer (&runs);
}

/**
 * hs_gda_ledger_interrupt_running:
 * @db: a database in an open transaction
 * @now: when the runs are found dead, in µs since the epoch
 * @message: why, for the runs' error
 * @error: return location for an error
 *
 * Ends every run the ledger still shows as running with the status
 * `interrupted`.  Only call it while holding the run lock: then no live
 * program is running any of them.
 *
 * Returns: %TRUE on success
 */
gboolean
hs_gda_ledger_interrupt_running (HsGdaDb    *db,
                                 gint64      now,
                                 const char *message,
                                 GError    **error)
{
  const HsGdaDialect *dialect = hs_gda_db_get_dialect (db);
  g_autofree char *sql = NULL;
  char now_text[HS_GDA_VALUE_BUF];
  int affected = 0;

  sql = hs_gda_dialect_expand (dialect,
                               "UPDATE sync_runs SET status = 'interrupted', stage = 'done',"
                               " finished_at = CAST(##now::string::null AS @TS@),"
                               " error = CAST(##message::string::null AS @TEXT@)"
                               " WHERE status = 'running'");
  if (!hs_gda_db_exec (db, sql, &affected, error,
                       "now", hs_gda_dialect_format_timestamp (dialect, now, now_text),
                       "message", message, NULL))
    return FALSE;

  if (affected > 0)
    g_message ("Marked %d run(s) interrupted: their program stopped before they finished", affected);
  return TRUE;
}
