/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "hs-test-db.h"

/* A fresh, empty database per test, of either kind, as a sink URI.
 *
 * SQLite: a new file in the test's isolated directory.  PostgreSQL: a
 * new database `hs_test_<random>` on the server the PG* environment
 * names (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, as
 * pg_virtualenv exports them), dropped again when the test frees it.
 * Test programs run in parallel against one server, so no two tests
 * ever share a database.  Under tests/with-pgbouncer.sh the sink's URI
 * goes through the transaction pooler (HS_TEST_POOLER_PORT), while the
 * helper's own connections go to the server.
 *
 * The helper also reads the database over a connection of its own, as
 * a dashboard would: it sees only what the sink committed. */
struct _HsTestDb
{
  HsTestDbKind kind;
  char *name;                 /* the file, or the database name */
  char *uri;
  GdaConnection *admin;       /* (nullable): PostgreSQL, for CREATE/DROP DATABASE */
  GdaConnection *reader;      /* (nullable): opened on first use */
  GPtrArray *pool_neighbours; /* (nullable): GSubprocess, behind the pooler */
};

/* A pooler keeps a pool per database, so the clients that share the
 * sink's pool are started here: each runs a short transaction every
 * 10 ms for as long as the database lives. */
#define N_POOL_NEIGHBOURS 2

static GPtrArray *
start_pool_neighbours (const char *port,
                       const char *database)
{
  GPtrArray *neighbours = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < N_POOL_NEIGHBOURS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) psql = NULL;
      static const char script[] = "SELECT pg_sleep(0.01) \\watch 0.01\n";

      psql = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                 G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                               &error, "psql", "-h", "127.0.0.1", "-p", port, "-d", database, "-q", NULL);
      g_assert_no_error (error);
      g_output_stream_write_all (g_subprocess_get_stdin_pipe (psql), script, strlen (script), NULL, NULL, &error);
      g_assert_no_error (error);
      g_ptr_array_add (neighbours, g_steal_pointer (&psql));
    }
  return neighbours;
}

static void
stop_pool_neighbours (GPtrArray *neighbours)
{
  for (guint i = 0; i < neighbours->len; i++)
    {
      GSubprocess *psql = g_ptr_array_index (neighbours, i);

      g_subprocess_force_exit (psql);
      g_subprocess_wait (psql, NULL, NULL);
    }
  g_ptr_array_unref (neighbours);
}

static void
ensure_gda (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      gda_init ();
      g_once_init_leave (&initialized, 1);
    }
}

static const char *
pg_env (const char *name,
        const char *fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? value : fallback;
}

static char *
pg_cnc_string (const char *database)
{
  g_autofree char *host = gda_rfc1738_encode (pg_env ("PGHOST", "localhost"));
  g_autofree char *db = gda_rfc1738_encode (database);

  return g_strdup_printf ("HOST=%s;PORT=%s;DB_NAME=%s", host, pg_env ("PGPORT", "5432"), db);
}

static char *
pg_auth_string (void)
{
  g_autofree char *user = gda_rfc1738_encode (pg_env ("PGUSER", g_get_user_name ()));

  /* The password comes from PGPASSWORD, which libpq reads itself. */
  return g_strdup_printf ("USERNAME=%s", user);
}

static GdaConnection *
open_connection (const char *provider,
                 const char *cnc_string,
                 const char *auth_string)
{
  g_autoptr(GError) error = NULL;
  GdaConnection *connection;

  connection = gda_connection_open_from_string (provider, cnc_string, auth_string,
                                                GDA_CONNECTION_OPTIONS_NONE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (connection);
  return connection;
}

static GObject *
run_sql (GdaConnection *connection,
         const char    *sql,
         GError       **error)
{
  g_autoptr(GdaSqlParser) parser = gda_connection_create_parser (connection);
  g_autoptr(GdaStatement) statement = NULL;
  g_autoptr(GObject) result = NULL;
  g_autofree GType *types = NULL;
  gboolean narrowed = FALSE;
  int n_columns;

  if (parser == NULL)
    parser = gda_sql_parser_new ();
  /* As written: libgda's full parser rewrites some SQL it understands. */
  g_object_set (parser, "mode", GDA_SQL_PARSER_MODE_DELIMIT, NULL);

  statement = gda_sql_parser_parse_string (parser, sql, NULL, error);
  if (statement == NULL)
    return NULL;
  result = gda_connection_statement_execute (connection, statement, NULL,
                                             GDA_STATEMENT_MODEL_RANDOM_ACCESS, NULL, error);
  if (result == NULL || !GDA_IS_DATA_MODEL (result))
    return g_steal_pointer (&result);

  /* libgda reads a SQLite column declared INTEGER as a 32-bit gint and
   * turns every larger value (a timestamp in microseconds) into NULL; read
   * such columns again as 64-bit, so checksums and comparisons see them. */
  n_columns = gda_data_model_get_n_columns (GDA_DATA_MODEL (result));
  types = g_new0 (GType, n_columns + 1);
  for (int i = 0; i < n_columns; i++)
    {
      GdaColumn *column = gda_data_model_describe_column (GDA_DATA_MODEL (result), i);

      types[i] = gda_column_get_g_type (column);
      if (types[i] == G_TYPE_INT)
        {
          types[i] = G_TYPE_INT64;
          narrowed = TRUE;
        }
    }
  types[n_columns] = G_TYPE_NONE;
  if (!narrowed)
    return g_steal_pointer (&result);

  /* A statement keeps the column types it was first prepared with: a
   * new one takes the wider types. */
  g_clear_object (&result);
  g_clear_object (&statement);
  statement = gda_sql_parser_parse_string (parser, sql, NULL, error);
  if (statement == NULL)
    return NULL;
  return G_OBJECT (gda_connection_statement_execute_select_full (connection, statement, NULL,
                                                                 GDA_STATEMENT_MODEL_RANDOM_ACCESS,
                                                                 types, error));
}

static void
admin_exec (HsTestDb   *self,
            const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) result = run_sql (self->admin, sql, &error);

  g_assert_no_error (error);
}

static void
create_pg_database (HsTestDb *self)
{
  g_autofree char *cnc = pg_cnc_string (pg_env ("PGDATABASE", "postgres"));
  g_autofree char *auth = pg_auth_string ();
  g_autofree char *create = g_strdup_printf ("CREATE DATABASE %s", self->name);

  self->admin = open_connection ("PostgreSQL", cnc, auth);
  admin_exec (self, create);
}

/* Creates a fresh, empty database of @kind.  A PostgreSQL database needs
 * PGHOST; run the test through tests/with-postgresql.sh. */
HsTestDb *
hs_test_db_new (HsTestDbKind kind)
{
  HsTestDb *self = g_new0 (HsTestDb, 1);
  g_autofree char *id = g_strdup_printf ("%08x%08x", g_random_int (), g_random_int ());
  const char *pooler_port;

  ensure_gda ();
  self->kind = kind;

  if (kind == HS_TEST_DB_SQLITE)
    {
      g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "hs-test-db", NULL);
      g_autofree char *file = g_strdup_printf ("test-%s.db", id);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      self->name = g_build_filename (dir, file, NULL);
      self->uri = g_strconcat ("sqlite://", self->name, NULL);
      return self;
    }

  if (g_getenv ("PGHOST") == NULL)
    g_error ("PGHOST is not set: run PostgreSQL tests through tests/with-postgresql.sh");

  self->name = g_strdup_printf ("hs_test_%s", id);
  create_pg_database (self);
  pooler_port = g_getenv ("HS_TEST_POOLER_PORT");
  if (pooler_port != NULL)
    {
      g_autofree char *user = g_uri_escape_string (pg_env ("PGUSER", g_get_user_name ()), NULL, FALSE);

      self->uri = g_strdup_printf ("postgresql://%s@127.0.0.1:%s/%s?pgbouncer=true", user, pooler_port, self->name);
      self->pool_neighbours = start_pool_neighbours (pooler_port, self->name);
    }
  else
    self->uri = hs_test_db_dup_uri_as (self, pg_env ("PGUSER", g_get_user_name ()), NULL);
  return self;
}

/* Drops the database. */
void
hs_test_db_free (HsTestDb *self)
{
  if (self == NULL)
    return;

  if (self->reader != NULL)
    gda_connection_close (self->reader);
  g_clear_object (&self->reader);
  g_clear_pointer (&self->pool_neighbours, stop_pool_neighbours);

  if (self->kind == HS_TEST_DB_SQLITE)
    {
      static const char * const suffixes[] = { "", "-wal", "-shm", "-journal" };

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *file = g_strconcat (self->name, suffixes[i], NULL);

          g_remove (file);
        }
    }
  else
    {
      g_autofree char *drop = g_strdup_printf ("DROP DATABASE %s WITH (FORCE)", self->name);

      admin_exec (self, drop);
      gda_connection_close (self->admin);
      g_clear_object (&self->admin);
    }

  g_free (self->name);
  g_free (self->uri);
  g_free (self);
}

HsTestDbKind
hs_test_db_get_kind (HsTestDb *self)
{
  return self->kind;
}

/* The sink URI of the database: no password in it (PostgreSQL's comes
 * from PGPASSWORD). */
const char *
hs_test_db_get_uri (HsTestDb *self)
{
  return self->uri;
}

/* The SQLite file, or the PostgreSQL database name. */
const char *
hs_test_db_get_name (HsTestDb *self)
{
  return self->name;
}

/* The URI of the database for another PostgreSQL @user, with @password
 * in it when not %NULL; both are percent-encoded. */
char *
hs_test_db_dup_uri_as (HsTestDb   *self,
                       const char *user,
                       const char *password)
{
  g_autofree char *host = g_uri_escape_string (pg_env ("PGHOST", "localhost"), NULL, FALSE);
  g_autofree char *user_part = g_uri_escape_string (user, NULL, FALSE);
  g_autofree char *password_part = password != NULL ? g_uri_escape_string (password, NULL, FALSE) : NULL;

  g_assert_true (self->kind == HS_TEST_DB_POSTGRESQL);

  return g_strdup_printf ("postgresql://%s%s%s@%s:%s/%s",
                          user_part,
                          password_part != NULL ? ":" : "",
                          password_part != NULL ? password_part : "",
                          host, pg_env ("PGPORT", "5432"), self->name);
}

/* Opens a new connection to the database, independent of any sink. */
GdaConnection *
hs_test_db_connect (HsTestDb *self)
{
  if (self->kind == HS_TEST_DB_SQLITE)
    {
      g_autofree char *dir = g_path_get_dirname (self->name);
      g_autofree char *base = g_path_get_basename (self->name);
      g_autofree char *dir_part = gda_rfc1738_encode (dir);
      g_autofree char *base_part = gda_rfc1738_encode (base);
      g_autofree char *cnc = g_strdup_printf ("DB_DIR=%s;DB_NAME=%s;APPEND_DB_EXTENSION=FALSE",
                                              dir_part, base_part);

      return open_connection ("SQLite", cnc, NULL);
    }
  else
    {
      g_autofree char *cnc = pg_cnc_string (self->name);
      g_autofree char *auth = pg_auth_string ();

      return open_connection ("PostgreSQL", cnc, auth);
    }
}

static GdaConnection *
get_reader (HsTestDb *self)
{
  if (self->reader == NULL)
    self->reader = hs_test_db_connect (self);
  return self->reader;
}

/* Runs @sql on the helper's own connection and asserts it succeeds. */
void
hs_test_db_exec (HsTestDb   *self,
                 const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) result = run_sql (get_reader (self), sql, &error);

  g_assert_no_error (error);
}

/* Runs a query on the helper's own connection and returns its rows.
 *
 * Returns: (transfer full): the rows */
GdaDataModel *
hs_test_db_query (HsTestDb   *self,
                  const char *sql)
{
  g_autoptr(GError) error = NULL;
  GObject *result = run_sql (get_reader (self), sql, &error);

  g_assert_no_error (error);
  g_assert_true (GDA_IS_DATA_MODEL (result));
  return GDA_DATA_MODEL (result);
}

/* Runs a query returning one integer, such as a count. */
gint64
hs_test_db_query_int (HsTestDb   *self,
                      const char *sql)
{
  g_autoptr(GObject) model = G_OBJECT (hs_test_db_query (self, sql));
  const GValue *value;

  g_assert_cmpint (gda_data_model_get_n_rows (GDA_DATA_MODEL (model)), ==, 1);
  value = gda_data_model_get_value_at (GDA_DATA_MODEL (model), 0, 0, NULL);
  g_assert_nonnull (value);
  if (G_VALUE_HOLDS_INT64 (value))
    return g_value_get_int64 (value);
  if (G_VALUE_HOLDS_INT (value))
    return g_value_get_int (value);
  if (G_VALUE_TYPE (value) == GDA_TYPE_NULL)
    return 0;
  g_error ("“%s” returned a %s, not an integer", sql, G_VALUE_TYPE_NAME (value));
}

/* Runs a query returning one text value, or NULL. */
char *
hs_test_db_query_string (HsTestDb   *self,
                         const char *sql)
{
  g_autoptr(GObject) model = G_OBJECT (hs_test_db_query (self, sql));
  const GValue *value;

  g_assert_cmpint (gda_data_model_get_n_rows (GDA_DATA_MODEL (model)), ==, 1);
  value = gda_data_model_get_value_at (GDA_DATA_MODEL (model), 0, 0, NULL);
  g_assert_nonnull (value);
  if (G_VALUE_TYPE (value) == GDA_TYPE_NULL)
    return NULL;
  g_assert_true (G_VALUE_HOLDS_STRING (value));
  return g_value_dup_string (value);
}

static char *
value_to_text (const GValue *value)
{
  if (value == NULL || G_VALUE_TYPE (value) == GDA_TYPE_NULL)
    return g_strdup ("NULL");
  /* Every bit of a double counts: a checksum must see any change. */
  if (G_VALUE_HOLDS_DOUBLE (value))
    return g_strdup_printf ("%.17g", g_value_get_double (value));
  if (G_VALUE_HOLDS_STRING (value))
    return g_strdup_printf ("'%s'", g_value_get_string (value));
  return gda_value_stringify (value);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The rows @sql returns, in its order, each one string of its cells
 * joined by "|" as the checksum sees them. */
GPtrArray *
hs_test_db_rows (HsTestDb   *self,
                 const char *sql)
{
  g_autoptr(GObject) result = G_OBJECT (hs_test_db_query (self, sql));
  GdaDataModel *model = GDA_DATA_MODEL (result);
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  int n_rows = gda_data_model_get_n_rows (model);
  int n_columns = gda_data_model_get_n_columns (model);

  for (int row = 0; row < n_rows; row++)
    {
      GString *text = g_string_new (NULL);

      for (int column = 0; column < n_columns; column++)
        {
          g_autofree char *cell = value_to_text (gda_data_model_get_value_at (model, column, row, NULL));

          g_string_append_printf (text, "%s%s", column > 0 ? "|" : "", cell);
        }
      g_ptr_array_add (rows, g_string_free (text, FALSE));
    }
  return rows;
}

/* An MD5 over every column of every row of @tables, read through libgda
 * on the helper's own connection, in a row order of its own so that the
 * database's order does not matter. */
char *
hs_test_db_checksum (HsTestDb           *self,
                     const char * const *tables)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_MD5);

  for (const char * const *table = tables; *table != NULL; table++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s", *table);
      g_autoptr(GPtrArray) rows = hs_test_db_rows (self, sql);

      g_ptr_array_sort (rows, compare_rows);

      g_checksum_update (checksum, (const guchar *) *table, -1);
      for (guint i = 0; i < rows->len; i++)
        {
          g_checksum_update (checksum, (const guchar *) "\n", 1);
          g_checksum_update (checksum, g_ptr_array_index (rows, i), -1);
        }
    }

  return g_strdup (g_checksum_get_string (checksum));
}

const char *
hs_test_db_kind_to_string (HsTestDbKind kind)
{
  return kind == HS_TEST_DB_SQLITE ? "sqlite" : "postgresql";
}
