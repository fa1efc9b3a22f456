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
      if (locked == NULL)
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

static gboolean
enable_rls_in_transaction (HsGdaDb *db,
                           GError **error)
{
  gint64 has_role;

  if (!count_rows (db, "SELECT count(*) FROM pg_roles WHERE rolname = 'authenticated'",
                   &has_role, error, NULL, NULL))
    return FALSE;

  for (const char * const *table = tables; *table != NULL; table++)
    {
      g_autofree char *enable = g_strdup_printf ("ALTER TABLE %s ENABLE ROW LEVEL SECURITY", *table);
      gint64 has_policy;

      if (!hs_gda_db_exec (db, enable, NULL, error, NULL))
        return FALSE;

      if (has_role == 0)
        continue;

      if (!count_rows (db,
                       "SELECT count(*) FROM pg_policies"
                       " WHERE schemaname = current_schema()"
                       " AND tablename = CAST(##table::string AS name)"
                       " AND policyname = 'halosync_read'",
                       &has_policy, error, "table", *table))
        return FALSE;

      if (has_policy == 0)
        {
          g_autofree char *create = g_strdup_printf ("CREATE POLICY halosync_read ON %s"
                                                     " FOR SELECT TO authenticated USING (true)",
                                                     *table);

          if (!hs_gda_db_exec (db, create, NULL, error, NULL))
            return FALSE;
        }
    }

  return TRUE;
}

/* Turns on row-level security for every HaloSync table and, when the
 * cluster has an `authenticated` role (Supabase's signed-in users), lets
 * it read them.  HaloSync itself writes as the tables' owner, which
 * row-level security does not restrict.  Safe to repeat. */
gboolean
hs_gda_schema_enable_rls (HsGdaDb *db,
                          GError **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (hs_gda_db_get_provider (db) == HS_GDA_PROVIDER_POSTGRESQL, FALSE);

  if (!hs_gda_db_begin (db, error))
    return FALSE;

  if (!enable_rls_in_transaction (db, &local_error))
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
