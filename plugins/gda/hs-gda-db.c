/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <sql-parser/gda-sql-parser.h>
#include <string.h>

#include "hs-gda-db.h"
#include "hs-gda-pq.h"

/* How long an SQLite statement waits for another program's write lock
 * before failing with %HS_ERROR_BUSY: other programs' transactions are
 * short, except a sync's, and a write from the app or the command line
 * answers within a second rather than waiting for a whole sync. */
#define SQLITE_BUSY_TIMEOUT_MS 1000

/* One open libgda connection and the statements prepared on it.  It
 * belongs to the sink's worker thread and is only ever used there.
 *
 * Statements are parsed in libgda's “delimit” mode: the SQL goes to the
 * database as written, with only the ##parameters replaced.  The full
 * parser rewrites what it understands — `NOT EXISTS (SELECT ...)` comes
 * out as `NOT exists ((SELECT ...))`, which SQLite rejects — and every
 * statement here is already written for its provider.  Transactions are
 * plain BEGIN/COMMIT statements for the same reason, which also keeps
 * libgda from recording each statement of a long run in its transaction
 * status (a list that every later statement walks).
 *
 * Behind a transaction pooler the statements go through libpq instead
 * (see hs-gda-pq.c): libgda still parses them and names their
 * parameters, and renders each once with $1, $2, … in their places. */
struct _HsGdaDb
{
  HsGdaUri *uri;                /* (owned) */
  char *password;               /* (owned) (nullable): scrubbed from messages */
  const HsGdaDialect *dialect;
  GdaConnection *connection;    /* (owned) (nullable): libgda's path */
  HsGdaPq *pq;                  /* (owned) (nullable): the pooler's path */
  GHashTable *rendered;         /* (owned) (nullable): GdaStatement → Rendered, on the pooler's path */
  GdaSqlParser *parser;         /* (owned) */
  GHashTable *statements;       /* (owned): SQL text → GdaStatement */
  GHashTable *prepared;         /* (owned): statements run at least once */
  GdaStatement *probe;          /* (nullable): PostgreSQL, see check_alive() */
  gboolean in_transaction;
  GError *failure;              /* (owned) (nullable): why the open transaction is dead */
};

/* A statement as the pooler's path sends it: its SQL with $N for the
 * N-th parameter, and the name of the parameter each $N takes. */
typedef struct
{
  char *sql;
  GPtrArray *names;
} Rendered;

static void
rendered_free (Rendered *rendered)
{
  g_free (rendered->sql);
  g_ptr_array_unref (rendered->names);
  g_free (rendered);
}

/* The statement set_up_session() runs first; run again, it checks that
 * a PostgreSQL connection is still alive. */
#define PROBE_SQL "SET application_name TO 'HaloSync'"

static void
ensure_gda_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      gda_init ();
      g_once_init_leave (&initialized, 1);
    }
}

/* SQLite's only ways of saying another connection holds the lock. */
static gboolean
is_sqlite_busy (HsGdaDb    *self,
                const char *message)
{
  return self->uri->provider == HS_GDA_PROVIDER_SQLITE &&
         (strstr (message, "database is locked") != NULL || strstr (message, "database is busy") != NULL);
}

/* Turns a libgda error into an %HS_ERROR_DATABASE one whose text can be
 * shown: libpq's messages end in newlines, and no message may carry the
 * password.  SQLite's lock is %HS_ERROR_BUSY: the caller can retry.
 *
 * A statement that fails inside a transaction kills the transaction:
 * PostgreSQL refuses everything after it until a rollback, and SQLite
 * may already have rolled it back by itself (a full disk, for one),
 * after which the next statement would run and commit on its own.  So
 * the first failure is kept, and every later statement of the
 * transaction fails with it without reaching the database. */
static void
set_database_error (HsGdaDb *self,
                    GError **error,
                    GError  *gda_error)
{
  g_autofree char *message = NULL;
  g_autoptr(GError) local_error = NULL;

  if (gda_error != NULL && g_error_matches (gda_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      local_error = gda_error;
    }
  else
    {
      message = hs_gda_scrub_secret (gda_error != NULL && gda_error->message != NULL
                                       ? gda_error->message
                                       : _("the database reported a failure without a reason"),
                                     self->password);
      g_strstrip (message);
      g_clear_error (&gda_error);
      if (is_sqlite_busy (self, message))
        local_error = g_error_new (HS_ERROR, HS_ERROR_BUSY,
                                   _("Another program is writing to %s; try again when it has finished"),
                                   self->uri->path);
      else
        local_error = g_error_new_literal (HS_ERROR, HS_ERROR_DATABASE, message);
    }

  if (self->in_transaction && self->failure == NULL)
    self->failure = g_error_copy (local_error);
  g_propagate_error (error, g_steal_pointer (&local_error));
}

/* Refuses a statement of a transaction an earlier statement killed. */
static gboolean
check_transaction (HsGdaDb *self,
                   GError **error)
{
  if (self->failure == NULL)
    return TRUE;

  g_set_error (error, self->failure->domain, self->failure->code,
               _("%s (nothing more was written after this)"), self->failure->message);
  return FALSE;
}

static const char *
default_pg_user (void)
{
  const char *user = g_getenv ("PGUSER");

  return user != NULL && *user != '\0' ? user : g_get_user_name ();
}

/* Makes the URI's schema the one every unqualified name resolves to, and
 * where new tables go: for the session (@local %FALSE), or for the open
 * transaction only.  Nothing else is searched, so a table of the same
 * name in public is never read or written by mistake. */
static gboolean
set_search_path (HsGdaDb *self,
                 gboolean local,
                 GError **error)
{
  g_autoptr(GdaDataModel) set = NULL;

  set = hs_gda_db_query (self,
                         local ? "SELECT pg_catalog.set_config('search_path', ##schema::string, true)"
                               : "SELECT pg_catalog.set_config('search_path', ##schema::string, false)",
                         (const GType[]) { G_TYPE_STRING, G_TYPE_NONE }, error,
                         "schema", self->uri->schema, NULL);
  return set != NULL;
}

static gboolean
set_up_session (HsGdaDb *self,
                GError **error)
{
  g_autoptr(GdaDataModel) mode = NULL;
  g_autofree char *busy = NULL;

  /* The pooler's path names the application when it connects, and sets
   * the schema in each transaction. */
  if (self->pq != NULL)
    return TRUE;

  if (self->uri->provider == HS_GDA_PROVIDER_POSTGRESQL)
    {
      if (!hs_gda_db_exec (self, PROBE_SQL, NULL, error, NULL))
        return FALSE;
      self->probe = hs_gda_db_prepare (self, PROBE_SQL, error);
      return self->probe != NULL && (self->uri->schema == NULL || set_search_path (self, FALSE, error));
    }

  /* WAL lets dashboards and a second connection read the last committed
   * state while a run writes; in the default rollback journal a writer
   * that spills its cache locks readers out.  libgda's SQLite provider
   * steps a statement only when its rows are read, so the answer is read
   * (and checked) or the pragma never runs. */
  mode = hs_gda_db_query (self, "PRAGMA journal_mode = WAL", (const GType[]) { G_TYPE_STRING, G_TYPE_NONE },
                          error, NULL);
  if (mode == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (hs_gda_model_get_string (mode, 0, 0) != NULL ? hs_gda_model_get_string (mode, 0, 0) : "",
                          "wal") != 0)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_DATABASE,
                   _("SQLite cannot keep %s in write-ahead-log mode (it stays in “%s” mode), so dashboards would be "
                     "locked out during syncs; keep the database on a local disk"),
                   self->uri->path, hs_gda_model_get_string (mode, 0, 0));
      return FALSE;
    }

  busy = g_strdup_printf ("PRAGMA busy_timeout = %d", SQLITE_BUSY_TIMEOUT_MS);
  g_clear_object (&mode);
  mode = hs_gda_db_query (self, busy, (const GType[]) { G_TYPE_INT64, G_TYPE_NONE }, error, NULL);
  if (mode == NULL)
    return FALSE;
  if (hs_gda_model_get_int (mode, 0, 0) != SQLITE_BUSY_TIMEOUT_MS)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_DATABASE, _("SQLite refused a lock timeout for %s"), self->uri->path);
      return FALSE;
    }
  return TRUE;
}

/* Connects to the database @uri names.  @password, if any, overrides
 * the one in the URI. */
HsGdaDb *
hs_gda_db_open (const HsGdaUri *uri,
                const char     *password,
                GError        **error)
{
  g_autoptr(HsGdaDb) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *cnc_string = NULL;
  g_autofree char *auth_string = NULL;

  g_return_val_if_fail (uri != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ensure_gda_init ();

  self = g_new0 (HsGdaDb, 1);
  self->uri = hs_gda_uri_copy (uri);
  self->password = g_strdup (password != NULL ? password : uri->password);
  self->dialect = hs_gda_dialect_get (uri->provider);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->prepared = g_hash_table_new (NULL, NULL);

  if (uri->pooled)
    {
      self->pq = hs_gda_pq_connect (uri, self->password, &local_error);
      self->rendered = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) rendered_free);
    }
  else
    {
      cnc_string = hs_gda_uri_dup_cnc_string (uri);
      auth_string = hs_gda_uri_dup_auth_string (uri, self->password);
      self->connection = gda_connection_open_from_string (hs_gda_uri_get_provider_name (uri),
                                                          cnc_string, auth_string,
                                                          GDA_CONNECTION_OPTIONS_NONE,
                                                          &local_error);
    }
  if (self->connection == NULL && self->pq == NULL)
    {
      g_autofree char *location = hs_gda_uri_dup_location (uri);
      g_autofree char *reason = hs_gda_scrub_secret (local_error != NULL ? local_error->message : "",
                                                     self->password);

      g_strstrip (reason);
      if (uri->provider == HS_GDA_PROVIDER_SQLITE)
        g_set_error (error, HS_ERROR, HS_ERROR_DATABASE,
                     _("Cannot open the SQLite database %s: %s"), location, reason);
      else
        g_set_error (error, HS_ERROR, HS_ERROR_DATABASE,
                     _("Cannot connect to PostgreSQL at %s as %s: %s"),
                     location, uri->user != NULL ? uri->user : default_pg_user (), reason);
      return NULL;
    }

  if (self->connection != NULL)
    self->parser = gda_connection_create_parser (self->connection);
  if (self->parser == NULL)
    self->parser = gda_sql_parser_new ();
  g_object_set (self->parser, "mode", GDA_SQL_PARSER_MODE_DELIMIT, NULL);

  if (!set_up_session (self, error))
    {
      g_prefix_error (error, _("Cannot set up the connection to %s: "), uri->display);
      return NULL;
    }

  return g_steal_pointer (&self);
}

void
hs_gda_db_free (HsGdaDb *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->prepared, g_hash_table_unref);
  g_clear_pointer (&self->rendered, g_hash_table_unref);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->pq, hs_gda_pq_free);
  g_clear_object (&self->parser);
  if (self->connection != NULL)
    gda_connection_close (self->connection);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->uri, hs_gda_uri_free);
  g_clear_error (&self->failure);
  g_free (self->password);
  g_free (self);
}

const HsGdaDialect *
hs_gda_db_get_dialect (HsGdaDb *self)
{
  return self->dialect;
}

const HsGdaUri *
hs_gda_db_get_uri (HsGdaDb *self)
{
  return self->uri;
}

HsGdaProvider
hs_gda_db_get_provider (HsGdaDb *self)
{
  return self->uri->provider;
}

/* Returns the statement for @sql, parsed once per connection so that
 * libgda also prepares it only once.
 *
 * Returns: (transfer none): the statement */
GdaStatement *
hs_gda_db_prepare (HsGdaDb    *self,
                   const char *sql,
                   GError    **error)
{
  GdaStatement *statement;
  GError *local_error = NULL;

  statement = g_hash_table_lookup (self->statements, sql);
  if (statement != NULL)
    return statement;

  statement = gda_sql_parser_parse_string (self->parser, sql, NULL, &local_error);
  if (statement == NULL)
    {
      set_database_error (self, error, local_error);
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), statement);
  return statement;
}

/* Returns a fresh parameter set for @statement.  Validation is turned
 * off: with it, each value set emits a chain of signals through the set,
 * which cost a quarter of a bulk upsert's time.
 *
 * Returns: (transfer full) (nullable): the parameters, or %NULL if the
 *   statement has none */
GdaSet *
hs_gda_db_new_params (HsGdaDb      *self,
                      GdaStatement *statement,
                      GError      **error)
{
  GdaSet *params = NULL;
  GError *local_error = NULL;

  if (!gda_statement_get_parameters (statement, &params, &local_error))
    {
      set_database_error (self, error, local_error);
      return NULL;
    }
  if (params == NULL)
    return NULL;

  g_object_set (params, "validate-changes", FALSE, NULL);
  for (GSList *l = params->holders; l != NULL; l = l->next)
    g_object_set (l->data, "validate-changes", FALSE, NULL);
  return params;
}

/* Returns a parameter set of string parameters called @names, as the
 * plugin's statements declare them (`##name::string::null`), with
 * validation off as for hs_gda_db_new_params().  Building it in one go
 * takes time linear in its size, where gda_statement_get_parameters()
 * adds holders one by one and rebuilds the set's groups after each:
 * quadratic, and the most of what preparing a 50-row upsert cost.
 *
 * Returns: (transfer full): the parameters */
GdaSet *
hs_gda_params_new (GPtrArray *names)
{
  g_autoptr(GSList) holders = NULL;
  GdaSet *params;

  for (guint i = names->len; i > 0; i--)
    {
      GdaHolder *holder = gda_holder_new (G_TYPE_STRING);

      g_object_set (holder,
                    "id", g_ptr_array_index (names, i - 1),
                    "not-null", FALSE,
                    "validate-changes", FALSE,
                    NULL);
      holders = g_slist_prepend (holders, holder);
    }

  params = gda_set_new (holders);
  g_object_set (params, "validate-changes", FALSE, NULL);
  g_slist_free_full (g_steal_pointer (&holders), g_object_unref);
  return params;
}

/* libgda 5.2's PostgreSQL provider crashes (it reads a NULL SQLSTATE)
 * when the first statement run on a connection that died since its last
 * use is one it has not prepared yet.  A statement it has prepared fails
 * cleanly there and leaves libpq knowing the connection is gone, after
 * which preparing fails cleanly too.  So a prepared statement goes before
 * each statement's first run: one extra round trip per statement and
 * connection. */
static gboolean
check_alive (HsGdaDb      *self,
             GdaStatement *statement,
             GError      **error)
{
  GError *local_error = NULL;

  if (self->probe == NULL || g_hash_table_contains (self->prepared, statement))
    return TRUE;

  gda_connection_statement_execute_non_select (self->connection, self->probe, NULL, NULL, &local_error);
  if (local_error != NULL)
    {
      set_database_error (self, error, local_error);
      return FALSE;
    }

  g_hash_table_add (self->prepared, statement);
  return TRUE;
}

static Rendered *
render (HsGdaDb      *self,
        GdaStatement *statement,
        GdaSet       *params,
        GError      **error)
{
  Rendered *rendered = g_hash_table_lookup (self->rendered, statement);
  g_autoptr(GSList) used = NULL;
  GError *local_error = NULL;
  char *sql;

  if (rendered != NULL)
    return rendered;

  sql = gda_statement_to_sql_extended (statement, NULL, params, GDA_STATEMENT_SQL_PARAMS_AS_DOLLAR, &used,
                                       &local_error);
  if (sql == NULL)
    {
      set_database_error (self, error, local_error);
      return NULL;
    }

  rendered = g_new0 (Rendered, 1);
  rendered->sql = sql;
  rendered->names = g_ptr_array_new_with_free_func (g_free);
  for (GSList *l = used; l != NULL; l = l->next)
    g_ptr_array_add (rendered->names, g_strdup (gda_holder_get_id (l->data)));
  g_hash_table_insert (self->rendered, statement, rendered);
  return rendered;
}

/* Runs @statement on the pooler's path, with its parameters' values as
 * text (every parameter of the plugin's statements is a string). */
static gboolean
pq_execute (HsGdaDb       *self,
            GdaStatement  *statement,
            GdaSet        *params,
            const GType   *types,
            GdaDataModel **rows,
            int           *affected,
            GError       **error)
{
  Rendered *rendered = render (self, statement, params, error);
  g_autoptr(GPtrArray) values = NULL;
  g_autoptr(GPtrArray) stringified = NULL;
  GError *local_error = NULL;

  if (rendered == NULL)
    return FALSE;

  values = g_ptr_array_sized_new (rendered->names->len);
  stringified = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < rendered->names->len; i++)
    {
      GdaHolder *holder = gda_set_get_holder (params, g_ptr_array_index (rendered->names, i));
      const GValue *value = holder != NULL ? gda_holder_get_value (holder) : NULL;

      if (value == NULL || G_VALUE_TYPE (value) == GDA_TYPE_NULL)
        g_ptr_array_add (values, NULL);
      else if (G_VALUE_HOLDS_STRING (value))
        g_ptr_array_add (values, (gpointer) g_value_get_string (value));
      else
        {
          char *text = gda_value_stringify (value);

          g_ptr_array_add (stringified, text);
          g_ptr_array_add (values, text);
        }
    }

  if (!hs_gda_pq_execute (self->pq, rendered->sql, values, types, rows, affected, &local_error))
    {
      set_database_error (self, error, local_error);
      return FALSE;
    }
  return TRUE;
}

/* Runs @statement on the pooler's path in the URI's schema.  A pooler
 * lends each transaction whichever server session is free, so a schema
 * set for the session would stay behind for another client and be
 * missing for the next transaction: hs_gda_db_begin() sets it for each
 * transaction, and a statement outside one gets a transaction of its
 * own. */
static gboolean
pq_execute_in_schema (HsGdaDb       *self,
                      GdaStatement  *statement,
                      GdaSet        *params,
                      const GType   *types,
                      GdaDataModel **rows,
                      int           *affected,
                      GError       **error)
{
  if (self->uri->schema == NULL || self->in_transaction)
    return pq_execute (self, statement, params, types, rows, affected, error);

  if (!hs_gda_db_begin (self, error))
    return FALSE;
  if (!pq_execute (self, statement, params, types, rows, affected, error))
    {
      hs_gda_db_rollback (self, NULL);
      return FALSE;
    }
  if (!hs_gda_db_commit (self, error))
    {
      hs_gda_db_rollback (self, NULL);
      if (rows != NULL)
        g_clear_object (rows);
      return FALSE;
    }
  return TRUE;
}

/* Runs a statement that returns no rows. */
gboolean
hs_gda_db_run (HsGdaDb      *self,
               GdaStatement *statement,
               GdaSet       *params,
               int          *affected,
               GError      **error)
{
  GError *local_error = NULL;
  int n = 0;

  if (!check_transaction (self, error))
    return FALSE;
  if (self->pq != NULL)
    {
      if (!pq_execute_in_schema (self, statement, params, NULL, NULL, &n, error))
        return FALSE;
      if (affected != NULL)
        *affected = n;
      return TRUE;
    }
  if (!check_alive (self, statement, error))
    return FALSE;

  n = gda_connection_statement_execute_non_select (self->connection, statement, params,
                                                   NULL, &local_error);
  /* libgda returns -1 with no error for statements that change no rows,
   * such as DDL: only the error tells failure. */
  if (local_error != NULL)
    {
      set_database_error (self, error, local_error);
      return FALSE;
    }

  if (affected != NULL)
    *affected = MAX (n, 0);
  return TRUE;
}

/* Runs a query and reads all its rows, each column as the GType @types
 * gives (%G_TYPE_NONE-terminated; see hs_gda_dialect_get_read_type()).
 *
 * Returns: (transfer full) (nullable): the rows */
GdaDataModel *
hs_gda_db_select (HsGdaDb      *self,
                  GdaStatement *statement,
                  GdaSet       *params,
                  const GType  *types,
                  GError      **error)
{
  GError *local_error = NULL;
  GdaDataModel *model;

  if (!check_transaction (self, error))
    return NULL;
  if (self->pq != NULL)
    return pq_execute_in_schema (self, statement, params, types, &model, NULL, error) ? model : NULL;
  if (!check_alive (self, statement, error))
    return NULL;

  model = gda_connection_statement_execute_select_full (self->connection, statement, params,
                                                        GDA_STATEMENT_MODEL_RANDOM_ACCESS,
                                                        (GType *) types, &local_error);
  if (model == NULL)
    set_database_error (self, error, local_error);
  return model;
}

static GdaSet *
params_from_va_list (HsGdaDb      *self,
                     GdaStatement *statement,
                     va_list       args,
                     GError      **error)
{
  g_autoptr(GdaSet) params = NULL;
  const char *name;

  params = hs_gda_db_new_params (self, statement, error);
  if (params == NULL)
    {
      g_assert (va_arg (args, const char *) == NULL);
      return NULL;
    }

  while ((name = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);
      GdaHolder *holder = gda_set_get_holder (params, name);

      g_assert (holder != NULL);
      if (!hs_gda_holder_set_string (holder, value, error))
        return NULL;
    }

  return g_steal_pointer (&params);
}

/* Runs @sql, which returns no rows, with its parameters given as
 * name/value string pairs ending in %NULL; a %NULL value is SQL NULL. */
gboolean
hs_gda_db_exec (HsGdaDb    *self,
                const char *sql,
                int        *affected,
                GError    **error,
                ...)
{
  g_autoptr(GdaSet) params = NULL;
  g_autoptr(GError) local_error = NULL;
  GdaStatement *statement;
  va_list args;

  statement = hs_gda_db_prepare (self, sql, error);
  if (statement == NULL)
    return FALSE;

  va_start (args, error);
  params = params_from_va_list (self, statement, args, &local_error);
  va_end (args);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return hs_gda_db_run (self, statement, params, affected, error);
}

/* Runs the query @sql with name/value string parameters as for
 * hs_gda_db_exec(), reading columns as @types.
 *
 * Returns: (transfer full) (nullable): the rows */
GdaDataModel *
hs_gda_db_query (HsGdaDb     *self,
                 const char  *sql,
                 const GType *types,
                 GError     **error,
                 ...)
{
  g_autoptr(GdaSet) params = NULL;
  g_autoptr(GError) local_error = NULL;
  GdaStatement *statement;
  va_list args;

  statement = hs_gda_db_prepare (self, sql, error);
  if (statement == NULL)
    return NULL;

  va_start (args, error);
  params = params_from_va_list (self, statement, args, &local_error);
  va_end (args);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return hs_gda_db_select (self, statement, params, types, error);
}

/* Opens a transaction.  On SQLite it takes the write lock at once: a
 * transaction that first reads and later writes can be refused the lock
 * without waiting, and a run would then fail half-way. */
gboolean
hs_gda_db_begin (HsGdaDb *self,
                 GError **error)
{
  g_return_val_if_fail (!self->in_transaction, FALSE);

  /* Open before BEGIN runs, or the pooler's path would give BEGIN a
   * transaction of its own (see pq_execute_in_schema()). */
  self->in_transaction = TRUE;
  if (!hs_gda_db_exec (self, self->uri->provider == HS_GDA_PROVIDER_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN",
                       NULL, error, NULL))
    {
      self->in_transaction = FALSE;
      g_clear_error (&self->failure);
      return FALSE;
    }

  if (self->pq != NULL && self->uri->schema != NULL && !set_search_path (self, TRUE, error))
    {
      hs_gda_db_rollback (self, NULL);
      return FALSE;
    }
  return TRUE;
}

gboolean
hs_gda_db_commit (HsGdaDb *self,
                  GError **error)
{
  g_return_val_if_fail (self->in_transaction, FALSE);

  if (!hs_gda_db_exec (self, "COMMIT", NULL, error, NULL))
    return FALSE;

  self->in_transaction = FALSE;
  return TRUE;
}

/* Rolls the open transaction back.  Whatever the result, no transaction
 * is open afterwards: if ROLLBACK itself fails the connection is gone or
 * unusable, and the caller drops it, which rolls back on the server. */
gboolean
hs_gda_db_rollback (HsGdaDb *self,
                    GError **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (self->in_transaction, FALSE);

  /* Still open while ROLLBACK runs, as for BEGIN; only the failure that
   * killed the transaction is forgotten, so that ROLLBACK may run. */
  g_clear_error (&self->failure);
  ok = hs_gda_db_exec (self, "ROLLBACK", NULL, &local_error, NULL);
  self->in_transaction = FALSE;
  g_clear_error (&self->failure);
  if (ok)
    return TRUE;

  /* After some failures (a full disk) SQLite has rolled back on its own,
   * and there is nothing left to end. */
  if (self->uri->provider == HS_GDA_PROVIDER_SQLITE && strstr (local_error->message, "no transaction") != NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

gboolean
hs_gda_db_in_transaction (HsGdaDb *self)
{
  return self->in_transaction;
}

/* Sets a parameter; every parameter of the plugin's statements is a
 * string (see hs-gda-dialect.c), and %NULL is SQL NULL. */
gboolean
hs_gda_holder_set_string (GdaHolder  *holder,
                          const char *value,
                          GError    **error)
{
  GValue v = G_VALUE_INIT;

  g_value_init (&v, G_TYPE_STRING);
  g_value_set_static_string (&v, value);
  return gda_holder_set_value (holder, &v, error);
}

static const GValue *
model_value (GdaDataModel *model,
             int           column,
             int           row)
{
  const GValue *value = gda_data_model_get_value_at (model, column, row, NULL);

  if (value == NULL || G_VALUE_TYPE (value) == GDA_TYPE_NULL)
    return NULL;
  return value;
}

gboolean
hs_gda_model_is_null (GdaDataModel *model,
                      int           column,
                      int           row)
{
  return model_value (model, column, row) == NULL;
}

/* Reads an integer cell, whatever integer type libgda chose; NULL reads
 * as 0. */
gint64
hs_gda_model_get_int (GdaDataModel *model,
                      int           column,
                      int           row)
{
  const GValue *value = model_value (model, column, row);

  if (value == NULL)
    return 0;
  if (G_VALUE_HOLDS_INT64 (value))
    return g_value_get_int64 (value);
  if (G_VALUE_HOLDS_INT (value))
    return g_value_get_int (value);
  if (G_VALUE_HOLDS_BOOLEAN (value))
    return g_value_get_boolean (value) ? 1 : 0;
  if (G_VALUE_HOLDS_DOUBLE (value))
    return (gint64) g_value_get_double (value);
  if (G_VALUE_HOLDS_STRING (value) && g_value_get_string (value) != NULL)
    return g_ascii_strtoll (g_value_get_string (value), NULL, 10);

  g_warning ("Cannot read a %s database value as an integer", G_VALUE_TYPE_NAME (value));
  return 0;
}

/* Reads a number cell; NULL reads as 0. */
double
hs_gda_model_get_double (GdaDataModel *model,
                         int           column,
                         int           row)
{
  const GValue *value = model_value (model, column, row);

  if (value == NULL)
    return 0.0;
  if (G_VALUE_HOLDS_DOUBLE (value))
    return g_value_get_double (value);
  if (G_VALUE_HOLDS_STRING (value) && g_value_get_string (value) != NULL)
    return g_ascii_strtod (g_value_get_string (value), NULL);
  return (double) hs_gda_model_get_int (model, column, row);
}

/* Reads a text cell; NULL reads as %NULL. */
const char *
hs_gda_model_get_string (GdaDataModel *model,
                         int           column,
                         int           row)
{
  const GValue *value = model_value (model, column, row);

  if (value == NULL || !G_VALUE_HOLDS_STRING (value))
    return NULL;
  return g_value_get_string (value);
}
