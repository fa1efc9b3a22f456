/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-engine-private.h"
#include "hs-error.h"

/* --- Reads: no queue, no lock ------------------------------------------- */

typedef struct
{
  guint limit;              /* list_runs */
  char *label;              /* (owned) (nullable): summarize */
  gpointer result;          /* (owned) (nullable): the worker's answer */
  GDestroyNotify result_free;
} Read;

static void
read_free (Read *read)
{
  g_free (read->label);
  if (read->result != NULL)
    read->result_free (read->result);
  g_free (read);
}

static gboolean
list_fiscal_years_func (HsSink       *sink,
                        gpointer      data,
                        GCancellable *cancellable,
                        GError      **error)
{
  Read *read = data;

  read->result = hs_sink_list_fiscal_years (sink, error);
  read->result_free = (GDestroyNotify) g_ptr_array_unref;
  return read->result != NULL;
}

static gboolean
list_agents_func (HsSink       *sink,
                  gpointer      data,
                  GCancellable *cancellable,
                  GError      **error)
{
  Read *read = data;

  read->result = hs_sink_list_agents (sink, error);
  read->result_free = (GDestroyNotify) g_ptr_array_unref;
  return read->result != NULL;
}

static gboolean
list_runs_func (HsSink       *sink,
                gpointer      data,
                GCancellable *cancellable,
                GError      **error)
{
  Read *read = data;

  read->result = hs_sink_list_runs (sink, read->limit, error);
  read->result_free = (GDestroyNotify) g_ptr_array_unref;
  return read->result != NULL;
}

static gboolean
summarize_func (HsSink       *sink,
                gpointer      data,
                GCancellable *cancellable,
                GError      **error)
{
  Read *read = data;

  read->result = hs_sink_summarize (sink, read->label, error);
  read->result_free = (GDestroyNotify) g_variant_unref;
  return read->result != NULL;
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Read *read = _hs_engine_sink_call_get_data (result);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&read->result), read->result_free);
}

static void
start_read (HsEngine           *self,
            HsEngineSinkFunc    func,
            Read               *read,
            gpointer            source_tag,
            GCancellable       *cancellable,
            GAsyncReadyCallback callback,
            gpointer            user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  _hs_engine_call_sink (self, func, read, (GDestroyNotify) read_free, cancellable, read_cb, task);
}

static gpointer
finish_read (HsEngine     *self,
             GAsyncResult *result,
             gpointer      source_tag,
             GError      **error)
{
  g_return_val_if_fail (HS_IS_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * hs_engine_list_fiscal_years_async:
 * @self: an engine
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Lists the fiscal years, earliest first.
 */
void
hs_engine_list_fiscal_years_async (HsEngine           *self,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  g_return_if_fail (HS_IS_ENGINE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_read (self, list_fiscal_years_func, g_new0 (Read, 1), hs_engine_list_fiscal_years_async,
              cancellable, callback, user_data);
}

/**
 * hs_engine_list_fiscal_years_finish:
 * @self: an engine
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type HsFiscalYear): the years
 */
GPtrArray *
hs_engine_list_fiscal_years_finish (HsEngine     *self,
                                    GAsyncResult *result,
                                    GError      **error)
{
  return finish_read (self, result, hs_engine_list_fiscal_years_async, error);
}

/**
 * hs_engine_list_agents_async:
 * @self: an engine
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Lists every synced or mapped agent with its mapping.
 */
void
hs_engine_list_agents_async (HsEngine           *self,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_return_if_fail (HS_IS_ENGINE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_read (self, list_agents_func, g_new0 (Read, 1), hs_engine_list_agents_async,
              cancellable, callback, user_data);
}

/**
 * hs_engine_list_agents_finish:
 * @self: an engine
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type HsAgentMapping): the agents
 */
GPtrArray *
hs_engine_list_agents_finish (HsEngine     *self,
                              GAsyncResult *result,
                              GError      **error)
{
  return finish_read (self, result, hs_engine_list_agents_async, error);
}

/**
 * hs_engine_list_runs_async:
 * @self: an engine
 * @limit: the most runs to return
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Lists the most recent runs of the ledger, newest first.
 */
void
hs_engine_list_runs_async (HsEngine           *self,
                           guint               limit,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  Read *read;

  g_return_if_fail (HS_IS_ENGINE (self));
  g_return_if_fail (limit > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  read = g_new0 (Read, 1);
  read->limit = limit;
  start_read (self, list_runs_func, read, hs_engine_list_runs_async, cancellable, callback, user_data);
}

/**
 * hs_engine_list_runs_finish:
 * @self: an engine
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer container) (element-type HsRun): the runs
 */
GPtrArray *
hs_engine_list_runs_finish (HsEngine     *self,
                            GAsyncResult *result,
                            GError      **error)
{
  return finish_read (self, result, hs_engine_list_runs_async, error);
}

/**
 * hs_engine_summarize_async:
 * @self: an engine
 * @fiscal_year: a fiscal-year label
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Reads the per-member per-month summary of a fiscal year.
 */
void
hs_engine_summarize_async (HsEngine           *self,
                           const char         *fiscal_year,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  Read *read;

  g_return_if_fail (HS_IS_ENGINE (self));
  g_return_if_fail (fiscal_year != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  read = g_new0 (Read, 1);
  read->label = g_strdup (fiscal_year);
  start_read (self, summarize_func, read, hs_engine_summarize_async, cancellable, callback, user_data);
}

/**
 * hs_engine_summarize_finish:
 * @self: an engine
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full): the summary, a #GVariant of type `a(sssdduu)`
 *   as #HsSinkClass describes
 */
GVariant *
hs_engine_summarize_finish (HsEngine     *self,
                            GAsyncResult *result,
                            GError      **error)
{
  return finish_read (self, result, hs_engine_summarize_async, error);
}

/* --- Changes: queued behind runs, under the database's lock --------------- */

/* Catalogue changes queue behind runs: a change made while a run's
 * transaction is open would be committed or rolled back with that run.
 * Rather than wait for a whole sync (minutes, on a large tenant; past
 * D-Bus's timeout), a change asked for while one is queued or going is
 * refused at once with %HS_ERROR_BUSY and a message that says what to
 * redo; creating a fiscal year, which queues a sync anyway, is queued.
 * Each change holds the database's lock, so that no other program writes
 * meanwhile; the engine, not the sink, checks a new year for clashes. */

typedef struct
{
  HsFiscalYear *fiscal_year;  /* (owned) (nullable) */
  HsAgentMapping *mapping;    /* (owned) (nullable) */
  char *label;                /* (owned) (nullable) */
} Change;

static void
change_free (Change *change)
{
  g_clear_object (&change->fiscal_year);
  g_clear_object (&change->mapping);
  g_free (change->label);
  g_free (change);
}

static gboolean
lock (HsSink  *sink,
      GError **error)
{
  gboolean taken = FALSE;

  if (!hs_sink_try_lock (sink, &taken, error))
    return FALSE;
  if (!taken)
    g_set_error_literal (error, HS_ERROR, HS_ERROR_BUSY,
                         _("Another HaloSync program is writing to the database; try again when it has finished"));
  return taken;
}

static gboolean
create_fiscal_year_func (HsSink       *sink,
                         gpointer      data,
                         GCancellable *cancellable,
                         GError      **error)
{
  Change *change = data;
  g_autoptr(GPtrArray) years = NULL;
  gboolean ok;

  if (!lock (sink, error))
    return FALSE;
  years = hs_sink_list_fiscal_years (sink, error);
  ok = years != NULL &&
       hs_fiscal_year_check_conflicts (change->fiscal_year, years, error) &&
       hs_sink_create_fiscal_year (sink, change->fiscal_year, error);
  hs_sink_unlock (sink);
  return ok;
}

static gboolean
delete_fiscal_year_func (HsSink       *sink,
                         gpointer      data,
                         GCancellable *cancellable,
                         GError      **error)
{
  Change *change = data;
  gboolean ok;

  if (!lock (sink, error))
    return FALSE;
  ok = hs_sink_delete_fiscal_year (sink, change->label, error);
  hs_sink_unlock (sink);
  return ok;
}

static gboolean
set_agent_mapping_func (HsSink       *sink,
                        gpointer      data,
                        GCancellable *cancellable,
                        GError      **error)
{
  Change *change = data;
  gboolean ok;

  if (!lock (sink, error))
    return FALSE;
  ok = hs_sink_set_agent_mapping (sink, change->mapping, error);
  hs_sink_unlock (sink);
  return ok;
}

static Change *
change_for (Op *op)
{
  Change *change = g_new0 (Change, 1);

  g_set_object (&change->fiscal_year, op->fiscal_year);
  g_set_object (&change->mapping, op->mapping);
  change->label = g_strdup (op->label);
  return change;
}

static void
change_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  HsEngine *self = HS_ENGINE (object);
  Op *op = self->current;
  g_autoptr(GTask) task = g_steal_pointer (&op->task);
  HsEngineChange change = op->change;
  GError *error = NULL;

  _hs_engine_finish_op (self);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  _hs_engine_emit_changed (self, change);
  g_task_return_boolean (task, TRUE);
}

static void
start_delete_fiscal_year (HsEngine *self,
                          Op       *op)
{
  _hs_engine_call_sink (self, delete_fiscal_year_func, change_for (op), (GDestroyNotify) change_free,
                        NULL, change_cb, NULL);
}

static void
start_set_agent_mapping (HsEngine *self,
                         Op       *op)
{
  _hs_engine_call_sink (self, set_agent_mapping_func, change_for (op), (GDestroyNotify) change_free,
                        NULL, change_cb, NULL);
}

/* While a sync runs, a year that does not exist is still reported as
 * such (a read, which does not wait for the sync); any other deletion is
 * refused as busy. */
static void
check_deleted_year_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *label = g_task_get_task_data (task);
  Read *read = _hs_engine_sink_call_get_data (result);
  GPtrArray *years = read->result;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  for (guint i = 0; i < years->len; i++)
    if (g_strcmp0 (hs_fiscal_year_get_label (g_ptr_array_index (years, i)), label) == 0)
      {
        g_task_return_new_error (task, HS_ERROR, HS_ERROR_BUSY, "%s",
                                 _("The fiscal year was not deleted: a sync is writing to the database. "
                                   "Delete it again when the sync has finished."));
        return;
      }

  g_task_return_new_error (task, HS_ERROR, HS_ERROR_NOT_FOUND, _("There is no fiscal year called “%s”"), label);
}

/**
 * hs_engine_delete_fiscal_year_async:
 * @self: an engine
 * @label: the year to delete
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Deletes a fiscal year that no synced row belongs to.  While a sync
 * writes to the database it fails at once with %HS_ERROR_BUSY rather than
 * waiting for the sync to end.
 */
void
hs_engine_delete_fiscal_year_async (HsEngine           *self,
                                    const char         *label,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (HS_IS_ENGINE (self));
  g_return_if_fail (label != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hs_engine_delete_fiscal_year_async);

  if (_hs_engine_is_syncing (self))
    {
      g_task_set_task_data (task, g_strdup (label), g_free);
      _hs_engine_call_sink (self, list_fiscal_years_func, g_new0 (Read, 1), (GDestroyNotify) read_free,
                            cancellable, check_deleted_year_cb, task);
      return;
    }

  op = _hs_engine_op_new (start_delete_fiscal_year);
  op->change = HS_ENGINE_CHANGE_FISCAL_YEARS;
  op->task = task;
  op->label = g_strdup (label);
  _hs_engine_enqueue_op (self, op);
}

/**
 * hs_engine_delete_fiscal_year_finish:
 * @self: an engine
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE if the year was deleted
 */
gboolean
hs_engine_delete_fiscal_year_finish (HsEngine     *self,
                                     GAsyncResult *result,
                                     GError      **error)
{
  g_return_val_if_fail (HS_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * hs_engine_set_agent_mapping_async:
 * @self: an engine
 * @mapping: the mapping; a %NULL member unmaps the agent
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Stores an agent mapping and applies it to the rows already synced.
 * While a sync writes to the database it fails at once with
 * %HS_ERROR_BUSY rather than waiting for the sync to end.
 */
void
hs_engine_set_agent_mapping_async (HsEngine           *self,
                                   HsAgentMapping     *mapping,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data)
{
  GTask *task;
  Op *op;

  g_return_if_fail (HS_IS_ENGINE (self));
  g_return_if_fail (HS_IS_AGENT_MAPPING (mapping));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hs_engine_set_agent_mapping_async);

  if (_hs_engine_is_syncing (self))
    {
      g_task_return_new_error (task, HS_ERROR, HS_ERROR_BUSY, "%s",
                               _("The mapping was not saved: a sync is writing to the database. "
                                 "Save it again when the sync has finished."));
      g_object_unref (task);
      return;
    }

  op = _hs_engine_op_new (start_set_agent_mapping);
  op->change = HS_ENGINE_CHANGE_AGENTS;
  op->task = task;
  /* A private copy: the caller may change its mapping meanwhile. */
  op->mapping = hs_agent_mapping_new (hs_agent_mapping_get_halo_id (mapping),
                                      hs_agent_mapping_get_member (mapping),
                                      hs_agent_mapping_get_team (mapping), NULL);
  hs_agent_mapping_set_active (op->mapping, hs_agent_mapping_get_active (mapping));
  _hs_engine_enqueue_op (self, op);
}

/**
 * hs_engine_set_agent_mapping_finish:
 * @self: an engine
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE if the mapping was stored
 */
gboolean
hs_engine_set_agent_mapping_finish (HsEngine     *self,
                                    GAsyncResult *result,
                                    GError      **error)
{
  g_return_val_if_fail (HS_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
create_fiscal_year_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  HsEngine *self = HS_ENGINE (object);
  Op *op = self->current;
  g_autoptr(GTask) task = g_steal_pointer (&op->task);
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* A caller answered at once learns why from the run. */
      if (task == NULL)
        {
          _hs_engine_fail_run (self, op, error);
          return;
        }
      _hs_engine_finish_op (self);
      g_task_return_error (task, error);
      return;
    }

  /* The year is stored whatever happens to its first sync, which this
   * op now runs. */
  _hs_engine_emit_changed (self, HS_ENGINE_CHANGE_FISCAL_YEARS);
  if (op->run == NULL)
    {
      op->run = hs_run_new (hs_fiscal_year_get_label (op->fiscal_year), HS_TRIGGER_FISCAL_YEAR,
                            HS_SYNC_FULL, FALSE);
      op->cancellable = g_cancellable_new ();
    }
  if (task != NULL)
    g_task_return_pointer (task, g_object_ref (op->run), g_object_unref);
  _hs_engine_start_run (self, op);
}

static void
start_create_fiscal_year (HsEngine *self,
                          Op       *op)
{
  _hs_engine_call_sink (self, create_fiscal_year_func, change_for (op), (GDestroyNotify) change_free,
                        NULL, create_fiscal_year_cb, NULL);
}

/* While another sync runs: the year is checked against the stored ones
 * now (a read, which does not wait for the sync) and the caller answered
 * with the queued run; storing it waits its turn. */
static void
check_new_year_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HsEngine *self = g_task_get_source_object (task);
  HsFiscalYear *fiscal_year = g_task_get_task_data (task);
  Read *read = _hs_engine_sink_call_get_data (result);
  GError *error = NULL;
  Op *op;

  if (!g_task_propagate_boolean (G_TASK (result), &error) ||
      !hs_fiscal_year_check_conflicts (fiscal_year, read->result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  op = _hs_engine_op_new (start_create_fiscal_year);
  op->fiscal_year = g_object_ref (fiscal_year);
  op->run = hs_run_new (hs_fiscal_year_get_label (fiscal_year), HS_TRIGGER_FISCAL_YEAR, HS_SYNC_FULL, FALSE);
  op->cancellable = g_cancellable_new ();
  g_task_return_pointer (task, g_object_ref (op->run), g_object_unref);
  _hs_engine_enqueue_op (self, op);
}

/**
 * hs_engine_create_fiscal_year_async:
 * @self: an engine
 * @label: a unique label
 * @start: the first day, `YYYY-MM-DD`
 * @end: the last day (inclusive), `YYYY-MM-DD`
 * @cancellable: (nullable): a cancellable
 * @callback: called once the year is stored
 * @user_data: data for @callback
 *
 * Validates and stores a fiscal year, then queues a full sync of it with
 * the %HS_TRIGGER_FISCAL_YEAR trigger.  The year stays even if that sync
 * fails.  While another sync is queued or going, it answers as soon as
 * the year is checked against the stored ones, with the queued run: the
 * year is stored when that sync has ended, and should another program
 * have stored a clashing year meanwhile, the queued run fails and says
 * why.
 */
void
hs_engine_create_fiscal_year_async (HsEngine           *self,
                                    const char         *label,
                                    const char         *start,
                                    const char         *end,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(HsFiscalYear) fiscal_year = NULL;
  GError *error = NULL;
  Op *op;

  g_return_if_fail (HS_IS_ENGINE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hs_engine_create_fiscal_year_async);

  fiscal_year = hs_fiscal_year_new (label, start, end, &error);
  if (fiscal_year == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  if (_hs_engine_is_syncing (self))
    {
      g_task_set_task_data (task, g_steal_pointer (&fiscal_year), g_object_unref);
      _hs_engine_call_sink (self, list_fiscal_years_func, g_new0 (Read, 1), (GDestroyNotify) read_free,
                            cancellable, check_new_year_cb, g_steal_pointer (&task));
      return;
    }

  op = _hs_engine_op_new (start_create_fiscal_year);
  op->fiscal_year = g_steal_pointer (&fiscal_year);
  op->task = g_steal_pointer (&task);
  _hs_engine_enqueue_op (self, op);
}

/**
 * hs_engine_create_fiscal_year_finish:
 * @self: an engine
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full): the queued sync of the new year, or %NULL with
 *   %HS_ERROR_INVALID_ARGUMENT, %HS_ERROR_EXISTS or %HS_ERROR_CONFLICT
 */
HsRun *
hs_engine_create_fiscal_year_finish (HsEngine     *self,
                                     GAsyncResult *result,
                                     GError      **error)
{
  g_return_val_if_fail (HS_IS_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- Connection checks ---------------------------------------------------- */

static void
check_source_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!hs_source_check_finish (HS_SOURCE (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * hs_engine_check_source_async:
 * @self: an engine
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Checks that the source answers with the configured URL and credentials.
 */
void
hs_engine_check_source_async (HsEngine           *self,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  HsSource *source;
  GError *error = NULL;

  g_return_if_fail (HS_IS_ENGINE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hs_engine_check_source_async);

  source = hs_engine_get_source (self, &error);
  if (source == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  hs_source_check_async (source, cancellable, check_source_cb, g_steal_pointer (&task));
}

/**
 * hs_engine_check_source_finish:
 * @self: an engine
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE if the source accepted the credentials
 */
gboolean
hs_engine_check_source_finish (HsEngine     *self,
                               GAsyncResult *result,
                               GError      **error)
{
  g_return_val_if_fail (HS_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
open_func (HsSink       *sink,
           gpointer      data,
           GCancellable *cancellable,
           GError      **error)
{
  /* The worker opens the sink before any call. */
  return TRUE;
}

static void
check_sink_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * hs_engine_check_sink_async:
 * @self: an engine
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Checks that the configured database opens and its schema is current.
 */
void
hs_engine_check_sink_async (HsEngine           *self,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  GTask *task;

  g_return_if_fail (HS_IS_ENGINE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hs_engine_check_sink_async);
  _hs_engine_call_sink (self, open_func, NULL, NULL, cancellable, check_sink_cb, task);
}

/**
 * hs_engine_check_sink_finish:
 * @self: an engine
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE if the database is usable
 */
gboolean
hs_engine_check_sink_finish (HsEngine     *self,
                             GAsyncResult *result,
                             GError      **error)
{
  g_return_val_if_fail (HS_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
