/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "hs-halo-client.h"

/**
 * HsHaloClient:
 *
 * The HTTP side of the Halo source: every request to Halo goes through
 * hs_halo_client_get_async() (and the token requests it makes itself).
 *
 * Authentication is OAuth2 client credentials (halo-api.md §1).  The token
 * URL is discovered once through `/api/authinfo` (falling back to
 * `<url>/auth/token`), the token is cached until shortly before its
 * `expires_in`, and only one token request is in flight however many
 * requests need one.  A 401 from the API drops the token, fetches a new
 * one and retries that request once.
 *
 * Every attempt, token requests and retries included, first takes a slot
 * of the #HsHaloRateBudget.  Server errors (5xx), network errors and 429s
 * are retried by the #HsHaloRetryPolicy, and a caller that sizes its
 * request may send a smaller one in the retry's place; anything else is
 * answered at once with an error that names the request.  Redirects are not
 * followed, so a bearer token or the client secret can never be sent to
 * another address than the configured one.
 *
 * Neither the secret nor a token ever appears in an error or a log line.
 */
struct _HsHaloClient
{
  GObject parent_instance;

  SoupSession *session;       /* (owned) */
  HsHaloRateBudget *budget;   /* (owned) */
  HsHaloRetryPolicy policy;
  GRand *rand;                /* (owned): back-off jitter */
  guint64 n_requests;

  char *url;                  /* (owned): scheme://host[:port][/path], no userinfo */
  char *tenant;               /* (owned) */
  char *client_id;            /* (owned) */
  char *secret;               /* (owned): wiped when freed */

  char *token_url;            /* (owned) (nullable): discovered, without query */
  char *token;                /* (owned) (nullable): wiped when freed */
  gint64 token_expires;       /* monotonic */
  struct _TokenFetch *fetch;  /* (nullable): the token request in flight */
};

G_DEFINE_FINAL_TYPE (HsHaloClient, hs_halo_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_BUDGET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Large enough for any page Halo sends (a TimesheetEvent response of a
 * few thousand events is a few MiB), small enough that a broken server
 * cannot exhaust memory. */
#define MAX_BODY_SIZE (64 * 1024 * 1024)
#define READ_CHUNK_SIZE (64 * 1024)

/* A token is renewed this long before Halo says it expires: 10 % of its
 * life, at most a minute. */
#define TOKEN_MARGIN_MAX (60 * G_USEC_PER_SEC)

/* libsoup 3.2 has no name for it. */
#define HTTP_STATUS_TOO_MANY_REQUESTS 429

#define DEFAULT_TOKEN_LIFETIME (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

static void
wipe_string (char *s)
{
  if (s == NULL)
    return;
  explicit_bzero (s, strlen (s));
  g_free (s);
}

/* The part of a URI that names the request in messages: the path without
 * the query, which may carry a tenant or filter values. */
static char *
path_of (const char *path_and_query)
{
  const char *query = strchr (path_and_query, '?');

  return g_strndup (path_and_query, query != NULL ? (gsize) (query - path_and_query) : strlen (path_and_query));
}

/* ---- One logical request, with budget, retries and the 401 refresh ---- */

typedef struct
{
  char *method;
  char *uri;
  char *label;             /* "GET /api/Tickets", for messages */
  GBytes *form;            /* (owned) (nullable): a form body */
  gboolean authorized;     /* sends the bearer token */
  guint max_attempts;      /* the policy's, or 1 for a request with a fallback */
  HsPull *pull;            /* (owned) (nullable): counts the requests */
  HsHaloResizeFunc resize; /* (nullable): asked for a smaller request on a retry */
  gpointer resize_data;

  guint failures;          /* retryable failures so far */
  gboolean refreshed;      /* the one 401 refresh is spent */
  char *bearer;            /* (owned) (nullable): token of this attempt */
  guint slot;
  gboolean holds_slot;
  gint64 sent_at;          /* monotonic, of the last attempt */
  SoupMessage *msg;        /* (owned) (nullable) */
  GInputStream *stream;    /* (owned) (nullable) */
  GByteArray *body;        /* (owned) (nullable) */

  guint status;
  char *retry_after;       /* (owned) (nullable) */
  GBytes *response;        /* (owned) (nullable) */
} Exchange;

static void
exchange_reset_attempt (Exchange *ex)
{
  g_clear_pointer (&ex->bearer, wipe_string);
  g_clear_object (&ex->msg);
  g_clear_object (&ex->stream);
  g_clear_pointer (&ex->body, g_byte_array_unref);
  g_clear_pointer (&ex->retry_after, g_free);
  g_clear_pointer (&ex->response, g_bytes_unref);
}

static void
exchange_free (Exchange *ex)
{
  exchange_reset_attempt (ex);
  g_free (ex->method);
  g_free (ex->uri);
  g_free (ex->label);
  g_clear_pointer (&ex->form, g_bytes_unref);
  g_clear_object (&ex->pull);
  g_free (ex);
}

static void exchange_attempt (GTask *task);
static void ensure_token_async (HsHaloClient       *self,
                                HsPull             *pull,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data);
static char *ensure_token_finish (HsHaloClient *self,
                                  GAsyncResult *result,
                                  GError      **error);

static gboolean
is_transient (const GError *error)
{
  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_FAILED:
        case G_IO_ERROR_CONNECTION_REFUSED:
        case G_IO_ERROR_CONNECTION_CLOSED:
        case G_IO_ERROR_TIMED_OUT:
        case G_IO_ERROR_HOST_UNREACHABLE:
        case G_IO_ERROR_NETWORK_UNREACHABLE:
        case G_IO_ERROR_NOT_CONNECTED:
        case G_IO_ERROR_PARTIAL_INPUT:
          return TRUE;
        default:
          return FALSE;
        }
    }

  if (error->domain == G_RESOLVER_ERROR)
    return error->code == G_RESOLVER_ERROR_TEMPORARY_FAILURE;

  /* A garbled response (a proxy or server restarting) is worth another
   * try; a TLS failure is not. */
  if (error->domain == SOUP_SESSION_ERROR)
    return error->code == SOUP_SESSION_ERROR_PARSING ||
           error->code == SOUP_SESSION_ERROR_ENCODING;

  return FALSE;
}

/* Ends the attempt's hold on the budget and counts it. */
static void
exchange_end_attempt (HsHaloClient *self,
                      Exchange     *ex)
{
  if (ex->holds_slot)
    {
      hs_halo_rate_budget_release (self->budget, ex->slot);
      ex->holds_slot = FALSE;
    }
  self->n_requests++;
  if (ex->pull != NULL)
    hs_pull_add_requests (ex->pull, 1);
}

static void
exchange_backoff_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!hs_halo_wait_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  exchange_attempt (g_steal_pointer (&task));
}

/* @reason says, for people, what failed: the run shows it while it
 * waits. */
static void
exchange_retry_after (GTask      *task,
                      gint64      delay,
                      const char *reason)
{
  HsHaloClient *self = g_task_get_source_object (task);
  Exchange *ex = g_task_get_task_data (task);

  g_debug ("Retrying %s in %" G_GINT64_FORMAT " ms", ex->label, delay / 1000);
  if (ex->pull != NULL)
    hs_pull_note_retry (ex->pull, reason, ex->failures + 1, ex->max_attempts, delay);
  exchange_reset_attempt (ex);
  if (ex->resize != NULL)
    {
      g_autofree char *path = ex->resize (ex->resize_data);

      if (path != NULL)
        {
          g_free (ex->uri);
          ex->uri = g_strconcat (self->url, path, NULL);
        }
    }
  hs_halo_wait_async (hs_halo_monotonic_clock, NULL, g_get_monotonic_time () + delay,
                      g_task_get_cancellable (task), exchange_backoff_cb, task);
}

/* Takes over @task's reference and @error. */
static void
exchange_handle_error (GTask  *task,
                       GError *error)
{
  HsHaloClient *self = g_task_get_source_object (task);
  Exchange *ex = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  g_debug ("%s failed: %s", ex->label, error->message);

  if (!is_transient (error))
    {
      g_task_return_new_error (task, HS_ERROR, HS_ERROR_NETWORK,
                               _("Halo at %s could not be reached for %s: %s"),
                               self->url, ex->label, error->message);
      g_error_free (error);
      g_object_unref (task);
      return;
    }

  ex->failures++;
  if (ex->failures >= ex->max_attempts)
    {
      g_task_return_new_error (task, HS_ERROR, HS_ERROR_NETWORK,
                               _("Halo at %s could not be reached for %s after %u attempts: %s"),
                               self->url, ex->label, ex->failures, error->message);
      g_error_free (error);
      g_object_unref (task);
      return;
    }

  g_error_free (error);
  exchange_retry_after (task, hs_halo_retry_get_backoff (&self->policy, ex->failures, self->rand),
                        _("Halo could not be reached"));
}

/* Takes over @task's reference. */
static void
exchange_handle_response (GTask *task)
{
  HsHaloClient *self = g_task_get_source_object (task);
  Exchange *ex = g_task_get_task_data (task);

  g_debug ("%s answered %u (%" G_GSIZE_FORMAT " bytes)",
           ex->label, ex->status, g_bytes_get_size (ex->response));

  if (ex->status == SOUP_STATUS_UNAUTHORIZED && ex->authorized && !ex->refreshed)
    {
      /* Expired or revoked: drop the token, unless another request already
       * replaced it, and try once more with a new one. */
      if (self->token != NULL && g_strcmp0 (self->token, ex->bearer) == 0)
        g_clear_pointer (&self->token, wipe_string);
      ex->refreshed = TRUE;
      exchange_reset_attempt (ex);
      exchange_attempt (task);
      return;
    }

  if (ex->status == HTTP_STATUS_TOO_MANY_REQUESTS)
    {
      ex->failures++;
      if (ex->failures >= ex->max_attempts)
        {
          g_task_return_new_error (task, HS_ERROR, HS_ERROR_RATE_LIMITED,
                                   _("Halo kept answering 429 (rate limit reached) for %s after %u attempts; "
                                     "another program may be using the same Halo API budget"),
                                   ex->label, ex->failures);
          g_object_unref (task);
          return;
        }
      exchange_retry_after (task, hs_halo_retry_get_rate_limit_wait (&self->policy, ex->retry_after,
                                                                     g_get_real_time (), self->rand),
                            _("Halo’s rate limit was reached"));
      return;
    }

  if (SOUP_STATUS_IS_SERVER_ERROR (ex->status))
    {
      g_autofree char *reason = NULL;

      ex->failures++;
      if (ex->failures >= ex->max_attempts)
        {
          g_task_return_new_error (task, HS_ERROR, HS_ERROR_NETWORK,
                                   _("Halo kept answering %u for %s after %u attempts"),
                                   ex->status, ex->label, ex->failures);
          g_object_unref (task);
          return;
        }
      /* Translators: an HTTP status code, "Halo answered 503" */
      reason = g_strdup_printf (_("Halo answered %u"), ex->status);
      exchange_retry_after (task, hs_halo_retry_get_backoff (&self->policy, ex->failures, self->rand), reason);
      return;
    }

  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* Halo's clock stamps the records' last updates, so the run's cursors
 * follow its Date header, not the local clock. */
static void
note_server_time (Exchange *ex)
{
  const char *date = soup_message_headers_get_one (soup_message_get_response_headers (ex->msg), "Date");
  g_autoptr(GDateTime) time = NULL;

  if (ex->pull == NULL || date == NULL || !SOUP_STATUS_IS_SUCCESSFUL (ex->status))
    return;

  time = soup_date_time_new_from_http_string (date);
  if (time != NULL)
    hs_pull_note_server_time (ex->pull, g_date_time_to_unix (time) * G_USEC_PER_SEC);
}

static void
exchange_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  HsHaloClient *self = g_task_get_source_object (task);
  Exchange *ex = g_task_get_task_data (task);
  g_autoptr(GBytes) chunk = NULL;
  GError *error = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      exchange_end_attempt (self, ex);
      exchange_handle_error (task, error);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      exchange_end_attempt (self, ex);
      ex->status = soup_message_get_status (ex->msg);
      ex->retry_after = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (ex->msg),
                                                                "Retry-After"));
      note_server_time (ex);
      ex->response = g_byte_array_free_to_bytes (g_steal_pointer (&ex->body));
      g_clear_object (&ex->stream);
      exchange_handle_response (task);
      return;
    }

  if (ex->body->len + g_bytes_get_size (chunk) > MAX_BODY_SIZE)
    {
      exchange_end_attempt (self, ex);
      g_task_return_new_error (task, HS_ERROR, HS_ERROR_PROTOCOL,
                               _("Halo sent more than %u MiB for %s; the response was refused"),
                               MAX_BODY_SIZE / (1024 * 1024), ex->label);
      g_object_unref (task);
      return;
    }

  g_byte_array_append (ex->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  g_input_stream_read_bytes_async (ex->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), exchange_read_cb, task);
}

static void
exchange_sent_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  HsHaloClient *self = g_task_get_source_object (task);
  Exchange *ex = g_task_get_task_data (task);
  GError *error = NULL;

  ex->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (ex->stream == NULL)
    {
      exchange_end_attempt (self, ex);
      exchange_handle_error (task, error);
      return;
    }

  ex->body = g_byte_array_new ();
  g_input_stream_read_bytes_async (ex->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), exchange_read_cb, task);
}

static void
exchange_acquired_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  HsHaloClient *self = g_task_get_source_object (task);
  Exchange *ex = g_task_get_task_data (task);
  SoupMessageHeaders *headers;
  GError *error = NULL;

  if (!hs_halo_rate_budget_acquire_finish (self->budget, result, &ex->slot, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  ex->holds_slot = TRUE;

  ex->msg = soup_message_new (ex->method, ex->uri);
  g_assert (ex->msg != NULL);
  soup_message_add_flags (ex->msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (ex->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (ex->bearer != NULL)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", ex->bearer, NULL);

      soup_message_headers_replace (headers, "Authorization", authorization);
      explicit_bzero (authorization, strlen (authorization));
    }
  if (ex->form != NULL)
    soup_message_set_request_body_from_bytes (ex->msg, "application/x-www-form-urlencoded", ex->form);

  ex->sent_at = g_get_monotonic_time ();
  soup_session_send_async (self->session, ex->msg, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), exchange_sent_cb, task);
}

static void
exchange_acquire (GTask *task)
{
  HsHaloClient *self = g_task_get_source_object (task);

  hs_halo_rate_budget_acquire_async (self->budget, g_task_get_cancellable (task),
                                     exchange_acquired_cb, task);
}

static void
exchange_token_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Exchange *ex = g_task_get_task_data (task);
  GError *error = NULL;

  ex->bearer = ensure_token_finish (HS_HALO_CLIENT (object), result, &error);
  if (ex->bearer == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  exchange_acquire (task);
}

/* Takes over the reference @task holds. */
static void
exchange_attempt (GTask *task)
{
  HsHaloClient *self = g_task_get_source_object (task);
  Exchange *ex = g_task_get_task_data (task);

  if (ex->authorized)
    ensure_token_async (self, ex->pull, g_task_get_cancellable (task), exchange_token_cb, task);
  else
    exchange_acquire (task);
}

static void
exchange_async (HsHaloClient       *self,
                const char         *method,
                const char         *uri,
                char               *label,
                GBytes             *form,
                gboolean            authorized,
                guint               max_attempts,
                HsPull             *pull,
                HsHaloResizeFunc    resize,
                gpointer            resize_data,
                GCancellable       *cancellable,
                GAsyncReadyCallback callback,
                gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Exchange *ex = g_new0 (Exchange, 1);

  g_task_set_source_tag (task, exchange_async);
  ex->method = g_strdup (method);
  ex->uri = g_strdup (uri);
  ex->label = label;
  ex->form = form != NULL ? g_bytes_ref (form) : NULL;
  ex->authorized = authorized;
  ex->max_attempts = max_attempts > 0 ? max_attempts : self->policy.max_attempts;
  ex->pull = pull != NULL ? g_object_ref (pull) : NULL;
  ex->resize = resize;
  ex->resize_data = resize_data;
  g_task_set_task_data (task, ex, (GDestroyNotify) exchange_free);

  exchange_attempt (g_steal_pointer (&task));
}

/* Returns the exchange of a finished request (owned by @result), or NULL
 * with @error set. */
static Exchange *
exchange_finish (HsHaloClient *self,
                 GAsyncResult *result,
                 GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, exchange_async), NULL);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  return g_task_get_task_data (G_TASK (result));
}

/* A short, printable description of an error body, if it is JSON in one
 * of the shapes Halo uses (halo-api.md §8); HTML and other text is not
 * shown, only the status. */
static char *
describe_error_body (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  const char *text = NULL;
  JsonNode *root;
  g_autofree char *cut = NULL;

  if (size == 0 || !json_parser_load_from_data (parser, data, size, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (JSON_NODE_HOLDS_VALUE (root) && json_node_get_value_type (root) == G_TYPE_STRING)
    text = json_node_get_string (root);
  else if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      const char *members[] = { "error_description", "Message", "message", "errorMessage", "error" };

      for (guint i = 0; i < G_N_ELEMENTS (members) && text == NULL; i++)
        {
          JsonNode *node = json_object_get_member (object, members[i]);

          if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
              json_node_get_value_type (node) == G_TYPE_STRING)
            text = json_node_get_string (node);
        }
    }

  if (text == NULL || *text == '\0' || !g_utf8_validate (text, -1, NULL))
    return NULL;

  cut = g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, -1), 200));
  return g_strdelimit (g_steal_pointer (&cut), "\r\n\t", ' ');
}

/* ---- Tokens ---- */

typedef struct _TokenFetch
{
  HsHaloClient *self;         /* (owned) */
  char *token_url;            /* (owned) (nullable): once discovered */
  GCancellable *cancellable;  /* (owned): cancelled when nobody waits */
  GPtrArray *waiters;         /* (owned) (element-type TokenWaiter) */
  HsPull *pull;               /* (owned) (nullable): whose run pays for it */
} TokenFetch;

typedef struct
{
  GTask *task;                /* (owned) */
  GSource *cancel_source;     /* (owned) (nullable) */
  TokenFetch *fetch;          /* (unowned) */
} TokenWaiter;

static void
token_waiter_free (TokenWaiter *waiter)
{
  if (waiter->cancel_source != NULL)
    g_source_destroy (waiter->cancel_source);
  g_clear_pointer (&waiter->cancel_source, g_source_unref);
  g_clear_object (&waiter->task);
  g_free (waiter);
}

static void
token_fetch_free (TokenFetch *fetch)
{
  g_ptr_array_unref (fetch->waiters);
  g_clear_pointer (&fetch->token_url, g_free);
  g_clear_object (&fetch->cancellable);
  g_clear_object (&fetch->pull);
  g_clear_object (&fetch->self);
  g_free (fetch);
}

/* Hands the outcome to everyone still waiting; takes @token and @error. */
static void
token_fetch_complete (TokenFetch *fetch,
                      char       *token,
                      gint64      expires,
                      GError     *error)
{
  HsHaloClient *self = fetch->self;
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&fetch->waiters);

  fetch->waiters = g_ptr_array_new ();

  if (self->fetch == fetch)
    {
      self->fetch = NULL;
      if (token != NULL)
        {
          g_clear_pointer (&self->token, wipe_string);
          self->token = g_strdup (token);
          self->token_expires = expires;
        }
    }

  for (guint i = 0; i < waiters->len; i++)
    {
      TokenWaiter *waiter = waiters->pdata[i];
      g_autoptr(GTask) task = g_steal_pointer (&waiter->task);

      token_waiter_free (waiter);
      if (token != NULL)
        g_task_return_pointer (task, g_strdup (token), (GDestroyNotify) wipe_string);
      else
        g_task_return_error (task, g_error_copy (error));
    }

  wipe_string (token);
  g_clear_error (&error);
  token_fetch_free (fetch);
}

static gboolean
token_waiter_cancelled_cb (GCancellable *cancellable,
                           gpointer      user_data)
{
  TokenWaiter *waiter = user_data;
  TokenFetch *fetch = waiter->fetch;
  g_autoptr(GTask) task = g_steal_pointer (&waiter->task);

  g_ptr_array_remove_fast (fetch->waiters, waiter);
  token_waiter_free (waiter);
  g_task_return_error_if_cancelled (task);

  /* Nobody needs the token any more: stop the request, and let the next
   * caller start a fresh one rather than join a dying one. */
  if (fetch->waiters->len == 0)
    {
      if (fetch->self->fetch == fetch)
        fetch->self->fetch = NULL;
      g_cancellable_cancel (fetch->cancellable);
    }
  return G_SOURCE_REMOVE;
}

static void
token_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  TokenFetch *fetch = user_data;
  HsHaloClient *self = fetch->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  Exchange *ex;
  JsonObject *object_root = NULL;
  JsonNode *node;
  gint64 lifetime;
  gsize size = 0;
  const char *data;

  ex = exchange_finish (self, result, &error);
  if (ex == NULL)
    {
      token_fetch_complete (fetch, NULL, 0, g_steal_pointer (&error));
      return;
    }

  if (ex->status == SOUP_STATUS_BAD_REQUEST || ex->status == SOUP_STATUS_UNAUTHORIZED)
    {
      /* Whatever the OAuth error code, the person can only check the
       * credentials (and the tenant); the server's description is not
       * shown, as some servers echo the request. */
      if (self->tenant[0] != '\0')
        error = g_error_new (HS_ERROR, HS_ERROR_AUTH,
                             _("Halo rejected the client id, secret or tenant for %s"), self->url);
      else
        error = g_error_new (HS_ERROR, HS_ERROR_AUTH,
                             _("Halo rejected the client id or secret for %s"), self->url);
      token_fetch_complete (fetch, NULL, 0, g_steal_pointer (&error));
      return;
    }

  if (ex->status == SOUP_STATUS_NOT_FOUND)
    {
      error = g_error_new (HS_ERROR, HS_ERROR_NOT_CONFIGURED,
                           _("Halo has no token endpoint at %s (404); check the Halo URL"),
                           fetch->token_url);
      token_fetch_complete (fetch, NULL, 0, g_steal_pointer (&error));
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (ex->status))
    {
      error = g_error_new (HS_ERROR, HS_ERROR_PROTOCOL,
                           _("Halo answered %u at its token endpoint %s"),
                           ex->status, fetch->token_url);
      token_fetch_complete (fetch, NULL, 0, g_steal_pointer (&error));
      return;
    }

  data = g_bytes_get_data (ex->response, &size);
  if (size > 0 && json_parser_load_from_data (parser, data, size, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    object_root = json_node_get_object (json_parser_get_root (parser));

  node = object_root != NULL ? json_object_get_member (object_root, "access_token") : NULL;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING ||
      *json_node_get_string (node) == '\0')
    {
      error = g_error_new (HS_ERROR, HS_ERROR_PROTOCOL,
                           _("Halo’s token endpoint at %s sent no access token"),
                           fetch->token_url);
      token_fetch_complete (fetch, NULL, 0, g_steal_pointer (&error));
      return;
    }

  /* Always honour expires_in; without it assume Halo's usual hour and
   * rely on the 401 refresh. */
  if (json_object_has_member (object_root, "expires_in"))
    {
      JsonNode *expires = json_object_get_member (object_root, "expires_in");

      if (JSON_NODE_HOLDS_VALUE (expires) &&
          (json_node_get_value_type (expires) == G_TYPE_INT64 ||
           json_node_get_value_type (expires) == G_TYPE_DOUBLE) &&
          json_node_get_double (expires) > 0)
        lifetime = (gint64) (json_node_get_double (expires) * G_USEC_PER_SEC);
      else
        lifetime = DEFAULT_TOKEN_LIFETIME;
    }
  else
    lifetime = DEFAULT_TOKEN_LIFETIME;

  g_debug ("Got a Halo token valid for %" G_GINT64_FORMAT " s", lifetime / G_USEC_PER_SEC);

  /* Counted from when the request left: Halo's clock started no earlier. */
  token_fetch_complete (fetch, g_strdup (json_node_get_string (node)),
                        ex->sent_at + lifetime - MIN (TOKEN_MARGIN_MAX, lifetime / 10),
                        NULL);
}

static void
token_fetch_request_token (TokenFetch *fetch)
{
  HsHaloClient *self = fetch->self;
  g_autofree char *uri = NULL;
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GBytes) form = NULL;
  char *encoded;

  if (self->tenant[0] != '\0')
    {
      g_autofree char *escaped = g_uri_escape_string (self->tenant, NULL, FALSE);

      uri = g_strconcat (fetch->token_url, "?tenant=", escaped, NULL);
    }
  else
    uri = g_strdup (fetch->token_url);

  encoded = soup_form_encode ("grant_type", "client_credentials",
                              "client_id", self->client_id,
                              "client_secret", self->secret,
                              "scope", "all",
                              NULL);
  /* The body holds the secret: wipe it when libsoup lets it go. */
  form = g_bytes_new_with_free_func (encoded, strlen (encoded), (GDestroyNotify) wipe_string, encoded);

  parsed = g_uri_parse (fetch->token_url, G_URI_FLAGS_NONE, NULL);
  exchange_async (self, "POST", uri,
                  g_strconcat ("POST ", parsed != NULL ? g_uri_get_path (parsed) : "/auth/token", NULL),
                  form, FALSE, 0, fetch->pull, NULL, NULL, fetch->cancellable, token_cb, fetch);
}

/* The token URL Halo names, if it is one we may send the secret to: a web
 * address without credentials that does not drop from https to http. */
static char *
token_url_from_auth_url (HsHaloClient *self,
                         const char   *auth_url)
{
  g_autoptr(GUri) uri = g_uri_parse (auth_url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *path = NULL;
  g_autofree char *base = NULL;
  const char *scheme;
  gsize len;

  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      g_uri_get_userinfo (uri) != NULL)
    return NULL;

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 &&
      (g_ascii_strcasecmp (scheme, "http") != 0 || g_str_has_prefix (self->url, "https:")))
    return NULL;

  path = g_strdup (g_uri_get_path (uri));
  len = strlen (path);
  while (len > 0 && path[len - 1] == '/')
    path[--len] = '\0';

  base = g_uri_join (G_URI_FLAGS_NONE, scheme, NULL, g_uri_get_host (uri), g_uri_get_port (uri),
                     path, NULL, NULL);
  return g_strconcat (base, "/token", NULL);
}

static void
authinfo_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  TokenFetch *fetch = user_data;
  HsHaloClient *self = fetch->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *token_url = NULL;
  Exchange *ex;

  ex = exchange_finish (self, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      token_fetch_complete (fetch, NULL, 0, g_steal_pointer (&error));
      return;
    }

  if (ex != NULL && SOUP_STATUS_IS_SUCCESSFUL (ex->status))
    {
      gsize size = 0;
      const char *data = g_bytes_get_data (ex->response, &size);

      if (size > 0 && json_parser_load_from_data (parser, data, size, NULL) &&
          JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          JsonObject *info = json_node_get_object (json_parser_get_root (parser));
          JsonNode *node = json_object_get_member (info, "auth_url");

          if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
              json_node_get_value_type (node) == G_TYPE_STRING)
            token_url = token_url_from_auth_url (self, json_node_get_string (node));
        }
    }

  /* Halo's PowerShell module falls back the same way, whatever failed;
   * an unreachable Halo then fails at the token request, with retries. */
  if (token_url == NULL)
    {
      if (error != NULL)
        g_debug ("No Halo token URL from GET /api/authinfo: %s", error->message);
      token_url = g_strconcat (self->url, "/auth/token", NULL);
    }

  g_debug ("Halo token endpoint: %s", token_url);
  if (self->fetch == fetch)
    {
      g_free (self->token_url);
      self->token_url = g_strdup (token_url);
    }
  fetch->token_url = g_steal_pointer (&token_url);

  token_fetch_request_token (fetch);
}

static void
ensure_token_async (HsHaloClient       *self,
                    HsPull             *pull,
                    GCancellable       *cancellable,
                    GAsyncReadyCallback callback,
                    gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  TokenWaiter *waiter;
  TokenFetch *fetch;
  gboolean start = FALSE;

  g_task_set_source_tag (task, ensure_token_async);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (self->token != NULL && g_get_monotonic_time () < self->token_expires)
    {
      g_task_return_pointer (task, g_strdup (self->token), (GDestroyNotify) wipe_string);
      return;
    }

  if (self->fetch == NULL)
    {
      fetch = g_new0 (TokenFetch, 1);
      fetch->self = g_object_ref (self);
      fetch->cancellable = g_cancellable_new ();
      fetch->waiters = g_ptr_array_new ();
      fetch->pull = pull != NULL ? g_object_ref (pull) : NULL;
      self->fetch = fetch;
      start = TRUE;
    }
  fetch = self->fetch;

  waiter = g_new0 (TokenWaiter, 1);
  waiter->fetch = fetch;
  waiter->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel_source, G_SOURCE_FUNC (token_waiter_cancelled_cb),
                             waiter, NULL);
      g_source_attach (waiter->cancel_source, g_task_get_context (waiter->task));
    }
  g_ptr_array_add (fetch->waiters, waiter);

  if (!start)
    return;

  if (self->token_url != NULL)
    {
      fetch->token_url = g_strdup (self->token_url);
      token_fetch_request_token (fetch);
    }
  else
    {
      g_autofree char *uri = g_strconcat (self->url, "/api/authinfo", NULL);

      /* One attempt: whatever goes wrong, the fallback is as good a try. */
      exchange_async (self, "GET", uri, g_strdup ("GET /api/authinfo"), NULL, FALSE, 1,
                      fetch->pull, NULL, NULL, fetch->cancellable, authinfo_cb, fetch);
    }
}

static char *
ensure_token_finish (HsHaloClient *self,
                     GAsyncResult *result,
                     GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- The object ---- */

static void
hs_halo_client_dispose (GObject *object)
{
  HsHaloClient *self = HS_HALO_CLIENT (object);

  /* A token request in flight holds a reference, so none is left here. */
  g_assert (self->fetch == NULL);
  g_clear_object (&self->session);
  g_clear_object (&self->budget);

  G_OBJECT_CLASS (hs_halo_client_parent_class)->dispose (object);
}

static void
hs_halo_client_finalize (GObject *object)
{
  HsHaloClient *self = HS_HALO_CLIENT (object);

  g_clear_pointer (&self->rand, g_rand_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->tenant, g_free);
  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->secret, wipe_string);
  g_clear_pointer (&self->token_url, g_free);
  g_clear_pointer (&self->token, wipe_string);

  G_OBJECT_CLASS (hs_halo_client_parent_class)->finalize (object);
}

static void
hs_halo_client_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HsHaloClient *self = HS_HALO_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_BUDGET:
      g_value_set_object (value, self->budget);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_halo_client_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HsHaloClient *self = HS_HALO_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_BUDGET:
      self->budget = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_halo_client_class_init (HsHaloClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hs_halo_client_dispose;
  object_class->finalize = hs_halo_client_finalize;
  object_class->get_property = hs_halo_client_get_property;
  object_class->set_property = hs_halo_client_set_property;

  /**
   * HsHaloClient:session:
   *
   * The HTTP session requests go through.
   */
  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, SOUP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * HsHaloClient:budget:
   *
   * The rate budget every request takes a slot of.
   */
  properties[PROP_BUDGET] =
    g_param_spec_object ("budget", NULL, NULL, HS_TYPE_HALO_RATE_BUDGET,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hs_halo_client_init (HsHaloClient *self)
{
  hs_halo_retry_policy_init_default (&self->policy);
  self->rand = g_rand_new ();
  self->tenant = g_strdup ("");
  self->client_id = g_strdup ("");
  self->secret = g_strdup ("");
}

/**
 * hs_halo_client_new:
 * @session: the HTTP session to use
 * @budget: the rate budget to pace every request by
 *
 * Returns: (transfer full): a client; call hs_halo_client_configure()
 *   before the first request
 */
HsHaloClient *
hs_halo_client_new (SoupSession      *session,
                    HsHaloRateBudget *budget)
{
  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (HS_IS_HALO_RATE_BUDGET (budget), NULL);

  return g_object_new (HS_TYPE_HALO_CLIENT, "session", session, "budget", budget, NULL);
}

/**
 * hs_halo_client_configure:
 * @self: a client
 * @url: the Halo web app URL
 * @tenant: the tenant name, or ""
 * @client_id: the API application's client id
 * @secret: its client secret
 * @error: return location for an %HS_ERROR_NOT_CONFIGURED error
 *
 * Sets where and as whom the client connects.  A change drops the cached
 * token and token URL.
 *
 * Returns: %TRUE if @url is usable
 */
gboolean
hs_halo_client_configure (HsHaloClient *self,
                          const char   *url,
                          const char   *tenant,
                          const char   *client_id,
                          const char   *secret,
                          GError      **error)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (HS_IS_HALO_CLIENT (self), FALSE);
  g_return_val_if_fail (url != NULL && tenant != NULL && client_id != NULL && secret != NULL, FALSE);

  normalized = hs_config_normalize_halo_url (url, error);
  if (normalized == NULL)
    return FALSE;

  if (g_strcmp0 (self->url, normalized) == 0 && strcmp (self->tenant, tenant) == 0 &&
      strcmp (self->client_id, client_id) == 0 && strcmp (self->secret, secret) == 0)
    return TRUE;

  g_free (self->url);
  self->url = g_steal_pointer (&normalized);
  g_free (self->tenant);
  self->tenant = g_strdup (tenant);
  g_free (self->client_id);
  self->client_id = g_strdup (client_id);
  wipe_string (self->secret);
  self->secret = g_strdup (secret);

  g_clear_pointer (&self->token_url, g_free);
  g_clear_pointer (&self->token, wipe_string);
  /* A token request for the old credentials may still finish; it serves
   * its waiters but is not kept. */
  self->fetch = NULL;
  return TRUE;
}

/**
 * hs_halo_client_set_retry_policy:
 * @self: a client
 * @policy: how to retry
 */
void
hs_halo_client_set_retry_policy (HsHaloClient            *self,
                                 const HsHaloRetryPolicy *policy)
{
  g_return_if_fail (HS_IS_HALO_CLIENT (self));
  g_return_if_fail (policy != NULL);
  g_return_if_fail (policy->max_attempts >= 1);

  self->policy = *policy;
}

/**
 * hs_halo_client_get_url:
 * @self: a client
 *
 * Returns: (nullable): the Halo URL requests go to, without credentials;
 *   %NULL before hs_halo_client_configure()
 */
const char *
hs_halo_client_get_url (HsHaloClient *self)
{
  g_return_val_if_fail (HS_IS_HALO_CLIENT (self), NULL);

  return self->url;
}

/**
 * hs_halo_client_get_n_requests:
 * @self: a client
 *
 * Returns: the HTTP requests the client has made, token requests and
 *   retries included
 */
guint64
hs_halo_client_get_n_requests (HsHaloClient *self)
{
  g_return_val_if_fail (HS_IS_HALO_CLIENT (self), 0);

  return self->n_requests;
}

static void
get_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  HsHaloClient *self = HS_HALO_CLIENT (object);
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  Exchange *ex;
  g_autofree char *detail = NULL;

  ex = exchange_finish (self, result, &error);
  if (ex == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (SOUP_STATUS_IS_SUCCESSFUL (ex->status))
    {
      gint64 *response_time = g_new (gint64, 1);

      *response_time = g_get_monotonic_time () - ex->sent_at;
      g_task_set_task_data (task, response_time, g_free);
      g_task_return_pointer (task, g_bytes_ref (ex->response), (GDestroyNotify) g_bytes_unref);
      return;
    }

  switch (ex->status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      g_task_return_new_error (task, HS_ERROR, HS_ERROR_AUTH,
                               _("Halo refused a new token for %s (401); check the API application’s permissions"),
                               ex->label);
      return;

    case SOUP_STATUS_FORBIDDEN:
      g_task_return_new_error (task, HS_ERROR, HS_ERROR_AUTH,
                               _("Halo denied access to %s (403); give the API application and its agent permission to read it"),
                               ex->label);
      return;

    case SOUP_STATUS_NOT_FOUND:
      g_task_return_new_error (task, HS_ERROR, HS_ERROR_PROTOCOL,
                               _("Halo at %s has no %s (404); check the Halo URL"),
                               self->url, ex->label);
      return;

    default:
      break;
    }

  if (SOUP_STATUS_IS_REDIRECTION (ex->status))
    {
      g_task_return_new_error (task, HS_ERROR, HS_ERROR_PROTOCOL,
                               _("Halo at %s redirected %s elsewhere (%u); set the Halo URL to the address it redirects to"),
                               self->url, ex->label, ex->status);
      return;
    }

  detail = describe_error_body (ex->response);
  if (detail != NULL)
    g_task_return_new_error (task, HS_ERROR, HS_ERROR_PROTOCOL,
                             _("Halo answered %u for %s: %s"), ex->status, ex->label, detail);
  else
    g_task_return_new_error (task, HS_ERROR, HS_ERROR_PROTOCOL,
                             _("Halo answered %u for %s"), ex->status, ex->label);
}

/**
 * hs_halo_client_get_async:
 * @self: a configured client
 * @path_and_query: what to get below the Halo URL, such as
 *   `/api/Tickets?pageinate=true&page_no=1`, already escaped
 * @pull: (nullable): the pull every request made is counted on
 * @cancellable: (nullable): cancelling ends any wait or request at once
 * @callback: called with the body of a successful response
 * @user_data: data for @callback
 *
 * Gets a resource as the API application, with a token, the rate budget
 * and retries.
 */
void
hs_halo_client_get_async (HsHaloClient       *self,
                          const char         *path_and_query,
                          HsPull             *pull,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  hs_halo_client_get_resizable_async (self, path_and_query, NULL, NULL, pull, cancellable,
                                      callback, user_data);
}

/**
 * hs_halo_client_get_resizable_async:
 * @self: a configured client
 * @path_and_query: what to get below the Halo URL, already escaped
 * @resize: (nullable) (scope call): asked before each retry after a server
 *   error, a network error (a timeout too) or a 429, for the path and
 *   query of a smaller request to send instead
 * @resize_data: data for @resize
 * @pull: (nullable): the pull every request made is counted on
 * @cancellable: (nullable): cancelling ends any wait or request at once
 * @callback: called with the body of a successful response
 * @user_data: data for @callback
 *
 * Like hs_halo_client_get_async(), for a request whose size its caller
 * chooses: a Halo that fails a large request is asked a smaller one, with
 * the same budget, back-off and attempts.  @resize_data must live until
 * @callback is called.  Finish with hs_halo_client_get_finish().
 */
void
hs_halo_client_get_resizable_async (HsHaloClient       *self,
                                    const char         *path_and_query,
                                    HsHaloResizeFunc    resize,
                                    gpointer            resize_data,
                                    HsPull             *pull,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (HS_IS_HALO_CLIENT (self));
  g_return_if_fail (self->url != NULL);
  g_return_if_fail (path_and_query != NULL && path_and_query[0] == '/');
  g_return_if_fail (pull == NULL || HS_IS_PULL (pull));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hs_halo_client_get_async);

  uri = g_strconcat (self->url, path_and_query, NULL);
  path = path_of (path_and_query);
  exchange_async (self, "GET", uri, g_strconcat ("GET ", path, NULL), NULL, TRUE, 0, pull,
                  resize, resize_data, cancellable, get_cb, g_steal_pointer (&task));
}

/**
 * hs_halo_client_get_finish:
 * @self: a client
 * @result: the result
 * @error: return location for an %HS_ERROR or %G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full): the response body
 */
GBytes *
hs_halo_client_get_finish (HsHaloClient *self,
                           GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (HS_IS_HALO_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, hs_halo_client_get_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * hs_halo_client_get_response_time:
 * @self: a client
 * @result: the result of a successful get, finished or not
 *
 * How long Halo took to answer: from sending the attempt that succeeded
 * to the end of its body, without the waits for the budget, a token or a
 * retry.
 *
 * Returns: microseconds, or -1 if the get failed
 */
gint64
hs_halo_client_get_response_time (HsHaloClient *self,
                                  GAsyncResult *result)
{
  gint64 *response_time;

  g_return_val_if_fail (HS_IS_HALO_CLIENT (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  g_return_val_if_fail (g_async_result_is_tagged (result, hs_halo_client_get_async), -1);

  response_time = g_task_get_task_data (G_TASK (result));
  return response_time != NULL ? *response_time : -1;
}
