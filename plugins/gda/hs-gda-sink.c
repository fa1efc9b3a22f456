/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "hs-gda-catalog.h"
#include "hs-gda-db.h"
#include "hs-gda-ledger.h"
#include "hs-gda-schema.h"
#include "hs-gda-sink.h"
#include "hs-gda-summary.h"
#include "hs-gda-writer.h"

/* The key of the PostgreSQL advisory lock a run holds; see
 * session_try_run_lock(). */
#define RUN_LOCK "5215569068869381732"

/* The state of the worker thread. */
typedef struct
{
  HsGdaUri *uri;          /* (owned) (nullable): from the first open */
  char *password;         /* (owned) (nullable): for reconnecting */
  HsGdaDb *db;            /* (owned) (nullable): dropped when it fails */
  HsGdaWriter *writer;    /* (owned) (nullable): lives with @db */
  HsFiscalYear *run_year; /* (owned) (nullable): set while a run is open */
  gboolean run_full;
  int run_lock_fd;        /* SQLite: the lock file, flock()ed, while the run lock is held; else -1 */
  HsGdaDb *run_lock_db;   /* (unowned) (nullable) PostgreSQL: the connection holding the run lock */
} Session;

/**
 * HsGdaSink:
 *
 * The database sink: SQLite files (`sqlite:///path/file.db`) and
 * PostgreSQL or Supabase (`postgresql://user@host:port/database`)
 * through libgda 5.
 *
 * libgda connections may only be used from one thread, and its calls
 * block, so every operation runs in order on the sink's #HsWorker, which
 * owns the connection and all the state in #Session.  The main thread
 * (which owns the #HsRun objects) copies what a call needs before
 * queueing it, and applies results to runs in the _finish functions.
 */
struct _HsGdaSink
{
  HsSink parent_instance;

  HsWorker *worker;   /* (owned) */
  Session *session;   /* (owned): touched only on the worker */
  gboolean opened;    /* main thread: open succeeded once */
};

G_DEFINE_FINAL_TYPE (HsGdaSink, hs_gda_sink, HS_TYPE_SINK)

static const char * const uri_schemes[] = { "sqlite", "postgresql", "postgres", NULL };

static void
session_drop_db (Session *session)
{
  /* The server lets go of the connection's advisory lock with it. */
  if (session->run_lock_db == session->db)
    session->run_lock_db = NULL;
  g_clear_pointer (&session->writer, hs_gda_writer_free);
  g_clear_pointer (&session->db, hs_gda_db_free);
  g_clear_object (&session->run_year);
}

static void
session_free (Session *session)
{
  if (session->run_lock_fd >= 0)
    close (session->run_lock_fd);
  session_drop_db (session);
  g_clear_pointer (&session->uri, hs_gda_uri_free);
  g_free (session->password);
  g_free (session);
}

static Session *
get_session (gpointer source_object)
{
  return HS_GDA_SINK (source_object)->session;
}

static const char *
session_display (Session *session)
{
  return session->uri != NULL ? session->uri->display : "";
}

/* Connects and migrates; on a PostgreSQL URI with rls=on, also turns on
 * row-level security. */
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

  if (uri->rls && !hs_gda_schema_enable_rls (db, error))
    {
      g_prefix_error (error, _("Cannot turn on row-level security in %s: "), uri->display);
      return NULL;
    }

  return g_steal_pointer (&db);
}

/* The open connection, reconnecting if an earlier failure dropped it. */
static HsGdaDb *
session_get_db (Session *session,
                GError **error)
{
  if (session->db != NULL)
    return session->db;

  if (session->uri == NULL)
    {
      g_set_error_literal (error, HS_ERROR, HS_ERROR_FAILED,
                           _("The database is not open yet"));
      return NULL;
    }

  session->db = connect_db (session->uri, session->password, error);
  if (session->db == NULL)
    return NULL;
  session->writer = hs_gda_writer_new (session->db);
  return session->db;
}

/* Ends the open transaction; a connection that cannot even roll back is
 * dropped, which rolls back on the server, and reopened on next use. */
static void
session_rollback (Session *session)
{
  g_autoptr(GError) error = NULL;

  if (session->writer != NULL)
    hs_gda_writer_forget (session->writer);
  g_clear_object (&session->run_year);

  if (session->db == NULL || !hs_gda_db_in_transaction (session->db))
    return;

  if (!hs_gda_db_rollback (session->db, &error))
    {
      g_debug ("Dropping the connection to %s, which could not roll back: %s",
               session_display (session), error->message);
      session_drop_db (session);
    }
}

static gboolean
check_no_run (Session *session,
              GError **error)
{
  if (session->run_year == NULL)
    return TRUE;

  g_set_error (error, HS_ERROR, HS_ERROR_BUSY,
               _("A sync run is writing to %s; try again when it has finished"),
               session_display (session));
  return FALSE;
}

static gboolean
check_run (Session *session,
           GError **error)
{
  if (session->run_year != NULL)
    return TRUE;

  g_set_error (error, HS_ERROR, HS_ERROR_FAILED,
               _("No run is open on %s"), session_display (session));
  return FALSE;
}

/* The run lock.  A run holds it from its first ledger row to its last, so
 * two programs (the service and `halosyncctl --local`) never run syncs
 * into one database at once, and a `running` row while nobody holds the
 * lock is a run whose program died (killed, crashed, cut off from the
 * database), which the next program to open the database marks
 * interrupted.  On SQLite it is an flock() on a file beside the
 * database, which the kernel drops with the process; on PostgreSQL a
 * session advisory lock, which the server drops with the connection. */
static gboolean
session_try_run_lock (Session  *session,
                      HsGdaDb  *db,
                      gboolean *taken,
                      GError  **error)
{
  *taken = FALSE;

  if (hs_gda_db_get_provider (db) == HS_GDA_PROVIDER_SQLITE)
    {
      g_autofree char *path = g_strconcat (session->uri->path, "-lock", NULL);
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
      session->run_lock_fd = fd;
    }
  else
    {
      g_autoptr(GdaDataModel) model = NULL;

      model = hs_gda_db_query (db, "SELECT CAST(pg_try_advisory_lock(" RUN_LOCK ") AS integer)",
                               (const GType[]) { G_TYPE_INT64, G_TYPE_NONE }, error, NULL);
      if (model == NULL)
        return FALSE;
      if (hs_gda_model_get_int (model, 0, 0) == 0)
        return TRUE;
      session->run_lock_db = db;
    }

  *taken = TRUE;
  return TRUE;
}

static void
session_release_run_lock (Session *session)
{
  if (session->run_lock_fd >= 0)
    {
      close (session->run_lock_fd);
      session->run_lock_fd = -1;
    }

  if (session->run_lock_db != NULL)
    {
      g_autoptr(GdaDataModel) model = NULL;
      g_autoptr(GError) error = NULL;

      /* A failure here means the connection is gone, and the lock with it. */
      model = hs_gda_db_query (session->run_lock_db, "SELECT CAST(pg_advisory_unlock(" RUN_LOCK ") AS integer)",
                               (const GType[]) { G_TYPE_INT64, G_TYPE_NONE }, &error, NULL);
      if (model == NULL)
        g_debug ("Releasing the run lock of %s: %s", session_display (session), error->message);
      session->run_lock_db = NULL;
    }
}

static gboolean
session_holds_run_lock (Session *session)
{
  return session->run_lock_fd >= 0 || session->run_lock_db != NULL;
}

/* The tables each kind of catalogue transaction touches. */
static const char * const fiscal_year_tables[] = {
  "fiscal_years", "tickets", "time_entries", "sync_state", "member_month_summary", NULL
};
static const char * const mapping_tables[] = {
  "agent_mappings", "agents", "tickets", "time_entries", "fiscal_years", "member_month_summary", NULL
};
static const char * const ledger_tables[] = { "sync_runs", NULL };

typedef gboolean (*TransactionFunc) (HsGdaDb  *db,
                                     gpointer  data,
                                     GError  **error);

/* Runs @func, which touches @tables, in a transaction of its own,
 * outside any run. */
static gboolean
session_transact (Session            *session,
                  const char * const *tables,
                  TransactionFunc     func,
                  gpointer            data,
                  GError            **error)
{
  HsGdaDb *db;

  if (!check_no_run (session, error))
    return FALSE;

  db = session_get_db (session, error);
  if (db == NULL || !hs_gda_db_begin (db, error))
    return FALSE;
  if (!hs_gda_schema_lock_tables (db, tables, error))
    {
      session_rollback (session);
      return FALSE;
    }

  if (!func (db, data, error) || !hs_gda_db_commit (db, error))
    {
      session_rollback (session);
      return FALSE;
    }

  return TRUE;
}

static void prefix_database_error (GError    **error,
                                   const char *format,
                                   ...) G_GNUC_PRINTF (2, 3);

/* Gives a database failure the context of what was being done; other
 * errors (not found, conflict, busy) already say it. */
static void
prefix_database_error (GError    **error,
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

static gboolean
interrupt_running_in_transaction (HsGdaDb *db,
                                  gpointer data,
                                  GError **error)
{
  return hs_gda_ledger_interrupt_running (db, g_get_real_time (),
                                          _("HaloSync stopped before this sync finished (the program was killed, "
                                            "crashed or lost the database); nothing of it was kept, and the next "
                                            "sync reads its changes again"),
                                          error);
}

/* Takes the run lock for a run about to start, ending the runs of
 * programs that died first: with the lock held, none of them is live. */
static gboolean
session_lock_for_run (Session *session,
                      GError **error)
{
  gboolean taken;
  HsGdaDb *db;

  if (session_holds_run_lock (session))
    return TRUE;

  db = session_get_db (session, error);
  if (db == NULL || !session_try_run_lock (session, db, &taken, error))
    return FALSE;
  if (!taken)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_BUSY,
                   _("Another HaloSync program is running a sync into %s; try again when it has finished"),
                   session_display (session));
      return FALSE;
    }

  if (!session_transact (session, ledger_tables, interrupt_running_in_transaction, NULL, error))
    {
      session_release_run_lock (session);
      return FALSE;
    }
  return TRUE;
}

/* When the database is opened: a run left `running` by a program that
 * died is marked interrupted, unless another program is running a sync
 * now (it holds the lock, and the rows may be its own). */
static void
session_end_dead_runs (Session *session)
{
  g_autoptr(GError) error = NULL;

  if (!session_lock_for_run (session, &error))
    {
      if (!g_error_matches (error, HS_ERROR, HS_ERROR_BUSY))
        g_warning ("Could not check %s for runs that never finished: %s",
                   session_display (session), error->message);
      return;
    }
  session_release_run_lock (session);
}

static gboolean
finish_boolean (gpointer      self,
                GAsyncResult *result,
                gpointer      source_tag,
                GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gpointer
finish_pointer (gpointer      self,
                GAsyncResult *result,
                gpointer      source_tag,
                GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static GTask *
new_task (HsGdaSink          *self,
          GCancellable       *cancellable,
          GAsyncReadyCallback callback,
          gpointer            user_data,
          gpointer            source_tag,
          gpointer            data,
          GDestroyNotify      data_free)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (data != NULL)
    g_task_set_task_data (task, data, data_free);
  return task;
}

/* open */

typedef struct
{
  HsGdaUri *uri;
  char *password;
} OpenData;

static void
open_data_free (OpenData *data)
{
  hs_gda_uri_free (data->uri);
  g_free (data->password);
  g_free (data);
}

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Session *session = get_session (source_object);
  OpenData *data = task_data;
  GError *error = NULL;

  if (session->db != NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  session->db = connect_db (data->uri, data->password, &error);
  if (session->db == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  session->writer = hs_gda_writer_new (session->db);
  g_clear_pointer (&session->uri, hs_gda_uri_free);
  g_free (session->password);
  session->uri = g_steal_pointer (&data->uri);
  session->password = g_steal_pointer (&data->password);
  session_end_dead_runs (session);
  g_task_return_boolean (task, TRUE);
}

static void
lookup_password_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HsGdaSink *self = g_task_get_source_object (task);
  OpenData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->password = hs_config_lookup_secret_finish (HS_CONFIG (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* With no stored password libpq still has PGPASSWORD, ~/.pgpass and
   * trust or peer authentication. */
  if (error != NULL)
    g_debug ("Connecting to %s without a stored password: %s", data->uri->display, error->message);

  hs_worker_run (self->worker, task, open_thread);
}

static void
hs_gda_sink_open_async (HsSink             *sink,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  HsGdaSink *self = HS_GDA_SINK (sink);
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  HsConfig *config = hs_sink_get_config (sink);
  OpenData *data;

  task = new_task (self, cancellable, callback, user_data, hs_gda_sink_open_async, NULL, NULL);

  if (self->opened)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  data = g_new0 (OpenData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);
  data->uri = hs_gda_uri_parse (hs_sink_get_uri (sink) != NULL ? hs_sink_get_uri (sink) : "", &error);
  if (data->uri == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (data->uri->provider == HS_GDA_PROVIDER_POSTGRESQL && data->uri->password == NULL && config != NULL)
    {
      hs_config_lookup_secret_async (config, HS_SECRET_DATABASE_PASSWORD, cancellable,
                                     lookup_password_cb, g_steal_pointer (&task));
      return;
    }

  hs_worker_run (self->worker, task, open_thread);
}

static gboolean
hs_gda_sink_open_finish (HsSink       *sink,
                         GAsyncResult *result,
                         GError      **error)
{
  HsGdaSink *self = HS_GDA_SINK (sink);

  if (!finish_boolean (self, result, hs_gda_sink_open_async, error))
    return FALSE;

  self->opened = TRUE;
  return TRUE;
}

/* fiscal years */

static void
list_fiscal_years_thread (GTask        *task,
                          gpointer      source_object,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  Session *session = get_session (source_object);
  GError *error = NULL;
  GPtrArray *years;
  HsGdaDb *db;

  db = session_get_db (session, &error);
  years = db != NULL ? hs_gda_catalog_list_fiscal_years (db, &error) : NULL;
  if (years == NULL)
    {
      prefix_database_error (&error, _("Cannot read the fiscal years from %s"), session_display (session));
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, years, (GDestroyNotify) g_ptr_array_unref);
}

static void
hs_gda_sink_list_fiscal_years_async (HsSink             *sink,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data)
{
  HsGdaSink *self = HS_GDA_SINK (sink);
  g_autoptr(GTask) task = new_task (self, cancellable, callback, user_data,
                                    hs_gda_sink_list_fiscal_years_async, NULL, NULL);

  hs_worker_run (self->worker, task, list_fiscal_years_thread);
}

static GPtrArray *
hs_gda_sink_list_fiscal_years_finish (HsSink       *sink,
                                      GAsyncResult *result,
                                      GError      **error)
{
  return finish_pointer (sink, result, hs_gda_sink_list_fiscal_years_async, error);
}

static gboolean
add_fiscal_year_in_transaction (HsGdaDb *db,
                                gpointer data,
                                GError **error)
{
  return hs_gda_catalog_add_fiscal_year (db, data, error);
}

static void
add_fiscal_year_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  Session *session = get_session (source_object);
  GError *error = NULL;

  if (!session_transact (session, fiscal_year_tables, add_fiscal_year_in_transaction, task_data, &error))
    {
      prefix_database_error (&error, _("Cannot store the fiscal year “%s”"),
                             hs_fiscal_year_get_label (task_data));
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
hs_gda_sink_add_fiscal_year_async (HsSink             *sink,
                                   HsFiscalYear       *fiscal_year,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  HsGdaSink *self = HS_GDA_SINK (sink);
  g_autoptr(GTask) task = new_task (self, cancellable, callback, user_data,
                                    hs_gda_sink_add_fiscal_year_async,
                                    g_object_ref (fiscal_year), g_object_unref);

  hs_worker_run (self->worker, task, add_fiscal_year_thread);
}

static gboolean
hs_gda_sink_add_fiscal_year_finish (HsSink       *sink,
                                    GAsyncResult *result,
                                    GError      **error)
{
  return finish_boolean (sink, result, hs_gda_sink_add_fiscal_year_async, error);
}

static gboolean
remove_fiscal_year_in_transaction (HsGdaDb *db,
                                   gpointer data,
                                   GError **error)
{
  return hs_gda_catalog_remove_fiscal_year (db, data, error);
}

static void
remove_fiscal_year_thread (GTask        *task,
                           gpointer      source_object,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  Session *session = get_session (source_object);
  GError *error = NULL;

  if (!session_transact (session, fiscal_year_tables, remove_fiscal_year_in_transaction, task_data, &error))
    {
      prefix_database_error (&error, _("Cannot delete the fiscal year “%s”"), (const char *) task_data);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
hs_gda_sink_remove_fiscal_year_async (HsSink             *sink,
                                      const char         *label,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data)
{
  HsGdaSink *self = HS_GDA_SINK (sink);
  g_autoptr(GTask) task = new_task (self, cancellable, callback, user_data,
                                    hs_gda_sink_remove_fiscal_year_async,
                                    g_strdup (label), g_free);

  hs_worker_run (self->worker, task, remove_fiscal_year_thread);
}

static gboolean
hs_gda_sink_remove_fiscal_year_finish (HsSink       *sink,
                                       GAsyncResult *result,
                                       GError      **error)
{
  return finish_boolean (sink, result, hs_gda_sink_remove_fiscal_year_async, error);
}

/* agents */

static void
list_agents_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Session *session = get_session (source_object);
  GError *error = NULL;
  GPtrArray *agents;
  HsGdaDb *db;

  db = session_get_db (session, &error);
  agents = db != NULL ? hs_gda_catalog_list_agents (db, &error) : NULL;
  if (agents == NULL)
    {
      prefix_database_error (&error, _("Cannot read the agents from %s"), session_display (session));
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, agents, (GDestroyNotify) g_ptr_array_unref);
}

static void
hs_gda_sink_list_agents_async (HsSink             *sink,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  HsGdaSink *self = HS_GDA_SINK (sink);
  g_autoptr(GTask) task = new_task (self, cancellable, callback, user_data,
                                    hs_gda_sink_list_agents_async, NULL, NULL);

  hs_worker_run (self->worker, task, list_agents_thread);
}

static GPtrArray *
hs_gda_sink_list_agents_finish (HsSink       *sink,
                                GAsyncResult *result,
                                GError      **error)
{
  return finish_pointer (sink, result, hs_gda_sink_list_agents_async, error);
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

static void
set_agent_mapping_thread (GTask        *task,
                          gpointer      source_object,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  Session *session = get_session (source_object);
  GError *error = NULL;

  if (!session_transact (session, mapping_tables, set_agent_mapping_in_transaction, task_data, &error))
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             hs_agent_mapping_get_halo_id (task_data));

      prefix_database_error (&error, _("Cannot store the mapping of agent %s"), id);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
hs_gda_sink_set_agent_mapping_async (HsSink             *sink,
                                     HsAgentMapping     *mapping,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data)
{
  HsGdaSink *self = HS_GDA_SINK (sink);
  g_autoptr(GTask) task = NULL;
  HsAgentMapping *copy;

  /* A private copy: the caller may change its mapping while the worker
   * reads this one. */
  copy = hs_agent_mapping_new (hs_agent_mapping_get_halo_id (mapping),
                               hs_agent_mapping_get_member (mapping),
                               hs_agent_mapping_get_team (mapping),
                               NULL);
  hs_agent_mapping_set_active (copy, hs_agent_mapping_get_active (mapping));

  task = new_task (self, cancellable, callback, user_data, hs_gda_sink_set_agent_mapping_async,
                   copy, g_object_unref);
  hs_worker_run (self->worker, task, set_agent_mapping_thread);
}

static gboolean
hs_gda_sink_set_agent_mapping_finish (HsSink       *sink,
                                      GAsyncResult *result,
                                      GError      **error)
{
  return finish_boolean (sink, result, hs_gda_sink_set_agent_mapping_async, error);
}

/* the run ledger */

typedef struct
{
  HsRun *run;               /* (owned): read and written on the main thread only */
  HsGdaRunRecord *record;   /* (owned) */
  gint64 id;                /* the ledger id, set by the worker */
} LedgerData;

static void
ledger_data_free (LedgerData *data)
{
  g_clear_object (&data->run);
  hs_gda_run_record_free (data->record);
  g_free (data);
}

static LedgerData *
ledger_data_new (HsRun *run)
{
  LedgerData *data = g_new0 (LedgerData, 1);

  data->run = g_object_ref (run);
  data->record = hs_gda_run_record_new (run);
  return data;
}

/* Gives the run its ledger id, on the main thread that owns it. */
static gboolean
finish_ledger (HsGdaSink    *self,
               GAsyncResult *result,
               gpointer      source_tag,
               GError      **error)
{
  LedgerData *data;

  if (!finish_boolean (self, result, source_tag, error))
    return FALSE;

  data = g_task_get_task_data (G_TASK (result));
  if (data->id > 0)
    hs_run_set_id (data->run, data->id);
  return TRUE;
}

static void
list_runs_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Session *session = get_session (source_object);
  GError *error = NULL;
  GPtrArray *runs;
  HsGdaDb *db;

  db = session_get_db (session, &error);
  runs = db != NULL ? hs_gda_ledger_list (db, GPOINTER_TO_UINT (task_data), &error) : NULL;
  if (runs == NULL)
    {
      prefix_database_error (&error, _("Cannot read the runs from %s"), session_display (session));
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, runs, (GDestroyNotify) g_ptr_array_unref);
}

static void
hs_gda_sink_list_runs_async (HsSink             *sink,
                             guint               limit,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  HsGdaSink *self = HS_GDA_SINK (sink);
  g_autoptr(GTask) task = new_task (self, cancellable, callback, user_data,
                                    hs_gda_sink_list_runs_async, NULL, NULL);

  g_task_set_task_data (task, GUINT_TO_POINTER (limit), NULL);
  hs_worker_run (self->worker, task, list_runs_thread);
}

static GPtrArray *
hs_gda_sink_list_runs_finish (HsSink       *sink,
                              GAsyncResult *result,
                              GError      **error)
{
  return finish_pointer (sink, result, hs_gda_sink_list_runs_async, error);
}

static gboolean
save_run_in_transaction (HsGdaDb *db,
                         gpointer user_data,
                         GError **error)
{
  LedgerData *data = user_data;

  return hs_gda_ledger_save (db, data->record, &data->id, error);
}

static void
save_run_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  Session *session = get_session (source_object);
  LedgerData *data = task_data;
  GError *error = NULL;
  gboolean saved;

  /* A run's first row takes the run lock, its last one lets it go. */
  saved = (data->record->id != 0 || session_lock_for_run (session, &error)) &&
          session_transact (session, ledger_tables, save_run_in_transaction, data, &error);
  if (data->record->status >= HS_RUN_SUCCEEDED)
    session_release_run_lock (session);

  if (!saved)
    {
      prefix_database_error (&error, _("Cannot record the run in %s"), session_display (session));
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
hs_gda_sink_save_run_async (HsSink             *sink,
                            HsRun              *run,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  HsGdaSink *self = HS_GDA_SINK (sink);
  g_autoptr(GTask) task = new_task (self, cancellable, callback, user_data,
                                    hs_gda_sink_save_run_async,
                                    ledger_data_new (run), (GDestroyNotify) ledger_data_free);

  hs_worker_run (self->worker, task, save_run_thread);
}

static gboolean
hs_gda_sink_save_run_finish (HsSink       *sink,
                             GAsyncResult *result,
                             GError      **error)
{
  return finish_ledger (HS_GDA_SINK (sink), result, hs_gda_sink_save_run_async, error);
}

/* begin_run */

typedef struct
{
  HsRun *run;       /* (owned): main thread only */
  char *label;
  gboolean full;
  gint64 cursors[HS_N_STREAMS];
} BeginData;

static void
begin_data_free (BeginData *data)
{
  g_clear_object (&data->run);
  g_free (data->label);
  g_free (data);
}

static void
begin_run_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Session *session = get_session (source_object);
  BeginData *data = task_data;
  g_autoptr(HsFiscalYear) year = NULL;
  GError *error = NULL;
  HsGdaDb *db;

  if (session->run_year != NULL)
    {
      g_task_return_new_error (task, HS_ERROR, HS_ERROR_BUSY,
                               _("A run is already writing to %s"), session_display (session));
      return;
    }

  /* Normally the run's first ledger row took the lock already. */
  db = session_get_db (session, &error);
  if (db == NULL || !session_lock_for_run (session, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  year = hs_gda_catalog_find_fiscal_year (db, data->label, &error);
  if (year == NULL || !hs_gda_db_begin (db, &error))
    {
      prefix_database_error (&error, _("Cannot start the run in %s"), session_display (session));
      g_task_return_error (task, error);
      return;
    }

  if (!hs_gda_schema_lock_tables (db, NULL, &error) ||
      !hs_gda_catalog_read_cursors (db, data->label, data->cursors, &error) ||
      !hs_gda_writer_begin (session->writer, data->label, data->full, &error) ||
      g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      session_rollback (session);
      prefix_database_error (&error, _("Cannot start the run in %s"), session_display (session));
      g_task_return_error (task, error);
      return;
    }

  session->run_year = g_steal_pointer (&year);
  session->run_full = data->full;
  g_task_return_boolean (task, TRUE);
}

static void
hs_gda_sink_begin_run_async (HsSink             *sink,
                             HsRun              *run,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  HsGdaSink *self = HS_GDA_SINK (sink);
  g_autoptr(GTask) task = NULL;
  BeginData *data = g_new0 (BeginData, 1);

  data->run = g_object_ref (run);
  data->label = g_strdup (hs_run_get_fiscal_year (run));
  data->full = hs_run_get_mode (run) == HS_SYNC_FULL;

  task = new_task (self, cancellable, callback, user_data, hs_gda_sink_begin_run_async,
                   data, (GDestroyNotify) begin_data_free);
  hs_worker_run (self->worker, task, begin_run_thread);
}

static gboolean
hs_gda_sink_begin_run_finish (HsSink       *sink,
                              GAsyncResult *result,
                              GError      **error)
{
  BeginData *data;

  if (!finish_boolean (sink, result, hs_gda_sink_begin_run_async, error))
    return FALSE;

  data = g_task_get_task_data (G_TASK (result));
  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    hs_run_set_cursor_before (data->run, stream, data->cursors[stream]);
  return TRUE;
}

/* write_batch */

typedef struct
{
  HsRecordBatch *batch;
  guint inserted;
  guint updated;
} WriteData;

static void
write_data_free (WriteData *data)
{
  hs_record_batch_unref (data->batch);
  g_free (data);
}

static void
write_batch_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Session *session = get_session (source_object);
  WriteData *data = task_data;
  GError *error = NULL;

  if (!check_run (session, &error) ||
      !hs_gda_writer_write (session->writer, data->batch, g_get_real_time (), cancellable,
                            &data->inserted, &data->updated, &error))
    {
      prefix_database_error (&error, _("Writing %s failed"),
                             hs_stream_to_string (hs_record_batch_get_stream (data->batch)));
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
hs_gda_sink_write_batch_async (HsSink             *sink,
                               HsRun              *run,
                               HsRecordBatch      *batch,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  HsGdaSink *self = HS_GDA_SINK (sink);
  g_autoptr(GTask) task = NULL;
  WriteData *data = g_new0 (WriteData, 1);

  data->batch = hs_record_batch_ref (batch);
  task = new_task (self, cancellable, callback, user_data, hs_gda_sink_write_batch_async,
                   data, (GDestroyNotify) write_data_free);
  hs_worker_run (self->worker, task, write_batch_thread);
}

static gboolean
hs_gda_sink_write_batch_finish (HsSink       *sink,
                                GAsyncResult *result,
                                guint        *inserted,
                                guint        *updated,
                                GError      **error)
{
  WriteData *data;

  if (!finish_boolean (sink, result, hs_gda_sink_write_batch_async, error))
    return FALSE;

  data = g_task_get_task_data (G_TASK (result));
  if (inserted != NULL)
    *inserted = data->inserted;
  if (updated != NULL)
    *updated = data->updated;
  return TRUE;
}

/* sweep */

typedef struct
{
  HsStream stream;
  gboolean apply;
  guint64 n_window;
  guint64 n_missing;
} SweepData;

static void
sweep_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Session *session = get_session (source_object);
  SweepData *data = task_data;
  GError *error = NULL;

  if (!check_run (session, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (!session->run_full)
    {
      g_task_return_new_error (task, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                               _("Only a full run can look for records Halo no longer has"));
      return;
    }

  if (!hs_gda_writer_sweep (session->writer, data->stream,
                            hs_fiscal_year_get_window_start (session->run_year),
                            hs_fiscal_year_get_window_end (session->run_year),
                            data->apply, g_get_real_time (),
                            &data->n_window, &data->n_missing, &error))
    {
      prefix_database_error (&error, _("Looking for deleted %s failed"), hs_stream_to_string (data->stream));
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
hs_gda_sink_sweep_async (HsSink             *sink,
                         HsRun              *run,
                         HsStream            stream,
                         gboolean            apply,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  HsGdaSink *self = HS_GDA_SINK (sink);
  g_autoptr(GTask) task = NULL;
  SweepData *data = g_new0 (SweepData, 1);

  data->stream = stream;
  data->apply = apply;
  task = new_task (self, cancellable, callback, user_data, hs_gda_sink_sweep_async, data, g_free);
  hs_worker_run (self->worker, task, sweep_thread);
}

static gboolean
hs_gda_sink_sweep_finish (HsSink       *sink,
                          GAsyncResult *result,
                          guint64      *n_window,
                          guint64      *n_missing,
                          GError      **error)
{
  SweepData *data;

  if (!finish_boolean (sink, result, hs_gda_sink_sweep_async, error))
    return FALSE;

  data = g_task_get_task_data (G_TASK (result));
  if (n_window != NULL)
    *n_window = data->n_window;
  if (n_missing != NULL)
    *n_missing = data->n_missing;
  return TRUE;
}

/* commit_run */

static gboolean
commit_in_transaction (Session    *session,
                       LedgerData *data,
                       GError    **error)
{
  HsGdaDb *db = session->db;
  HsGdaRunRecord *record = data->record;
  const char *label = hs_fiscal_year_get_label (session->run_year);
  gboolean changed, empty;

  if (!hs_gda_writer_end (session->writer, error) ||
      !hs_gda_catalog_write_cursors (db, label, record->cursor_after, error))
    return FALSE;

  /* The hourly run that found nothing new skips the rebuild. */
  changed = hs_gda_run_record_get_total (record, HS_COUNTER_INSERTED) +
            hs_gda_run_record_get_total (record, HS_COUNTER_UPDATED) +
            hs_gda_run_record_get_total (record, HS_COUNTER_DELETED) > 0;
  if (!hs_gda_summary_is_empty (db, label, &empty, error))
    return FALSE;
  if ((changed || empty) && !hs_gda_summary_rebuild (db, session->run_year, error))
    return FALSE;

  return hs_gda_ledger_save (db, record, &data->id, error) &&
         hs_gda_db_commit (db, error);
}

static void
commit_run_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Session *session = get_session (source_object);
  LedgerData *data = task_data;
  GError *error = NULL;

  if (!check_run (session, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (data->record->dry_run)
    {
      session_rollback (session);
      if (!session_transact (session, ledger_tables, save_run_in_transaction, data, &error))
        {
          prefix_database_error (&error, _("Cannot record the dry run in %s"), session_display (session));
          g_task_return_error (task, error);
          return;
        }
      session_release_run_lock (session);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (!commit_in_transaction (session, data, &error))
    {
      session_rollback (session);
      prefix_database_error (&error, _("Cannot commit the run to %s"), session_display (session));
      g_task_return_error (task, error);
      return;
    }

  hs_gda_writer_forget (session->writer);
  g_clear_object (&session->run_year);
  session_release_run_lock (session);
  g_task_return_boolean (task, TRUE);
}

static void
hs_gda_sink_commit_run_async (HsSink             *sink,
                              HsRun              *run,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  HsGdaSink *self = HS_GDA_SINK (sink);
  LedgerData *data = ledger_data_new (run);
  g_autoptr(GTask) task = NULL;

  /* The ledger row is written as the run will be once committed (or, for
   * a dry run, rolled back): the engine marks the run succeeded only when
   * this returns. */
  data->record->status = HS_RUN_SUCCEEDED;
  data->record->stage = HS_RUN_STAGE_DONE;
  task = new_task (self, cancellable, callback, user_data, hs_gda_sink_commit_run_async,
                   data, (GDestroyNotify) ledger_data_free);
  hs_worker_run (self->worker, task, commit_run_thread);
}

static gboolean
hs_gda_sink_commit_run_finish (HsSink       *sink,
                               GAsyncResult *result,
                               GError      **error)
{
  return finish_ledger (HS_GDA_SINK (sink), result, hs_gda_sink_commit_run_async, error);
}

/* abort_run */

static void
abort_run_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  session_rollback (get_session (source_object));
  g_task_return_boolean (task, TRUE);
}

static void
hs_gda_sink_abort_run_async (HsSink             *sink,
                             HsRun              *run,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  HsGdaSink *self = HS_GDA_SINK (sink);
  g_autoptr(GTask) task = NULL;

  /* A cancelled run must still be rolled back: the worker skips tasks
   * whose cancellable fired, so this one takes none. */
  task = new_task (self, NULL, callback, user_data, hs_gda_sink_abort_run_async, NULL, NULL);
  hs_worker_run (self->worker, task, abort_run_thread);
}

static gboolean
hs_gda_sink_abort_run_finish (HsSink       *sink,
                              GAsyncResult *result,
                              GError      **error)
{
  return finish_boolean (sink, result, hs_gda_sink_abort_run_async, error);
}

/* summarize */

static void
summarize_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Session *session = get_session (source_object);
  g_autoptr(HsFiscalYear) year = NULL;
  GError *error = NULL;
  GVariant *summary = NULL;
  HsGdaDb *db;

  db = session_get_db (session, &error);
  if (db != NULL)
    year = hs_gda_catalog_find_fiscal_year (db, task_data, &error);
  if (year != NULL)
    summary = hs_gda_summary_read (db, task_data, &error);
  if (summary == NULL)
    {
      prefix_database_error (&error, _("Cannot read the summary from %s"), session_display (session));
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, summary, (GDestroyNotify) g_variant_unref);
}

static void
hs_gda_sink_summarize_async (HsSink             *sink,
                             const char         *fiscal_year,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  HsGdaSink *self = HS_GDA_SINK (sink);
  g_autoptr(GTask) task = new_task (self, cancellable, callback, user_data,
                                    hs_gda_sink_summarize_async, g_strdup (fiscal_year), g_free);

  hs_worker_run (self->worker, task, summarize_thread);
}

static GVariant *
hs_gda_sink_summarize_finish (HsSink       *sink,
                              GAsyncResult *result,
                              GError      **error)
{
  return finish_pointer (sink, result, hs_gda_sink_summarize_async, error);
}

static void
hs_gda_sink_dispose (GObject *object)
{
  HsGdaSink *self = HS_GDA_SINK (object);

  /* Lets queued operations finish and joins the thread, so the session
   * is no longer in use when finalize frees it. */
  g_clear_object (&self->worker);

  G_OBJECT_CLASS (hs_gda_sink_parent_class)->dispose (object);
}

static void
hs_gda_sink_finalize (GObject *object)
{
  HsGdaSink *self = HS_GDA_SINK (object);

  g_clear_pointer (&self->session, session_free);

  G_OBJECT_CLASS (hs_gda_sink_parent_class)->finalize (object);
}

static void
hs_gda_sink_class_init (HsGdaSinkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  HsSinkClass *sink_class = HS_SINK_CLASS (klass);

  object_class->dispose = hs_gda_sink_dispose;
  object_class->finalize = hs_gda_sink_finalize;

  sink_class->uri_schemes = uri_schemes;
  sink_class->open_async = hs_gda_sink_open_async;
  sink_class->open_finish = hs_gda_sink_open_finish;
  sink_class->list_fiscal_years_async = hs_gda_sink_list_fiscal_years_async;
  sink_class->list_fiscal_years_finish = hs_gda_sink_list_fiscal_years_finish;
  sink_class->add_fiscal_year_async = hs_gda_sink_add_fiscal_year_async;
  sink_class->add_fiscal_year_finish = hs_gda_sink_add_fiscal_year_finish;
  sink_class->remove_fiscal_year_async = hs_gda_sink_remove_fiscal_year_async;
  sink_class->remove_fiscal_year_finish = hs_gda_sink_remove_fiscal_year_finish;
  sink_class->list_agents_async = hs_gda_sink_list_agents_async;
  sink_class->list_agents_finish = hs_gda_sink_list_agents_finish;
  sink_class->set_agent_mapping_async = hs_gda_sink_set_agent_mapping_async;
  sink_class->set_agent_mapping_finish = hs_gda_sink_set_agent_mapping_finish;
  sink_class->list_runs_async = hs_gda_sink_list_runs_async;
  sink_class->list_runs_finish = hs_gda_sink_list_runs_finish;
  sink_class->save_run_async = hs_gda_sink_save_run_async;
  sink_class->save_run_finish = hs_gda_sink_save_run_finish;
  sink_class->begin_run_async = hs_gda_sink_begin_run_async;
  sink_class->begin_run_finish = hs_gda_sink_begin_run_finish;
  sink_class->write_batch_async = hs_gda_sink_write_batch_async;
  sink_class->write_batch_finish = hs_gda_sink_write_batch_finish;
  sink_class->sweep_async = hs_gda_sink_sweep_async;
  sink_class->sweep_finish = hs_gda_sink_sweep_finish;
  sink_class->commit_run_async = hs_gda_sink_commit_run_async;
  sink_class->commit_run_finish = hs_gda_sink_commit_run_finish;
  sink_class->abort_run_async = hs_gda_sink_abort_run_async;
  sink_class->abort_run_finish = hs_gda_sink_abort_run_finish;
  sink_class->summarize_async = hs_gda_sink_summarize_async;
  sink_class->summarize_finish = hs_gda_sink_summarize_finish;
}

static void
hs_gda_sink_init (HsGdaSink *self)
{
  self->worker = hs_worker_new ("hs-gda-sink");
  self->session = g_new0 (Session, 1);
  self->session->run_lock_fd = -1;
}
