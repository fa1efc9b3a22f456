/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* What the faults do to one request. */
typedef struct
{
  gboolean revoke;            /* revoke every token before the request is checked */
  guint status;               /* answer with this status instead; 0 for none */
  guint latency_ms;           /* delay the answer */
  gboolean malformed;         /* break the JSON syntax */
  gboolean truncate;          /* cut the body short */
  guint truncate_bytes;       /* 0: half the body */
  const char *wrong_name;     /* replace this field… */
  JsonNode *wrong_value;      /* (unowned): …with this value… */
  guint wrong_record;         /* …in this record (0-based) */
} HsSimFaultPlan;

#define HS_SIM_TYPE_FAULTS (hs_sim_faults_get_type ())

G_DECLARE_FINAL_TYPE (HsSimFaults, hs_sim_faults, HS_SIM, FAULTS, GObject)

HsSimFaults *hs_sim_faults_new            (guint64         seed);
gboolean     hs_sim_faults_configure      (HsSimFaults    *self,
                                           JsonNode       *config,
                                           GError        **error);
void         hs_sim_faults_clear          (HsSimFaults    *self);
JsonNode    *hs_sim_faults_to_json        (HsSimFaults    *self);
void         hs_sim_faults_set_rate_limit (HsSimFaults    *self,
                                           guint           count,
                                           guint           seconds,
                                           guint           retry_after);
gboolean     hs_sim_faults_get_rate_limit (HsSimFaults    *self,
                                           guint          *count,
                                           guint          *seconds);
gboolean     hs_sim_faults_admit          (HsSimFaults    *self,
                                           gint64          monotonic,
                                           guint          *retry_after,
                                           char          **message);
void         hs_sim_faults_plan           (HsSimFaults    *self,
                                           const char     *path,
                                           HsSimFaultPlan *plan);

G_END_DECLS
