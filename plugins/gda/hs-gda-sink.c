/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "hs-gda-catalog.h"
#include "hs-gda-ledger.h"
#include "hs-gda-run.h"
#include "hs-gda-schema.h"
#include "hs-gda-sink-private.h"
#include "hs-gda-summary.h"

/* The key of the PostgreSQL advisory lock; see hs_gda_sink_try_lock(). */
#define RUN_LOCK "5215569068869381732"

/**
 * HsGdaSink:
 *
 * The database sink: SQLite files (`sqlite:///path/file.db`) and
 * PostgreSQL or Supabase (`postgresql://user@host:port/database`)
 * through libgda 5.  Its functions block, and the engine calls them all
 * from one thread (see #HsSinkClass), which owns the connection.
 */
struct _HsGdaSink
{
  HsSink parent_instance;

  HsGdaUri *uri;          /* (owned) (nullable): once open */
  char *password;         /* (owned) (nullable): for reconnecting */
  HsGdaDb *db;            /* (owned) (nullable): dropped when it fails */
  HsGdaWriter *writer;    /* (owned) (nullable): lives with @db */
  gboolean in_run;        /* an HsGdaRun's transaction is open */
  int lock_fd;            /* SQLite: the lock file, flock()ed, while locked; else -1 */
  HsGdaDb *lock_db;       /* (unowned) (nullable) PostgreSQL: the connection holding the lock */
  HsGdaDb *lock_holder;   /* (owned) (nullable) behind a transaction pooler: see try_lock_pooled() */
};

G_DEFINE_FINAL_TYPE (HsGdaSink, hs_gda_sink, HS_TYPE_SINK)

static const char * const uri_schemes[] = { "sqlite", "postgresql", "postgres", NULL };

/* The tables each kind of catalogue transaction touches. */
static const char * const fiscal_year_tables[] = {
  "fiscal_years", "tickets", "time_entries", "sync_state", "member_month_summary", NULL
};
static const char * const mapping_tables[] = {
  "agent_mappings", "agents", "tickets", "time_entries", "fiscal_years", "member_month_summary", NULL
};
static const char * const ledger_tables[] = { "sync_runs", NULL };

const char *
hs_gda_sink_get_display (HsGdaSink *self)
{
  return self->uri != NULL ? self->uri->display : "";
}

static void
drop_db (HsGdaSink *self)
{
  /* The server lets go of the connection's advisory lock with it. */
  if (self->lock_db == self->db)
    self->lock_db = NULL;
  g_clear_pointer (&self->writer, hs_gda_writer_free);
  g_clear_pointer (&self->db, hs_gda_db_free);
  self->in_run = FALSE;
}

/* Connects and migrates; on a PostgreSQL URI with rls=on, also makes the
 * tables read-only for dashboards. */
static HsGdaDb *
connect_db (const HsGdaUri *uri,
            const char     *password,
            GError        **error)
{
  g_autoptr(HsGdaDb) db = NULL;

  if (uri->provider == HS_GDA_PROVIDER_SQLITE)
    {
      g_autofree char *dir = g_path_get_dirname (uri->path);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, HS_ERROR, HS_ERROR_DATABASE,
                       _("Cannot create the folder %s for the database: %s"),
                       dir, g_strerror (saved_errno));
          return NULL;
        }
    }

  db = hs_gda_db_open (uri, password, error);
  if (db == NULL)
    return NULL;

  if (!hs_gda_schema_migrate (db, g_get_real_time (), error))
    {
      g_prefix_error (error, _("Cannot bring the database schema of %s up to date: "), uri->display);
      return NULL;
    }

  if (uri->rls && !hs_gda_schema_enable_rls (db, uri->rls_anon, error))
    {
      g_prefix_error (error, _("Cannot turn on row-level security in %s: "), uri->display);
      return NULL;
    }

  return g_steal_pointer (&db);
}

/* The open connection, reconnecting if an earlier failure dropped it. */
HsGdaDb *
hs_gda_sink_get_db (HsGdaSink *self,
                    GError   **error)
{
  if (self->db != NULL)
    return self->db;

  if (self->uri == NULL)
    {
      g_set_error_literal (error, HS_ERROR, HS_ERROR_FAILED, _("The database is not open yet"));
      return NULL;
    }

  self->db = connect_db (self->uri, self->password, error);
  if (self->db == NULL)
    return NULL;
  self->writer = hs_gda_writer_new (self->db);
  return self->db;
}

HsGdaWriter *
hs_gda_sink_get_writer (HsGdaSink *self)
{
  return self->writer;
}

/* Ends the open transaction; a connection that cannot even roll back is
 * dropped, which rolls back on the server, and reopened on next use. */
void
hs_gda_sink_rollback (HsGdaSink *self)
{
  g_autoptr(GError) error = NULL;

  if (self->writer != NULL)
    hs_gda_writer_forget (self->writer);
  self->in_run = FALSE;

  if (self->db == NULL || !hs_gda_db_in_transaction (self->db))
    return;

  if (!hs_gda_db_rollback (self->db, &error))
    {
      g_debug ("Dropping the connection to %s, which could not roll back: %s",
               hs_gda_sink_get_display (self), error->message);
      drop_db (self);
    }
}

void
hs_gda_sink_end_run (HsGdaSink *self)
{
  self->in_run = FALSE;
}

/* Gives a database failure the context of what was being done; other
 * errors (not found, conflict, busy) already say it. */
void
hs_gda_prefix_database_error (GError    **error,
                              const char *format,
                              ...)
{
  g_autofree char *prefix = NULL;
  va_list args;

  if (error == NULL || *error == NULL || !g_error_matches (*error, HS_ERROR, HS_ERROR_DATABASE))
    return;

  va_start (args, format);
  prefix = g_strdup_vprintf (format, args);
  va_end (args);
  g_prefix_error (error, "%s: ", prefix);
}

typedef gboolean (*TransactionFunc) (HsGdaDb  *db,
                                     gpointer  data,
                                     GError  **error);

/* Runs @func, which touches @tables, in a transaction of its own. */
static gboolean
transact (HsGdaSink          *self,
          const char * const *tables,
          TransactionFunc     func,
          gpointer            data,
          GError            **error)
{
  HsGdaDb *db;

  if (self->in_run)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_BUSY,
                   _("A sync run is writing to %s; try again when it has finished"),
                   hs_gda_sink_get_display (self));
      return FALSE;
    }

  db = hs_gda_sink_get_db (self, error);
  if (db == NULL || !hs_gda_db_begin (db, error))
    return FALSE;

  if (!hs_gda_schema_lock_tables (db, tables, error) ||
      !func (db, data, error) ||
      !hs_gda_db_commit (db, error))
    {
      hs_gda_sink_rollback (self);
      return FALSE;
    }
  return TRUE;
}

static gboolean
hs_gda_sink_open (HsSink       *sink,
                  GCancellable *cancellable,
                  GError      **error)
{
  HsGdaSink *self = HS_GDA_SINK (sink);
  g_autoptr(HsGdaUri) uri = NULL;
  g_autofree char *password = NULL;
  HsConfig *config = hs_sink_get_config (sink);

  uri = hs_gda_uri_parse (hs_sink_get_uri (sink) != NULL ? hs_sink_get_uri (sink) : "", error);
  if (uri == NULL)
    return FALSE;

  if (uri->provider == HS_GDA_PROVIDER_POSTGRESQL && uri->password == NULL && config != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      /* With no stored password libpq still has PGPASSWORD, ~/.pgpass and
       * trust or peer authentication. */
      password = hs_config_lookup_secret (config, HS_SECRET_DATABASE_PASSWORD, cancellable, &local_error);
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (local_error != NULL)
        g_debug ("Connecting to %s without a stored password: %s", uri->display, local_error->message);
    }

  self->db = connect_db (uri, password, error);
  if (self->db == NULL)
    return FALSE;

  self->writer = hs_gda_writer_new (self->db);
  self->uri = g_steal_pointer (&uri);
  self->password = g_steal_pointer (&password);
  return TRUE;
}

/* Behind a transaction pooler a session's advisory lock would stay on
 * whichever server connection took it, lent to other clients ever
 * after, and the unlock would go to another one.  An open transaction is
 * the one thing such a pooler keeps on one server connection, so the
 * lock is a transaction-level lock in a transaction of its own, on a
 * connection of its own, open until the unlock.  The pooler rolls the
 * transaction back, and the server drops the lock, when the program
 * dies. */
static gboolean
try_lock_pooled (HsGdaSink *self,
                 gboolean  *taken,
                 GError   **error)
{
  g_autoptr(GdaDataModel) model = NULL;

  if (self->lock_holder == NULL)
    {
      self->lock_holder = hs_gda_db_open (self->uri, self->password, error);
      if (self->lock_holder == NULL)
        return FALSE;
    }

  if (!hs_gda_db_begin (self->lock_holder, error))
    {
      g_clear_pointer (&self->lock_holder, hs_gda_db_free);
      return FALSE;
    }

  model = hs_gda_db_query (self->lock_holder, "SELECT CAST(pg_try_advisory_xact_lock(" RUN_LOCK ") AS integer)",
                           (const GType[]) { G_TYPE_INT64, G_TYPE_NONE }, error, NULL);
  if (model != NULL && hs_gda_model_get_int (model, 0, 0) != 0)
    {
      self->lock_db = self->lock_holder;
      *taken = TRUE;
      return TRUE;
    }

  if (!hs_gda_db_rollback (self->lock_holder, NULL))
    g_clear_pointer (&self->lock_holder, hs_gda_db_free);
  return model != NULL;
}

/* The lock: an flock() on a file beside an SQLite database, which the
 * kernel drops with the process, or a session advisory lock on
 * PostgreSQL, which the server drops with the connection. */
static gboolean
hs_gda_sink_try_lock (HsSink   *sink,
                      gboolean *taken,
                      GError  **error)
{
  HsGdaSink *self = HS_GDA_SINK (sink);
  g_autoptr(GdaDataModel) model = NULL;
  HsGdaDb *db = hs_gda_sink_get_db (self, error);

  if (db == NULL)
    return FALSE;

  if (hs_gda_db_get_provider (db) == HS_GDA_PROVIDER_SQLITE)
    {
      g_autofree char *path = g_strconcat (self->uri->path, "-lock", NULL);
      int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
      int saved_errno;

      if (fd < 0 || flock (fd, LOCK_EX | LOCK_NB) != 0)
        {
          saved_errno = errno;
          if (fd >= 0)
            close (fd);
          if (saved_errno == EWOULDBLOCK)
            return TRUE;
          g_set_error (error, HS_ERROR, HS_ERROR_DATABASE, _("Cannot lock %s: %s"),
                       path, g_strerror (saved_errno));
          return FALSE;
        }
      self->lock_fd = fd;
      *taken = TRUE;
      return TRUE;
    }

  if (self->uri->pooled)
    return try_lock_pooled (self, taken, error);

  model = hs_gda_db_query (db, "SELECT CAST(pg_try_advisory_lock(" RUN_LOCK ") AS integer)",
                           (const GType[]) { G_TYPE_INT64, G_TYPE_NONE }, error, NULL);
  if (model == NULL)
    return FALSE;
  if (hs_gda_model_get_int (model, 0, 0) != 0)
    {
      self->lock_db = db;
      *taken = TRUE;
    }
  return TRUE;
}

static void
hs_gda_sink_unlock (HsSink *sink)
{
  HsGdaSink *self = HS_GDA_SINK (sink);

  if (self->lock_fd >= 0)
    {
      close (self->lock_fd);
      self->lock_fd = -1;
    }

  if (self->lock_db != NULL && self->lock_db == self->lock_holder)
    {
      /* A failed rollback means the connection is gone, and the lock with it. */
      if (!hs_gda_db_rollback (self->lock_holder, NULL))
        g_clear_pointer (&self->lock_holder, hs_gda_db_free);
      self->lock_db = NULL;
    }
  else if (self->lock_db != NULL)
    {
      g_autoptr(GdaDataModel) model = NULL;
      g_autoptr(GError) error = NULL;

      /* A failure here means the connection is gone, and the lock with it. */
      model = hs_gda_db_query (self->lock_db, "SELECT CAST(pg_advisory_unlock(" RUN_LOCK ") AS integer)",
                               (const GType[]) { G_TYPE_INT64, G_TYPE_NONE }, &error, NULL);
      if (model == NULL)
        g_debug ("Letting go of the lock of %s: %s", hs_gda_sink_get_display (self), error->message);
      self->lock_db = NULL;
    }
}

static GPtrArray *
hs_gda_sink_list_fiscal_years (HsSink  *sink,
                               GError **error)
{
  HsGdaSink *self = HS_GDA_SINK (sink);
  HsGdaDb *db = hs_gda_sink_get_db (self, error);
  GPtrArray *years = db != NULL ? hs_gda_catalog_list_fiscal_years (db, error) : NULL;

  if (years == NULL)
    hs_gda_prefix_database_error (error, _("Cannot read the fiscal years from %s"), hs_gda_sink_get_display (self));
  return years;
}

static gboolean
create_fiscal_year_in_transaction (HsGdaDb *db,
                                   gpointer data,
                                   GError **error)
{
  return hs_gda_catalog_create_fiscal_year (db, data, error);
}

static gboolean
hs_gda_sink_create_fiscal_year (HsSink       *sink,
                                HsFiscalYear *fiscal_year,
                                GError      **error)
{
  if (!transact (HS_GDA_SINK (sink), fiscal_year_tables, create_fiscal_year_in_transaction, fiscal_year, error))
    {
      hs_gda_prefix_database_error (error, _("Cannot store the fiscal year “%s”"),
                                    hs_fiscal_year_get_label (fiscal_year));
      return FALSE;
    }
  return TRUE;
}

static gboolean
delete_fiscal_year_in_transaction (HsGdaDb *db,
                                   gpointer data,
                                   GError **error)
{
  return hs_gda_catalog_delete_fiscal_year (db, data, error);
}

static gboolean
hs_gda_sink_delete_fiscal_year (HsSink     *sink,
                                const char *label,
                                GError    **error)
{
  if (!transact (HS_GDA_SINK (sink), fiscal_year_tables, delete_fiscal_year_in_transaction, (gpointer) label,
                 error))
    {
      hs_gda_prefix_database_error (error, _("Cannot delete the fiscal year “%s”"), label);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
hs_gda_sink_list_agents (HsSink  *sink,
                         GError **error)
{
  HsGdaSink *self = HS_GDA_SINK (sink);
  HsGdaDb *db = hs_gda_sink_get_db (self, error);
  GPtrArray *agents = db != NULL ? hs_gda_catalog_list_agents (db, error) : NULL;

  if (agents == NULL)
    hs_gda_prefix_database_error (error, _("Cannot read the agents from %s"), hs_gda_sink_get_display (self));
  return agents;
}

static gboolean
set_agent_mapping_in_transaction (HsGdaDb *db,
                                  gpointer data,
                                  GError **error)
{
  /* Moving an agent's work between members changes the summaries
   * dashboards read; they are rebuilt in the same transaction. */
  return hs_gda_catalog_set_agent_mapping (db, data, error) &&
         hs_gda_summary_rebuild_stored (db, error);
}

static gboolean
hs_gda_sink_set_agent_mapping (HsSink         *sink,
                               HsAgentMapping *mapping,
                               GError        **error)
{
  if (!transact (HS_GDA_SINK (sink), mapping_tables, set_agent_mapping_in_transaction, mapping, error))
    {
      g_autofree char *id = g_strdup_printf ("%lld", (long long) hs_agent_mapping_get_halo_id (mapping));

      hs_gda_prefix_database_error (error, _("Cannot store the mapping of agent %s"), id);
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
hs_gda_sink_list_runs (HsSink  *sink,
                       guint    limit,
                       GError **error)
{
  HsGdaSink *self = HS_GDA_SINK (sink);
  HsGdaDb *db = hs_gda_sink_get_db (self, error);
  GPtrArray *runs = db != NULL ? hs_gda_ledger_list (db, limit, error) : NULL;

  if (runs == NULL)
    hs_gda_prefix_database_error (error, _("Cannot read the runs from %s"), hs_gda_sink_get_display (self));
  return runs;
}

static gboolean
save_run_in_transaction (HsGdaDb *db,
                         gpointer data,
                         GError **error)
{
  return hs_gda_ledger_save (db, data, error);
}

static gboolean
hs_gda_sink_save_run (HsSink  *sink,
                      HsRun   *run,
                      GError **error)
{
  HsGdaSink *self = HS_GDA_SINK (sink);

  if (!transact (self, ledger_tables, save_run_in_transaction, run, error))
    {
      hs_gda_prefix_database_error (error, _("Cannot record the run in %s"), hs_gda_sink_get_display (self));
      return FALSE;
    }
  return TRUE;
}

static HsSinkRun *
hs_gda_sink_begin_run (HsSink       *sink,
                       HsRun        *run,
                       HsFiscalYear *fiscal_year,
                       GError      **error)
{
  HsGdaSink *self = HS_GDA_SINK (sink);
  const char *label = hs_fiscal_year_get_label (fiscal_year);
  gint64 cursors[HS_N_STREAMS] = { 0 };
  HsGdaDb *db;

  if (self->in_run)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_BUSY, _("A run is already writing to %s"), hs_gda_sink_get_display (self));
      return NULL;
    }

  db = hs_gda_sink_get_db (self, error);
  if (db == NULL || !hs_gda_db_begin (db, error))
    {
      hs_gda_prefix_database_error (error, _("Cannot start the run in %s"), hs_gda_sink_get_display (self));
      return NULL;
    }

  if (!hs_gda_schema_lock_tables (db, NULL, error) ||
      !hs_gda_catalog_read_cursors (db, label, cursors, error) ||
      !hs_gda_writer_begin (self->writer, label, hs_run_get_mode (run) == HS_SYNC_FULL, error))
    {
      hs_gda_sink_rollback (self);
      hs_gda_prefix_database_error (error, _("Cannot start the run in %s"), hs_gda_sink_get_display (self));
      return NULL;
    }

  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    hs_run_set_cursor_before (run, stream, cursors[stream]);
  self->in_run = TRUE;
  return hs_gda_run_new (self);
}

static GVariant *
hs_gda_sink_summarize (HsSink     *sink,
                       const char *fiscal_year,
                       GError    **error)
{
  HsGdaSink *self = HS_GDA_SINK (sink);
  g_autoptr(HsFiscalYear) year = NULL;
  GVariant *summary = NULL;
  HsGdaDb *db;

  db = hs_gda_sink_get_db (self, error);
  if (db != NULL)
    year = hs_gda_catalog_find_fiscal_year (db, fiscal_year, error);
  if (year != NULL)
    summary = hs_gda_summary_read (db, fiscal_year, error);
  if (summary == NULL)
    hs_gda_prefix_database_error (error, _("Cannot read the summary from %s"), hs_gda_sink_get_display (self));
  return summary;
}

static void
hs_gda_sink_finalize (GObject *object)
{
  HsGdaSink *self = HS_GDA_SINK (object);

  if (self->lock_fd >= 0)
    close (self->lock_fd);
  drop_db (self);
  g_clear_pointer (&self->lock_holder, hs_gda_db_free);
  g_clear_pointer (&self->uri, hs_gda_uri_free);
  g_free (self->password);

  G_OBJECT_CLASS (hs_gda_sink_parent_class)->finalize (object);
}

static void
hs_gda_sink_class_init (HsGdaSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HsSinkClass *sink_class = HS_SINK_CLASS (klass);

  object_class->finalize = hs_gda_sink_finalize;

  sink_class->uri_schemes = uri_schemes;
  sink_class->open = hs_gda_sink_open;
  sink_class->try_lock = hs_gda_sink_try_lock;
  sink_class->unlock = hs_gda_sink_unlock;
  sink_class->list_fiscal_years = hs_gda_sink_list_fiscal_years;
  sink_class->create_fiscal_year = hs_gda_sink_create_fiscal_year;
  sink_class->delete_fiscal_year = hs_gda_sink_delete_fiscal_year;
  sink_class->list_agents = hs_gda_sink_list_agents;
  sink_class->set_agent_mapping = hs_gda_sink_set_agent_mapping;
  sink_class->list_runs = hs_gda_sink_list_runs;
  sink_class->save_run = hs_gda_sink_save_run;
  sink_class->begin_run = hs_gda_sink_begin_run;
  sink_class->summarize = hs_gda_sink_summarize;
}

static void
hs_gda_sink_init (HsGdaSink *self)
{
  self->lock_fd = -1;
}
