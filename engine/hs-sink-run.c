/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-error.h"
#include "hs-sink-run-private.h"

typedef enum
{
  STATE_OPEN,
  STATE_FAILED,
  STATE_ENDED,
} State;

typedef struct
{
  char *sink_name;            /* (owned): the plugin's, for messages */
  HsFiscalYear *fiscal_year;  /* (owned) */
  HsSyncMode mode;
  State state;
  GError *failure;            /* (owned) (nullable): what ended an open run */
} HsSinkRunPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (HsSinkRun, hs_sink_run, G_TYPE_OBJECT)

static void
hs_sink_run_dispose (GObject *object)
{
  HsSinkRun *self = HS_SINK_RUN (object);
  HsSinkRunPrivate *priv = hs_sink_run_get_instance_private (self);

  /* A run nobody ended is rolled back, never left open. */
  if (priv->state != STATE_ENDED && priv->fiscal_year != NULL)
    hs_sink_run_abort (self);
  g_clear_object (&priv->fiscal_year);

  G_OBJECT_CLASS (hs_sink_run_parent_class)->dispose (object);
}

static void
hs_sink_run_finalize (GObject *object)
{
  HsSinkRunPrivate *priv = hs_sink_run_get_instance_private (HS_SINK_RUN (object));

  g_clear_error (&priv->failure);
  g_free (priv->sink_name);

  G_OBJECT_CLASS (hs_sink_run_parent_class)->finalize (object);
}

static gboolean
not_supported (HsSinkRun  *self,
               const char *operation,
               GError    **error)
{
  HsSinkRunPrivate *priv = hs_sink_run_get_instance_private (self);

  /* The same sentence as #HsSink's. */
  g_set_error (error, HS_ERROR, HS_ERROR_NOT_SUPPORTED, _("The plugin “%s” cannot %s"),
               priv->sink_name, operation);
  return FALSE;
}

static gboolean
hs_sink_run_real_write_batch (HsSinkRun     *self,
                              HsRecordBatch *batch,
                              guint         *inserted,
                              guint         *updated,
                              GError       **error)
{
  return not_supported (self, _("write records"), error);
}

static gboolean
hs_sink_run_real_sweep (HsSinkRun *self,
                        HsStream   stream,
                        gboolean   apply,
                        guint64   *n_window,
                        guint64   *n_missing,
                        GError   **error)
{
  return not_supported (self, _("check for deleted records"), error);
}

static gboolean
hs_sink_run_real_rebuild_summary (HsSinkRun *self,
                                  GError   **error)
{
  return not_supported (self, _("summarize fiscal years"), error);
}

static gboolean
hs_sink_run_real_list_unmapped_agents (HsSinkRun *self,
                                       GArray    *agent_ids,
                                       GError   **error)
{
  return not_supported (self, _("list the agents without a team member"), error);
}

static gboolean
hs_sink_run_real_commit (HsSinkRun *self,
                         HsRun     *run,
                         GError   **error)
{
  return not_supported (self, _("commit runs"), error);
}

static void
hs_sink_run_real_abort (HsSinkRun *self)
{
}

static void
hs_sink_run_class_init (HsSinkRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hs_sink_run_dispose;
  object_class->finalize = hs_sink_run_finalize;

  klass->write_batch = hs_sink_run_real_write_batch;
  klass->sweep = hs_sink_run_real_sweep;
  klass->rebuild_summary = hs_sink_run_real_rebuild_summary;
  klass->list_unmapped_agents = hs_sink_run_real_list_unmapped_agents;
  klass->commit = hs_sink_run_real_commit;
  klass->abort = hs_sink_run_real_abort;
}

static void
hs_sink_run_init (HsSinkRun *self)
{
}

/* Called by hs_sink_begin_run() on the run a sink opened. */
void
_hs_sink_run_set_up (HsSinkRun    *self,
                     const char   *sink_name,
                     HsFiscalYear *fiscal_year,
                     HsSyncMode    mode)
{
  HsSinkRunPrivate *priv = hs_sink_run_get_instance_private (self);

  g_free (priv->sink_name);
  priv->sink_name = g_strdup (sink_name);
  g_set_object (&priv->fiscal_year, fiscal_year);
  priv->mode = mode;
  priv->state = STATE_OPEN;
}

/**
 * hs_sink_run_get_fiscal_year:
 * @self: a run
 *
 * Returns: (transfer none): the fiscal year the run writes
 */
HsFiscalYear *
hs_sink_run_get_fiscal_year (HsSinkRun *self)
{
  HsSinkRunPrivate *priv = hs_sink_run_get_instance_private (self);

  g_return_val_if_fail (HS_IS_SINK_RUN (self), NULL);

  return priv->fiscal_year;
}

/**
 * hs_sink_run_get_mode:
 * @self: a run
 *
 * Returns: whether the run is full or incremental
 */
HsSyncMode
hs_sink_run_get_mode (HsSinkRun *self)
{
  HsSinkRunPrivate *priv = hs_sink_run_get_instance_private (self);

  g_return_val_if_fail (HS_IS_SINK_RUN (self), HS_SYNC_INCREMENTAL);

  return priv->mode;
}

/* Whether the run may still write; if not, why in @error. */
static gboolean
check_open (HsSinkRun *self,
            GError   **error)
{
  HsSinkRunPrivate *priv = hs_sink_run_get_instance_private (self);

  if (priv->state == STATE_OPEN)
    return TRUE;

  if (priv->state == STATE_FAILED)
    g_set_error (error, priv->failure->domain, priv->failure->code,
                 _("%s (nothing more was written after this)"), priv->failure->message);
  else
    g_set_error_literal (error, HS_ERROR, HS_ERROR_FAILED, _("The run has ended; nothing more is written in it"));
  return FALSE;
}

/* Ends the run at its first failure, which every later call repeats. */
static gboolean
check_result (HsSinkRun    *self,
              gboolean      ok,
              const GError *error)
{
  HsSinkRunPrivate *priv = hs_sink_run_get_instance_private (self);

  if (ok)
    return TRUE;

  g_return_val_if_fail (error != NULL, FALSE);
  priv->state = STATE_FAILED;
  priv->failure = g_error_copy (error);
  return FALSE;
}

/**
 * hs_sink_run_write_batch:
 * @self: a run
 * @batch: records of one stream
 * @inserted: (out) (optional): the rows inserted
 * @updated: (out) (optional): the rows changed
 * @error: return location for an error
 *
 * Returns: %TRUE if the batch was written
 */
gboolean
hs_sink_run_write_batch (HsSinkRun     *self,
                         HsRecordBatch *batch,
                         guint         *inserted,
                         guint         *updated,
                         GError       **error)
{
  guint n_inserted = 0, n_updated = 0;
  GError *local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (HS_IS_SINK_RUN (self), FALSE);
  g_return_val_if_fail (batch != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_open (self, error))
    return FALSE;

  ok = HS_SINK_RUN_GET_CLASS (self)->write_batch (self, batch, &n_inserted, &n_updated, &local_error);
  if (!check_result (self, ok, local_error))
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (inserted != NULL)
    *inserted = n_inserted;
  if (updated != NULL)
    *updated = n_updated;
  return TRUE;
}

/**
 * hs_sink_run_sweep:
 * @self: a full run
 * @stream: a stream
 * @apply: whether to mark the rows deleted, or only count them
 * @n_window: (out) (optional): the live rows in the fiscal year's window,
 *   counted after the marking when @apply
 * @n_missing: (out) (optional): the live rows the year holds that the run
 *   did not write
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
hs_sink_run_sweep (HsSinkRun *self,
                   HsStream   stream,
                   gboolean   apply,
                   guint64   *n_window,
                   guint64   *n_missing,
                   GError   **error)
{
  guint64 window = 0, missing = 0;
  GError *local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (HS_IS_SINK_RUN (self), FALSE);
  g_return_val_if_fail (stream < HS_N_STREAMS, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_open (self, error))
    return FALSE;

  if (hs_sink_run_get_mode (self) != HS_SYNC_FULL)
    {
      g_set_error_literal (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                           _("Only a full run can look for records the source no longer has"));
      return FALSE;
    }

  ok = HS_SINK_RUN_GET_CLASS (self)->sweep (self, stream, apply, &window, &missing, &local_error);
  if (!check_result (self, ok, local_error))
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  if (n_window != NULL)
    *n_window = window;
  if (n_missing != NULL)
    *n_missing = missing;
  return TRUE;
}

/**
 * hs_sink_run_rebuild_summary:
 * @self: a run
 * @error: return location for an error
 *
 * Returns: %TRUE on success
 */
gboolean
hs_sink_run_rebuild_summary (HsSinkRun *self,
                             GError   **error)
{
  GError *local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (HS_IS_SINK_RUN (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_open (self, error))
    return FALSE;

  ok = HS_SINK_RUN_GET_CLASS (self)->rebuild_summary (self, &local_error);
  if (!check_result (self, ok, local_error))
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/**
 * hs_sink_run_list_unmapped_agents:
 * @self: a run
 * @agent_ids: (element-type gint64): where the agent ids are appended
 * @error: return location for an error
 *
 * Reads, inside the run's transaction, which agents the fiscal year's
 * rows name without a team member.
 *
 * Returns: %TRUE on success
 */
gboolean
hs_sink_run_list_unmapped_agents (HsSinkRun *self,
                                  GArray    *agent_ids,
                                  GError   **error)
{
  GError *local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (HS_IS_SINK_RUN (self), FALSE);
  g_return_val_if_fail (agent_ids != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_open (self, error))
    return FALSE;

  ok = HS_SINK_RUN_GET_CLASS (self)->list_unmapped_agents (self, agent_ids, &local_error);
  if (!check_result (self, ok, local_error))
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

/**
 * hs_sink_run_commit:
 * @self: a run
 * @run: the run as it is to be recorded, with its new cursors
 * @error: return location for an error
 *
 * Commits the rows, the cursors and the ledger row together.  A run that
 * failed before cannot be committed.
 *
 * Returns: %TRUE once everything is durable
 */
gboolean
hs_sink_run_commit (HsSinkRun *self,
                    HsRun     *run,
                    GError   **error)
{
  HsSinkRunPrivate *priv = hs_sink_run_get_instance_private (self);
  GError *local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (HS_IS_SINK_RUN (self), FALSE);
  g_return_val_if_fail (HS_IS_RUN (run), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_open (self, error))
    return FALSE;

  ok = HS_SINK_RUN_GET_CLASS (self)->commit (self, run, &local_error);
  if (!check_result (self, ok, local_error))
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  priv->state = STATE_ENDED;
  return TRUE;
}

/**
 * hs_sink_run_abort:
 * @self: a run
 *
 * Rolls back whatever the run wrote.  Aborting an ended run does nothing.
 */
void
hs_sink_run_abort (HsSinkRun *self)
{
  HsSinkRunPrivate *priv = hs_sink_run_get_instance_private (self);

  g_return_if_fail (HS_IS_SINK_RUN (self));

  if (priv->state == STATE_ENDED)
    return;
  priv->state = STATE_ENDED;
  HS_SINK_RUN_GET_CLASS (self)->abort (self);
}
