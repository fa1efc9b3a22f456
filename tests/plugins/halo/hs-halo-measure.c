/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <halosync.h>
#include <locale.h>
#include <sys/resource.h>

#include "hs-test-sim.h"

/* halo-measure: what a pull of the Halo source costs.  It runs a full pull
 * of a fiscal year, then an incremental pull from "now minus the
 * look-back", and prints for each the requests made, the seconds taken,
 * the records per stream and the largest batch, plus this process's peak
 * memory and CPU time.  Nothing is written anywhere: the batches are counted and
 * dropped, so the figures are the source's own.
 *
 * Against halo-sim (started from HS_HALO_SIM with --sim-args, its rate
 * limit and the source's pacing off), or against any Halo configured
 * through HALOSYNC_HALO_URL, HALOSYNC_HALO_CLIENT_ID and
 * HALOSYNC_HALO_CLIENT_SECRET when --sim-args is not given. */

typedef struct
{
  guint records[HS_N_STREAMS];
  guint batches;
  guint largest_batch;
  guint warnings;
} Tally;

static void
batch_cb (HsPull        *pull,
          HsRecordBatch *batch,
          Tally         *tally)
{
  guint n = hs_record_batch_get_n_records (batch);

  tally->records[hs_record_batch_get_stream (batch)] += n;
  tally->batches++;
  tally->largest_batch = MAX (tally->largest_batch, n);
}

static void
warning_cb (HsPull     *pull,
            const char *message,
            Tally      *tally)
{
  tally->warnings++;
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Runs one pull and adds its figures to @builder under @name. */
static gboolean
measure (HsSource    *source,
         HsPull      *pull,
         const char  *name,
         JsonBuilder *builder,
         GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  Tally tally = { { 0 }, 0, 0, 0 };
  gint64 start = g_get_monotonic_time ();
  double seconds;

  g_signal_connect (pull, "batch", G_CALLBACK (batch_cb), &tally);
  g_signal_connect (pull, "warning", G_CALLBACK (warning_cb), &tally);
  hs_source_pull_async (source, pull, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!hs_source_pull_finish (source, result, error))
    return FALSE;
  seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;

  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "requests");
  json_builder_add_int_value (builder, hs_pull_get_requests (pull));
  json_builder_set_member_name (builder, "seconds");
  json_builder_add_double_value (builder, seconds);
  json_builder_set_member_name (builder, "records");
  json_builder_begin_object (builder);
  for (HsStream s = 0; s < HS_N_STREAMS; s++)
    {
      json_builder_set_member_name (builder, hs_stream_to_string (s));
      json_builder_add_int_value (builder, tally.records[s]);
    }
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "remote_tickets");
  json_builder_add_int_value (builder, hs_pull_get_remote_count (pull, HS_STREAM_TICKETS));
  json_builder_set_member_name (builder, "batches");
  json_builder_add_int_value (builder, tally.batches);
  json_builder_set_member_name (builder, "largest_batch");
  json_builder_add_int_value (builder, tally.largest_batch);
  json_builder_set_member_name (builder, "warnings");
  json_builder_add_int_value (builder, tally.warnings);
  json_builder_end_object (builder);

  g_printerr ("%s pull: %u requests in %.2f s; %u tickets, %u time entries\n", name,
              hs_pull_get_requests (pull), seconds,
              tally.records[HS_STREAM_TICKETS], tally.records[HS_STREAM_TIME_ENTRIES]);
  return TRUE;
}

static HsPull *
new_pull (const char   *start,
          const char   *end,
          HsSyncMode    mode,
          GError      **error)
{
  g_autoptr(HsFiscalYear) fy = hs_fiscal_year_new ("measured", start, end, error);

  return fy != NULL ? hs_pull_new (fy, mode) : NULL;
}

static gboolean
run (int      argc,
     char   **argv,
     GError **error)
{
  g_autofree char *sim_args = NULL;
  g_autofree char *start = g_strdup ("2025-07-01");
  g_autofree char *end = g_strdup ("2026-06-30");
  g_autofree char *plugin_dir = g_strdup (g_getenv ("HS_HALO_PLUGIN_DIR"));
  int events_per_request = 0;
  const GOptionEntry entries[] = {
    { "sim-args", 0, 0, G_OPTION_ARG_STRING, &sim_args, "Start halo-sim with these options", "ARGS" },
    { "start", 0, 0, G_OPTION_ARG_STRING, &start, "First day of the fiscal year (2025-07-01)", "DATE" },
    { "end", 0, 0, G_OPTION_ARG_STRING, &end, "Last day of the fiscal year (2026-06-30)", "DATE" },
    { "plugin-dir", 0, 0, G_OPTION_ARG_FILENAME, &plugin_dir, "Where libhs_plugin_halo.so is", "DIR" },
    { "events-per-request", 0, 0, G_OPTION_ARG_INT, &events_per_request,
      "The source's events-per-request (default: its own)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(HsTestSim) sim = NULL;
  g_autoptr(HsPluginLoader) loader = hs_plugin_loader_new ();
  g_autoptr(HsConfig) config = NULL;
  g_autoptr(HsSource) source = NULL;
  g_autoptr(HsPull) full = NULL;
  g_autoptr(HsPull) incremental = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *output = NULL;
  struct rusage usage;
  GType type;

  g_option_context_set_summary (context,
                                "Measures a full and an incremental pull of the Halo source:\n"
                                "requests, seconds, records and peak memory, as JSON on stdout.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, error))
    return FALSE;

  if (sim_args != NULL)
    {
      g_auto(GStrv) args = NULL;

      if (!g_shell_parse_argv (sim_args, NULL, &args, error))
        return FALSE;
      sim = hs_test_sim_new ((const char * const *) args, error);
      if (sim == NULL)
        return FALSE;
      g_setenv ("HALOSYNC_HALO_URL", hs_test_sim_get_base_url (sim), TRUE);
      g_setenv ("HALOSYNC_HALO_CLIENT_ID", hs_test_sim_get_client_id (sim), TRUE);
      g_setenv ("HALOSYNC_HALO_CLIENT_SECRET", hs_test_sim_get_client_secret (sim), TRUE);
      g_setenv ("HALOSYNC_HALO_RATE_LIMIT", "off", TRUE);
    }
  config = hs_config_new ();

  if (plugin_dir != NULL)
    hs_plugin_loader_add_location (loader, plugin_dir);
  hs_plugin_loader_load (loader);
  type = hs_plugin_loader_find_source (loader, "halo");
  if (type == G_TYPE_INVALID)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_PLUGIN,
                   "No halo plugin found; pass --plugin-dir or set HS_HALO_PLUGIN_DIR");
      return FALSE;
    }
  source = g_object_new (type, "name", "halo", "config", config, NULL);
  if (events_per_request > 0)
    g_object_set (source, "events-per-request", events_per_request, NULL);

  full = new_pull (start, end, HS_SYNC_FULL, error);
  incremental = new_pull (start, end, HS_SYNC_INCREMENTAL, error);
  if (full == NULL || incremental == NULL)
    return FALSE;
  /* As the engine sets it on an hourly run: the cursor (now, nothing has
   * changed since) minus the look-back. */
  hs_pull_set_since (incremental, HS_STREAM_TICKETS,
                     g_get_real_time () - (gint64) hs_config_get_look_back_minutes (config) * 60 * G_USEC_PER_SEC);

  json_builder_begin_object (builder);
  if (!measure (source, full, "full", builder, error) ||
      !measure (source, incremental, "incremental", builder, error))
    return FALSE;
  getrusage (RUSAGE_SELF, &usage);
  json_builder_set_member_name (builder, "max_rss_kib");
  json_builder_add_int_value (builder, usage.ru_maxrss);
  /* The source's own share of the time: the simulator runs apart. */
  json_builder_set_member_name (builder, "cpu_seconds");
  json_builder_add_double_value (builder, usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
                                          (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  output = json_generator_to_data (generator, NULL);
  g_print ("%s\n", output);

  return sim == NULL || hs_test_sim_stop (sim, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  if (!run (argc, argv, &error))
    {
      g_printerr ("halo-measure: %s\n", error->message);
      return 1;
    }
  return 0;
}
