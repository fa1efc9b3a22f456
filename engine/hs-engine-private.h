/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-engine.h"
#include "hs-worker.h"

G_BEGIN_DECLS

/* Shared by the engine's files: hs-engine.c holds the object, its plugins
 * and its queue; hs-engine-sink.c runs calls on the sink's worker;
 * hs-engine-runs.c queues and runs syncs; hs-engine-catalog.c reads and
 * changes the catalogue. */

typedef struct _Op Op;
typedef struct _HsEngineSinkSlot HsEngineSinkSlot;

/* The engine's state; see the HsEngine documentation in hs-engine.c. */
struct _HsEngine
{
  GObject parent_instance;

  HsConfig *config;             /* (owned) */
  HsPluginLoader *loader;       /* (owned) */
  HsSource *source;             /* (owned) (nullable): created on first use */
  HsEngineSinkSlot *sink_slot;  /* (owned) (nullable): created on first use */
  gboolean sink_stale;          /* the sink URI changed while an operation ran */

  /* Runs and catalogue changes go through one queue, so a sink never sees
   * a second run, or a change outside a run's transaction landing inside
   * it.  Reads do not queue. */
  GQueue queue;                 /* (owned) of Op */
  Op *current;                  /* (owned) (nullable) */
  HsRun *last_run;              /* (owned) (nullable) */
  gboolean stopping;            /* hs_engine_stop() was called: no new runs */
};

typedef void (*OpStart) (HsEngine *self,
                         Op       *op);

/* What a finished operation changed, for the engine's change signals. */
typedef enum
{
  HS_ENGINE_CHANGE_NONE,
  HS_ENGINE_CHANGE_FISCAL_YEARS,
  HS_ENGINE_CHANGE_AGENTS,
} HsEngineChange;

/* A queued piece of work: a run, or a catalogue change. */
struct _Op
{
  OpStart start;
  GTask *task;                /* (owned) (nullable): the caller waiting for the op */
  HsRun *run;                 /* (owned) (nullable): run ops */
  HsFiscalYear *fiscal_year;  /* (owned) (nullable) */
  HsAgentMapping *mapping;    /* (owned) (nullable) */
  char *label;                /* (owned) (nullable) */
  GCancellable *cancellable;  /* (owned) (nullable): run ops, for hs_engine_cancel() */
  struct _HsSyncJob *job;     /* (owned) (nullable): run ops, once the run is going */
  GPtrArray *waiters;         /* (owned) (element-type GTask): hs_engine_sync_async() callers */
  HsEngineChange change;      /* what the op changes when it succeeds */
};

typedef struct
{
  char *fiscal_year;
  HsSyncMode mode;
  HsSyncFlags flags;
  HsTrigger trigger;
  gboolean wait;
} SyncRequest;

/* Work for the sink's worker thread: %FALSE with @error set on failure. */
typedef gboolean (*HsEngineSinkFunc) (HsSink       *sink,
                                      gpointer      data,
                                      GCancellable *cancellable,
                                      GError      **error);

HsEngineSinkSlot *_hs_engine_sink_slot_new      (HsSink             *sink);
HsEngineSinkSlot *_hs_engine_sink_slot_ref      (HsEngineSinkSlot   *slot);
void              _hs_engine_sink_slot_unref    (HsEngineSinkSlot   *slot);
HsSink           *_hs_engine_sink_slot_get_sink (HsEngineSinkSlot   *slot);
void              _hs_engine_sink_slot_call     (HsEngineSinkSlot   *slot,
                                                 gpointer            source_object,
                                                 HsEngineSinkFunc    func,
                                                 gpointer            data,
                                                 GDestroyNotify      data_free,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
gpointer          _hs_engine_sink_call_get_data (GAsyncResult       *result);
void              _hs_engine_call_sink          (HsEngine           *self,
                                                 HsEngineSinkFunc    func,
                                                 gpointer            data,
                                                 GDestroyNotify      data_free,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
gboolean          _hs_engine_sink_end_dead_runs (HsSink             *sink,
                                                 GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsEngineSinkSlot, _hs_engine_sink_slot_unref)

void     _hs_engine_enqueue_op   (HsEngine     *self,
                                  Op           *op);
void     _hs_engine_finish_op    (HsEngine     *self);
void     _hs_engine_emit_changed (HsEngine     *self,
                                  HsEngineChange change);
Op      *_hs_engine_op_new       (OpStart       start);
void     _hs_engine_op_free      (Op           *op);

/* What happened to a run, for the engine's signals. */
typedef enum
{
  HS_ENGINE_RUN_STARTED,
  HS_ENGINE_RUN_PROGRESS,
  HS_ENGINE_RUN_FINISHED,
} HsEngineRunEvent;

void     _hs_engine_emit_run     (HsEngine     *self,
                                  HsEngineRunEvent event,
                                  HsRun        *run);
void     _hs_engine_notify_current_run (HsEngine *self);

Op      *_hs_engine_find_run_op  (HsEngine     *self,
                                  const char   *fiscal_year,
                                  gboolean     *queued);
gboolean _hs_engine_is_syncing   (HsEngine     *self);
HsRun   *_hs_engine_queue_run    (HsEngine     *self,
                                  HsFiscalYear *fiscal_year,
                                  SyncRequest  *request,
                                  GTask        *waiter);
void     _hs_engine_start_run    (HsEngine     *self,
                                  Op           *op);
void     _hs_engine_fail_run     (HsEngine     *self,
                                  Op           *op,
                                  GError       *error);

G_END_DECLS
