/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-test-halo.h"

/* The plugin is loaded once per process, from the build tree, by the
 * engine's own loader; the source type is what the engine would create. */
static GType
get_source_type (void)
{
  static GType type = G_TYPE_INVALID;
  static HsPluginLoader *loader = NULL;

  if (type == G_TYPE_INVALID)
    {
      const char *dir = g_getenv ("HS_HALO_PLUGIN_DIR");

      g_assert_nonnull (dir);
      loader = hs_plugin_loader_new ();
      hs_plugin_loader_add_location (loader, dir);
      hs_plugin_loader_load (loader);
      type = hs_plugin_loader_find_source (loader, "halo");
      g_assert_true (g_type_is_a (type, HS_TYPE_SOURCE));
    }
  return type;
}

/* A source with retry waits in milliseconds, so tests of retries and 429s
 * take no longer than they must. */
HsSource *
hs_test_halo_new_source (HsConfig *config)
{
  return g_object_new (get_source_type (),
                       "name", "halo",
                       "config", config,
                       "retry-base-delay", 20,
                       "retry-max-delay", 200,
                       "rate-limit-delay", 300,
                       "max-retry-after", 5000,
                       "timeout", 10,
                       NULL);
}

HsTestHalo *
hs_test_halo_new (const char * const *sim_args)
{
  HsTestHalo *self = g_new0 (HsTestHalo, 1);
  g_autoptr(GError) error = NULL;

  self->sim = hs_test_sim_new (sim_args, &error);
  g_assert_no_error (error);

  /* Settings of the in-memory backend outlive a test: set every key. */
  self->settings = g_settings_new (HS_SETTINGS_SCHEMA);
  g_settings_set_string (self->settings, "halo-url", hs_test_sim_get_base_url (self->sim));
  g_settings_set_string (self->settings, "halo-tenant", "");
  g_settings_set_string (self->settings, "halo-client-id", hs_test_sim_get_client_id (self->sim));
  g_settings_set_uint (self->settings, "rate-limit-requests", 0);
  g_settings_set_uint (self->settings, "rate-limit-window", 300);
  g_setenv ("HALOSYNC_HALO_CLIENT_SECRET", hs_test_sim_get_client_secret (self->sim), TRUE);

  self->config = hs_config_new_with_settings (self->settings);
  self->source = hs_test_halo_new_source (self->config);
  return self;
}

void
hs_test_halo_free (HsTestHalo *self)
{
  g_autoptr(GError) error = NULL;

  if (self == NULL)
    return;

  g_clear_object (&self->source);
  g_clear_object (&self->session);
  g_clear_pointer (&self->token, g_free);
  g_clear_object (&self->config);
  g_clear_object (&self->settings);
  /* A clean exit also proves the simulator survived the test. */
  g_assert_true (hs_test_sim_stop (self->sim, &error));
  g_assert_no_error (error);
  g_clear_object (&self->sim);
  g_free (self);
}

JsonNode *
hs_test_halo_control (HsTestHalo *self,
                      const char *method,
                      const char *path,
                      const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = hs_test_sim_control (self->sim, method, path, json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

/* Reads Halo's public API the simulator serves, as a second opinion on
 * what the source read (the requests count like any other). */
JsonNode *
hs_test_halo_api_get (HsTestHalo *self,
                      const char *path)
{
  g_autofree char *url = g_strconcat (hs_test_sim_get_base_url (self->sim), path, NULL);
  g_autofree char *authorization = NULL;
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  if (self->token == NULL)
    {
      self->token = hs_test_sim_fetch_token (self->sim, &error);
      g_assert_no_error (error);
      self->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
    }

  authorization = g_strconcat ("Bearer ", self->token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  body = soup_session_send_and_read (self->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

/* A counter of GET /_sim/counters: @group is "endpoints" or "statuses",
 * or NULL for a top-level member such as "total". */
gint64
hs_test_halo_counter (HsTestHalo *self,
                      const char *group,
                      const char *name)
{
  g_autoptr(JsonNode) counters = hs_test_halo_control (self, "GET", "/_sim/counters", NULL);
  JsonObject *object = json_node_get_object (counters);

  if (group != NULL)
    object = json_object_get_object_member (object, group);
  return json_object_get_int_member_with_default (object, name, 0);
}

HsPull *
hs_test_halo_new_pull (const char *start,
                       const char *end,
                       HsSyncMode  mode)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsFiscalYear) fy = hs_fiscal_year_new ("FY", start, end, &error);

  g_assert_no_error (error);
  return hs_pull_new (fy, mode);
}

static void
stream_started_cb (HsPull        *pull,
                   HsStream       stream,
                   HsTestHaloLog *log)
{
  g_array_append_val (log->streams, stream);
}

static void
batch_cb (HsPull        *pull,
          HsRecordBatch *batch,
          HsTestHaloLog *log)
{
  HsStream stream = hs_record_batch_get_stream (batch);

  /* Batches come only for the stream begun last. */
  g_assert_cmpuint (log->streams->len, >, 0);
  g_assert_cmpint (g_array_index (log->streams, HsStream, log->streams->len - 1), ==, stream);
  g_assert_cmpuint (hs_record_batch_get_n_records (batch), >, 0);

  g_ptr_array_add (log->batches[stream], hs_record_batch_ref (batch));
  log->n_records[stream] += hs_record_batch_get_n_records (batch);
}

static void
warning_cb (HsPull        *pull,
            const char    *message,
            HsTestHaloLog *log)
{
  g_ptr_array_add (log->warnings, g_strdup (message));
}

HsTestHaloLog *
hs_test_halo_log_new (HsPull *pull)
{
  HsTestHaloLog *log = g_new0 (HsTestHaloLog, 1);

  for (guint i = 0; i < HS_N_STREAMS; i++)
    log->batches[i] = g_ptr_array_new_with_free_func ((GDestroyNotify) hs_record_batch_unref);
  log->streams = g_array_new (FALSE, FALSE, sizeof (HsStream));
  log->warnings = g_ptr_array_new_with_free_func (g_free);

  g_signal_connect (pull, "stream-started", G_CALLBACK (stream_started_cb), log);
  g_signal_connect (pull, "batch", G_CALLBACK (batch_cb), log);
  g_signal_connect (pull, "warning", G_CALLBACK (warning_cb), log);
  return log;
}

void
hs_test_halo_log_free (HsTestHaloLog *log)
{
  if (log == NULL)
    return;

  for (guint i = 0; i < HS_N_STREAMS; i++)
    g_ptr_array_unref (log->batches[i]);
  g_array_unref (log->streams);
  g_ptr_array_unref (log->warnings);
  g_free (log);
}

gboolean
hs_test_halo_pull (HsSource     *source,
                   HsPull       *pull,
                   GCancellable *cancellable,
                   GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  hs_source_pull_async (source, pull, cancellable, hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  return hs_source_pull_finish (source, result, error);
}

/* A date as YYYY-MM-DD, @days_from_today days from today (UTC). */
char *
hs_test_halo_date (int days_from_today)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days_from_today);

  return g_date_time_format (then, "%Y-%m-%d");
}
