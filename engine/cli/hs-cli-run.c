/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include <halosync.h>

#include "hs-cli-output.h"
#include "hs-cli-run.h"

static const char * const stream_names[] = { "agents", "teams", "clients", "tickets", "time_entries" };
static const char * const counter_names[] = { "fetched", "inserted", "updated", "deleted", "written" };

static guint64
lookup_count (GVariant   *run,
              const char *key)
{
  guint64 value = 0;

  g_variant_lookup (run, key, "t", &value);
  return value;
}

static gint64
lookup_int64 (GVariant   *run,
              const char *key)
{
  gint64 value = 0;

  g_variant_lookup (run, key, "x", &value);
  return value;
}

static const char *
lookup_string (GVariant   *run,
               const char *key)
{
  const char *value = NULL;

  g_variant_lookup (run, key, "&s", &value);
  return value;
}

static guint64
stream_count (GVariant   *run,
              const char *stream,
              const char *counter)
{
  g_autoptr(GVariant) streams = g_variant_lookup_value (run, "streams", G_VARIANT_TYPE ("a{sa{st}}"));
  g_autoptr(GVariant) counts = NULL;
  guint64 value = 0;

  if (streams == NULL)
    return 0;
  counts = g_variant_lookup_value (streams, stream, G_VARIANT_TYPE ("a{st}"));
  if (counts != NULL)
    g_variant_lookup (counts, counter, "t", &value);
  return value;
}

static void
add_time_member (JsonBuilder *builder,
                 const char  *name,
                 gint64       usec)
{
  g_autofree char *iso = hs_cli_format_iso_time (usec);

  json_builder_set_member_name (builder, name);
  if (iso != NULL)
    json_builder_add_string_value (builder, iso);
  else
    json_builder_add_null_value (builder);
}

/* The JSON form of a run: stable member names, ISO 8601 UTC times, counts
 * as numbers, so scripts can rely on it. */
JsonNode *
hs_cli_run_to_json (GVariant *run)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GVariant) warnings = g_variant_lookup_value (run, "warning-messages", G_VARIANT_TYPE_STRING_ARRAY);
  g_autoptr(GVariant) unmapped = g_variant_lookup_value (run, "unmapped-agents", G_VARIANT_TYPE ("ax"));
  gint64 started = lookup_int64 (run, "started-at");
  gint64 finished = lookup_int64 (run, "finished-at");
  gboolean dry_run = FALSE;
  guint32 api_calls = 0, n_warnings = 0;
  g_autoptr(GError) error = hs_cli_run_dup_error (run);

  g_variant_lookup (run, "dry-run", "b", &dry_run);
  g_variant_lookup (run, "api-calls", "u", &api_calls);
  g_variant_lookup (run, "warnings", "u", &n_warnings);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, lookup_int64 (run, "id"));
  json_builder_set_member_name (builder, "fiscal_year");
  json_builder_add_string_value (builder, lookup_string (run, "fiscal-year"));
  json_builder_set_member_name (builder, "trigger");
  json_builder_add_string_value (builder, lookup_string (run, "trigger"));
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, lookup_string (run, "mode"));
  json_builder_set_member_name (builder, "dry_run");
  json_builder_add_boolean_value (builder, dry_run);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, lookup_string (run, "status"));
  add_time_member (builder, "started_at", started);
  add_time_member (builder, "finished_at", finished);
  json_builder_set_member_name (builder, "duration_seconds");
  if (started > 0 && finished >= started)
    json_builder_add_double_value (builder, round ((finished - started) / 1000.0) / 1000.0);
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "counts");
  json_builder_begin_object (builder);
  for (guint c = 0; c < G_N_ELEMENTS (counter_names); c++)
    {
      json_builder_set_member_name (builder, counter_names[c]);
      json_builder_add_int_value (builder, (gint64) lookup_count (run, counter_names[c]));
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "streams");
  json_builder_begin_object (builder);
  for (guint s = 0; s < G_N_ELEMENTS (stream_names); s++)
    {
      json_builder_set_member_name (builder, stream_names[s]);
      json_builder_begin_object (builder);
      for (guint c = 0; c < G_N_ELEMENTS (counter_names); c++)
        {
          json_builder_set_member_name (builder, counter_names[c]);
          json_builder_add_int_value (builder, (gint64) stream_count (run, stream_names[s], counter_names[c]));
        }
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "api_calls");
  json_builder_add_int_value (builder, api_calls);
  json_builder_set_member_name (builder, "warnings_total");
  json_builder_add_int_value (builder, n_warnings);
  json_builder_set_member_name (builder, "warnings");
  json_builder_begin_array (builder);
  for (gsize i = 0; warnings != NULL && i < g_variant_n_children (warnings); i++)
    {
      const char *text = NULL;

      g_variant_get_child (warnings, i, "&s", &text);
      json_builder_add_string_value (builder, text);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "unmapped_agents");
  json_builder_begin_array (builder);
  for (gsize i = 0; unmapped != NULL && i < g_variant_n_children (unmapped); i++)
    {
      gint64 id = 0;

      g_variant_get_child (unmapped, i, "x", &id);
      json_builder_add_int_value (builder, id);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "error");
  if (error != NULL)
    json_builder_add_value (builder, hs_cli_error_to_json (error, hs_cli_run_exit_code (run)));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* Why @run did not succeed, as the error the service named (a cancelled
 * run by HS_ERROR_CANCELLED, as the service names it Failed), or %NULL
 * for a run that succeeded or has not ended. */
GError *
hs_cli_run_dup_error (GVariant *run)
{
  const char *message = lookup_string (run, "error");
  const char *name = lookup_string (run, "error-name");
  GError *error;

  if (message == NULL)
    return NULL;
  if (g_strcmp0 (lookup_string (run, "status"), "cancelled") == 0)
    return g_error_new_literal (HS_ERROR, HS_ERROR_CANCELLED, message);

  error = g_dbus_error_new_for_dbus_error (name != NULL ? name : "org.example.HaloSync.Error.Failed",
                                           message);
  g_dbus_error_strip_remote_error (error);
  return error;
}

/* A run that could not start because the database was busy or a setting
 * is missing exits as a refused command does (3 and 4); a run that was
 * cancelled exits 5; any other failure is the sync failing (1). */
HsCliExit
hs_cli_run_exit_code (GVariant *run)
{
  g_autoptr(GError) error = hs_cli_run_dup_error (run);
  const char *status = lookup_string (run, "status");

  if (g_strcmp0 (status, "succeeded") == 0)
    return HS_CLI_EXIT_OK;
  if (g_strcmp0 (status, "cancelled") == 0)
    return HS_CLI_EXIT_CANCELLED;
  if (g_error_matches (error, HS_ERROR, HS_ERROR_BUSY) ||
      g_error_matches (error, HS_ERROR, HS_ERROR_NOT_CONFIGURED))
    return hs_cli_exit_code_for (error);
  return HS_CLI_EXIT_FAILED;
}

/* One line: "FY2026 full sync succeeded in 3.2 s". */
char *
hs_cli_describe_run (GVariant *run)
{
  const char *status = lookup_string (run, "status");
  gint64 started = lookup_int64 (run, "started-at");
  gint64 finished = lookup_int64 (run, "finished-at");
  g_autofree char *duration = NULL;
  gboolean dry_run = FALSE;

  g_variant_lookup (run, "dry-run", "b", &dry_run);
  duration = hs_cli_format_duration (finished >= started && started > 0 ? finished - started : -1);

  /* Translators: %s are a fiscal-year label, "full" or "incremental", "dry-run " or nothing, a status and a duration. */
  return g_strdup_printf (_("%s %s %ssync %s in %s"),
                          lookup_string (run, "fiscal-year"), lookup_string (run, "mode"),
                          dry_run ? _("dry-run ") : "", status != NULL ? status : "?", duration);
}

void
hs_cli_print_run (GVariant *run)
{
  g_autoptr(HsCliTable) table = NULL;
  g_autoptr(GVariant) warnings = g_variant_lookup_value (run, "warning-messages", G_VARIANT_TYPE_STRING_ARRAY);
  g_autoptr(GVariant) unmapped = g_variant_lookup_value (run, "unmapped-agents", G_VARIANT_TYPE ("ax"));
  g_autofree char *summary = hs_cli_describe_run (run);
  g_autofree char *api_calls_text = NULL;
  const char *error = lookup_string (run, "error");
  guint32 api_calls = 0, n_warnings = 0;
  gboolean dry_run = FALSE;

  g_variant_lookup (run, "api-calls", "u", &api_calls);
  g_variant_lookup (run, "warnings", "u", &n_warnings);
  g_variant_lookup (run, "dry-run", "b", &dry_run);

  g_print ("%s\n", summary);
  if (dry_run)
    g_print ("%s\n", _("Nothing was written: this shows what the sync would change."));
  if (error != NULL)
    g_print (_("Error: %s\n"), error);

  table = hs_cli_table_new (_("stream"), _("fetched"), _("inserted"), _("updated"), _("deleted"), NULL);
  for (guint c = 1; c < 5; c++)
    hs_cli_table_set_numeric (table, c);
  for (guint s = 0; s < G_N_ELEMENTS (stream_names); s++)
    {
      g_autofree char *fetched = hs_cli_format_count (stream_count (run, stream_names[s], "fetched"));
      g_autofree char *inserted = hs_cli_format_count (stream_count (run, stream_names[s], "inserted"));
      g_autofree char *updated = hs_cli_format_count (stream_count (run, stream_names[s], "updated"));
      g_autofree char *deleted = hs_cli_format_count (stream_count (run, stream_names[s], "deleted"));

      hs_cli_table_add_row (table, stream_names[s], fetched, inserted, updated, deleted, NULL);
    }
  hs_cli_table_print (table);

  api_calls_text = hs_cli_format_count (api_calls);
  g_print (_("Halo requests: %s\n"), api_calls_text);

  if (n_warnings > 0 && warnings != NULL)
    {
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u warning:\n", "%u warnings:\n", n_warnings), n_warnings);
      for (gsize i = 0; i < g_variant_n_children (warnings); i++)
        {
          const char *text = NULL;

          g_variant_get_child (warnings, i, "&s", &text);
          g_print ("  • %s\n", text);
        }
    }

  if (unmapped != NULL && g_variant_n_children (unmapped) > 0)
    {
      g_autoptr(GString) ids = g_string_new (NULL);

      for (gsize i = 0; i < g_variant_n_children (unmapped); i++)
        {
          gint64 id = 0;

          g_variant_get_child (unmapped, i, "x", &id);
          g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "", id);
        }
      g_print (_("Agents without a team member (kept unmapped; map them with “halosyncctl agents map”): %s\n"),
               ids->str);
    }
}
