/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-gda-schema.h"

/* Versioned, forward-only migrations, the same on both providers (the
 * type placeholders are expanded by hs_gda_dialect_expand()).  A
 * migration, once released, never changes: a later schema change is a
 * new migration appended to the list.
 *
 * Synced tables are named after their stream and have one column per
 * field of its schema (engine/hs-record.c), key fields first, plus
 * fiscal_year (streams bound to fiscal years), synced_at and
 * deleted_at. */

/* The key of the PostgreSQL advisory lock that keeps two programs from
 * migrating the same database at once (“HaloSync” in ASCII). */
#define MIGRATION_LOCK "5215569068869381731"

static const char * const migration_1[] = {
  "CREATE TABLE agents ("
  " id @INT@ NOT NULL, name @TEXT@, email @TEXT@, team @TEXT@, disabled @BOOL@,"
  " synced_at @TS@ NOT NULL, deleted_at @TS@,"
  " PRIMARY KEY (id))@TABLE_SUFFIX@",

  "CREATE TABLE teams ("
  " id @INT@ NOT NULL, name @TEXT@, department @TEXT@, inactive @BOOL@,"
  " synced_at @TS@ NOT NULL, deleted_at @TS@,"
  " PRIMARY KEY (id))@TABLE_SUFFIX@",

  "CREATE TABLE clients ("
  " id @INT@ NOT NULL, name @TEXT@, toplevel @TEXT@, inactive @BOOL@,"
  " synced_at @TS@ NOT NULL, deleted_at @TS@,"
  " PRIMARY KEY (id))@TABLE_SUFFIX@",

  "CREATE TABLE tickets ("
  " id @INT@ NOT NULL, summary @TEXT@, status_id @INT@, status @TEXT@, ticket_type @TEXT@,"
  " client_id @INT@, client_name @TEXT@, agent_id @INT@, team @TEXT@,"
  " opened_at @TS@, closed_at @TS@, last_update @TS@, hours @REAL@, member @TEXT@,"
  " fiscal_year @TEXT@, synced_at @TS@ NOT NULL, deleted_at @TS@,"
  " PRIMARY KEY (id))@TABLE_SUFFIX@",
  "CREATE INDEX tickets_opened_at ON tickets (opened_at)",
  "CREATE INDEX tickets_closed_at ON tickets (closed_at)",
  "CREATE INDEX tickets_agent_id ON tickets (agent_id)",
  "CREATE INDEX tickets_fiscal_year ON tickets (fiscal_year)",

  "CREATE TABLE time_entries ("
  " ticket_id @INT@ NOT NULL, action_id @INT@ NOT NULL, agent_id @INT@, started_at @TS@,"
  " hours @REAL@, billable @BOOL@, member @TEXT@,"
  " fiscal_year @TEXT@, synced_at @TS@ NOT NULL, deleted_at @TS@,"
  " PRIMARY KEY (ticket_id, action_id))@TABLE_SUFFIX@",
  "CREATE INDEX time_entries_started_at ON time_entries (started_at)",
  "CREATE INDEX time_entries_agent_id ON time_entries (agent_id)",
  "CREATE INDEX time_entries_fiscal_year ON time_entries (fiscal_year)",

  "CREATE TABLE fiscal_years ("
  " label @TEXT@ NOT NULL PRIMARY KEY, start_date @DATE@ NOT NULL, end_date @DATE@ NOT NULL,"
  " CHECK (end_date >= start_date))",

  "CREATE TABLE agent_mappings ("
  " halo_agent_id @INT@ NOT NULL PRIMARY KEY, member @TEXT@ NOT NULL, team @TEXT@,"
  " active @BOOL@ NOT NULL)",

  "CREATE TABLE sync_runs ("
  " id @ID@, fiscal_year @TEXT@ NOT NULL, \"trigger\" @TEXT@ NOT NULL, mode @TEXT@ NOT NULL,"
  " dry_run @BOOL@ NOT NULL, status @TEXT@ NOT NULL, stage @TEXT@ NOT NULL,"
  " started_at @TS@, finished_at @TS@,"
  " fetched @INT@ NOT NULL, inserted @INT@ NOT NULL, updated @INT@ NOT NULL,"
  " deleted @INT@ NOT NULL, api_calls @INT@ NOT NULL,"
  " warnings_count @INT@ NOT NULL, warnings @TEXT@, error @TEXT@, details @TEXT@ NOT NULL)",
  "CREATE INDEX sync_runs_fiscal_year ON sync_runs (fiscal_year)",

  "CREATE TABLE sync_state ("
  " fiscal_year @TEXT@ NOT NULL, stream @TEXT@ NOT NULL, cursor @TS@ NOT NULL,"
  " PRIMARY KEY (fiscal_year, stream))",

  "CREATE TABLE member_month_summary ("
  " fiscal_year @TEXT@ NOT NULL, member @TEXT@, team @TEXT@, month @TEXT@ NOT NULL,"
  " hours @REAL@ NOT NULL, billable_hours @REAL@ NOT NULL,"
  " tickets_opened @INT@ NOT NULL, tickets_closed @INT@ NOT NULL)",
  "CREATE INDEX member_month_summary_fiscal_year ON member_month_summary (fiscal_year, month)",
  NULL
};

static const char * const * const migrations[] = {
  migration_1,
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == HS_GDA_SCHEMA_VERSION);

/* Every table the schema creates, for row-level security; all but the
 * first are the ones syncs and the catalogue write. */
static const char * const tables[] = {
  "schema_version", "agents", "teams", "clients", "tickets", "time_entries",
  "fiscal_years", "agent_mappings", "sync_runs", "sync_state", "member_month_summary",
  NULL
};

static gboolean
exec_template (HsGdaDb    *db,
               const char *template,
               GError    **error)
{
  g_autofree char *sql = hs_gda_dialect_expand (hs_gda_db_get_dialect (db), template);

  return hs_gda_db_exec (db, sql, NULL, error, NULL);
}

static gboolean
read_version (HsGdaDb *db,
              gint64  *version,
              GError **error)
{
  g_autoptr(GdaDataModel) model = NULL;

  model = hs_gda_db_query (db, "SELECT max(version) FROM schema_version",
                           (const GType[]) { G_TYPE_INT64, G_TYPE_NONE }, error, NULL);
  if (model == NULL)
    return FALSE;

  *version = hs_gda_model_get_int (model, 0, 0);
  return TRUE;
}

static gboolean
count_rows (HsGdaDb    *db,
            const char *sql,
            gint64     *count,
            GError    **error,
            const char *name,
            const char *value)
{
  g_autoptr(GdaDataModel) model = NULL;

  model = hs_gda_db_query (db, sql, (const GType[]) { G_TYPE_INT64, G_TYPE_NONE }, error,
                           name, value, NULL);
  if (model == NULL)
    return FALSE;

  *count = hs_gda_model_get_int (model, 0, 0);
  return TRUE;
}

/* Creates the URI's schema unless it exists: CREATE SCHEMA IF NOT
 * EXISTS would still need the right to create schemas, which a user
 * whose administrator made the schema for them may not have. */
static gboolean
ensure_schema (HsGdaDb *db,
               GError **error)
{
  const char *schema = hs_gda_db_get_uri (db)->schema;
  g_autofree char *create = NULL;
  gint64 exists;

  if (schema == NULL)
    return TRUE;

  if (!count_rows (db, "SELECT count(*) FROM pg_namespace WHERE nspname = CAST(##schema::string AS name)",
                   &exists, error, "schema", schema))
    return FALSE;
  if (exists > 0)
    return TRUE;

  /* The name is plain lower case (see hs-gda-uri.c): nothing to quote. */
  create = g_strdup_printf ("CREATE SCHEMA %s", schema);
  return hs_gda_db_exec (db, create, NULL, error, NULL);
}

static gboolean
migrate_in_transaction (HsGdaDb *db,
                        gint64   now,
                        GError **error)
{
  const HsGdaDialect *dialect = hs_gda_db_get_dialect (db);
  gint64 version;

  if (hs_gda_db_get_provider (db) == HS_GDA_PROVIDER_POSTGRESQL)
    {
      g_autoptr(GdaDataModel) locked = NULL;

      locked = hs_gda_db_query (db, "SELECT CAST(pg_advisory_xact_lock(" MIGRATION_LOCK ") AS text)",
                                (const GType[]) { G_TYPE_STRING, G_TYPE_NONE }, error, NULL);
      if (locked == NULL || !ensure_schema (db, error))
        return FALSE;
    }

  if (!exec_template (db,
                      "CREATE TABLE IF NOT EXISTS schema_version ("
                      " version @INT@ NOT NULL PRIMARY KEY, applied_at @TS@ NOT NULL)",
                      error))
    return FALSE;

  if (!read_version (db, &version, error))
    return FALSE;

  if (version > HS_GDA_SCHEMA_VERSION)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_DATABASE,
                   _("The database has schema version %lld, newer than the %d this HaloSync understands; update HaloSync before using it"),
                   (long long) version, HS_GDA_SCHEMA_VERSION);
      return FALSE;
    }

  for (gint64 v = version + 1; v <= HS_GDA_SCHEMA_VERSION; v++)
    {
      g_autofree char *version_text = g_strdup_printf ("%" G_GINT64_FORMAT, v);
      g_autoptr(GString) insert = g_string_new ("INSERT INTO schema_version (version, applied_at) VALUES (");
      char now_text[HS_GDA_VALUE_BUF];

      g_debug ("Migrating %s to schema version %" G_GINT64_FORMAT,
               hs_gda_db_get_uri (db)->display, v);

      for (const char * const *sql = migrations[v - 1]; *sql != NULL; sql++)
        if (!exec_template (db, *sql, error))
          return FALSE;

      hs_gda_dialect_append_param (dialect, insert, "version", HS_GDA_TYPE_INT);
      g_string_append (insert, ", ");
      hs_gda_dialect_append_param (dialect, insert, "applied_at", HS_GDA_TYPE_TIMESTAMP);
      g_string_append (insert, ")");
      if (!hs_gda_db_exec (db, insert->str, NULL, error,
                           "version", version_text,
                           "applied_at", hs_gda_dialect_format_timestamp (dialect, now, now_text),
                           NULL))
        return FALSE;
    }

  return TRUE;
}

/* Whether the schema is at the plugin's version, read without a
 * transaction: opening an up-to-date database must not wait for the
 * write lock a running sync of another program holds. */
static gboolean
is_current (HsGdaDb  *db,
            gboolean *current,
            GError  **error)
{
  g_autoptr(GdaDataModel) model = NULL;
  gint64 version;

  model = hs_gda_db_query (db, hs_gda_db_get_provider (db) == HS_GDA_PROVIDER_SQLITE
                               ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
                               : "SELECT CAST(count(*) AS integer) FROM pg_catalog.pg_tables"
                                 " WHERE schemaname = current_schema() AND tablename = 'schema_version'",
                           (const GType[]) { G_TYPE_INT64, G_TYPE_NONE }, error, NULL);
  if (model == NULL)
    return FALSE;

  *current = FALSE;
  if (hs_gda_model_get_int (model, 0, 0) == 0)
    return TRUE;
  if (!read_version (db, &version, error))
    return FALSE;
  *current = version == HS_GDA_SCHEMA_VERSION;
  return TRUE;
}

/* Brings the schema up to %HS_GDA_SCHEMA_VERSION in one transaction;
 * an up-to-date database is left untouched, and one whose version is
 * newer than the plugin's is refused unchanged. */
gboolean
hs_gda_schema_migrate (HsGdaDb *db,
                       gint64   now,
                       GError **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean current;

  if (!is_current (db, &current, error))
    return FALSE;
  if (current)
    return TRUE;

  if (!hs_gda_db_begin (db, error))
    return FALSE;

  if (!migrate_in_transaction (db, now, &local_error))
    {
      hs_gda_db_rollback (db, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return hs_gda_db_commit (db, error);
}

/* HaloSync's own bookkeeping, which dashboards have no business reading. */
static const char * const internal_tables[] = { "schema_version", "sync_state", NULL };

static gboolean
role_exists (HsGdaDb    *db,
             const char *role,
             gboolean   *exists,
             GError    **error)
{
  gint64 count;

  if (!count_rows (db, "SELECT count(*) FROM pg_roles WHERE rolname = CAST(##role::string AS name)",
                   &count, error, "role", role))
    return FALSE;
  *exists = count > 0;
  return TRUE;
}

/* Whether @table already is as enable_rls_in_transaction() leaves it, so
 * that opening the sink again takes none of the exclusive locks that
 * changing a table's security takes (dashboards read meanwhile). */
static gboolean
table_secured (HsGdaDb    *db,
               const char *table,
               gboolean    readable,
               gboolean    anon,
               gboolean    has_anon,
               gboolean   *secured,
               GError    **error)
{
  static const char writes[] = "INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER";
  g_autofree char *sql = NULL;
  g_autofree char *anon_check = NULL;
  gint64 result;

  if (has_anon)
    anon_check = g_strdup_printf (" AND NOT has_table_privilege('anon', '%s', '%s')"
                                  " AND has_table_privilege('anon', '%s', 'SELECT') = %s",
                                  table, writes, table, readable && anon ? "true" : "false");
  sql = g_strdup_printf ("SELECT CAST(CASE WHEN"
                         " (SELECT relrowsecurity FROM pg_class WHERE oid = CAST('%s' AS regclass))"
                         " AND coalesce((SELECT string_agg(CAST(r AS text), ',' ORDER BY CAST(r AS text))"
                         "  FROM pg_policies CROSS JOIN unnest(roles) AS r"
                         "  WHERE schemaname = current_schema() AND tablename = '%s'"
                         "  AND policyname = 'halosync_read'), '') = '%s'"
                         " AND NOT has_table_privilege('authenticated', '%s', '%s')"
                         " AND has_table_privilege('authenticated', '%s', 'SELECT') = %s"
                         "%s"
                         " THEN 1 ELSE 0 END AS bigint)",
                         table, table,
                         !readable ? "" : anon ? "anon,authenticated" : "authenticated",
                         table, writes, table, readable ? "true" : "false",
                         anon_check != NULL ? anon_check : "");
  if (!count_rows (db, sql, &result, error, NULL, NULL))
    return FALSE;
  *secured = result == 1;
  return TRUE;
}

/* In a schema of HaloSync's own, a dashboard's role reaches the tables
 * only with the schema's USAGE, which Supabase gives its roles on public
 * alone.  Changed only when it differs, as for the tables. */
static gboolean
grant_schema_usage (HsGdaDb    *db,
                    const char *role,
                    gboolean    usage,
                    GError    **error)
{
  const char *schema = hs_gda_db_get_uri (db)->schema;
  g_autofree char *check = NULL;
  g_autofree char *change = NULL;
  gint64 has_usage;

  if (schema == NULL)
    return TRUE;

  check = g_strdup_printf ("SELECT CAST(has_schema_privilege('%s', '%s', 'USAGE') AS integer)", role, schema);
  if (!count_rows (db, check, &has_usage, error, NULL, NULL))
    return FALSE;
  if ((has_usage != 0) == usage)
    return TRUE;

  change = usage ? g_strdup_printf ("GRANT USAGE ON SCHEMA %s TO %s", schema, role)
                 : g_strdup_printf ("REVOKE USAGE ON SCHEMA %s FROM %s", schema, role);
  return hs_gda_db_exec (db, change, NULL, error, NULL);
}

static gboolean
enable_rls_in_transaction (HsGdaDb  *db,
                           gboolean  anon,
                           GError  **error)
{
  const char *readers = anon ? "authenticated, anon" : "authenticated";
  gboolean has_authenticated, has_anon;

  if (!role_exists (db, "authenticated", &has_authenticated, error) ||
      !role_exists (db, "anon", &has_anon, error))
    return FALSE;

  if (!has_authenticated || (anon && !has_anon))
    {
      const char *role = !has_authenticated ? "authenticated" : "anon";

      g_set_error (error, HS_ERROR, HS_ERROR_DATABASE,
                   _("the dashboards’ role “%s” does not exist; create it (CREATE ROLE %s NOLOGIN) "
                     "or remove rls from the database URI"),
                   role, role);
      return FALSE;
    }

  if (!grant_schema_usage (db, "authenticated", TRUE, error) ||
      (has_anon && !grant_schema_usage (db, "anon", anon, error)))
    return FALSE;

  for (const char * const *table = tables; *table != NULL; table++)
    {
      gboolean readable = !g_strv_contains (internal_tables, *table);
      gboolean secured;
      g_autofree char *enable = g_strdup_printf ("ALTER TABLE %s ENABLE ROW LEVEL SECURITY", *table);
      /* Supabase grants both roles everything on new tables, and
       * TRUNCATE does not look at row-level security: only privileges
       * keep a dashboard from writing. */
      g_autofree char *revoke = g_strdup_printf ("REVOKE ALL ON %s FROM authenticated%s", *table,
                                                 has_anon ? ", anon" : "");
      g_autofree char *drop = g_strdup_printf ("DROP POLICY IF EXISTS halosync_read ON %s", *table);
      g_autofree char *grant = g_strdup_printf ("GRANT SELECT ON %s TO %s", *table, readers);
      g_autofree char *create = g_strdup_printf ("CREATE POLICY halosync_read ON %s"
                                                 " FOR SELECT TO %s USING (true)",
                                                 *table, readers);
      /* Bookkeeping tables keep row-level security without a policy,
       * and so without a row for anyone but their owner. */
      const char *statements[] = { enable, revoke, drop, readable ? grant : NULL, readable ? create : NULL };

      if (!table_secured (db, *table, readable, anon, has_anon, &secured, error))
        return FALSE;
      if (secured)
        continue;

      for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
        if (statements[i] != NULL && !hs_gda_db_exec (db, statements[i], NULL, error, NULL))
          return FALSE;
    }

  return TRUE;
}

/* Makes every HaloSync table read-only for Supabase's dashboard roles:
 * `authenticated` (signed-in users), and `anon` (anyone with the
 * project's public key) only when @anon is set, may SELECT the synced
 * tables and the summary, through a policy that shows every row; neither
 * may write anything or read HaloSync's bookkeeping.  HaloSync writes as
 * the tables' owner, which row-level security does not restrict.  Safe to
 * repeat, and repeating takes no exclusive lock. */
gboolean
hs_gda_schema_enable_rls (HsGdaDb  *db,
                          gboolean  anon,
                          GError  **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (hs_gda_db_get_provider (db) == HS_GDA_PROVIDER_POSTGRESQL, FALSE);

  if (!hs_gda_db_begin (db, error))
    return FALSE;

  if (!enable_rls_in_transaction (db, anon, &local_error))
    {
      hs_gda_db_rollback (db, NULL);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return hs_gda_db_commit (db, error);
}

/**
 * hs_gda_schema_lock_tables:
 * @db: a PostgreSQL or SQLite database in an open transaction
 * @tables: (array zero-terminated=1) (nullable): the tables the
 *   transaction touches, or %NULL for all of HaloSync's
 * @error: return location for an error
 *
 * On PostgreSQL, takes every lock the transaction's statements will need
 * on @tables, in one statement run before any of them.
 *
 * libgda 5.2's PostgreSQL provider crashes (it reads a missing SQLSTATE)
 * when the connection is lost while it prepares a statement, which it
 * does on a statement's first run.  Preparing a statement takes the locks
 * of the tables it names, so a preparation can wait on another session's
 * lock (an index being built, a `LOCK TABLE`) for as long as that session
 * likes, and the server stopping meanwhile brought the whole process down.
 * Waiting in `LOCK TABLE` instead is waiting in an executed statement,
 * whose failure libgda reports cleanly; with the locks held, no later
 * preparation in the transaction waits.  SQLite has one lock for the
 * whole file, which `BEGIN IMMEDIATE` takes.
 *
 * Returns: %TRUE once the locks are held
 */
gboolean
hs_gda_schema_lock_tables (HsGdaDb            *db,
                           const char * const *tables_touched,
                           GError            **error)
{
  const char * const *list = tables_touched != NULL ? tables_touched : tables + 1;
  g_autoptr(GString) sql = NULL;

  if (hs_gda_db_get_provider (db) != HS_GDA_PROVIDER_POSTGRESQL)
    return TRUE;

  sql = g_string_new ("LOCK TABLE ");
  for (guint i = 0; list[i] != NULL; i++)
    g_string_append_printf (sql, "%s%s", i > 0 ? ", " : "", list[i]);
  g_string_append (sql, " IN ROW EXCLUSIVE MODE");
  return hs_gda_db_exec (db, sql->str, NULL, error, NULL);
}
