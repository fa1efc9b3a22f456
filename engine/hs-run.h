/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HALOSYNC_INSIDE) && !defined(HALOSYNC_COMPILATION)
#error "Only <halosync.h> can be included directly."
#endif

#include <glib-object.h>

#include "hs-record.h"

G_BEGIN_DECLS

/**
 * HsTrigger:
 * @HS_TRIGGER_MANUAL: *Sync Now* in the desktop app
 * @HS_TRIGGER_HOURLY: the hourly schedule of the service
 * @HS_TRIGGER_FISCAL_YEAR: a fiscal year was created
 * @HS_TRIGGER_DBUS: a D-Bus client asked for it
 * @HS_TRIGGER_CLI: `halosyncctl sync`
 *
 * What started a run.
 */
typedef enum
{
  HS_TRIGGER_MANUAL,
  HS_TRIGGER_HOURLY,
  HS_TRIGGER_FISCAL_YEAR,
  HS_TRIGGER_DBUS,
  HS_TRIGGER_CLI,
} HsTrigger;

/**
 * HsSyncMode:
 * @HS_SYNC_INCREMENTAL: read what changed since the stored cursors, minus
 *   the look-back window
 * @HS_SYNC_FULL: read the whole fiscal-year window and mark rows Halo no
 *   longer returns as deleted
 *
 * How much of the fiscal year a run reads.
 */
typedef enum
{
  HS_SYNC_INCREMENTAL,
  HS_SYNC_FULL,
} HsSyncMode;

/**
 * HsRunStatus:
 * @HS_RUN_QUEUED: waiting for the sink to be free
 * @HS_RUN_RUNNING: in progress
 * @HS_RUN_SUCCEEDED: committed (or, for a dry run, completed and rolled back)
 * @HS_RUN_FAILED: failed; nothing was written
 * @HS_RUN_CANCELLED: cancelled; nothing was written
 * @HS_RUN_INTERRUPTED: the program running it stopped (killed, crashed,
 *   lost its database) before the run ended; nothing was written.  Set
 *   by the next program to open the database.
 *
 * Where a run is in its life.
 */
typedef enum
{
  HS_RUN_QUEUED,
  HS_RUN_RUNNING,
  HS_RUN_SUCCEEDED,
  HS_RUN_FAILED,
  HS_RUN_CANCELLED,
  HS_RUN_INTERRUPTED,
} HsRunStatus;

/**
 * HsRunStage:
 * @HS_RUN_STAGE_WAITING: not started yet
 * @HS_RUN_STAGE_CONNECTING: opening the source and the sink
 * @HS_RUN_STAGE_FETCHING: pulling records and writing them
 * @HS_RUN_STAGE_RETRYING: waiting to ask the source again after a request
 *   failed in a way that may pass (see hs_run_get_retry_reason())
 * @HS_RUN_STAGE_DELETING: checking for records Halo no longer has
 * @HS_RUN_STAGE_COMMITTING: committing rows, cursors and the ledger
 * @HS_RUN_STAGE_DONE: finished
 *
 * What a running run is doing.
 */
typedef enum
{
  HS_RUN_STAGE_WAITING,
  HS_RUN_STAGE_CONNECTING,
  HS_RUN_STAGE_FETCHING,
  HS_RUN_STAGE_RETRYING,
  HS_RUN_STAGE_DELETING,
  HS_RUN_STAGE_COMMITTING,
  HS_RUN_STAGE_DONE,
} HsRunStage;

/**
 * HsCounter:
 * @HS_COUNTER_FETCHED: records received from the source
 * @HS_COUNTER_INSERTED: rows the sink inserted
 * @HS_COUNTER_UPDATED: rows the sink changed
 * @HS_COUNTER_DELETED: rows marked deleted
 * @HS_COUNTER_WRITTEN: records the sink has processed, changed or not
 * @HS_N_COUNTERS: the number of counters
 *
 * The per-stream counts a run keeps.
 */
typedef enum
{
  HS_COUNTER_FETCHED,
  HS_COUNTER_INSERTED,
  HS_COUNTER_UPDATED,
  HS_COUNTER_DELETED,
  HS_COUNTER_WRITTEN,
  HS_N_COUNTERS, /*< skip >*/
} HsCounter;

#define HS_TYPE_RUN (hs_run_get_type ())

G_DECLARE_FINAL_TYPE (HsRun, hs_run, HS, RUN, GObject)

HsRun       *hs_run_new                  (const char  *fiscal_year,
                                          HsTrigger    trigger,
                                          HsSyncMode   mode,
                                          gboolean     dry_run);
HsRun       *hs_run_copy                 (HsRun       *self);
gint64       hs_run_get_id               (HsRun       *self);
void         hs_run_set_id               (HsRun       *self,
                                          gint64       id);
const char  *hs_run_get_fiscal_year      (HsRun       *self);
HsTrigger    hs_run_get_trigger          (HsRun       *self);
HsSyncMode   hs_run_get_mode             (HsRun       *self);
gboolean     hs_run_get_dry_run          (HsRun       *self);
gboolean     hs_run_get_allow_mass_delete (HsRun      *self);
void         hs_run_set_allow_mass_delete (HsRun      *self,
                                          gboolean     allow);
HsRunStatus  hs_run_get_status           (HsRun       *self);
void         hs_run_set_status           (HsRun       *self,
                                          HsRunStatus  status);
HsRunStage   hs_run_get_stage            (HsRun       *self);
void         hs_run_set_stage            (HsRun       *self,
                                          HsRunStage   stage);
HsStream     hs_run_get_stream           (HsRun       *self);
void         hs_run_set_stream           (HsRun       *self,
                                          HsStream     stream);
gint64       hs_run_get_started_at       (HsRun       *self);
void         hs_run_set_started_at       (HsRun       *self,
                                          gint64       usec);
gint64       hs_run_get_finished_at      (HsRun       *self);
void         hs_run_set_finished_at      (HsRun       *self,
                                          gint64       usec);
guint64      hs_run_get_count            (HsRun       *self,
                                          HsStream     stream,
                                          HsCounter    counter);
guint64      hs_run_get_total            (HsRun       *self,
                                          HsCounter    counter);
void         hs_run_add_count            (HsRun       *self,
                                          HsStream     stream,
                                          HsCounter    counter,
                                          guint64      delta);
gint64       hs_run_get_remote_count     (HsRun       *self,
                                          HsStream     stream);
void         hs_run_set_remote_count     (HsRun       *self,
                                          HsStream     stream,
                                          gint64       count);
gint64       hs_run_get_expected         (HsRun       *self,
                                          HsStream     stream);
void         hs_run_set_expected         (HsRun       *self,
                                          HsStream     stream,
                                          gint64       count);
gint64       hs_run_get_cursor_before    (HsRun       *self,
                                          HsStream     stream);
void         hs_run_set_cursor_before    (HsRun       *self,
                                          HsStream     stream,
                                          gint64       usec);
gint64       hs_run_get_cursor_after     (HsRun       *self,
                                          HsStream     stream);
void         hs_run_set_cursor_after     (HsRun       *self,
                                          HsStream     stream,
                                          gint64       usec);
guint        hs_run_get_api_calls        (HsRun       *self);
void         hs_run_add_api_calls        (HsRun       *self,
                                          guint        n);
const char  *hs_run_get_retry_reason     (HsRun       *self);
guint        hs_run_get_retry_attempt    (HsRun       *self);
guint        hs_run_get_retry_max_attempts (HsRun     *self);
gint64       hs_run_get_retry_at         (HsRun       *self);
void         hs_run_set_retry            (HsRun       *self,
                                          const char  *reason,
                                          guint        attempt,
                                          guint        max_attempts,
                                          gint64       retry_at);
guint        hs_run_get_n_warnings       (HsRun       *self);
const char * const *hs_run_get_warnings  (HsRun       *self);
void         hs_run_add_warning          (HsRun       *self,
                                          const char  *message);
GArray      *hs_run_get_unmapped_agents  (HsRun       *self);
void         hs_run_add_unmapped_agent   (HsRun       *self,
                                          gint64       agent_id);
const char  *hs_run_get_error_message    (HsRun       *self);
int          hs_run_get_error_code       (HsRun       *self);
void         hs_run_set_error            (HsRun       *self,
                                          const GError *error);
void         hs_run_set_error_message    (HsRun       *self,
                                          const char  *message);
gboolean     hs_run_is_finished          (HsRun       *self);
GVariant    *hs_run_to_variant           (HsRun       *self);
HsRun       *hs_run_new_from_variant     (GVariant    *variant,
                                          GError     **error);

const char  *hs_trigger_to_string        (HsTrigger    trigger);
gboolean     hs_trigger_from_string      (const char  *text,
                                          HsTrigger   *trigger);
const char  *hs_run_status_to_string     (HsRunStatus  status);
gboolean     hs_run_status_from_string   (const char  *text,
                                          HsRunStatus *status);
const char  *hs_run_stage_to_string      (HsRunStage   stage);
gboolean     hs_run_stage_from_string    (const char  *text,
                                          HsRunStage  *stage);
const char  *hs_sync_mode_to_string      (HsSyncMode   mode);
gboolean     hs_sync_mode_from_string    (const char  *text,
                                          HsSyncMode  *mode);
const char  *hs_counter_to_string        (HsCounter    counter);
gboolean     hs_counter_from_string      (const char  *text,
                                          HsCounter   *counter);

G_END_DECLS
