/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <halosync.h>
#include <string.h>

#include "hs-sim-control.h"
#include "hs-sim-json.h"
#include "hs-sim-time.h"

/* The control API under /_sim/: what tests use to change the tenant
 * behind a client's back, switch faults, and read counters and the ground
 * truth.  It is never rate-limited, faulted or counted, and every call
 * needs the control token as its bearer token. */

static void
set_control_error (HsSimRequest *req,
                   const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  guint status = SOUP_STATUS_BAD_REQUEST;

  if (g_error_matches (error, HS_ERROR, HS_ERROR_NOT_FOUND))
    status = SOUP_STATUS_NOT_FOUND;
  else if (g_error_matches (error, HS_ERROR, HS_ERROR_AUTH))
    status = SOUP_STATUS_UNAUTHORIZED;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, error->message);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  hs_sim_request_set_json (req, status, node);
}

static void
fail (HsSimRequest *req,
      GQuark        domain,
      int           code,
      const char   *message)
{
  g_autoptr(GError) error = g_error_new_literal (domain, code, message);

  set_control_error (req, error);
}

/* Returns: (transfer full) (nullable): the request body parsed as JSON,
 * an empty object for an empty body, or %NULL with the error answered */
static JsonNode *
parse_body (HsSimRequest *req)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (body->length == 0)
    return json_node_init_object (json_node_alloc (), json_object_new ());

  if (!json_parser_load_from_data (parser, body->data, (gssize) body->length, &error))
    {
      g_autoptr(GError) wrapped = g_error_new (HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                                               _("The request body is not JSON: %s"), error->message);

      set_control_error (req, wrapped);
      return NULL;
    }
  return json_node_copy (json_parser_get_root (parser));
}

static JsonObject *
body_object (HsSimRequest  *req,
             JsonNode     **holder)
{
  *holder = parse_body (req);
  if (*holder == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (*holder))
    {
      fail (req, HS_ERROR, HS_ERROR_INVALID_ARGUMENT, _("The request body must be a JSON object"));
      g_clear_pointer (holder, json_node_unref);
      return NULL;
    }
  return json_node_get_object (*holder);
}

static void
reply_ticket (HsSimServer  *server,
              HsSimRequest *req,
              guint         status,
              guint         id)
{
  HsSimJsonWriter w;

  req->status = status;
  hs_sim_json_writer_init (&w, req->body);
  hs_sim_json_ticket (&w, hs_sim_server_get_tenant (server), id, TRUE);
  hs_sim_json_writer_clear (&w);
}

static void
reply_action (HsSimServer  *server,
              HsSimRequest *req,
              guint         status,
              guint         ticket_id,
              guint         action_id)
{
  HsSimTenant *tenant = hs_sim_server_get_tenant (server);
  HsSimJsonWriter w;

  req->status = status;
  hs_sim_json_writer_init (&w, req->body);
  hs_sim_json_action (&w, tenant, ticket_id, hs_sim_tenant_find_action (tenant, ticket_id, action_id));
  hs_sim_json_writer_clear (&w);
}

static void
reply_ok (HsSimRequest *req)
{
  req->status = SOUP_STATUS_OK;
  g_string_assign (req->body, "{\"ok\":true}");
}

static gboolean
parse_id (HsSimRequest *req,
          const char   *text,
          guint        *id)
{
  if (hs_sim_request_parse_uint (text, id))
    return TRUE;
  fail (req, HS_ERROR, HS_ERROR_NOT_FOUND, _("The id in the path is not a number"));
  return FALSE;
}

/* POST /_sim/tickets/touch {"ids": [..]} or {"first_id": a, "last_id": b},
 * plus "last_update": one time stamped on all of them. */
static void
touch_tickets (HsSimServer  *server,
               HsSimRequest *req)
{
  g_autoptr(JsonNode) holder = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;
  JsonObject *object = body_object (req, &holder);
  const char *text;
  gint64 last_update;
  guint changed;

  if (object == NULL)
    return;

  text = json_object_get_string_member_with_default (object, "last_update", NULL);
  if (text == NULL || !hs_sim_time_parse (text, &last_update))
    {
      fail (req, HS_ERROR, HS_ERROR_INVALID_ARGUMENT, _("“last_update” must be a date such as 2025-07-01T09:30:00"));
      return;
    }

  if (json_object_has_member (object, "ids"))
    {
      JsonArray *list = json_object_get_array_member (object, "ids");

      for (guint i = 0; list != NULL && i < json_array_get_length (list); i++)
        {
          JsonNode *item = json_array_get_element (list, i);
          guint id;

          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_INT64 ||
              json_node_get_int (item) < 1 || json_node_get_int (item) > G_MAXUINT32)
            {
              fail (req, HS_ERROR, HS_ERROR_INVALID_ARGUMENT, _("“ids” must be an array of ticket ids"));
              return;
            }
          id = (guint) json_node_get_int (item);
          g_array_append_val (ids, id);
        }
    }
  else
    {
      gint64 first = json_object_get_int_member_with_default (object, "first_id", 0);
      gint64 last = json_object_get_int_member_with_default (object, "last_id", 0);

      for (gint64 id = MAX (first, 1); id <= last && id <= G_MAXUINT32; id++)
        {
          guint value = (guint) id;

          g_array_append_val (ids, value);
        }
    }

  changed = hs_sim_tenant_touch_tickets (hs_sim_server_get_tenant (server), ids, last_update, &error);
  if (error != NULL)
    {
      set_control_error (req, error);
      return;
    }
  req->status = SOUP_STATUS_OK;
  g_string_printf (req->body, "{\"changed\":%u}", changed);
}

static void
handle_tickets (HsSimServer  *server,
                HsSimRequest *req)
{
  HsSimTenant *tenant = hs_sim_server_get_tenant (server);
  gint64 now = hs_sim_server_now (server);
  gboolean post = strcmp (req->method, "POST") == 0 || strcmp (req->method, "PATCH") == 0;
  gboolean delete = strcmp (req->method, "DELETE") == 0;
  g_autoptr(JsonNode) holder = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  guint id, action_id;

  /* /_sim/tickets */
  if (req->n_segments == 2 && post)
    {
      if ((object = body_object (req, &holder)) == NULL)
        return;
      id = hs_sim_tenant_create_ticket (tenant, object, now, &error);
      if (id == 0)
        set_control_error (req, error);
      else
        reply_ticket (server, req, SOUP_STATUS_CREATED, id);
      return;
    }

  if (req->n_segments == 3 && strcmp (req->segments[2], "touch") == 0 && post)
    {
      touch_tickets (server, req);
      return;
    }

  if (req->n_segments < 3 || !parse_id (req, req->segments[2], &id))
    {
      if (req->n_segments < 3)
        fail (req, HS_ERROR, HS_ERROR_NOT_FOUND, _("No control endpoint here"));
      return;
    }

  /* /_sim/tickets/{id} */
  if (req->n_segments == 3 && post)
    {
      if ((object = body_object (req, &holder)) == NULL)
        return;
      if (!hs_sim_tenant_update_ticket (tenant, id, object, now, &error))
        set_control_error (req, error);
      else
        reply_ticket (server, req, SOUP_STATUS_OK, id);
      return;
    }
  if (req->n_segments == 3 && delete)
    {
      if (!hs_sim_tenant_delete_ticket (tenant, id, now, &error))
        set_control_error (req, error);
      else
        reply_ok (req);
      return;
    }

  if (req->n_segments < 4 || strcmp (req->segments[3], "actions") != 0)
    {
      fail (req, HS_ERROR, HS_ERROR_NOT_FOUND, _("No control endpoint here"));
      return;
    }

  /* /_sim/tickets/{id}/actions */
  if (req->n_segments == 4 && post)
    {
      if ((object = body_object (req, &holder)) == NULL)
        return;
      action_id = hs_sim_tenant_create_action (tenant, id, object, now, &error);
      if (action_id == 0)
        set_control_error (req, error);
      else
        reply_action (server, req, SOUP_STATUS_CREATED, id, action_id);
      return;
    }

  if (req->n_segments != 5 || !parse_id (req, req->segments[4], &action_id))
    {
      if (req->n_segments != 5)
        fail (req, HS_ERROR, HS_ERROR_NOT_FOUND, _("No control endpoint here"));
      return;
    }

  /* /_sim/tickets/{id}/actions/{action_id} */
  if (post)
    {
      if ((object = body_object (req, &holder)) == NULL)
        return;
      if (!hs_sim_tenant_update_action (tenant, id, action_id, object, now, &error))
        set_control_error (req, error);
      else
        reply_action (server, req, SOUP_STATUS_OK, id, action_id);
    }
  else if (delete)
    {
      if (!hs_sim_tenant_delete_action (tenant, id, action_id,
                                        hs_sim_request_get_bool (req, "bump_ticket", TRUE), now, &error))
        set_control_error (req, error);
      else
        reply_ok (req);
    }
  else
    fail (req, HS_ERROR, HS_ERROR_NOT_FOUND, _("No control endpoint here"));
}

/* POST /_sim/agents/{id}/disable and …/enable */
static void
handle_agents (HsSimServer  *server,
               HsSimRequest *req)
{
  g_autoptr(GError) error = NULL;
  gboolean disable;
  guint id;

  if (req->n_segments != 4 || strcmp (req->method, "POST") != 0 ||
      (strcmp (req->segments[3], "disable") != 0 && strcmp (req->segments[3], "enable") != 0))
    {
      fail (req, HS_ERROR, HS_ERROR_NOT_FOUND, _("Use POST /_sim/agents/ID/disable or /enable"));
      return;
    }
  if (!parse_id (req, req->segments[2], &id))
    return;
  disable = strcmp (req->segments[3], "disable") == 0;
  if (!hs_sim_tenant_set_agent_disabled (hs_sim_server_get_tenant (server), id, disable, &error))
    set_control_error (req, error);
  else
    reply_ok (req);
}

static void
handle_faults (HsSimServer  *server,
               HsSimRequest *req)
{
  HsSimFaults *faults = hs_sim_server_get_faults (server);
  g_autoptr(JsonNode) state = NULL;

  if (strcmp (req->method, "POST") == 0)
    {
      g_autoptr(JsonNode) config = parse_body (req);
      g_autoptr(GError) error = NULL;

      if (config == NULL)
        return;
      if (!hs_sim_faults_configure (faults, config, &error))
        {
          set_control_error (req, error);
          return;
        }
    }
  else if (strcmp (req->method, "DELETE") == 0)
    hs_sim_faults_clear (faults);

  state = hs_sim_faults_to_json (faults);
  hs_sim_request_set_json (req, SOUP_STATUS_OK, state);
}

static void
handle_counters (HsSimServer  *server,
                 HsSimRequest *req)
{
  g_autoptr(JsonNode) state = NULL;
  guint count, limit_seconds, seconds = 300, window;

  if (strcmp (req->method, "DELETE") == 0)
    {
      hs_sim_counters_reset (hs_sim_server_get_counters (server));
      reply_ok (req);
      return;
    }

  /* The busiest window is measured over ?window=S, else the rate
   * limit's window, else Halo's 5 minutes. */
  if (hs_sim_faults_get_rate_limit (hs_sim_server_get_faults (server), &count, &limit_seconds))
    seconds = limit_seconds;
  if (hs_sim_request_get_uint (req, "window", &window) && window > 0)
    seconds = window;
  state = hs_sim_counters_to_json (hs_sim_server_get_counters (server),
                                   (gint64) MAX (seconds, 1) * G_USEC_PER_SEC);
  hs_sim_request_set_json (req, SOUP_STATUS_OK, state);
}

static void
handle_truth (HsSimServer  *server,
              HsSimRequest *req)
{
  g_autoptr(JsonNode) truth = NULL;
  gint64 start, end;
  gboolean has_start, has_end;

  if (!hs_sim_request_get_time (req, "start", &start, &has_start) ||
      !hs_sim_request_get_time (req, "end", &end, &has_end) ||
      !has_start || !has_end)
    {
      fail (req, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
            _("Give the window as ?start=DATE&end=DATE (end exclusive)"));
      return;
    }
  truth = hs_sim_tenant_truth (hs_sim_server_get_tenant (server), start, end);
  hs_sim_request_set_json (req, SOUP_STATUS_OK, truth);
}

/* GET /_sim/clock, or POST {"now": DATE} / {"advance_seconds": N}. */
static void
handle_clock (HsSimServer  *server,
              HsSimRequest *req)
{
  char buf[HS_SIM_TIME_BUF];

  if (strcmp (req->method, "POST") == 0)
    {
      g_autoptr(JsonNode) holder = NULL;
      JsonObject *object = body_object (req, &holder);
      const char *text;
      gint64 now;

      if (object == NULL)
        return;
      text = json_object_get_string_member_with_default (object, "now", NULL);
      if (text != NULL && hs_sim_time_parse (text, &now))
        hs_sim_server_set_now (server, now);
      else if (json_object_has_member (object, "advance_seconds"))
        hs_sim_server_set_now (server, hs_sim_server_now (server) +
                                       json_object_get_int_member (object, "advance_seconds") * HS_SIM_TICKS_PER_SECOND);
      else
        {
          fail (req, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                _("Send {\"now\": \"2026-07-01T00:00:00\"} or {\"advance_seconds\": N}"));
          return;
        }
    }

  hs_sim_time_format (hs_sim_server_now (server), buf);
  req->status = SOUP_STATUS_OK;
  g_string_printf (req->body, "{\"now\":\"%s\"}", buf);
}

/**
 * hs_sim_control_handle:
 * @server: the simulator
 * @control_token: the token every control call must carry
 * @req: a request below /_sim
 *
 * Fills in @req's response.
 */
void
hs_sim_control_handle (HsSimServer  *server,
                       const char   *control_token,
                       HsSimRequest *req)
{
  const char *authorization;
  const char *area;

  authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg),
                                                "Authorization");
  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0 ||
      strcmp (authorization + 7, control_token) != 0)
    {
      fail (req, HS_ERROR, HS_ERROR_AUTH, _("The control API needs the control token as its bearer token"));
      return;
    }

  area = req->n_segments >= 2 ? req->segments[1] : "";
  if (strcmp (area, "tickets") == 0)
    handle_tickets (server, req);
  else if (strcmp (area, "agents") == 0)
    handle_agents (server, req);
  else if (strcmp (area, "faults") == 0 && req->n_segments == 2)
    handle_faults (server, req);
  else if (strcmp (area, "counters") == 0 && req->n_segments == 2)
    handle_counters (server, req);
  else if (strcmp (area, "truth") == 0 && req->n_segments == 2)
    handle_truth (server, req);
  else if (strcmp (area, "clock") == 0 && req->n_segments == 2)
    handle_clock (server, req);
  else if (strcmp (area, "tokens") == 0 && req->n_segments == 3 && strcmp (req->segments[2], "revoke") == 0 &&
           strcmp (req->method, "POST") == 0)
    {
      hs_sim_auth_revoke_all (hs_sim_server_get_auth (server));
      reply_ok (req);
    }
  else
    fail (req, HS_ERROR, HS_ERROR_NOT_FOUND, _("No control endpoint here"));
}
