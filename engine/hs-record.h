/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HALOSYNC_INSIDE) && !defined(HALOSYNC_COMPILATION)
#error "Only <halosync.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * SECTION:hs-record
 * @title: Records
 * @short_description: The record model that sources emit and sinks write
 *
 * A sync moves records of five streams (#HsStream).  Every stream has a
 * fixed schema, a table of #HsFieldInfo: the key fields come first, and each
 * field has one scalar type.  Sources hand records over in an
 * #HsRecordBatch, one page of one stream at a time.
 *
 * Why a columnar-typed batch and not one GObject (or GHashTable, or
 * JsonObject) per record: a full sync moves over a million records, and a
 * per-record object costs an allocation, a type instance and a refcount for
 * each, plus a hash lookup per field.  A batch stores each record as one row
 * of 8-byte cells in a single growing array, indexed by the field's position
 * in the schema; text lives in one string arena per batch (#GStringChunk),
 * and nulls in a byte per cell.  Appending a record is amortised O(1) with
 * no allocation of its own, freeing a page is two frees, and a sink can
 * bind a cell to a statement parameter without conversion.  The schema being
 * fixed by the engine is what lets one sink write every source's records
 * without knowing where they came from.
 *
 * Timestamps are microseconds since the Unix epoch in UTC, as
 * g_get_real_time() counts them.
 */

/**
 * HsStream:
 * @HS_STREAM_AGENTS: Halo agents
 * @HS_STREAM_TEAMS: Halo teams
 * @HS_STREAM_CLIENTS: Halo clients (customers)
 * @HS_STREAM_TICKETS: tickets opened or worked in the fiscal year
 * @HS_STREAM_TIME_ENTRIES: time logged against tickets in the fiscal year
 * @HS_N_STREAMS: the number of streams
 *
 * The kinds of record a sync moves, in the order a run pulls them.
 */
typedef enum
{
  HS_STREAM_AGENTS,
  HS_STREAM_TEAMS,
  HS_STREAM_CLIENTS,
  HS_STREAM_TICKETS,
  HS_STREAM_TIME_ENTRIES,
  HS_N_STREAMS, /*< skip >*/
} HsStream;

/**
 * HsFieldType:
 * @HS_FIELD_INT: a 64-bit signed integer
 * @HS_FIELD_DOUBLE: a double
 * @HS_FIELD_BOOLEAN: a boolean
 * @HS_FIELD_TEXT: UTF-8 text
 * @HS_FIELD_TIMESTAMP: microseconds since the Unix epoch, UTC
 *
 * The scalar type of a field.
 */
typedef enum
{
  HS_FIELD_INT,
  HS_FIELD_DOUBLE,
  HS_FIELD_BOOLEAN,
  HS_FIELD_TEXT,
  HS_FIELD_TIMESTAMP,
} HsFieldType;

/**
 * HsAgentField:
 * @HS_AGENT_ID: Halo agent id (key)
 * @HS_AGENT_NAME: display name
 * @HS_AGENT_EMAIL: e-mail address
 * @HS_AGENT_TEAM: name of the agent's default team
 * @HS_AGENT_DISABLED: whether the agent is disabled in Halo
 *
 * Fields of %HS_STREAM_AGENTS.
 */
typedef enum
{
  HS_AGENT_ID,
  HS_AGENT_NAME,
  HS_AGENT_EMAIL,
  HS_AGENT_TEAM,
  HS_AGENT_DISABLED,
} HsAgentField;

/**
 * HsTeamField:
 * @HS_TEAM_ID: Halo team id (key)
 * @HS_TEAM_NAME: team name
 * @HS_TEAM_DEPARTMENT: department name
 * @HS_TEAM_INACTIVE: whether the team is inactive
 *
 * Fields of %HS_STREAM_TEAMS.
 */
typedef enum
{
  HS_TEAM_ID,
  HS_TEAM_NAME,
  HS_TEAM_DEPARTMENT,
  HS_TEAM_INACTIVE,
} HsTeamField;

/**
 * HsClientField:
 * @HS_CLIENT_ID: Halo client id (key)
 * @HS_CLIENT_NAME: client name
 * @HS_CLIENT_TOPLEVEL: name of the top level the client belongs to
 * @HS_CLIENT_INACTIVE: whether the client is inactive
 *
 * Fields of %HS_STREAM_CLIENTS.
 */
typedef enum
{
  HS_CLIENT_ID,
  HS_CLIENT_NAME,
  HS_CLIENT_TOPLEVEL,
  HS_CLIENT_INACTIVE,
} HsClientField;

/**
 * HsTicketField:
 * @HS_TICKET_ID: Halo ticket id (key)
 * @HS_TICKET_SUMMARY: one-line summary
 * @HS_TICKET_STATUS_ID: status id
 * @HS_TICKET_STATUS: status name
 * @HS_TICKET_TYPE: ticket type name
 * @HS_TICKET_CLIENT_ID: client id
 * @HS_TICKET_CLIENT_NAME: client name
 * @HS_TICKET_AGENT_ID: id of the assigned agent (1 is "Unassigned")
 * @HS_TICKET_TEAM: name of the team the ticket is with
 * @HS_TICKET_OPENED_AT: when the ticket was opened
 * @HS_TICKET_CLOSED_AT: when it was closed, or null
 * @HS_TICKET_LAST_UPDATE: Halo's last-update time, the incremental cursor
 * @HS_TICKET_HOURS: time taken, in hours
 * @HS_TICKET_MEMBER: team member mapped from the agent; set by the engine
 *
 * Fields of %HS_STREAM_TICKETS.
 */
typedef enum
{
  HS_TICKET_ID,
  HS_TICKET_SUMMARY,
  HS_TICKET_STATUS_ID,
  HS_TICKET_STATUS,
  HS_TICKET_TYPE,
  HS_TICKET_CLIENT_ID,
  HS_TICKET_CLIENT_NAME,
  HS_TICKET_AGENT_ID,
  HS_TICKET_TEAM,
  HS_TICKET_OPENED_AT,
  HS_TICKET_CLOSED_AT,
  HS_TICKET_LAST_UPDATE,
  HS_TICKET_HOURS,
  HS_TICKET_MEMBER,
} HsTicketField;

/**
 * HsTimeEntryField:
 * @HS_TIME_ENTRY_TICKET_ID: ticket the time was logged on (key, part 1)
 * @HS_TIME_ENTRY_ACTION_ID: action id within that ticket (key, part 2);
 *   Halo's action ids are unique only per ticket
 * @HS_TIME_ENTRY_AGENT_ID: agent who logged the time
 * @HS_TIME_ENTRY_STARTED_AT: when the work happened
 * @HS_TIME_ENTRY_HOURS: hours worked
 * @HS_TIME_ENTRY_BILLABLE: whether the time is chargeable, or null if unknown
 * @HS_TIME_ENTRY_MEMBER: team member mapped from the agent; set by the engine
 *
 * Fields of %HS_STREAM_TIME_ENTRIES.
 */
typedef enum
{
  HS_TIME_ENTRY_TICKET_ID,
  HS_TIME_ENTRY_ACTION_ID,
  HS_TIME_ENTRY_AGENT_ID,
  HS_TIME_ENTRY_STARTED_AT,
  HS_TIME_ENTRY_HOURS,
  HS_TIME_ENTRY_BILLABLE,
  HS_TIME_ENTRY_MEMBER,
} HsTimeEntryField;

/**
 * HsFieldInfo:
 * @name: the field's name, also its column name in a sink
 * @type: the field's type
 *
 * One field of a stream's schema.
 */
typedef struct
{
  const char *name;
  HsFieldType type;
} HsFieldInfo;

const char        *hs_stream_to_string          (HsStream stream);
gboolean           hs_stream_from_string        (const char *name,
                                                 HsStream   *stream);
const HsFieldInfo *hs_stream_get_fields         (HsStream stream,
                                                 guint   *n_fields);
guint              hs_stream_get_n_key_fields   (HsStream stream);
int                hs_stream_get_cursor_field   (HsStream stream);
int                hs_stream_get_window_field   (HsStream stream);
int                hs_stream_get_agent_field    (HsStream stream);
int                hs_stream_get_member_field   (HsStream stream);

#define HS_TYPE_RECORD_BATCH (hs_record_batch_get_type ())

typedef struct _HsRecordBatch HsRecordBatch;

GType          hs_record_batch_get_type      (void) G_GNUC_CONST;
HsRecordBatch *hs_record_batch_new           (HsStream stream);
HsRecordBatch *hs_record_batch_ref           (HsRecordBatch *self);
void           hs_record_batch_unref         (HsRecordBatch *self);
HsStream       hs_record_batch_get_stream    (HsRecordBatch *self);
guint          hs_record_batch_get_n_records (HsRecordBatch *self);
guint          hs_record_batch_append        (HsRecordBatch *self);
void           hs_record_batch_truncate      (HsRecordBatch *self,
                                              guint          n_records);
void           hs_record_batch_set_null      (HsRecordBatch *self,
                                              guint          record,
                                              guint          field);
void           hs_record_batch_set_int       (HsRecordBatch *self,
                                              guint          record,
                                              guint          field,
                                              gint64         value);
void           hs_record_batch_set_double    (HsRecordBatch *self,
                                              guint          record,
                                              guint          field,
                                              double         value);
void           hs_record_batch_set_boolean   (HsRecordBatch *self,
                                              guint          record,
                                              guint          field,
                                              gboolean       value);
void           hs_record_batch_set_text      (HsRecordBatch *self,
                                              guint          record,
                                              guint          field,
                                              const char    *value);
void           hs_record_batch_set_timestamp (HsRecordBatch *self,
                                              guint          record,
                                              guint          field,
                                              gint64         usec);
void           hs_record_batch_set_unknown   (HsRecordBatch *self,
                                              guint          record,
                                              guint          field);
gboolean       hs_record_batch_is_unknown    (HsRecordBatch *self,
                                              guint          record,
                                              guint          field);
gboolean       hs_record_batch_has_unknown   (HsRecordBatch *self);
gboolean       hs_record_batch_is_null       (HsRecordBatch *self,
                                              guint          record,
                                              guint          field);
gint64         hs_record_batch_get_int       (HsRecordBatch *self,
                                              guint          record,
                                              guint          field);
double         hs_record_batch_get_double    (HsRecordBatch *self,
                                              guint          record,
                                              guint          field);
gboolean       hs_record_batch_get_boolean   (HsRecordBatch *self,
                                              guint          record,
                                              guint          field);
const char    *hs_record_batch_get_text      (HsRecordBatch *self,
                                              guint          record,
                                              guint          field);
gint64         hs_record_batch_get_timestamp (HsRecordBatch *self,
                                              guint          record,
                                              guint          field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsRecordBatch, hs_record_batch_unref)

G_END_DECLS
