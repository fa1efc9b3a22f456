/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "hs-halo-client.h"
#include "hs-halo-date.h"
#include "hs-halo-id-set.h"
#include "hs-halo-pager.h"
#include "hs-halo-parser.h"
#include "hs-halo-rate-budget.h"
#include "hs-halo-source.h"

/**
 * HsHaloSource:
 *
 * Reads a fiscal year's window [S, E) from HaloPSA (halo-api.md), stream by
 * stream, one page in flight: a page is parsed and handed to the pull, and
 * the next is requested only once the pull has taken it, so memory does
 * not grow with the tenant.  Requests are the real cost (hosted Halo allows
 * 300 per 5 minutes), so each stream is read with as few as the data
 * allows:
 *
 * - agents: `GET /api/Agent?includeenabled=true&includedisabled=true`
 *   (a bare array, or `{results}` as some tenants answer); teams:
 *   `GET /api/Team`; clients: `/api/Client` paged.  All three are small and
 *   read in full every run.
 * - tickets, full run of a window that has not ended yet (the hourly
 *   sync's latest fiscal year): every ticket opened in the window was
 *   last updated at or after S, and none can have been updated after E,
 *   so `lastupdatefromdate=S` alone, paged by id, returns the tickets
 *   opened or updated in the window and nothing else.  One
 *   `page_size=1` request of those opened in the window
 *   (`datesearch=dateoccured&startdate=S&enddate=E`) gives the remote
 *   count compared with the database.  That halves the ticket requests
 *   of the two-query form below.
 * - tickets, full run of a past window: updated-since-S would return
 *   every later year's tickets too, so two disjoint queries: those opened
 *   in the window (`datesearch=dateoccured&startdate=S&enddate=E`) and
 *   those opened before it and updated in it
 *   (`datesearch=dateoccured&enddate=S&lastupdatefromdate=S&lastupdatetodate=E`,
 *   an old ticket worked this year), paged by id.  A ticket is last
 *   updated at or after it was opened, so none updated in the window was
 *   opened after it: together the two are the tickets opened or updated
 *   in the window, each read once, where "opened in" ∪ "updated in" read
 *   most of them twice.  halo-api.md documents both filters but not
 *   their combination in one request; were Halo to ignore either, the
 *   query would return more tickets, never fewer, so the exact window
 *   below keeps the rows right and only requests would be lost.  The
 *   remote count is the opened query's `record_count` minus the rows the
 *   exact window dropped from it.
 *   Halo's bounds may be inclusive, so the window is applied exactly here
 *   in both forms, and a ticket both queries return (one opened exactly
 *   at S) is kept once.
 * - tickets, incremental run (the pull has a `since` for tickets, which is
 *   the stored cursor minus the look-back, inclusive):
 *   `lastupdatefromdate=since`, keeping tickets opened or updated in the
 *   window.
 * - time entries, full run: `/api/TimesheetEvent` for every agent seen,
 *   over consecutive date windows covering [S, E).  One TimesheetEvent
 *   request covers all agents for a stretch of time, where `/api/Actions`
 *   costs one request per ticket: for the 200,000-ticket test tenant that
 *   is a few dozen requests instead of 200,000.  The endpoint does not
 *   page, so a window's whole answer is one response, and each stays
 *   bounded: the first window is a day, and each next one is sized from
 *   the density just seen to hold a target number of events (1 hour to
 *   31 days, growing at most twofold); when even an hour holds too many,
 *   the agents are split into groups.  The target starts at
 *   #HsHaloSource:events-per-request and adapts to how Halo copes: after
 *   a window whose answers all came back whole at the first attempt and
 *   fast (in under a quarter of #HsHaloSource:timeout, so that twice the
 *   size still leaves room), it becomes twice the largest answer, up to
 *   #HsHaloSource:max-events-per-request; a 5xx, a 429 or a network error
 *   (a timeout among them) halves it, and the retry asks for half the
 *   window (an hour at least).  The ceiling bounds the memory a response
 *   takes, since a response is read whole before it is parsed.  Work
 *   events (event_type 0) on a ticket are kept; action_number is the
 *   entry's action id.
 * - time entries, incremental run: time entries have no last-modified
 *   filter, but adding or editing one bumps its ticket's last_update.  So
 *   an incremental run re-reads (1) the TimesheetEvents dated from `since`
 *   (time entries' own since, or the tickets') to an hour after now, which
 *   holds the entries logged since the last run, and (2)
 *   `/api/Actions?ticket_id=T` for every ticket the incremental ticket
 *   query returned that was opened before the window's end, which catches
 *   entries backdated or edited into the window (kept: an agent's
 *   timetaken > 0 and datetime in the window, whatever the outcome, as on
 *   the timesheets; excludesys would drop time logged on a system
 *   outcome).  With no changes that is
 *   one TimesheetEvent request and no Actions request.
 *
 * Rows that shift between pages are neither lost (pages are ordered by id
 * and the read runs to record_count) nor doubled (a bitset of the ids seen
 * this run); no batch holds a key twice.
 *
 * One #HsHaloRateBudget and one token cache live in the source, and the
 * engine keeps one source, so every stream and every run share them.
 */
struct _HsHaloSource
{
  HsSource parent_instance;

  SoupSession *session;       /* (owned) */
  HsHaloRateBudget *budget;   /* (owned) */
  HsHaloClient *client;       /* (owned) */

  guint retry_base_delay;     /* ms */
  guint retry_max_delay;      /* ms */
  guint max_attempts;
  guint rate_limit_delay;     /* ms */
  guint max_retry_after;      /* ms */
  guint timeout;              /* s */
  guint events_per_request;
  guint max_events_per_request;
  guint page_size;
};

G_DEFINE_FINAL_TYPE (HsHaloSource, hs_halo_source, HS_TYPE_SOURCE)

enum {
  PROP_0,
  PROP_RETRY_BASE_DELAY,
  PROP_RETRY_MAX_DELAY,
  PROP_MAX_ATTEMPTS,
  PROP_RATE_LIMIT_DELAY,
  PROP_MAX_RETRY_AFTER,
  PROP_TIMEOUT,
  PROP_EVENTS_PER_REQUEST,
  PROP_MAX_EVENTS_PER_REQUEST,
  PROP_PAGE_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

#define HOUR (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
#define DAY (24 * HOUR)
#define MIN_EVENT_WINDOW HOUR
#define MAX_EVENT_WINDOW (31 * DAY)
/* Keeps a TimesheetEvent URL well under common request-line limits. */
#define MAX_AGENTS_PER_REQUEST 400
/* Incremental event reads end this long after Halo's now, for events
 * logged ahead of time. */
#define EVENT_SKEW HOUR

typedef enum
{
  PHASE_AGENTS,
  PHASE_TEAMS,
  PHASE_CLIENTS,
  PHASE_TICKETS_COUNT,
  PHASE_TICKETS_SINCE,
  PHASE_TICKETS_OPENED,
  PHASE_TICKETS_OLDER,
  PHASE_TICKETS_CHANGED,
  PHASE_EVENTS,
  PHASE_ACTIONS,
  PHASE_DONE,
} Phase;

typedef struct
{
  HsPull *pull;               /* (owned) */
  Phase phase;
  int stream;                 /* the stream begun last, or -1 */
  gboolean incremental;
  gboolean in_progress;       /* the window ends after the pull began */
  gint64 start;               /* the window [start, end) */
  gint64 end;
  gint64 since;               /* tickets, incremental */
  gint64 events_since;        /* time entries, incremental */

  HsHaloIdSet *seen;          /* (owned): ids of the current stream */
  GArray *agent_ids;          /* (owned) (element-type gint64) */
  HsHaloIdSet *changed_seen;  /* (owned) */
  GArray *changed_tickets;    /* (owned) (element-type gint64) */
  guint next_ticket;

  HsHaloPager pager;
  gint64 opened_dropped;
  gint64 expected_base;       /* tickets the queries before this one expect */

  gint64 ev_cursor;           /* the event window [cursor, window_end) */
  gint64 ev_window_end;
  gint64 ev_end;
  gint64 ev_length;
  guint ev_groups;
  guint ev_group;
  guint ev_window_max;        /* largest response of the current window */
  guint ev_target;            /* events a response should hold */
  gboolean ev_strained;       /* a request of the window was retried or slow */

  HsRecordBatch *batch;       /* (owned) (nullable): the page being pushed */
  gboolean has_next_phase;    /* the page just read ended the phase */
  Phase next_phase;
} PullState;

static void
pull_state_free (PullState *state)
{
  g_clear_object (&state->pull);
  g_clear_pointer (&state->seen, hs_halo_id_set_free);
  g_clear_pointer (&state->agent_ids, g_array_unref);
  g_clear_pointer (&state->changed_seen, hs_halo_id_set_free);
  g_clear_pointer (&state->changed_tickets, g_array_unref);
  g_clear_pointer (&state->batch, hs_record_batch_unref);
  g_free (state);
}

static void
apply_settings (HsHaloSource *self)
{
  HsHaloRetryPolicy policy = {
    .max_attempts = self->max_attempts,
    .base_delay = (gint64) self->retry_base_delay * 1000,
    .max_delay = (gint64) self->retry_max_delay * 1000,
    .rate_limit_delay = (gint64) self->rate_limit_delay * 1000,
    .max_retry_after = (gint64) self->max_retry_after * 1000,
  };

  hs_halo_client_set_retry_policy (self->client, &policy);
  g_object_set (self->session, "timeout", self->timeout, NULL);
}

/* ---- Configuration, shared by check and pull ---- */

static gboolean
check_config (HsHaloSource *self,
              GError      **error)
{
  HsConfig *config = hs_source_get_config (HS_SOURCE (self));

  if (config == NULL || hs_config_get_halo_url (config)[0] == '\0')
    {
      g_set_error (error, HS_ERROR, HS_ERROR_NOT_CONFIGURED,
                   _("No Halo URL is set: set halo-url (or HALOSYNC_HALO_URL) to the address of your Halo web app"));
      return FALSE;
    }

  if (hs_config_get_halo_client_id (config)[0] == '\0')
    {
      g_set_error (error, HS_ERROR, HS_ERROR_NOT_CONFIGURED,
                   _("No Halo client id is set: set halo-client-id (or HALOSYNC_HALO_CLIENT_ID) to the client id of the Halo API application"));
      return FALSE;
    }

  return TRUE;
}

/* Looks up the secret and configures the client and the budget: the
 * first step of both check and pull. */
static void
prepare_async (HsHaloSource       *self,
               GCancellable       *cancellable,
               GAsyncReadyCallback callback,
               gpointer            user_data)
{
  HsConfig *config = hs_source_get_config (HS_SOURCE (self));

  hs_config_lookup_secret_async (config, HS_SECRET_HALO_CLIENT_SECRET, cancellable,
                                 callback, user_data);
}

static gboolean
prepare_finish (HsHaloSource *self,
                GAsyncResult *result,
                GError      **error)
{
  HsConfig *config = hs_source_get_config (HS_SOURCE (self));
  char *secret;
  gboolean ok;

  secret = hs_config_lookup_secret_finish (config, result, error);
  if (secret == NULL)
    return FALSE;

  ok = hs_halo_client_configure (self->client,
                                 hs_config_get_halo_url (config),
                                 hs_config_get_halo_tenant (config),
                                 hs_config_get_halo_client_id (config),
                                 secret, error);
  explicit_bzero (secret, strlen (secret));
  g_free (secret);
  if (!ok)
    return FALSE;

  /* The limit may have changed since the last run; the history stays. */
  hs_halo_rate_budget_set_limit (self->budget,
                                 hs_config_get_rate_limit_requests (config),
                                 hs_config_get_rate_limit_window (config));
  apply_settings (self);
  return TRUE;
}

/* ---- Check ---- */

static void
check_get_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;

  body = hs_halo_client_get_finish (HS_HALO_CLIENT (object), result, &error);
  if (body == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
check_prepared_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HsHaloSource *self = g_task_get_source_object (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  if (!prepare_finish (self, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* A token, then the cheapest read that proves tickets are readable. */
  hs_halo_client_get_async (self->client, "/api/Tickets?pageinate=true&page_size=1&page_no=1",
                            NULL, cancellable, check_get_cb, g_steal_pointer (&task));
}

static void
hs_halo_source_check_async (HsSource           *source,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  HsHaloSource *self = HS_HALO_SOURCE (source);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError *error = NULL;

  g_task_set_source_tag (task, hs_halo_source_check_async);

  if (!check_config (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  prepare_async (self, cancellable, check_prepared_cb, g_steal_pointer (&task));
}

static gboolean
hs_halo_source_check_finish (HsSource     *source,
                             GAsyncResult *result,
                             GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, hs_halo_source_check_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- Pull: phases ---- */

static void pull_request (GTask *task);

static void
begin_stream (PullState *state,
              HsStream   stream)
{
  if (state->stream == (int) stream)
    return;

  state->stream = stream;
  g_clear_pointer (&state->seen, hs_halo_id_set_free);
  state->seen = hs_halo_id_set_new ();
  hs_pull_begin_stream (state->pull, stream);
}

static gboolean
in_window (PullState     *state,
           HsRecordBatch *batch,
           guint          record,
           guint          field)
{
  gint64 t;

  if (hs_record_batch_is_null (batch, record, field))
    return FALSE;
  t = hs_record_batch_get_timestamp (batch, record, field);
  return t >= state->start && t < state->end;
}

static gint64
round_up_to_second (gint64 usec)
{
  gint64 rest = usec % G_USEC_PER_SEC;

  return rest == 0 ? usec : usec + (rest > 0 ? G_USEC_PER_SEC - rest : -rest);
}

static gint64
round_down_to_second (gint64 usec)
{
  return usec - ((usec % G_USEC_PER_SEC) + G_USEC_PER_SEC) % G_USEC_PER_SEC;
}

/* Sets up the first event window, or returns FALSE if there is nothing to
 * read: no agents, or an empty range. */
static gboolean
start_events (HsHaloSource *self,
              PullState    *state)
{
  gint64 from = state->start;
  gint64 to = state->end;

  if (state->incremental)
    {
      /* Halo's clock (the Date of its answers so far), not ours, which
       * may be hours or days behind. */
      gint64 now = hs_pull_get_server_time (state->pull);

      from = MAX (from, round_down_to_second (state->events_since));
      to = MIN (to, round_up_to_second ((now > 0 ? now : g_get_real_time ()) + EVENT_SKEW));
    }

  if (state->agent_ids->len == 0 || from >= to)
    return FALSE;

  state->ev_cursor = from;
  state->ev_end = to;
  state->ev_length = DAY;
  state->ev_groups = (state->agent_ids->len + MAX_AGENTS_PER_REQUEST - 1) / MAX_AGENTS_PER_REQUEST;
  state->ev_group = 0;
  state->ev_window_max = 0;
  state->ev_target = MIN (self->events_per_request, self->max_events_per_request);
  state->ev_strained = FALSE;
  state->ev_window_end = MIN (state->ev_cursor + state->ev_length, state->ev_end);
  return TRUE;
}

static void
enter_phase (HsHaloSource *self,
             PullState    *state,
             Phase         phase)
{
  for (;;)
    {
      state->phase = phase;
      switch (phase)
        {
        case PHASE_AGENTS:
          begin_stream (state, HS_STREAM_AGENTS);
          return;

        case PHASE_TEAMS:
          begin_stream (state, HS_STREAM_TEAMS);
          return;

        case PHASE_CLIENTS:
          begin_stream (state, HS_STREAM_CLIENTS);
          hs_halo_pager_init (&state->pager);
          return;

        case PHASE_TICKETS_COUNT:
        case PHASE_TICKETS_SINCE:
        case PHASE_TICKETS_OPENED:
        case PHASE_TICKETS_CHANGED:
          begin_stream (state, HS_STREAM_TICKETS);
          hs_halo_pager_init (&state->pager);
          state->opened_dropped = 0;
          return;

        case PHASE_TICKETS_OLDER:
          hs_halo_pager_init (&state->pager);
          return;

        case PHASE_EVENTS:
          begin_stream (state, HS_STREAM_TIME_ENTRIES);
          if (start_events (self, state))
            return;
          phase = state->incremental ? PHASE_ACTIONS : PHASE_DONE;
          break;

        case PHASE_ACTIONS:
          begin_stream (state, HS_STREAM_TIME_ENTRIES);
          if (state->next_ticket < state->changed_tickets->len)
            return;
          phase = PHASE_DONE;
          break;

        case PHASE_DONE:
        default:
          return;
        }
    }
}

/* ---- Pull: pages ---- */

/* The next stream may only begin once the last page of this one has been
 * handed over, so the move happens after the push. */
static void
finish_phase (PullState *state,
              Phase      next)
{
  state->has_next_phase = TRUE;
  state->next_phase = next;
}

static gboolean
first_row_id (JsonArray *rows,
              gint64    *id)
{
  JsonNode *node;

  if (json_array_get_length (rows) == 0)
    return FALSE;
  node = json_array_get_element (rows, 0);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  node = json_object_get_member (json_node_get_object (node), "id");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *id = json_node_get_int (node);
  return TRUE;
}

/* The total Halo gives for the current query, after what the stream's
 * earlier queries expect: the figure a progress bar divides by. */
static void
note_expected (PullState *state,
               HsStream   stream,
               gint64     base)
{
  if (state->pager.record_count >= 0)
    hs_pull_set_expected (state->pull, stream, base + state->pager.record_count);
}

/* Drops the batch's last record when its id was already read this run. */
static void
drop_if_seen (PullState     *state,
              HsRecordBatch *batch,
              guint          record)
{
  if (!hs_halo_id_set_add (state->seen, hs_record_batch_get_int (batch, record, 0)))
    hs_record_batch_truncate (batch, record);
}

static gboolean
process_simple (HsHaloSource       *self,
                PullState          *state,
                HsHaloKind          kind,
                const char         *key,
                JsonNode           *root,
                HsHaloParseContext *ctx,
                GError            **error)
{
  g_autoptr(HsRecordBatch) batch = hs_record_batch_new (hs_halo_kind_get_stream (kind));
  gint64 record_count;
  gint64 first_id = 0;
  gboolean has_first_id, more;
  JsonArray *rows;

  rows = hs_halo_parse_rows (root, key, &record_count, ctx, error);
  if (rows == NULL)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      guint record = hs_record_batch_get_n_records (batch);
      gint64 id;

      switch (hs_halo_parse_record (kind, json_array_get_element (rows, i), batch, ctx, error))
        {
        case HS_HALO_PARSE_FAILED:
          return FALSE;
        case HS_HALO_PARSE_SKIPPED:
          continue;
        case HS_HALO_PARSE_ADDED:
        default:
          break;
        }

      id = hs_record_batch_get_int (batch, record, 0);
      if (!hs_halo_id_set_add (state->seen, id))
        hs_record_batch_truncate (batch, record);
      else if (kind == HS_HALO_KIND_AGENT)
        g_array_append_val (state->agent_ids, id);
    }

  state->batch = g_steal_pointer (&batch);

  switch (state->phase)
    {
    case PHASE_AGENTS:
      finish_phase (state, PHASE_TEAMS);
      break;
    case PHASE_TEAMS:
      finish_phase (state, PHASE_CLIENTS);
      break;
    case PHASE_CLIENTS:
      has_first_id = first_row_id (rows, &first_id);
      more = hs_halo_pager_advance (&state->pager, json_array_get_length (rows), record_count,
                                    has_first_id, first_id);
      note_expected (state, HS_STREAM_CLIENTS, 0);
      if (!more)
        finish_phase (state, state->incremental ? PHASE_TICKETS_CHANGED
                             : state->in_progress ? PHASE_TICKETS_COUNT
                             : PHASE_TICKETS_OPENED);
      break;
    default:
      g_assert_not_reached ();
    }

  return TRUE;
}

/* The one-row read of the tickets opened in the window: only its
 * record_count matters, the ticket itself comes with the others. */
static gboolean
process_ticket_count (PullState          *state,
                      JsonNode           *root,
                      HsHaloParseContext *ctx,
                      GError            **error)
{
  gint64 record_count;

  if (hs_halo_parse_rows (root, "tickets", &record_count, ctx, error) == NULL)
    return FALSE;

  if (record_count >= 0)
    hs_pull_set_remote_count (state->pull, HS_STREAM_TICKETS, record_count);
  state->batch = hs_record_batch_new (HS_STREAM_TICKETS);
  finish_phase (state, PHASE_TICKETS_SINCE);
  return TRUE;
}

static gboolean
process_tickets (HsHaloSource       *self,
                 PullState          *state,
                 JsonNode           *root,
                 HsHaloParseContext *ctx,
                 GError            **error)
{
  g_autoptr(HsRecordBatch) batch = hs_record_batch_new (HS_STREAM_TICKETS);
  gint64 record_count;
  gint64 first_id = 0;
  gboolean has_first_id, more;
  JsonArray *rows;

  rows = hs_halo_parse_rows (root, "tickets", &record_count, ctx, error);
  if (rows == NULL)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      guint record = hs_record_batch_get_n_records (batch);
      gboolean opened_in, updated_in;
      gint64 id;

      if (hs_halo_parse_record (HS_HALO_KIND_TICKET, json_array_get_element (rows, i),
                                batch, ctx, error) == HS_HALO_PARSE_FAILED)
        return FALSE;

      id = hs_record_batch_get_int (batch, record, HS_TICKET_ID);
      opened_in = in_window (state, batch, record, HS_TICKET_OPENED_AT);
      updated_in = in_window (state, batch, record, HS_TICKET_LAST_UPDATE);

      if (state->phase == PHASE_TICKETS_OPENED && !opened_in)
        state->opened_dropped++;

      /* A ticket opened before the window's end may carry time entries in
       * it, even when the ticket itself belongs to another year. */
      if (state->phase == PHASE_TICKETS_CHANGED &&
          (hs_record_batch_is_null (batch, record, HS_TICKET_OPENED_AT) ||
           hs_record_batch_get_timestamp (batch, record, HS_TICKET_OPENED_AT) < state->end) &&
          hs_halo_id_set_add (state->changed_seen, id))
        g_array_append_val (state->changed_tickets, id);

      if (!opened_in && !updated_in)
        hs_record_batch_truncate (batch, record);
      else
        drop_if_seen (state, batch, record);
    }

  state->batch = g_steal_pointer (&batch);

  has_first_id = first_row_id (rows, &first_id);
  more = hs_halo_pager_advance (&state->pager, json_array_get_length (rows), record_count,
                                has_first_id, first_id);
  note_expected (state, HS_STREAM_TICKETS, state->expected_base);
  if (more)
    return TRUE;

  switch (state->phase)
    {
    case PHASE_TICKETS_OPENED:
      if (state->pager.record_count >= 0)
        hs_pull_set_remote_count (state->pull, HS_STREAM_TICKETS,
                                  MAX (state->pager.record_count - state->opened_dropped, 0));
      state->expected_base = MAX (hs_pull_get_expected (state->pull, HS_STREAM_TICKETS), 0);
      finish_phase (state, PHASE_TICKETS_OLDER);
      break;
    case PHASE_TICKETS_SINCE:
    case PHASE_TICKETS_OLDER:
    case PHASE_TICKETS_CHANGED:
      finish_phase (state, PHASE_EVENTS);
      break;
    default:
      g_assert_not_reached ();
    }

  return TRUE;
}

typedef struct
{
  gint64 ticket_id;
  gint64 action_id;
} EntryKey;

static guint
entry_key_hash (gconstpointer key)
{
  const EntryKey *k = key;

  return g_int64_hash (&k->ticket_id) * 31 + g_int64_hash (&k->action_id);
}

static gboolean
entry_key_equal (gconstpointer a,
                 gconstpointer b)
{
  const EntryKey *x = a, *y = b;

  return x->ticket_id == y->ticket_id && x->action_id == y->action_id;
}

/* Parses time entries of @rows, keeping those that start in [from, to)
 * and occur once in the batch. */
static gboolean
parse_time_entries (PullState          *state,
                    HsHaloKind          kind,
                    JsonArray          *rows,
                    gint64              from,
                    gint64              to,
                    HsRecordBatch      *batch,
                    HsHaloParseContext *ctx,
                    GError            **error)
{
  g_autoptr(GHashTable) keys = g_hash_table_new_full (entry_key_hash, entry_key_equal, g_free, NULL);

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      guint record = hs_record_batch_get_n_records (batch);
      EntryKey key;
      gint64 started;

      switch (hs_halo_parse_record (kind, json_array_get_element (rows, i), batch, ctx, error))
        {
        case HS_HALO_PARSE_FAILED:
          return FALSE;
        case HS_HALO_PARSE_SKIPPED:
          continue;
        case HS_HALO_PARSE_ADDED:
        default:
          break;
        }

      key.ticket_id = hs_record_batch_get_int (batch, record, HS_TIME_ENTRY_TICKET_ID);
      key.action_id = hs_record_batch_get_int (batch, record, HS_TIME_ENTRY_ACTION_ID);
      started = hs_record_batch_get_timestamp (batch, record, HS_TIME_ENTRY_STARTED_AT);

      if (hs_record_batch_is_null (batch, record, HS_TIME_ENTRY_STARTED_AT) ||
          started < from || started >= to || started < state->start || started >= state->end ||
          !g_hash_table_add (keys, g_memdup2 (&key, sizeof key)))
        hs_record_batch_truncate (batch, record);
    }

  return TRUE;
}

/* Sizes the next event window from the density of the one just read, so
 * that a response holds about the target, which first grows if Halo
 * answered the window with ease: to twice what it carried, not more, so
 * a window that held little proves nothing about a larger one. */
static void
adapt_event_window (HsHaloSource *self,
                    PullState    *state)
{
  guint n_agents = state->agent_ids->len;
  guint min_groups = (n_agents + MAX_AGENTS_PER_REQUEST - 1) / MAX_AGENTS_PER_REQUEST;
  double target;
  double length = state->ev_window_end - state->ev_cursor;
  /* Events per microsecond for all agents, from the busiest group. */
  double rate = (double) state->ev_window_max * state->ev_groups / length;
  double next;
  guint groups;

  if (!state->ev_strained)
    state->ev_target = CLAMP ((guint64) 2 * state->ev_window_max, state->ev_target,
                              self->max_events_per_request);
  target = state->ev_target;

  if (state->ev_window_max == 0)
    {
      groups = min_groups;
      next = 2.0 * state->ev_length;
    }
  else
    {
      double needed = ceil (rate * MIN_EVENT_WINDOW / target);

      groups = (guint) CLAMP (needed, min_groups, n_agents);
      next = target * groups / rate;
      if (groups <= state->ev_groups)
        next = MIN (next, 2.0 * state->ev_length);
    }

  next = CLAMP (next, MIN_EVENT_WINDOW, MAX_EVENT_WINDOW);
  state->ev_length = round_down_to_second ((gint64) next);
  state->ev_groups = MAX (groups, 1);

  g_debug ("TimesheetEvent: %u events in the busiest response of %" G_GINT64_FORMAT
           " s%s; next window %" G_GINT64_FORMAT " s for %u group(s), %u events each",
           state->ev_window_max, (gint64) length / G_USEC_PER_SEC,
           state->ev_strained ? " (strained)" : "",
           state->ev_length / G_USEC_PER_SEC, state->ev_groups, state->ev_target);
}

static gboolean
process_events (HsHaloSource       *self,
                PullState          *state,
                JsonNode           *root,
                HsHaloParseContext *ctx,
                GError            **error)
{
  g_autoptr(HsRecordBatch) batch = hs_record_batch_new (HS_STREAM_TIME_ENTRIES);
  gint64 record_count;
  JsonArray *rows;

  rows = hs_halo_parse_rows (root, NULL, &record_count, ctx, error);
  if (rows == NULL)
    return FALSE;

  if (!parse_time_entries (state, HS_HALO_KIND_TIMESHEET_EVENT, rows,
                           state->ev_cursor, state->ev_window_end, batch, ctx, error))
    return FALSE;

  state->batch = g_steal_pointer (&batch);
  state->ev_window_max = MAX (state->ev_window_max, json_array_get_length (rows));

  if (++state->ev_group < state->ev_groups)
    return TRUE;

  adapt_event_window (self, state);
  state->ev_cursor = state->ev_window_end;
  state->ev_window_end = MIN (state->ev_cursor + state->ev_length, state->ev_end);
  state->ev_group = 0;
  state->ev_window_max = 0;
  state->ev_strained = FALSE;

  if (state->ev_cursor >= state->ev_end)
    finish_phase (state, state->incremental ? PHASE_ACTIONS : PHASE_DONE);

  return TRUE;
}

static gboolean
process_actions (HsHaloSource       *self,
                 PullState          *state,
                 JsonNode           *root,
                 HsHaloParseContext *ctx,
                 GError            **error)
{
  g_autoptr(HsRecordBatch) batch = hs_record_batch_new (HS_STREAM_TIME_ENTRIES);
  gint64 record_count;
  JsonArray *rows;

  rows = hs_halo_parse_rows (root, "actions", &record_count, ctx, error);
  if (rows == NULL)
    return FALSE;

  if (!parse_time_entries (state, HS_HALO_KIND_ACTION, rows, state->start, state->end,
                           batch, ctx, error))
    return FALSE;

  state->batch = g_steal_pointer (&batch);

  if (++state->next_ticket >= state->changed_tickets->len)
    finish_phase (state, PHASE_DONE);

  return TRUE;
}

/* Takes over @task's reference. */
static void
pull_continue (GTask *task)
{
  HsHaloSource *self = g_task_get_source_object (task);
  PullState *state = g_task_get_task_data (task);

  if (state->has_next_phase)
    {
      state->has_next_phase = FALSE;
      enter_phase (self, state, state->next_phase);
    }
  pull_request (task);
}

static void
push_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PullState *state = g_task_get_task_data (task);
  GError *error = NULL;

  g_clear_pointer (&state->batch, hs_record_batch_unref);

  if (!hs_pull_push_finish (HS_PULL (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  pull_continue (g_steal_pointer (&task));
}

/* The label a response's messages name, such as "GET /api/Tickets". */
static char *
describe_request (PullState *state,
                  guint     *page)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  *page = 0;
  switch (state->phase)
    {
    case PHASE_AGENTS:
      return g_strdup ("GET /api/Agent");
    case PHASE_TEAMS:
      return g_strdup ("GET /api/Team");
    case PHASE_CLIENTS:
      *page = state->pager.page;
      return g_strdup ("GET /api/Client");
    case PHASE_TICKETS_COUNT:
      return g_strdup ("GET /api/Tickets");
    case PHASE_TICKETS_SINCE:
    case PHASE_TICKETS_OPENED:
    case PHASE_TICKETS_OLDER:
    case PHASE_TICKETS_CHANGED:
      *page = state->pager.page;
      return g_strdup ("GET /api/Tickets");
    case PHASE_EVENTS:
      from = hs_halo_date_format (state->ev_cursor);
      to = hs_halo_date_format (state->ev_window_end);
      /* TRANSLATORS: a TimesheetEvent request over a time range */
      return g_strdup_printf (_("GET /api/TimesheetEvent from %s to %s"), from, to);
    case PHASE_ACTIONS:
      /* A 64-bit format macro cannot go into a translatable string. */
      from = g_strdup_printf ("%" G_GINT64_FORMAT,
                              g_array_index (state->changed_tickets, gint64, state->next_ticket));
      /* TRANSLATORS: the Actions request of one ticket; %s is its id */
      return g_strdup_printf (_("GET /api/Actions of ticket %s"), from);
    case PHASE_DONE:
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HsHaloSource *self = g_task_get_source_object (task);
  PullState *state = g_task_get_task_data (task);
  g_auto(HsHaloParseContext) ctx = { 0 };
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *request = NULL;
  GCancellable *cancellable;
  GError *error = NULL;
  gboolean ok;
  guint page;

  body = hs_halo_client_get_finish (HS_HALO_CLIENT (object), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (state->phase == PHASE_EVENTS &&
      hs_halo_client_get_response_time (self->client, result) >= (gint64) self->timeout * G_USEC_PER_SEC / 4)
    state->ev_strained = TRUE;

  request = describe_request (state, &page);
  hs_halo_parse_context_init (&ctx, state->pull, request, page);
  root = hs_halo_parse_json (body, &ctx, &error);
  if (root == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  switch (state->phase)
    {
    case PHASE_AGENTS:
      ok = process_simple (self, state, HS_HALO_KIND_AGENT, "results", root, &ctx, &error);
      break;
    case PHASE_TEAMS:
      ok = process_simple (self, state, HS_HALO_KIND_TEAM, NULL, root, &ctx, &error);
      break;
    case PHASE_CLIENTS:
      ok = process_simple (self, state, HS_HALO_KIND_CLIENT, "clients", root, &ctx, &error);
      break;
    case PHASE_TICKETS_COUNT:
      ok = process_ticket_count (state, root, &ctx, &error);
      break;
    case PHASE_TICKETS_SINCE:
    case PHASE_TICKETS_OPENED:
    case PHASE_TICKETS_OLDER:
    case PHASE_TICKETS_CHANGED:
      ok = process_tickets (self, state, root, &ctx, &error);
      break;
    case PHASE_EVENTS:
      ok = process_events (self, state, root, &ctx, &error);
      break;
    case PHASE_ACTIONS:
      ok = process_actions (self, state, root, &ctx, &error);
      break;
    case PHASE_DONE:
    default:
      g_assert_not_reached ();
    }

  if (!ok)
    {
      /* Nothing of a page that failed is handed on. */
      g_clear_pointer (&state->batch, hs_record_batch_unref);
      g_task_return_error (task, error);
      return;
    }

  if (hs_record_batch_get_n_records (state->batch) == 0)
    {
      g_clear_pointer (&state->batch, hs_record_batch_unref);
      pull_continue (g_steal_pointer (&task));
      return;
    }

  cancellable = g_task_get_cancellable (task);
  hs_pull_push_async (state->pull, state->batch, cancellable, push_cb, g_steal_pointer (&task));
}

/* The request of the current event window and agent group. */
static char *
events_path (PullState *state)
{
  GString *path = g_string_new ("/api/TimesheetEvent?agents=");
  g_autofree char *from = hs_halo_date_format (state->ev_cursor);
  g_autofree char *to = hs_halo_date_format (state->ev_window_end);
  guint n = state->agent_ids->len;
  guint first = (guint) ((guint64) state->ev_group * n / state->ev_groups);
  guint last = (guint) ((guint64) (state->ev_group + 1) * n / state->ev_groups);

  for (guint i = first; i < last; i++)
    g_string_append_printf (path, "%s%" G_GINT64_FORMAT, i > first ? "," : "",
                            g_array_index (state->agent_ids, gint64, i));
  /* utcoffset=0: Halo reads the dates as UTC, not the agent's zone. */
  g_string_append_printf (path, "&start_date=%s&end_date=%s&utcoffset=0", from, to);
  return g_string_free (path, FALSE);
}

/* A TimesheetEvent request failed with a 5xx, a 429 or a network error
 * (a timeout among them) and is about to be sent again.  Halo may be
 * struggling with its size, so the target halves, which sizes the windows
 * and agent groups after it, and the retry asks for half the window (an
 * hour at least).  Only the window's first request may shrink it: the
 * later groups must cover the window the first one did. */
static char *
events_resize_cb (gpointer user_data)
{
  PullState *state = g_task_get_task_data (G_TASK (user_data));
  gint64 half = round_down_to_second ((state->ev_window_end - state->ev_cursor) / 2);

  state->ev_target = MAX (state->ev_target / 2, 1);
  state->ev_strained = TRUE;

  if (state->ev_group == 0 && half >= MIN_EVENT_WINDOW)
    {
      state->ev_length = half;
      state->ev_window_end = state->ev_cursor + half;
    }

  g_debug ("TimesheetEvent: retrying with %" G_GINT64_FORMAT " s for %u group(s), %u events each",
           (state->ev_window_end - state->ev_cursor) / G_USEC_PER_SEC, state->ev_groups,
           state->ev_target);
  return events_path (state);
}

/* Takes over @task's reference. */
static void
pull_request (GTask *task)
{
  HsHaloSource *self = g_task_get_source_object (task);
  PullState *state = g_task_get_task_data (task);
  g_autofree char *path = NULL;
  g_autofree char *start = hs_halo_date_format (state->start);
  g_autofree char *end = hs_halo_date_format (state->end);

  switch (state->phase)
    {
    case PHASE_AGENTS:
      path = g_strdup ("/api/Agent?includeenabled=true&includedisabled=true");
      break;

    case PHASE_TEAMS:
      path = g_strdup ("/api/Team");
      break;

    case PHASE_CLIENTS:
      path = g_strdup_printf ("/api/Client?pageinate=true&page_size=%u&page_no=%u&order=id"
                              "&includeactive=true&includeinactive=true",
                              self->page_size, state->pager.page);
      break;

    case PHASE_TICKETS_COUNT:
      path = g_strdup_printf ("/api/Tickets?pageinate=true&page_size=1&page_no=1&order=id"
                              "&datesearch=dateoccured&startdate=%s&enddate=%s",
                              start, end);
      break;

    case PHASE_TICKETS_SINCE:
      path = g_strdup_printf ("/api/Tickets?pageinate=true&page_size=%u&page_no=%u&order=id"
                              "&lastupdatefromdate=%s",
                              self->page_size, state->pager.page, start);
      break;

    case PHASE_TICKETS_OPENED:
      path = g_strdup_printf ("/api/Tickets?pageinate=true&page_size=%u&page_no=%u&order=id"
                              "&datesearch=dateoccured&startdate=%s&enddate=%s",
                              self->page_size, state->pager.page, start, end);
      break;

    case PHASE_TICKETS_OLDER:
      path = g_strdup_printf ("/api/Tickets?pageinate=true&page_size=%u&page_no=%u&order=id"
                              "&datesearch=dateoccured&enddate=%s"
                              "&lastupdatefromdate=%s&lastupdatetodate=%s",
                              self->page_size, state->pager.page, start, start, end);
      break;

    case PHASE_TICKETS_CHANGED:
      {
        g_autofree char *since = hs_halo_date_format (state->since);

        path = g_strdup_printf ("/api/Tickets?pageinate=true&page_size=%u&page_no=%u&order=id"
                                "&lastupdatefromdate=%s",
                                self->page_size, state->pager.page, since);
      }
      break;

    case PHASE_EVENTS:
      path = events_path (state);
      hs_halo_client_get_resizable_async (self->client, path, events_resize_cb, task, state->pull,
                                          g_task_get_cancellable (task), page_cb, task);
      return;

    case PHASE_ACTIONS:
      path = g_strdup_printf ("/api/Actions?ticket_id=%" G_GINT64_FORMAT,
                              g_array_index (state->changed_tickets, gint64, state->next_ticket));
      break;

    case PHASE_DONE:
    default:
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  hs_halo_client_get_async (self->client, path, state->pull, g_task_get_cancellable (task),
                            page_cb, task);
}

static void
pull_prepared_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HsHaloSource *self = g_task_get_source_object (task);
  PullState *state = g_task_get_task_data (task);
  GError *error = NULL;

  if (!prepare_finish (self, result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  enter_phase (self, state, PHASE_AGENTS);
  pull_request (g_steal_pointer (&task));
}

static void
hs_halo_source_pull_async (HsSource           *source,
                           HsPull             *pull,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  HsHaloSource *self = HS_HALO_SOURCE (source);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  PullState *state;
  GError *error = NULL;
  gint64 events_since;

  g_task_set_source_tag (task, hs_halo_source_pull_async);

  if (!check_config (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  state = g_new0 (PullState, 1);
  state->pull = g_object_ref (pull);
  state->stream = -1;
  state->start = hs_pull_get_window_start (pull);
  state->end = hs_pull_get_window_end (pull);
  state->in_progress = state->end > g_get_real_time ();
  state->since = hs_pull_get_since (pull, HS_STREAM_TICKETS);
  /* Without a ticket cursor there is nothing to be incremental from. */
  state->incremental = hs_pull_get_mode (pull) == HS_SYNC_INCREMENTAL && state->since > 0;
  events_since = hs_pull_get_since (pull, HS_STREAM_TIME_ENTRIES);
  state->events_since = events_since > 0 ? events_since : state->since;
  state->agent_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  state->changed_seen = hs_halo_id_set_new ();
  state->changed_tickets = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_task_set_task_data (task, state, (GDestroyNotify) pull_state_free);

  g_debug ("Pulling %s from Halo (%s)", hs_fiscal_year_get_label (hs_pull_get_fiscal_year (pull)),
           state->incremental ? "incremental" : "full");

  prepare_async (self, cancellable, pull_prepared_cb, g_steal_pointer (&task));
}

static gboolean
hs_halo_source_pull_finish (HsSource     *source,
                            GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, hs_halo_source_pull_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- The object ---- */

static void
hs_halo_source_dispose (GObject *object)
{
  HsHaloSource *self = HS_HALO_SOURCE (object);

  g_clear_object (&self->client);
  g_clear_object (&self->budget);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (hs_halo_source_parent_class)->dispose (object);
}

static guint *
uint_field (HsHaloSource *self,
            guint         prop_id)
{
  switch (prop_id)
    {
    case PROP_RETRY_BASE_DELAY:
      return &self->retry_base_delay;
    case PROP_RETRY_MAX_DELAY:
      return &self->retry_max_delay;
    case PROP_MAX_ATTEMPTS:
      return &self->max_attempts;
    case PROP_RATE_LIMIT_DELAY:
      return &self->rate_limit_delay;
    case PROP_MAX_RETRY_AFTER:
      return &self->max_retry_after;
    case PROP_TIMEOUT:
      return &self->timeout;
    case PROP_EVENTS_PER_REQUEST:
      return &self->events_per_request;
    case PROP_MAX_EVENTS_PER_REQUEST:
      return &self->max_events_per_request;
    case PROP_PAGE_SIZE:
      return &self->page_size;
    default:
      return NULL;
    }
}

static void
hs_halo_source_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  guint *field = uint_field (HS_HALO_SOURCE (object), prop_id);

  if (field == NULL)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_value_set_uint (value, *field);
}

static void
hs_halo_source_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HsHaloSource *self = HS_HALO_SOURCE (object);
  guint *field = uint_field (self, prop_id);

  if (field == NULL)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  if (*field == g_value_get_uint (value))
    return;
  *field = g_value_get_uint (value);
  g_object_notify_by_pspec (object, pspec);
}

static GParamSpec *
uint_property (const char *name,
               guint       min,
               guint       max,
               guint       default_value)
{
  return g_param_spec_uint (name, NULL, NULL, min, max, default_value,
                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT |
                            G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
hs_halo_source_class_init (HsHaloSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HsSourceClass *source_class = HS_SOURCE_CLASS (klass);

  object_class->dispose = hs_halo_source_dispose;
  object_class->get_property = hs_halo_source_get_property;
  object_class->set_property = hs_halo_source_set_property;

  source_class->check_async = hs_halo_source_check_async;
  source_class->check_finish = hs_halo_source_check_finish;
  source_class->pull_async = hs_halo_source_pull_async;
  source_class->pull_finish = hs_halo_source_pull_finish;

  /**
   * HsHaloSource:retry-base-delay:
   *
   * Milliseconds of back-off before the second attempt after a server or
   * network error; the bound doubles with each attempt (full jitter).
   */
  properties[PROP_RETRY_BASE_DELAY] = uint_property ("retry-base-delay", 0, G_MAXINT32, 1000);

  /**
   * HsHaloSource:retry-max-delay:
   *
   * The back-off's cap, in milliseconds.
   */
  properties[PROP_RETRY_MAX_DELAY] = uint_property ("retry-max-delay", 0, G_MAXINT32, 60000);

  /**
   * HsHaloSource:max-attempts:
   *
   * Attempts per request, the first included, before a server error,
   * network error or 429 fails the run.
   */
  properties[PROP_MAX_ATTEMPTS] = uint_property ("max-attempts", 1, 100, 5);

  /**
   * HsHaloSource:rate-limit-delay:
   *
   * Milliseconds to wait after a 429 without `Retry-After`: a random time
   * between this and twice this.
   */
  properties[PROP_RATE_LIMIT_DELAY] = uint_property ("rate-limit-delay", 0, G_MAXINT32, 30000);

  /**
   * HsHaloSource:max-retry-after:
   *
   * The longest `Retry-After` honoured, in milliseconds.
   */
  properties[PROP_MAX_RETRY_AFTER] = uint_property ("max-retry-after", 0, G_MAXINT32, 300000);

  /**
   * HsHaloSource:timeout:
   *
   * Seconds a request may wait for Halo before it counts as a network
   * error (and is retried).
   */
  properties[PROP_TIMEOUT] = uint_property ("timeout", 1, 3600, 60);

  /**
   * HsHaloSource:events-per-request:
   *
   * About how many TimesheetEvents a response should hold at first; event
   * date windows and agent groups are sized for the target, which grows
   * from this while Halo answers fast and whole.
   */
  properties[PROP_EVENTS_PER_REQUEST] = uint_property ("events-per-request", 1, 1000000, 1500);

  /**
   * HsHaloSource:max-events-per-request:
   *
   * The most TimesheetEvents a response is sized for.  A response is read
   * whole before it is parsed, about 3.3 KiB of memory per event at its
   * peak, so this bounds the memory a pull takes.  Measured on the large
   * simulated tenant (docs/performance.md): 6,000 keeps a whole sync near
   * 49 MiB, where 12,000 reaches 63 MiB to save 4 % of the requests.
   */
  properties[PROP_MAX_EVENTS_PER_REQUEST] = uint_property ("max-events-per-request", 1, 1000000, 6000);

  /**
   * HsHaloSource:page-size:
   *
   * The `page_size` asked of paged endpoints.  Halo serves at most 100
   * whatever is asked; the reader goes by what the first page holds.
   */
  properties[PROP_PAGE_SIZE] = uint_property ("page-size", 1, 1000, 100);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hs_halo_source_init (HsHaloSource *self)
{
  self->session = soup_session_new_with_options ("user-agent", "HaloSync/" PACKAGE_VERSION,
                                                 NULL);
  self->budget = hs_halo_rate_budget_new (0, 300);
  self->client = hs_halo_client_new (self->session, self->budget);
}
