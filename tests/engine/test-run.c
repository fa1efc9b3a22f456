/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-test.h"

static void
test_new (void)
{
  g_autoptr(HsRun) run = hs_run_new ("FY2025", HS_TRIGGER_HOURLY, HS_SYNC_INCREMENTAL, TRUE);

  g_assert_cmpint (hs_run_get_id (run), ==, 0);
  g_assert_cmpstr (hs_run_get_fiscal_year (run), ==, "FY2025");
  g_assert_cmpint (hs_run_get_trigger (run), ==, HS_TRIGGER_HOURLY);
  g_assert_cmpint (hs_run_get_mode (run), ==, HS_SYNC_INCREMENTAL);
  g_assert_true (hs_run_get_dry_run (run));
  g_assert_cmpint (hs_run_get_status (run), ==, HS_RUN_QUEUED);
  g_assert_cmpint (hs_run_get_stage (run), ==, HS_RUN_STAGE_WAITING);
  g_assert_false (hs_run_is_finished (run));
  g_assert_null (hs_run_get_error_message (run));
  /* No warnings is an empty list, not a missing one. */
  g_assert_nonnull (hs_run_get_warnings (run));
  g_assert_null (hs_run_get_warnings (run)[0]);
  for (HsStream s = 0; s < HS_N_STREAMS; s++)
    {
      g_assert_cmpint (hs_run_get_remote_count (run, s), ==, -1);
      g_assert_cmpint (hs_run_get_cursor_before (run, s), ==, 0);
    }
}

static void
test_counters (void)
{
  g_autoptr(HsRun) run = hs_run_new ("FY", HS_TRIGGER_CLI, HS_SYNC_FULL, FALSE);

  hs_run_add_count (run, HS_STREAM_TICKETS, HS_COUNTER_FETCHED, 100);
  hs_run_add_count (run, HS_STREAM_TICKETS, HS_COUNTER_FETCHED, 5);
  hs_run_add_count (run, HS_STREAM_TIME_ENTRIES, HS_COUNTER_FETCHED, 10);
  hs_run_add_count (run, HS_STREAM_TICKETS, HS_COUNTER_INSERTED, 7);
  g_assert_cmpuint (hs_run_get_count (run, HS_STREAM_TICKETS, HS_COUNTER_FETCHED), ==, 105);
  g_assert_cmpuint (hs_run_get_total (run, HS_COUNTER_FETCHED), ==, 115);
  g_assert_cmpuint (hs_run_get_total (run, HS_COUNTER_INSERTED), ==, 7);
  g_assert_cmpuint (hs_run_get_total (run, HS_COUNTER_DELETED), ==, 0);

  hs_run_add_api_calls (run, 3);
  hs_run_add_api_calls (run, 2);
  g_assert_cmpuint (hs_run_get_api_calls (run), ==, 5);

  hs_run_set_cursor_after (run, HS_STREAM_TICKETS, 42);
  g_assert_cmpint (hs_run_get_cursor_after (run, HS_STREAM_TICKETS), ==, 42);
  hs_run_set_remote_count (run, HS_STREAM_TICKETS, 250);
  g_assert_cmpint (hs_run_get_remote_count (run, HS_STREAM_TICKETS), ==, 250);
}

static void
test_warnings_capped (void)
{
  g_autoptr(HsRun) run = hs_run_new ("FY", HS_TRIGGER_CLI, HS_SYNC_FULL, FALSE);
  const char * const *warnings;

  for (guint i = 0; i < 500; i++)
    {
      g_autofree char *message = g_strdup_printf ("warning %u", i);
      hs_run_add_warning (run, message);
    }

  warnings = hs_run_get_warnings (run);
  g_assert_cmpuint (hs_run_get_n_warnings (run), ==, 500);
  g_assert_cmpuint (g_strv_length ((char **) warnings), ==, 50);
  g_assert_cmpstr (warnings[0], ==, "warning 0");
  g_assert_cmpstr (warnings[49], ==, "warning 49");
}

static void
test_unmapped_agents_sorted_unique (void)
{
  g_autoptr(HsRun) run = hs_run_new ("FY", HS_TRIGGER_CLI, HS_SYNC_FULL, FALSE);
  const gint64 ids[] = { 12, 3, 40, 3, 12, 1, 40, 7 };
  const gint64 expected[] = { 1, 3, 7, 12, 40 };
  GArray *unmapped;

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    hs_run_add_unmapped_agent (run, ids[i]);

  unmapped = hs_run_get_unmapped_agents (run);
  g_assert_cmpmem (unmapped->data, unmapped->len * sizeof (gint64), expected, sizeof expected);
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           GString    *log)
{
  g_string_append_printf (log, "%s;", pspec->name);
}

static void
test_status_notifies (void)
{
  g_autoptr(HsRun) run = hs_run_new ("FY", HS_TRIGGER_DBUS, HS_SYNC_FULL, FALSE);
  g_autoptr(GString) log = g_string_new (NULL);

  g_signal_connect (run, "notify", G_CALLBACK (notify_cb), log);
  hs_run_set_status (run, HS_RUN_RUNNING);
  hs_run_set_status (run, HS_RUN_RUNNING);
  hs_run_set_stage (run, HS_RUN_STAGE_FETCHING);
  hs_run_set_id (run, 9);
  hs_run_set_error_message (run, "Halo rejected the client id");
  hs_run_set_error_message (run, "Halo rejected the client id");
  hs_run_set_status (run, HS_RUN_FAILED);
  g_assert_cmpstr (log->str, ==, "status;stage;id;error-message;status;");
  g_assert_true (hs_run_is_finished (run));
}

static void
test_names (void)
{
  HsTrigger trigger;
  HsRunStatus status;

  for (HsTrigger t = HS_TRIGGER_MANUAL; t <= HS_TRIGGER_CLI; t++)
    {
      g_assert_true (hs_trigger_from_string (hs_trigger_to_string (t), &trigger));
      g_assert_cmpint (trigger, ==, t);
    }
  for (HsRunStatus s = HS_RUN_QUEUED; s <= HS_RUN_CANCELLED; s++)
    {
      g_assert_true (hs_run_status_from_string (hs_run_status_to_string (s), &status));
      g_assert_cmpint (status, ==, s);
    }
  g_assert_cmpstr (hs_trigger_to_string (HS_TRIGGER_FISCAL_YEAR), ==, "fiscal-year");
  g_assert_false (hs_trigger_from_string ("weekly", &trigger));
  g_assert_false (hs_run_status_from_string (NULL, &status));
  g_assert_cmpstr (hs_run_stage_to_string (HS_RUN_STAGE_COMMITTING), ==, "committing");
}

static void
test_agent_mapping (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsAgentMapping) mapping = NULL;
  g_autoptr(HsAgentMapping) unmapped = NULL;
  g_autoptr(HsAgentMapping) bad = NULL;
  g_autofree char *long_name = g_strnfill (HS_AGENT_MAPPING_MAX_NAME + 1, 'm');

  mapping = hs_agent_mapping_new (12, "Jane Smith", "Service Desk", &error);
  g_assert_no_error (error);
  g_assert_cmpint (hs_agent_mapping_get_halo_id (mapping), ==, 12);
  g_assert_cmpstr (hs_agent_mapping_get_member (mapping), ==, "Jane Smith");
  g_assert_cmpstr (hs_agent_mapping_get_team (mapping), ==, "Service Desk");
  g_assert_true (hs_agent_mapping_is_mapped (mapping));
  hs_agent_mapping_set_active (mapping, FALSE);
  g_assert_false (hs_agent_mapping_is_mapped (mapping));

  unmapped = hs_agent_mapping_new (13, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (hs_agent_mapping_is_mapped (unmapped));
  hs_agent_mapping_set_agent_name (unmapped, "Jürgen Müller");
  g_assert_cmpstr (hs_agent_mapping_get_agent_name (unmapped), ==, "Jürgen Müller");

  bad = hs_agent_mapping_new (0, "X", NULL, &error);
  g_assert_null (bad);
  g_assert_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  bad = hs_agent_mapping_new (5, "", NULL, &error);
  g_assert_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  bad = hs_agent_mapping_new (5, long_name, NULL, &error);
  g_assert_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  bad = hs_agent_mapping_new (5, "Tab\there", NULL, &error);
  g_assert_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  bad = hs_agent_mapping_new (5, NULL, "Team without member", &error);
  g_assert_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT);
}

static void
test_error_dbus_names (void)
{
  g_autoptr(GError) error = g_error_new_literal (HS_ERROR, HS_ERROR_BUSY, "busy");
  g_autofree char *name = g_dbus_error_encode_gerror (error);
  g_autoptr(GError) back = NULL;

  g_assert_cmpstr (name, ==, "org.example.HaloSync.Error.Busy");
  back = g_dbus_error_new_for_dbus_error ("org.example.HaloSync.Error.InvalidArgument", "bad date");
  g_assert_error (back, HS_ERROR, HS_ERROR_INVALID_ARGUMENT);
}

static void
test_error_code (void)
{
  g_autoptr(HsRun) run = hs_run_new ("FY", HS_TRIGGER_CLI, HS_SYNC_FULL, FALSE);
  g_autoptr(GError) missing = g_error_new_literal (HS_ERROR, HS_ERROR_NOT_CONFIGURED, "No Halo URL is set");
  g_autoptr(GError) io = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "disk");
  g_autoptr(GVariant) variant = NULL;
  const char *name = NULL;

  g_test_summary ("A run keeps the code of the error that ended it and names it on D-Bus");

  hs_run_set_error (run, missing);
  g_assert_cmpstr (hs_run_get_error_message (run), ==, "No Halo URL is set");
  g_assert_cmpint (hs_run_get_error_code (run), ==, HS_ERROR_NOT_CONFIGURED);
  variant = g_variant_ref_sink (hs_run_to_variant (run));
  g_assert_true (g_variant_lookup (variant, "error-name", "&s", &name));
  g_assert_cmpstr (name, ==, "org.example.HaloSync.Error.NotConfigured");

  /* An error from outside HaloSync's domain, or a message alone (all a
   * ledger keeps), is a plain failure. */
  hs_run_set_error (run, io);
  g_assert_cmpint (hs_run_get_error_code (run), ==, HS_ERROR_FAILED);
  hs_run_set_error (run, missing);
  hs_run_set_error_message (run, "The sync was canceled before it started");
  g_assert_cmpint (hs_run_get_error_code (run), ==, HS_ERROR_FAILED);
}

static void
test_variant_round_trip (void)
{
  g_autoptr(HsRun) run = hs_run_new ("Geschäftsjahr 2025", HS_TRIGGER_FISCAL_YEAR, HS_SYNC_FULL, TRUE);
  g_autoptr(HsRun) back = NULL;
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GVariant) again = NULL;
  g_autoptr(GError) error = NULL;

  hs_run_set_id (run, 77);
  hs_run_set_status (run, HS_RUN_FAILED);
  hs_run_set_stage (run, HS_RUN_STAGE_COMMITTING);
  hs_run_set_stream (run, HS_STREAM_TIME_ENTRIES);
  hs_run_set_started_at (run, 1700000000000000);
  hs_run_set_finished_at (run, 1700000003200000);
  hs_run_add_count (run, HS_STREAM_TICKETS, HS_COUNTER_FETCHED, 250);
  hs_run_add_count (run, HS_STREAM_TICKETS, HS_COUNTER_INSERTED, 200);
  hs_run_add_count (run, HS_STREAM_TIME_ENTRIES, HS_COUNTER_UPDATED, 9);
  hs_run_add_count (run, HS_STREAM_AGENTS, HS_COUNTER_DELETED, 1);
  hs_run_add_api_calls (run, 12);
  hs_run_add_warning (run, "Halo sent “lots” as timetaken of action 3 on ticket 9");
  hs_run_add_unmapped_agent (run, 12);
  hs_run_add_unmapped_agent (run, 4);
  {
    g_autoptr(GError) auth = g_error_new_literal (HS_ERROR, HS_ERROR_AUTH,
                                                  "Halo rejected the client id or secret for https://x.example");
    hs_run_set_error (run, auth);
  }

  variant = g_variant_ref_sink (hs_run_to_variant (run));
  g_assert_true (g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT));

  /* A run without warnings or unmapped agents describes itself too. */
  {
    g_autoptr(HsRun) quiet = hs_run_new ("FY", HS_TRIGGER_CLI, HS_SYNC_INCREMENTAL, FALSE);
    g_autoptr(GVariant) quiet_variant = g_variant_ref_sink (hs_run_to_variant (quiet));
    g_autoptr(GVariant) messages = g_variant_lookup_value (quiet_variant, "warning-messages", G_VARIANT_TYPE_STRING_ARRAY);

    g_assert_nonnull (messages);
    g_assert_cmpuint (g_variant_n_children (messages), ==, 0);
  }

  back = hs_run_new_from_variant (variant, &error);
  g_assert_no_error (error);
  g_assert_cmpint (hs_run_get_id (back), ==, 77);
  g_assert_cmpstr (hs_run_get_fiscal_year (back), ==, "Geschäftsjahr 2025");
  g_assert_cmpint (hs_run_get_trigger (back), ==, HS_TRIGGER_FISCAL_YEAR);
  g_assert_cmpint (hs_run_get_mode (back), ==, HS_SYNC_FULL);
  g_assert_true (hs_run_get_dry_run (back));
  g_assert_cmpint (hs_run_get_status (back), ==, HS_RUN_FAILED);
  g_assert_cmpint (hs_run_get_stage (back), ==, HS_RUN_STAGE_COMMITTING);
  g_assert_cmpint (hs_run_get_stream (back), ==, HS_STREAM_TIME_ENTRIES);
  g_assert_cmpint (hs_run_get_finished_at (back), ==, 1700000003200000);
  g_assert_cmpuint (hs_run_get_count (back, HS_STREAM_TICKETS, HS_COUNTER_INSERTED), ==, 200);
  g_assert_cmpuint (hs_run_get_count (back, HS_STREAM_TIME_ENTRIES, HS_COUNTER_UPDATED), ==, 9);
  g_assert_cmpuint (hs_run_get_total (back, HS_COUNTER_FETCHED), ==, 250);
  g_assert_cmpuint (hs_run_get_api_calls (back), ==, 12);
  g_assert_cmpuint (hs_run_get_n_warnings (back), ==, 1);
  g_assert_cmpuint (hs_run_get_unmapped_agents (back)->len, ==, 2);
  g_assert_cmpstr (hs_run_get_error_message (back), ==, hs_run_get_error_message (run));
  g_assert_cmpint (hs_run_get_error_code (back), ==, HS_ERROR_AUTH);

  /* The description is stable: describing the copy gives the same dictionary. */
  again = g_variant_ref_sink (hs_run_to_variant (back));
  g_assert_true (g_variant_equal (variant, again));
}

static void
test_variant_no_warnings (void)
{
  g_autoptr(HsRun) run = hs_run_new ("FY2026", HS_TRIGGER_MANUAL, HS_SYNC_INCREMENTAL, FALSE);
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GVariant) messages = NULL;
  g_autoptr(HsRun) back = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("A run that met no warning still describes itself completely");
  variant = g_variant_ref_sink (hs_run_to_variant (run));
  g_assert_true (g_variant_is_of_type (variant, G_VARIANT_TYPE_VARDICT));
  messages = g_variant_lookup_value (variant, "warning-messages", G_VARIANT_TYPE_STRING_ARRAY);
  g_assert_nonnull (messages);
  g_assert_cmpuint (g_variant_n_children (messages), ==, 0);

  back = hs_run_new_from_variant (variant, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hs_run_get_fiscal_year (back), ==, "FY2026");
  g_assert_cmpuint (hs_run_get_n_warnings (back), ==, 0);
}

static void
test_variant_malformed (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) not_a_dict = g_variant_ref_sink (g_variant_new_string ("run"));
  g_autoptr(GVariant) no_year = NULL;
  GVariantBuilder builder;

  g_assert_null (hs_run_new_from_variant (not_a_dict, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "trigger", g_variant_new_string ("weekly"));
  no_year = g_variant_ref_sink (g_variant_builder_end (&builder));
  g_assert_null (hs_run_new_from_variant (no_year, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT);
}

int
main (int    argc,
      char **argv)
{
  hs_test_init (&argc, &argv);

  g_test_add_func ("/run/new", test_new);
  g_test_add_func ("/run/counters", test_counters);
  g_test_add_func ("/run/warnings-capped", test_warnings_capped);
  g_test_add_func ("/run/unmapped-agents-sorted-unique", test_unmapped_agents_sorted_unique);
  g_test_add_func ("/run/status-notifies", test_status_notifies);
  g_test_add_func ("/run/names", test_names);
  g_test_add_func ("/run/agent-mapping", test_agent_mapping);
  g_test_add_func ("/run/error-dbus-names", test_error_dbus_names);
  g_test_add_func ("/run/error-code", test_error_code);
  g_test_add_func ("/run/variant-round-trip", test_variant_round_trip);
  g_test_add_func ("/run/variant-no-warnings", test_variant_no_warnings);
  g_test_add_func ("/run/variant-malformed", test_variant_malformed);

  return g_test_run ();
}
