/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-engine.h"

G_BEGIN_DECLS

/* Shared by the engine's files: hs-engine.c runs the queue and the runs,
 * hs-engine-catalog.c wraps the sink's catalogue. */

typedef struct _Op Op;

/* The engine's state; see the HsEngine documentation in hs-engine.c. */
struct _HsEngine
{
  GObject parent_instance;

  HsConfig *config;         /* (owned) */
  HsPluginLoader *loader;   /* (owned) */
  HsSource *source;         /* (owned) (nullable): created on first use */
  HsSink *sink;             /* (owned) (nullable): created on first use */
  gboolean sink_open;       /* self->sink has been opened (and migrated) */
  gboolean sink_stale;      /* the sink URI changed while an operation ran */

  /* Runs and catalogue changes go through one queue, so a sink never sees
   * a second run, or a change outside a run's transaction landing inside
   * it.  Reads do not queue. */
  GQueue queue;             /* (owned) of Op */
  Op *current;              /* (owned) (nullable) */
  HsRun *last_run;          /* (owned) (nullable) */
  gboolean stopping;        /* hs_engine_stop() was called: no new runs */
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

typedef void (*SinkCall) (HsSink *sink,
                          GTask  *task);

typedef struct
{
  char *fiscal_year;
  HsSyncMode mode;
  HsSyncFlags flags;
  HsTrigger trigger;
  gboolean wait;
} SyncRequest;

void    _hs_engine_enqueue_op (HsEngine     *self,
                               Op           *op);
void    _hs_engine_finish_op  (HsEngine     *self);
void    _hs_engine_emit_changed (HsEngine   *self,
                                 HsEngineChange change);
Op     *_hs_engine_op_new     (OpStart       start);
void    _hs_engine_with_sink  (HsEngine     *self,
                               GTask        *task,
                               SinkCall      call);
Op     *_hs_engine_find_run_op (HsEngine    *self,
                                const char  *fiscal_year,
                                gboolean    *queued);
HsRun  *_hs_engine_queue_run  (HsEngine     *self,
                               HsFiscalYear *fiscal_year,
                               SyncRequest  *request,
                               GTask        *waiter);
void    _hs_engine_start_run  (HsEngine     *self,
                               Op           *op);
void    _hs_engine_fail_run   (HsEngine     *self,
                               Op           *op,
                               GError       *error);
gboolean _hs_engine_is_syncing (HsEngine    *self);

G_END_DECLS
