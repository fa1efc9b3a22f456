/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-engine-private.h"
#include "hs-error.h"

/* --- Catalogue ---------------------------------------------------------- */

static void
return_pointer_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GPtrArray *(*finish) (HsSink *, GAsyncResult *, GError **) = g_task_get_task_data (task);
  GError *error = NULL;
  GPtrArray *array;

  array = finish (HS_SINK (object), result, &error);
  if (array == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, array, (GDestroyNotify) g_ptr_array_unref);
}

static void
list_fiscal_years_call (HsSink *sink,
                        GTask  *task)
{
  g_task_set_task_data (task, hs_sink_list_fiscal_years_finish, NULL);
  hs_sink_list_fiscal_years_async (sink, g_task_get_cancellable (task), return_pointer_cb, task);
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
  GTask *task;

  g_return_if_fail (HS_IS_ENGINE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hs_engine_list_fiscal_years_async);
  _hs_engine_with_sink (self, task, list_fiscal_years_call);
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
  g_return_val_if_fail (HS_IS_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
list_agents_call (HsSink *sink,
                  GTask  *task)
{
  g_task_set_task_data (task, hs_sink_list_agents_finish, NULL);
  hs_sink_list_agents_async (sink, g_task_get_cancellable (task), return_pointer_cb, task);
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
  GTask *task;

  g_return_if_fail (HS_IS_ENGINE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hs_engine_list_agents_async);
  _hs_engine_with_sink (self, task, list_agents_call);
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
  g_return_val_if_fail (HS_IS_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
list_runs_call (HsSink *sink,
                GTask  *task)
{
  guint limit = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (task), "limit"));

  g_task_set_task_data (task, hs_sink_list_runs_finish, NULL);
  hs_sink_list_runs_async (sink, limit, g_task_get_cancellable (task), return_pointer_cb, task);
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
  GTask *task;

  g_return_if_fail (HS_IS_ENGINE (self));
  g_return_if_fail (limit > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hs_engine_list_runs_async);
  g_object_set_data (G_OBJECT (task), "limit", GUINT_TO_POINTER (limit));
  _hs_engine_with_sink (self, task, list_runs_call);
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
  g_return_val_if_fail (HS_IS_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
summarize_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GVariant *summary;

  summary = hs_sink_summarize_finish (HS_SINK (object), result, &error);
  if (summary == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, summary, (GDestroyNotify) g_variant_unref);
}

static void
summarize_call (HsSink *sink,
                GTask  *task)
{
  hs_sink_summarize_async (sink, g_task_get_task_data (task), g_task_get_cancellable (task),
                           summarize_cb, task);
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
  GTask *task;

  g_return_if_fail (HS_IS_ENGINE (self));
  g_return_if_fail (fiscal_year != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hs_engine_summarize_async);
  g_task_set_task_data (task, g_strdup (fiscal_year), g_free);
  _hs_engine_with_sink (self, task, summarize_call);
}

/**
 * hs_engine_summarize_finish:
 * @self: an engine
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full): the summary, a #GVariant of type `a(sssdduu)`
 *   as hs_sink_summarize_finish() describes
 */
GVariant *
hs_engine_summarize_finish (HsEngine     *self,
                            GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (HS_IS_ENGINE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Catalogue changes queue behind runs: a change made while a run's
 * transaction is open would be committed or rolled back with that run.
 * Rather than wait for a whole sync (minutes, on a large tenant; past
 * D-Bus's timeout), a change asked for while one is queued or going is
 * refused at once with %HS_ERROR_BUSY and a message that says what to
 * redo; creating a fiscal year, which queues a sync anyway, is queued. */
static void
refuse_while_syncing (HsEngine           *self,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data,
                      gpointer            source_tag,
                      const char         *message)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_return_new_error (task, HS_ERROR, HS_ERROR_BUSY, "%s", message);
}

static void
return_boolean_op_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(HsEngine) self = user_data;
  Op *op = self->current;
  gboolean (*finish) (HsSink *, GAsyncResult *, GError **) = g_object_get_data (G_OBJECT (op->task), "finish");
  g_autoptr(GTask) task = g_steal_pointer (&op->task);
  HsEngineChange change = op->change;
  GError *error = NULL;

  _hs_engine_finish_op (self);
  if (!finish (HS_SINK (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  _hs_engine_emit_changed (self, change);
  g_task_return_boolean (task, TRUE);
}

static void
op_sink_failed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  HsEngine *self = HS_ENGINE (object);
  Op *op = self->current;
  g_autoptr(GTask) task = g_steal_pointer (&op->task);
  GError *error = NULL;

  /* with_sink() only returns on this task when the sink failed to open. */
  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_assert_not_reached ();

  /* A fiscal year created while another sync ran has answered already,
   * and its run tells why it failed. */
  if (task == NULL)
    {
      _hs_engine_fail_run (self, op, error);
      return;
    }
  _hs_engine_finish_op (self);
  g_task_return_error (task, error);
}

static void
run_op_with_sink (HsEngine *self,
                  SinkCall  call)
{
  GTask *op_task = self->current->task;
  GTask *task = g_task_new (self, op_task != NULL ? g_task_get_cancellable (op_task) : NULL,
                            op_sink_failed_cb, NULL);

  g_task_set_source_tag (task, run_op_with_sink);
  _hs_engine_with_sink (self, task, call);
}

static void
delete_fiscal_year_call (HsSink *sink,
                         GTask  *task)
{
  HsEngine *self = g_task_get_source_object (task);
  Op *op = self->current;

  g_object_unref (task);
  g_object_set_data (G_OBJECT (op->task), "finish", hs_sink_remove_fiscal_year_finish);
  hs_sink_remove_fiscal_year_async (sink, op->label, NULL, return_boolean_op_cb, g_object_ref (self));
}

static void
start_delete_fiscal_year (HsEngine *self,
                          Op       *op)
{
  if (_hs_engine_find_run_op (self, op->label, NULL) != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&op->task);

      _hs_engine_finish_op (self);
      g_task_return_new_error (task, HS_ERROR, HS_ERROR_BUSY,
                               _("“%s” is being synced; cancel the sync or wait for it to end"),
                               (const char *) g_task_get_task_data (task));
      return;
    }

  run_op_with_sink (self, delete_fiscal_year_call);
}

/* While a sync runs, a year that does not exist is still reported as
 * such (a read, which does not wait for the sync); any other deletion
 * is refused as busy. */
static void
check_deleted_year_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const char *label = g_task_get_task_data (task);
  g_autoptr(GPtrArray) years = NULL;
  GError *error = NULL;

  years = hs_sink_list_fiscal_years_finish (HS_SINK (object), result, &error);
  if (years == NULL)
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

static void
check_deleted_year_call (HsSink *sink,
                         GTask  *task)
{
  hs_sink_list_fiscal_years_async (sink, g_task_get_cancellable (task), check_deleted_year_cb, task);
}

/**
 * hs_engine_delete_fiscal_year_async:
 * @self: an engine
 * @label: the year to delete
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Deletes a fiscal year that no synced row belongs to.
 */
void
hs_engine_delete_fiscal_year_async (HsEngine           *self,
                                    const char         *label,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  Op *op;

  g_return_if_fail (HS_IS_ENGINE (self));
  g_return_if_fail (label != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (_hs_engine_is_syncing (self))
    {
      GTask *task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, hs_engine_delete_fiscal_year_async);
      g_task_set_task_data (task, g_strdup (label), g_free);
      _hs_engine_with_sink (self, task, check_deleted_year_call);
      return;
    }

  op = _hs_engine_op_new (start_delete_fiscal_year);
  op->change = HS_ENGINE_CHANGE_FISCAL_YEARS;
  op->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (op->task, hs_engine_delete_fiscal_year_async);
  g_task_set_task_data (op->task, g_strdup (label), g_free);
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

static void
set_agent_mapping_call (HsSink *sink,
                        GTask  *task)
{
  HsEngine *self = g_task_get_source_object (task);
  Op *op = self->current;

  g_object_unref (task);
  g_object_set_data (G_OBJECT (op->task), "finish", hs_sink_set_agent_mapping_finish);
  hs_sink_set_agent_mapping_async (sink, op->mapping, NULL, return_boolean_op_cb, g_object_ref (self));
}

static void
start_set_agent_mapping (HsEngine *self,
                         Op       *op)
{
  run_op_with_sink (self, set_agent_mapping_call);
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
  Op *op;

  g_return_if_fail (HS_IS_ENGINE (self));
  g_return_if_fail (HS_IS_AGENT_MAPPING (mapping));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (_hs_engine_is_syncing (self))
    {
      refuse_while_syncing (self, cancellable, callback, user_data, hs_engine_set_agent_mapping_async,
                            _("The mapping was not saved: a sync is writing to the database. "
                              "Save it again when the sync has finished."));
      return;
    }

  op = _hs_engine_op_new (start_set_agent_mapping);
  op->change = HS_ENGINE_CHANGE_AGENTS;
  op->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (op->task, hs_engine_set_agent_mapping_async);
  op->mapping = g_object_ref (mapping);
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
add_fiscal_year_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(HsEngine) self = user_data;
  Op *op = self->current;
  g_autoptr(GTask) task = g_steal_pointer (&op->task);
  GError *error = NULL;

  if (!hs_sink_add_fiscal_year_finish (HS_SINK (object), result, &error))
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
create_fiscal_year_call (HsSink *sink,
                         GTask  *task)
{
  HsEngine *self = g_task_get_source_object (task);
  Op *op = self->current;

  g_object_unref (task);
  hs_sink_add_fiscal_year_async (sink, op->fiscal_year, NULL, add_fiscal_year_cb, g_object_ref (self));
}

static void
start_create_fiscal_year (HsEngine *self,
                          Op       *op)
{
  run_op_with_sink (self, create_fiscal_year_call);
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
  g_autoptr(GPtrArray) years = NULL;
  GError *error = NULL;
  Op *op;

  years = hs_sink_list_fiscal_years_finish (HS_SINK (object), result, &error);
  if (years == NULL || !hs_fiscal_year_check_conflicts (fiscal_year, years, &error))
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

static void
check_new_year_call (HsSink *sink,
                     GTask  *task)
{
  hs_sink_list_fiscal_years_async (sink, g_task_get_cancellable (task), check_new_year_cb, task);
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
      _hs_engine_with_sink (self, g_steal_pointer (&task), check_new_year_call);
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
 * Checks that Halo answers with the configured URL and credentials.
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
 * Returns: %TRUE if Halo accepted the credentials
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

static void
check_sink_call (HsSink *sink,
                 GTask  *task)
{
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
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
  _hs_engine_with_sink (self, task, check_sink_call);
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
