/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <json-glib/json-glib.h>

#include "hs-gda-ledger.h"

/* The run ledger, sync_runs: one row per run, with the totals in columns
 * for dashboards and the per-stream detail (counts, remote counts,
 * cursors before and after), the unmapped agents and the kept warnings
 * as a JSON object in `details`.  The row is written from the #HsRun the
 * engine hands over, which stays its one shape.  Every function runs
 * inside a transaction its caller opened. */

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

static char *
build_details (HsRun *run)
{
  const char * const *warnings = hs_run_get_warnings (run);
  GArray *unmapped = hs_run_get_unmapped_agents (run);

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
          json_builder_set_member_name (builder, hs_counter_to_string (counter));
          json_builder_add_int_value (builder, (gint64) hs_run_get_count (run, stream, counter));
        }
      json_builder_set_member_name (builder, "remote_count");
      json_builder_add_int_value (builder, hs_run_get_remote_count (run, stream));
      json_builder_set_member_name (builder, "cursor_before");
      json_builder_add_int_value (builder, hs_run_get_cursor_before (run, stream));
      json_builder_set_member_name (builder, "cursor_after");
      json_builder_add_int_value (builder, hs_run_get_cursor_after (run, stream));
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "unmapped_agents");
  json_builder_begin_array (builder);
  for (guint i = 0; i < unmapped->len; i++)
    json_builder_add_int_value (builder, g_array_index (unmapped, gint64, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  for (guint i = 0; warnings != NULL && warnings[i] != NULL; i++)
    json_builder_add_string_value (builder, warnings[i]);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "current_stream");
  json_builder_add_string_value (builder, hs_stream_to_string (hs_run_get_stream (run)));
  json_builder_set_member_name (builder, "allow_mass_delete");
  json_builder_add_boolean_value (builder, hs_run_get_allow_mass_delete (run));

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

/* Fills the statement's parameters from @run; @texts keeps the
 * formatted numbers alive until the statement ran. */
static gboolean
bind_run (const HsGdaDialect *dialect,
          GdaSet             *params,
          HsRun              *run,
          GPtrArray          *texts,
          GError            **error)
{
  const char *values[G_N_ELEMENTS (columns)];
  const char * const *kept = hs_run_get_warnings (run);
  g_autofree char *warnings = kept != NULL ? g_strjoinv ("\n", (char **) kept) : g_strdup ("");
  char buf[HS_GDA_VALUE_BUF];
  GdaHolder *id;
  guint i = 0;

#define NUMBER(n) (g_ptr_array_add (texts, g_strdup_printf ("%" G_GUINT64_FORMAT, (guint64) (n))), \
                   (const char *) g_ptr_array_index (texts, texts->len - 1))
#define TIMESTAMP(t) ((t) == 0 ? NULL : \
                      (g_ptr_array_add (texts, g_strdup (hs_gda_dialect_format_timestamp (dialect, (t), buf))), \
                       (const char *) g_ptr_array_index (texts, texts->len - 1)))

  values[i++] = hs_run_get_fiscal_year (run);
  values[i++] = hs_trigger_to_string (hs_run_get_trigger (run));
  values[i++] = hs_sync_mode_to_string (hs_run_get_mode (run));
  values[i++] = hs_gda_dialect_format_boolean (dialect, hs_run_get_dry_run (run));
  values[i++] = hs_run_status_to_string (hs_run_get_status (run));
  values[i++] = hs_run_stage_to_string (hs_run_get_stage (run));
  values[i++] = TIMESTAMP (hs_run_get_started_at (run));
  values[i++] = TIMESTAMP (hs_run_get_finished_at (run));
  /* The ledger's total columns; "written" lives in the per-stream details. */
  for (HsCounter counter = 0; counter <= HS_COUNTER_DELETED; counter++)
    values[i++] = NUMBER (hs_run_get_total (run, counter));
  values[i++] = NUMBER (hs_run_get_api_calls (run));
  values[i++] = NUMBER (hs_run_get_n_warnings (run));
  values[i++] = *warnings != '\0' ? warnings : NULL;
  values[i++] = hs_run_get_error_message (run);
  g_ptr_array_add (texts, build_details (run));
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
      g_ptr_array_add (texts, g_strdup_printf ("%" G_GINT64_FORMAT, hs_run_get_id (run)));
      if (!hs_gda_holder_set_string (id, g_ptr_array_index (texts, texts->len - 1), error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
run_statement (HsGdaDb        *db,
               const char     *sql,
               HsRun          *run,
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
      !bind_run (hs_gda_db_get_dialect (db), params, run, texts, error))
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
insert_run (HsGdaDb  *db,
            HsRun    *run,
            gboolean  with_id,
            GError  **error)
{
  g_autofree char *sql = build_insert (hs_gda_db_get_dialect (db), with_id);
  g_autoptr(GdaDataModel) returned = NULL;

  if (with_id)
    return run_statement (db, sql, run, NULL, NULL, error);

  if (hs_gda_db_get_provider (db) == HS_GDA_PROVIDER_POSTGRESQL)
    {
      if (!run_statement (db, sql, run, NULL, &returned, error))
        return FALSE;
    }
  else
    {
      if (!run_statement (db, sql, run, NULL, NULL, error))
        return FALSE;
      returned = hs_gda_db_query (db, "SELECT last_insert_rowid()",
                                  (const GType[]) { G_TYPE_INT64, G_TYPE_NONE }, error, NULL);
      if (returned == NULL)
        return FALSE;
    }

  hs_run_set_id (run, hs_gda_model_get_int (returned, 0, 0));
  return TRUE;
}

/* Writes @run's row: a new row when its id is 0, which then gets the
 * row's id, else the row with its id (inserted again if it is gone). */
gboolean
hs_gda_ledger_save (HsGdaDb *db,
                    HsRun   *run,
                    GError **error)
{
  g_autofree char *update = NULL;
  int affected = 0;

  if (hs_run_get_id (run) == 0)
    return insert_run (db, run, FALSE, error);

  update = build_update (hs_gda_db_get_dialect (db));
  if (!run_statement (db, update, run, &affected, NULL, error))
    return FALSE;

  if (affected == 0)
    return insert_run (db, run, TRUE, error);
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
        hs_run_add_count (run, stream, counter, (guint64) MAX (member_int (object, hs_counter_to_string (counter), 0), 0));
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
  HsSyncMode mode = HS_SYNC_INCREMENTAL;
  HsRunStage stage = HS_RUN_STAGE_DONE;
  const char *fiscal_year = hs_gda_model_get_string (model, 1, row);
  guint64 n_warnings;
  HsRun *run;

  hs_trigger_from_string (hs_gda_model_get_string (model, 2, row), &trigger);
  hs_sync_mode_from_string (hs_gda_model_get_string (model, 3, row), &mode);
  hs_run_status_from_string (hs_gda_model_get_string (model, 5, row), &status);
  hs_run_stage_from_string (hs_gda_model_get_string (model, 6, row), &stage);

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
