/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "hs-sim-json.h"
#include "hs-sim-random.h"
#include "hs-sim-time.h"
#include "hs-sim-words.h"

static const char * const colours[] = {
  "#2196f3", "#4caf50", "#ff9800", "#9c27b0", "#f44336", "#009688", "#795548", "#607d8b",
};

static const char * const job_titles[] = {
  "Engineer", "Senior Engineer", "Service Desk Analyst", "Team Lead", "Project Manager",
  "Technicienne réseau", "Consultant",
};

static const char * const site_names[] = {
  "Head Office", "Main Site", "Warehouse", "Zweigstelle Nord", "Remote",
};

void
hs_sim_json_writer_init (HsSimJsonWriter *w,
                         GString         *out)
{
  memset (w, 0, sizeof *w);
  w->out = out;
  w->override_record = -1;
  w->record = -1;
}

void
hs_sim_json_writer_clear (HsSimJsonWriter *w)
{
  g_clear_pointer (&w->seen, g_ptr_array_unref);
}

void
hs_sim_json_set_override (HsSimJsonWriter *w,
                          const char      *name,
                          JsonNode        *value,
                          guint            record)
{
  w->override_name = name;
  w->override_value = value;
  w->override_record = (gint) record;
}

static void
separate (HsSimJsonWriter *w)
{
  if (w->after_member)
    {
      w->after_member = FALSE;
      return;
    }
  if (w->depth == 0)
    return;
  if (!w->first[w->depth])
    g_string_append_c (w->out, ',');
  w->first[w->depth] = FALSE;
}

/* TRUE when the value about to be written replaces nothing because the
 * override was written in its place. */
static gboolean
swallow_scalar (HsSimJsonWriter *w)
{
  if (w->suppress > 0)
    return TRUE;
  if (w->skip_value)
    {
      w->skip_value = FALSE;
      return TRUE;
    }
  return FALSE;
}

static void
escape_string (GString    *out,
               const char *value)
{
  const char *run = value;
  const char *p;

  /* Most text needs no escape: copy it in runs, not byte by byte. */
  g_string_append_c (out, '"');
  for (p = value; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;

      g_string_append_len (out, run, p - run);
      run = p + 1;
      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          g_string_append_printf (out, "\\u%04x", c);
        }
    }
  g_string_append_len (out, run, p - run);
  g_string_append_c (out, '"');
}

static void
begin_container (HsSimJsonWriter *w,
                 char             open)
{
  if (w->suppress > 0 || w->skip_value)
    {
      w->skip_value = FALSE;
      w->suppress++;
      return;
    }
  separate (w);
  g_string_append_c (w->out, open);
  w->depth++;
  g_assert (w->depth < G_N_ELEMENTS (w->first));
  w->first[w->depth] = TRUE;
}

static void
end_container (HsSimJsonWriter *w,
               char             close)
{
  if (w->suppress > 0)
    {
      w->suppress--;
      return;
    }
  g_string_append_c (w->out, close);
  w->depth--;
}

void
hs_sim_json_begin_object (HsSimJsonWriter *w)
{
  begin_container (w, '{');
}

void
hs_sim_json_end_object (HsSimJsonWriter *w)
{
  end_container (w, '}');
}

void
hs_sim_json_begin_array (HsSimJsonWriter *w)
{
  begin_container (w, '[');
}

void
hs_sim_json_end_array (HsSimJsonWriter *w)
{
  end_container (w, ']');
}

static void
write_node (HsSimJsonWriter *w,
            JsonNode        *node)
{
  g_autofree char *text = json_to_string (node, FALSE);

  w->after_member = FALSE;
  g_string_append (w->out, text);
}

void
hs_sim_json_member (HsSimJsonWriter *w,
                    const char      *name)
{
  if (w->suppress > 0)
    return;
  separate (w);
  escape_string (w->out, name);
  g_string_append_c (w->out, ':');
  w->after_member = TRUE;

  if (w->seen != NULL && w->depth == w->record_depth)
    g_ptr_array_add (w->seen, (gpointer) name);

  if (w->record == w->override_record && w->depth == w->record_depth &&
      w->override_name != NULL && !w->override_done && strcmp (name, w->override_name) == 0)
    {
      write_node (w, w->override_value);
      w->override_done = TRUE;
      w->skip_value = TRUE;
    }
}

void
hs_sim_json_int (HsSimJsonWriter *w,
                 gint64           value)
{
  /* Digits written by hand: printf was a tenth of the simulator's time
   * in a large sync, for the dozen numbers every record has. */
  char buf[24];
  char *p = buf + sizeof buf;
  guint64 magnitude = value < 0 ? G_GUINT64_CONSTANT (0) - (guint64) value : (guint64) value;

  if (swallow_scalar (w))
    return;
  separate (w);
  do
    {
      *--p = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude > 0);
  if (value < 0)
    *--p = '-';
  g_string_append_len (w->out, p, buf + sizeof buf - p);
}

/* Doubles always carry a fraction or exponent, as .NET prints them, so a
 * client never sees an hour count turn into an integer. */
static void
hs_sim_json_double (HsSimJsonWriter *w,
                    double           value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (swallow_scalar (w))
    return;
  separate (w);
  g_ascii_dtostr (buf, sizeof buf, value);
  g_string_append (w->out, buf);
  if (strpbrk (buf, ".eEn") == NULL)
    g_string_append (w->out, ".0");
}

static void
hs_sim_json_bool (HsSimJsonWriter *w,
                  gboolean         value)
{
  if (swallow_scalar (w))
    return;
  separate (w);
  g_string_append (w->out, value ? "true" : "false");
}

static void
hs_sim_json_null (HsSimJsonWriter *w)
{
  if (swallow_scalar (w))
    return;
  separate (w);
  g_string_append (w->out, "null");
}

void
hs_sim_json_string (HsSimJsonWriter *w,
                    const char      *value)
{
  if (value == NULL)
    {
      hs_sim_json_null (w);
      return;
    }
  if (swallow_scalar (w))
    return;
  separate (w);
  escape_string (w->out, value);
}

static void
hs_sim_json_date (HsSimJsonWriter *w,
                  gint64           ticks)
{
  char buf[HS_SIM_TIME_BUF];

  hs_sim_time_format (ticks, buf);
  hs_sim_json_string (w, buf);
}

/* Records: the objects a list is made of.  The override and the
 * control-API fields apply at this level only. */

static void
begin_record (HsSimJsonWriter *w,
              JsonObject      *fields)
{
  hs_sim_json_begin_object (w);
  w->record++;
  w->record_depth = w->depth;
  w->override_done = FALSE;
  w->fields = fields;
  if (fields != NULL)
    w->seen = g_ptr_array_new ();
}

static void
end_record (HsSimJsonWriter *w)
{
  /* Fields the control API added that Halo's sample does not have. */
  if (w->fields != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (w->fields);

      for (GList *l = members; l != NULL; l = l->next)
        {
          gboolean written = FALSE;

          for (guint i = 0; i < w->seen->len && !written; i++)
            written = strcmp (g_ptr_array_index (w->seen, i), l->data) == 0;
          if (!written)
            {
              hs_sim_json_member (w, l->data);
              if (!swallow_scalar (w))
                write_node (w, json_object_get_member (w->fields, l->data));
            }
        }
      w->fields = NULL;
      g_clear_pointer (&w->seen, g_ptr_array_unref);
    }

  if (w->record == w->override_record && w->override_name != NULL && !w->override_done)
    {
      hs_sim_json_member (w, w->override_name);
      w->skip_value = FALSE;
    }
  hs_sim_json_end_object (w);
}

/* Writes @name and, if the control API set it, its stored value.
 * Returns: %TRUE if the caller still has to write the value */
static gboolean
field (HsSimJsonWriter *w,
       const char      *name)
{
  JsonNode *node;

  hs_sim_json_member (w, name);
  node = w->fields != NULL && w->depth == w->record_depth
         ? json_object_get_member (w->fields, name) : NULL;
  if (node == NULL)
    return TRUE;
  if (!swallow_scalar (w))
    write_node (w, node);
  return FALSE;
}

static void
put_int (HsSimJsonWriter *w,
         const char      *name,
         gint64           value)
{
  if (field (w, name))
    hs_sim_json_int (w, value);
}

static void
put_double (HsSimJsonWriter *w,
            const char      *name,
            double           value)
{
  if (field (w, name))
    hs_sim_json_double (w, value);
}

static void
put_bool (HsSimJsonWriter *w,
          const char      *name,
          gboolean         value)
{
  if (field (w, name))
    hs_sim_json_bool (w, value);
}

static void
put_string (HsSimJsonWriter *w,
            const char      *name,
            const char      *value)
{
  if (field (w, name))
    hs_sim_json_string (w, value);
}

static void
put_date (HsSimJsonWriter *w,
          const char      *name,
          gint64           ticks)
{
  if (field (w, name))
    hs_sim_json_date (w, ticks);
}

static void
put_guid (HsSimJsonWriter *w,
          const char      *name,
          HsSimRng        *rng)
{
  guint64 a = hs_sim_rng_next (rng);
  guint64 b = hs_sim_rng_next (rng);
  char buf[40];

  g_snprintf (buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012" G_GINT64_MODIFIER "x",
              (guint) (a >> 32), (guint) (a >> 16) & 0xffff, (guint) a & 0xfff,
              (guint) ((b >> 48) & 0x3fff) | 0x8000, b & G_GUINT64_CONSTANT (0xffffffffffff));
  put_string (w, name, buf);
}

/* The generated text of a ticket, rebuilt from its id. */
typedef struct
{
  GString *summary;
  GString *details;          /* (nullable) unless asked for */
  const char *user_first;    /* NULL when the ticket has no user */
  const char *user_last;
  guint user_index;
  gint category;             /* -1 for null */
  guint priority_id;
  guint site_index;
} TicketText;

static void
ticket_text_init (TicketText  *t,
                  HsSimTenant *tenant,
                  guint        id,
                  gboolean     details)
{
  HsSimRng rng;

  hs_sim_rng_init (&rng, hs_sim_tenant_get_options (tenant)->seed, HS_SIM_KIND_TICKET_TEXT, id);
  t->summary = g_string_new (NULL);
  hs_sim_words_summary (&rng, t->summary);
  if (hs_sim_rng_chance (&rng, 10))
    {
      t->user_first = NULL;
      t->user_last = NULL;
    }
  else
    hs_sim_words_person (&rng, &t->user_first, &t->user_last);
  t->user_index = 1 + hs_sim_rng_below (&rng, 40);
  t->category = hs_sim_rng_chance (&rng, 15) ? -1 : (gint) hs_sim_rng_below (&rng, hs_sim_words_n_categories ());
  t->priority_id = 1 + hs_sim_rng_below (&rng, 4);
  t->site_index = hs_sim_rng_below (&rng, G_N_ELEMENTS (site_names));
  t->details = NULL;
  if (details)
    {
      t->details = g_string_new (NULL);
      hs_sim_words_details (&rng, t->summary->str, t->details);
    }
}

static void
ticket_text_clear (TicketText *t)
{
  g_string_free (t->summary, TRUE);
  if (t->details != NULL)
    g_string_free (t->details, TRUE);
}

static const char *
override_string (JsonObject *fields,
                 const char *name,
                 const char *fallback)
{
  JsonNode *node = fields != NULL ? json_object_get_member (fields, name) : NULL;

  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return fallback;
}

static char *
agent_display_name (HsSimTenant *tenant,
                    guint        id)
{
  const char *first, *last;

  hs_sim_tenant_agent_name (tenant, id, &first, &last);
  return *last != '\0' ? g_strdup_printf ("%s %s", first, last) : g_strdup (first);
}

void
hs_sim_json_ticket (HsSimJsonWriter *w,
                    HsSimTenant     *tenant,
                    guint            id,
                    gboolean         detail)
{
  const HsSimTicket *t = hs_sim_tenant_get_ticket (tenant, id);
  JsonObject *fields = hs_sim_tenant_get_ticket_fields (tenant, id);
  const HsSimStatusInfo *status = hs_sim_words_status (t->status_id);
  const HsSimAction *actions;
  guint n_actions = hs_sim_tenant_get_actions (tenant, id, &actions);
  g_autoptr(GString) client_name = g_string_new (NULL);
  g_autofree char *agent_name = agent_display_name (tenant, t->agent_id);
  g_autofree char *user_name = NULL;
  guint64 billable = 0, unbillable = 0;
  gint64 last_action = HS_SIM_NO_DATE;
  TicketText text;

  ticket_text_init (&text, tenant, id, TRUE);
  hs_sim_tenant_client_name (tenant, t->client_id, client_name);
  if (text.user_first != NULL)
    user_name = g_strdup_printf ("%s %s", text.user_first, text.user_last);

  for (guint i = 0; i < n_actions; i++)
    {
      if (actions[i].flags & HS_SIM_ACTION_DELETED)
        continue;
      if (actions[i].flags & HS_SIM_ACTION_BILLABLE)
        billable += actions[i].seconds;
      else
        unbillable += actions[i].seconds;
      last_action = MAX (last_action, actions[i].datetime);
    }

  begin_record (w, fields);
  put_int (w, "id", id);
  put_date (w, "dateoccurred", t->dateoccurred);
  put_string (w, "summary", text.summary->str);
  put_string (w, "details", text.details->str);
  put_int (w, "status_id", t->status_id);
  put_string (w, "status_name", status->name);
  put_int (w, "tickettype_id", t->tickettype_id);
  put_string (w, "tickettype_name", hs_sim_words_ticket_type (t->tickettype_id));
  put_int (w, "sla_id", 1);
  put_int (w, "priority_id", text.priority_id);
  put_int (w, "client_id", t->client_id);
  put_string (w, "client_name", client_name->str);
  put_int (w, "site_id", t->client_id * 10 + text.site_index);
  put_string (w, "site_name", site_names[text.site_index]);
  put_int (w, "user_id", user_name != NULL ? t->client_id * 100 + text.user_index : 0);
  put_string (w, "user_name", user_name);
  put_string (w, "team", t->team > 0 ? hs_sim_words_team (t->team - 1)->name : NULL);
  put_int (w, "agent_id", t->agent_id);
  put_string (w, "agent_name", agent_name);
  put_string (w, "category_1", text.category >= 0 ? hs_sim_words_category ((guint) text.category) : NULL);
  put_string (w, "category_2", NULL);
  put_double (w, "estimate", 0.0);
  put_double (w, "timetaken", (double) (billable + unbillable) / 3600.0);
  put_double (w, "chargehours", (double) billable / 3600.0);
  put_double (w, "nonchargehours", (double) unbillable / 3600.0);
  put_bool (w, "onhold", t->status_id == 4);
  put_bool (w, "flagged", text.priority_id == 1);
  put_bool (w, "read", TRUE);
  put_bool (w, "inactive", FALSE);
  put_bool (w, "hasbeenclosed", t->dateclosed != HS_SIM_NO_DATE);
  put_bool (w, "excludefromsla", FALSE);
  put_date (w, "fixbydate", hs_sim_time_truncate (t->dateoccurred, 0) + 24 * HS_SIM_TICKS_PER_HOUR);
  put_date (w, "respondbydate", hs_sim_time_truncate (t->dateoccurred, 0) + 2 * HS_SIM_TICKS_PER_HOUR);
  put_date (w, "dateassigned", t->agent_id != HS_SIM_UNASSIGNED_ID
                               ? hs_sim_time_truncate (t->dateoccurred, 0) + 5 * HS_SIM_TICKS_PER_MINUTE
                               : HS_SIM_NO_DATE);
  put_date (w, "dateclosed", t->dateclosed);
  put_date (w, "lastactiondate", last_action);
  put_date (w, "last_update", t->last_update);
  put_date (w, "deadlinedate", HS_SIM_NO_DATE);
  put_int (w, "organisation_id", 1);
  put_int (w, "department_id", 1);
  put_int (w, "parent_id", 0);
  put_string (w, "use", "ticket");
  if (detail)
    {
      put_date (w, "datecreated", t->dateoccurred);
      put_bool (w, "deleted", (t->flags & HS_SIM_TICKET_DELETED) != 0);
      put_string (w, "created_by", user_name != NULL ? user_name : agent_name);
      put_double (w, "closure_time", t->dateclosed != HS_SIM_NO_DATE
                                     ? (double) (t->dateclosed - t->dateoccurred) / (double) HS_SIM_TICKS_PER_HOUR
                                     : 0.0);
    }
  end_record (w);

  ticket_text_clear (&text);
}

static void
action_note (HsSimTenant       *tenant,
             guint              ticket_id,
             const HsSimAction *a,
             GString           *out)
{
  HsSimRng rng;

  hs_sim_rng_init (&rng, hs_sim_tenant_get_options (tenant)->seed, HS_SIM_KIND_ACTION_TEXT,
                   ((guint64) ticket_id << 16) | a->id);
  hs_sim_words_note (&rng, a->seconds > 0, out);
}

void
hs_sim_json_action (HsSimJsonWriter   *w,
                    HsSimTenant       *tenant,
                    guint              ticket_id,
                    const HsSimAction *a)
{
  JsonObject *fields = hs_sim_tenant_get_action_fields (tenant, ticket_id, a->id);
  const HsSimOutcomeInfo *outcome = hs_sim_words_outcome (a->outcome_id);
  g_autofree char *who = a->agent_id != 0 ? agent_display_name (tenant, a->agent_id) : g_strdup ("System");
  g_autoptr(GString) note = g_string_new (NULL);
  double hours = (double) a->seconds / 3600.0;
  gboolean billable = (a->flags & HS_SIM_ACTION_BILLABLE) != 0;
  HsSimRng rng;

  hs_sim_rng_init (&rng, hs_sim_tenant_get_options (tenant)->seed, HS_SIM_KIND_ACTION_TEXT,
                   ((guint64) ticket_id << 16) | a->id | G_GUINT64_CONSTANT (0x8000000000000000));
  action_note (tenant, ticket_id, a, note);

  begin_record (w, fields);
  put_int (w, "id", a->id);
  put_int (w, "ticket_id", ticket_id);
  put_string (w, "outcome", outcome->name);
  put_int (w, "outcome_id", a->outcome_id);
  put_string (w, "who", who);
  put_int (w, "who_type", a->agent_id != 0 ? 1 : 0);
  put_int (w, "who_agentid", a->agent_id);
  put_int (w, "actionby_agent_id", a->agent_id);
  put_date (w, "datetime", a->datetime);
  put_date (w, "actiondatecreated", a->last_updated);
  put_date (w, "actionarrivaldate", a->datetime);
  put_date (w, "actioncompletiondate", a->datetime + (gint64) a->seconds * HS_SIM_TICKS_PER_SECOND);
  put_date (w, "last_updated", a->last_updated);
  put_string (w, "note", note->str);
  put_double (w, "timetaken", hours);
  put_double (w, "timetakendays", hours / 24.0);
  put_double (w, "timetakenadjusted", hours);
  put_double (w, "nonbilltime", billable ? 0.0 : hours);
  put_double (w, "traveltime", 0.0);
  put_bool (w, "actisbillable", billable);
  put_double (w, "actionchargehours", billable ? hours : 0.0);
  put_double (w, "actionnonchargehours", billable ? 0.0 : hours);
  put_int (w, "chargerate", billable ? 1 : 0);
  put_bool (w, "hiddenfromuser", (a->flags & HS_SIM_ACTION_HIDDEN) != 0);
  put_bool (w, "important", (a->flags & HS_SIM_ACTION_IMPORTANT) != 0);
  put_int (w, "attachment_count", 0);
  put_int (w, "project_id", 0);
  put_guid (w, "guid", &rng);
  end_record (w);
}

/* A TimesheetEvent is a view of a time-entry action: it starts at the
 * action's datetime and lasts its timetaken. */
void
hs_sim_json_event (HsSimJsonWriter   *w,
                   HsSimTenant       *tenant,
                   guint              ticket_id,
                   const HsSimAction *a)
{
  const HsSimTicket *t = hs_sim_tenant_get_ticket (tenant, ticket_id);
  JsonObject *ticket_fields = hs_sim_tenant_get_ticket_fields (tenant, ticket_id);
  JsonObject *action_fields = hs_sim_tenant_get_action_fields (tenant, ticket_id, a->id);
  g_autoptr(GString) client_name = g_string_new (NULL);
  g_autoptr(GString) note = g_string_new (NULL);
  g_autofree char *user_name = NULL;
  gboolean billable = (a->flags & HS_SIM_ACTION_BILLABLE) != 0;
  TicketText text;

  ticket_text_init (&text, tenant, ticket_id, FALSE);
  hs_sim_tenant_client_name (tenant, t->client_id, client_name);
  if (text.user_first != NULL)
    user_name = g_strdup_printf ("%s %s", text.user_first, text.user_last);
  action_note (tenant, ticket_id, a, note);

  begin_record (w, NULL);
  put_int (w, "id", a->event_id);
  put_int (w, "event_type", 0);
  put_string (w, "subject", override_string (ticket_fields, "summary", text.summary->str));
  put_date (w, "start_date", a->datetime);
  put_date (w, "end_date", a->datetime + (gint64) a->seconds * HS_SIM_TICKS_PER_SECOND);
  put_double (w, "timetaken", (double) a->seconds / 3600.0);
  put_int (w, "agent_id", a->agent_id);
  put_int (w, "ticket_id", ticket_id);
  put_int (w, "action_number", a->id);
  put_int (w, "client_id", t->client_id);
  put_int (w, "site_id", t->client_id * 10 + text.site_index);
  put_string (w, "customer", override_string (ticket_fields, "client_name", client_name->str));
  put_string (w, "user_name", override_string (ticket_fields, "user_name", user_name));
  put_int (w, "charge_rate", billable ? 1 : 0);
  put_int (w, "tickettype_id", t->tickettype_id);
  put_int (w, "break_type", 0);
  put_int (w, "holiday_id", 0);
  put_int (w, "contract_id", 0);
  put_string (w, "note", override_string (action_fields, "note", note->str));
  put_string (w, "category1", text.category >= 0 ? hs_sim_words_category ((guint) text.category) : NULL);
  put_double (w, "traveltime", 0.0);
  put_int (w, "mileage", 0);
  put_bool (w, "lognewticket", FALSE);
  end_record (w);

  ticket_text_clear (&text);
}

void
hs_sim_json_break (HsSimJsonWriter  *w,
                   const HsSimBreak *brk)
{
  begin_record (w, NULL);
  put_int (w, "id", brk->id);
  put_int (w, "event_type", 1);
  put_string (w, "subject", brk->break_type == 2 ? "Lunch" : "Break");
  put_date (w, "start_date", brk->start);
  put_date (w, "end_date", brk->start + (gint64) brk->seconds * HS_SIM_TICKS_PER_SECOND);
  put_double (w, "timetaken", (double) brk->seconds / 3600.0);
  put_int (w, "agent_id", brk->agent_id);
  put_int (w, "ticket_id", 0);
  put_int (w, "action_number", 0);
  put_int (w, "client_id", 0);
  put_int (w, "site_id", 0);
  put_string (w, "customer", NULL);
  put_string (w, "user_name", NULL);
  put_int (w, "charge_rate", 0);
  put_int (w, "tickettype_id", 0);
  put_int (w, "break_type", brk->break_type);
  put_int (w, "holiday_id", 0);
  put_int (w, "contract_id", 0);
  put_string (w, "note", "");
  put_string (w, "category1", NULL);
  put_double (w, "traveltime", 0.0);
  put_int (w, "mileage", 0);
  put_bool (w, "lognewticket", FALSE);
  end_record (w);
}

static void
put_agent_team (HsSimJsonWriter *w,
                guint            agent_id,
                const char      *agent_name,
                guint            team_index,
                guint            membership)
{
  const HsSimTeamInfo *team = hs_sim_words_team (team_index);

  hs_sim_json_begin_object (w);
  put_int (w, "id", agent_id * 10 + membership);
  put_int (w, "agent_id", agent_id);
  put_string (w, "agent_name", agent_name);
  put_int (w, "team_id", team->id);
  put_string (w, "team_name", team->name);
  put_int (w, "department_id", strcmp (team->department, "Support") == 0 ? 1 : 2);
  put_string (w, "role_id", "1");
  put_string (w, "role_name", "Technician");
  put_bool (w, "is_manager", membership == 0 && agent_id % 7 == 0);
  put_bool (w, "fortickets", TRUE);
  put_bool (w, "foropps", FALSE);
  put_bool (w, "forprojects", team->id == 3);
  hs_sim_json_end_object (w);
}

void
hs_sim_json_agent (HsSimJsonWriter *w,
                   HsSimTenant     *tenant,
                   guint            id,
                   gboolean         detail)
{
  const HsSimTenantOptions *o = hs_sim_tenant_get_options (tenant);
  const char *first, *last;
  g_autofree char *name = agent_display_name (tenant, id);
  g_autofree char *email = NULL;
  gboolean unassigned = id == HS_SIM_UNASSIGNED_ID;
  guint team = hs_sim_tenant_agent_team (tenant, id);
  guint second_team;
  char initials[16];
  HsSimRng rng;

  hs_sim_tenant_agent_name (tenant, id, &first, &last);
  hs_sim_rng_init (&rng, o->seed, HS_SIM_KIND_AGENT, id ^ 0x3fff0000u);
  second_team = hs_sim_rng_below (&rng, hs_sim_words_n_teams ());
  email = unassigned ? g_strdup ("") : hs_sim_words_email (first, last, id);
  g_snprintf (initials, sizeof initials, "%.*s%.*s",
              (int) (g_utf8_next_char (first) - first), first,
              *last != '\0' ? (int) (g_utf8_next_char (last) - last) : 0, last);

  begin_record (w, NULL);
  put_int (w, "id", id);
  put_string (w, "name", name);
  put_string (w, "firstname", first);
  put_string (w, "surname", last);
  put_string (w, "initials", initials);
  put_string (w, "email", email);
  put_string (w, "team", unassigned ? NULL : hs_sim_words_team (team)->name);
  put_bool (w, "isdisabled", hs_sim_tenant_agent_is_disabled (tenant, id));
  put_bool (w, "is_agent", TRUE);
  put_bool (w, "isapiagent", FALSE);
  put_string (w, "jobtitle", unassigned ? "" : job_titles[hs_sim_rng_below (&rng, G_N_ELEMENTS (job_titles))]);
  put_string (w, "colour", colours[id % G_N_ELEMENTS (colours)]);
  put_date (w, "lastlogindate", unassigned ? HS_SIM_NO_DATE
                                          : hs_sim_time_truncate (o->end - hs_sim_rng_between (&rng, 1, 86400 * 20) * HS_SIM_TICKS_PER_SECOND,
                                                                  hs_sim_rng_below (&rng, 8)));
  put_int (w, "onlinestatus", 0);
  put_bool (w, "is_online", FALSE);
  put_string (w, "use", "agent");
  hs_sim_json_member (w, "teams");
  hs_sim_json_begin_array (w);
  if (!unassigned)
    {
      put_agent_team (w, id, name, team, 0);
      if (second_team != team && id % 3 == 0)
        put_agent_team (w, id, name, second_team, 1);
    }
  hs_sim_json_end_array (w);
  if (detail)
    {
      put_date (w, "datecreated", o->start - 400 * HS_SIM_TICKS_PER_DAY + (gint64) id * HS_SIM_TICKS_PER_HOUR);
      put_date (w, "last_modified", o->start + (gint64) id * HS_SIM_TICKS_PER_HOUR);
      put_double (w, "costprice", unassigned ? 0.0 : 35.0 + (double) (id % 9) * 2.5);
    }
  end_record (w);
}

void
hs_sim_json_team (HsSimJsonWriter *w,
                  HsSimTenant     *tenant,
                  guint            index)
{
  const HsSimTeamInfo *team = hs_sim_words_team (index);
  HsSimRng rng;

  hs_sim_rng_init (&rng, hs_sim_tenant_get_options (tenant)->seed, HS_SIM_KIND_TENANT, 100 + index);

  begin_record (w, NULL);
  put_int (w, "id", team->id);
  put_guid (w, "guid", &rng);
  put_string (w, "name", team->name);
  put_int (w, "sequence", index + 1);
  put_bool (w, "forrequests", TRUE);
  put_bool (w, "foropps", FALSE);
  put_bool (w, "forprojects", team->id == 3 || team->id == 4);
  put_int (w, "ticket_count", 0);
  put_int (w, "department_id", strcmp (team->department, "Support") == 0 ? 1 : 2);
  put_string (w, "department_name", team->department);
  put_bool (w, "inactive", FALSE);
  put_date (w, "last_modified", hs_sim_tenant_get_options (tenant)->start - (gint64) (index + 1) * 37 * HS_SIM_TICKS_PER_DAY);
  end_record (w);
}

void
hs_sim_json_client (HsSimJsonWriter *w,
                    HsSimTenant     *tenant,
                    guint            id)
{
  const HsSimTenantOptions *o = hs_sim_tenant_get_options (tenant);
  g_autoptr(GString) name = g_string_new (NULL);
  HsSimRng rng;

  hs_sim_tenant_client_name (tenant, id, name);
  hs_sim_rng_init (&rng, o->seed, HS_SIM_KIND_CLIENT, (guint64) id | G_GUINT64_CONSTANT (0x100000000));

  begin_record (w, NULL);
  put_int (w, "id", id);
  put_string (w, "name", name->str);
  put_int (w, "toplevel_id", 1);
  put_string (w, "toplevel_name", "Customers");
  put_bool (w, "inactive", hs_sim_tenant_client_is_inactive (tenant, id));
  put_string (w, "colour", colours[id % G_N_ELEMENTS (colours)]);
  put_date (w, "datecreated", hs_sim_time_truncate (o->start - hs_sim_rng_between (&rng, 30, 2000) * HS_SIM_TICKS_PER_DAY -
                                                   hs_sim_rng_between (&rng, 0, 86399) * HS_SIM_TICKS_PER_SECOND,
                                                   hs_sim_rng_below (&rng, 8)));
  put_date (w, "alastupdate", hs_sim_time_truncate (o->start + hs_sim_rng_between (&rng, 0, 86400 * 200) * HS_SIM_TICKS_PER_SECOND,
                                                   hs_sim_rng_below (&rng, 8)));
  end_record (w);
}
