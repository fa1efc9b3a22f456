/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "hs-test.h"
#include "hs-test-sim.h"

/* Every behaviour of halo-sim that the Halo source, the demo and the
 * benchmark rely on, checked with a real libsoup client against a real
 * halo-sim process. */

/* One client for the whole program, reusing connections as a real one
 * would; the server's port differs per test. */
static SoupSession *session;

typedef struct
{
  guint status;
  GBytes *body;
  SoupMessageHeaders *headers;
  gint64 elapsed;             /* µs */
} Reply;

static void
reply_free (Reply *reply)
{
  g_bytes_unref (reply->body);
  soup_message_headers_unref (reply->headers);
  g_free (reply);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reply, reply_free)

static HsTestSim *
start_sim (const char *first,
           ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  HsTestSim *sim;
  va_list ap;

  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  sim = hs_test_sim_new ((const char * const *) args->pdata, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sim);
  return sim;
}

static void
stop_sim (HsTestSim *sim)
{
  g_autoptr(GError) error = NULL;

  hs_test_sim_stop (sim, &error);
  g_assert_no_error (error);
  g_object_unref (sim);
}

static Reply *
request (HsTestSim  *sim,
         const char *method,
         const char *path,
         const char *bearer,
         const char *form)
{
  g_autofree char *url = g_strconcat (hs_test_sim_get_base_url (sim), path, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  Reply *reply = g_new0 (Reply, 1);
  gint64 started;

  if (form != NULL)
    msg = soup_message_new_from_encoded_form (method, url, g_strdup (form));
  else
    msg = soup_message_new (method, url);
  g_assert_nonnull (msg);
  if (bearer != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", bearer, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }

  started = g_get_monotonic_time ();
  reply->body = soup_session_send_and_read (session, msg, NULL, &error);
  reply->elapsed = g_get_monotonic_time () - started;
  g_assert_no_error (error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return reply;
}

static JsonNode *
parse (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  json_parser_load_from_data (parser, data != NULL ? data : "", (gssize) length, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* GET @path with @token; asserts 200 and returns the parsed body. */
static JsonNode *
get_json (HsTestSim  *sim,
          const char *token,
          const char *path)
{
  g_autoptr(Reply) reply = request (sim, "GET", path, token, NULL);

  if (reply->status != 200)
    g_error ("GET %s answered %u: %.*s", path, reply->status,
             (int) g_bytes_get_size (reply->body), (const char *) g_bytes_get_data (reply->body, NULL));
  return parse (reply->body);
}

static char *
get_text (HsTestSim  *sim,
          const char *token,
          const char *path)
{
  g_autoptr(Reply) reply = request (sim, "GET", path, token, NULL);

  g_assert_cmpuint (reply->status, ==, 200);
  return g_strndup (g_bytes_get_data (reply->body, NULL), g_bytes_get_size (reply->body));
}

static char *
token_for (HsTestSim *sim)
{
  g_autoptr(GError) error = NULL;
  char *token = hs_test_sim_fetch_token (sim, &error);

  g_assert_no_error (error);
  g_assert_nonnull (token);
  return token;
}

static JsonNode *
control (HsTestSim  *sim,
         const char *method,
         const char *path,
         const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = hs_test_sim_control (sim, method, path, json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
control_ok (HsTestSim  *sim,
            const char *method,
            const char *path,
            const char *json)
{
  g_autoptr(JsonNode) node = control (sim, method, path, json);
}

static JsonArray *
member_array (JsonNode   *node,
              const char *name)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  g_assert_true (json_object_has_member (json_node_get_object (node), name));
  return json_object_get_array_member (json_node_get_object (node), name);
}

static gint64
record_count (JsonNode *node)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_get_int_member (json_node_get_object (node), "record_count");
}

static JsonObject *
element (JsonArray *array,
         guint      index)
{
  return json_array_get_object_element (array, index);
}

static const char *
string_of (JsonObject *object,
           const char *name)
{
  return json_object_get_string_member (object, name);
}

static gint64
int_of (JsonObject *object,
        const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  g_assert_nonnull (node);
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_INT64);
  return json_node_get_int (node);
}

/* Dates in Halo's naive form share one layout, so they order as text. */
static gboolean
is_halo_date (const char *text)
{
  return g_regex_match_simple ("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,7})?$",
                               text, 0, 0);
}

static void
assert_body (Reply      *reply,
             const char *text)
{
  g_assert_cmpmem (g_bytes_get_data (reply->body, NULL), g_bytes_get_size (reply->body), text, strlen (text));
}

/* Tests */

static void
test_startup_and_authinfo (void)
{
  HsTestSim *sim = start_sim ("--tickets", "10", "--time-entries", "20", NULL);
  g_autoptr(JsonNode) info = get_json (sim, NULL, "/api/authinfo");
  g_autofree char *expected = g_strconcat (hs_test_sim_get_base_url (sim), "/auth", NULL);

  g_assert_true (g_str_has_prefix (hs_test_sim_get_base_url (sim), "http://127.0.0.1:"));
  g_assert_cmpuint (strlen (hs_test_sim_get_control_token (sim)), ==, 64);
  g_assert_cmpstr (string_of (json_node_get_object (info), "auth_url"), ==, expected);
  stop_sim (sim);
}

static void
test_bad_options (void)
{
  const char *cases[][3] = {
    { "--rate-limit", "300", NULL },
    { "--rate-limit", "0/300", NULL },
    { "--start", "2025-13-01", NULL },
    { "--tickets", "-1", NULL },
    { "--tickets", "0", NULL },
    { "--agents", "0", NULL },
    { "--port", "70000", NULL },
    { "8080", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(HsTestSim) sim = NULL;

      /* --tickets 0 is fine, but not with the default 8000 time entries. */
      sim = hs_test_sim_new (cases[i], &error);
      g_assert_null (sim);
      g_assert_error (error, HS_ERROR, HS_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, "exited before printing"));
    }
}

static void
test_auth (void)
{
  HsTestSim *sim = start_sim ("--tickets", "10", "--time-entries", "20", NULL);
  g_autoptr(Reply) good = request (sim, "POST", "/auth/token", NULL,
                                   "grant_type=client_credentials&client_id=halosync-demo&client_secret=demo-secret&scope=all");
  g_autoptr(Reply) bad = request (sim, "POST", "/auth/token", NULL,
                                  "grant_type=client_credentials&client_id=halosync-demo&client_secret=wrong");
  g_autoptr(Reply) no_token = request (sim, "GET", "/api/Agent", NULL, NULL);
  g_autoptr(Reply) junk_token = request (sim, "GET", "/api/Agent", "0123", NULL);
  g_autoptr(JsonNode) good_json = parse (good->body);
  g_autoptr(JsonNode) bad_json = parse (bad->body);
  JsonObject *object = json_node_get_object (good_json);
  g_autofree char *first = g_strdup (string_of (object, "access_token"));
  g_autofree char *second = token_for (sim);
  Reply *after;

  g_assert_cmpuint (good->status, ==, 200);
  g_assert_cmpstr (string_of (object, "token_type"), ==, "Bearer");
  g_assert_cmpint (int_of (object, "expires_in"), ==, 3600);
  g_assert_cmpstr (string_of (object, "scope"), ==, "all");

  g_assert_cmpuint (bad->status, ==, 400);
  g_assert_cmpstr (string_of (json_node_get_object (bad_json), "error"), ==, "invalid_client");
  g_assert_true (json_object_has_member (json_node_get_object (bad_json), "error_description"));

  g_assert_cmpuint (no_token->status, ==, 401);
  g_assert_cmpuint (junk_token->status, ==, 401);

  /* A second token leaves the first valid. */
  g_assert_cmpstr (first, !=, second);
  after = request (sim, "GET", "/api/Agent", first, NULL);
  g_assert_cmpuint (after->status, ==, 200);
  reply_free (after);
  after = request (sim, "GET", "/api/Agent", second, NULL);
  g_assert_cmpuint (after->status, ==, 200);
  reply_free (after);

  /* Revoking ends both. */
  control_ok (sim, "POST", "/_sim/tokens/revoke", NULL);
  after = request (sim, "GET", "/api/Agent", first, NULL);
  g_assert_cmpuint (after->status, ==, 401);
  g_assert_cmpstr (soup_message_headers_get_one (after->headers, "WWW-Authenticate"), ==,
                   "Bearer error=\"invalid_token\"");
  reply_free (after);
  after = request (sim, "GET", "/api/Agent", second, NULL);
  g_assert_cmpuint (after->status, ==, 401);
  reply_free (after);

  stop_sim (sim);
}

static void
test_auth_tenant (void)
{
  HsTestSim *sim = start_sim ("--tickets", "5", "--time-entries", "5", "--tenant", "acme",
                              "--client-id", "id-1", "--client-secret", "s3cret", NULL);
  const char *form = "grant_type=client_credentials&client_id=id-1&client_secret=s3cret&scope=all";
  g_autofree char *form_with_tenant = g_strconcat (form, "&tenant=acme", NULL);
  struct {
    const char *path;
    const char *form;
    guint status;
  } cases[] = {
    { "/auth/token", form, 400 },
    { "/auth/token?tenant=other", form, 400 },
    { "/auth/token?tenant=acme", form, 200 },
    { "/Auth/Token?tenant=ACME", form, 200 },
    { "/auth/token", form_with_tenant, 200 },
    { "/auth/token?tenant=acme", "grant_type=client_credentials&client_id=id-1&client_secret=nope", 400 },
    { "/auth/token?tenant=acme", "grant_type=password&client_id=id-1&client_secret=s3cret", 400 },
  };

  g_assert_cmpstr (hs_test_sim_get_client_id (sim), ==, "id-1");
  g_assert_cmpstr (hs_test_sim_get_client_secret (sim), ==, "s3cret");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Reply) reply = request (sim, "POST", cases[i].path, NULL, cases[i].form);

      g_assert_cmpuint (reply->status, ==, cases[i].status);
    }
  stop_sim (sim);
}

static void
test_token_expiry (void)
{
  HsTestSim *sim = start_sim ("--tickets", "5", "--time-entries", "5", "--token-lifetime", "1", NULL);
  g_autofree char *token = token_for (sim);
  Reply *reply;

  reply = request (sim, "GET", "/api/Team", token, NULL);
  g_assert_cmpuint (reply->status, ==, 200);
  reply_free (reply);

  g_usleep (1200 * 1000);
  reply = request (sim, "GET", "/api/Team", token, NULL);
  g_assert_cmpuint (reply->status, ==, 401);
  reply_free (reply);

  g_free (token);
  token = token_for (sim);
  reply = request (sim, "GET", "/api/Team", token, NULL);
  g_assert_cmpuint (reply->status, ==, 200);
  reply_free (reply);

  stop_sim (sim);
}

/* Pages through every ticket the way a client must: page_size=100 until a
 * short page. */
static void
check_paging (guint n_tickets)
{
  g_autofree char *tickets = g_strdup_printf ("%u", n_tickets);
  g_autofree char *entries = g_strdup_printf ("%u", n_tickets * 2);
  HsTestSim *sim = start_sim ("--tickets", tickets, "--time-entries", entries, NULL);
  g_autofree char *token = token_for (sim);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  guint pages = 0, rows;
  gint64 last_id = 0;

  do
    {
      g_autofree char *path = g_strdup_printf ("/api/Tickets?pageinate=true&page_size=100&page_no=%u&order=id",
                                               pages + 1);
      g_autoptr(JsonNode) page = get_json (sim, token, path);
      JsonArray *list = member_array (page, "tickets");

      g_assert_cmpint (record_count (page), ==, n_tickets);
      rows = json_array_get_length (list);
      for (guint i = 0; i < rows; i++)
        {
          gint64 id = int_of (element (list, i), "id");

          g_assert_cmpint (id, >, last_id);
          last_id = id;
          g_hash_table_add (seen, GINT_TO_POINTER ((int) id));
        }
      pages++;
    }
  while (rows == 100);

  g_assert_cmpuint (g_hash_table_size (seen), ==, n_tickets);
  g_assert_cmpuint (pages, ==, n_tickets / 100 + 1);
  stop_sim (sim);
}

static void
test_paging (void)
{
  const guint counts[] = { 0, 1, 99, 100, 101, 250 };

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    check_paging (counts[i]);
}

static void
test_page_size_cap (void)
{
  HsTestSim *sim = start_sim ("--tickets", "250", "--time-entries", "300", NULL);
  g_autofree char *token = token_for (sim);
  g_autoptr(JsonNode) big = get_json (sim, token, "/api/Tickets?pageinate=true&page_size=1000&page_no=1");
  g_autoptr(JsonNode) third = get_json (sim, token, "/api/Tickets?pageinate=true&page_size=1000&page_no=3");
  g_autoptr(JsonNode) unpaged = get_json (sim, token, "/api/Tickets");
  g_autoptr(JsonNode) counted = get_json (sim, token, "/api/Tickets?count=120");
  g_autoptr(JsonNode) past_end = get_json (sim, token, "/api/Tickets?pageinate=true&page_size=100&page_no=9");

  g_assert_cmpuint (json_array_get_length (member_array (big, "tickets")), ==, 100);
  g_assert_cmpint (record_count (big), ==, 250);
  /* The cap, not the size asked for, decides where page 3 starts. */
  g_assert_cmpuint (json_array_get_length (member_array (third, "tickets")), ==, 50);
  g_assert_cmpint (int_of (element (member_array (third, "tickets"), 0), "id"), ==, 201);
  /* Without paging or count: the documented default of 50 rows. */
  g_assert_cmpuint (json_array_get_length (member_array (unpaged, "tickets")), ==, 50);
  g_assert_cmpint (record_count (unpaged), ==, 250);
  g_assert_cmpuint (json_array_get_length (member_array (counted, "tickets")), ==, 120);
  g_assert_cmpuint (json_array_get_length (member_array (past_end, "tickets")), ==, 0);
  g_assert_cmpint (record_count (past_end), ==, 250);
  stop_sim (sim);
}

static void
test_agents_teams_clients (void)
{
  HsTestSim *sim = start_sim ("--agents", "40", "--clients", "25", "--tickets", "10", "--time-entries", "10", NULL);
  g_autofree char *token = token_for (sim);
  g_autoptr(JsonNode) enabled = get_json (sim, token, "/api/Agent");
  g_autoptr(JsonNode) all = get_json (sim, token, "/api/Agent?includeenabled=true&includedisabled=true&includeunassigned=true");
  g_autoptr(JsonNode) paged = get_json (sim, token, "/api/Agent?includedisabled=true&pageinate=true&page_size=7&page_no=2");
  g_autoptr(JsonNode) one = get_json (sim, token, "/api/Agent/5");
  g_autoptr(JsonNode) me = get_json (sim, token, "/api/Agent/me");
  g_autoptr(JsonNode) teams = get_json (sim, token, "/api/Team");
  g_autoptr(JsonNode) team = get_json (sim, token, "/api/Team/2");
  g_autoptr(JsonNode) clients = get_json (sim, token, "/api/Client?includeinactive=true");
  g_autoptr(JsonNode) client_page = get_json (sim, token, "/api/Client?includeinactive=true&pageinate=true&page_size=10&page_no=3");
  g_autoptr(JsonNode) client_one = get_json (sim, token, "/api/Client/1");
  g_autoptr(Reply) missing_agent = request (sim, "GET", "/api/Agent/999", token, NULL);
  g_autoptr(Reply) missing_team = request (sim, "GET", "/api/Team/99", token, NULL);
  g_autoptr(Reply) missing_client = request (sim, "GET", "/api/Client/999", token, NULL);
  JsonArray *list;
  guint disabled = 0;
  gboolean saw_unassigned = FALSE;

  /* Bare arrays by default; enabled agents only; no Unassigned. */
  g_assert_true (JSON_NODE_HOLDS_ARRAY (enabled));
  list = json_node_get_array (enabled);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      g_assert_false (json_object_get_boolean_member (element (list, i), "isdisabled"));
      g_assert_cmpint (int_of (element (list, i), "id"), !=, 1);
    }

  list = json_node_get_array (all);
  g_assert_cmpuint (json_array_get_length (list), ==, 41);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *agent = element (list, i);

      disabled += json_object_get_boolean_member (agent, "isdisabled");
      if (int_of (agent, "id") == 1)
        {
          saw_unassigned = TRUE;
          g_assert_cmpstr (string_of (agent, "name"), ==, "Unassigned");
        }
      g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (agent, "teams")));
    }
  g_assert_true (saw_unassigned);
  g_assert_cmpuint (disabled, >, 0);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (enabled)), ==, 40 - disabled);

  /* Paged: {record_count, results}. */
  g_assert_cmpint (record_count (paged), ==, 40);
  g_assert_cmpuint (json_array_get_length (member_array (paged, "results")), ==, 7);
  g_assert_cmpint (int_of (element (member_array (paged, "results"), 0), "id"), ==, 9);

  g_assert_cmpint (int_of (json_node_get_object (one), "id"), ==, 5);
  g_assert_true (json_object_has_member (json_node_get_object (one), "costprice"));
  g_assert_cmpint (int_of (json_node_get_object (me), "id"), ==, 2);

  g_assert_true (JSON_NODE_HOLDS_ARRAY (teams));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (teams)), >=, 3);
  g_assert_cmpint (int_of (json_node_get_object (team), "id"), ==, 2);

  g_assert_cmpint (record_count (clients), ==, 26);
  g_assert_cmpuint (json_array_get_length (member_array (clients, "clients")), ==, 26);
  g_assert_cmpint (record_count (client_page), ==, 26);
  g_assert_cmpuint (json_array_get_length (member_array (client_page, "clients")), ==, 6);
  g_assert_cmpstr (string_of (json_node_get_object (client_one), "name"), ==, "Unassigned");

  g_assert_cmpuint (missing_agent->status, ==, 404);
  g_assert_cmpuint (missing_team->status, ==, 404);
  g_assert_cmpuint (missing_client->status, ==, 404);
  stop_sim (sim);
}

static void
test_case_and_booleans (void)
{
  HsTestSim *sim = start_sim ("--tickets", "30", "--time-entries", "30", NULL);
  g_autofree char *token = token_for (sim);
  g_autofree char *lower = get_text (sim, token, "/api/tickets?pageinate=true&page_size=5");
  g_autofree char *upper = get_text (sim, token, "/API/TICKETS?PageInate=True&Page_Size=5");
  g_autofree char *one = get_text (sim, token, "/Api/Tickets?pageinate=1&page_size=5&page_no=1");
  g_autofree char *unknown = get_text (sim, token, "/api/Tickets?pageinate=true&page_size=5&no_such_param=x&includeslatimer=true");
  g_autofree char *off = get_text (sim, token, "/api/Tickets?pageinate=False&page_size=5");
  g_autoptr(JsonNode) parsed = NULL;

  g_assert_cmpstr (lower, ==, upper);
  g_assert_cmpstr (lower, ==, one);
  g_assert_cmpstr (lower, ==, unknown);
  g_assert_cmpstr (lower, !=, off);

  parsed = get_json (sim, token, "/API/TICKETS?PageInate=True&Page_Size=5");
  g_assert_cmpuint (json_array_get_length (member_array (parsed, "tickets")), ==, 5);
  stop_sim (sim);
}

typedef struct
{
  const char *name;
  JsonNodeType node_type;
  GType value_type;
  gboolean nullable;
} FieldSpec;

/* The ticket sample of halo-api.md §5, field by field. */
static const FieldSpec ticket_fields[] = {
  { "id", JSON_NODE_VALUE, G_TYPE_INT64, FALSE },
  { "dateoccurred", JSON_NODE_VALUE, G_TYPE_STRING, FALSE },
  { "summary", JSON_NODE_VALUE, G_TYPE_STRING, FALSE },
  { "details", JSON_NODE_VALUE, G_TYPE_STRING, FALSE },
  { "status_id", JSON_NODE_VALUE, G_TYPE_INT64, FALSE },
  { "status_name", JSON_NODE_VALUE, G_TYPE_STRING, FALSE },
  { "tickettype_id", JSON_NODE_VALUE, G_TYPE_INT64, FALSE },
  { "tickettype_name", JSON_NODE_VALUE, G_TYPE_STRING, FALSE },
  { "sla_id", JSON_NODE_VALUE, G_TYPE_INT64, FALSE },
  { "priority_id", JSON_NODE_VALUE, G_TYPE_INT64, FALSE },
  { "client_id", JSON_NODE_VALUE, G_TYPE_INT64, FALSE },
  { "client_name", JSON_NODE_VALUE, G_TYPE_STRING, FALSE },
  { "site_id", JSON_NODE_VALUE, G_TYPE_INT64, FALSE },
  { "site_name", JSON_NODE_VALUE, G_TYPE_STRING, FALSE },
  { "user_id", JSON_NODE_VALUE, G_TYPE_INT64, FALSE },
  { "user_name", JSON_NODE_VALUE, G_TYPE_STRING, TRUE },
  { "team", JSON_NODE_VALUE, G_TYPE_STRING, TRUE },
  { "agent_id", JSON_NODE_VALUE, G_TYPE_INT64, FALSE },
  { "agent_name", JSON_NODE_VALUE, G_TYPE_STRING, FALSE },
  { "category_1", JSON_NODE_VALUE, G_TYPE_STRING, TRUE },
  { "estimate", JSON_NODE_VALUE, G_TYPE_DOUBLE, FALSE },
  { "timetaken", JSON_NODE_VALUE, G_TYPE_DOUBLE, FALSE },
  { "onhold", JSON_NODE_VALUE, G_TYPE_BOOLEAN, FALSE },
  { "flagged", JSON_NODE_VALUE, G_TYPE_BOOLEAN, FALSE },
  { "read", JSON_NODE_VALUE, G_TYPE_BOOLEAN, FALSE },
  { "inactive", JSON_NODE_VALUE, G_TYPE_BOOLEAN, FALSE },
  { "fixbydate", JSON_NODE_VALUE, G_TYPE_STRING, FALSE },
  { "respondbydate", JSON_NODE_VALUE, G_TYPE_STRING, FALSE },
  { "dateclosed", JSON_NODE_VALUE, G_TYPE_STRING, FALSE },
  { "lastactiondate", JSON_NODE_VALUE, G_TYPE_STRING, FALSE },
  { "last_update", JSON_NODE_VALUE, G_TYPE_STRING, FALSE },
  { "deadlinedate", JSON_NODE_VALUE, G_TYPE_STRING, FALSE },
  { "organisation_id", JSON_NODE_VALUE, G_TYPE_INT64, FALSE },
  { "department_id", JSON_NODE_VALUE, G_TYPE_INT64, FALSE },
  { "use", JSON_NODE_VALUE, G_TYPE_STRING, FALSE },
};

static void
test_ticket_fields_and_dates (void)
{
  HsTestSim *sim = start_sim ("--tickets", "400", "--time-entries", "800", NULL);
  g_autofree char *token = token_for (sim);
  g_autoptr(GHashTable) nulls = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean fraction_lengths[8] = { FALSE };
  guint open = 0, closed = 0, awkward = 0;

  for (guint page = 1; page <= 4; page++)
    {
      g_autofree char *path = g_strdup_printf ("/api/Tickets?pageinate=true&page_size=100&page_no=%u", page);
      g_autoptr(JsonNode) node = get_json (sim, token, path);
      JsonArray *list = member_array (node, "tickets");

      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonObject *ticket = element (list, i);
          const char *dates[] = { "dateoccurred", "dateclosed", "last_update", "lastactiondate", "fixbydate" };
          const char *summary = string_of (ticket, "summary");

          for (guint f = 0; f < G_N_ELEMENTS (ticket_fields); f++)
            {
              JsonNode *value = json_object_get_member (ticket, ticket_fields[f].name);

              if (value == NULL)
                g_error ("ticket lacks %s", ticket_fields[f].name);
              if (JSON_NODE_HOLDS_NULL (value))
                {
                  g_assert_true (ticket_fields[f].nullable);
                  g_hash_table_add (nulls, (gpointer) ticket_fields[f].name);
                  continue;
                }
              g_assert_cmpint (json_node_get_node_type (value), ==, ticket_fields[f].node_type);
              g_assert_cmpint (json_node_get_value_type (value), ==, ticket_fields[f].value_type);
            }

          for (guint d = 0; d < G_N_ELEMENTS (dates); d++)
            {
              const char *text = string_of (ticket, dates[d]);
              const char *dot = strchr (text, '.');

              if (!is_halo_date (text))
                g_error ("%s “%s” is not a naive Halo date", dates[d], text);
              fraction_lengths[dot != NULL ? strlen (dot + 1) : 0] = TRUE;
            }

          /* Open tickets carry the 1900 sentinel; last_update is never
           * older than the ticket's last action. */
          if (strcmp (string_of (ticket, "dateclosed"), "1900-01-01T00:00:00") == 0)
            {
              open++;
              g_assert_cmpint (int_of (ticket, "status_id"), !=, 9);
            }
          else
            {
              closed++;
              g_assert_cmpint (int_of (ticket, "status_id"), ==, 9);
              g_assert_cmpstr (string_of (ticket, "dateclosed"), >=, string_of (ticket, "dateoccurred"));
            }
          g_assert_cmpstr (string_of (ticket, "last_update"), >=, string_of (ticket, "lastactiondate"));
          g_assert_true (g_str_has_prefix (string_of (ticket, "details"), "<p>"));
          if (!g_str_is_ascii (summary) || strchr (summary, '\'') != NULL || strchr (summary, '"') != NULL)
            awkward++;
        }
    }

  g_assert_cmpuint (open, >, 0);
  g_assert_cmpuint (closed, >, open);
  g_assert_cmpuint (awkward, >, 0);
  g_assert_true (g_hash_table_contains (nulls, "team"));
  g_assert_true (g_hash_table_contains (nulls, "category_1"));
  g_assert_true (g_hash_table_contains (nulls, "user_name"));
  /* Whole seconds, and at least two different fraction lengths. */
  g_assert_true (fraction_lengths[0]);
  g_assert_true ((fraction_lengths[1] + fraction_lengths[2] + fraction_lengths[3] +
                  fraction_lengths[5] + fraction_lengths[7]) >= 2);
  stop_sim (sim);
}

static guint
ticket_id_of (JsonNode *created)
{
  return (guint) int_of (json_node_get_object (created), "id");
}

static char *
id_list (JsonNode *node)
{
  JsonArray *list = member_array (node, "tickets");
  GString *ids = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (list); i++)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "", int_of (element (list, i), "id"));
  return g_string_free (ids, FALSE);
}

static void
test_ticket_filters (void)
{
  HsTestSim *sim = start_sim ("--tickets", "120", "--time-entries", "200", NULL);
  g_autofree char *token = token_for (sim);
  g_autoptr(JsonNode) a = control (sim, "POST", "/_sim/tickets",
                                   "{\"dateoccurred\":\"2030-01-01T00:00:00\",\"last_update\":\"2030-02-01T00:00:00\",\"agent_id\":3,\"client_id\":4}");
  g_autoptr(JsonNode) b = control (sim, "POST", "/_sim/tickets",
                                   "{\"dateoccurred\":\"2030-01-02T00:00:00\",\"last_update\":\"2030-02-02T00:00:00\","
                                   "\"dateclosed\":\"2030-01-05T10:00:00\"}");
  g_autoptr(JsonNode) c = control (sim, "POST", "/_sim/tickets",
                                   "{\"dateoccurred\":\"2030-01-02T00:00:00.0000001\",\"last_update\":\"2030-02-02T00:00:00.0000001\"}");
  g_autofree char *expected = g_strdup_printf ("%u,%u", ticket_id_of (a), ticket_id_of (b));
  const char *spellings[] = {
    "/api/Tickets?datesearch=dateoccured&startdate=2030-01-01&enddate=2030-01-02",
    "/api/Tickets?datesearch=dateoccurred&startdate=2030-01-01T00:00:00&enddate=2030-01-02T00:00:00",
    "/api/Tickets?datesearch=dateoccured&startdate=2030-01-01T00:00:00Z&enddate=2030-01-02T00:00:00.000Z",
    "/api/Tickets?datesearch=dateoccured&startdate=2030-01-01T01:00:00%2B01:00&enddate=2030-01-02T00:00:00.0000000",
    "/api/Tickets?lastupdatefromdate=2030-02-01&lastupdatetodate=2030-02-02T00:00:00",
  };
  g_autoptr(JsonNode) cleared = get_json (sim, token, "/api/Tickets?datesearch=datecleared&startdate=2030-01-05T10:00:00&enddate=2030-01-05T10:00:00");
  g_autoptr(JsonNode) by_agent = get_json (sim, token, "/api/Tickets?agent_id=3&count=1000");
  g_autoptr(JsonNode) by_client = get_json (sim, token, "/api/Tickets?client_id=4&count=1000");
  g_autoptr(JsonNode) by_ids = get_json (sim, token, "/api/Tickets?ticketids=7,3,x,999,5");
  g_autoptr(JsonNode) open_only = get_json (sim, token, "/api/Tickets?open_only=true&count=1000");
  g_autoptr(JsonNode) closed_only = get_json (sim, token, "/api/Tickets?closed_only=True&count=1000");
  g_autoptr(JsonNode) newest = get_json (sim, token, "/api/Tickets?order=dateoccurred&orderdesc=true&pageinate=true&page_size=100");
  g_autoptr(JsonNode) by_update = get_json (sim, token, "/api/Tickets?order=last_update&pageinate=true&page_size=100&page_no=2");
  g_autoptr(Reply) bad_date = request (sim, "GET", "/api/Tickets?datesearch=dateoccured&startdate=01/02/2030", token, NULL);
  g_autofree char *ids_found = id_list (by_ids);
  JsonArray *list;

  for (guint i = 0; i < G_N_ELEMENTS (spellings); i++)
    {
      g_autoptr(JsonNode) found = get_json (sim, token, spellings[i]);
      g_autofree char *ids = id_list (found);

      /* Both bounds inclusive: the ticket exactly at the end is in, the
       * one 100 ns later is out. */
      g_assert_cmpstr (ids, ==, expected);
    }

  g_assert_cmpint (record_count (cleared), ==, 1);
  g_assert_cmpint (int_of (element (member_array (cleared, "tickets"), 0), "id"), ==, ticket_id_of (b));

  list = member_array (by_agent, "tickets");
  g_assert_cmpuint (json_array_get_length (list), >, 1);
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_assert_cmpint (int_of (element (list, i), "agent_id"), ==, 3);
  list = member_array (by_client, "tickets");
  g_assert_cmpuint (json_array_get_length (list), >=, 1);
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_assert_cmpint (int_of (element (list, i), "client_id"), ==, 4);

  g_assert_cmpstr (ids_found, ==, "3,5,7");

  g_assert_cmpint (record_count (open_only) + record_count (closed_only), ==, 123);
  list = member_array (open_only, "tickets");
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_assert_cmpstr (string_of (element (list, i), "dateclosed"), ==, "1900-01-01T00:00:00");
  list = member_array (closed_only, "tickets");
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_assert_cmpstr (string_of (element (list, i), "dateclosed"), !=, "1900-01-01T00:00:00");

  list = member_array (newest, "tickets");
  g_assert_cmpint (int_of (element (list, 0), "id"), ==, ticket_id_of (c));
  for (guint i = 1; i < json_array_get_length (list); i++)
    g_assert_cmpstr (string_of (element (list, i - 1), "dateoccurred"), >=, string_of (element (list, i), "dateoccurred"));
  list = member_array (by_update, "tickets");
  g_assert_cmpuint (json_array_get_length (list), ==, 23);
  for (guint i = 1; i < json_array_get_length (list); i++)
    g_assert_cmpstr (string_of (element (list, i - 1), "last_update"), <=, string_of (element (list, i), "last_update"));

  g_assert_cmpuint (bad_date->status, ==, 400);
  stop_sim (sim);
}

static void
test_deleted_tickets (void)
{
  HsTestSim *sim = start_sim ("--agents", "3", "--tickets", "20", "--time-entries", "200", NULL);
  g_autofree char *token = token_for (sim);
  g_autoptr(JsonNode) before = get_json (sim, token, "/api/Tickets?count=100");
  g_autoptr(JsonNode) actions = get_json (sim, token, "/api/Actions?ticket_id=4&timeentriesonly=true");
  g_autoptr(JsonNode) truth_before = control (sim, "GET", "/_sim/truth?start=2000-01-01&end=2100-01-01", NULL);
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonNode) deleted = NULL;
  g_autoptr(JsonNode) single = NULL;
  g_autoptr(JsonNode) actions_after = NULL;
  g_autoptr(JsonNode) events = NULL;
  g_autoptr(JsonNode) truth_after = NULL;
  g_autoptr(Reply) delete_again = NULL;
  JsonArray *list;
  gint64 entries = record_count (actions);

  g_assert_cmpint (entries, >, 0);
  control_ok (sim, "DELETE", "/_sim/tickets/4", NULL);
  after = get_json (sim, token, "/api/Tickets?count=100");
  deleted = get_json (sim, token, "/api/Tickets?deleted=true");
  single = get_json (sim, token, "/api/Tickets/4");
  actions_after = get_json (sim, token, "/api/Actions?ticket_id=4");
  events = get_json (sim, token, "/api/TimesheetEvent?agents=2,3,4");
  truth_after = control (sim, "GET", "/_sim/truth?start=2000-01-01&end=2100-01-01", NULL);

  g_assert_cmpint (record_count (after), ==, record_count (before) - 1);
  list = member_array (after, "tickets");
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_assert_cmpint (int_of (element (list, i), "id"), !=, 4);
  g_assert_cmpint (record_count (deleted), ==, 1);
  g_assert_cmpint (int_of (element (member_array (deleted, "tickets"), 0), "id"), ==, 4);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (single), "deleted"));
  g_assert_cmpint (record_count (actions_after), ==, 0);
  list = json_node_get_array (events);
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_assert_cmpint (int_of (element (list, i), "ticket_id"), !=, 4);
  g_assert_cmpint (int_of (json_node_get_object (truth_after), "time_entries"), ==,
                   int_of (json_node_get_object (truth_before), "time_entries") - entries);

  delete_again = request (sim, "DELETE", "/_sim/tickets/4", hs_test_sim_get_control_token (sim), NULL);
  g_assert_cmpuint (delete_again->status, ==, 404);
  stop_sim (sim);
}

static void
test_actions (void)
{
  HsTestSim *sim = start_sim ("--tickets", "30", "--time-entries", "150", NULL);
  g_autofree char *token = token_for (sim);
  g_autoptr(Reply) no_ticket = request (sim, "GET", "/api/Actions", token, NULL);
  g_autoptr(Reply) no_ticket_single = request (sim, "GET", "/api/Actions/1", token, NULL);
  g_autoptr(Reply) missing = request (sim, "GET", "/api/Actions/999?ticket_id=3", token, NULL);
  g_autoptr(JsonNode) error_body = parse (no_ticket->body);
  guint entries = 0, system = 0;

  g_assert_cmpuint (no_ticket->status, ==, 400);
  g_assert_true (json_object_has_member (json_node_get_object (error_body), "ClassName"));
  g_assert_true (json_object_has_member (json_node_get_object (error_body), "Message"));
  g_assert_cmpuint (no_ticket_single->status, ==, 400);
  g_assert_cmpuint (missing->status, ==, 404);

  for (guint t = 1; t <= 30; t++)
    {
      g_autofree char *path = g_strdup_printf ("/api/Actions?ticket_id=%u", t);
      g_autofree char *only = g_strdup_printf ("/api/actions?ticket_id=%u&timeentriesonly=true&excludesys=true", t);
      g_autoptr(JsonNode) all = get_json (sim, token, path);
      g_autoptr(JsonNode) filtered = get_json (sim, token, only);
      JsonArray *list = member_array (all, "actions");
      guint n_entries = 0;

      g_assert_cmpint (record_count (all), ==, json_array_get_length (list));
      for (guint i = 0; i < json_array_get_length (list); i++)
        {
          JsonObject *action = element (list, i);

          /* Ids are 1..n within each ticket. */
          g_assert_cmpint (int_of (action, "id"), ==, i + 1);
          g_assert_cmpint (int_of (action, "ticket_id"), ==, t);
          g_assert_true (is_halo_date (string_of (action, "datetime")));
          if (json_object_get_double_member (action, "timetaken") > 0)
            {
              n_entries++;
              g_assert_cmpint (int_of (action, "who_agentid"), >, 1);
            }
          if (int_of (action, "who_agentid") == 0)
            system++;
        }
      entries += n_entries;

      list = member_array (filtered, "actions");
      g_assert_cmpuint (json_array_get_length (list), ==, n_entries);
      for (guint i = 0; i < json_array_get_length (list); i++)
        g_assert_cmpfloat (json_object_get_double_member (element (list, i), "timetaken"), >, 0);

      if (t == 3)
        {
          g_autoptr(JsonNode) single = get_json (sim, token, "/api/Actions/2?ticket_id=3");
          g_autofree char *window = g_strdup_printf ("/api/Actions?ticket_id=3&startdate=%s&enddate=%s",
                                                     string_of (element (member_array (all, "actions"), 1), "datetime"),
                                                     string_of (element (member_array (all, "actions"), 1), "datetime"));
          g_autoptr(JsonNode) windowed = get_json (sim, token, window);

          g_assert_cmpint (int_of (json_node_get_object (single), "id"), ==, 2);
          g_assert_cmpint (int_of (json_node_get_object (single), "ticket_id"), ==, 3);
          g_assert_cmpint (record_count (windowed), >=, 1);
          g_assert_cmpint (int_of (element (member_array (windowed, "actions"), 0), "id"), ==, 2);
        }
    }

  /* --time-entries is the number of actions with timetaken > 0. */
  g_assert_cmpuint (entries, ==, 150);
  g_assert_cmpuint (system, >, 0);
  stop_sim (sim);
}

static void
test_timesheet_events (void)
{
  HsTestSim *sim = start_sim ("--agents", "4", "--tickets", "40", "--time-entries", "300", NULL);
  g_autofree char *token = token_for (sim);
  g_autoptr(JsonNode) all = get_json (sim, token, "/api/TimesheetEvent?agents=2,3,4,5&utcoffset=300");
  g_autoptr(JsonNode) mine = get_json (sim, token, "/api/TimesheetEvent");
  g_autoptr(JsonNode) three = get_json (sim, token, "/api/TimesheetEvent?agent_id=3");
  g_autoptr(JsonNode) truth = control (sim, "GET", "/_sim/truth?start=2000-01-01&end=2100-01-01", NULL);
  g_autoptr(GHashTable) hours_per_ticket = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  JsonArray *list = json_node_get_array (all);
  JsonObject *agents = json_object_get_object_member (json_node_get_object (truth), "agents");
  double event_hours[6] = { 0 };
  guint work = 0, breaks = 0;
  const char *pick_start = NULL;

  g_assert_true (JSON_NODE_HOLDS_ARRAY (all));
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *event = element (list, i);
      gint64 ticket = int_of (event, "ticket_id");

      g_assert_true (is_halo_date (string_of (event, "start_date")));
      if (i > 0)
        g_assert_cmpstr (string_of (element (list, i - 1), "start_date"), <=, string_of (event, "start_date"));
      if (int_of (event, "event_type") == 1)
        {
          breaks++;
          g_assert_cmpint (ticket, ==, 0);
          continue;
        }
      work++;
      g_assert_cmpint (int_of (event, "event_type"), ==, 0);
      g_assert_cmpint (ticket, >, 0);
      event_hours[int_of (event, "agent_id")] += json_object_get_double_member (event, "timetaken");
      if (g_hash_table_lookup (hours_per_ticket, GINT_TO_POINTER ((int) ticket)) == NULL)
        g_hash_table_insert (hours_per_ticket, GINT_TO_POINTER ((int) ticket), g_new0 (double, 1));
      *(double *) g_hash_table_lookup (hours_per_ticket, GINT_TO_POINTER ((int) ticket)) +=
        json_object_get_double_member (event, "timetaken");
      if (i == json_array_get_length (list) / 2)
        pick_start = string_of (event, "start_date");
    }
  g_assert_cmpuint (work, ==, 300);
  g_assert_cmpuint (breaks, >, 0);

  /* The same hours per agent as the store... */
  for (guint agent = 2; agent <= 5; agent++)
    {
      char key[8];

      g_snprintf (key, sizeof key, "%u", agent);
      if (json_object_has_member (agents, key))
        g_assert_cmpfloat_with_epsilon (event_hours[agent],
                                        json_object_get_double_member (json_object_get_object_member (agents, key), "hours"),
                                        1e-6);
      else
        g_assert_cmpfloat (event_hours[agent], ==, 0);
    }

  /* ...and per ticket as /api/Actions, linked by action_number. */
  for (guint t = 1; t <= 40; t++)
    {
      g_autofree char *path = g_strdup_printf ("/api/Actions?ticket_id=%u&timeentriesonly=true", t);
      g_autoptr(JsonNode) actions = get_json (sim, token, path);
      JsonArray *alist = member_array (actions, "actions");
      double *from_events = g_hash_table_lookup (hours_per_ticket, GUINT_TO_POINTER (t));
      double from_actions = 0;

      for (guint i = 0; i < json_array_get_length (alist); i++)
        from_actions += json_object_get_double_member (element (alist, i), "timetaken");
      g_assert_cmpfloat_with_epsilon (from_actions, from_events != NULL ? *from_events : 0.0, 1e-9);
    }

  /* Each event matches its action exactly. */
  for (guint i = 0; i < json_array_get_length (list); i += 37)
    {
      JsonObject *event = element (list, i);
      g_autofree char *path = NULL;
      g_autoptr(JsonNode) action = NULL;
      JsonObject *a;

      if (int_of (event, "event_type") != 0)
        continue;
      path = g_strdup_printf ("/api/Actions/%" G_GINT64_FORMAT "?ticket_id=%" G_GINT64_FORMAT,
                              int_of (event, "action_number"), int_of (event, "ticket_id"));
      action = get_json (sim, token, path);
      a = json_node_get_object (action);
      g_assert_cmpstr (string_of (a, "datetime"), ==, string_of (event, "start_date"));
      g_assert_cmpint (int_of (a, "who_agentid"), ==, int_of (event, "agent_id"));
      g_assert_cmpfloat (json_object_get_double_member (a, "timetaken"), ==, json_object_get_double_member (event, "timetaken"));
      g_assert_cmpint (int_of (event, "charge_rate"), ==, json_object_get_boolean_member (a, "actisbillable") ? 1 : 0);
    }

  /* Without a filter: the API agent's (2) events only. */
  list = json_node_get_array (mine);
  g_assert_cmpuint (json_array_get_length (list), >, 0);
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_assert_cmpint (int_of (element (list, i), "agent_id"), ==, 2);
  list = json_node_get_array (three);
  g_assert_cmpuint (json_array_get_length (list), >, 0);
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_assert_cmpint (int_of (element (list, i), "agent_id"), ==, 3);

  /* The window is inclusive on start_date at both ends. */
  {
    g_autofree char *path = g_strdup_printf ("/api/TimesheetEvent?agents=2,3,4,5&start_date=%s&end_date=%s",
                                             pick_start, pick_start);
    g_autoptr(JsonNode) exact = get_json (sim, token, path);

    list = json_node_get_array (exact);
    g_assert_cmpuint (json_array_get_length (list), >=, 1);
    for (guint i = 0; i < json_array_get_length (list); i++)
      g_assert_cmpstr (string_of (element (list, i), "start_date"), ==, pick_start);
  }
  stop_sim (sim);
}

static void
test_large_timesheet_streams (void)
{
  HsTestSim *sim = start_sim ("--agents", "3", "--tickets", "100", "--time-entries", "1000", NULL);
  g_autofree char *token = token_for (sim);
  g_autoptr(Reply) reply = request (sim, "GET", "/api/TimesheetEvent?agents=2,3,4", token, NULL);
  g_autoptr(JsonNode) events = NULL;
  g_autoptr(JsonNode) faulted = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (NULL, NULL);
  JsonArray *list;
  guint work = 0;

  /* Large answers arrive in chunks, and still form one valid array. */
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpint (soup_message_headers_get_encoding (reply->headers), ==, SOUP_ENCODING_CHUNKED);
  events = parse (reply->body);
  list = json_node_get_array (events);
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject *event = element (list, i);

      g_hash_table_add (ids, GINT_TO_POINTER ((int) int_of (event, "id")));
      work += int_of (event, "event_type") == 0;
      if (i > 0)
        g_assert_cmpstr (string_of (element (list, i - 1), "start_date"), <=, string_of (event, "start_date"));
    }
  g_assert_cmpuint (work, ==, 1000);
  g_assert_cmpuint (g_hash_table_size (ids), ==, json_array_get_length (list));

  /* A wrong-type fault reaches a record far into a later chunk. */
  control_ok (sim, "POST", "/_sim/faults",
              "{\"faults\":[{\"kind\":\"wrong_type\",\"path\":\"/api/timesheetevent\",\"field\":\"timetaken\",\"value\":\"lots\",\"record\":900}]}");
  faulted = get_json (sim, token, "/api/TimesheetEvent?agents=2,3,4");
  list = json_node_get_array (faulted);
  g_assert_cmpstr (string_of (element (list, 900), "timetaken"), ==, "lots");
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (element (list, 899), "timetaken")), ==, G_TYPE_DOUBLE);
  stop_sim (sim);
}

/* The pages of one query share the list it matched until a ticket or an
 * action changes: every page still answers for the store as it is. */
static void
test_paging_sees_changes (void)
{
  HsTestSim *sim = start_sim ("--tickets", "150", "--time-entries", "300", NULL);
  g_autofree char *token = token_for (sim);
  const char *query = "/api/Tickets?pageinate=true&page_size=100&order=id&lastupdatefromdate=2030-01-01";
  g_autofree char *first = g_strconcat (query, "&page_no=1", NULL);
  g_autofree char *second = g_strconcat (query, "&page_no=2", NULL);
  g_autoptr(JsonNode) before = get_json (sim, token, first);
  g_autoptr(JsonNode) created = control (sim, "POST", "/_sim/tickets",
                                         "{\"dateoccurred\":\"2030-01-02T00:00:00\",\"last_update\":\"2030-01-02T00:00:00\"}");
  g_autoptr(JsonNode) after_create = get_json (sim, token, second);
  g_autofree char *ticket_path = g_strdup_printf ("/_sim/tickets/%u", ticket_id_of (created));
  g_autoptr(JsonNode) action = NULL;
  g_autoptr(JsonNode) after_action = NULL;
  g_autoptr(JsonNode) after_delete = NULL;

  g_assert_cmpint (record_count (before), ==, 0);
  g_assert_cmpint (record_count (after_create), ==, 1);

  /* Time logged on a seeded ticket moves its last_update into the range. */
  action = control (sim, "POST", "/_sim/tickets/7/actions",
                    "{\"timetaken\":0.5,\"datetime\":\"2030-01-03T00:00:00\",\"last_updated\":\"2030-01-03T00:00:00\"}");
  after_action = get_json (sim, token, first);
  g_assert_cmpint (record_count (after_action), ==, 2);
  g_assert_cmpint (int_of (element (member_array (after_action, "tickets"), 0), "id"), ==, 7);

  control_ok (sim, "DELETE", ticket_path, NULL);
  after_delete = get_json (sim, token, first);
  g_assert_cmpint (record_count (after_delete), ==, 1);
  stop_sim (sim);
}

/* A date range and a last-update range in one request both apply, and
 * either bound of a range may come alone: the source reads a past year's
 * older tickets worked in it as "opened by S and updated in [S, E]". */
static void
test_ticket_filters_combine (void)
{
  HsTestSim *sim = start_sim ("--tickets", "60", "--time-entries", "100", NULL);
  g_autofree char *token = token_for (sim);
  g_autoptr(JsonNode) worked = control (sim, "POST", "/_sim/tickets",
                                        "{\"dateoccurred\":\"2030-01-01T00:00:00\",\"last_update\":\"2030-04-01T00:00:00\"}");
  g_autoptr(JsonNode) idle = control (sim, "POST", "/_sim/tickets",
                                      "{\"dateoccurred\":\"2030-01-02T00:00:00\",\"last_update\":\"2030-02-01T00:00:00\"}");
  g_autoptr(JsonNode) at_start = control (sim, "POST", "/_sim/tickets",
                                          "{\"dateoccurred\":\"2030-03-01T00:00:00\",\"last_update\":\"2030-03-10T00:00:00\"}");
  g_autoptr(JsonNode) opened_in = control (sim, "POST", "/_sim/tickets",
                                           "{\"dateoccurred\":\"2030-03-05T00:00:00\",\"last_update\":\"2030-04-02T00:00:00\"}");
  g_autoptr(JsonNode) later = control (sim, "POST", "/_sim/tickets",
                                       "{\"dateoccurred\":\"2030-01-03T00:00:00\",\"last_update\":\"2030-06-01T00:00:00.0000001\"}");
  g_autoptr(JsonNode) older_worked = get_json (sim, token,
                                               "/api/Tickets?pageinate=true&page_size=100&order=id&datesearch=dateoccured"
                                               "&enddate=2030-03-01&lastupdatefromdate=2030-03-01&lastupdatetodate=2030-06-01");
  g_autoptr(JsonNode) opened_after = get_json (sim, token,
                                               "/api/Tickets?pageinate=true&page_size=100&order=id&datesearch=dateoccured"
                                               "&startdate=2030-01-02&lastupdatefromdate=2030-02-01");
  g_autofree char *expected_worked = g_strdup_printf ("%u,%u", ticket_id_of (worked), ticket_id_of (at_start));
  g_autofree char *expected_after = g_strdup_printf ("%u,%u,%u,%u", ticket_id_of (idle), ticket_id_of (at_start),
                                                     ticket_id_of (opened_in), ticket_id_of (later));
  g_autofree char *ids_worked = id_list (older_worked);
  g_autofree char *ids_after = id_list (opened_after);

  /* Opened by the range's start (inclusive, so the ticket opened exactly
   * at it too) and updated inside it; not the idle one, not the one
   * updated 100 ns after the range, and none of the seeded tickets, all
   * updated years earlier. */
  g_assert_cmpstr (ids_worked, ==, expected_worked);
  g_assert_cmpint (record_count (older_worked), ==, 2);
  /* A start bound alone, with a last-update bound alone. */
  g_assert_cmpstr (ids_after, ==, expected_after);
  stop_sim (sim);
}

static void
test_truth_matches_api (void)
{
  HsTestSim *sim = start_sim ("--tickets", "300", "--time-entries", "900", "--agents", "5", NULL);
  g_autofree char *token = token_for (sim);
  g_autoptr(JsonNode) truth = control (sim, "GET", "/_sim/truth?start=2025-07-01&end=2026-07-01", NULL);
  g_autoptr(JsonNode) opened = get_json (sim, token,
                                         "/api/Tickets?datesearch=dateoccured&startdate=2025-07-01&enddate=2026-06-30T23:59:59.9999999&pageinate=true&page_size=1");
  g_autoptr(JsonNode) updated = get_json (sim, token,
                                          "/api/Tickets?lastupdatefromdate=2025-07-01&lastupdatetodate=2026-06-30T23:59:59.9999999&pageinate=true&page_size=1");
  g_autoptr(JsonNode) events = get_json (sim, token,
                                         "/api/TimesheetEvent?agents=2,3,4,5,6&start_date=2025-07-01&end_date=2026-06-30T23:59:59.9999999");
  g_autoptr(JsonNode) everything = control (sim, "GET", "/_sim/truth?start=1900-01-02&end=2100-01-01", NULL);
  JsonObject *t = json_node_get_object (truth);
  JsonArray *list = json_node_get_array (events);
  guint work = 0;

  for (guint i = 0; i < json_array_get_length (list); i++)
    work += int_of (element (list, i), "event_type") == 0;

  g_assert_cmpint (int_of (t, "tickets_opened"), ==, record_count (opened));
  g_assert_cmpint (int_of (t, "tickets_updated"), ==, record_count (updated));
  g_assert_cmpint (int_of (t, "time_entries"), ==, work);
  /* Some tickets opened before the range were worked inside it, and some
   * of their time lies before it. */
  g_assert_cmpint (int_of (t, "tickets_touched"), >, int_of (t, "tickets_opened"));
  g_assert_cmpint (int_of (json_node_get_object (everything), "time_entries"), ==, 900);
  g_assert_cmpint (int_of (t, "time_entries"), <, 900);
  stop_sim (sim);
}

static void
test_rate_limit (void)
{
  HsTestSim *sim = start_sim ("--tickets", "5", "--time-entries", "5", "--rate-limit", "3/3", NULL);
  g_autofree char *token = token_for (sim);
  g_autoptr(JsonNode) counters = NULL;
  Reply *reply;

  /* The token was the first of three. */
  for (guint i = 0; i < 2; i++)
    {
      reply = request (sim, "GET", "/api/Team", token, NULL);
      g_assert_cmpuint (reply->status, ==, 200);
      reply_free (reply);
    }
  reply = request (sim, "GET", "/api/Team", token, NULL);
  g_assert_cmpuint (reply->status, ==, 429);
  assert_body (reply, "Rate Limit Reached - 3 Requests per rolling 3 second window");
  g_assert_null (soup_message_headers_get_one (reply->headers, "Retry-After"));
  reply_free (reply);
  /* The token endpoint counts too; the control API never does. */
  reply = request (sim, "POST", "/auth/token", NULL, "grant_type=client_credentials&client_id=halosync-demo&client_secret=demo-secret");
  g_assert_cmpuint (reply->status, ==, 429);
  reply_free (reply);
  counters = control (sim, "GET", "/_sim/counters", NULL);
  g_assert_cmpint (int_of (json_object_get_object_member (json_node_get_object (counters), "statuses"), "429"), ==, 2);
  g_assert_cmpint (int_of (json_node_get_object (counters), "max_in_window"), ==, 5);
  g_assert_cmpfloat (json_object_get_double_member (json_node_get_object (counters), "window_seconds"), ==, 3.0);

  g_usleep (3100 * 1000);
  reply = request (sim, "GET", "/api/Team", token, NULL);
  g_assert_cmpuint (reply->status, ==, 200);
  reply_free (reply);

  /* Halo's own figures, switched on at run time, with Retry-After. */
  control_ok (sim, "POST", "/_sim/faults", "{\"rate_limit\":{\"count\":300,\"seconds\":300,\"retry_after\":30}}");
  for (guint i = 0; i < 300; i++)
    {
      reply = request (sim, "GET", "/api/Team/1", token, NULL);
      g_assert_cmpuint (reply->status, ==, 200);
      reply_free (reply);
    }
  reply = request (sim, "GET", "/api/Team/1", token, NULL);
  g_assert_cmpuint (reply->status, ==, 429);
  assert_body (reply, "Rate Limit Reached - 300 Requests per rolling 5 minute window");
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Retry-After"), ==, "30");
  reply_free (reply);

  control_ok (sim, "DELETE", "/_sim/faults", NULL);
  reply = request (sim, "GET", "/api/Team/1", token, NULL);
  g_assert_cmpuint (reply->status, ==, 200);
  reply_free (reply);
  stop_sim (sim);
}

static guint
status_of (HsTestSim  *sim,
           const char *token,
           const char *path)
{
  g_autoptr(Reply) reply = request (sim, "GET", path, token, NULL);

  return reply->status;
}

static void
test_fault_status (void)
{
  HsTestSim *sim = start_sim ("--tickets", "20", "--time-entries", "20", NULL);
  g_autofree char *token = token_for (sim);
  g_autoptr(JsonNode) state = NULL;

  control_ok (sim, "POST", "/_sim/faults",
              "{\"faults\":[{\"kind\":\"status\",\"status\":503,\"path\":\"/api/tickets*\",\"nth\":2}]}");
  g_assert_cmpuint (status_of (sim, token, "/api/Tickets"), ==, 200);
  g_assert_cmpuint (status_of (sim, token, "/api/Agent"), ==, 200);
  g_assert_cmpuint (status_of (sim, token, "/api/Tickets/3"), ==, 503);
  g_assert_cmpuint (status_of (sim, token, "/api/Tickets"), ==, 200);

  /* From the nth on, for good. */
  control_ok (sim, "POST", "/_sim/faults",
              "{\"faults\":[{\"kind\":\"status\",\"status\":500,\"nth\":3,\"count\":0}]}");
  g_assert_cmpuint (status_of (sim, token, "/api/Team"), ==, 200);
  g_assert_cmpuint (status_of (sim, token, "/api/Team"), ==, 200);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (status_of (sim, token, "/api/Team"), ==, 500);

  /* For K requests. */
  control_ok (sim, "POST", "/_sim/faults",
              "{\"faults\":[{\"kind\":\"status\",\"status\":502,\"nth\":1,\"count\":2}]}");
  g_assert_cmpuint (status_of (sim, token, "/api/Team"), ==, 502);
  g_assert_cmpuint (status_of (sim, token, "/api/Team"), ==, 502);
  g_assert_cmpuint (status_of (sim, token, "/api/Team"), ==, 200);

  state = control (sim, "GET", "/_sim/faults", NULL);
  g_assert_cmpint (int_of (element (member_array (state, "faults"), 0), "hits"), ==, 2);

  control_ok (sim, "DELETE", "/_sim/faults", NULL);
  g_assert_cmpuint (status_of (sim, token, "/api/Team"), ==, 200);
  stop_sim (sim);
}

static char *
failure_pattern (const char *seed)
{
  HsTestSim *sim = start_sim ("--tickets", "5", "--time-entries", "5", "--seed", seed, NULL);
  g_autofree char *token = token_for (sim);
  GString *pattern = g_string_new (NULL);

  control_ok (sim, "POST", "/_sim/faults", "{\"faults\":[{\"kind\":\"status\",\"status\":500,\"rate\":0.3}]}");
  for (guint i = 0; i < 60; i++)
    g_string_append_c (pattern, status_of (sim, token, "/api/Team") == 500 ? 'x' : '.');
  stop_sim (sim);
  return g_string_free (pattern, FALSE);
}

static void
test_fault_rate (void)
{
  g_autofree char *first = failure_pattern ("7");
  g_autofree char *again = failure_pattern ("7");
  g_autofree char *other = failure_pattern ("8");
  guint failures = 0;

  for (const char *p = first; *p != '\0'; p++)
    failures += *p == 'x';
  /* About 30 %, and the same requests fail for the same seed. */
  g_assert_cmpuint (failures, >=, 8);
  g_assert_cmpuint (failures, <=, 30);
  g_assert_cmpstr (first, ==, again);
  g_assert_cmpstr (first, !=, other);
}

static void
test_fault_revoke (void)
{
  HsTestSim *sim = start_sim ("--tickets", "5", "--time-entries", "5", NULL);
  g_autofree char *token = token_for (sim);
  g_autofree char *fresh = NULL;

  control_ok (sim, "POST", "/_sim/faults", "{\"faults\":[{\"kind\":\"revoke\",\"path\":\"/api/*\",\"nth\":3}]}");
  g_assert_cmpuint (status_of (sim, token, "/api/Team"), ==, 200);
  g_assert_cmpuint (status_of (sim, token, "/api/Team"), ==, 200);
  g_assert_cmpuint (status_of (sim, token, "/api/Team"), ==, 401);
  g_assert_cmpuint (status_of (sim, token, "/api/Team"), ==, 401);
  fresh = token_for (sim);
  g_assert_cmpuint (status_of (sim, fresh, "/api/Team"), ==, 200);
  stop_sim (sim);
}

static void
test_fault_bodies (void)
{
  HsTestSim *sim = start_sim ("--tickets", "20", "--time-entries", "60", NULL);
  g_autofree char *token = token_for (sim);
  g_autofree char *normal = get_text (sim, token, "/api/Tickets?count=3");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) wrong = NULL;
  g_autoptr(JsonNode) wrong_action = NULL;
  Reply *reply;
  JsonArray *list;

  /* Malformed JSON. */
  control_ok (sim, "POST", "/_sim/faults", "{\"faults\":[{\"kind\":\"malformed\",\"path\":\"/api/tickets\"}]}");
  reply = request (sim, "GET", "/api/Tickets?count=3", token, NULL);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_false (json_parser_load_from_data (parser, g_bytes_get_data (reply->body, NULL),
                                              (gssize) g_bytes_get_size (reply->body), &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  reply_free (reply);
  g_assert_cmpuint (status_of (sim, token, "/api/Tickets?count=3"), ==, 200);

  /* The token endpoint can be broken the same way. */
  control_ok (sim, "POST", "/_sim/faults", "{\"faults\":[{\"kind\":\"malformed\",\"path\":\"/auth/token\"}]}");
  reply = request (sim, "POST", "/auth/token", NULL, "grant_type=client_credentials&client_id=halosync-demo&client_secret=demo-secret");
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_false (json_parser_load_from_data (parser, g_bytes_get_data (reply->body, NULL),
                                              (gssize) g_bytes_get_size (reply->body), &error));
  g_clear_error (&error);
  reply_free (reply);

  /* A truncated body whose Content-Length matches. */
  control_ok (sim, "POST", "/_sim/faults", "{\"faults\":[{\"kind\":\"truncate\",\"path\":\"/api/tickets\"}]}");
  reply = request (sim, "GET", "/api/Tickets?count=3", token, NULL);
  g_assert_cmpuint (g_bytes_get_size (reply->body), ==, strlen (normal) / 2);
  g_assert_cmpint (soup_message_headers_get_content_length (reply->headers), ==, strlen (normal) / 2);
  g_assert_cmpmem (g_bytes_get_data (reply->body, NULL), g_bytes_get_size (reply->body), normal, strlen (normal) / 2);
  g_assert_false (json_parser_load_from_data (parser, g_bytes_get_data (reply->body, NULL),
                                              (gssize) g_bytes_get_size (reply->body), &error));
  g_clear_error (&error);
  reply_free (reply);

  /* A wrong type in one field of one record. */
  control_ok (sim, "POST", "/_sim/faults",
              "{\"faults\":[{\"kind\":\"wrong_type\",\"path\":\"/api/tickets\",\"field\":\"id\",\"value\":\"abc\"},"
              "{\"kind\":\"wrong_type\",\"path\":\"/api/actions\",\"field\":\"timetaken\",\"value\":\"lots\",\"record\":1}]}");
  wrong = get_json (sim, token, "/api/Tickets?count=3");
  list = member_array (wrong, "tickets");
  g_assert_cmpstr (string_of (element (list, 0), "id"), ==, "abc");
  g_assert_cmpint (int_of (element (list, 1), "id"), ==, 2);
  wrong_action = get_json (sim, token, "/api/Actions?ticket_id=2");
  list = member_array (wrong_action, "actions");
  g_assert_cmpstr (string_of (element (list, 1), "timetaken"), ==, "lots");
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (element (list, 0), "timetaken")), ==, G_TYPE_DOUBLE);

  /* Latency. */
  control_ok (sim, "POST", "/_sim/faults", "{\"faults\":[{\"kind\":\"latency\",\"ms\":300}]}");
  reply = request (sim, "GET", "/api/Team", token, NULL);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpint (reply->elapsed, >=, 300 * 1000);
  reply_free (reply);

  control_ok (sim, "DELETE", "/_sim/faults", NULL);
  {
    g_autofree char *again = get_text (sim, token, "/api/Tickets?count=3");

    g_assert_cmpstr (again, ==, normal);
  }
  stop_sim (sim);
}

static void
collect_bodies (const char *seed,
                GPtrArray  *bodies)
{
  HsTestSim *sim = start_sim ("--tickets", "60", "--time-entries", "200", "--seed", seed, NULL);
  g_autofree char *token = token_for (sim);
  const char *paths[] = {
    "/api/Tickets?pageinate=true&page_size=100",
    "/api/Tickets/17",
    "/api/Actions?ticket_id=9",
    "/api/Agent?includedisabled=true&includeunassigned=true",
    "/api/Team",
    "/api/Client?includeinactive=true",
    "/api/TimesheetEvent?agents=2,3,4,5,6,7,8,9,10,11,12,13",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    g_ptr_array_add (bodies, get_text (sim, token, paths[i]));
  stop_sim (sim);
}

static void
test_determinism (void)
{
  g_autoptr(GPtrArray) first = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) other = g_ptr_array_new_with_free_func (g_free);
  guint differing = 0;

  collect_bodies ("42", first);
  collect_bodies ("42", again);
  collect_bodies ("43", other);
  for (guint i = 0; i < first->len; i++)
    {
      g_assert_cmpstr (g_ptr_array_index (first, i), ==, g_ptr_array_index (again, i));
      differing += strcmp (g_ptr_array_index (first, i), g_ptr_array_index (other, i)) != 0;
    }
  /* Team names are fixed; everything generated differs. */
  g_assert_cmpuint (differing, >=, first->len - 1);
}

static void
test_mutations (void)
{
  HsTestSim *sim = start_sim ("--agents", "6", "--tickets", "50", "--time-entries", "100", NULL);
  g_autofree char *token = token_for (sim);
  g_autoptr(JsonNode) created = control (sim, "POST", "/_sim/tickets",
                                         "{\"summary\":\"Zoë's \\\"new\\\" ticket\",\"agent_id\":4,\"client_id\":3,"
                                         "\"custom_flag\":true}");
  guint id = ticket_id_of (created);
  g_autofree char *path = g_strdup_printf ("/api/Tickets/%u", id);
  g_autoptr(JsonNode) read_back = get_json (sim, token, path);
  g_autoptr(JsonNode) updated = NULL;
  g_autoptr(JsonNode) backdated = NULL;
  g_autoptr(JsonNode) touched = NULL;
  g_autoptr(JsonNode) action = NULL;
  g_autoptr(JsonNode) after_action = NULL;
  g_autoptr(JsonNode) events = NULL;
  g_autoptr(JsonNode) actions = NULL;
  g_autoptr(JsonNode) agents = NULL;
  g_autoptr(JsonNode) all_agents = NULL;
  g_autoptr(JsonNode) updated_action = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autofree char *events_path = NULL;
  JsonObject *ticket = json_node_get_object (read_back);
  JsonArray *list;
  gboolean found = FALSE;

  g_assert_cmpuint (id, ==, 51);
  g_assert_cmpstr (string_of (ticket, "summary"), ==, "Zoë's \"new\" ticket");
  g_assert_cmpint (int_of (ticket, "agent_id"), ==, 4);
  g_assert_true (json_object_get_boolean_member (ticket, "custom_flag"));
  g_assert_cmpstr (string_of (ticket, "dateclosed"), ==, "1900-01-01T00:00:00");

  /* An update with a backdated last_update is found by that time. */
  updated = control (sim, "POST", "/_sim/tickets/51", "{\"status_id\":9,\"last_update\":\"2025-07-15T08:00:00.25\"}");
  g_assert_cmpstr (string_of (json_node_get_object (updated), "status_name"), ==, "Closed");
  g_assert_cmpstr (string_of (json_node_get_object (updated), "dateclosed"), !=, "1900-01-01T00:00:00");
  backdated = get_json (sim, token, "/api/Tickets?lastupdatefromdate=2025-07-15T08:00:00.25&lastupdatetodate=2025-07-15T08:00:00.25");
  g_assert_cmpint (record_count (backdated), ==, 1);
  g_assert_cmpint (int_of (element (member_array (backdated, "tickets"), 0), "id"), ==, id);

  /* Many rows stamped with one identical time. */
  control_ok (sim, "POST", "/_sim/tickets/touch", "{\"first_id\":1,\"last_id\":40,\"last_update\":\"2031-01-01T00:00:00\"}");
  control_ok (sim, "POST", "/_sim/tickets/touch", "{\"ids\":[45,46],\"last_update\":\"2031-01-01T00:00:00\"}");
  touched = get_json (sim, token, "/api/Tickets?lastupdatefromdate=2031-01-01&lastupdatetodate=2031-01-01&pageinate=true&page_size=100");
  g_assert_cmpint (record_count (touched), ==, 42);

  /* A new time entry: in Actions and TimesheetEvent, and it stamps the ticket. */
  action = control (sim, "POST", "/_sim/tickets/51/actions",
                    "{\"who_agentid\":5,\"timetaken\":1.5,\"datetime\":\"2026-01-10T09:00:00\","
                    "\"last_updated\":\"2026-01-10T10:30:00.1234567\",\"actisbillable\":false,\"note\":\"Łukasz fixed it\"}");
  g_assert_cmpint (int_of (json_node_get_object (action), "id"), ==, 1);
  after_action = get_json (sim, token, path);
  g_assert_cmpstr (string_of (json_node_get_object (after_action), "last_update"), ==, "2026-01-10T10:30:00.1234567");
  g_assert_cmpfloat (json_object_get_double_member (json_node_get_object (after_action), "timetaken"), ==, 1.5);
  events = get_json (sim, token, "/api/TimesheetEvent?agents=5&start_date=2026-01-10&end_date=2026-01-11");
  list = json_node_get_array (events);
  for (guint i = 0; i < json_array_get_length (list); i++)
    if (int_of (element (list, i), "ticket_id") == 51)
      {
        found = TRUE;
        g_assert_cmpint (int_of (element (list, i), "action_number"), ==, 1);
        g_assert_cmpstr (string_of (element (list, i), "end_date"), ==, "2026-01-10T10:30:00");
        g_assert_cmpint (int_of (element (list, i), "charge_rate"), ==, 0);
        g_assert_cmpstr (string_of (element (list, i), "note"), ==, "Łukasz fixed it");
      }
  g_assert_true (found);

  updated_action = control (sim, "POST", "/_sim/tickets/51/actions/1",
                            "{\"timetaken\":0.25,\"datetime\":\"2026-01-12T09:00:00\",\"bump_ticket\":false}");
  g_assert_cmpfloat (json_object_get_double_member (json_node_get_object (updated_action), "timetaken"), ==, 0.25);

  /* Events already served follow the change: the event moved days. */
  events_path = g_strdup ("/api/TimesheetEvent?agents=5&start_date=2026-01-10&end_date=2026-01-11");
  g_clear_pointer (&events, json_node_unref);
  events = get_json (sim, token, events_path);
  list = json_node_get_array (events);
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_assert_cmpint (int_of (element (list, i), "ticket_id"), !=, 51);
  g_clear_pointer (&events, json_node_unref);
  events = get_json (sim, token, "/api/TimesheetEvent?agents=5&start_date=2026-01-12&end_date=2026-01-13");
  list = json_node_get_array (events);
  found = FALSE;
  for (guint i = 0; i < json_array_get_length (list); i++)
    if (int_of (element (list, i), "ticket_id") == 51)
      {
        found = TRUE;
        g_assert_cmpstr (string_of (element (list, i), "end_date"), ==, "2026-01-12T09:15:00");
      }
  g_assert_true (found);

  control_ok (sim, "DELETE", "/_sim/tickets/51/actions/1", NULL);
  actions = get_json (sim, token, "/api/Actions?ticket_id=51");
  g_assert_cmpint (record_count (actions), ==, 0);
  g_clear_pointer (&events, json_node_unref);
  events = get_json (sim, token, "/api/TimesheetEvent?agents=5&start_date=2026-01-12&end_date=2026-01-13");
  list = json_node_get_array (events);
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_assert_cmpint (int_of (element (list, i), "ticket_id"), !=, 51);

  /* Disabling an agent takes it out of the default list. */
  control_ok (sim, "POST", "/_sim/agents/4/disable", NULL);
  agents = get_json (sim, token, "/api/Agent");
  list = json_node_get_array (agents);
  for (guint i = 0; i < json_array_get_length (list); i++)
    g_assert_cmpint (int_of (element (list, i), "id"), !=, 4);
  all_agents = get_json (sim, token, "/api/Agent/4");
  g_assert_true (json_object_get_boolean_member (json_node_get_object (all_agents), "isdisabled"));
  control_ok (sim, "POST", "/_sim/agents/4/enable", NULL);
  g_clear_pointer (&all_agents, json_node_unref);
  all_agents = get_json (sim, token, "/api/Agent/4");
  g_assert_false (json_object_get_boolean_member (json_node_get_object (all_agents), "isdisabled"));

  /* Bad input is refused without changing anything. */
  refused = hs_test_sim_control (sim, "POST", "/_sim/tickets/51", "{\"agent_id\":999}", &error);
  g_assert_null (refused);
  g_assert_error (error, HS_ERROR, HS_ERROR_PROTOCOL);
  g_clear_error (&error);
  refused = hs_test_sim_control (sim, "POST", "/_sim/tickets/51/actions", "{\"timetaken\":\"lots\"}", &error);
  g_assert_null (refused);
  g_assert_error (error, HS_ERROR, HS_ERROR_PROTOCOL);
  stop_sim (sim);
}

static void
test_control_api (void)
{
  HsTestSim *sim = start_sim ("--tickets", "10", "--time-entries", "10", "--control-token", "let-me-in", NULL);
  g_autofree char *token = token_for (sim);
  g_autoptr(Reply) no_token = request (sim, "GET", "/_sim/counters", NULL, NULL);
  g_autoptr(Reply) wrong_token = request (sim, "GET", "/_sim/counters", "nope", NULL);
  g_autoptr(Reply) api_token = request (sim, "GET", "/_sim/counters", token, NULL);
  g_autoptr(Reply) right_token = request (sim, "GET", "/_sim/counters", "let-me-in", NULL);
  g_autoptr(JsonNode) counters = NULL;
  g_autoptr(JsonNode) reset = NULL;
  g_autoptr(JsonNode) clock = NULL;
  JsonObject *endpoints;

  g_assert_cmpstr (hs_test_sim_get_control_token (sim), ==, "let-me-in");
  g_assert_cmpuint (no_token->status, ==, 401);
  g_assert_cmpuint (wrong_token->status, ==, 401);
  g_assert_cmpuint (api_token->status, ==, 401);
  g_assert_cmpuint (right_token->status, ==, 200);

  g_assert_cmpuint (status_of (sim, token, "/api/Tickets/3"), ==, 200);
  g_assert_cmpuint (status_of (sim, token, "/api/tickets/4"), ==, 200);
  g_assert_cmpuint (status_of (sim, token, "/api/Tickets"), ==, 200);
  g_assert_cmpuint (status_of (sim, NULL, "/api/Tickets"), ==, 401);
  g_assert_cmpuint (status_of (sim, token, "/api/Tickets/99"), ==, 404);

  counters = control (sim, "GET", "/_sim/counters", NULL);
  endpoints = json_object_get_object_member (json_node_get_object (counters), "endpoints");
  g_assert_cmpint (int_of (json_node_get_object (counters), "total"), ==, 6);
  g_assert_cmpint (int_of (endpoints, "POST /auth/token"), ==, 1);
  g_assert_cmpint (int_of (endpoints, "GET /api/tickets/{id}"), ==, 3);
  g_assert_cmpint (int_of (endpoints, "GET /api/tickets"), ==, 2);
  g_assert_cmpint (int_of (json_object_get_object_member (json_node_get_object (counters), "statuses"), "401"), ==, 1);
  g_assert_cmpint (int_of (json_object_get_object_member (json_node_get_object (counters), "statuses"), "404"), ==, 1);
  g_assert_cmpint (int_of (json_node_get_object (counters), "max_in_window"), ==, 6);
  g_assert_cmpfloat (json_object_get_double_member (json_node_get_object (counters), "window_seconds"), ==, 300.0);

  control_ok (sim, "DELETE", "/_sim/counters", NULL);
  reset = control (sim, "GET", "/_sim/counters", NULL);
  g_assert_cmpint (int_of (json_node_get_object (reset), "total"), ==, 0);

  clock = control (sim, "POST", "/_sim/clock", "{\"now\":\"2027-03-01T12:00:00\"}");
  g_assert_true (g_str_has_prefix (string_of (json_node_get_object (clock), "now"), "2027-03-01T12:00:0"));
  {
    g_autoptr(JsonNode) created = control (sim, "POST", "/_sim/tickets", "{}");

    g_assert_true (g_str_has_prefix (string_of (json_node_get_object (created), "dateoccurred"), "2027-03-01T12:00:0"));
  }
  stop_sim (sim);
}

static void
test_clean_shutdown (void)
{
  HsTestSim *sim = start_sim ("--tickets", "50", "--time-entries", "100", NULL);
  g_autofree char *token = token_for (sim);
  g_autoptr(SoupSession) held = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  g_autofree char *url = g_strconcat (hs_test_sim_get_base_url (sim), "/api/Team", NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);

  /* Mutations, faults and an answer held back by latency are all freed
   * when SIGTERM arrives; under ASan a leak fails hs_test_sim_stop(). */
  control_ok (sim, "POST", "/_sim/tickets/3", "{\"summary\":\"changed\"}");
  control_ok (sim, "POST", "/_sim/tickets/3/actions", "{\"timetaken\":0.5}");
  control_ok (sim, "POST", "/_sim/faults", "{\"faults\":[{\"kind\":\"latency\",\"ms\":5000}]}");
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  soup_session_send_async (held, msg, G_PRIORITY_DEFAULT, NULL, NULL, NULL);

  /* Wait until the server holds the request (the token was the first). */
  for (;;)
    {
      g_autoptr(JsonNode) counters = NULL;

      g_main_context_iteration (NULL, FALSE);
      counters = control (sim, "GET", "/_sim/counters", NULL);
      if (int_of (json_node_get_object (counters), "total") == 2)
        break;
      g_usleep (10 * 1000);
    }
  stop_sim (sim);
}

int
main (int    argc,
      char **argv)
{
  int status;

  hs_test_init (&argc, &argv);
  session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);

  g_test_add_func ("/halo-sim/startup-and-authinfo", test_startup_and_authinfo);
  g_test_add_func ("/halo-sim/bad-options", test_bad_options);
  g_test_add_func ("/halo-sim/auth", test_auth);
  g_test_add_func ("/halo-sim/auth-tenant", test_auth_tenant);
  g_test_add_func ("/halo-sim/token-expiry", test_token_expiry);
  g_test_add_func ("/halo-sim/paging", test_paging);
  g_test_add_func ("/halo-sim/page-size-cap", test_page_size_cap);
  g_test_add_func ("/halo-sim/paging-sees-changes", test_paging_sees_changes);
  g_test_add_func ("/halo-sim/agents-teams-clients", test_agents_teams_clients);
  g_test_add_func ("/halo-sim/case-and-booleans", test_case_and_booleans);
  g_test_add_func ("/halo-sim/ticket-fields-and-dates", test_ticket_fields_and_dates);
  g_test_add_func ("/halo-sim/ticket-filters", test_ticket_filters);
  g_test_add_func ("/halo-sim/ticket-filters-combine", test_ticket_filters_combine);
  g_test_add_func ("/halo-sim/deleted-tickets", test_deleted_tickets);
  g_test_add_func ("/halo-sim/actions", test_actions);
  g_test_add_func ("/halo-sim/timesheet-events", test_timesheet_events);
  g_test_add_func ("/halo-sim/large-timesheet-streams", test_large_timesheet_streams);
  g_test_add_func ("/halo-sim/truth-matches-api", test_truth_matches_api);
  g_test_add_func ("/halo-sim/rate-limit", test_rate_limit);
  g_test_add_func ("/halo-sim/fault-status", test_fault_status);
  g_test_add_func ("/halo-sim/fault-rate", test_fault_rate);
  g_test_add_func ("/halo-sim/fault-revoke", test_fault_revoke);
  g_test_add_func ("/halo-sim/fault-bodies", test_fault_bodies);
  g_test_add_func ("/halo-sim/determinism", test_determinism);
  g_test_add_func ("/halo-sim/mutations", test_mutations);
  g_test_add_func ("/halo-sim/control-api", test_control_api);
  g_test_add_func ("/halo-sim/clean-shutdown", test_clean_shutdown);

  status = g_test_run ();
  g_clear_object (&session);
  return status;
}
