/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <halosync.h>
#include <string.h>

#include "hs-halo-json.h"

/* A JSON reader for Halo's list responses.  Halo's records carry dozens
 * of members (a ticket about forty, a TimesheetEvent twenty-five) of
 * which a stream keeps a handful, and json-glib's parser builds a node,
 * a hash-table entry and a copy of the name for every one of them: for a
 * large tenant that was most of a pull's CPU time.  This reader checks
 * the whole document's syntax as strictly, but builds nodes only for the
 * members a record is read for, into the same json-glib types, so the
 * parser's type checks see exactly what json-glib would have given them. */

/* Deeper nesting is no Halo response; refusing it keeps a hostile body
 * from exhausting the stack. */
#define MAX_DEPTH 64

typedef struct
{
  const char *start;
  const char *p;
  const char *end;
  GHashTable *wanted;             /* (unowned) */
  GString *text;                  /* (owned): the string value being read */
  GString *names[MAX_DEPTH + 1];  /* (owned) (nullable): member names, per depth */
  GError **error;
} Reader;

/* Sets the error for a problem at the current position; @problem NULL
 * means the data ended where more was due. */
static gboolean
fail (Reader     *r,
      const char *problem)
{
  if (problem == NULL || r->p >= r->end)
    g_set_error_literal (r->error, HS_ERROR, HS_ERROR_PROTOCOL, _("the data ends too early"));
  else
    /* TRANSLATORS: %s is a problem such as "an unexpected character" */
    g_set_error (r->error, HS_ERROR, HS_ERROR_PROTOCOL, _("%s at byte %lu"),
                 problem, (gulong) (r->p - r->start));
  return FALSE;
}

static inline void
skip_space (Reader *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\n' || *r->p == '\r' || *r->p == '\t'))
    r->p++;
}

static gboolean
read_hex4 (Reader   *r,
           gunichar *out)
{
  gunichar value = 0;

  if (r->end - r->p < 4)
    return fail (r, NULL);
  for (guint i = 0; i < 4; i++, r->p++)
    {
      int digit = g_ascii_xdigit_value (*r->p);

      if (digit < 0)
        return fail (r, _("an invalid \\u escape"));
      value = value * 16 + (gunichar) digit;
    }
  *out = value;
  return TRUE;
}

/* Reads the escape after a backslash into @out (when not NULL). */
static gboolean
read_escape (Reader  *r,
             GString *out)
{
  gunichar c;

  if (r->p >= r->end)
    return fail (r, NULL);

  switch (*r->p++)
    {
    case '"': c = '"'; break;
    case '\\': c = '\\'; break;
    case '/': c = '/'; break;
    case 'b': c = '\b'; break;
    case 'f': c = '\f'; break;
    case 'n': c = '\n'; break;
    case 'r': c = '\r'; break;
    case 't': c = '\t'; break;
    case 'u':
      if (!read_hex4 (r, &c))
        return FALSE;
      /* A UTF-16 surrogate pair is one character; a lone surrogate is
       * no character at all and becomes U+FFFD, as does U+0000, which
       * would cut a C string short. */
      if (c >= 0xD800 && c <= 0xDBFF && r->end - r->p >= 6 && r->p[0] == '\\' && r->p[1] == 'u')
        {
          gunichar low;

          r->p += 2;
          if (!read_hex4 (r, &low))
            return FALSE;
          if (low >= 0xDC00 && low <= 0xDFFF)
            c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
          else
            r->p -= 6;
        }
      if ((c >= 0xD800 && c <= 0xDFFF) || c == 0)
        c = 0xFFFD;
      break;
    default:
      r->p--;
      return fail (r, _("an invalid escape"));
    }

  if (out != NULL)
    g_string_append_unichar (out, c);
  return TRUE;
}

/* Reads a string at the current '"' into @out, or only checks it when
 * @out is NULL. */
static gboolean
read_string (Reader  *r,
             GString *out)
{
  r->p++;
  if (out != NULL)
    g_string_truncate (out, 0);

  for (;;)
    {
      const char *run = r->p;

      while (r->p < r->end && *r->p != '"' && *r->p != '\\')
        r->p++;
      if (out != NULL)
        g_string_append_len (out, run, r->p - run);
      if (r->p >= r->end)
        return fail (r, NULL);
      if (*r->p++ == '"')
        return TRUE;
      if (!read_escape (r, out))
        return FALSE;
    }
}

static gboolean
skip_digits (Reader *r)
{
  const char *first = r->p;

  while (r->p < r->end && g_ascii_isdigit (*r->p))
    r->p++;
  return r->p > first || fail (r, _("an invalid number"));
}

/* Numbers as json-glib has them: an integer without fraction or
 * exponent that fits 64 bits is an int64, anything else a double. */
static gboolean
read_number (Reader    *r,
             JsonNode **out)
{
  const char *first = r->p;
  gboolean negative = FALSE, integral = TRUE, overflow = FALSE;
  guint64 value = 0;

  if (*r->p == '-')
    {
      negative = TRUE;
      r->p++;
    }
  if (r->p >= r->end || !g_ascii_isdigit (*r->p))
    return fail (r, _("an invalid number"));
  if (*r->p == '0')
    r->p++;
  else
    for (; r->p < r->end && g_ascii_isdigit (*r->p); r->p++)
      {
        guint digit = *r->p - '0';

        if (value > (G_MAXUINT64 - digit) / 10)
          overflow = TRUE;
        else
          value = value * 10 + digit;
      }
  if (r->p < r->end && *r->p == '.')
    {
      integral = FALSE;
      r->p++;
      if (!skip_digits (r))
        return FALSE;
    }
  if (r->p < r->end && (*r->p == 'e' || *r->p == 'E'))
    {
      integral = FALSE;
      r->p++;
      if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
        r->p++;
      if (!skip_digits (r))
        return FALSE;
    }

  if (out == NULL)
    return TRUE;

  *out = json_node_new (JSON_NODE_VALUE);
  if (integral && !overflow && value <= (guint64) G_MAXINT64 + (negative ? 1 : 0))
    json_node_set_int (*out, negative ? (gint64) (G_GUINT64_CONSTANT (0) - value) : (gint64) value);
  else
    {
      g_autofree char *text = g_strndup (first, r->p - first);

      json_node_set_double (*out, g_ascii_strtod (text, NULL));
    }
  return TRUE;
}

static gboolean
read_literal (Reader     *r,
              const char *word)
{
  gsize length = strlen (word);

  if ((gsize) (r->end - r->p) < length || memcmp (r->p, word, length) != 0)
    return fail (r, _("an unexpected character"));
  r->p += length;
  return TRUE;
}

static gboolean read_value (Reader    *r,
                            guint      depth,
                            gboolean   is_record,
                            JsonNode **out);

/* Reads an object; a record (an element of an array) keeps only the
 * wanted members.  @out NULL only checks it. */
static gboolean
read_object (Reader    *r,
             guint      depth,
             gboolean   is_record,
             JsonNode **out)
{
  g_autoptr(JsonObject) object = out != NULL ? json_object_new () : NULL;
  GString *name;

  if (depth > MAX_DEPTH)
    return fail (r, _("nesting too deep"));
  if (r->names[depth] == NULL)
    r->names[depth] = g_string_new (NULL);
  name = r->names[depth];

  r->p++;
  skip_space (r);
  if (r->p < r->end && *r->p == '}')
    r->p++;
  else
    for (;;)
      {
        JsonNode *member = NULL;
        gboolean keep;

        skip_space (r);
        if (r->p >= r->end || *r->p != '"')
          return fail (r, _("a member name was expected"));
        if (!read_string (r, name))
          return FALSE;
        skip_space (r);
        if (r->p >= r->end || *r->p != ':')
          return fail (r, _("“:” was expected"));
        r->p++;

        keep = object != NULL && (!is_record || g_hash_table_contains (r->wanted, name->str));
        if (!read_value (r, depth, FALSE, keep ? &member : NULL))
          return FALSE;
        if (keep)
          json_object_set_member (object, name->str, member);

        skip_space (r);
        if (r->p < r->end && *r->p == ',')
          {
            r->p++;
            continue;
          }
        if (r->p < r->end && *r->p == '}')
          {
            r->p++;
            break;
          }
        return fail (r, _("“,” or “}” was expected"));
      }

  if (out != NULL)
    {
      *out = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (*out, g_steal_pointer (&object));
    }
  return TRUE;
}

static gboolean
read_array (Reader    *r,
            guint      depth,
            JsonNode **out)
{
  g_autoptr(JsonArray) array = out != NULL ? json_array_new () : NULL;

  if (depth > MAX_DEPTH)
    return fail (r, _("nesting too deep"));

  r->p++;
  skip_space (r);
  if (r->p < r->end && *r->p == ']')
    r->p++;
  else
    for (;;)
      {
        JsonNode *element = NULL;

        if (!read_value (r, depth, TRUE, array != NULL ? &element : NULL))
          return FALSE;
        if (array != NULL)
          json_array_add_element (array, element);

        skip_space (r);
        if (r->p < r->end && *r->p == ',')
          {
            r->p++;
            continue;
          }
        if (r->p < r->end && *r->p == ']')
          {
            r->p++;
            break;
          }
        return fail (r, _("“,” or “]” was expected"));
      }

  if (out != NULL)
    {
      *out = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (*out, g_steal_pointer (&array));
    }
  return TRUE;
}

/* Reads any value into @out, or only checks it when @out is NULL. */
static gboolean
read_value (Reader    *r,
            guint      depth,
            gboolean   is_record,
            JsonNode **out)
{
  skip_space (r);
  if (r->p >= r->end)
    return fail (r, NULL);

  switch (*r->p)
    {
    case '{':
      return read_object (r, depth + 1, is_record, out);

    case '[':
      return read_array (r, depth + 1, out);

    case '"':
      {
        const char *string_start = r->p;

        if (!read_string (r, out != NULL ? r->text : NULL))
          return FALSE;
        if (out == NULL)
          return TRUE;
        /* Only kept text is checked: it goes on to the database. */
        if (!g_utf8_validate_len (r->text->str, r->text->len, NULL))
          {
            r->p = string_start;
            return fail (r, _("text that is not UTF-8"));
          }
        *out = json_node_new (JSON_NODE_VALUE);
        json_node_set_string (*out, r->text->str);
        return TRUE;
      }

    case 't':
    case 'f':
      {
        gboolean value = *r->p == 't';

        if (!read_literal (r, value ? "true" : "false"))
          return FALSE;
        if (out != NULL)
          {
            *out = json_node_new (JSON_NODE_VALUE);
            json_node_set_boolean (*out, value);
          }
        return TRUE;
      }

    case 'n':
      if (!read_literal (r, "null"))
        return FALSE;
      if (out != NULL)
        *out = json_node_new (JSON_NODE_NULL);
      return TRUE;

    default:
      if (*r->p == '-' || g_ascii_isdigit (*r->p))
        return read_number (r, out);
      return fail (r, _("an unexpected character"));
    }
}

/**
 * hs_halo_json_parse_records:
 * @data: a JSON document
 * @size: its length in bytes
 * @wanted: (element-type utf8 utf8): the member names a record keeps
 * @error: return location for an %HS_ERROR_PROTOCOL error
 *
 * Parses @data into a json-glib tree in which every object that is an
 * element of an array — a record, in a bare list or in an envelope's
 * list — holds only the members named in @wanted.  Everything else is
 * checked as strictly as a full parse checks it, then dropped.
 *
 * Returns: (transfer full) (nullable): the document, or %NULL if it is
 *   not valid JSON
 */
JsonNode *
hs_halo_json_parse_records (const char  *data,
                            gsize        size,
                            GHashTable  *wanted,
                            GError     **error)
{
  Reader r = { data, data, data + size, wanted, g_string_new (NULL), { NULL }, error };
  JsonNode *root = NULL;

  g_return_val_if_fail (data != NULL || size == 0, NULL);
  g_return_val_if_fail (wanted != NULL, NULL);

  if (read_value (&r, 0, FALSE, &root))
    {
      skip_space (&r);
      if (r.p < r.end)
        {
          fail (&r, _("more data after the document"));
          g_clear_pointer (&root, json_node_unref);
        }
    }

  g_string_free (r.text, TRUE);
  for (guint i = 0; i <= MAX_DEPTH; i++)
    if (r.names[i] != NULL)
      g_string_free (r.names[i], TRUE);
  return root;
}
