/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * HsHaloClockFunc:
 * @user_data: the clock's data
 *
 * A clock for waits and the rate budget; tests inject a fake one.
 *
 * Returns: the time in microseconds, never going backwards
 */
typedef gint64 (*HsHaloClockFunc) (gpointer user_data);

gint64   hs_halo_monotonic_clock     (gpointer             user_data);
GSource *hs_halo_deadline_source_new (HsHaloClockFunc      clock,
                                      gpointer             clock_data,
                                      gint64               deadline);
void     hs_halo_wait_async          (HsHaloClockFunc      clock,
                                      gpointer             clock_data,
                                      gint64               deadline,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean hs_halo_wait_finish         (GAsyncResult        *result,
                                      GError             **error);

G_END_DECLS
