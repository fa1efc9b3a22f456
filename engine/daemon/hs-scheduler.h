/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Returns the current time in the scheduler's time zone; tests inject
 * one to move through hours, days and DST changes without waiting. */
typedef GDateTime *(*HsClockFunc) (GTimeZone *zone,
                                   gpointer   user_data);

#define HS_TYPE_SCHEDULER (hs_scheduler_get_type ())

G_DECLARE_FINAL_TYPE (HsScheduler, hs_scheduler, HS, SCHEDULER, GObject)

HsScheduler *hs_scheduler_new               (GTimeZone     *zone);
void         hs_scheduler_set_clock         (HsScheduler   *self,
                                             HsClockFunc    clock,
                                             gpointer       user_data,
                                             GDestroyNotify destroy);
void         hs_scheduler_set_enabled       (HsScheduler   *self,
                                             gboolean       enabled);
gboolean     hs_scheduler_get_enabled       (HsScheduler   *self);
void         hs_scheduler_set_interval      (HsScheduler   *self,
                                             guint          hours);
void         hs_scheduler_set_allow_metered (HsScheduler   *self,
                                             gboolean       allow);
void         hs_scheduler_set_network       (HsScheduler   *self,
                                             gboolean       available,
                                             gboolean       metered);
void         hs_scheduler_set_last_slot     (HsScheduler   *self,
                                             gint64         usec);
gint64       hs_scheduler_get_last_slot     (HsScheduler   *self);
gint64       hs_scheduler_get_next_run      (HsScheduler   *self);
gboolean     hs_scheduler_is_pending        (HsScheduler   *self);
void         hs_scheduler_start             (HsScheduler   *self);
void         hs_scheduler_check             (HsScheduler   *self);

GDateTime   *hs_scheduler_next_slot_after   (GDateTime     *now,
                                             guint          hours);
GDateTime   *hs_scheduler_slot_at_or_before (GDateTime     *now,
                                             guint          hours);

G_END_DECLS
