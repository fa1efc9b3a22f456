/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The agent the API application logs in as (see halo-api.md §1): the
 * agent whose timesheet /api/TimesheetEvent shows without a filter. */
#define HS_SIM_API_AGENT_ID 2
/* Halo's pseudo-agent and pseudo-client. */
#define HS_SIM_UNASSIGNED_ID 1

typedef struct
{
  guint64 seed;
  guint n_agents;         /* real agents, ids 2 .. n_agents + 1 */
  guint n_clients;        /* real clients, ids 2 .. n_clients + 1 */
  guint n_tickets;
  guint n_time_entries;   /* actions with timetaken > 0, over all tickets */
  gint64 start;           /* ticks, first instant of the data range */
  gint64 end;             /* ticks, first instant after it */
} HsSimTenantOptions;

typedef enum
{
  HS_SIM_TICKET_DELETED = 1 << 0,
  HS_SIM_TICKET_HAS_EXTRA = 1 << 1,
} HsSimTicketFlags;

/* What filters, ordering and the ground truth need; everything else about
 * a ticket is generated from its id when it is printed. */
typedef struct
{
  gint64 dateoccurred;
  gint64 dateclosed;      /* HS_SIM_NO_DATE while open */
  gint64 last_update;
  guint32 first_action;   /* index of its generated actions */
  guint32 client_id;
  guint16 n_actions;      /* generated actions */
  guint16 agent_id;
  guint8 status_id;
  guint8 tickettype_id;
  guint8 team;            /* team index + 1; 0 prints null */
  guint8 flags;           /* HsSimTicketFlags */
} HsSimTicket;

typedef enum
{
  HS_SIM_ACTION_BILLABLE = 1 << 0,
  HS_SIM_ACTION_HIDDEN = 1 << 1,
  HS_SIM_ACTION_IMPORTANT = 1 << 2,
  HS_SIM_ACTION_DELETED = 1 << 3,
} HsSimActionFlags;

typedef struct
{
  gint64 datetime;
  gint64 last_updated;
  guint32 event_id;       /* its TimesheetEvent while seconds > 0 */
  guint32 seconds;        /* timetaken; > 0 makes it a time entry */
  guint16 id;             /* unique within its ticket */
  guint16 agent_id;       /* who_agentid; 0 for system actions */
  guint8 outcome_id;
  guint8 flags;           /* HsSimActionFlags */
} HsSimAction;

/* A TimesheetEvent that is not a ticket action (event_type 1). */
typedef struct
{
  guint32 id;
  guint agent_id;
  guint break_type;       /* 1 break, 2 lunch */
  gint64 start;
  guint32 seconds;
} HsSimBreak;

/* A TimesheetEvent: a time entry (@ticket_id > 0, @index its action's
 * index in the ticket) or a break (@ticket_id 0, @index the break's). */
typedef struct
{
  gint64 start;
  guint32 id;
  guint32 ticket_id;
  guint32 index;
  guint32 agent_id;
} HsSimEventRef;

#define HS_SIM_TYPE_TENANT (hs_sim_tenant_get_type ())

G_DECLARE_FINAL_TYPE (HsSimTenant, hs_sim_tenant, HS_SIM, TENANT, GObject)

HsSimTenant       *hs_sim_tenant_new                  (const HsSimTenantOptions *options,
                                                       GError                  **error);
const HsSimTenantOptions *hs_sim_tenant_get_options   (HsSimTenant              *self);

guint              hs_sim_tenant_get_n_tickets        (HsSimTenant              *self);
GArray            *hs_sim_tenant_get_ticket_list      (HsSimTenant              *self,
                                                       const char               *key);
void               hs_sim_tenant_set_ticket_list      (HsSimTenant              *self,
                                                       const char               *key,
                                                       GArray                   *ids);
const HsSimTicket *hs_sim_tenant_get_ticket           (HsSimTenant              *self,
                                                       guint                     id);
JsonObject        *hs_sim_tenant_get_ticket_fields    (HsSimTenant              *self,
                                                       guint                     id);
guint              hs_sim_tenant_get_actions          (HsSimTenant              *self,
                                                       guint                     ticket_id,
                                                       const HsSimAction       **actions);
const HsSimAction *hs_sim_tenant_find_action          (HsSimTenant              *self,
                                                       guint                     ticket_id,
                                                       guint                     action_id);
JsonObject        *hs_sim_tenant_get_action_fields    (HsSimTenant              *self,
                                                       guint                     ticket_id,
                                                       guint                     action_id);
void               hs_sim_tenant_get_break            (HsSimTenant              *self,
                                                       guint                     index,
                                                       HsSimBreak               *out);

const HsSimEventRef *hs_sim_tenant_get_events         (HsSimTenant              *self,
                                                       guint                    *n_events);
gboolean           hs_sim_tenant_agent_exists         (HsSimTenant              *self,
                                                       guint                     id);
gboolean           hs_sim_tenant_agent_is_disabled    (HsSimTenant              *self,
                                                       guint                     id);
void               hs_sim_tenant_agent_name           (HsSimTenant              *self,
                                                       guint                     id,
                                                       const char              **first,
                                                       const char              **last);
guint              hs_sim_tenant_agent_team           (HsSimTenant              *self,
                                                       guint                     id);
gboolean           hs_sim_tenant_client_exists        (HsSimTenant              *self,
                                                       guint                     id);
gboolean           hs_sim_tenant_client_is_inactive   (HsSimTenant              *self,
                                                       guint                     id);
void               hs_sim_tenant_client_name          (HsSimTenant              *self,
                                                       guint                     id,
                                                       GString                  *out);

guint              hs_sim_tenant_create_ticket        (HsSimTenant              *self,
                                                       JsonObject               *fields,
                                                       gint64                    now,
                                                       GError                  **error);
gboolean           hs_sim_tenant_update_ticket        (HsSimTenant              *self,
                                                       guint                     id,
                                                       JsonObject               *fields,
                                                       gint64                    now,
                                                       GError                  **error);
gboolean           hs_sim_tenant_delete_ticket        (HsSimTenant              *self,
                                                       guint                     id,
                                                       gint64                    now,
                                                       GError                  **error);
guint              hs_sim_tenant_touch_tickets        (HsSimTenant              *self,
                                                       GArray                   *ids,
                                                       gint64                    last_update,
                                                       GError                  **error);
guint              hs_sim_tenant_create_action        (HsSimTenant              *self,
                                                       guint                     ticket_id,
                                                       JsonObject               *fields,
                                                       gint64                    now,
                                                       GError                  **error);
gboolean           hs_sim_tenant_update_action        (HsSimTenant              *self,
                                                       guint                     ticket_id,
                                                       guint                     action_id,
                                                       JsonObject               *fields,
                                                       gint64                    now,
                                                       GError                  **error);
gboolean           hs_sim_tenant_delete_action        (HsSimTenant              *self,
                                                       guint                     ticket_id,
                                                       guint                     action_id,
                                                       gboolean                  bump_ticket,
                                                       gint64                    now,
                                                       GError                  **error);
gboolean           hs_sim_tenant_set_agent_disabled   (HsSimTenant              *self,
                                                       guint                     id,
                                                       gboolean                  disabled,
                                                       GError                  **error);

JsonNode          *hs_sim_tenant_truth                (HsSimTenant              *self,
                                                       gint64                    start,
                                                       gint64                    end);

G_END_DECLS
