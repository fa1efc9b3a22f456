/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <stdio.h>

#include "hs-cli-output.h"

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
glong
hs_cli_display_width (const char *text)
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

/* @text cut to @width columns, ending in "…" when it was cut. */
char *
hs_cli_fit_width (const char *text,
                  glong       width)
{
  g_autofree char *head = NULL;
  glong used = 0;
  const char *p;

  if (hs_cli_display_width (text) <= width)
    return g_strdup (text);
  if (width < 1)
    return g_strdup ("");

  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      glong w = g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;

      if (used + w > width - 1)
        break;
      used += w;
    }
  head = g_strndup (text, p - text);
  return g_strconcat (head, "…", NULL);
}

void
hs_cli_table_print (HsCliTable *table)
{
  g_autofree glong *widths = g_new0 (glong, table->n_columns);

  for (guint r = 0; r < table->rows->len; r++)
    {
      GStrv row = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < table->n_columns; c++)
        widths[c] = MAX (widths[c], hs_cli_display_width (row[c]));
    }

  for (guint r = 0; r < table->rows->len; r++)
    {
      GStrv row = g_ptr_array_index (table->rows, r);
      g_autoptr(GString) line = g_string_new (NULL);

      for (guint c = 0; c < table->n_columns; c++)
        {
          glong pad = widths[c] - hs_cli_display_width (row[c]);
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

/* Counts and hours follow the locale alike, through printf's ' flag:
 * 1,900 and 12,536.40 in English, 1.900 and 12.536,40 in German, no
 * grouping in C. */
char *
hs_cli_format_count (guint64 count)
{
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, count);
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
  return g_strdup_printf ("%'.2f", hours);
}

/* --- JSON ---------------------------------------------------------------- */

/* json-glib writes a double with 17 significant digits, so 0.004 comes
 * out as 0.0040000000000000001; this writer gives each double its
 * shortest form that reads back as the same number. */
static void
append_double (GString *out,
               double   value)
{
  char text[G_ASCII_DTOSTR_BUF_SIZE];
  static const char * const formats[] = { "%.15g", "%.16g", "%.17g" };

  if (!isfinite (value))
    {
      g_string_append (out, "null");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (text, sizeof text, formats[i], value);
      if (g_ascii_strtod (text, NULL) == value)
        break;
    }
  g_string_append (out, text);
}

static void
append_indent (GString *out,
               int      depth)
{
  g_string_append_c (out, '\n');
  for (int i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

static void append_node (GString  *out,
                         JsonNode *node,
                         int       depth);

/* @depth is -1 for the compact form. */
static void
append_object (GString    *out,
               JsonObject *object,
               int         depth)
{
  g_autoptr(GList) members = json_object_get_members (object);

  g_string_append_c (out, '{');
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autoptr(JsonNode) name = json_node_init_string (json_node_alloc (), l->data);
      g_autofree char *quoted = json_to_string (name, FALSE);

      if (l != members)
        g_string_append_c (out, ',');
      if (depth >= 0)
        append_indent (out, depth + 1);
      g_string_append (out, quoted);
      g_string_append (out, depth >= 0 ? ": " : ":");
      append_node (out, json_object_get_member (object, l->data), depth >= 0 ? depth + 1 : -1);
    }
  if (depth >= 0 && members != NULL)
    append_indent (out, depth);
  g_string_append_c (out, '}');
}

static void
append_array (GString   *out,
              JsonArray *array,
              int        depth)
{
  guint n = json_array_get_length (array);

  g_string_append_c (out, '[');
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      if (depth >= 0)
        append_indent (out, depth + 1);
      append_node (out, json_array_get_element (array, i), depth >= 0 ? depth + 1 : -1);
    }
  if (depth >= 0 && n > 0)
    append_indent (out, depth);
  g_string_append_c (out, ']');
}

static void
append_node (GString  *out,
             JsonNode *node,
             int       depth)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      append_object (out, json_node_get_object (node), depth);
      break;
    case JSON_NODE_ARRAY:
      append_array (out, json_node_get_array (node), depth);
      break;
    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        append_double (out, json_node_get_double (node));
      else
        {
          g_autofree char *text = json_to_string (node, FALSE);
          g_string_append (out, text);
        }
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Pretty-printed, for commands that print one document. */
void
hs_cli_print_json (JsonNode *node)
{
  g_autoptr(GString) out = g_string_new (NULL);

  append_node (out, node, 0);
  g_print ("%s\n", out->str);
}

/* One compact document on one line (JSON Lines), flushed at once, for
 * commands that print documents as things happen. */
void
hs_cli_print_json_line (JsonNode *node)
{
  g_autoptr(GString) out = g_string_new (NULL);

  append_node (out, node, -1);
  g_print ("%s\n", out->str);
  fflush (stdout);
}
