/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-test.h"
#include "hs-halo-json.h"

/* The record reader must give exactly the tree json-glib gives, less the
 * record members nobody asked for, and refuse whatever is not JSON. */

static GHashTable *
new_wanted (void)
{
  GHashTable *wanted = g_hash_table_new (g_str_hash, g_str_equal);
  const char *names[] = { "id", "summary", "timetaken", "ticket_id", "start_date", "nested", NULL };

  for (guint i = 0; names[i] != NULL; i++)
    g_hash_table_add (wanted, (gpointer) names[i]);
  return wanted;
}

/* json-glib's full tree, cut down by hand the way the reader cuts it. */
static JsonNode *
prune (JsonNode   *node,
       gboolean    is_record,
       GHashTable *wanted)
{
  JsonNode *copy;

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      JsonArray *pruned = json_array_new ();

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (pruned, prune (json_array_get_element (array, i), TRUE, wanted));
      copy = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (copy, pruned);
      return copy;
    }

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      JsonObject *pruned = json_object_new ();
      g_autoptr(GList) names = json_object_get_members (object);

      for (GList *l = names; l != NULL; l = l->next)
        if (!is_record || g_hash_table_contains (wanted, l->data))
          json_object_set_member (pruned, l->data,
                                  prune (json_object_get_member (object, l->data), FALSE, wanted));
      copy = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (copy, pruned);
      return copy;
    }

  return json_node_copy (node);
}

static void
assert_same_as_json_glib (const char *text,
                          gsize       size)
{
  g_autoptr(GHashTable) wanted = new_wanted ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) expected = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected_text = NULL;
  g_autofree char *root_text = NULL;

  g_assert_true (json_parser_load_from_data (parser, text, size, &error));
  g_assert_no_error (error);
  expected = prune (json_parser_get_root (parser), FALSE, wanted);

  root = hs_halo_json_parse_records (text, size, wanted, &error);
  g_assert_no_error (error);
  g_assert_nonnull (root);

  expected_text = json_to_string (expected, FALSE);
  root_text = json_to_string (root, FALSE);
  g_assert_cmpstr (root_text, ==, expected_text);
  g_assert_true (json_node_equal (root, expected));
}

static char *
load_fixture (const char *name,
              gsize      *size)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  const char *path = g_test_get_filename (G_TEST_DIST, "fixtures", "halo", name, NULL);

  g_file_get_contents (path, &contents, size, &error);
  g_assert_no_error (error);
  return contents;
}

static const char * const fixtures[] = {
  "action.json", "actions.json", "agent.json", "client.json", "odd-values.json", "team.json",
  "ticket.json", "tickets-dates.json", "tickets-missing-id.json", "tickets-string-id.json",
  "tickets-wrong-types.json", "timesheet-event.json", "timesheet-events.json", NULL
};

static void
test_fixtures (void)
{
  for (guint i = 0; fixtures[i] != NULL; i++)
    {
      gsize size = 0;
      g_autofree char *text = load_fixture (fixtures[i], &size);

      g_test_message ("%s", fixtures[i]);
      assert_same_as_json_glib (text, size);
    }
}

static void
test_values (void)
{
  /* Every kind of value, in wanted members and in dropped ones, in an
   * envelope whose own members all stay. */
  const char *text =
    " {\"record_count\": 3, \"extra\": {\"a\": [1, 2]}, \"tickets\": [\n"
    "  {\"id\": 0, \"summary\": \"tab\\there \\\"quoted\\\" back\\\\slash \\/ \\b\\f\\n\\r\","
    "   \"timetaken\": -0.25, \"ticket_id\": 9223372036854775807, \"dropped\": {\"x\": [true, null]},"
    "   \"start_date\": \"\\u00e9\\u20AC \\ud83d\\ude00 Zo\\u00eb Łukasz\"},\n"
    "  {\"id\": -9223372036854775808, \"summary\": null, \"timetaken\": 1e3, \"ticket_id\": 12.0,"
    "   \"start_date\": true, \"nested\": [{\"id\": 1, \"other\": 2}], \"x\": \"\\u0041\"},\n"
    "  {\"id\": 1.5, \"timetaken\": 2.5E-2, \"ticket_id\": -12, \"summary\": false,"
    "   \"nested\": {\"deep\": {\"id\": [[]]}}, \"start_date\": \"\"},\n"
    "  [], {}, 7, \"text\", null\n"
    " ]}\r\n";

  assert_same_as_json_glib (text, strlen (text));
  assert_same_as_json_glib ("[]", 2);
  assert_same_as_json_glib ("  42 ", 5);
  assert_same_as_json_glib ("\"x\"", 3);
}

static void
test_pruned (void)
{
  const char *text = "{\"record_count\": 1, \"rows\": [{\"id\": 5, \"name\": \"n\", \"summary\": \"s\"}]}";
  g_autoptr(GHashTable) wanted = new_wanted ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *envelope, *record;

  root = hs_halo_json_parse_records (text, strlen (text), wanted, &error);
  g_assert_no_error (error);

  /* The envelope keeps everything; the record only what is wanted. */
  envelope = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (envelope, "record_count"), ==, 1);
  record = json_array_get_object_element (json_object_get_array_member (envelope, "rows"), 0);
  g_assert_cmpuint (json_object_get_size (record), ==, 2);
  g_assert_cmpint (json_object_get_int_member (record, "id"), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (record, "summary"), ==, "s");
  g_assert_false (json_object_has_member (record, "name"));
}

static void
test_lone_surrogate (void)
{
  const char *text = "[{\"summary\": \"a\\ud800b\\udc00c\\ud83d\\u0041\\u0000d\"}]";
  g_autoptr(GHashTable) wanted = new_wanted ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *record;

  /* Half a surrogate pair is no character: it becomes U+FFFD, and the
   * text stays valid UTF-8.  So does U+0000, which would end the text. */
  root = hs_halo_json_parse_records (text, strlen (text), wanted, &error);
  g_assert_no_error (error);
  record = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_cmpstr (json_object_get_string_member (record, "summary"), ==,
                   "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd" "A\xef\xbf\xbd" "d");
}

static void
test_big_integer (void)
{
  const char *text = "[{\"id\": 9223372036854775808, \"ticket_id\": -9223372036854775809}]";
  g_autoptr(GHashTable) wanted = new_wanted ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *record;

  /* An integer beyond 64 bits is a double (which the record parser
   * refuses as an id), where json-glib wraps it round to a wrong one. */
  root = hs_halo_json_parse_records (text, strlen (text), wanted, &error);
  g_assert_no_error (error);
  record = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_cmpint (json_node_get_value_type (json_object_get_member (record, "id")), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_object_get_double_member (record, "id"), ==, 9223372036854775808.0);
  g_assert_cmpfloat (json_object_get_double_member (record, "ticket_id"), ==, -9223372036854775809.0);
}

static void
assert_invalid (const char *text,
                gsize       size)
{
  g_autoptr(GHashTable) wanted = new_wanted ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  root = hs_halo_json_parse_records (text, size, wanted, &error);
  g_assert_null (root);
  g_assert_error (error, HS_ERROR, HS_ERROR_PROTOCOL);
}

static void
test_invalid (void)
{
  const char *texts[] = {
    "", "   ", "[", "]", "{", "[1,]", "[1 2]", "{\"a\" 1}", "{\"a\": 1,}", "{a: 1}", "{\"a\": }",
    "[01]", "[1.]", "[-]", "[.5]", "[1e]", "[1e+]", "[+1]", "[tru]", "[nul]", "[falsey]",
    "[\"abc]", "[\"\\x\"]", "[\"\\u12G4\"]", "[\"\\u12\"]", "[1] x", "[1][2]", "{\"a\": [}",
    "[{\"id\": 1, \"dropped\": [1,]}]", "[{\"id\": 1, \"dropped\": \"\\q\"}]", "['a']", "[NaN]",
    NULL
  };

  for (guint i = 0; texts[i] != NULL; i++)
    {
      g_test_message ("%s", texts[i]);
      assert_invalid (texts[i], strlen (texts[i]));
    }

  /* Text that is kept must be UTF-8: it goes on to the database. */
  {
    const char *latin1 = "[{\"summary\": \"caf\xe9\"}]";

    assert_invalid (latin1, strlen (latin1));
  }

  /* Where the problem is, for the run's error message. */
  {
    g_autoptr(GHashTable) wanted = new_wanted ();
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) root = hs_halo_json_parse_records ("[1, x]", 6, wanted, &error);

    g_assert_null (root);
    g_assert_nonnull (strstr (error->message, "byte 4"));
  }
}

static void
test_truncated (void)
{
  /* A body cut anywhere, as a dropped connection leaves it, never
   * passes for a whole one. */
  for (guint i = 0; fixtures[i] != NULL; i++)
    {
      gsize size = 0;
      g_autofree char *text = load_fixture (fixtures[i], &size);

      while (size > 0 && g_ascii_isspace (text[size - 1]))
        size--;
      for (gsize cut = 0; cut < size; cut++)
        assert_invalid (text, cut);
    }
}

static void
test_depth (void)
{
  GString *text = g_string_new (NULL);

  /* Nesting far beyond any response fails cleanly instead of using up
   * the stack, in kept and in dropped members alike. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (text, '[');
  assert_invalid (text->str, text->len);

  g_string_assign (text, "[{\"dropped\": ");
  for (guint i = 0; i < 100000; i++)
    g_string_append (text, "{\"a\": ");
  assert_invalid (text->str, text->len);

  /* Sixty levels are still read. */
  g_string_truncate (text, 0);
  for (guint i = 0; i < 60; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < 60; i++)
    g_string_append_c (text, ']');
  assert_same_as_json_glib (text->str, text->len);
  g_string_free (text, TRUE);
}

int
main (int    argc,
      char **argv)
{
  hs_test_init (&argc, &argv);

  g_test_add_func ("/halo/json/fixtures", test_fixtures);
  g_test_add_func ("/halo/json/values", test_values);
  g_test_add_func ("/halo/json/pruned", test_pruned);
  g_test_add_func ("/halo/json/lone-surrogate", test_lone_surrogate);
  g_test_add_func ("/halo/json/big-integer", test_big_integer);
  g_test_add_func ("/halo/json/invalid", test_invalid);
  g_test_add_func ("/halo/json/truncated", test_truncated);
  g_test_add_func ("/halo/json/depth", test_depth);

  return g_test_run ();
}
