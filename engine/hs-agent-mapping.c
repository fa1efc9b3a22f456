/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-agent-mapping.h"
#include "hs-error.h"

/**
 * HsAgentMapping:
 *
 * Which team member (and team) a Halo agent's work counts for.  An agent
 * without a member is unmapped: its records are kept with no member and
 * listed on every run until someone maps it.
 */
struct _HsAgentMapping
{
  GObject parent_instance;

  gint64 halo_id;
  char *member;      /* (owned) (nullable) */
  char *team;        /* (owned) (nullable) */
  char *agent_name;  /* (owned) (nullable) */
  char *halo_team;   /* (owned) (nullable) */
  gboolean active;
};

G_DEFINE_FINAL_TYPE (HsAgentMapping, hs_agent_mapping, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HALO_ID,
  PROP_MEMBER,
  PROP_TEAM,
  PROP_AGENT_NAME,
  PROP_HALO_TEAM,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
hs_agent_mapping_finalize (GObject *object)
{
  HsAgentMapping *self = HS_AGENT_MAPPING (object);

  g_clear_pointer (&self->member, g_free);
  g_clear_pointer (&self->team, g_free);
  g_clear_pointer (&self->agent_name, g_free);
  g_clear_pointer (&self->halo_team, g_free);

  G_OBJECT_CLASS (hs_agent_mapping_parent_class)->finalize (object);
}

static void
hs_agent_mapping_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HsAgentMapping *self = HS_AGENT_MAPPING (object);

  switch (prop_id)
    {
    case PROP_HALO_ID:
      g_value_set_int64 (value, self->halo_id);
      break;

    case PROP_MEMBER:
      g_value_set_string (value, self->member);
      break;

    case PROP_TEAM:
      g_value_set_string (value, self->team);
      break;

    case PROP_AGENT_NAME:
      g_value_set_string (value, self->agent_name);
      break;

    case PROP_HALO_TEAM:
      g_value_set_string (value, self->halo_team);
      break;

    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hs_agent_mapping_class_init (HsAgentMappingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hs_agent_mapping_finalize;
  object_class->get_property = hs_agent_mapping_get_property;

  /**
   * HsAgentMapping:halo-id:
   *
   * The Halo agent id.
   */
  properties[PROP_HALO_ID] =
    g_param_spec_int64 ("halo-id", NULL, NULL, 1, G_MAXINT64, 1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * HsAgentMapping:member:
   *
   * The team member the agent's work counts for, or %NULL if unmapped.
   */
  properties[PROP_MEMBER] =
    g_param_spec_string ("member", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * HsAgentMapping:team:
   *
   * The member's team, or %NULL.
   */
  properties[PROP_TEAM] =
    g_param_spec_string ("team", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * HsAgentMapping:agent-name:
   *
   * The agent's name in Halo, once a sync has seen the agent.
   */
  properties[PROP_AGENT_NAME] =
    g_param_spec_string ("agent-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HsAgentMapping:halo-team:
   *
   * The team Halo lists the agent in, once a sync has seen the agent: a
   * likely team for its member.
   */
  properties[PROP_HALO_TEAM] =
    g_param_spec_string ("halo-team", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HsAgentMapping:active:
   *
   * Whether the mapping applies; an inactive mapping is kept but ignored.
   */
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
hs_agent_mapping_init (HsAgentMapping *self)
{
  self->active = TRUE;
}

static gboolean
validate_name (const char *what,
               const char *name,
               GError    **error)
{
  if (!g_utf8_validate (name, -1, NULL) || *name == '\0')
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("The %s name is empty or not valid text"), what);
      return FALSE;
    }

  if (g_utf8_strlen (name, -1) > HS_AGENT_MAPPING_MAX_NAME)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("The %s name is longer than %d characters"),
                   what, HS_AGENT_MAPPING_MAX_NAME);
      return FALSE;
    }

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (g_unichar_iscntrl (g_utf8_get_char (p)))
        {
          g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                       _("The %s name must not contain control characters"), what);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * hs_agent_mapping_new:
 * @halo_id: a Halo agent id, at least 1
 * @member: (nullable): the team member, or %NULL for an unmapped agent
 * @team: (nullable): the member's team
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): a mapping, or %NULL with
 *   %HS_ERROR_INVALID_ARGUMENT if an argument is out of range
 */
HsAgentMapping *
hs_agent_mapping_new (gint64      halo_id,
                      const char *member,
                      const char *team,
                      GError    **error)
{
  HsAgentMapping *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (halo_id < 1)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, halo_id);

      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("%s is not a Halo agent id; ids start at 1"), id);
      return NULL;
    }

  if (member != NULL && !validate_name (_("member"), member, error))
    return NULL;

  if (team != NULL && *team == '\0')
    team = NULL;
  if (team != NULL && !validate_name (_("team"), team, error))
    return NULL;

  if (member == NULL && team != NULL)
    {
      g_set_error_literal (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                           _("A team needs a member to map the agent to"));
      return NULL;
    }

  self = g_object_new (HS_TYPE_AGENT_MAPPING, NULL);
  self->halo_id = halo_id;
  self->member = g_strdup (member);
  self->team = g_strdup (team);
  return self;
}

/**
 * hs_agent_mapping_get_halo_id:
 * @self: a mapping
 *
 * Returns: the Halo agent id
 */
gint64
hs_agent_mapping_get_halo_id (HsAgentMapping *self)
{
  g_return_val_if_fail (HS_IS_AGENT_MAPPING (self), 0);

  return self->halo_id;
}

/**
 * hs_agent_mapping_get_member:
 * @self: a mapping
 *
 * Returns: (nullable): the team member
 */
const char *
hs_agent_mapping_get_member (HsAgentMapping *self)
{
  g_return_val_if_fail (HS_IS_AGENT_MAPPING (self), NULL);

  return self->member;
}

/**
 * hs_agent_mapping_get_team:
 * @self: a mapping
 *
 * Returns: (nullable): the member's team
 */
const char *
hs_agent_mapping_get_team (HsAgentMapping *self)
{
  g_return_val_if_fail (HS_IS_AGENT_MAPPING (self), NULL);

  return self->team;
}

/**
 * hs_agent_mapping_get_active:
 * @self: a mapping
 *
 * Returns: whether the mapping applies
 */
gboolean
hs_agent_mapping_get_active (HsAgentMapping *self)
{
  g_return_val_if_fail (HS_IS_AGENT_MAPPING (self), FALSE);

  return self->active;
}

/**
 * hs_agent_mapping_set_active:
 * @self: a mapping
 * @active: whether the mapping applies
 */
void
hs_agent_mapping_set_active (HsAgentMapping *self,
                             gboolean        active)
{
  g_return_if_fail (HS_IS_AGENT_MAPPING (self));

  active = !!active;
  if (self->active == active)
    return;
  self->active = active;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

/**
 * hs_agent_mapping_get_agent_name:
 * @self: a mapping
 *
 * Returns: (nullable): the agent's name in Halo
 */
const char *
hs_agent_mapping_get_agent_name (HsAgentMapping *self)
{
  g_return_val_if_fail (HS_IS_AGENT_MAPPING (self), NULL);

  return self->agent_name;
}

/**
 * hs_agent_mapping_set_agent_name:
 * @self: a mapping
 * @agent_name: (nullable): the agent's name in Halo
 */
void
hs_agent_mapping_set_agent_name (HsAgentMapping *self,
                                 const char     *agent_name)
{
  g_return_if_fail (HS_IS_AGENT_MAPPING (self));

  if (g_strcmp0 (self->agent_name, agent_name) == 0)
    return;
  g_free (self->agent_name);
  self->agent_name = g_strdup (agent_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGENT_NAME]);
}

/**
 * hs_agent_mapping_get_halo_team:
 * @self: a mapping
 *
 * Returns: (nullable): the agent's team in Halo
 */
const char *
hs_agent_mapping_get_halo_team (HsAgentMapping *self)
{
  g_return_val_if_fail (HS_IS_AGENT_MAPPING (self), NULL);

  return self->halo_team;
}

/**
 * hs_agent_mapping_set_halo_team:
 * @self: a mapping
 * @halo_team: (nullable): the agent's team in Halo
 */
void
hs_agent_mapping_set_halo_team (HsAgentMapping *self,
                                const char     *halo_team)
{
  g_return_if_fail (HS_IS_AGENT_MAPPING (self));

  if (g_strcmp0 (self->halo_team, halo_team) == 0)
    return;
  g_free (self->halo_team);
  self->halo_team = g_strdup (halo_team);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HALO_TEAM]);
}

/**
 * hs_agent_mapping_is_mapped:
 * @self: a mapping
 *
 * Returns: %TRUE if the agent has an active mapping to a member
 */
gboolean
hs_agent_mapping_is_mapped (HsAgentMapping *self)
{
  g_return_val_if_fail (HS_IS_AGENT_MAPPING (self), FALSE);

  return self->member != NULL && self->active;
}
