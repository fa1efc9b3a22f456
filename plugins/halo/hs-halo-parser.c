/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "hs-halo-date.h"
#include "hs-halo-json.h"
#include "hs-halo-parser.h"

/* Halo's objects carry hundreds of properties; a record keeps a few.  Each
 * stream's mapping is a table from JSON member to record field, so adding a
 * column is one line, and every value passes the same type checks: null or
 * missing is null, a value of the wrong type is unknown (the sink keeps the
 * value it stored before) plus one warning per field per response, and a
 * missing or non-numeric key fails the response so nothing half-identified
 * reaches the database. */

typedef struct
{
  const char *member;
  guint field;
} HsHaloMember;

static const HsHaloMember agent_members[] = {
  { "id", HS_AGENT_ID },
  { "name", HS_AGENT_NAME },
  { "email", HS_AGENT_EMAIL },
  { "team", HS_AGENT_TEAM },
  { "isdisabled", HS_AGENT_DISABLED },
};

static const HsHaloMember team_members[] = {
  { "id", HS_TEAM_ID },
  { "name", HS_TEAM_NAME },
  { "department_name", HS_TEAM_DEPARTMENT },
  { "inactive", HS_TEAM_INACTIVE },
};

static const HsHaloMember client_members[] = {
  { "id", HS_CLIENT_ID },
  { "name", HS_CLIENT_NAME },
  { "toplevel_name", HS_CLIENT_TOPLEVEL },
  { "inactive", HS_CLIENT_INACTIVE },
};

static const HsHaloMember ticket_members[] = {
  { "id", HS_TICKET_ID },
  { "summary", HS_TICKET_SUMMARY },
  { "status_id", HS_TICKET_STATUS_ID },
  { "status_name", HS_TICKET_STATUS },
  { "tickettype_name", HS_TICKET_TYPE },
  { "client_id", HS_TICKET_CLIENT_ID },
  { "client_name", HS_TICKET_CLIENT_NAME },
  { "agent_id", HS_TICKET_AGENT_ID },
  { "team", HS_TICKET_TEAM },
  { "dateoccurred", HS_TICKET_OPENED_AT },
  { "dateclosed", HS_TICKET_CLOSED_AT },
  { "last_update", HS_TICKET_LAST_UPDATE },
  { "timetaken", HS_TICKET_HOURS },
};

/* A TimesheetEvent is a time entry when it is work (event_type 0) on a
 * ticket; Halo's action_number is the action id within that ticket. */
static const HsHaloMember event_members[] = {
  { "ticket_id", HS_TIME_ENTRY_TICKET_ID },
  { "action_number", HS_TIME_ENTRY_ACTION_ID },
  { "agent_id", HS_TIME_ENTRY_AGENT_ID },
  { "start_date", HS_TIME_ENTRY_STARTED_AT },
  { "timetaken", HS_TIME_ENTRY_HOURS },
};

/* An action is a time entry when an agent took time on it, whatever its
 * outcome: the agents' timesheets, which full runs read, hold exactly
 * those. */
static const HsHaloMember action_members[] = {
  { "ticket_id", HS_TIME_ENTRY_TICKET_ID },
  { "id", HS_TIME_ENTRY_ACTION_ID },
  { "who_agentid", HS_TIME_ENTRY_AGENT_ID },
  { "datetime", HS_TIME_ENTRY_STARTED_AT },
  { "timetaken", HS_TIME_ENTRY_HOURS },
  { "actisbillable", HS_TIME_ENTRY_BILLABLE },
};

/* Warning bit for event_type, which is no record field. */
#define WARN_BIT_EVENT_TYPE 63

typedef enum
{
  VALUE_ABSENT,
  VALUE_WRONG,
  VALUE_OK,
} ValueState;

/**
 * hs_halo_parse_context_init:
 * @ctx: a context to fill
 * @pull: (nullable): where warnings go
 * @endpoint: the request, such as "GET /api/Tickets"
 * @page: the page number, or 0 for an unpaged request
 */
void
hs_halo_parse_context_init (HsHaloParseContext *ctx,
                            HsPull             *pull,
                            const char         *endpoint,
                            guint               page)
{
  g_return_if_fail (ctx != NULL);
  g_return_if_fail (endpoint != NULL);

  ctx->pull = pull;
  ctx->n_warnings = 0;
  ctx->warned = 0;
  if (page > 0)
    /* TRANSLATORS: where a response came from, e.g. "GET /api/Tickets, page 3" */
    ctx->where = g_strdup_printf (_("%s, page %u"), endpoint, page);
  else
    ctx->where = g_strdup (endpoint);
}

/**
 * hs_halo_parse_context_clear:
 * @ctx: a context
 */
void
hs_halo_parse_context_clear (HsHaloParseContext *ctx)
{
  g_clear_pointer (&ctx->where, g_free);
}

/**
 * hs_halo_kind_get_stream:
 * @kind: a kind of Halo object
 *
 * Returns: the stream whose batches receive records of @kind
 */
HsStream
hs_halo_kind_get_stream (HsHaloKind kind)
{
  switch (kind)
    {
    case HS_HALO_KIND_AGENT:
      return HS_STREAM_AGENTS;
    case HS_HALO_KIND_TEAM:
      return HS_STREAM_TEAMS;
    case HS_HALO_KIND_CLIENT:
      return HS_STREAM_CLIENTS;
    case HS_HALO_KIND_TICKET:
      return HS_STREAM_TICKETS;
    case HS_HALO_KIND_TIMESHEET_EVENT:
    case HS_HALO_KIND_ACTION:
      return HS_STREAM_TIME_ENTRIES;
    default:
      g_return_val_if_reached (HS_STREAM_AGENTS);
    }
}

static void
add_members (GHashTable         *wanted,
             const HsHaloMember *members,
             guint               n_members)
{
  for (guint i = 0; i < n_members; i++)
    g_hash_table_add (wanted, (gpointer) members[i].member);
}

/* Every member a record of any kind is read for, and nothing else. */
static GHashTable *
get_wanted_members (void)
{
  static GHashTable *wanted;

  if (g_once_init_enter (&wanted))
    {
      GHashTable *set = g_hash_table_new (g_str_hash, g_str_equal);

      add_members (set, agent_members, G_N_ELEMENTS (agent_members));
      add_members (set, team_members, G_N_ELEMENTS (team_members));
      add_members (set, client_members, G_N_ELEMENTS (client_members));
      add_members (set, ticket_members, G_N_ELEMENTS (ticket_members));
      add_members (set, event_members, G_N_ELEMENTS (event_members));
      add_members (set, action_members, G_N_ELEMENTS (action_members));
      g_hash_table_add (set, (gpointer) "event_type");
      g_hash_table_add (set, (gpointer) "charge_rate");
      g_once_init_leave (&wanted, set);
    }

  return wanted;
}

/**
 * hs_halo_parse_json:
 * @body: a response body
 * @ctx: the response's context
 * @error: return location for an %HS_ERROR_PROTOCOL error
 *
 * Parses a list response.  Its records (the objects in its list) keep
 * only the members hs_halo_parse_record() reads: the syntax of the whole
 * body is checked, but nodes are built for a few members a record, not
 * for the dozens Halo sends (see hs-halo-json.c).
 *
 * Returns: (transfer full): the parsed document, or %NULL if @body is
 *   empty, malformed or truncated
 */
JsonNode *
hs_halo_parse_json (GBytes             *body,
                    HsHaloParseContext *ctx,
                    GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  JsonNode *root;

  if (size == 0)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_PROTOCOL,
                   _("Halo sent an empty response (%s)"), ctx->where);
      return NULL;
    }

  root = hs_halo_json_parse_records (data, size, get_wanted_members (), &local_error);
  if (root == NULL)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_PROTOCOL,
                   _("Halo sent malformed or truncated JSON (%s): %s"),
                   ctx->where, local_error->message);
      return NULL;
    }

  return root;
}

/**
 * hs_halo_parse_rows:
 * @root: a parsed response
 * @key: (nullable): the member holding the rows in an envelope object,
 *   such as "tickets"; a bare array is accepted in any case
 * @record_count: (out): the envelope's `record_count`, or -1 if it has none
 * @ctx: the response's context
 * @error: return location for an %HS_ERROR_PROTOCOL error
 *
 * Returns: (transfer none): the rows, owned by @root
 */
JsonArray *
hs_halo_parse_rows (JsonNode           *root,
                    const char         *key,
                    gint64             *record_count,
                    HsHaloParseContext *ctx,
                    GError            **error)
{
  JsonObject *object;
  JsonNode *rows;
  JsonNode *count;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (record_count != NULL, NULL);

  *record_count = -1;

  if (JSON_NODE_HOLDS_ARRAY (root))
    return json_node_get_array (root);

  if (!JSON_NODE_HOLDS_OBJECT (root) || key == NULL)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_PROTOCOL,
                   _("Halo sent an unexpected response (%s): expected a list of records"),
                   ctx->where);
      return NULL;
    }

  object = json_node_get_object (root);
  rows = json_object_get_member (object, key);
  if (rows == NULL || !JSON_NODE_HOLDS_ARRAY (rows))
    {
      g_set_error (error, HS_ERROR, HS_ERROR_PROTOCOL,
                   _("Halo sent an unexpected response (%s): it has no “%s” list"),
                   ctx->where, key);
      return NULL;
    }

  count = json_object_get_member (object, "record_count");
  if (count != NULL && JSON_NODE_HOLDS_VALUE (count) &&
      json_node_get_value_type (count) == G_TYPE_INT64)
    *record_count = MAX (json_node_get_int (count), 0);

  return json_node_get_array (rows);
}

static ValueState
get_int (JsonObject *object,
         const char *member,
         gint64     *out)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return VALUE_ABSENT;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return VALUE_WRONG;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return VALUE_OK;
    }

  /* Some serialisers write whole numbers as 12.0. */
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (d == floor (d) && d >= -9007199254740992.0 && d <= 9007199254740992.0)
        {
          *out = (gint64) d;
          return VALUE_OK;
        }
    }

  return VALUE_WRONG;
}

static ValueState
get_double (JsonObject *object,
            const char *member,
            double     *out)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return VALUE_ABSENT;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return VALUE_WRONG;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
    case G_TYPE_DOUBLE:
      *out = json_node_get_double (node);
      return VALUE_OK;
    default:
      return VALUE_WRONG;
    }
}

static ValueState
get_boolean (JsonObject *object,
             const char *member,
             gboolean   *out)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return VALUE_ABSENT;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return VALUE_WRONG;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      *out = json_node_get_boolean (node);
      return VALUE_OK;

    case G_TYPE_STRING:
      /* Clients written in Python send True; Halo echoes either. */
      if (g_ascii_strcasecmp (json_node_get_string (node), "true") == 0)
        *out = TRUE;
      else if (g_ascii_strcasecmp (json_node_get_string (node), "false") == 0)
        *out = FALSE;
      else
        return VALUE_WRONG;
      return VALUE_OK;

    case G_TYPE_INT64:
      if (json_node_get_int (node) != 0 && json_node_get_int (node) != 1)
        return VALUE_WRONG;
      *out = json_node_get_int (node) == 1;
      return VALUE_OK;

    default:
      return VALUE_WRONG;
    }
}

static ValueState
get_text (JsonObject  *object,
          const char  *member,
          const char **out)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return VALUE_ABSENT;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return VALUE_WRONG;
  if (!g_utf8_validate (json_node_get_string (node), -1, NULL))
    return VALUE_WRONG;

  *out = json_node_get_string (node);
  return VALUE_OK;
}

static ValueState
get_timestamp (JsonObject *object,
               const char *member,
               gint64     *out)
{
  const char *text = NULL;
  ValueState state = get_text (object, member, &text);

  if (state != VALUE_OK)
    return state;

  switch (hs_halo_date_parse (text, out))
    {
    case HS_HALO_DATE_VALID:
      return VALUE_OK;
    case HS_HALO_DATE_EMPTY:
      return VALUE_ABSENT;
    case HS_HALO_DATE_INVALID:
    default:
      return VALUE_WRONG;
    }
}

static void
warn_wrong_type (HsHaloParseContext *ctx,
                 guint               bit,
                 const char         *member)
{
  guint64 mask = G_GUINT64_CONSTANT (1) << bit;

  if (ctx->warned & mask)
    return;
  ctx->warned |= mask;
  ctx->n_warnings++;

  if (ctx->pull != NULL)
    hs_pull_add_warning (ctx->pull,
                         _("Halo sent a value of the wrong type in field “%s” (%s); the value stored before was kept"),
                         member, ctx->where);
}

static void
set_missing_key_error (HsHaloKind          kind,
                       const char         *member,
                       HsHaloParseContext *ctx,
                       GError            **error)
{
  /* One whole sentence per object, as translators need them. */
  switch (kind)
    {
    case HS_HALO_KIND_AGENT:
      g_set_error (error, HS_ERROR, HS_ERROR_PROTOCOL,
                   _("Halo sent an agent without a numeric id (%s, field “%s”)"),
                   ctx->where, member);
      break;
    case HS_HALO_KIND_TEAM:
      g_set_error (error, HS_ERROR, HS_ERROR_PROTOCOL,
                   _("Halo sent a team without a numeric id (%s, field “%s”)"),
                   ctx->where, member);
      break;
    case HS_HALO_KIND_CLIENT:
      g_set_error (error, HS_ERROR, HS_ERROR_PROTOCOL,
                   _("Halo sent a client without a numeric id (%s, field “%s”)"),
                   ctx->where, member);
      break;
    case HS_HALO_KIND_TICKET:
      g_set_error (error, HS_ERROR, HS_ERROR_PROTOCOL,
                   _("Halo sent a ticket without a numeric id (%s, field “%s”)"),
                   ctx->where, member);
      break;
    case HS_HALO_KIND_TIMESHEET_EVENT:
      g_set_error (error, HS_ERROR, HS_ERROR_PROTOCOL,
                   _("Halo sent a timesheet event without a numeric id (%s, field “%s”)"),
                   ctx->where, member);
      break;
    case HS_HALO_KIND_ACTION:
    default:
      g_set_error (error, HS_ERROR, HS_ERROR_PROTOCOL,
                   _("Halo sent an action without a numeric id (%s, field “%s”)"),
                   ctx->where, member);
      break;
    }
}

/* Stores @member of @object into @field of the last record of @batch. */
static void
set_field (HsRecordBatch      *batch,
           guint               record,
           guint               field,
           JsonObject         *object,
           const char         *member,
           HsHaloParseContext *ctx)
{
  guint n_fields;
  const HsFieldInfo *fields = hs_stream_get_fields (hs_record_batch_get_stream (batch), &n_fields);
  ValueState state = VALUE_ABSENT;

  switch (fields[field].type)
    {
    case HS_FIELD_INT:
      {
        gint64 v = 0;

        state = get_int (object, member, &v);
        if (state == VALUE_OK)
          hs_record_batch_set_int (batch, record, field, v);
      }
      break;

    case HS_FIELD_DOUBLE:
      {
        double v = 0;

        state = get_double (object, member, &v);
        if (state == VALUE_OK)
          hs_record_batch_set_double (batch, record, field, v);
      }
      break;

    case HS_FIELD_BOOLEAN:
      {
        gboolean v = FALSE;

        state = get_boolean (object, member, &v);
        if (state == VALUE_OK)
          hs_record_batch_set_boolean (batch, record, field, v);
      }
      break;

    case HS_FIELD_TEXT:
      {
        const char *v = NULL;

        state = get_text (object, member, &v);
        if (state == VALUE_OK)
          hs_record_batch_set_text (batch, record, field, v);
      }
      break;

    case HS_FIELD_TIMESTAMP:
      {
        gint64 v = 0;

        state = get_timestamp (object, member, &v);
        if (state == VALUE_OK)
          hs_record_batch_set_timestamp (batch, record, field, v);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  /* A value of the wrong type is unknown, and the sink keeps what it
   * stored before; a key of the wrong type stays null and fails the
   * record below. */
  if (state == VALUE_WRONG)
    {
      if (field >= hs_stream_get_n_key_fields (hs_record_batch_get_stream (batch)))
        hs_record_batch_set_unknown (batch, record, field);
      warn_wrong_type (ctx, field, member);
    }
}

static const HsHaloMember *
get_members (HsHaloKind kind,
             guint     *n_members)
{
  switch (kind)
    {
    case HS_HALO_KIND_AGENT:
      *n_members = G_N_ELEMENTS (agent_members);
      return agent_members;
    case HS_HALO_KIND_TEAM:
      *n_members = G_N_ELEMENTS (team_members);
      return team_members;
    case HS_HALO_KIND_CLIENT:
      *n_members = G_N_ELEMENTS (client_members);
      return client_members;
    case HS_HALO_KIND_TICKET:
      *n_members = G_N_ELEMENTS (ticket_members);
      return ticket_members;
    case HS_HALO_KIND_TIMESHEET_EVENT:
      *n_members = G_N_ELEMENTS (event_members);
      return event_members;
    case HS_HALO_KIND_ACTION:
      *n_members = G_N_ELEMENTS (action_members);
      return action_members;
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Decides whether an event or action is a time entry at all, before its
 * keys are required: a break has no ticket, a note no time. */
static gboolean
is_time_entry (HsHaloKind          kind,
               JsonObject         *object,
               HsHaloParseContext *ctx)
{
  gint64 event_type = -1;
  gint64 ticket_id = 0;
  gint64 agent_id = 0;
  double hours = 0;

  switch (kind)
    {
    case HS_HALO_KIND_TIMESHEET_EVENT:
      switch (get_int (object, "event_type", &event_type))
        {
        case VALUE_WRONG:
          warn_wrong_type (ctx, WARN_BIT_EVENT_TYPE, "event_type");
          return FALSE;
        case VALUE_ABSENT:
          return FALSE;
        case VALUE_OK:
        default:
          break;
        }
      if (event_type != 0)
        return FALSE;

      /* No ticket (null, 0) means time that is not on a ticket; a ticket
       * id of the wrong type is a broken key and fails below. */
      switch (get_int (object, "ticket_id", &ticket_id))
        {
        case VALUE_ABSENT:
          return FALSE;
        case VALUE_WRONG:
          return TRUE;
        case VALUE_OK:
        default:
          return ticket_id > 0;
        }

    case HS_HALO_KIND_ACTION:
      /* Time nobody logged (who_agentid 0 or null) is on no timesheet, so
       * a full run would sweep what an incremental run kept.  An agent id
       * of the wrong type is left to the field's own warning. */
      if (get_int (object, "who_agentid", &agent_id) != VALUE_WRONG && agent_id <= 0)
        return FALSE;

      /* A timetaken of the wrong type may hide time: keep the entry with
       * empty hours (and a warning) rather than lose it silently. */
      switch (get_double (object, "timetaken", &hours))
        {
        case VALUE_ABSENT:
          return FALSE;
        case VALUE_WRONG:
          return TRUE;
        case VALUE_OK:
        default:
          return hours > 0;
        }

    default:
      return TRUE;
    }
}

/**
 * hs_halo_parse_record:
 * @kind: what @node is
 * @node: one element of a response's rows
 * @batch: a batch of hs_halo_kind_get_stream() (@kind)
 * @ctx: the response's context
 * @error: return location for an %HS_ERROR_PROTOCOL error
 *
 * Appends @node to @batch as one record, unless it is not a record of the
 * stream (an event that is no work on a ticket, an action without time).
 * Agent ids of 0 (Halo's "not an agent") become null.  On failure the
 * batch is left as it was.
 *
 * Returns: whether a record was added, or the failure
 */
HsHaloParseResult
hs_halo_parse_record (HsHaloKind          kind,
                      JsonNode           *node,
                      HsRecordBatch      *batch,
                      HsHaloParseContext *ctx,
                      GError            **error)
{
  JsonObject *object;
  const HsHaloMember *members;
  guint n_members = 0;
  guint n_keys;
  guint record;
  gint64 keys[2] = { 0, 0 };

  g_return_val_if_fail (node != NULL, HS_HALO_PARSE_FAILED);
  g_return_val_if_fail (batch != NULL, HS_HALO_PARSE_FAILED);
  g_return_val_if_fail (hs_record_batch_get_stream (batch) == hs_halo_kind_get_stream (kind),
                        HS_HALO_PARSE_FAILED);

  members = get_members (kind, &n_members);
  n_keys = hs_stream_get_n_key_fields (hs_halo_kind_get_stream (kind));
  g_assert (n_keys <= G_N_ELEMENTS (keys));

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_missing_key_error (kind, members[0].member, ctx, error);
      return HS_HALO_PARSE_FAILED;
    }
  object = json_node_get_object (node);

  if (!is_time_entry (kind, object, ctx))
    return HS_HALO_PARSE_SKIPPED;

  /* Keys come first in every table, in the schema's order. */
  for (guint i = 0; i < n_keys; i++)
    {
      if (get_int (object, members[i].member, &keys[i]) != VALUE_OK)
        {
          set_missing_key_error (kind, members[i].member, ctx, error);
          return HS_HALO_PARSE_FAILED;
        }
    }

  record = hs_record_batch_append (batch);
  for (guint i = 0; i < n_keys; i++)
    hs_record_batch_set_int (batch, record, members[i].field, keys[i]);
  for (guint i = n_keys; i < n_members; i++)
    set_field (batch, record, members[i].field, object, members[i].member, ctx);

  if (kind == HS_HALO_KIND_TIMESHEET_EVENT)
    {
      gint64 charge_rate = 0;

      /* Halo bills an event at its charge rate; 0 means not chargeable. */
      switch (get_int (object, "charge_rate", &charge_rate))
        {
        case VALUE_OK:
          hs_record_batch_set_boolean (batch, record, HS_TIME_ENTRY_BILLABLE, charge_rate != 0);
          break;
        case VALUE_WRONG:
          hs_record_batch_set_unknown (batch, record, HS_TIME_ENTRY_BILLABLE);
          warn_wrong_type (ctx, HS_TIME_ENTRY_BILLABLE, "charge_rate");
          break;
        case VALUE_ABSENT:
        default:
          break;
        }
    }

  if (kind == HS_HALO_KIND_TIMESHEET_EVENT || kind == HS_HALO_KIND_ACTION)
    {
      if (!hs_record_batch_is_null (batch, record, HS_TIME_ENTRY_AGENT_ID) &&
          hs_record_batch_get_int (batch, record, HS_TIME_ENTRY_AGENT_ID) <= 0)
        hs_record_batch_set_null (batch, record, HS_TIME_ENTRY_AGENT_ID);
    }

  return HS_HALO_PARSE_ADDED;
}
