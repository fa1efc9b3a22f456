/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define HS_SIM_TYPE_COUNTERS (hs_sim_counters_get_type ())

G_DECLARE_FINAL_TYPE (HsSimCounters, hs_sim_counters, HS_SIM, COUNTERS, GObject)

HsSimCounters *hs_sim_counters_new           (void);
void           hs_sim_counters_record        (HsSimCounters *self,
                                              const char    *endpoint,
                                              gint64         monotonic);
void           hs_sim_counters_record_status (HsSimCounters *self,
                                              guint          status);
void           hs_sim_counters_reset         (HsSimCounters *self);
JsonNode      *hs_sim_counters_to_json       (HsSimCounters *self,
                                              gint64         window);

G_END_DECLS
