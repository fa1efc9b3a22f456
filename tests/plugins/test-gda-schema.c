/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "hs-gda-test.h"

/* Opening the gda sink: connecting, migrating, refusing what it must
 * refuse, and never showing a password. */

static void
test_migrate (HsTestDbKind kind)
{
  g_autoptr(HsTestDb) db = hs_test_db_new (kind);
  g_autoptr(HsSink) sink = hs_gda_test_open_sink (hs_test_db_get_uri (db));
  g_autoptr(HsSink) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_cmpint (hs_test_db_query_int (db, "SELECT count(*) FROM schema_version"), ==, 1);
  g_assert_cmpint (hs_test_db_query_int (db, "SELECT max(version) FROM schema_version"), ==, 1);
  for (guint i = 1; hs_gda_test_tables[i] != NULL; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", hs_gda_test_tables[i]);

      g_assert_cmpint (hs_test_db_query_int (db, sql), ==, 0);
    }
  before = hs_test_db_checksum (db, hs_gda_test_tables);

  /* Opening an open sink succeeds at once. */
  g_assert_true (hs_gda_test_open (sink, &error));
  g_assert_no_error (error);

  /* A second program opening the up-to-date database changes nothing,
   * not even the time the version was applied. */
  again = hs_gda_test_open_sink (hs_test_db_get_uri (db));
  after = hs_test_db_checksum (db, hs_gda_test_tables);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (hs_test_db_query_int (db, "SELECT count(*) FROM schema_version"), ==, 1);
}

static char **
list_columns (HsTestDb   *db,
              const char *table)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GdaDataModel) model = NULL;
  g_autofree char *sql = NULL;

  if (hs_test_db_get_kind (db) == HS_TEST_DB_SQLITE)
    sql = g_strdup_printf ("SELECT name FROM pragma_table_info('%s') ORDER BY cid", table);
  else
    sql = g_strdup_printf ("SELECT CAST(column_name AS text) FROM information_schema.columns"
                           " WHERE table_name = '%s' ORDER BY ordinal_position", table);

  model = hs_test_db_query (db, sql);
  for (int row = 0; row < gda_data_model_get_n_rows (model); row++)
    g_strv_builder_add (builder, g_value_get_string (gda_data_model_get_value_at (model, 0, row, NULL)));
  return g_strv_builder_end (builder);
}

/* The synced tables have exactly the engine's fields, in order, then
 * the sink's own columns: a field added to the engine without a
 * migration fails here. */
static void
test_columns (HsTestDbKind kind)
{
  g_autoptr(HsTestDb) db = hs_test_db_new (kind);
  g_autoptr(HsSink) sink = hs_gda_test_open_sink (hs_test_db_get_uri (db));

  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    {
      g_auto(GStrv) columns = list_columns (db, hs_stream_to_string (stream));
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) expected = NULL;
      const HsFieldInfo *fields;
      guint n_fields;

      fields = hs_stream_get_fields (stream, &n_fields);
      for (guint f = 0; f < n_fields; f++)
        g_strv_builder_add (builder, fields[f].name);
      if (hs_stream_get_window_field (stream) >= 0)
        g_strv_builder_add (builder, "fiscal_year");
      g_strv_builder_add (builder, "synced_at");
      g_strv_builder_add (builder, "deleted_at");
      expected = g_strv_builder_end (builder);

      g_assert_cmpstrv (columns, expected);
    }
}

static void
test_newer_version (HsTestDbKind kind)
{
  g_autoptr(HsTestDb) db = hs_test_db_new (kind);
  g_autoptr(HsSink) sink = hs_gda_test_open_sink (hs_test_db_get_uri (db));
  g_autoptr(HsSink) older = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  hs_test_db_exec (db, kind == HS_TEST_DB_SQLITE
                         ? "INSERT INTO schema_version VALUES (2, 0)"
                         : "INSERT INTO schema_version VALUES (2, now())");
  before = hs_test_db_checksum (db, hs_gda_test_tables);

  older = hs_gda_test_new_sink (hs_test_db_get_uri (db));
  g_assert_false (hs_gda_test_open (older, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, "schema version 2"));
  g_assert_nonnull (strstr (error->message, "update HaloSync"));

  after = hs_test_db_checksum (db, hs_gda_test_tables);
  g_assert_cmpstr (before, ==, after);
}

static void
assert_hidden (const char *message,
               const char *password)
{
  g_autofree char *encoded = g_uri_escape_string (password, NULL, FALSE);

  g_assert_null (strstr (message, password));
  g_assert_null (strstr (message, encoded));
}

/* A wrong password, or nothing listening: a database error that says
 * where and why, never the password. */
static void
test_connect_failure (HsTestDbKind kind)
{
  g_autoptr(HsTestDb) db = hs_test_db_new (kind);
  const char *password = "S3cret-wr0ng'pass\\word%x";
  g_autoptr(HsSink) sink = NULL;
  g_autoptr(HsSink) nowhere = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;

  if (kind == HS_TEST_DB_SQLITE)
    {
      /* SQLite has no password: a folder that cannot be made is its
       * failure to reach the database. */
      g_autofree char *blocker = g_build_filename (g_get_user_cache_dir (), "not-a-folder", NULL);

      g_assert_true (g_file_set_contents (blocker, "", 0, NULL));
      uri = g_strconcat ("sqlite://", blocker, "/halosync.db", NULL);
      sink = hs_gda_test_new_sink (uri);
      g_assert_false (hs_gda_test_open (sink, &error));
      g_assert_error (error, HS_ERROR, HS_ERROR_DATABASE);
      g_assert_nonnull (strstr (error->message, blocker));
      return;
    }

  uri = hs_test_db_dup_uri_as (db, g_getenv ("PGUSER"), password);
  sink = hs_gda_test_new_sink (uri);
  g_assert_false (hs_gda_test_open (sink, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_DATABASE);
  g_assert_true (g_str_has_prefix (error->message, "Cannot connect to PostgreSQL at "));
  g_assert_nonnull (strstr (error->message, "password authentication failed"));
  assert_hidden (error->message, password);
  g_assert_null (strstr (error->message, "wr0ng"));
  g_clear_error (&error);

  g_free (uri);
  uri = g_strdup_printf ("postgresql://%s:%s@127.0.0.1:1/%s", g_getenv ("PGUSER"), "n0where-pw",
                         hs_test_db_get_name (db));
  nowhere = hs_gda_test_new_sink (uri);
  g_assert_false (hs_gda_test_open (nowhere, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_DATABASE);
  g_assert_true (g_str_has_prefix (error->message, "Cannot connect to PostgreSQL at 127.0.0.1:1 as "));
  assert_hidden (error->message, "n0where-pw");
}

/* A login role with @password that may create tables in the test
 * database; roles belong to the whole cluster, so drop_role() removes it
 * and what it owns. */
static char *
create_role (HsTestDb   *db,
             const char *password)
{
  char *role = g_strdup_printf ("hs_test_role_%08x", g_random_int ());
  GString *literal = g_string_new (password);
  g_autofree char *create = NULL;
  g_autofree char *grant = NULL;

  /* standard_conforming_strings is on: only the quote is doubled. */
  g_string_replace (literal, "'", "''", 0);
  create = g_strdup_printf ("CREATE ROLE %s LOGIN PASSWORD '%s'", role, literal->str);
  grant = g_strdup_printf ("GRANT CREATE ON SCHEMA public TO %s", role);
  g_string_free (literal, TRUE);
  hs_test_db_exec (db, create);
  hs_test_db_exec (db, grant);
  return role;
}

static void
drop_role (HsTestDb   *db,
           const char *role)
{
  g_autofree char *owned = g_strdup_printf ("DROP OWNED BY %s", role);
  g_autofree char *drop = g_strdup_printf ("DROP ROLE %s", role);

  hs_test_db_exec (db, owned);
  hs_test_db_exec (db, drop);
}

/* A password with every character that needs quoting somewhere on its
 * way to libpq, given in the URI, percent-encoded as Supabase's
 * connection strings are. */
static void
test_password_in_uri (HsTestDbKind kind)
{
  g_autoptr(HsTestDb) db = hs_test_db_new (kind);
  const char *password = "p@ss:w'or\\d;x=y% z/?#";
  g_autoptr(HsSink) sink = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *role = NULL;
  g_autofree char *uri = NULL;

  if (kind == HS_TEST_DB_SQLITE)
    {
      uri = g_strdup_printf ("sqlite://user:%s@localhost%s", "p%40ss", hs_test_db_get_name (db));
      sink = hs_gda_test_new_sink (uri);
      g_assert_false (hs_gda_test_open (sink, &error));
      g_assert_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT);
      assert_hidden (error->message, "p@ss");
      g_assert_null (strstr (error->message, "p%40ss"));
      return;
    }

  role = create_role (db, password);
  uri = hs_test_db_dup_uri_as (db, role, password);
  sink = hs_gda_test_new_sink (uri);
  g_assert_true (hs_gda_test_open (sink, &error));
  g_assert_no_error (error);
  g_assert_cmpint (hs_test_db_query_int (db, "SELECT max(version) FROM schema_version"), ==, 1);
  g_clear_object (&sink);
  drop_role (db, role);
}

/* With no password in the URI, HALOSYNC_DB_PASSWORD (or the keyring)
 * gives it; one in the URI wins. */
static void
test_password_from_environment (HsTestDbKind kind)
{
  g_autoptr(HsTestDb) db = hs_test_db_new (kind);
  const char *password = "fr0m-the env'ironment";
  g_autofree char *role = create_role (db, password);
  g_autofree char *uri = hs_test_db_dup_uri_as (db, role, NULL);
  g_autofree char *wrong = hs_test_db_dup_uri_as (db, role, "not-it");
  g_autoptr(HsSink) sink = NULL;
  g_autoptr(HsSink) overridden = NULL;
  g_autoptr(GError) error = NULL;

  g_setenv ("HALOSYNC_DB_PASSWORD", password, TRUE);

  sink = hs_gda_test_new_sink (uri);
  g_assert_true (hs_gda_test_open (sink, &error));
  g_assert_no_error (error);
  g_clear_object (&sink);

  overridden = hs_gda_test_new_sink (wrong);
  g_assert_false (hs_gda_test_open (overridden, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_DATABASE);
  assert_hidden (error->message, password);
  assert_hidden (error->message, "not-it");
  g_clear_object (&overridden);

  g_unsetenv ("HALOSYNC_DB_PASSWORD");
  drop_role (db, role);
}

/* sslmode reaches libpq: what it asks for is what the connection gets,
 * whether or not the test server speaks TLS. */
static void
test_sslmode (HsTestDbKind kind)
{
  g_autoptr(HsTestDb) db = hs_test_db_new (kind);
  g_autoptr(HsSink) disabled = NULL;
  g_autoptr(HsSink) required = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *ssl = NULL;

  if (kind == HS_TEST_DB_SQLITE)
    {
      uri = g_strconcat (hs_test_db_get_uri (db), "?sslmode=require", NULL);
      disabled = hs_gda_test_new_sink (uri);
      g_assert_false (hs_gda_test_open (disabled, &error));
      g_assert_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT);
      return;
    }

  uri = g_strconcat (hs_test_db_get_uri (db), "?sslmode=disable", NULL);
  disabled = hs_gda_test_open_sink (uri);
  g_assert_cmpint (hs_test_db_query_int (db,
                                         "SELECT count(*) FROM pg_stat_ssl AS s"
                                         " JOIN pg_stat_activity AS a ON a.pid = s.pid"
                                         " WHERE a.application_name = 'HaloSync' AND a.datname = current_database()"
                                         " AND NOT s.ssl"), ==, 1);
  g_clear_object (&disabled);

  ssl = hs_test_db_query_string (db, "SELECT CAST(setting AS text) FROM pg_settings WHERE name = 'ssl'");
  g_free (uri);
  uri = g_strconcat (hs_test_db_get_uri (db), "?sslmode=require", NULL);
  required = hs_gda_test_new_sink (uri);
  if (g_strcmp0 (ssl, "on") == 0)
    {
      g_assert_true (hs_gda_test_open (required, &error));
      g_assert_no_error (error);
      g_assert_cmpint (hs_test_db_query_int (db,
                                             "SELECT count(*) FROM pg_stat_ssl AS s"
                                             " JOIN pg_stat_activity AS a ON a.pid = s.pid"
                                             " WHERE a.application_name = 'HaloSync' AND a.datname = current_database()"
                                             " AND s.ssl"), ==, 1);
    }
  else
    {
      g_assert_false (hs_gda_test_open (required, &error));
      g_assert_error (error, HS_ERROR, HS_ERROR_DATABASE);
      g_assert_nonnull (strstr (error->message, "SSL"));
    }
}

/* A connection of its own as @role, as a dashboard has. */
static GdaConnection *
connect_as (HsTestDb   *db,
            const char *role)
{
  GdaConnection *connection = hs_test_db_connect (db);
  g_autofree char *set_role = g_strdup_printf ("SET ROLE %s", role);
  g_autoptr(GError) error = NULL;

  gda_connection_execute_non_select_command (connection, set_role, &error);
  g_assert_no_error (error);
  return connection;
}

/* Whether the database allowed @sql; fails on any refusal but the one of
 * a missing privilege. */
static gboolean
allowed (GdaConnection *connection,
         const char    *sql)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (g_str_has_prefix (sql, "SELECT"))
    {
      g_autoptr(GdaDataModel) rows = gda_connection_execute_select_command (connection, sql, &error);

      ok = rows != NULL;
    }
  else
    ok = gda_connection_execute_non_select_command (connection, sql, &error) != -1;
  if (!ok)
    {
      g_assert_nonnull (error);
      if (strstr (error->message, "permission denied") == NULL)
        g_error ("%s failed for another reason: %s", sql, error->message);
    }
  return ok;
}

static const char * const dashboard_tables[] = {
  "agents", "teams", "clients", "tickets", "time_entries", "fiscal_years", "agent_mappings",
  "sync_runs", "member_month_summary", NULL
};

/* @prefix: "" for tables in public, or their schema and a dot. */
static void
assert_read_only (HsTestDb   *db,
                  const char *role,
                  const char *prefix)
{
  g_autoptr(GdaConnection) connection = connect_as (db, role);
  g_autofree char *update = g_strdup_printf ("UPDATE %stickets SET summary = 'x'", prefix);
  g_autofree char *select_year = g_strdup_printf ("SELECT label FROM %sfiscal_years WHERE label = 'FY2026'", prefix);
  g_autofree char *count_years = g_strdup_printf ("SELECT count(*) FROM %sfiscal_years", prefix);
  g_autofree char *select_state = g_strdup_printf ("SELECT count(*) FROM %ssync_state", prefix);
  g_autofree char *select_version = g_strdup_printf ("SELECT count(*) FROM %sschema_version", prefix);

  for (const char * const *table = dashboard_tables; *table != NULL; table++)
    {
      g_autofree char *select = g_strdup_printf ("SELECT count(*) FROM %s%s", prefix, *table);
      g_autofree char *insert = g_strdup_printf ("INSERT INTO %s%s DEFAULT VALUES", prefix, *table);
      g_autofree char *delete = g_strdup_printf ("DELETE FROM %s%s", prefix, *table);
      g_autofree char *truncate = g_strdup_printf ("TRUNCATE %s%s", prefix, *table);

      g_test_message ("%s on %s", role, *table);
      g_assert_true (allowed (connection, select));
      g_assert_false (allowed (connection, insert));
      g_assert_false (allowed (connection, delete));
      g_assert_false (allowed (connection, truncate));
    }
  g_assert_false (allowed (connection, update));
  /* What is synced shows, not an empty table. */
  g_assert_true (allowed (connection, select_year));
  g_assert_cmpint (hs_test_db_query_int (db, count_years), ==, 1);

  g_assert_false (allowed (connection, select_state));
  g_assert_false (allowed (connection, select_version));
  gda_connection_close (connection);
}

static void
assert_no_access (HsTestDb   *db,
                  const char *role,
                  const char *prefix)
{
  g_autoptr(GdaConnection) connection = connect_as (db, role);

  for (const char * const *table = hs_gda_test_tables; *table != NULL; table++)
    {
      g_autofree char *select = g_strdup_printf ("SELECT count(*) FROM %s%s", prefix, *table);
      g_autofree char *truncate = g_strdup_printf ("TRUNCATE %s%s", prefix, *table);

      g_assert_false (allowed (connection, select));
      g_assert_false (allowed (connection, truncate));
    }
  gda_connection_close (connection);
}

/* With @schema, HaloSync's tables are in a schema of their own, and
 * Supabase-like grants are made for new tables in every schema. */
static void
check_rls (HsTestDbKind kind,
           gboolean     supabase_grants,
           const char  *schema)
{
  g_autoptr(HsTestDb) db = hs_test_db_new (kind);
  g_autofree char *schema_param = schema != NULL ? g_strconcat ("&schema=", schema, NULL) : g_strdup ("");
  g_autofree char *uri = g_strconcat (hs_test_db_get_uri (db), "?rls=on", schema_param, NULL);
  g_autofree char *anon_uri = g_strconcat (hs_test_db_get_uri (db), "?rls=anon", schema_param, NULL);
  g_autofree char *prefix = g_strconcat (schema != NULL ? schema : "", schema != NULL ? "." : "", NULL);
  g_autofree char *count_secured = NULL;
  g_autoptr(HsSink) sink = NULL;
  g_autoptr(GError) error = NULL;
  gint64 readable = g_strv_length ((char **) dashboard_tables);

  if (kind == HS_TEST_DB_SQLITE)
    {
      sink = hs_gda_test_new_sink (uri);
      g_assert_false (hs_gda_test_open (sink, &error));
      g_assert_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT);
      return;
    }

  /* Roles belong to the whole cluster, which other tests share: create
   * Supabase's if missing, and leave them.  In this test's own database,
   * grant them everything on new tables, as a Supabase project does. */
  for (guint i = 0; i < 2; i++)
    {
      const char *role = (const char *[]) { "authenticated", "anon" }[i];
      g_autofree char *exists = g_strdup_printf ("SELECT count(*) FROM pg_roles WHERE rolname = '%s'", role);
      g_autofree char *create = g_strdup_printf ("CREATE ROLE %s NOLOGIN", role);

      if (hs_test_db_query_int (db, exists) == 0)
        hs_test_db_exec (db, create);
    }
  if (supabase_grants)
    hs_test_db_exec (db, schema != NULL
                           ? "ALTER DEFAULT PRIVILEGES GRANT ALL ON TABLES TO authenticated, anon"
                           : "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO authenticated, anon");

  sink = hs_gda_test_open_sink (uri);
  hs_gda_test_add_fiscal_year (sink, "FY2026", "2025-07-01", "2026-06-30");
  count_secured = g_strdup_printf ("SELECT count(*) FROM pg_class"
                                   " WHERE relnamespace = CAST(%s%s%s AS regnamespace)"
                                   " AND relkind = 'r' AND relrowsecurity",
                                   schema != NULL ? "'" : "", schema != NULL ? schema : "current_schema()",
                                   schema != NULL ? "'" : "");
  g_assert_cmpint (hs_test_db_query_int (db, count_secured), ==, g_strv_length ((char **) hs_gda_test_tables));
  g_assert_cmpint (hs_test_db_query_int (db,
                                         "SELECT count(*) FROM pg_policies"
                                         " WHERE policyname = 'halosync_read' AND cmd = 'SELECT'"
                                         " AND roles = CAST(ARRAY['authenticated'] AS name[])"),
                   ==, readable);
  assert_read_only (db, "authenticated", prefix);
  assert_no_access (db, "anon", prefix);

  /* anon reads too only when asked, and can go back to not reading. */
  g_clear_object (&sink);
  sink = hs_gda_test_open_sink (anon_uri);
  assert_read_only (db, "authenticated", prefix);
  assert_read_only (db, "anon", prefix);
  g_clear_object (&sink);
  sink = hs_gda_test_open_sink (uri);
  assert_read_only (db, "authenticated", prefix);
  assert_no_access (db, "anon", prefix);
  g_assert_cmpint (hs_test_db_query_int (db, "SELECT count(*) FROM pg_policies"), ==, readable);
}

/* rls=on makes the synced tables read-only for dashboards, on a plain
 * PostgreSQL and on one that, as Supabase does, grants its roles
 * everything on every new table, in public or in a schema of HaloSync's
 * own. */
static void
test_rls (HsTestDbKind kind)
{
  check_rls (kind, FALSE, NULL);
  if (kind == HS_TEST_DB_SQLITE)
    return;
  check_rls (kind, TRUE, NULL);
  check_rls (kind, FALSE, "halosync");
  check_rls (kind, TRUE, "halosync");
}

/* ?schema= keeps every table in a schema of HaloSync's own.  A role that
 * may not create schemas is told so, and nothing is made; it writes into
 * the schema once an administrator has made one for it. */
static void
test_own_schema (HsTestDbKind kind)
{
  g_autoptr(HsTestDb) db = hs_test_db_new (kind);
  const char *password = "own-schema";
  g_autofree char *role = NULL;
  g_autofree char *role_uri = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *create = NULL;
  g_autoptr(HsSink) sink = NULL;
  g_autoptr(HsSink) again = NULL;
  g_autoptr(GError) error = NULL;

  if (kind == HS_TEST_DB_SQLITE)
    {
      uri = g_strconcat (hs_test_db_get_uri (db), "?schema=halosync", NULL);
      sink = hs_gda_test_new_sink (uri);
      g_assert_false (hs_gda_test_open (sink, &error));
      g_assert_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT);
      return;
    }

  role = create_role (db, password);
  role_uri = hs_test_db_dup_uri_as (db, role, password);
  uri = g_strconcat (role_uri, "?schema=halosync", NULL);
  sink = hs_gda_test_new_sink (uri);
  g_assert_false (hs_gda_test_open (sink, &error));
  g_assert_error (error, HS_ERROR, HS_ERROR_DATABASE);
  g_assert_nonnull (strstr (error->message, "permission denied"));
  g_assert_cmpint (hs_test_db_query_int (db, "SELECT count(*) FROM pg_namespace WHERE nspname = 'halosync'"), ==, 0);
  g_assert_cmpint (hs_test_db_query_int (db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), ==, 0);
  g_clear_object (&sink);
  g_clear_error (&error);

  create = g_strdup_printf ("CREATE SCHEMA halosync AUTHORIZATION %s", role);
  hs_test_db_exec (db, create);
  sink = hs_gda_test_open_sink (uri);
  hs_gda_test_add_fiscal_year (sink, "FY2026", "2025-07-01", "2026-06-30");
  again = hs_gda_test_open_sink (uri);
  g_assert_cmpint (hs_test_db_query_int (db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'halosync'"),
                   ==, g_strv_length ((char **) hs_gda_test_tables));
  g_assert_cmpint (hs_test_db_query_int (db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), ==, 0);
  g_assert_cmpint (hs_test_db_query_int (db, "SELECT count(*) FROM halosync.fiscal_years"), ==, 1);
  g_assert_cmpint (hs_test_db_query_int (db, "SELECT max(version) FROM halosync.schema_version"), ==, 1);
  g_clear_object (&again);
  g_clear_object (&sink);
  drop_role (db, role);
}

/* Tables moved into a schema as docs/supabase.md shows keep what they
 * hold: opened with schema=, the sink finds them current and unchanged. */
static void
test_move_to_own_schema (HsTestDbKind kind)
{
  g_autoptr(HsTestDb) db = hs_test_db_new (kind);
  g_autofree char *uri = g_strconcat (hs_test_db_get_uri (db), "?schema=halosync", NULL);
  g_autoptr(HsSink) sink = hs_gda_test_open_sink (hs_test_db_get_uri (db));
  g_autoptr(GPtrArray) years = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  hs_gda_test_add_fiscal_year (sink, "FY2026", "2025-07-01", "2026-06-30");
  g_clear_object (&sink);
  before = hs_test_db_checksum (db, hs_gda_test_tables);

  hs_test_db_exec (db, "CREATE SCHEMA halosync");
  for (const char * const *table = hs_gda_test_tables; *table != NULL; table++)
    {
      g_autofree char *move = g_strdup_printf ("ALTER TABLE public.%s SET SCHEMA halosync", *table);

      hs_test_db_exec (db, move);
    }

  sink = hs_gda_test_open_sink (uri);
  years = hs_gda_test_list_fiscal_years (sink);
  g_assert_cmpuint (years->len, ==, 1);
  g_assert_cmpint (hs_test_db_query_int (db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), ==, 0);
  hs_test_db_exec (db, "SET search_path TO halosync");
  after = hs_test_db_checksum (db, hs_gda_test_tables);
  g_assert_cmpstr (after, ==, before);
}

/* Names that need quoting reach the database intact: an SQLite file
 * name without “.db” (libgda would append one) and with a quote and a
 * semicolon, and a PostgreSQL database name with a quote and a space. */
static void
test_odd_names (HsTestDbKind kind)
{
  g_autoptr(HsTestDb) db = hs_test_db_new (kind);
  g_autoptr(HsSink) sink = NULL;
  g_autofree char *uri = NULL;

  if (kind == HS_TEST_DB_SQLITE)
    {
      g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "new folder", NULL);
      g_autofree char *file = g_build_filename (dir, "Halo's; data", NULL);
      g_autofree char *escaped = g_uri_escape_string (file, "/", FALSE);
      g_autofree char *with_db = g_strconcat (file, ".db", NULL);
      GStatBuf info;

      g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
      uri = g_strconcat ("sqlite://", escaped, NULL);
      sink = hs_gda_test_open_sink (uri);

      g_assert_true (g_file_test (file, G_FILE_TEST_IS_REGULAR));
      g_assert_cmpint (g_stat (dir, &info), ==, 0);
      g_assert_cmpint (info.st_mode & 0777, ==, 0700);
      g_assert_false (g_file_test (with_db, G_FILE_TEST_EXISTS));
      return;
    }

  hs_test_db_exec (db, "CREATE DATABASE \"hs_test odd'name\"");
  uri = g_strdup_printf ("postgresql://%s@%s:%s/%s", g_getenv ("PGUSER"), g_getenv ("PGHOST"),
                         g_getenv ("PGPORT"), "hs_test%20odd%27name");
  sink = hs_gda_test_open_sink (uri);
  g_clear_object (&sink);
  hs_test_db_exec (db, "DROP DATABASE \"hs_test odd'name\" WITH (FORCE)");
}

int
main (int    argc,
      char **argv)
{
  hs_test_init (&argc, &argv);

  hs_gda_test_add ("migrate", test_migrate);
  hs_gda_test_add ("columns", test_columns);
  hs_gda_test_add ("newer-version", test_newer_version);
  hs_gda_test_add ("connect-failure", test_connect_failure);
  hs_gda_test_add ("password-in-uri", test_password_in_uri);
  hs_gda_test_add_postgresql ("password-from-environment", test_password_from_environment);
  hs_gda_test_add ("sslmode", test_sslmode);
  hs_gda_test_add ("rls", test_rls);
  hs_gda_test_add ("own-schema", test_own_schema);
  hs_gda_test_add_postgresql ("move-to-own-schema", test_move_to_own_schema);
  hs_gda_test_add ("odd-names", test_odd_names);

  return g_test_run ();
}
