/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "hs-cli-output.h"

static const char * const stream_names[] = { "agents", "teams", "clients", "tickets", "time_entries" };
static const char * const counter_names[] = { "fetched", "inserted", "updated", "deleted", "written" };

/* --- Tables -------------------------------------------------------------- */

struct _HsCliTable
{
  GPtrArray *rows;        /* (element-type GStrv): the first row is the header */
  guint n_columns;
  guint64 numeric;        /* bit per right-aligned column */
};

static GStrv
collect_cells (const char *first,
               va_list     args)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (const char *cell = first; cell != NULL; cell = va_arg (args, const char *))
    g_strv_builder_add (builder, cell);
  return g_strv_builder_end (builder);
}

HsCliTable *
hs_cli_table_new (const char *first_header,
                  ...)
{
  HsCliTable *table = g_new0 (HsCliTable, 1);
  va_list args;
  GStrv header;

  va_start (args, first_header);
  header = collect_cells (first_header, args);
  va_end (args);

  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  table->n_columns = g_strv_length (header);
  g_ptr_array_add (table->rows, header);
  return table;
}

void
hs_cli_table_add_row (HsCliTable *table,
                      const char *first_cell,
                      ...)
{
  va_list args;
  GStrv row;

  va_start (args, first_cell);
  row = collect_cells (first_cell, args);
  va_end (args);

  g_return_if_fail (g_strv_length (row) == table->n_columns);
  g_ptr_array_add (table->rows, row);
}

void
hs_cli_table_set_numeric (HsCliTable *table,
                          guint       column)
{
  g_return_if_fail (column < table->n_columns && column < 64);

  table->numeric |= G_GUINT64_CONSTANT (1) << column;
}

/* The columns a terminal gives @text: CJK characters take two, combining
 * marks none, so names such as "Jürgen Müller" and "太郎 Chen" line up. */
static glong
display_width (const char *text)
{
  glong width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

void
hs_cli_table_print (HsCliTable *table)
{
  g_autofree glong *widths = g_new0 (glong, table->n_columns);

  for (guint r = 0; r < table->rows->len; r++)
    {
      GStrv row = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < table->n_columns; c++)
        widths[c] = MAX (widths[c], display_width (row[c]));
    }

  for (guint r = 0; r < table->rows->len; r++)
    {
      GStrv row = g_ptr_array_index (table->rows, r);
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint c = 0; c < table->n_columns; c++)
        {
          glong pad = widths[c] - display_width (row[c]);
          gboolean right = (table->numeric & (G_GUINT64_CONSTANT (1) << c)) != 0;

          if (c > 0)
            g_string_append (line, "  ");
          if (right)
            for (glong i = 0; i < pad; i++)
              g_string_append_c (line, ' ');
          g_string_append (line, row[c]);
          if (!right && c + 1 < table->n_columns)
            for (glong i = 0; i < pad; i++)
              g_string_append_c (line, ' ');
        }
      g_print ("%s\n", line->str);
    }
}

void
hs_cli_table_free (HsCliTable *table)
{
  g_ptr_array_unref (table->rows);
  g_free (table);
}

/* --- Values -------------------------------------------------------------- */

char *
hs_cli_format_count (guint64 count)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, count);
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

char *
hs_cli_format_time (gint64 usec)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (usec <= 0)
    return g_strdup ("—");

  utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

char *
hs_cli_format_iso_time (gint64 usec)
{
  g_autoptr(GDateTime) utc = NULL;

  if (usec <= 0)
    return NULL;
  utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  return g_date_time_format_iso8601 (utc);
}

char *
hs_cli_format_duration (gint64 usec)
{
  double seconds = usec / (double) G_USEC_PER_SEC;

  if (usec < 0)
    return g_strdup ("—");
  if (seconds < 60)
    return g_strdup_printf (_("%.1f s"), seconds);
  return g_strdup_printf (_("%d min %02d s"), (int) seconds / 60, (int) seconds % 60);
}

char *
hs_cli_format_hours (double hours)
{
  return g_strdup_printf ("%.2f", hours);
}

/* --- Runs ---------------------------------------------------------------- */

void
hs_cli_print_json (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

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
  const char *error = lookup_string (run, "error");

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
    json_builder_add_double_value (builder, (finished - started) / (double) G_USEC_PER_SEC);
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
    json_builder_add_string_value (builder, error);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
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

  g_print (_("Halo requests: %u\n"), api_calls);

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
