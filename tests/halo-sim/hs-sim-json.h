/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "hs-sim-tenant.h"

G_BEGIN_DECLS

/* Writes JSON text straight into a GString.  A JsonNode tree for a
 * million TimesheetEvents would take gigabytes; this takes the size of the
 * text.  It can also replace one field of one record with another JSON
 * value, which is how the wrong-type fault is made. */
typedef struct
{
  GString *out;             /* (unowned) */
  guint depth;
  gboolean first[32];
  gboolean after_member;

  /* The wrong-type fault: record number @override_record (0-based, counted
   * over the whole response) gets @override_value for @override_name. */
  const char *override_name;
  JsonNode *override_value; /* (unowned) (nullable) */
  gint override_record;
  gint record;
  guint record_depth;
  gboolean override_done;
  gboolean skip_value;
  guint suppress;

  /* Names written in the current record while it has control-API fields. */
  JsonObject *fields;       /* (unowned) (nullable) */
  GPtrArray *seen;          /* (owned) (nullable) */
} HsSimJsonWriter;

void hs_sim_json_writer_init    (HsSimJsonWriter *w,
                                 GString         *out);
void hs_sim_json_writer_clear   (HsSimJsonWriter *w);
void hs_sim_json_set_override   (HsSimJsonWriter *w,
                                 const char      *name,
                                 JsonNode        *value,
                                 guint            record);

void hs_sim_json_begin_object   (HsSimJsonWriter *w);
void hs_sim_json_end_object     (HsSimJsonWriter *w);
void hs_sim_json_begin_array    (HsSimJsonWriter *w);
void hs_sim_json_end_array      (HsSimJsonWriter *w);
void hs_sim_json_member         (HsSimJsonWriter *w,
                                 const char      *name);
void hs_sim_json_int            (HsSimJsonWriter *w,
                                 gint64           value);
void hs_sim_json_string         (HsSimJsonWriter *w,
                                 const char      *value);

void hs_sim_json_ticket         (HsSimJsonWriter *w,
                                 HsSimTenant     *tenant,
                                 guint            id,
                                 gboolean         detail);
void hs_sim_json_action         (HsSimJsonWriter *w,
                                 HsSimTenant     *tenant,
                                 guint            ticket_id,
                                 const HsSimAction *action);
void hs_sim_json_event          (HsSimJsonWriter *w,
                                 HsSimTenant     *tenant,
                                 guint            ticket_id,
                                 const HsSimAction *action);
void hs_sim_json_break          (HsSimJsonWriter *w,
                                 const HsSimBreak *brk);
void hs_sim_json_agent          (HsSimJsonWriter *w,
                                 HsSimTenant     *tenant,
                                 guint            id,
                                 gboolean         detail);
void hs_sim_json_team           (HsSimJsonWriter *w,
                                 HsSimTenant     *tenant,
                                 guint            index);
void hs_sim_json_client         (HsSimJsonWriter *w,
                                 HsSimTenant     *tenant,
                                 guint            id);

G_END_DECLS
