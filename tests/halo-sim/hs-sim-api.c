/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "hs-sim-api.h"
#include "hs-sim-json.h"
#include "hs-sim-time.h"
#include "hs-sim-words.h"

/* The resource endpoints of /api, answered as halo-api.md §3–§6 describe
 * Halo: the per-endpoint envelopes, paging capped at 100 rows with the
 * true record_count, and the filters a sync uses.  Every date bound is
 * inclusive, and a bare date means midnight UTC. */

typedef struct
{
  guint offset;
  guint limit;              /* G_MAXUINT: no limit */
} Window;

/* pageinate=true pages (page_size capped at 100, page_no from 1);
 * otherwise `count` limits, else @fallback does. */
static void
get_window (HsSimRequest *req,
            guint         fallback,
            gboolean     *paged,
            Window       *window)
{
  guint page_size = HS_SIM_DEFAULT_TICKET_COUNT, page_no = 1, count;

  *paged = hs_sim_request_get_bool (req, "pageinate", FALSE);
  if (*paged)
    {
      hs_sim_request_get_uint (req, "page_size", &page_size);
      hs_sim_request_get_uint (req, "page_no", &page_no);
      page_size = CLAMP (page_size, 1, HS_SIM_MAX_PAGE_SIZE);
      page_no = MAX (page_no, 1);
      window->offset = (guint) MIN ((guint64) (page_no - 1) * page_size, G_MAXUINT);
      window->limit = page_size;
      return;
    }

  window->offset = 0;
  window->limit = hs_sim_request_get_uint (req, "count", &count) ? count : fallback;
}

static void
begin_envelope (HsSimJsonWriter *w,
                guint            record_count,
                const char      *key)
{
  hs_sim_json_begin_object (w);
  hs_sim_json_member (w, "record_count");
  hs_sim_json_int (w, record_count);
  hs_sim_json_member (w, key);
  hs_sim_json_begin_array (w);
}

static void
end_envelope (HsSimJsonWriter *w)
{
  hs_sim_json_end_array (w);
  hs_sim_json_end_object (w);
}

static void
init_writer (HsSimJsonWriter *w,
             HsSimRequest    *req)
{
  hs_sim_json_writer_init (w, req->body);
  if (req->override_name != NULL)
    hs_sim_json_set_override (w, req->override_name, req->override_value, req->override_record);
}

static gboolean
get_time_param (HsSimRequest *req,
                const char   *name,
                gint64       *ticks,
                gboolean     *present)
{
  if (hs_sim_request_get_time (req, name, ticks, present))
    return TRUE;
  hs_sim_request_set_error (req, SOUP_STATUS_BAD_REQUEST,
                            "The value '%s' is not valid for %s.",
                            hs_sim_request_get (req, name), name);
  return FALSE;
}

static gboolean
in_bounds (gint64   value,
           gboolean has_from,
           gint64   from,
           gboolean has_to,
           gint64   to)
{
  return (!has_from || value >= from) && (!has_to || value <= to);
}

/* Tickets */

typedef enum
{
  ORDER_ID,
  ORDER_DATEOCCURRED,
  ORDER_LAST_UPDATE,
  ORDER_DATECLOSED,
} TicketOrder;

typedef struct
{
  HsSimTenant *tenant;
  TicketOrder order;
  gboolean descending;
} SortContext;

static gint64
order_key (const HsSimTicket *t,
           TicketOrder        order,
           guint              id)
{
  switch (order)
    {
    case ORDER_DATEOCCURRED:
      return t->dateoccurred;
    case ORDER_LAST_UPDATE:
      return t->last_update;
    case ORDER_DATECLOSED:
      return t->dateclosed;
    case ORDER_ID:
    default:
      return id;
    }
}

/* Ties go by id, so pages stay stable when many tickets share a time. */
static int
compare_tickets (gconstpointer a,
                 gconstpointer b,
                 gpointer      data)
{
  const SortContext *ctx = data;
  guint ia = *(const guint *) a, ib = *(const guint *) b;
  gint64 ka = order_key (hs_sim_tenant_get_ticket (ctx->tenant, ia), ctx->order, ia);
  gint64 kb = order_key (hs_sim_tenant_get_ticket (ctx->tenant, ib), ctx->order, ib);
  int result = (ka > kb) - (ka < kb);

  if (result == 0)
    result = (ia > ib) - (ia < ib);
  return ctx->descending ? -result : result;
}

static TicketOrder
parse_order (const char *name)
{
  if (name == NULL)
    return ORDER_ID;
  if (g_ascii_strcasecmp (name, "dateoccurred") == 0 || g_ascii_strcasecmp (name, "dateoccured") == 0)
    return ORDER_DATEOCCURRED;
  if (g_ascii_strcasecmp (name, "last_update") == 0 || g_ascii_strcasecmp (name, "lastupdate") == 0)
    return ORDER_LAST_UPDATE;
  if (g_ascii_strcasecmp (name, "dateclosed") == 0 || g_ascii_strcasecmp (name, "datecleared") == 0)
    return ORDER_DATECLOSED;
  return ORDER_ID;
}

static int
compare_uint (gconstpointer a,
              gconstpointer b)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return (x > y) - (x < y);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* What a ticket list request matches and in what order: every parameter
 * but the paging ones, so that its pages share the list it matched. */
static char *
ticket_list_key (HsSimRequest *req)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GString *key = g_string_new (NULL);
  GHashTableIter iter;
  gpointer name;

  g_hash_table_iter_init (&iter, req->query);
  while (g_hash_table_iter_next (&iter, &name, NULL))
    if (strcmp (name, "pageinate") != 0 && strcmp (name, "page_no") != 0 &&
        strcmp (name, "page_size") != 0 && strcmp (name, "count") != 0)
      g_ptr_array_add (names, name);
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (key, "%s=%s&", (const char *) g_ptr_array_index (names, i),
                            (const char *) g_hash_table_lookup (req->query, g_ptr_array_index (names, i)));
  return g_string_free (key, FALSE);
}

/* The ids of the tickets the request's filters match, in its order. */
static GArray *
match_tickets (HsSimTenant  *tenant,
               HsSimRequest *req)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) wanted = hs_sim_request_get_uint_list (req, "ticketids");
  const char *datesearch = hs_sim_request_get (req, "datesearch");
  gboolean has_start, has_end, has_from, has_to, on_closed = FALSE, by_date = TRUE;
  gboolean deleted = hs_sim_request_get_bool (req, "deleted", FALSE);
  gboolean open_only = hs_sim_request_get_bool (req, "open_only", FALSE);
  gboolean closed_only = hs_sim_request_get_bool (req, "closed_only", FALSE);
  gint64 start = 0, end = 0, from = 0, to = 0;
  guint agent_id = 0, client_id = 0;
  gboolean has_agent = hs_sim_request_get_uint (req, "agent_id", &agent_id);
  gboolean has_client = hs_sim_request_get_uint (req, "client_id", &client_id);
  SortContext sort = { tenant, parse_order (hs_sim_request_get (req, "order")),
                       hs_sim_request_get_bool (req, "orderdesc", FALSE) };
  guint n = hs_sim_tenant_get_n_tickets (tenant);

  if (!get_time_param (req, "startdate", &start, &has_start) ||
      !get_time_param (req, "enddate", &end, &has_end) ||
      !get_time_param (req, "lastupdatefromdate", &from, &has_from) ||
      !get_time_param (req, "lastupdatetodate", &to, &has_to))
    return NULL;

  /* Halo's column is "dateoccured"; the correct spelling is accepted too.
   * An unknown column makes the date range a no-op, like any parameter
   * Halo cannot bind. */
  if (datesearch != NULL)
    {
      if (g_ascii_strcasecmp (datesearch, "datecleared") == 0)
        on_closed = TRUE;
      else if (g_ascii_strcasecmp (datesearch, "dateoccured") != 0 &&
               g_ascii_strcasecmp (datesearch, "dateoccurred") != 0)
        by_date = FALSE;
    }

  if (wanted != NULL)
    g_array_sort (wanted, compare_uint);

  for (guint id = 1; id <= n; id++)
    {
      const HsSimTicket *t = hs_sim_tenant_get_ticket (tenant, id);
      gboolean is_deleted = (t->flags & HS_SIM_TICKET_DELETED) != 0;
      gboolean is_closed = t->dateclosed != HS_SIM_NO_DATE;

      if (is_deleted != deleted)
        continue;
      if ((open_only && is_closed) || (closed_only && !is_closed))
        continue;
      if ((has_agent && t->agent_id != agent_id) || (has_client && t->client_id != client_id))
        continue;
      if (by_date && (has_start || has_end))
        {
          if (on_closed && !is_closed)
            continue;
          if (!in_bounds (on_closed ? t->dateclosed : t->dateoccurred, has_start, start, has_end, end))
            continue;
        }
      if (!in_bounds (t->last_update, has_from, from, has_to, to))
        continue;
      if (wanted != NULL && bsearch (&id, wanted->data, wanted->len, sizeof (guint), compare_uint) == NULL)
        continue;
      g_array_append_val (ids, id);
    }

  if (sort.order != ORDER_ID || sort.descending)
    g_array_sort_with_data (ids, compare_tickets, &sort);
  return g_steal_pointer (&ids);
}

static void
list_tickets (HsSimTenant  *tenant,
              HsSimRequest *req)
{
  g_autofree char *key = ticket_list_key (req);
  GArray *ids = hs_sim_tenant_get_ticket_list (tenant, key);
  HsSimJsonWriter w;
  gboolean paged;
  Window window;

  if (ids == NULL)
    {
      ids = match_tickets (tenant, req);
      if (ids == NULL)
        return;
      hs_sim_tenant_set_ticket_list (tenant, key, ids);
    }

  get_window (req, HS_SIM_DEFAULT_TICKET_COUNT, &paged, &window);
  init_writer (&w, req);
  begin_envelope (&w, ids->len, "tickets");
  for (guint i = window.offset; i < ids->len && i - window.offset < window.limit; i++)
    hs_sim_json_ticket (&w, tenant, g_array_index (ids, guint, i), FALSE);
  end_envelope (&w);
  hs_sim_json_writer_clear (&w);
}

static void
get_ticket (HsSimTenant  *tenant,
            HsSimRequest *req,
            guint         id)
{
  HsSimJsonWriter w;

  if (hs_sim_tenant_get_ticket (tenant, id) == NULL)
    {
      hs_sim_request_set_error (req, SOUP_STATUS_NOT_FOUND, "Ticket %u not found.", id);
      return;
    }
  /* A deleted ticket can still be read by id; it says deleted: true. */
  init_writer (&w, req);
  hs_sim_json_ticket (&w, tenant, id, TRUE);
  hs_sim_json_writer_clear (&w);
}

/* Actions */

static gboolean
get_ticket_id (HsSimRequest *req,
               guint        *ticket_id)
{
  if (hs_sim_request_get_uint (req, "ticket_id", ticket_id) && *ticket_id > 0)
    return TRUE;
  /* Listing actions across tickets is unconfirmed (halo-api.md §11), so
   * the simulator refuses it rather than invent an answer. */
  hs_sim_request_set_error (req, SOUP_STATUS_BAD_REQUEST,
                            "Please provide a valid ticket_id.");
  return FALSE;
}

static gboolean
ticket_is_live (HsSimTenant *tenant,
                guint        id)
{
  const HsSimTicket *t = hs_sim_tenant_get_ticket (tenant, id);

  return t != NULL && (t->flags & HS_SIM_TICKET_DELETED) == 0;
}

static void
list_actions (HsSimTenant  *tenant,
              HsSimRequest *req)
{
  gboolean excludesys = hs_sim_request_get_bool (req, "excludesys", FALSE);
  gboolean entries_only = hs_sim_request_get_bool (req, "timeentriesonly", FALSE);
  gboolean agent_only = hs_sim_request_get_bool (req, "agentonly", FALSE);
  gboolean exclude_private = hs_sim_request_get_bool (req, "excludeprivate", FALSE);
  g_autoptr(GPtrArray) matches = g_ptr_array_new ();
  const HsSimAction *actions = NULL;
  gboolean has_start, has_end, paged;
  gint64 start = 0, end = 0;
  guint ticket_id, n = 0;
  HsSimJsonWriter w;
  Window window;

  if (!get_ticket_id (req, &ticket_id) ||
      !get_time_param (req, "startdate", &start, &has_start) ||
      !get_time_param (req, "enddate", &end, &has_end))
    return;

  /* Unknown and deleted tickets have no visible actions. */
  if (ticket_is_live (tenant, ticket_id))
    n = hs_sim_tenant_get_actions (tenant, ticket_id, &actions);

  for (guint i = 0; i < n; i++)
    {
      const HsSimAction *a = &actions[i];
      gboolean system = a->agent_id == 0 || hs_sim_words_outcome (a->outcome_id)->system;

      if ((a->flags & HS_SIM_ACTION_DELETED) ||
          (excludesys && system) ||
          (agent_only && a->agent_id == 0) ||
          (entries_only && a->seconds == 0) ||
          (exclude_private && (a->flags & HS_SIM_ACTION_HIDDEN)) ||
          !in_bounds (a->datetime, has_start, start, has_end, end))
        continue;
      g_ptr_array_add (matches, (gpointer) a);
    }

  get_window (req, G_MAXUINT, &paged, &window);
  init_writer (&w, req);
  begin_envelope (&w, matches->len, "actions");
  for (guint i = window.offset; i < matches->len && i - window.offset < window.limit; i++)
    hs_sim_json_action (&w, tenant, ticket_id, g_ptr_array_index (matches, i));
  end_envelope (&w);
  hs_sim_json_writer_clear (&w);
}

static void
get_action (HsSimTenant  *tenant,
            HsSimRequest *req,
            guint         id)
{
  const HsSimAction *action;
  HsSimJsonWriter w;
  guint ticket_id;

  if (!get_ticket_id (req, &ticket_id))
    return;
  action = ticket_is_live (tenant, ticket_id) ? hs_sim_tenant_find_action (tenant, ticket_id, id) : NULL;
  if (action == NULL)
    {
      hs_sim_request_set_error (req, SOUP_STATUS_NOT_FOUND,
                                "Action %u of ticket %u not found.", id, ticket_id);
      return;
    }
  init_writer (&w, req);
  hs_sim_json_action (&w, tenant, ticket_id, action);
  hs_sim_json_writer_clear (&w);
}

/* TimesheetEvent */

/* Events written per chunk when streaming, and the answers that stream. */
#define STREAM_CHUNK_BYTES (64 * 1024)
#define STREAM_MIN_EVENTS 500

typedef struct
{
  HsSimTenant *tenant;      /* (owned) */
  GArray *refs;             /* (owned) of HsSimEventRef */
  guint next;
  HsSimJsonWriter w;
  char *override_name;      /* (owned) (nullable): the fault may change meanwhile */
  JsonNode *override_value; /* (owned) (nullable) */
} EventStream;

static void
event_stream_free (gpointer data)
{
  EventStream *stream = data;

  hs_sim_json_writer_clear (&stream->w);
  g_clear_object (&stream->tenant);
  g_clear_pointer (&stream->refs, g_array_unref);
  g_clear_pointer (&stream->override_name, g_free);
  g_clear_pointer (&stream->override_value, json_node_unref);
  g_free (stream);
}

/* Events are looked up again for every chunk: a ticket changed between
 * chunks keeps its action indexes, so the references stay valid. */
static gboolean
event_stream_next (gpointer  data,
                   GString  *out)
{
  EventStream *stream = data;
  HsSimJsonWriter *w = &stream->w;
  gsize start = out->len;

  w->out = out;
  if (stream->next == 0)
    hs_sim_json_begin_array (w);

  for (; stream->next < stream->refs->len && out->len - start < STREAM_CHUNK_BYTES; stream->next++)
    {
      const HsSimEventRef *ref = &g_array_index (stream->refs, HsSimEventRef, stream->next);

      if (ref->ticket_id == 0)
        {
          HsSimBreak brk;

          hs_sim_tenant_get_break (stream->tenant, ref->index, &brk);
          hs_sim_json_break (w, &brk);
        }
      else
        {
          const HsSimAction *actions;

          hs_sim_tenant_get_actions (stream->tenant, ref->ticket_id, &actions);
          hs_sim_json_event (w, stream->tenant, ref->ticket_id, &actions[ref->index]);
        }
    }

  if (stream->next < stream->refs->len)
    return TRUE;
  hs_sim_json_end_array (w);
  return FALSE;
}

static void
list_events (HsSimTenant  *tenant,
             HsSimRequest *req)
{
  const HsSimTenantOptions *o = hs_sim_tenant_get_options (tenant);
  g_autofree guint8 *want = g_new0 (guint8, o->n_agents + 2);
  g_autoptr(GArray) agents = hs_sim_request_get_uint_list (req, "agents");
  g_autoptr(GArray) refs = g_array_new (FALSE, FALSE, sizeof (HsSimEventRef));
  const HsSimEventRef *events;
  gboolean has_start, has_end;
  gint64 start = 0, end = 0;
  guint agent_id, n_events, lo, hi;
  EventStream *stream;

  if (!get_time_param (req, "start_date", &start, &has_start) ||
      !get_time_param (req, "end_date", &end, &has_end))
    return;

  /* Without a filter Halo shows the timesheet of the agent the API
   * application logs in as.  utcoffset is accepted and ignored: every
   * time here is UTC. */
  if (agents == NULL)
    agents = g_array_new (FALSE, FALSE, sizeof (guint));
  if (hs_sim_request_get_uint (req, "agent_id", &agent_id))
    g_array_append_val (agents, agent_id);
  if (agents->len == 0 && hs_sim_request_get (req, "agents") == NULL)
    {
      agent_id = HS_SIM_API_AGENT_ID;
      g_array_append_val (agents, agent_id);
    }
  for (guint i = 0; i < agents->len; i++)
    if (hs_sim_tenant_agent_exists (tenant, g_array_index (agents, guint, i)))
      want[g_array_index (agents, guint, i)] = 1;

  /* The events are ordered by start: the first at or after the start
   * bound is found by bisection, and the scan ends past the end bound. */
  events = hs_sim_tenant_get_events (tenant, &n_events);
  lo = 0;
  hi = n_events;
  while (has_start && lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (events[mid].start < start)
        lo = mid + 1;
      else
        hi = mid;
    }
  for (guint i = lo; i < n_events && (!has_end || events[i].start <= end); i++)
    if (events[i].agent_id <= o->n_agents + 1 && want[events[i].agent_id])
      g_array_append_val (refs, events[i]);

  /* No paging and no cap: like Halo, the whole range in one answer.  A
   * year of a big tenant's events is hundreds of megabytes, so large
   * answers are written a chunk at a time. */
  stream = g_new0 (EventStream, 1);
  stream->tenant = g_object_ref (tenant);
  stream->refs = g_steal_pointer (&refs);
  hs_sim_json_writer_init (&stream->w, req->body);
  if (req->override_name != NULL)
    {
      stream->override_name = g_strdup (req->override_name);
      stream->override_value = json_node_copy (req->override_value);
      hs_sim_json_set_override (&stream->w, stream->override_name, stream->override_value, req->override_record);
    }

  if (req->may_stream && stream->refs->len > STREAM_MIN_EVENTS)
    {
      req->stream_func = event_stream_next;
      req->stream_data = stream;
      req->stream_free = event_stream_free;
      return;
    }
  while (event_stream_next (stream, req->body))
    ;
  event_stream_free (stream);
}

/* Agents, teams, clients */

static void
list_agents (HsSimTenant  *tenant,
             HsSimRequest *req)
{
  const HsSimTenantOptions *o = hs_sim_tenant_get_options (tenant);
  gboolean enabled = hs_sim_request_get_bool (req, "includeenabled", TRUE);
  gboolean disabled = hs_sim_request_get_bool (req, "includedisabled", FALSE);
  gboolean unassigned = hs_sim_request_get_bool (req, "includeunassigned", FALSE);
  gboolean details = hs_sim_request_get_bool (req, "includedetails", FALSE);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint));
  HsSimJsonWriter w;
  gboolean paged;
  Window window;

  if (unassigned)
    {
      guint id = HS_SIM_UNASSIGNED_ID;

      g_array_append_val (ids, id);
    }
  for (guint id = HS_SIM_UNASSIGNED_ID + 1; id <= o->n_agents + 1; id++)
    {
      gboolean is_disabled = hs_sim_tenant_agent_is_disabled (tenant, id);

      if ((is_disabled && disabled) || (!is_disabled && enabled))
        g_array_append_val (ids, id);
    }

  /* A bare array, or {record_count, results} when paged (halo-api.md §3). */
  get_window (req, G_MAXUINT, &paged, &window);
  init_writer (&w, req);
  if (paged)
    begin_envelope (&w, ids->len, "results");
  else
    hs_sim_json_begin_array (&w);
  for (guint i = window.offset; i < ids->len && i - window.offset < window.limit; i++)
    hs_sim_json_agent (&w, tenant, g_array_index (ids, guint, i), details);
  if (paged)
    end_envelope (&w);
  else
    hs_sim_json_end_array (&w);
  hs_sim_json_writer_clear (&w);
}

static void
list_teams (HsSimTenant  *tenant,
            HsSimRequest *req)
{
  HsSimJsonWriter w;

  init_writer (&w, req);
  hs_sim_json_begin_array (&w);
  for (guint i = 0; i < hs_sim_words_n_teams (); i++)
    hs_sim_json_team (&w, tenant, i);
  hs_sim_json_end_array (&w);
  hs_sim_json_writer_clear (&w);
}

static void
list_clients (HsSimTenant  *tenant,
              HsSimRequest *req)
{
  const HsSimTenantOptions *o = hs_sim_tenant_get_options (tenant);
  gboolean active = hs_sim_request_get_bool (req, "includeactive", TRUE);
  gboolean inactive = hs_sim_request_get_bool (req, "includeinactive", FALSE);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint));
  HsSimJsonWriter w;
  gboolean paged;
  Window window;

  for (guint id = HS_SIM_UNASSIGNED_ID; id <= o->n_clients + 1; id++)
    {
      gboolean is_inactive = hs_sim_tenant_client_is_inactive (tenant, id);

      if ((is_inactive && inactive) || (!is_inactive && active))
        g_array_append_val (ids, id);
    }

  get_window (req, G_MAXUINT, &paged, &window);
  init_writer (&w, req);
  begin_envelope (&w, ids->len, "clients");
  for (guint i = window.offset; i < ids->len && i - window.offset < window.limit; i++)
    hs_sim_json_client (&w, tenant, g_array_index (ids, guint, i));
  end_envelope (&w);
  hs_sim_json_writer_clear (&w);
}

static void
get_single (HsSimTenant  *tenant,
            HsSimRequest *req,
            const char   *resource,
            const char   *id_text)
{
  HsSimJsonWriter w;
  guint id;

  if (strcmp (resource, "agent") == 0 && strcmp (id_text, "me") == 0)
    id = HS_SIM_API_AGENT_ID;
  else if (!hs_sim_request_parse_uint (id_text, &id))
    {
      hs_sim_request_set_error (req, SOUP_STATUS_NOT_FOUND, "'%s' is not a valid id.", id_text);
      return;
    }

  if (strcmp (resource, "tickets") == 0)
    {
      get_ticket (tenant, req, id);
      return;
    }
  if (strcmp (resource, "actions") == 0)
    {
      get_action (tenant, req, id);
      return;
    }

  init_writer (&w, req);
  if (strcmp (resource, "agent") == 0 && hs_sim_tenant_agent_exists (tenant, id))
    hs_sim_json_agent (&w, tenant, id, TRUE);
  else if (strcmp (resource, "team") == 0 && id >= 1 && id <= hs_sim_words_n_teams ())
    hs_sim_json_team (&w, tenant, id - 1);
  else if (strcmp (resource, "client") == 0 && hs_sim_tenant_client_exists (tenant, id))
    hs_sim_json_client (&w, tenant, id);
  else
    hs_sim_request_set_error (req, SOUP_STATUS_NOT_FOUND, "%c%s %u not found.",
                              g_ascii_toupper (*resource), resource + 1, id);
  hs_sim_json_writer_clear (&w);
}

/**
 * hs_sim_api_handle:
 * @tenant: the data
 * @req: an authorised GET below /api
 *
 * Fills in @req's response.
 */
void
hs_sim_api_handle (HsSimTenant  *tenant,
                   HsSimRequest *req)
{
  const char *resource = req->n_segments >= 2 ? req->segments[1] : "";

  if (strcmp (req->method, "GET") != 0)
    {
      hs_sim_request_set_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED,
                                "The simulator serves the read-only part of the Halo API.");
      return;
    }

  if (req->n_segments == 3 &&
      (strcmp (resource, "tickets") == 0 || strcmp (resource, "actions") == 0 ||
       strcmp (resource, "agent") == 0 || strcmp (resource, "team") == 0 ||
       strcmp (resource, "client") == 0))
    get_single (tenant, req, resource, req->segments[2]);
  else if (req->n_segments != 2)
    hs_sim_request_set_error (req, SOUP_STATUS_NOT_FOUND, "No endpoint at %s.", req->path);
  else if (strcmp (resource, "tickets") == 0)
    list_tickets (tenant, req);
  else if (strcmp (resource, "actions") == 0)
    list_actions (tenant, req);
  else if (strcmp (resource, "timesheetevent") == 0)
    list_events (tenant, req);
  else if (strcmp (resource, "agent") == 0)
    list_agents (tenant, req);
  else if (strcmp (resource, "team") == 0)
    list_teams (tenant, req);
  else if (strcmp (resource, "client") == 0)
    list_clients (tenant, req);
  else
    hs_sim_request_set_error (req, SOUP_STATUS_NOT_FOUND, "No endpoint at %s.", req->path);
}
