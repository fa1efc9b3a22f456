/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "hs-sim-api.h"
#include "hs-sim-control.h"
#include "hs-sim-request.h"
#include "hs-sim-server.h"
#include "hs-sim-time.h"

/* libsoup 3.2 has no name for it. */
#define STATUS_TOO_MANY_REQUESTS 429

/* A streamed body, owned by its message (as object data) so that it
 * lives exactly as long as the message that writes it. */
typedef struct
{
  HsSimBodyFunc func;
  gpointer data;              /* (owned) */
  GDestroyNotify free;
  gboolean done;
} Stream;

typedef struct
{
  HsSimServer *server;        /* (unowned) */
  SoupServerMessage *msg;     /* (owned) */
  guint source_id;
} Delayed;

/**
 * HsSimServer:
 *
 * The HTTP side of the simulator: a #SoupServer on 127.0.0.1 whose one
 * handler counts each request, applies the rate limit and the faults,
 * checks the bearer token, and passes the request to the /auth, /api or
 * /_sim code.
 */
struct _HsSimServer
{
  GObject parent_instance;

  HsSimTenant *tenant;
  HsSimAuth *auth;
  HsSimFaults *faults;
  HsSimCounters *counters;
  char *control_token;
  SoupServer *soup;
  char *base_url;

  gint64 wall_at_start;       /* ticks */
  gint64 monotonic_at_start;  /* µs */
  gint64 clock_offset;        /* ticks */
  GList *delayed;             /* (owned) of Delayed: answers held back by latency */
};

G_DEFINE_FINAL_TYPE (HsSimServer, hs_sim_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TENANT,
  PROP_AUTH,
  PROP_FAULTS,
  PROP_CONTROL_TOKEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
delayed_free (gpointer data)
{
  Delayed *delayed = data;

  g_clear_handle_id (&delayed->source_id, g_source_remove);
  g_clear_object (&delayed->msg);
  g_free (delayed);
}

static void
hs_sim_server_dispose (GObject *object)
{
  HsSimServer *self = HS_SIM_SERVER (object);

  g_list_free_full (g_steal_pointer (&self->delayed), delayed_free);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->tenant);
  g_clear_object (&self->auth);
  g_clear_object (&self->faults);
  g_clear_object (&self->counters);

  G_OBJECT_CLASS (hs_sim_server_parent_class)->dispose (object);
}

static void
hs_sim_server_finalize (GObject *object)
{
  HsSimServer *self = HS_SIM_SERVER (object);

  g_clear_pointer (&self->control_token, g_free);
  g_clear_pointer (&self->base_url, g_free);

  G_OBJECT_CLASS (hs_sim_server_parent_class)->finalize (object);
}

static void
hs_sim_server_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  HsSimServer *self = HS_SIM_SERVER (object);

  switch (prop_id)
    {
    case PROP_TENANT:
      g_value_set_object (value, self->tenant);
      break;
    case PROP_AUTH:
      g_value_set_object (value, self->auth);
      break;
    case PROP_FAULTS:
      g_value_set_object (value, self->faults);
      break;
    case PROP_CONTROL_TOKEN:
      g_value_set_string (value, self->control_token);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_sim_server_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  HsSimServer *self = HS_SIM_SERVER (object);

  switch (prop_id)
    {
    case PROP_TENANT:
      self->tenant = g_value_dup_object (value);
      break;
    case PROP_AUTH:
      self->auth = g_value_dup_object (value);
      break;
    case PROP_FAULTS:
      self->faults = g_value_dup_object (value);
      break;
    case PROP_CONTROL_TOKEN:
      self->control_token = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_sim_server_class_init (HsSimServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hs_sim_server_dispose;
  object_class->finalize = hs_sim_server_finalize;
  object_class->get_property = hs_sim_server_get_property;
  object_class->set_property = hs_sim_server_set_property;

  properties[PROP_TENANT] =
    g_param_spec_object ("tenant", NULL, NULL, HS_SIM_TYPE_TENANT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_AUTH] =
    g_param_spec_object ("auth", NULL, NULL, HS_SIM_TYPE_AUTH,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FAULTS] =
    g_param_spec_object ("faults", NULL, NULL, HS_SIM_TYPE_FAULTS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CONTROL_TOKEN] =
    g_param_spec_string ("control-token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hs_sim_server_init (HsSimServer *self)
{
  self->counters = hs_sim_counters_new ();
  self->wall_at_start = g_get_real_time () * 10;
  self->monotonic_at_start = g_get_monotonic_time ();
}

HsSimServer *
hs_sim_server_new (HsSimTenant *tenant,
                   HsSimAuth   *auth,
                   HsSimFaults *faults,
                   const char  *control_token)
{
  g_return_val_if_fail (HS_SIM_IS_TENANT (tenant), NULL);
  g_return_val_if_fail (HS_SIM_IS_AUTH (auth), NULL);
  g_return_val_if_fail (HS_SIM_IS_FAULTS (faults), NULL);
  g_return_val_if_fail (control_token != NULL, NULL);

  return g_object_new (HS_SIM_TYPE_SERVER,
                       "tenant", tenant,
                       "auth", auth,
                       "faults", faults,
                       "control-token", control_token,
                       NULL);
}

HsSimTenant *
hs_sim_server_get_tenant (HsSimServer *self)
{
  g_return_val_if_fail (HS_SIM_IS_SERVER (self), NULL);
  return self->tenant;
}

HsSimAuth *
hs_sim_server_get_auth (HsSimServer *self)
{
  g_return_val_if_fail (HS_SIM_IS_SERVER (self), NULL);
  return self->auth;
}

HsSimFaults *
hs_sim_server_get_faults (HsSimServer *self)
{
  g_return_val_if_fail (HS_SIM_IS_SERVER (self), NULL);
  return self->faults;
}

HsSimCounters *
hs_sim_server_get_counters (HsSimServer *self)
{
  g_return_val_if_fail (HS_SIM_IS_SERVER (self), NULL);
  return self->counters;
}

const char *
hs_sim_server_get_base_url (HsSimServer *self)
{
  g_return_val_if_fail (HS_SIM_IS_SERVER (self), NULL);
  return self->base_url;
}

/* The simulator's clock, in ticks: the wall clock read once at start-up,
 * advanced by the monotonic clock (so a jumping system clock cannot make
 * a mutation go back in time), plus the offset a test may set. */
gint64
hs_sim_server_now (HsSimServer *self)
{
  g_return_val_if_fail (HS_SIM_IS_SERVER (self), 0);

  return self->wall_at_start + self->clock_offset +
         (g_get_monotonic_time () - self->monotonic_at_start) * 10;
}

void
hs_sim_server_set_now (HsSimServer *self,
                       gint64       now)
{
  g_return_if_fail (HS_SIM_IS_SERVER (self));

  self->clock_offset += now - hs_sim_server_now (self);
}

/* "GET /api/tickets/{id}": ids folded so the counters group by endpoint. */
static char *
endpoint_name (HsSimRequest *req)
{
  GString *name = g_string_new (req->method);

  g_string_append_c (name, ' ');
  for (guint i = 0; i < req->n_segments; i++)
    {
      guint id;

      g_string_append_c (name, '/');
      if (i > 0 && (hs_sim_request_parse_uint (req->segments[i], &id) || strcmp (req->segments[i], "me") == 0))
        g_string_append (name, "{id}");
      else
        g_string_append (name, req->segments[i]);
    }
  return g_string_free (name, FALSE);
}

static void
issue_token (HsSimServer  *self,
             HsSimRequest *req)
{
  g_autoptr(GHashTable) form = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *token = NULL;
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  g_autofree char *text = NULL;
  const char *grant, *tenant, *scope;

  if (strcmp (req->method, "POST") != 0)
    {
      hs_sim_request_set_error (req, SOUP_STATUS_METHOD_NOT_ALLOWED, "Use POST for the token endpoint.");
      return;
    }

  text = g_strndup (body->data != NULL ? body->data : "", body->length);
  form = soup_form_decode (text);
  grant = g_hash_table_lookup (form, "grant_type");
  /* hosted Halo takes the tenant as a query parameter; one client sends
   * it in the form instead (halo-api.md §1). */
  tenant = hs_sim_request_get (req, "tenant");
  if (tenant == NULL)
    tenant = g_hash_table_lookup (form, "tenant");
  scope = g_hash_table_lookup (form, "scope");

  json_builder_begin_object (builder);
  if (g_strcmp0 (grant, "client_credentials") != 0)
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, "unsupported_grant_type");
      json_builder_set_member_name (builder, "error_description");
      json_builder_add_string_value (builder, "Only the client_credentials grant is supported.");
      req->status = SOUP_STATUS_BAD_REQUEST;
    }
  else if (!hs_sim_auth_check_client (self->auth, g_hash_table_lookup (form, "client_id"),
                                      g_hash_table_lookup (form, "client_secret"), tenant))
    {
      json_builder_set_member_name (builder, "error");
      json_builder_add_string_value (builder, "invalid_client");
      json_builder_set_member_name (builder, "error_description");
      json_builder_add_string_value (builder, "The client credentials are invalid.");
      req->status = SOUP_STATUS_BAD_REQUEST;
    }
  else
    {
      token = hs_sim_auth_issue_token (self->auth);
      json_builder_set_member_name (builder, "access_token");
      json_builder_add_string_value (builder, token);
      json_builder_set_member_name (builder, "token_type");
      json_builder_add_string_value (builder, "Bearer");
      json_builder_set_member_name (builder, "expires_in");
      json_builder_add_int_value (builder, hs_sim_auth_get_lifetime (self->auth));
      json_builder_set_member_name (builder, "scope");
      json_builder_add_string_value (builder, scope != NULL ? scope : "all");
      req->status = SOUP_STATUS_OK;
    }
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  hs_sim_request_set_json (req, req->status, node);
}

static void
auth_info (HsSimServer  *self,
           HsSimRequest *req)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *auth_url = g_strconcat (self->base_url, "/auth", NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "auth_url");
  json_builder_add_string_value (builder, auth_url);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  hs_sim_request_set_json (req, SOUP_STATUS_OK, node);
}

/* Turns a JSON body into something no parser accepts: the first ':'
 * (always right after the first key, never inside a value) becomes '=',
 * and a body without one gets a stray brace. */
static void
break_json (GString *body)
{
  char *colon = strchr (body->str, ':');

  if (colon != NULL)
    *colon = '=';
  else
    g_string_append_c (body, '}');
}

/* Returns: %FALSE if the request was refused for want of a valid token */
static gboolean
route_resource (HsSimServer  *self,
                HsSimRequest *req)
{
  const char *authorization;

  if (req->n_segments == 2 && strcmp (req->segments[0], "auth") == 0 && strcmp (req->segments[1], "token") == 0)
    {
      issue_token (self, req);
      return TRUE;
    }
  if (req->n_segments == 2 && strcmp (req->segments[0], "api") == 0 && strcmp (req->segments[1], "authinfo") == 0)
    {
      auth_info (self, req);
      return TRUE;
    }
  if (strcmp (req->segments[0], "auth") == 0)
    {
      hs_sim_request_set_error (req, SOUP_STATUS_NOT_FOUND, "No endpoint at %s.", req->path);
      return TRUE;
    }

  authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg),
                                                "Authorization");
  if (!hs_sim_auth_check_bearer (self->auth, authorization))
    {
      /* The body of Halo's 401 is not relied on by any client; an empty
       * one with the OAuth challenge is what ASP.NET sends. */
      req->status = SOUP_STATUS_UNAUTHORIZED;
      g_string_truncate (req->body, 0);
      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                    "WWW-Authenticate", "Bearer error=\"invalid_token\"");
      return FALSE;
    }

  hs_sim_api_handle (self->tenant, req);
  return TRUE;
}

static void
handle_resource (HsSimServer    *self,
                 HsSimRequest   *req,
                 HsSimFaultPlan *plan)
{
  g_autofree char *endpoint = endpoint_name (req);
  guint retry_after = 0;
  g_autofree char *limit_message = NULL;

  hs_sim_counters_record (self->counters, endpoint, g_get_monotonic_time ());

  if (!hs_sim_faults_admit (self->faults, g_get_monotonic_time (), &retry_after, &limit_message))
    {
      req->status = STATUS_TOO_MANY_REQUESTS;
      req->content_type = "text/plain; charset=utf-8";
      g_string_assign (req->body, limit_message);
      if (retry_after > 0)
        {
          char value[16];

          g_snprintf (value, sizeof value, "%u", retry_after);
          soup_message_headers_replace (soup_server_message_get_response_headers (req->msg),
                                        "Retry-After", value);
        }
      return;
    }

  hs_sim_faults_plan (self->faults, req->path, plan);
  if (plan->revoke)
    hs_sim_auth_revoke_all (self->auth);
  if (plan->status != 0)
    {
      hs_sim_request_set_error (req, plan->status, "Simulated failure %u.", plan->status);
      return;
    }

  req->may_stream = !plan->malformed && !plan->truncate;
  req->override_name = plan->wrong_name;
  req->override_value = plan->wrong_value;
  req->override_record = plan->wrong_record;
  if (!route_resource (self, req))
    return;

  if (plan->malformed)
    break_json (req->body);
  if (plan->truncate && req->body->len > 1)
    {
      gsize keep = plan->truncate_bytes > 0 ? MIN (plan->truncate_bytes, req->body->len - 1)
                                            : req->body->len / 2;

      g_string_truncate (req->body, keep);
    }
}

static gboolean
delayed_reply_cb (gpointer data)
{
  Delayed *delayed = data;
  HsSimServer *self = delayed->server;

  delayed->source_id = 0;
  soup_server_message_unpause (delayed->msg);
  self->delayed = g_list_remove (self->delayed, delayed);
  delayed_free (delayed);
  return G_SOURCE_REMOVE;
}

static void
stream_free (gpointer data)
{
  Stream *stream = data;

  stream->free (stream->data);
  g_free (stream);
}

/* libsoup pauses a chunked answer that has no chunk queued, and emits
 * wrote-chunk after each one: queueing the next chunk here keeps the
 * answer flowing with one chunk in memory at a time. */
static void
stream_next_chunk_cb (SoupServerMessage *msg,
                      gpointer           user_data)
{
  Stream *stream = user_data;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  GString *chunk;
  gsize length;

  if (stream->done)
    return;

  chunk = g_string_sized_new (80 * 1024);
  stream->done = !stream->func (stream->data, chunk);
  length = chunk->len;
  if (length > 0)
    soup_message_body_append (body, SOUP_MEMORY_TAKE, g_string_free (chunk, FALSE), length);
  else
    g_string_free (chunk, TRUE);
  if (stream->done)
    soup_message_body_complete (body);
}

static void
start_stream (SoupServerMessage *msg,
              HsSimRequest      *req)
{
  Stream *stream = g_new0 (Stream, 1);

  stream->func = req->stream_func;
  stream->data = g_steal_pointer (&req->stream_data);
  stream->free = req->stream_free;
  req->stream_free = NULL;
  req->stream_func = NULL;

  soup_server_message_set_status (msg, req->status, NULL);
  soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg), SOUP_ENCODING_CHUNKED);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg), req->content_type, NULL);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  g_object_set_data_full (G_OBJECT (msg), "hs-sim-stream", stream, stream_free);
  g_signal_connect (msg, "wrote-chunk", G_CALLBACK (stream_next_chunk_cb), stream);
  stream_next_chunk_cb (msg, stream);
}

/* Every answer's Date is the simulator's clock, which a test may move:
 * as on a real server, it is the clock that stamps last_update. */
static void
set_date (HsSimServer       *self,
          SoupServerMessage *msg)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (hs_sim_server_now (self) / HS_SIM_TICKS_PER_SECOND);
  g_autofree char *date = soup_date_time_to_string (now, SOUP_DATE_HTTP);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Date", date);
}

static void
handle_cb (SoupServer        *soup,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  HsSimServer *self = user_data;
  g_autoptr(HsSimRequest) req = hs_sim_request_new (msg, path, query, self->base_url);
  HsSimFaultPlan plan = { 0 };
  gsize length;

  if (req->n_segments > 0 && strcmp (req->segments[0], "_sim") == 0)
    hs_sim_control_handle (self, self->control_token, req);
  else if (req->n_segments > 0 && (strcmp (req->segments[0], "api") == 0 || strcmp (req->segments[0], "auth") == 0))
    {
      handle_resource (self, req, &plan);
      hs_sim_counters_record_status (self->counters, req->status);
    }
  else
    hs_sim_request_set_error (req, SOUP_STATUS_NOT_FOUND, "No endpoint at %s.", req->path);

  set_date (self, msg);
  if (req->stream_func != NULL)
    start_stream (msg, req);
  else
    {
      soup_server_message_set_status (msg, req->status, NULL);
      length = req->body->len;
      soup_server_message_set_response (msg, req->content_type, SOUP_MEMORY_TAKE,
                                        g_string_free (g_steal_pointer (&req->body), FALSE), length);
      req->body = g_string_new (NULL);
    }

  if (plan.latency_ms > 0)
    {
      Delayed *delayed = g_new0 (Delayed, 1);

      delayed->server = self;
      delayed->msg = g_object_ref (msg);
      delayed->source_id = g_timeout_add (plan.latency_ms, delayed_reply_cb, delayed);
      self->delayed = g_list_prepend (self->delayed, delayed);
      soup_server_message_pause (msg);
    }
}

/* Binds 127.0.0.1 only: the simulator holds nothing worth serving beyond
 * this machine, and tests must not be reachable from outside. */
gboolean
hs_sim_server_listen (HsSimServer  *self,
                      guint         port,
                      GError      **error)
{
  g_autoptr(GInetAddress) loopback = NULL;
  g_autoptr(GSocketAddress) address = NULL;
  GSList *uris;

  g_return_val_if_fail (HS_SIM_IS_SERVER (self), FALSE);
  g_return_val_if_fail (self->soup == NULL, FALSE);

  self->soup = soup_server_new ("server-header", "halo-sim ", NULL);
  soup_server_add_handler (self->soup, NULL, handle_cb, self, NULL);

  loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  address = g_inet_socket_address_new (loopback, (guint16) port);
  if (!soup_server_listen (self->soup, address, 0, error))
    return FALSE;

  uris = soup_server_get_uris (self->soup);
  g_assert (uris != NULL);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}
