/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "hs-sim-request.h"
#include "hs-sim-time.h"

HsSimRequest *
hs_sim_request_new (SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    const char        *base_url)
{
  HsSimRequest *req = g_new0 (HsSimRequest, 1);
  g_auto(GStrv) parts = NULL;
  GPtrArray *segments = g_ptr_array_new ();

  req->msg = msg;
  req->method = soup_server_message_get_method (msg);
  req->path = g_ascii_strdown (path, -1);
  req->base_url = base_url;
  req->status = SOUP_STATUS_OK;
  req->body = g_string_new (NULL);
  req->content_type = "application/json; charset=utf-8";

  parts = g_strsplit (req->path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_ptr_array_add (segments, g_strdup (parts[i]));
  req->n_segments = segments->len;
  g_ptr_array_add (segments, NULL);
  req->segments = (char **) g_ptr_array_free (segments, FALSE);

  /* ASP.NET binds query parameters whatever their case. */
  req->query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (query != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_replace (req->query, g_ascii_strdown (key, -1), g_strdup (value));
    }

  return req;
}

void
hs_sim_request_free (HsSimRequest *req)
{
  g_free (req->path);
  g_strfreev (req->segments);
  g_hash_table_unref (req->query);
  g_string_free (req->body, TRUE);
  if (req->stream_free != NULL)
    req->stream_free (req->stream_data);
  g_free (req);
}

const char *
hs_sim_request_get (HsSimRequest *req,
                    const char   *name)
{
  const char *value = g_hash_table_lookup (req->query, name);

  return value != NULL && *value != '\0' ? value : NULL;
}

/* Python's requests sends True, .NET true, some clients 1. */
gboolean
hs_sim_request_get_bool (HsSimRequest *req,
                         const char   *name,
                         gboolean      fallback)
{
  const char *value = hs_sim_request_get (req, name);

  if (value == NULL)
    return fallback;
  if (g_ascii_strcasecmp (value, "true") == 0 || strcmp (value, "1") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (value, "false") == 0 || strcmp (value, "0") == 0)
    return FALSE;
  return fallback;
}

gboolean
hs_sim_request_parse_uint (const char *text,
                           guint      *value)
{
  guint64 parsed;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &parsed, NULL))
    return FALSE;
  *value = (guint) parsed;
  return TRUE;
}

/* Returns: %TRUE if @name is present and a whole number */
gboolean
hs_sim_request_get_uint (HsSimRequest *req,
                         const char   *name,
                         guint        *value)
{
  return hs_sim_request_parse_uint (hs_sim_request_get (req, name), value);
}

/* Returns: %FALSE if @name is present but not a date */
gboolean
hs_sim_request_get_time (HsSimRequest *req,
                         const char   *name,
                         gint64       *ticks,
                         gboolean     *present)
{
  const char *value = hs_sim_request_get (req, name);

  *present = value != NULL;
  if (value == NULL)
    return TRUE;
  return hs_sim_time_parse (value, ticks);
}

/* A comma-separated list of ids; items that are not numbers are skipped,
 * as Halo ignores what it cannot bind.
 * Returns: (transfer full) (nullable): of guint, or %NULL without @name */
GArray *
hs_sim_request_get_uint_list (HsSimRequest *req,
                              const char   *name)
{
  const char *value = hs_sim_request_get (req, name);
  g_auto(GStrv) items = NULL;
  GArray *list;

  if (value == NULL)
    return NULL;

  list = g_array_new (FALSE, FALSE, sizeof (guint));
  items = g_strsplit (value, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      guint id;

      if (hs_sim_request_parse_uint (g_strstrip (items[i]), &id))
        g_array_append_val (list, id);
    }
  return list;
}

void
hs_sim_request_set_json (HsSimRequest *req,
                         guint         status,
                         JsonNode     *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  req->status = status;
  req->content_type = "application/json; charset=utf-8";
  g_string_assign (req->body, text);
}

/* Halo answers a failed request with a .NET exception object; the text
 * is English wire data, like Halo's, not a translated message. */
void
hs_sim_request_set_error (HsSimRequest *req,
                          guint         status,
                          const char   *format,
                          ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ClassName");
  json_builder_add_string_value (builder, status >= 500 ? "System.Exception" : "System.ArgumentException");
  json_builder_set_member_name (builder, "Message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  hs_sim_request_set_json (req, status, node);
}
