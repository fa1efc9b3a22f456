/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libpq-fe.h>

#include <halosync.h>

#include "hs-gda-pq.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/* A PostgreSQL connection through libpq alone, for a database behind a
 * transaction pooler (PgBouncer, Supabase's port 6543).
 *
 * Such a pooler hands each transaction to whichever server connection
 * is free, so nothing may outlive a transaction on the server: libgda
 * 5.2 prepares every statement under a name (“psc5”) and runs it later
 * by that name, which then fails on another server connection, and
 * leaves it behind where another client's statement of the same name
 * collides with it.  Here every statement goes as the unnamed statement
 * (PQexecParams: parse, bind and execute in one round trip), whose
 * values travel apart from the SQL text just as prepared ones do. */
struct _HsGdaPq
{
  PGconn *conn;
};

static void
set_error_from_message (GError    **error,
                        const char *message)
{
  g_autofree char *text = g_strdup (message != NULL && *message != '\0'
                                      ? message
                                      : _("the database reported a failure without a reason"));

  g_set_error_literal (error, HS_ERROR, HS_ERROR_DATABASE, g_strstrip (text));
}

/* Connects as the URI says; libpq's own defaults (PGHOST, PGPASSWORD,
 * ~/.pgpass) fill what it leaves out, as on libgda's path. */
HsGdaPq *
hs_gda_pq_connect (const HsGdaUri *uri,
                   const char     *password,
                   GError        **error)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  g_autofree char *port = uri->port > 0 ? g_strdup_printf ("%d", uri->port) : NULL;
  g_autofree char *timeout = g_strdup_printf ("%u", uri->connect_timeout);
  g_autoptr(HsGdaPq) self = g_new0 (HsGdaPq, 1);

#define ADD(key, value) \
  G_STMT_START { \
    if ((value) != NULL) \
      { \
        g_ptr_array_add (keys, (gpointer) (key)); \
        g_ptr_array_add (values, (gpointer) (value)); \
      } \
  } G_STMT_END

  ADD ("host", uri->host);
  ADD ("port", port);
  ADD ("user", uri->user);
  ADD ("password", password != NULL && *password != '\0' ? password : NULL);
  ADD ("dbname", uri->database);
  ADD ("sslmode", uri->sslmode);
  ADD ("connect_timeout", timeout);
  /* A pooler passes these from the startup packet to every server
   * connection it lends; a SET would stay behind on one of them. */
  ADD ("application_name", "HaloSync");
  ADD ("client_encoding", "UTF8");
  for (guint i = 0; uri->libpq_params != NULL && i + 1 < uri->libpq_params->len; i += 2)
    ADD (g_ptr_array_index (uri->libpq_params, i), g_ptr_array_index (uri->libpq_params, i + 1));

#undef ADD

  g_ptr_array_add (keys, NULL);
  g_ptr_array_add (values, NULL);

  self->conn = PQconnectdbParams ((const char * const *) keys->pdata, (const char * const *) values->pdata, 0);
  if (self->conn == NULL)
    {
      set_error_from_message (error, _("out of memory"));
      return NULL;
    }
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      set_error_from_message (error, PQerrorMessage (self->conn));
      return NULL;
    }

  return g_steal_pointer (&self);
}

void
hs_gda_pq_free (HsGdaPq *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->conn, PQfinish);
  g_free (self);
}

/* Reads libpq's text form of a cell as @type, the way libgda would
 * have handed it over. */
static gboolean
cell_to_value (const char *text,
               GType       type,
               GValue     *value,
               GError    **error)
{
  char *end = NULL;

  g_value_init (value, type);
  if (type == G_TYPE_INT64)
    {
      g_value_set_int64 (value, g_ascii_strtoll (text, &end, 10));
    }
  else if (type == G_TYPE_DOUBLE)
    {
      g_value_set_double (value, g_ascii_strtod (text, &end));
    }
  else
    {
      g_value_set_string (value, text);
      return TRUE;
    }

  if (end == text || *end != '\0')
    {
      g_set_error (error, HS_ERROR, HS_ERROR_DATABASE, _("The database answered “%s” where a number was expected"), text);
      g_value_unset (value);
      return FALSE;
    }
  return TRUE;
}

static GdaDataModel *
result_to_model (PGresult    *result,
                 const GType *types,
                 GError     **error)
{
  int n_columns = PQnfields (result);
  int n_rows = PQntuples (result);
  g_autofree GType *column_types = g_new (GType, MAX (n_columns, 1));
  g_autoptr(GObject) model = NULL;
  gboolean types_ended = types == NULL;

  for (int c = 0; c < n_columns; c++)
    {
      types_ended = types_ended || types[c] == G_TYPE_NONE;
      column_types[c] = types_ended ? G_TYPE_STRING : types[c];
    }
  model = G_OBJECT (gda_data_model_array_new_with_g_types_v (n_columns, column_types));

  for (int r = 0; r < n_rows; r++)
    {
      GList *cells = NULL;
      gboolean ok = TRUE;

      for (int c = n_columns - 1; c >= 0 && ok; c--)
        {
          GValue *value = g_new0 (GValue, 1);

          if (PQgetisnull (result, r, c))
            g_value_init (value, GDA_TYPE_NULL);
          else
            ok = cell_to_value (PQgetvalue (result, r, c), column_types[c], value, error);
          cells = g_list_prepend (cells, value);
        }
      ok = ok && gda_data_model_append_values (GDA_DATA_MODEL (model), cells, error) >= 0;
      g_list_free_full (cells, (GDestroyNotify) gda_value_free);
      if (!ok)
        return NULL;
    }

  return GDA_DATA_MODEL (g_steal_pointer (&model));
}

/* Runs @sql, with $1, $2, … standing for @values (strings; %NULL is
 * SQL NULL).  A query's rows come back in @rows, each column read as
 * @types gives (%G_TYPE_NONE-terminated, text after its end); a
 * statement's count of rows changed in @affected. */
gboolean
hs_gda_pq_execute (HsGdaPq       *self,
                   const char    *sql,
                   GPtrArray     *values,
                   const GType   *types,
                   GdaDataModel **rows,
                   int           *affected,
                   GError       **error)
{
  g_autoptr(PGresult) result = NULL;
  const char *changed;

  result = PQexecParams (self->conn, sql, values != NULL ? (int) values->len : 0, NULL,
                         values != NULL ? (const char * const *) values->pdata : NULL, NULL, NULL, 0);
  switch (PQresultStatus (result))
    {
    case PGRES_TUPLES_OK:
      if (rows != NULL)
        {
          *rows = result_to_model (result, types, error);
          return *rows != NULL;
        }
      return TRUE;

    case PGRES_COMMAND_OK:
      changed = PQcmdTuples (result);
      if (affected != NULL)
        *affected = *changed != '\0' ? atoi (changed) : 0;
      /* A query that turned out to return nothing, such as a SET. */
      if (rows != NULL)
        *rows = gda_data_model_array_new (0);
      return TRUE;

    default:
      set_error_from_message (error, result != NULL ? PQresultErrorMessage (result) : PQerrorMessage (self->conn));
      return FALSE;
    }
}
