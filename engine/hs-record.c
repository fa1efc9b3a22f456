/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "hs-record.h"

typedef struct
{
  const char *name;
  const HsFieldInfo *fields;
  guint n_fields;
  guint n_key_fields;
  int cursor_field;
  int window_field;
  int agent_field;
  int member_field;
} HsStreamInfo;

static const HsFieldInfo agent_fields[] = {
  { "id", HS_FIELD_INT },
  { "name", HS_FIELD_TEXT },
  { "email", HS_FIELD_TEXT },
  { "team", HS_FIELD_TEXT },
  { "disabled", HS_FIELD_BOOLEAN },
};

static const HsFieldInfo team_fields[] = {
  { "id", HS_FIELD_INT },
  { "name", HS_FIELD_TEXT },
  { "department", HS_FIELD_TEXT },
  { "inactive", HS_FIELD_BOOLEAN },
};

static const HsFieldInfo client_fields[] = {
  { "id", HS_FIELD_INT },
  { "name", HS_FIELD_TEXT },
  { "toplevel", HS_FIELD_TEXT },
  { "inactive", HS_FIELD_BOOLEAN },
};

static const HsFieldInfo ticket_fields[] = {
  { "id", HS_FIELD_INT },
  { "summary", HS_FIELD_TEXT },
  { "status_id", HS_FIELD_INT },
  { "status", HS_FIELD_TEXT },
  { "ticket_type", HS_FIELD_TEXT },
  { "client_id", HS_FIELD_INT },
  { "client_name", HS_FIELD_TEXT },
  { "agent_id", HS_FIELD_INT },
  { "team", HS_FIELD_TEXT },
  { "opened_at", HS_FIELD_TIMESTAMP },
  { "closed_at", HS_FIELD_TIMESTAMP },
  { "last_update", HS_FIELD_TIMESTAMP },
  { "hours", HS_FIELD_DOUBLE },
  { "member", HS_FIELD_TEXT },
};

static const HsFieldInfo time_entry_fields[] = {
  { "ticket_id", HS_FIELD_INT },
  { "action_id", HS_FIELD_INT },
  { "agent_id", HS_FIELD_INT },
  { "started_at", HS_FIELD_TIMESTAMP },
  { "hours", HS_FIELD_DOUBLE },
  { "billable", HS_FIELD_BOOLEAN },
  { "member", HS_FIELD_TEXT },
};

G_STATIC_ASSERT (G_N_ELEMENTS (agent_fields) == HS_AGENT_DISABLED + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (team_fields) == HS_TEAM_INACTIVE + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (client_fields) == HS_CLIENT_INACTIVE + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (ticket_fields) == HS_TICKET_MEMBER + 1);
G_STATIC_ASSERT (G_N_ELEMENTS (time_entry_fields) == HS_TIME_ENTRY_MEMBER + 1);

static const HsStreamInfo streams[HS_N_STREAMS] = {
  [HS_STREAM_AGENTS] = { "agents", agent_fields, G_N_ELEMENTS (agent_fields), 1, -1, -1, HS_AGENT_ID, -1 },
  [HS_STREAM_TEAMS] = { "teams", team_fields, G_N_ELEMENTS (team_fields), 1, -1, -1, -1, -1 },
  [HS_STREAM_CLIENTS] = { "clients", client_fields, G_N_ELEMENTS (client_fields), 1, -1, -1, -1, -1 },
  [HS_STREAM_TICKETS] = { "tickets", ticket_fields, G_N_ELEMENTS (ticket_fields), 1, HS_TICKET_LAST_UPDATE, HS_TICKET_OPENED_AT, HS_TICKET_AGENT_ID, HS_TICKET_MEMBER },
  [HS_STREAM_TIME_ENTRIES] = { "time_entries", time_entry_fields, G_N_ELEMENTS (time_entry_fields), 2, -1, HS_TIME_ENTRY_STARTED_AT, HS_TIME_ENTRY_AGENT_ID, HS_TIME_ENTRY_MEMBER },
};

/**
 * hs_stream_to_string:
 * @stream: a stream
 *
 * Returns: the stream's name, which is also its table name in a sink
 */
const char *
hs_stream_to_string (HsStream stream)
{
  g_return_val_if_fail (stream < HS_N_STREAMS, NULL);

  return streams[stream].name;
}

/**
 * hs_stream_from_string:
 * @name: a stream name such as "tickets"
 * @stream: (out): the stream
 *
 * Returns: %TRUE if @name names a stream
 */
gboolean
hs_stream_from_string (const char *name,
                       HsStream   *stream)
{
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (stream != NULL, FALSE);

  for (guint i = 0; i < HS_N_STREAMS; i++)
    {
      if (strcmp (streams[i].name, name) == 0)
        {
          *stream = i;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * hs_stream_get_fields:
 * @stream: a stream
 * @n_fields: (out): the number of fields
 *
 * The key fields come first; see hs_stream_get_n_key_fields().
 *
 * Returns: (array length=n_fields) (transfer none): the stream's schema
 */
const HsFieldInfo *
hs_stream_get_fields (HsStream stream,
                      guint   *n_fields)
{
  g_return_val_if_fail (stream < HS_N_STREAMS, NULL);
  g_return_val_if_fail (n_fields != NULL, NULL);

  *n_fields = streams[stream].n_fields;
  return streams[stream].fields;
}

/**
 * hs_stream_get_n_key_fields:
 * @stream: a stream
 *
 * Returns: how many leading fields form the stream's primary key
 */
guint
hs_stream_get_n_key_fields (HsStream stream)
{
  g_return_val_if_fail (stream < HS_N_STREAMS, 0);

  return streams[stream].n_key_fields;
}

/**
 * hs_stream_get_cursor_field:
 * @stream: a stream
 *
 * Returns: the timestamp field that incremental runs resume from, or -1
 *   if the stream is always read in full
 */
int
hs_stream_get_cursor_field (HsStream stream)
{
  g_return_val_if_fail (stream < HS_N_STREAMS, -1);

  return streams[stream].cursor_field;
}

/**
 * hs_stream_get_window_field:
 * @stream: a stream
 *
 * A record belongs to a fiscal year's window when this timestamp lies in
 * it.  Deletion checks and reconciliation only consider such records.
 *
 * Returns: the field, or -1 if the stream is not bound to fiscal years
 */
int
hs_stream_get_window_field (HsStream stream)
{
  g_return_val_if_fail (stream < HS_N_STREAMS, -1);

  return streams[stream].window_field;
}

/**
 * hs_stream_get_agent_field:
 * @stream: a stream
 *
 * Returns: the field holding a Halo agent id, or -1
 */
int
hs_stream_get_agent_field (HsStream stream)
{
  g_return_val_if_fail (stream < HS_N_STREAMS, -1);

  return streams[stream].agent_field;
}

/**
 * hs_stream_get_member_field:
 * @stream: a stream
 *
 * Returns: the field the engine fills with the mapped team member, or -1
 */
int
hs_stream_get_member_field (HsStream stream)
{
  g_return_val_if_fail (stream < HS_N_STREAMS, -1);

  return streams[stream].member_field;
}

typedef union
{
  gint64 i;
  double d;
  const char *s;
} HsCell;

struct _HsRecordBatch
{
  gatomicrefcount ref_count;
  HsStream stream;
  guint n_fields;
  guint n_records;
  guint capacity;
  HsCell *cells;       /* n_records × n_fields, row-major */
  guint8 *nulls;       /* one byte per cell: CELL_VALUE, CELL_NULL or CELL_UNKNOWN */
  gboolean has_unknown;
  GStringChunk *text;  /* (owned) (nullable): created on the first text value */
};

G_DEFINE_BOXED_TYPE (HsRecordBatch, hs_record_batch, hs_record_batch_ref, hs_record_batch_unref)

/* What a cell's null byte says.  An unknown cell holds no value either,
 * so readers that only ask hs_record_batch_is_null() are safe. */
enum
{
  CELL_VALUE,
  CELL_NULL,
  CELL_UNKNOWN,
};

/**
 * hs_record_batch_new:
 * @stream: the stream the records belong to
 *
 * Returns: (transfer full): an empty batch
 */
HsRecordBatch *
hs_record_batch_new (HsStream stream)
{
  HsRecordBatch *self;

  g_return_val_if_fail (stream < HS_N_STREAMS, NULL);

  self = g_new0 (HsRecordBatch, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->stream = stream;
  self->n_fields = streams[stream].n_fields;
  return self;
}

/**
 * hs_record_batch_ref:
 * @self: a batch
 *
 * Returns: (transfer full): @self
 */
HsRecordBatch *
hs_record_batch_ref (HsRecordBatch *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

/**
 * hs_record_batch_unref:
 * @self: (transfer full): a batch
 */
void
hs_record_batch_unref (HsRecordBatch *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->cells);
  g_free (self->nulls);
  g_clear_pointer (&self->text, g_string_chunk_free);
  g_free (self);
}

/**
 * hs_record_batch_get_stream:
 * @self: a batch
 *
 * Returns: the stream of the batch's records
 */
HsStream
hs_record_batch_get_stream (HsRecordBatch *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->stream;
}

/**
 * hs_record_batch_get_n_records:
 * @self: a batch
 *
 * Returns: the number of records
 */
guint
hs_record_batch_get_n_records (HsRecordBatch *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_records;
}

/**
 * hs_record_batch_append:
 * @self: a batch
 *
 * Adds a record whose fields are all null.
 *
 * Returns: the index of the new record
 */
guint
hs_record_batch_append (HsRecordBatch *self)
{
  gsize first;

  g_return_val_if_fail (self != NULL, 0);

  if (self->n_records == self->capacity)
    {
      self->capacity = MAX (16, self->capacity * 2);
      self->cells = g_renew (HsCell, self->cells, (gsize) self->capacity * self->n_fields);
      self->nulls = g_renew (guint8, self->nulls, (gsize) self->capacity * self->n_fields);
    }

  first = (gsize) self->n_records * self->n_fields;
  memset (&self->cells[first], 0, sizeof (HsCell) * self->n_fields);
  memset (&self->nulls[first], CELL_NULL, self->n_fields);
  return self->n_records++;
}

/**
 * hs_record_batch_truncate:
 * @self: a batch
 * @n_records: the number of records to keep
 *
 * Drops the records from @n_records on, for example a record whose parsing
 * failed half-way.  Text they held stays in the arena until the batch is
 * freed.
 */
void
hs_record_batch_truncate (HsRecordBatch *self,
                          guint          n_records)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (n_records <= self->n_records);

  self->n_records = n_records;
}

static inline gsize
cell_index (HsRecordBatch *self,
            guint          record,
            guint          field)
{
  return (gsize) record * self->n_fields + field;
}

#define CHECK_CELL(self, record, field, field_type, val) \
  G_STMT_START { \
    g_return_val_if_fail ((self) != NULL, val); \
    g_return_val_if_fail ((record) < (self)->n_records, val); \
    g_return_val_if_fail ((field) < (self)->n_fields, val); \
    g_return_val_if_fail (streams[(self)->stream].fields[(field)].type == (field_type), val); \
  } G_STMT_END

#define CHECK_CELL_VOID(self, record, field, field_type) \
  G_STMT_START { \
    g_return_if_fail ((self) != NULL); \
    g_return_if_fail ((record) < (self)->n_records); \
    g_return_if_fail ((field) < (self)->n_fields); \
    g_return_if_fail (streams[(self)->stream].fields[(field)].type == (field_type)); \
  } G_STMT_END

/**
 * hs_record_batch_set_null:
 * @self: a batch
 * @record: a record index
 * @field: a field of the batch's stream
 */
void
hs_record_batch_set_null (HsRecordBatch *self,
                          guint          record,
                          guint          field)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (record < self->n_records);
  g_return_if_fail (field < self->n_fields);

  self->nulls[cell_index (self, record, field)] = CELL_NULL;
}

/**
 * hs_record_batch_set_unknown:
 * @self: a batch
 * @record: a record index
 * @field: a field of the batch's stream, not a key field
 *
 * Marks a field whose value the source could not read (Halo sent a value
 * of the wrong type, say).  A sink keeps the value it stored before for
 * such a field, or stores null for a new record: bad input never replaces
 * good data.
 */
void
hs_record_batch_set_unknown (HsRecordBatch *self,
                             guint          record,
                             guint          field)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (record < self->n_records);
  g_return_if_fail (field >= streams[self->stream].n_key_fields && field < self->n_fields);

  self->nulls[cell_index (self, record, field)] = CELL_UNKNOWN;
  self->has_unknown = TRUE;
}

/**
 * hs_record_batch_is_unknown:
 * @self: a batch
 * @record: a record index
 * @field: a field of the batch's stream
 *
 * Returns: %TRUE if hs_record_batch_set_unknown() marked the field
 */
gboolean
hs_record_batch_is_unknown (HsRecordBatch *self,
                            guint          record,
                            guint          field)
{
  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (record < self->n_records, FALSE);
  g_return_val_if_fail (field < self->n_fields, FALSE);

  return self->nulls[cell_index (self, record, field)] == CELL_UNKNOWN;
}

/**
 * hs_record_batch_has_unknown:
 * @self: a batch
 *
 * Returns: %TRUE if any field of the batch may be unknown, so a sink
 *   needs to look for them
 */
gboolean
hs_record_batch_has_unknown (HsRecordBatch *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->has_unknown;
}

/**
 * hs_record_batch_set_int:
 * @self: a batch
 * @record: a record index
 * @field: an %HS_FIELD_INT field
 * @value: the value
 */
void
hs_record_batch_set_int (HsRecordBatch *self,
                         guint          record,
                         guint          field,
                         gint64         value)
{
  gsize i;

  CHECK_CELL_VOID (self, record, field, HS_FIELD_INT);

  i = cell_index (self, record, field);
  self->cells[i].i = value;
  self->nulls[i] = CELL_VALUE;
}

/**
 * hs_record_batch_set_double:
 * @self: a batch
 * @record: a record index
 * @field: an %HS_FIELD_DOUBLE field
 * @value: the value
 */
void
hs_record_batch_set_double (HsRecordBatch *self,
                            guint          record,
                            guint          field,
                            double         value)
{
  gsize i;

  CHECK_CELL_VOID (self, record, field, HS_FIELD_DOUBLE);

  i = cell_index (self, record, field);
  self->cells[i].d = value;
  self->nulls[i] = CELL_VALUE;
}

/**
 * hs_record_batch_set_boolean:
 * @self: a batch
 * @record: a record index
 * @field: an %HS_FIELD_BOOLEAN field
 * @value: the value
 */
void
hs_record_batch_set_boolean (HsRecordBatch *self,
                             guint          record,
                             guint          field,
                             gboolean       value)
{
  gsize i;

  CHECK_CELL_VOID (self, record, field, HS_FIELD_BOOLEAN);

  i = cell_index (self, record, field);
  self->cells[i].i = value ? 1 : 0;
  self->nulls[i] = CELL_VALUE;
}

/**
 * hs_record_batch_set_text:
 * @self: a batch
 * @record: a record index
 * @field: an %HS_FIELD_TEXT field
 * @value: (nullable): valid UTF-8 text, copied into the batch; %NULL sets null
 */
void
hs_record_batch_set_text (HsRecordBatch *self,
                          guint          record,
                          guint          field,
                          const char    *value)
{
  gsize i;

  CHECK_CELL_VOID (self, record, field, HS_FIELD_TEXT);
  g_return_if_fail (value == NULL || g_utf8_validate (value, -1, NULL));

  i = cell_index (self, record, field);
  if (value == NULL)
    {
      self->nulls[i] = CELL_NULL;
      return;
    }

  if (self->text == NULL)
    self->text = g_string_chunk_new (4096);
  self->cells[i].s = g_string_chunk_insert (self->text, value);
  self->nulls[i] = CELL_VALUE;
}

/**
 * hs_record_batch_set_timestamp:
 * @self: a batch
 * @record: a record index
 * @field: an %HS_FIELD_TIMESTAMP field
 * @usec: microseconds since the Unix epoch, UTC
 */
void
hs_record_batch_set_timestamp (HsRecordBatch *self,
                               guint          record,
                               guint          field,
                               gint64         usec)
{
  gsize i;

  CHECK_CELL_VOID (self, record, field, HS_FIELD_TIMESTAMP);

  i = cell_index (self, record, field);
  self->cells[i].i = usec;
  self->nulls[i] = CELL_VALUE;
}

/**
 * hs_record_batch_is_null:
 * @self: a batch
 * @record: a record index
 * @field: a field of the batch's stream
 *
 * Returns: %TRUE if the field holds no value (it is null or unknown)
 */
gboolean
hs_record_batch_is_null (HsRecordBatch *self,
                         guint          record,
                         guint          field)
{
  g_return_val_if_fail (self != NULL, TRUE);
  g_return_val_if_fail (record < self->n_records, TRUE);
  g_return_val_if_fail (field < self->n_fields, TRUE);

  return self->nulls[cell_index (self, record, field)] != CELL_VALUE;
}

/**
 * hs_record_batch_get_int:
 * @self: a batch
 * @record: a record index
 * @field: an %HS_FIELD_INT field
 *
 * Returns: the value, or 0 if it is null
 */
gint64
hs_record_batch_get_int (HsRecordBatch *self,
                         guint          record,
                         guint          field)
{
  gsize i;

  CHECK_CELL (self, record, field, HS_FIELD_INT, 0);

  i = cell_index (self, record, field);
  return self->nulls[i] ? 0 : self->cells[i].i;
}

/**
 * hs_record_batch_get_double:
 * @self: a batch
 * @record: a record index
 * @field: an %HS_FIELD_DOUBLE field
 *
 * Returns: the value, or 0 if it is null
 */
double
hs_record_batch_get_double (HsRecordBatch *self,
                            guint          record,
                            guint          field)
{
  gsize i;

  CHECK_CELL (self, record, field, HS_FIELD_DOUBLE, 0.0);

  i = cell_index (self, record, field);
  return self->nulls[i] ? 0.0 : self->cells[i].d;
}

/**
 * hs_record_batch_get_boolean:
 * @self: a batch
 * @record: a record index
 * @field: an %HS_FIELD_BOOLEAN field
 *
 * Returns: the value, or %FALSE if it is null
 */
gboolean
hs_record_batch_get_boolean (HsRecordBatch *self,
                             guint          record,
                             guint          field)
{
  gsize i;

  CHECK_CELL (self, record, field, HS_FIELD_BOOLEAN, FALSE);

  i = cell_index (self, record, field);
  return self->nulls[i] ? FALSE : self->cells[i].i != 0;
}

/**
 * hs_record_batch_get_text:
 * @self: a batch
 * @record: a record index
 * @field: an %HS_FIELD_TEXT field
 *
 * Returns: (nullable): the text, owned by the batch, or %NULL if null
 */
const char *
hs_record_batch_get_text (HsRecordBatch *self,
                          guint          record,
                          guint          field)
{
  gsize i;

  CHECK_CELL (self, record, field, HS_FIELD_TEXT, NULL);

  i = cell_index (self, record, field);
  return self->nulls[i] ? NULL : self->cells[i].s;
}

/**
 * hs_record_batch_get_timestamp:
 * @self: a batch
 * @record: a record index
 * @field: an %HS_FIELD_TIMESTAMP field
 *
 * Returns: microseconds since the Unix epoch (UTC), or 0 if null
 */
gint64
hs_record_batch_get_timestamp (HsRecordBatch *self,
                               guint          record,
                               guint          field)
{
  gsize i;

  CHECK_CELL (self, record, field, HS_FIELD_TIMESTAMP, 0);

  i = cell_index (self, record, field);
  return self->nulls[i] ? 0 : self->cells[i].i;
}
