/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <halosync.h>
#include <math.h>

#include "hs-sim-random.h"
#include "hs-sim-tenant.h"
#include "hs-sim-time.h"
#include "hs-sim-words.h"

/* Tickets opened before the range (one in twenty) whose work continues
 * inside it: they are what a "last updated" query must catch. */
#define OLD_TICKET_SHARE 20
#define OLD_TICKET_DAYS 120
/* A ticket holds at most this many time entries on average, so a ticket's
 * actions always fit the 16-bit per-ticket ids. */
#define MAX_ENTRIES_PER_TICKET 1000
#define MAX_ENTITIES 1000000
#define MAX_TIME_ENTRIES 20000000

/* The time entries' lengths in seconds: mostly quarter hours, some tenths
 * of an hour (6-minute billing), some long days. */
static const guint32 entry_seconds[] = {
  360, 720, 900, 900, 1800, 1800, 1800, 2700, 3600, 3600, 5400, 7200, 10800, 14400, 28800,
};

typedef struct
{
  JsonObject *fields;         /* (owned) (nullable): ticket fields set by the control API */
  GArray *actions;            /* (owned) (nullable): of HsSimAction, once any was changed */
  GHashTable *action_fields;  /* (owned) (nullable): action id → JsonObject */
} TicketExtra;

/**
 * HsSimTenant:
 *
 * The simulated Halo tenant: agents, clients, teams, tickets, their
 * actions and the TimesheetEvent view of those actions.
 *
 * Only what filters and counts need is stored (about 40 bytes a ticket and
 * 32 an action); names and text are generated again from the seed and the
 * id each time they are printed, and only values changed through the
 * control API are kept beside the generated ones.
 */
struct _HsSimTenant
{
  GObject parent_instance;

  HsSimTenantOptions options;
  GArray *tickets;          /* (owned) of HsSimTicket; index = id - 1 */
  HsSimAction *actions;     /* (owned): the generated actions of all tickets */
  gsize n_actions;
  GHashTable *extras;       /* (owned): ticket id → TicketExtra */
  guint8 *agent_disabled;   /* (owned): indexed by agent id */
  guint n_breaks;
  guint32 next_event_id;
  GArray *events;           /* (owned) (nullable): HsSimEventRef by start and id,
                             * built on demand, dropped when actions change */
  char *list_key;           /* (owned) (nullable): the ticket list kept */
  GArray *list_ids;         /* (owned) (nullable): its ticket ids, in order */
};

G_DEFINE_FINAL_TYPE (HsSimTenant, hs_sim_tenant, G_TYPE_OBJECT)

static void
ticket_extra_free (gpointer data)
{
  TicketExtra *extra = data;

  g_clear_pointer (&extra->fields, json_object_unref);
  g_clear_pointer (&extra->actions, g_array_unref);
  g_clear_pointer (&extra->action_fields, g_hash_table_unref);
  g_free (extra);
}

static void
hs_sim_tenant_finalize (GObject *object)
{
  HsSimTenant *self = HS_SIM_TENANT (object);

  g_clear_pointer (&self->tickets, g_array_unref);
  g_clear_pointer (&self->actions, g_free);
  g_clear_pointer (&self->extras, g_hash_table_unref);
  g_clear_pointer (&self->agent_disabled, g_free);
  g_clear_pointer (&self->events, g_array_unref);
  g_clear_pointer (&self->list_key, g_free);
  g_clear_pointer (&self->list_ids, g_array_unref);

  G_OBJECT_CLASS (hs_sim_tenant_parent_class)->finalize (object);
}

static void
hs_sim_tenant_class_init (HsSimTenantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hs_sim_tenant_finalize;
}

static void
hs_sim_tenant_init (HsSimTenant *self)
{
  self->tickets = g_array_new (FALSE, TRUE, sizeof (HsSimTicket));
  self->extras = g_hash_table_new_full (NULL, NULL, NULL, ticket_extra_free);
}

/* A time with a varying number of fraction digits (0 to 7), as Halo
 * prints them. */
static gint64
vary_fraction (HsSimRng *rng,
               gint64    ticks)
{
  static const guint digits[] = { 0, 0, 0, 1, 2, 3, 3, 5, 7 };

  ticks += (gint64) hs_sim_rng_below (rng, (guint32) HS_SIM_TICKS_PER_SECOND);
  return hs_sim_time_truncate (ticks, digits[hs_sim_rng_below (rng, G_N_ELEMENTS (digits))]);
}

static int
compare_action_time (gconstpointer a,
                     gconstpointer b)
{
  const HsSimAction *x = a;
  const HsSimAction *y = b;

  return (x->datetime > y->datetime) - (x->datetime < y->datetime);
}

/* Spreads the requested number of time entries over the tickets: an even
 * share, then pairs of neighbours trade a random part of theirs, so some
 * tickets have none and some twice the average while the total stays
 * exactly --time-entries. */
static guint16 *
share_time_entries (const HsSimTenantOptions *options)
{
  guint16 *counts = g_new0 (guint16, MAX (options->n_tickets, 1));
  guint base, rest;
  HsSimRng rng;

  if (options->n_tickets == 0)
    return counts;

  base = options->n_time_entries / options->n_tickets;
  rest = options->n_time_entries % options->n_tickets;
  for (guint i = 0; i < options->n_tickets; i++)
    counts[i] = (guint16) (base + (i < rest ? 1 : 0));

  hs_sim_rng_init (&rng, options->seed, HS_SIM_KIND_TENANT, 1);
  for (guint i = 0; i + 1 < options->n_tickets; i += 2)
    {
      guint from = hs_sim_rng_chance (&rng, 50) ? i : i + 1;
      guint to = from == i ? i + 1 : i;
      guint16 moved = (guint16) hs_sim_rng_below (&rng, counts[from] + 1u);

      counts[from] -= moved;
      counts[to] += moved;
    }
  return counts;
}

static guint
random_agent (HsSimTenant *self,
              HsSimRng    *rng)
{
  return HS_SIM_UNASSIGNED_ID + 1 + hs_sim_rng_below (rng, self->options.n_agents);
}

static void
generate_ticket (HsSimTenant *self,
                 guint        id,
                 guint        n_entries,
                 GArray      *actions,
                 guint32     *event_id)
{
  const HsSimTenantOptions *o = &self->options;
  guint old_count = o->n_tickets >= OLD_TICKET_SHARE ? o->n_tickets / OLD_TICKET_SHARE : 0;
  guint index = id - 1;
  gint64 span = o->end - o->start;
  gint64 life_end, work_start;
  HsSimTicket ticket = { 0 };
  HsSimRng rng;
  g_autoptr(GArray) own = g_array_new (FALSE, TRUE, sizeof (HsSimAction));
  guint n_notes;
  gint64 last = 0;
  gboolean old;

  hs_sim_rng_init (&rng, o->seed, HS_SIM_KIND_TICKET, id);

  /* Ids grow with the opening time, as in Halo. */
  old = index < old_count;
  if (old)
    {
      gint64 old_span = OLD_TICKET_DAYS * HS_SIM_TICKS_PER_DAY;
      gint64 step = old_span / old_count;

      ticket.dateoccurred = o->start - old_span + (gint64) index * step +
                            hs_sim_rng_between (&rng, 0, step - 1);
    }
  else
    {
      guint n_new = o->n_tickets - old_count;
      gint64 step = span / n_new;

      ticket.dateoccurred = o->start + (gint64) (index - old_count) * step +
                            hs_sim_rng_between (&rng, 0, MAX (step - 1, 0));
    }
  ticket.dateoccurred = vary_fraction (&rng, hs_sim_time_truncate (ticket.dateoccurred, 0));

  /* Four in five tickets are closed; the youngest stay open more often. */
  if (hs_sim_rng_chance (&rng, old ? 90 : 80))
    {
      gint64 duration;

      if (old)
        duration = (o->start - ticket.dateoccurred) +
                   hs_sim_rng_between (&rng, HS_SIM_TICKS_PER_DAY, 60 * HS_SIM_TICKS_PER_DAY);
      else if (hs_sim_rng_chance (&rng, 70))
        duration = hs_sim_rng_between (&rng, 20 * HS_SIM_TICKS_PER_MINUTE, 2 * HS_SIM_TICKS_PER_DAY);
      else
        duration = hs_sim_rng_between (&rng, 2 * HS_SIM_TICKS_PER_DAY, 30 * HS_SIM_TICKS_PER_DAY);

      if (ticket.dateoccurred + duration < o->end)
        ticket.dateclosed = vary_fraction (&rng, hs_sim_time_truncate (ticket.dateoccurred + duration, 0));
    }

  ticket.status_id = ticket.dateclosed != HS_SIM_NO_DATE ? HS_SIM_STATUS_CLOSED
                                                         : 1 + hs_sim_rng_below (&rng, 5);
  ticket.tickettype_id = 1 + hs_sim_rng_below (&rng, hs_sim_words_n_ticket_types ());
  ticket.client_id = hs_sim_rng_chance (&rng, 3) ? HS_SIM_UNASSIGNED_ID
                                                 : HS_SIM_UNASSIGNED_ID + 1 + hs_sim_rng_below (&rng, o->n_clients);
  if (ticket.dateclosed == HS_SIM_NO_DATE && hs_sim_rng_chance (&rng, 10))
    ticket.agent_id = HS_SIM_UNASSIGNED_ID;
  else
    ticket.agent_id = (guint16) random_agent (self, &rng);
  ticket.team = hs_sim_rng_chance (&rng, 8) ? 0
                                            : (guint8) (hs_sim_tenant_agent_team (self, ticket.agent_id) + 1);

  life_end = ticket.dateclosed != HS_SIM_NO_DATE ? ticket.dateclosed : o->end - 1;
  work_start = ticket.dateoccurred;

  for (guint i = 0; i < n_entries; i++)
    {
      HsSimAction action = { 0 };
      gint64 from = work_start;

      /* Most of an old ticket's time falls inside the range, some before it. */
      if (old && hs_sim_rng_chance (&rng, 85))
        from = MAX (from, o->start);
      action.datetime = hs_sim_time_truncate (hs_sim_rng_between (&rng, from, life_end), 0);
      action.seconds = entry_seconds[hs_sim_rng_below (&rng, G_N_ELEMENTS (entry_seconds))];
      action.agent_id = (guint16) (ticket.agent_id != HS_SIM_UNASSIGNED_ID && hs_sim_rng_chance (&rng, 70)
                                   ? ticket.agent_id : random_agent (self, &rng));
      action.outcome_id = 3 + hs_sim_rng_below (&rng, 3);
      action.flags = (hs_sim_rng_chance (&rng, 75) ? HS_SIM_ACTION_BILLABLE : 0) |
                     (hs_sim_rng_chance (&rng, 40) ? HS_SIM_ACTION_HIDDEN : 0);
      g_array_append_val (own, action);
    }

  n_notes = 1 + hs_sim_rng_below (&rng, 3);
  for (guint i = 0; i < n_notes; i++)
    {
      HsSimAction action = { 0 };
      gboolean system = hs_sim_rng_chance (&rng, 25);

      action.datetime = MIN (vary_fraction (&rng, hs_sim_time_truncate (hs_sim_rng_between (&rng, work_start, life_end), 0)),
                             life_end);
      action.agent_id = system ? 0 : (guint16) random_agent (self, &rng);
      action.outcome_id = system ? 7 + hs_sim_rng_below (&rng, 2) : 1 + hs_sim_rng_below (&rng, 2);
      action.flags = hs_sim_rng_chance (&rng, 10) ? HS_SIM_ACTION_IMPORTANT : 0;
      g_array_append_val (own, action);
    }

  g_array_sort (own, compare_action_time);

  if (ticket.dateclosed != HS_SIM_NO_DATE)
    {
      HsSimAction action = { 0 };

      action.datetime = ticket.dateclosed;
      action.agent_id = ticket.agent_id != HS_SIM_UNASSIGNED_ID ? ticket.agent_id : (guint16) random_agent (self, &rng);
      action.outcome_id = 6;
      g_array_append_val (own, action);
    }

  for (guint i = 0; i < own->len; i++)
    {
      HsSimAction *action = &g_array_index (own, HsSimAction, i);

      action->id = (guint16) (i + 1);
      action->last_updated = vary_fraction (&rng, action->datetime +
                                                  hs_sim_rng_between (&rng, 0, 300) * HS_SIM_TICKS_PER_SECOND);
      if (action->seconds > 0)
        action->event_id = (*event_id)++;
      last = MAX (last, action->last_updated);
    }

  last = MAX (last, MAX (ticket.dateoccurred, ticket.dateclosed));
  ticket.last_update = vary_fraction (&rng, hs_sim_time_truncate (last, 0) +
                                            hs_sim_rng_between (&rng, 1, 120) * HS_SIM_TICKS_PER_SECOND);
  ticket.first_action = actions->len;
  ticket.n_actions = (guint16) own->len;
  g_array_append_vals (actions, own->data, own->len);
  g_array_append_val (self->tickets, ticket);
}

static gboolean
check_options (const HsSimTenantOptions *o,
               GError                  **error)
{
  if (o->n_agents < 1 || o->n_agents > G_MAXUINT16 - 2)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("The number of agents must be between 1 and %u"), G_MAXUINT16 - 2);
      return FALSE;
    }
  if (o->n_clients < 1 || o->n_clients > MAX_ENTITIES)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("The number of clients must be between 1 and %u"), MAX_ENTITIES);
      return FALSE;
    }
  if (o->n_tickets > MAX_ENTITIES * 10)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("The number of tickets must be at most %u"), MAX_ENTITIES * 10);
      return FALSE;
    }
  if (o->n_time_entries > MAX_TIME_ENTRIES ||
      (o->n_time_entries > 0 && o->n_time_entries / MAX (o->n_tickets, 1) >= MAX_ENTRIES_PER_TICKET) ||
      (o->n_time_entries > 0 && o->n_tickets == 0))
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("%u time entries do not fit %u tickets; allow fewer than %u per ticket"),
                   o->n_time_entries, o->n_tickets, MAX_ENTRIES_PER_TICKET);
      return FALSE;
    }
  if (o->end - o->start < HS_SIM_TICKS_PER_DAY)
    {
      g_set_error_literal (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                           _("The end date must be on or after the start date"));
      return FALSE;
    }
  return TRUE;
}

/**
 * hs_sim_tenant_new:
 * @options: the size, seed and date range of the tenant
 * @error: return location for an error
 *
 * Generates a tenant.  The same options always give the same tenant.
 *
 * Returns: (transfer full) (nullable): the tenant, or %NULL if @options
 *   are out of range
 */
HsSimTenant *
hs_sim_tenant_new (const HsSimTenantOptions *options,
                   GError                  **error)
{
  g_autoptr(HsSimTenant) self = NULL;
  g_autofree guint16 *entries = NULL;
  g_autoptr(GArray) actions = NULL;
  guint32 event_id = 1;
  HsSimRng rng;

  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_options (options, error))
    return NULL;

  self = g_object_new (HS_SIM_TYPE_TENANT, NULL);
  self->options = *options;

  /* Every agent has a few disabled colleagues, but never the
   * Unassigned pseudo-agent or the API's own agent. */
  self->agent_disabled = g_new0 (guint8, options->n_agents + 2);
  for (guint id = HS_SIM_API_AGENT_ID + 1; id <= options->n_agents + 1; id++)
    {
      hs_sim_rng_init (&rng, options->seed, HS_SIM_KIND_AGENT, id);
      self->agent_disabled[id] = hs_sim_rng_chance (&rng, 8) || (id == options->n_agents + 1 && id > 3);
    }

  entries = share_time_entries (options);
  actions = g_array_sized_new (FALSE, TRUE, sizeof (HsSimAction),
                               options->n_time_entries + options->n_tickets * 4);
  for (guint id = 1; id <= options->n_tickets; id++)
    generate_ticket (self, id, entries[id - 1], actions, &event_id);

  self->n_actions = actions->len;
  self->actions = (HsSimAction *) (gpointer) g_array_free (g_steal_pointer (&actions), FALSE);

  /* Breaks (event_type 1) take the ids after the time entries'. */
  self->n_breaks = options->n_time_entries / 10;
  self->next_event_id = event_id + self->n_breaks;

  return g_steal_pointer (&self);
}

const HsSimTenantOptions *
hs_sim_tenant_get_options (HsSimTenant *self)
{
  g_return_val_if_fail (HS_SIM_IS_TENANT (self), NULL);
  return &self->options;
}

guint
hs_sim_tenant_get_n_tickets (HsSimTenant *self)
{
  g_return_val_if_fail (HS_SIM_IS_TENANT (self), 0);
  return self->tickets->len;
}

/* Returns: (nullable): the ticket, deleted or not, or %NULL if no ticket
 * ever had @id */
const HsSimTicket *
hs_sim_tenant_get_ticket (HsSimTenant *self,
                          guint        id)
{
  g_return_val_if_fail (HS_SIM_IS_TENANT (self), NULL);

  if (id < 1 || id > self->tickets->len)
    return NULL;
  return &g_array_index (self->tickets, HsSimTicket, id - 1);
}

static TicketExtra *
get_extra (HsSimTenant *self,
           guint        id)
{
  return g_hash_table_lookup (self->extras, GUINT_TO_POINTER (id));
}

static TicketExtra *
ensure_extra (HsSimTenant *self,
              guint        id)
{
  TicketExtra *extra = get_extra (self, id);

  if (extra == NULL)
    {
      extra = g_new0 (TicketExtra, 1);
      g_hash_table_insert (self->extras, GUINT_TO_POINTER (id), extra);
      g_array_index (self->tickets, HsSimTicket, id - 1).flags |= HS_SIM_TICKET_HAS_EXTRA;
    }
  return extra;
}

/* Returns: (nullable) (transfer none): the fields the control API set on
 * the ticket, which win over the generated ones */
JsonObject *
hs_sim_tenant_get_ticket_fields (HsSimTenant *self,
                                 guint        id)
{
  const HsSimTicket *ticket = hs_sim_tenant_get_ticket (self, id);
  TicketExtra *extra;

  if (ticket == NULL || (ticket->flags & HS_SIM_TICKET_HAS_EXTRA) == 0)
    return NULL;
  extra = get_extra (self, id);
  return extra->fields;
}

/* Returns: the number of actions, deleted ones included, in id order */
guint
hs_sim_tenant_get_actions (HsSimTenant        *self,
                           guint               ticket_id,
                           const HsSimAction **actions)
{
  const HsSimTicket *ticket = hs_sim_tenant_get_ticket (self, ticket_id);

  *actions = NULL;
  if (ticket == NULL)
    return 0;

  if (ticket->flags & HS_SIM_TICKET_HAS_EXTRA)
    {
      TicketExtra *extra = get_extra (self, ticket_id);

      if (extra->actions != NULL)
        {
          *actions = (const HsSimAction *) (gpointer) extra->actions->data;
          return extra->actions->len;
        }
    }

  *actions = self->actions + ticket->first_action;
  return ticket->n_actions;
}

/* Returns: (nullable): the action, or %NULL if it never existed or was deleted */
const HsSimAction *
hs_sim_tenant_find_action (HsSimTenant *self,
                           guint        ticket_id,
                           guint        action_id)
{
  const HsSimAction *actions;
  guint n = hs_sim_tenant_get_actions (self, ticket_id, &actions);

  /* Ids are given in ascending order and never reused. */
  for (guint i = 0; i < n; i++)
    if (actions[i].id == action_id)
      return (actions[i].flags & HS_SIM_ACTION_DELETED) ? NULL : &actions[i];
  return NULL;
}

JsonObject *
hs_sim_tenant_get_action_fields (HsSimTenant *self,
                                 guint        ticket_id,
                                 guint        action_id)
{
  const HsSimTicket *ticket = hs_sim_tenant_get_ticket (self, ticket_id);
  TicketExtra *extra;

  if (ticket == NULL || (ticket->flags & HS_SIM_TICKET_HAS_EXTRA) == 0)
    return NULL;
  extra = get_extra (self, ticket_id);
  if (extra->action_fields == NULL)
    return NULL;
  return g_hash_table_lookup (extra->action_fields, GUINT_TO_POINTER (action_id));
}

void
hs_sim_tenant_get_break (HsSimTenant *self,
                         guint        index,
                         HsSimBreak  *out)
{
  const HsSimTenantOptions *o = &self->options;
  gint64 days = (o->end - o->start) / HS_SIM_TICKS_PER_DAY;
  HsSimRng rng;

  g_return_if_fail (index < self->n_breaks);

  hs_sim_rng_init (&rng, o->seed, HS_SIM_KIND_BREAK, index);
  out->id = o->n_time_entries + 1 + index;
  out->agent_id = random_agent (self, &rng);
  out->break_type = 1 + hs_sim_rng_below (&rng, 2);
  out->start = o->start + hs_sim_rng_between (&rng, 0, days - 1) * HS_SIM_TICKS_PER_DAY +
               hs_sim_rng_between (&rng, 10 * 4, 14 * 4) * 15 * HS_SIM_TICKS_PER_MINUTE;
  out->seconds = out->break_type == 2 ? 1800 + 900 * hs_sim_rng_below (&rng, 3) : 900;
}

static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  const HsSimEventRef *x = a;
  const HsSimEventRef *y = b;

  if (x->start != y->start)
    return (x->start > y->start) - (x->start < y->start);
  return (x->id > y->id) - (x->id < y->id);
}

/**
 * hs_sim_tenant_get_events:
 * @self: a tenant
 * @n_events: (out): how many there are
 *
 * Every TimesheetEvent of the live tickets, and every break, ordered by
 * start and id.  A TimesheetEvent request selects a stretch of time out
 * of a year of events; searching this instead of every action of every
 * ticket keeps the simulator's cost per request independent of the
 * tenant's size.  Any change to tickets' actions invalidates it.
 *
 * Returns: (transfer none) (array length=n_events): the events, valid
 *   until the next change
 */
const HsSimEventRef *
hs_sim_tenant_get_events (HsSimTenant *self,
                         guint       *n_events)
{
  g_return_val_if_fail (HS_SIM_IS_TENANT (self), NULL);

  if (self->events == NULL)
    {
      self->events = g_array_new (FALSE, FALSE, sizeof (HsSimEventRef));

      for (guint id = 1; id <= self->tickets->len; id++)
        {
          const HsSimTicket *t = &g_array_index (self->tickets, HsSimTicket, id - 1);
          const HsSimAction *actions;
          guint n;

          if (t->flags & HS_SIM_TICKET_DELETED)
            continue;
          n = hs_sim_tenant_get_actions (self, id, &actions);
          for (guint i = 0; i < n; i++)
            {
              HsSimEventRef ref = { actions[i].datetime, actions[i].event_id, id, i, actions[i].agent_id };

              if (actions[i].seconds > 0 && (actions[i].flags & HS_SIM_ACTION_DELETED) == 0)
                g_array_append_val (self->events, ref);
            }
        }

      for (guint k = 0; k < self->n_breaks; k++)
        {
          HsSimBreak brk;
          HsSimEventRef ref;

          hs_sim_tenant_get_break (self, k, &brk);
          ref = (HsSimEventRef) { brk.start, brk.id, 0, k, brk.agent_id };
          g_array_append_val (self->events, ref);
        }

      g_array_sort (self->events, compare_events);
    }

  *n_events = self->events->len;
  return (const HsSimEventRef *) (gpointer) self->events->data;
}

/* The index holds which actions are live and their start, agent and event
 * id, so anything that may change one of those drops it, even when the
 * change is then refused: rebuilding costs one scan, a stale index would
 * serve deleted or misplaced events. */
static void
forget_events (HsSimTenant *self)
{
  g_clear_pointer (&self->events, g_array_unref);
}

/* A kept ticket list is the answer to its query only while no ticket
 * and no action changes (an action's change moves its ticket's
 * last_update), so every change drops it, even one then refused. */
static void
forget_ticket_list (HsSimTenant *self)
{
  g_clear_pointer (&self->list_key, g_free);
  g_clear_pointer (&self->list_ids, g_array_unref);
}

/**
 * hs_sim_tenant_get_ticket_list:
 * @self: a tenant
 * @key: a ticket query's filters and order
 *
 * The ticket ids a list request under @key matched, in order, if they
 * were kept with hs_sim_tenant_set_ticket_list() and nothing changed
 * since.  A sync pages through one query; scanning every ticket again for
 * each page made paging through a tenant cost the square of its size.
 *
 * Returns: (transfer none) (nullable) (element-type guint): the ids
 */
GArray *
hs_sim_tenant_get_ticket_list (HsSimTenant *self,
                               const char  *key)
{
  g_return_val_if_fail (HS_SIM_IS_TENANT (self), NULL);

  return g_strcmp0 (self->list_key, key) == 0 ? self->list_ids : NULL;
}

/**
 * hs_sim_tenant_set_ticket_list:
 * @self: a tenant
 * @key: a ticket query's filters and order
 * @ids: (transfer full) (element-type guint): the ids it matched, in order
 *
 * Keeps @ids for the next pages of the query, in place of any list kept
 * before.
 */
void
hs_sim_tenant_set_ticket_list (HsSimTenant *self,
                               const char  *key,
                               GArray      *ids)
{
  g_return_if_fail (HS_SIM_IS_TENANT (self));

  forget_ticket_list (self);
  self->list_key = g_strdup (key);
  self->list_ids = ids;
}

gboolean
hs_sim_tenant_agent_exists (HsSimTenant *self,
                            guint        id)
{
  return id >= HS_SIM_UNASSIGNED_ID && id <= self->options.n_agents + 1;
}

gboolean
hs_sim_tenant_agent_is_disabled (HsSimTenant *self,
                                 guint        id)
{
  return hs_sim_tenant_agent_exists (self, id) && self->agent_disabled[id];
}

void
hs_sim_tenant_agent_name (HsSimTenant  *self,
                          guint         id,
                          const char  **first,
                          const char  **last)
{
  HsSimRng rng;

  if (id == HS_SIM_UNASSIGNED_ID)
    {
      *first = "Unassigned";
      *last = "";
      return;
    }
  hs_sim_rng_init (&rng, self->options.seed, HS_SIM_KIND_AGENT, id);
  hs_sim_rng_next (&rng);
  hs_sim_words_person (&rng, first, last);
}

/* Returns: the index of the agent's default team */
guint
hs_sim_tenant_agent_team (HsSimTenant *self,
                          guint        id)
{
  HsSimRng rng;

  hs_sim_rng_init (&rng, self->options.seed, HS_SIM_KIND_AGENT, id ^ 0x7fff0000u);
  return hs_sim_rng_below (&rng, hs_sim_words_n_teams ());
}

gboolean
hs_sim_tenant_client_exists (HsSimTenant *self,
                             guint        id)
{
  return id >= HS_SIM_UNASSIGNED_ID && id <= self->options.n_clients + 1;
}

gboolean
hs_sim_tenant_client_is_inactive (HsSimTenant *self,
                                  guint        id)
{
  HsSimRng rng;

  if (id == HS_SIM_UNASSIGNED_ID)
    return FALSE;
  hs_sim_rng_init (&rng, self->options.seed, HS_SIM_KIND_CLIENT, id);
  return hs_sim_rng_chance (&rng, 5);
}

void
hs_sim_tenant_client_name (HsSimTenant *self,
                           guint        id,
                           GString     *out)
{
  HsSimRng rng;

  if (id == HS_SIM_UNASSIGNED_ID)
    {
      g_string_append (out, "Unassigned");
      return;
    }
  hs_sim_rng_init (&rng, self->options.seed, HS_SIM_KIND_CLIENT, id);
  hs_sim_rng_next (&rng);
  hs_sim_words_company (&rng, out);
}

/* Control-API field parsing.  Fields that filters or counts use are kept
 * in the compact structs; every other field is stored as given and
 * printed instead of the generated value. */

static gboolean
get_time_member (JsonObject  *fields,
                 const char  *name,
                 gint64      *ticks,
                 gboolean    *present,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (fields, name);
  const char *text;

  *present = node != NULL;
  if (node == NULL)
    return TRUE;

  if (JSON_NODE_HOLDS_NULL (node))
    {
      *ticks = HS_SIM_NO_DATE;
      return TRUE;
    }

  text = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
  if (text == NULL || !hs_sim_time_parse (text, ticks))
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("“%s” must be a date such as 2025-07-01T09:30:00"), name);
      return FALSE;
    }
  /* Halo's "no date": any year up to 1900. */
  if (*ticks < hs_sim_time_from_ymd (1901, 1, 1))
    *ticks = HS_SIM_NO_DATE;
  return TRUE;
}

static gboolean
get_uint_member (JsonObject  *fields,
                 const char  *name,
                 guint        max,
                 guint       *value,
                 gboolean    *present,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (fields, name);

  *present = node != NULL;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64 ||
      json_node_get_int (node) < 0 || json_node_get_int (node) > max)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("“%s” must be a whole number from 0 to %u"), name, max);
      return FALSE;
    }
  *value = (guint) json_node_get_int (node);
  return TRUE;
}

static gboolean
get_bool_member (JsonObject  *fields,
                 const char  *name,
                 gboolean    *value,
                 gboolean    *present,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (fields, name);

  *present = node != NULL;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("“%s” must be true or false"), name);
      return FALSE;
    }
  *value = json_node_get_boolean (node);
  return TRUE;
}

static void
store_other_fields (JsonObject         **store,
                    JsonObject          *fields,
                    const char * const  *compact)
{
  g_autoptr(GList) members = json_object_get_members (fields);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (g_strv_contains (compact, name))
        continue;
      if (*store == NULL)
        *store = json_object_new ();
      json_object_set_member (*store, name, json_node_copy (json_object_get_member (fields, name)));
    }
}

static const char * const ticket_compact_fields[] = {
  "id", "dateoccurred", "dateclosed", "last_update", "client_id", "agent_id", "status_id",
  "tickettype_id", "deleted", NULL
};

static gboolean
apply_ticket_fields (HsSimTenant *self,
                     guint        id,
                     JsonObject  *fields,
                     gint64       now,
                     GError     **error)
{
  HsSimTicket copy = g_array_index (self->tickets, HsSimTicket, id - 1);
  gint64 ticks;
  guint value;
  gboolean present, closed_given, update_given;

  if (!get_time_member (fields, "dateoccurred", &ticks, &present, error))
    return FALSE;
  if (present)
    copy.dateoccurred = ticks;

  if (!get_uint_member (fields, "client_id", G_MAXUINT32, &value, &present, error))
    return FALSE;
  if (present && !hs_sim_tenant_client_exists (self, value))
    {
      g_set_error (error, HS_ERROR, HS_ERROR_NOT_FOUND, _("There is no client %u"), value);
      return FALSE;
    }
  if (present)
    copy.client_id = value;

  if (!get_uint_member (fields, "agent_id", G_MAXUINT16, &value, &present, error))
    return FALSE;
  if (present && !hs_sim_tenant_agent_exists (self, value))
    {
      g_set_error (error, HS_ERROR, HS_ERROR_NOT_FOUND, _("There is no agent %u"), value);
      return FALSE;
    }
  if (present)
    copy.agent_id = (guint16) value;

  if (!get_uint_member (fields, "tickettype_id", hs_sim_words_n_ticket_types (), &value, &present, error))
    return FALSE;
  if (present)
    copy.tickettype_id = (guint8) value;

  if (!get_uint_member (fields, "status_id", G_MAXUINT8, &value, &present, error))
    return FALSE;
  if (present && hs_sim_words_status (value) == NULL)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT, _("There is no status %u"), value);
      return FALSE;
    }
  if (present)
    copy.status_id = (guint8) value;

  if (!get_time_member (fields, "dateclosed", &ticks, &closed_given, error))
    return FALSE;
  if (closed_given)
    copy.dateclosed = ticks;
  /* Closing or reopening through the status keeps the date consistent. */
  if (!closed_given && copy.status_id == HS_SIM_STATUS_CLOSED && copy.dateclosed == HS_SIM_NO_DATE)
    copy.dateclosed = now;
  else if (!closed_given && copy.status_id != HS_SIM_STATUS_CLOSED)
    copy.dateclosed = HS_SIM_NO_DATE;
  if (closed_given && copy.dateclosed != HS_SIM_NO_DATE && !json_object_has_member (fields, "status_id"))
    copy.status_id = HS_SIM_STATUS_CLOSED;

  if (!get_time_member (fields, "last_update", &ticks, &update_given, error))
    return FALSE;
  copy.last_update = update_given ? ticks : now;

  g_array_index (self->tickets, HsSimTicket, id - 1) = copy;
  store_other_fields (&ensure_extra (self, id)->fields, fields, ticket_compact_fields);
  return TRUE;
}

static const HsSimTicket *
get_live_ticket (HsSimTenant *self,
                 guint        id,
                 GError     **error)
{
  const HsSimTicket *ticket = hs_sim_tenant_get_ticket (self, id);

  if (ticket == NULL || (ticket->flags & HS_SIM_TICKET_DELETED))
    {
      g_set_error (error, HS_ERROR, HS_ERROR_NOT_FOUND, _("There is no ticket %u"), id);
      return NULL;
    }
  return ticket;
}

/**
 * hs_sim_tenant_create_ticket:
 * @self: a tenant
 * @fields: ticket fields as in Halo's ticket JSON; unset ones are generated
 * @now: the simulator's current time, the default for dates
 * @error: return location for an error
 *
 * Returns: the new ticket's id, or 0 on error
 */
guint
hs_sim_tenant_create_ticket (HsSimTenant *self,
                             JsonObject  *fields,
                             gint64       now,
                             GError     **error)
{
  HsSimTicket ticket = { 0 };
  guint id;

  g_return_val_if_fail (HS_SIM_IS_TENANT (self), 0);
  forget_ticket_list (self);

  ticket.dateoccurred = now;
  ticket.status_id = 1;
  ticket.tickettype_id = 1;
  ticket.agent_id = HS_SIM_UNASSIGNED_ID;
  ticket.client_id = HS_SIM_UNASSIGNED_ID;
  ticket.last_update = now;
  g_array_append_val (self->tickets, ticket);
  id = self->tickets->len;

  if (!apply_ticket_fields (self, id, fields, now, error))
    {
      g_hash_table_remove (self->extras, GUINT_TO_POINTER (id));
      g_array_set_size (self->tickets, id - 1);
      return 0;
    }
  return id;
}

gboolean
hs_sim_tenant_update_ticket (HsSimTenant *self,
                             guint        id,
                             JsonObject  *fields,
                             gint64       now,
                             GError     **error)
{
  g_return_val_if_fail (HS_SIM_IS_TENANT (self), FALSE);
  forget_ticket_list (self);

  if (get_live_ticket (self, id, error) == NULL)
    return FALSE;
  return apply_ticket_fields (self, id, fields, now, error);
}

/* The ticket disappears from every list except ?deleted=true, together
 * with its actions and TimesheetEvents. */
gboolean
hs_sim_tenant_delete_ticket (HsSimTenant *self,
                             guint        id,
                             gint64       now,
                             GError     **error)
{
  HsSimTicket *ticket;

  g_return_val_if_fail (HS_SIM_IS_TENANT (self), FALSE);
  forget_events (self);
  forget_ticket_list (self);

  if (get_live_ticket (self, id, error) == NULL)
    return FALSE;
  ticket = &g_array_index (self->tickets, HsSimTicket, id - 1);
  ticket->flags |= HS_SIM_TICKET_DELETED;
  ticket->last_update = now;
  return TRUE;
}

/* Sets one last_update on many tickets at once: the bulk update that
 * stamps thousands of rows with the same time.  Returns the number of
 * tickets changed, or 0 with @error set if any id is unknown. */
guint
hs_sim_tenant_touch_tickets (HsSimTenant *self,
                             GArray      *ids,
                             gint64       last_update,
                             GError     **error)
{
  g_return_val_if_fail (HS_SIM_IS_TENANT (self), 0);
  forget_ticket_list (self);

  for (guint i = 0; i < ids->len; i++)
    if (get_live_ticket (self, g_array_index (ids, guint, i), error) == NULL)
      return 0;

  for (guint i = 0; i < ids->len; i++)
    g_array_index (self->tickets, HsSimTicket, g_array_index (ids, guint, i) - 1).last_update = last_update;
  return ids->len;
}

/* Copies the generated actions of a ticket before the first change. */
static GArray *
ensure_own_actions (HsSimTenant *self,
                    guint        ticket_id)
{
  TicketExtra *extra = ensure_extra (self, ticket_id);

  if (extra->actions == NULL)
    {
      const HsSimTicket *ticket = hs_sim_tenant_get_ticket (self, ticket_id);

      extra->actions = g_array_new (FALSE, TRUE, sizeof (HsSimAction));
      g_array_append_vals (extra->actions, self->actions + ticket->first_action, ticket->n_actions);
    }
  return extra->actions;
}

static const char * const action_compact_fields[] = {
  "id", "ticket_id", "datetime", "last_updated", "who_agentid", "timetaken", "actisbillable",
  "hiddenfromuser", "important", "outcome_id", "bump_ticket", NULL
};

static gboolean
apply_action_fields (HsSimTenant *self,
                     guint        ticket_id,
                     HsSimAction *action,
                     JsonObject  *fields,
                     gint64       now,
                     GError     **error)
{
  HsSimAction copy = *action;
  TicketExtra *extra;
  JsonObject *stored = NULL;
  JsonNode *node;
  gint64 ticks;
  guint value;
  gboolean present, flag, bump = TRUE;

  if (!get_time_member (fields, "datetime", &ticks, &present, error))
    return FALSE;
  if (present)
    copy.datetime = ticks;

  if (!get_uint_member (fields, "who_agentid", G_MAXUINT16, &value, &present, error))
    return FALSE;
  if (present && value != 0 && !hs_sim_tenant_agent_exists (self, value))
    {
      g_set_error (error, HS_ERROR, HS_ERROR_NOT_FOUND, _("There is no agent %u"), value);
      return FALSE;
    }
  if (present)
    copy.agent_id = (guint16) value;

  if (!get_uint_member (fields, "outcome_id", hs_sim_words_n_outcomes (), &value, &present, error))
    return FALSE;
  if (present)
    copy.outcome_id = (guint8) value;

  node = json_object_get_member (fields, "timetaken");
  if (node != NULL)
    {
      double hours;

      if (!JSON_NODE_HOLDS_VALUE (node) ||
          (json_node_get_value_type (node) != G_TYPE_DOUBLE && json_node_get_value_type (node) != G_TYPE_INT64) ||
          (hours = json_node_get_double (node)) < 0 || hours > 24 * 30)
        {
          g_set_error_literal (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                               _("“timetaken” must be a number of hours from 0 to 720"));
          return FALSE;
        }
      copy.seconds = (guint32) lround (hours * 3600.0);
      if (copy.seconds > 0 && copy.event_id == 0)
        copy.event_id = self->next_event_id++;
    }

  if (!get_bool_member (fields, "actisbillable", &flag, &present, error))
    return FALSE;
  if (present)
    copy.flags = (copy.flags & ~HS_SIM_ACTION_BILLABLE) | (flag ? HS_SIM_ACTION_BILLABLE : 0);
  if (!get_bool_member (fields, "hiddenfromuser", &flag, &present, error))
    return FALSE;
  if (present)
    copy.flags = (copy.flags & ~HS_SIM_ACTION_HIDDEN) | (flag ? HS_SIM_ACTION_HIDDEN : 0);
  if (!get_bool_member (fields, "important", &flag, &present, error))
    return FALSE;
  if (present)
    copy.flags = (copy.flags & ~HS_SIM_ACTION_IMPORTANT) | (flag ? HS_SIM_ACTION_IMPORTANT : 0);

  if (!get_time_member (fields, "last_updated", &ticks, &present, error))
    return FALSE;
  copy.last_updated = present ? ticks : now;

  if (!get_bool_member (fields, "bump_ticket", &bump, &present, error))
    return FALSE;

  *action = copy;
  store_other_fields (&stored, fields, action_compact_fields);
  if (stored != NULL)
    {
      JsonObject *existing;

      extra = ensure_extra (self, ticket_id);
      if (extra->action_fields == NULL)
        extra->action_fields = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) json_object_unref);
      existing = g_hash_table_lookup (extra->action_fields, GUINT_TO_POINTER ((guint) copy.id));
      if (existing != NULL)
        store_other_fields (&existing, stored, action_compact_fields);
      else
        g_hash_table_insert (extra->action_fields, GUINT_TO_POINTER ((guint) copy.id), json_object_ref (stored));
      json_object_unref (stored);
    }

  /* Halo stamps the ticket whenever one of its actions changes. */
  if (bump)
    g_array_index (self->tickets, HsSimTicket, ticket_id - 1).last_update = copy.last_updated;
  return TRUE;
}

/* Returns: the new action's id, or 0 on error */
guint
hs_sim_tenant_create_action (HsSimTenant *self,
                             guint        ticket_id,
                             JsonObject  *fields,
                             gint64       now,
                             GError     **error)
{
  HsSimAction action = { 0 };
  GArray *actions;

  g_return_val_if_fail (HS_SIM_IS_TENANT (self), 0);
  forget_events (self);
  forget_ticket_list (self);

  if (get_live_ticket (self, ticket_id, error) == NULL)
    return 0;

  actions = ensure_own_actions (self, ticket_id);
  if (actions->len > 0 && g_array_index (actions, HsSimAction, actions->len - 1).id == G_MAXUINT16)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("Ticket %u has no action ids left"), ticket_id);
      return 0;
    }

  action.id = actions->len > 0 ? g_array_index (actions, HsSimAction, actions->len - 1).id + 1 : 1;
  action.datetime = now;
  action.agent_id = HS_SIM_API_AGENT_ID;
  action.outcome_id = 1;
  if (!apply_action_fields (self, ticket_id, &action, fields, now, error))
    return 0;
  g_array_append_val (actions, action);
  return action.id;
}

static HsSimAction *
find_own_action (HsSimTenant *self,
                 guint        ticket_id,
                 guint        action_id,
                 GError     **error)
{
  GArray *actions;

  if (get_live_ticket (self, ticket_id, error) == NULL)
    return NULL;
  if (hs_sim_tenant_find_action (self, ticket_id, action_id) == NULL)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_NOT_FOUND,
                   _("Ticket %u has no action %u"), ticket_id, action_id);
      return NULL;
    }

  actions = ensure_own_actions (self, ticket_id);
  for (guint i = 0; i < actions->len; i++)
    if (g_array_index (actions, HsSimAction, i).id == action_id)
      return &g_array_index (actions, HsSimAction, i);
  g_assert_not_reached ();
}

gboolean
hs_sim_tenant_update_action (HsSimTenant *self,
                             guint        ticket_id,
                             guint        action_id,
                             JsonObject  *fields,
                             gint64       now,
                             GError     **error)
{
  HsSimAction *action;

  g_return_val_if_fail (HS_SIM_IS_TENANT (self), FALSE);
  forget_events (self);
  forget_ticket_list (self);

  action = find_own_action (self, ticket_id, action_id, error);
  if (action == NULL)
    return FALSE;
  return apply_action_fields (self, ticket_id, action, fields, now, error);
}

gboolean
hs_sim_tenant_delete_action (HsSimTenant *self,
                             guint        ticket_id,
                             guint        action_id,
                             gboolean     bump_ticket,
                             gint64       now,
                             GError     **error)
{
  HsSimAction *action;

  g_return_val_if_fail (HS_SIM_IS_TENANT (self), FALSE);
  forget_events (self);
  forget_ticket_list (self);

  action = find_own_action (self, ticket_id, action_id, error);
  if (action == NULL)
    return FALSE;
  action->flags |= HS_SIM_ACTION_DELETED;
  if (bump_ticket)
    g_array_index (self->tickets, HsSimTicket, ticket_id - 1).last_update = now;
  return TRUE;
}

gboolean
hs_sim_tenant_set_agent_disabled (HsSimTenant *self,
                                  guint        id,
                                  gboolean     disabled,
                                  GError     **error)
{
  g_return_val_if_fail (HS_SIM_IS_TENANT (self), FALSE);

  if (id == HS_SIM_UNASSIGNED_ID || !hs_sim_tenant_agent_exists (self, id))
    {
      g_set_error (error, HS_ERROR, HS_ERROR_NOT_FOUND, _("There is no agent %u"), id);
      return FALSE;
    }
  self->agent_disabled[id] = disabled ? 1 : 0;
  return TRUE;
}

typedef struct
{
  guint64 seconds;
  guint entries;
} AgentTotal;

/**
 * hs_sim_tenant_truth:
 * @self: a tenant
 * @start: first instant of the window
 * @end: first instant after the window
 *
 * Counts what a correct sync of [@start, @end) must find, straight from
 * the store (deleted tickets and actions excluded): tickets opened,
 * closed, updated, touched (opened or updated), and time entries with
 * their hours per agent.  It shares no code with the API handlers, so a
 * bug there cannot hide itself.
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
hs_sim_tenant_truth (HsSimTenant *self,
                     gint64       start,
                     gint64       end)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree AgentTotal *per_agent = g_new0 (AgentTotal, self->options.n_agents + 2);
  guint opened = 0, closed = 0, updated = 0, touched = 0, entries = 0;
  guint64 seconds = 0;
  char buf[HS_SIM_TIME_BUF];

  g_return_val_if_fail (HS_SIM_IS_TENANT (self), NULL);

  for (guint id = 1; id <= self->tickets->len; id++)
    {
      const HsSimTicket *ticket = &g_array_index (self->tickets, HsSimTicket, id - 1);
      const HsSimAction *actions;
      guint n;
      gboolean is_opened, is_updated;

      if (ticket->flags & HS_SIM_TICKET_DELETED)
        continue;

      is_opened = ticket->dateoccurred >= start && ticket->dateoccurred < end;
      is_updated = ticket->last_update >= start && ticket->last_update < end;
      opened += is_opened;
      updated += is_updated;
      touched += is_opened || is_updated;
      closed += ticket->dateclosed != HS_SIM_NO_DATE && ticket->dateclosed >= start && ticket->dateclosed < end;

      n = hs_sim_tenant_get_actions (self, id, &actions);
      for (guint i = 0; i < n; i++)
        {
          const HsSimAction *a = &actions[i];

          if ((a->flags & HS_SIM_ACTION_DELETED) || a->seconds == 0 ||
              a->datetime < start || a->datetime >= end)
            continue;
          entries++;
          seconds += a->seconds;
          per_agent[a->agent_id].seconds += a->seconds;
          per_agent[a->agent_id].entries++;
        }
    }

  json_builder_begin_object (builder);
  hs_sim_time_format (start, buf);
  json_builder_set_member_name (builder, "start");
  json_builder_add_string_value (builder, buf);
  hs_sim_time_format (end, buf);
  json_builder_set_member_name (builder, "end");
  json_builder_add_string_value (builder, buf);
  json_builder_set_member_name (builder, "tickets_opened");
  json_builder_add_int_value (builder, opened);
  json_builder_set_member_name (builder, "tickets_closed");
  json_builder_add_int_value (builder, closed);
  json_builder_set_member_name (builder, "tickets_updated");
  json_builder_add_int_value (builder, updated);
  json_builder_set_member_name (builder, "tickets_touched");
  json_builder_add_int_value (builder, touched);
  json_builder_set_member_name (builder, "time_entries");
  json_builder_add_int_value (builder, entries);
  json_builder_set_member_name (builder, "hours");
  json_builder_add_double_value (builder, (double) seconds / 3600.0);
  json_builder_set_member_name (builder, "agents");
  json_builder_begin_object (builder);
  for (guint id = 0; id <= self->options.n_agents + 1; id++)
    {
      char key[16];

      if (per_agent[id].entries == 0)
        continue;
      g_snprintf (key, sizeof key, "%u", id);
      json_builder_set_member_name (builder, key);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "time_entries");
      json_builder_add_int_value (builder, per_agent[id].entries);
      json_builder_set_member_name (builder, "hours");
      json_builder_add_double_value (builder, (double) per_agent[id].seconds / 3600.0);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
