/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-test.h"

static void
test_schemas (void)
{
  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    {
      const char *name = hs_stream_to_string (stream);
      const HsFieldInfo *fields;
      guint n_fields = 0;
      HsStream parsed;
      int cursor = hs_stream_get_cursor_field (stream);
      int window = hs_stream_get_window_field (stream);
      int member = hs_stream_get_member_field (stream);
      int agent = hs_stream_get_agent_field (stream);

      g_assert_true (hs_stream_from_string (name, &parsed));
      g_assert_cmpint (parsed, ==, stream);

      fields = hs_stream_get_fields (stream, &n_fields);
      g_assert_cmpuint (n_fields, >, 1);
      g_assert_cmpuint (hs_stream_get_n_key_fields (stream), >=, 1);

      /* Keys are integers, come first, and names are unique columns. */
      for (guint i = 0; i < hs_stream_get_n_key_fields (stream); i++)
        g_assert_cmpint (fields[i].type, ==, HS_FIELD_INT);
      for (guint i = 0; i < n_fields; i++)
        for (guint j = i + 1; j < n_fields; j++)
          g_assert_cmpstr (fields[i].name, !=, fields[j].name);

      if (cursor >= 0)
        g_assert_cmpint (fields[cursor].type, ==, HS_FIELD_TIMESTAMP);
      if (window >= 0)
        g_assert_cmpint (fields[window].type, ==, HS_FIELD_TIMESTAMP);
      if (member >= 0)
        {
          g_assert_cmpint (fields[member].type, ==, HS_FIELD_TEXT);
          g_assert_cmpint (agent, >=, 0);
        }
      if (agent >= 0)
        g_assert_cmpint (fields[agent].type, ==, HS_FIELD_INT);
    }

  g_assert_cmpint (hs_stream_get_n_key_fields (HS_STREAM_TIME_ENTRIES), ==, 2);
  g_assert_cmpint (hs_stream_get_cursor_field (HS_STREAM_TICKETS), ==, HS_TICKET_LAST_UPDATE);
  g_assert_cmpint (hs_stream_get_window_field (HS_STREAM_AGENTS), ==, -1);
  g_assert_cmpstr (hs_stream_to_string (HS_STREAM_TIME_ENTRIES), ==, "time_entries");
}

static void
test_unknown_stream_name (void)
{
  HsStream stream = HS_STREAM_TEAMS;

  g_assert_false (hs_stream_from_string ("Tickets", &stream));
  g_assert_false (hs_stream_from_string ("", &stream));
  g_assert_cmpint (stream, ==, HS_STREAM_TEAMS);
}

static void
test_batch_values (void)
{
  g_autoptr(HsRecordBatch) batch = hs_record_batch_new (HS_STREAM_TICKETS);
  const char *summary = "Drucker im 2. Stock — “offline” 🖨 x'); DROP TABLE tickets;--";
  guint i;

  g_assert_cmpint (hs_record_batch_get_stream (batch), ==, HS_STREAM_TICKETS);
  g_assert_cmpuint (hs_record_batch_get_n_records (batch), ==, 0);

  i = hs_record_batch_append (batch);
  g_assert_cmpuint (i, ==, 0);

  /* A new record is all null. */
  for (guint f = 0; f <= HS_TICKET_MEMBER; f++)
    g_assert_true (hs_record_batch_is_null (batch, i, f));

  hs_record_batch_set_int (batch, i, HS_TICKET_ID, G_GINT64_CONSTANT (9007199254740993));
  hs_record_batch_set_text (batch, i, HS_TICKET_SUMMARY, summary);
  hs_record_batch_set_double (batch, i, HS_TICKET_HOURS, 1.25);
  hs_record_batch_set_timestamp (batch, i, HS_TICKET_OPENED_AT, G_GINT64_CONSTANT (1720000000123456));
  hs_record_batch_set_text (batch, i, HS_TICKET_TEAM, "");

  g_assert_cmpint (hs_record_batch_get_int (batch, i, HS_TICKET_ID), ==, G_GINT64_CONSTANT (9007199254740993));
  g_assert_cmpstr (hs_record_batch_get_text (batch, i, HS_TICKET_SUMMARY), ==, summary);
  g_assert_cmpfloat (hs_record_batch_get_double (batch, i, HS_TICKET_HOURS), ==, 1.25);
  g_assert_cmpint (hs_record_batch_get_timestamp (batch, i, HS_TICKET_OPENED_AT), ==, G_GINT64_CONSTANT (1720000000123456));
  /* An empty string is a value, not null. */
  g_assert_false (hs_record_batch_is_null (batch, i, HS_TICKET_TEAM));
  g_assert_cmpstr (hs_record_batch_get_text (batch, i, HS_TICKET_TEAM), ==, "");
  g_assert_true (hs_record_batch_is_null (batch, i, HS_TICKET_CLOSED_AT));
  g_assert_cmpint (hs_record_batch_get_timestamp (batch, i, HS_TICKET_CLOSED_AT), ==, 0);

  /* Setting null (or NULL text) clears a value. */
  hs_record_batch_set_text (batch, i, HS_TICKET_SUMMARY, NULL);
  g_assert_true (hs_record_batch_is_null (batch, i, HS_TICKET_SUMMARY));
  g_assert_null (hs_record_batch_get_text (batch, i, HS_TICKET_SUMMARY));
  hs_record_batch_set_null (batch, i, HS_TICKET_HOURS);
  g_assert_true (hs_record_batch_is_null (batch, i, HS_TICKET_HOURS));
}

static void
test_batch_booleans (void)
{
  g_autoptr(HsRecordBatch) batch = hs_record_batch_new (HS_STREAM_AGENTS);
  guint a = hs_record_batch_append (batch);
  guint b = hs_record_batch_append (batch);

  hs_record_batch_set_boolean (batch, a, HS_AGENT_DISABLED, TRUE);
  hs_record_batch_set_boolean (batch, b, HS_AGENT_DISABLED, 42);
  g_assert_true (hs_record_batch_get_boolean (batch, a, HS_AGENT_DISABLED));
  g_assert_true (hs_record_batch_get_boolean (batch, b, HS_AGENT_DISABLED));
  hs_record_batch_set_boolean (batch, b, HS_AGENT_DISABLED, FALSE);
  g_assert_false (hs_record_batch_get_boolean (batch, b, HS_AGENT_DISABLED));
  g_assert_false (hs_record_batch_is_null (batch, b, HS_AGENT_DISABLED));
}

static void
test_batch_growth_and_truncate (void)
{
  g_autoptr(HsRecordBatch) batch = hs_record_batch_new (HS_STREAM_TIME_ENTRIES);
  g_autoptr(HsRecordBatch) ref = NULL;

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *member = g_strdup_printf ("member %u", i);
      guint r = hs_record_batch_append (batch);

      g_assert_cmpuint (r, ==, i);
      hs_record_batch_set_int (batch, r, HS_TIME_ENTRY_TICKET_ID, i);
      hs_record_batch_set_int (batch, r, HS_TIME_ENTRY_ACTION_ID, i % 7);
      hs_record_batch_set_text (batch, r, HS_TIME_ENTRY_MEMBER, member);
    }

  /* Values survive the array growing underneath them. */
  for (guint i = 0; i < 1000; i += 97)
    {
      g_autofree char *member = g_strdup_printf ("member %u", i);

      g_assert_cmpint (hs_record_batch_get_int (batch, i, HS_TIME_ENTRY_TICKET_ID), ==, i);
      g_assert_cmpint (hs_record_batch_get_int (batch, i, HS_TIME_ENTRY_ACTION_ID), ==, i % 7);
      g_assert_cmpstr (hs_record_batch_get_text (batch, i, HS_TIME_ENTRY_MEMBER), ==, member);
    }

  hs_record_batch_truncate (batch, 10);
  g_assert_cmpuint (hs_record_batch_get_n_records (batch), ==, 10);
  g_assert_cmpuint (hs_record_batch_append (batch), ==, 10);
  /* A record appended after truncation starts null again. */
  g_assert_true (hs_record_batch_is_null (batch, 10, HS_TIME_ENTRY_TICKET_ID));

  ref = hs_record_batch_ref (batch);
  g_assert_true (ref == batch);
}

static void
test_batch_type_check (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(HsRecordBatch) batch = hs_record_batch_new (HS_STREAM_TEAMS);
      guint r = hs_record_batch_append (batch);

      /* A text field set as an integer is a programming error. */
      hs_record_batch_set_int (batch, r, HS_TEAM_NAME, 3);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*CRITICAL*hs_record_batch_set_int*type*");
}

static void
test_boxed (void)
{
  g_autoptr(HsRecordBatch) batch = hs_record_batch_new (HS_STREAM_CLIENTS);
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, HS_TYPE_RECORD_BATCH);
  g_value_set_boxed (&value, batch);
  g_assert_true (g_value_get_boxed (&value) == batch);
}

int
main (int    argc,
      char **argv)
{
  hs_test_init (&argc, &argv);

  g_test_add_func ("/record/schemas", test_schemas);
  g_test_add_func ("/record/unknown-stream-name", test_unknown_stream_name);
  g_test_add_func ("/record/batch-values", test_batch_values);
  g_test_add_func ("/record/batch-booleans", test_batch_booleans);
  g_test_add_func ("/record/batch-growth-and-truncate", test_batch_growth_and_truncate);
  g_test_add_func ("/record/batch-type-check", test_batch_type_check);
  g_test_add_func ("/record/boxed", test_boxed);

  return g_test_run ();
}
