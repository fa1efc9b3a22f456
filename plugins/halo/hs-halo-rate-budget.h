/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

#include "hs-halo-wait.h"

G_BEGIN_DECLS

#define HS_TYPE_HALO_RATE_BUDGET (hs_halo_rate_budget_get_type ())

G_DECLARE_FINAL_TYPE (HsHaloRateBudget, hs_halo_rate_budget, HS, HALO_RATE_BUDGET, GObject)

/**
 * HS_HALO_RATE_BUDGET_NO_SLOT:
 *
 * The slot of a request made while pacing is off.
 */
#define HS_HALO_RATE_BUDGET_NO_SLOT G_MAXUINT

HsHaloRateBudget *hs_halo_rate_budget_new        (guint                requests,
                                                  guint                window_seconds);
void              hs_halo_rate_budget_set_limit  (HsHaloRateBudget    *self,
                                                  guint                requests,
                                                  guint                window_seconds);
guint             hs_halo_rate_budget_get_requests (HsHaloRateBudget  *self);
guint             hs_halo_rate_budget_get_window (HsHaloRateBudget    *self);
void              hs_halo_rate_budget_set_clock  (HsHaloRateBudget    *self,
                                                  HsHaloClockFunc      clock,
                                                  gpointer             clock_data);
gint64            hs_halo_rate_budget_get_delay  (HsHaloRateBudget    *self);
guint             hs_halo_rate_budget_get_n_waiting (HsHaloRateBudget *self);
void              hs_halo_rate_budget_acquire_async (HsHaloRateBudget *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean          hs_halo_rate_budget_acquire_finish (HsHaloRateBudget *self,
                                                  GAsyncResult        *result,
                                                  guint               *slot,
                                                  GError             **error);
void              hs_halo_rate_budget_release    (HsHaloRateBudget    *self,
                                                  guint                slot);

G_END_DECLS
