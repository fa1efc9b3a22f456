/* SPDX-License-Identifier: LGPL-2.1-or-later */

/*
 * An example HaloSync source: it reads the records of a fiscal year from
 * CSV files instead of HaloPSA, so that data from another ticketing tool
 * (or a spreadsheet) lands in the same dashboards.
 *
 * The directory named by HALOSYNC_CSV_DIR holds one file per stream,
 * named after it: agents.csv, tickets.csv, time_entries.csv (and teams.csv,
 * clients.csv).  A missing file is a stream with no records.  The first
 * line names the columns with the engine's field names (`id,name,...`, see
 * HsAgentField and its siblings); the values are RFC 4180 CSV, timestamps
 * in ISO 8601 with a zone, and an empty value is null.
 *
 * It is built only against the installed <halosync.h> and halosync-1.pc:
 * see README.md next to it.
 */

#include <errno.h>
#include <halosync.h>
#include <string.h>

#define HS_TYPE_CSV_SOURCE (hs_csv_source_get_type ())
G_DECLARE_FINAL_TYPE (HsCsvSource, hs_csv_source, HS, CSV_SOURCE, HsSource)

struct _HsCsvSource
{
  HsSource parent_instance;
};

G_DEFINE_FINAL_TYPE (HsCsvSource, hs_csv_source, HS_TYPE_SOURCE)

/* The rows of one CSV file are pushed in batches of this many, so a large
 * file never sits in memory twice. */
#define BATCH_SIZE 500

static const char *
data_dir (GError **error)
{
  const char *dir = g_getenv ("HALOSYNC_CSV_DIR");

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "Set HALOSYNC_CSV_DIR to the directory that holds the CSV files (now: %s)",
                   dir != NULL ? dir : "unset");
      return NULL;
    }
  return dir;
}

/* Splits one record of @text at *@pos into its fields and moves *@pos past
 * it; quoted fields may hold commas, doubled quotes and line breaks. */
static GPtrArray *
read_record (const char *text,
             gsize      *pos)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE;
  const char *p = text + *pos;

  for (; *p != '\0'; p++)
    {
      if (quoted && *p == '"' && p[1] == '"')
        g_string_append_c (field, *p++);
      else if (*p == '"')
        quoted = !quoted;
      else if (!quoted && *p == ',')
        {
          g_ptr_array_add (fields, g_string_free (field, FALSE));
          field = g_string_new (NULL);
        }
      else if (!quoted && (*p == '\n' || *p == '\r'))
        break;
      else
        g_string_append_c (field, *p);
    }
  g_ptr_array_add (fields, g_string_free (field, FALSE));
  while (*p == '\r' || *p == '\n')
    p++;
  *pos = p - text;
  return fields;
}

static gboolean
parse_timestamp (const char *value,
                 gint64     *usec)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (value, NULL);

  if (time == NULL)
    return FALSE;
  *usec = g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
  return TRUE;
}

/* Stores @value in @field of @row, as the field's type says. */
static gboolean
set_value (HsRecordBatch     *batch,
           guint              row,
           guint              field,
           const HsFieldInfo *info,
           const char        *value)
{
  gint64 number;
  char *end = NULL;
  double real;

  if (*value == '\0')
    {
      hs_record_batch_set_null (batch, row, field);
      return TRUE;
    }
  switch (info->type)
    {
    case HS_FIELD_INT:
      if (!g_ascii_string_to_signed (value, 10, G_MININT64, G_MAXINT64, &number, NULL))
        return FALSE;
      hs_record_batch_set_int (batch, row, field, number);
      return TRUE;
    case HS_FIELD_DOUBLE:
      errno = 0;
      real = g_ascii_strtod (value, &end);
      if (errno != 0 || *end != '\0')
        return FALSE;
      hs_record_batch_set_double (batch, row, field, real);
      return TRUE;
    case HS_FIELD_BOOLEAN:
      if (g_strcmp0 (value, "true") != 0 && g_strcmp0 (value, "false") != 0)
        return FALSE;
      hs_record_batch_set_boolean (batch, row, field, g_str_equal (value, "true"));
      return TRUE;
    case HS_FIELD_TEXT:
      hs_record_batch_set_text (batch, row, field, value);
      return TRUE;
    case HS_FIELD_TIMESTAMP:
      if (!parse_timestamp (value, &number))
        return FALSE;
      hs_record_batch_set_timestamp (batch, row, field, number);
      return TRUE;
    default:
      return FALSE;
    }
}

/* Maps each column of the header line to a field of @stream. */
static GArray *
map_columns (HsStream    stream,
             GPtrArray  *header,
             const char *path,
             GError    **error)
{
  guint n_fields;
  const HsFieldInfo *fields = hs_stream_get_fields (stream, &n_fields);
  g_autoptr(GArray) columns = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint column = 0; column < header->len; column++)
    {
      guint field;

      for (field = 0; field < n_fields; field++)
        if (g_str_equal (fields[field].name, g_ptr_array_index (header, column)))
          break;
      if (field == n_fields)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "%s: the column “%s” is not a field of %s", path,
                       (const char *) g_ptr_array_index (header, column), hs_stream_to_string (stream));
          return NULL;
        }
      g_array_append_val (columns, field);
    }
  return g_steal_pointer (&columns);
}

/* What the reading thread needs of the pull, copied so that it never
 * touches the pull, which belongs to the main thread. */
typedef struct
{
  gint64 start;
  gint64 end;
  gint64 since[HS_N_STREAMS];
} Window;

/* Whether a row belongs in this pull: inside the fiscal year's window, and
 * for an incremental pull changed since the cursor. */
static gboolean
row_wanted (const Window  *window,
            HsRecordBatch *batch,
            guint          row)
{
  HsStream stream = hs_record_batch_get_stream (batch);
  int window_field = hs_stream_get_window_field (stream);
  int cursor_field = hs_stream_get_cursor_field (stream);

  if (window_field >= 0 && !hs_record_batch_is_null (batch, row, window_field))
    {
      gint64 when = hs_record_batch_get_timestamp (batch, row, window_field);

      if (when < window->start || when >= window->end)
        return FALSE;
    }
  return window->since[stream] == 0 || cursor_field < 0 || hs_record_batch_is_null (batch, row, cursor_field) ||
         hs_record_batch_get_timestamp (batch, row, cursor_field) >= window->since[stream];
}

/* Parses the CSV file of @stream into batches; runs in a worker thread,
 * so the file is read without blocking the engine's main loop. */
static gboolean
read_stream (const Window *window,
             HsStream      stream,
             const char   *dir,
             GPtrArray    *batches,
             GError      **error)
{
  g_autofree char *name = g_strconcat (hs_stream_to_string (stream), ".csv", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GArray) columns = NULL;
  g_autoptr(HsRecordBatch) batch = hs_record_batch_new (stream);
  guint n_fields;
  const HsFieldInfo *fields = hs_stream_get_fields (stream, &n_fields);
  gsize length, pos = 0;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TRUE;
  if (!g_file_get_contents (path, &text, &length, error))
    return FALSE;
  header = read_record (text, &pos);
  columns = map_columns (stream, header, path, error);
  if (columns == NULL)
    return FALSE;

  for (guint line = 2; pos < length; line++)
    {
      g_autoptr(GPtrArray) values = read_record (text, &pos);
      guint row = hs_record_batch_append (batch);

      for (guint column = 0; column < MIN (values->len, columns->len); column++)
        {
          guint field = g_array_index (columns, guint, column);

          if (!set_value (batch, row, field, &fields[field], g_ptr_array_index (values, column)))
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s:%u: “%s” is not a valid %s",
                           path, line, (const char *) g_ptr_array_index (values, column), fields[field].name);
              return FALSE;
            }
        }
      if (!row_wanted (window, batch, row))
        hs_record_batch_truncate (batch, row);
      else if (hs_record_batch_get_n_records (batch) == BATCH_SIZE)
        {
          g_ptr_array_add (batches, g_steal_pointer (&batch));
          batch = hs_record_batch_new (stream);
        }
    }
  if (hs_record_batch_get_n_records (batch) > 0)
    g_ptr_array_add (batches, g_steal_pointer (&batch));
  return TRUE;
}

static void
read_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const Window *window = task_data;
  g_autoptr(GPtrArray) batches = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_record_batch_unref);
  GError *error = NULL;
  const char *dir = data_dir (&error);

  for (HsStream stream = 0; dir != NULL && stream < HS_N_STREAMS; stream++)
    if (!read_stream (window, stream, dir, batches, &error))
      break;
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&batches), (GDestroyNotify) g_ptr_array_unref);
}

typedef struct
{
  HsPull *pull;         /* (owned) */
  GPtrArray *batches;   /* (owned) (element-type HsRecordBatch) */
  guint next;
} PullData;

static void
pull_data_free (PullData *data)
{
  g_clear_object (&data->pull);
  g_clear_pointer (&data->batches, g_ptr_array_unref);
  g_free (data);
}

static void push_next (GTask *task);

static void
push_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!hs_pull_push_finish (HS_PULL (object), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  push_next (task);
}

/* Hands the batches over one at a time: the next waits until the sink has
 * taken the last, as the contract asks of every source. */
static void
push_next (GTask *task)
{
  PullData *data = g_task_get_task_data (task);
  HsRecordBatch *batch;
  HsStream stream;

  if (data->next == data->batches->len)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  batch = g_ptr_array_index (data->batches, data->next++);
  stream = hs_record_batch_get_stream (batch);
  if (data->next == 1 || hs_record_batch_get_stream (g_ptr_array_index (data->batches, data->next - 2)) != stream)
    hs_pull_begin_stream (data->pull, stream);
  hs_pull_push_async (data->pull, batch, g_task_get_cancellable (task), push_cb, task);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  PullData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->batches = g_task_propagate_pointer (G_TASK (result), &error);
  if (data->batches == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  push_next (task);
}

static void
hs_csv_source_pull_async (HsSource           *source,
                          HsPull             *pull,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  GTask *task = g_task_new (source, cancellable, callback, user_data);
  g_autoptr(GTask) read = g_task_new (source, cancellable, read_cb, task);
  PullData *data = g_new0 (PullData, 1);
  Window *window = g_new0 (Window, 1);

  data->pull = g_object_ref (pull);
  g_task_set_source_tag (task, hs_csv_source_pull_async);
  g_task_set_task_data (task, data, (GDestroyNotify) pull_data_free);

  window->start = hs_pull_get_window_start (pull);
  window->end = hs_pull_get_window_end (pull);
  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    window->since[stream] = hs_pull_get_since (pull, stream);
  g_task_set_task_data (read, window, g_free);
  g_task_run_in_thread (read, read_thread);
}

static gboolean
hs_csv_source_pull_finish (HsSource     *source,
                           GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The connection test the service runs for the chosen source: is the
 * directory there? */
static void
hs_csv_source_check_async (HsSource           *source,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, hs_csv_source_check_async);
  if (data_dir (&error) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
hs_csv_source_check_finish (HsSource     *source,
                            GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
hs_csv_source_class_init (HsCsvSourceClass *klass)
{
  HsSourceClass *source_class = HS_SOURCE_CLASS (klass);

  source_class->check_async = hs_csv_source_check_async;
  source_class->check_finish = hs_csv_source_check_finish;
  source_class->pull_async = hs_csv_source_pull_async;
  source_class->pull_finish = hs_csv_source_pull_finish;
}

static void
hs_csv_source_init (HsCsvSource *self)
{
}

HS_PLUGIN_DEFINE (hs_csv_source_get_type)
