/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-agent-row.h"

/**
 * HsAgentRow:
 *
 * A Halo agent and the team member their work counts for, edited in
 * place.  Applying either entry, or picking a suggestion from its menu,
 * emits #HsAgentRow::save with both values; the row shows the stored
 * mapping only once the owner confirms it with hs_agent_row_set_mapping(),
 * which leaves alone what the person is still typing.
 */
struct _HsAgentRow
{
  AdwExpanderRow parent_instance;

  gint64 halo_id;
  char *member;    /* (owned) as stored */
  char *team;      /* (owned) as stored */
  gboolean active;

  GtkImage *unmapped_icon;
  AdwEntryRow *member_row;
  AdwEntryRow *team_row;
  GtkMenuButton *member_suggestions;
  GtkMenuButton *team_suggestions;
};

G_DEFINE_FINAL_TYPE (HsAgentRow, hs_agent_row, ADW_TYPE_EXPANDER_ROW)

enum {
  SIGNAL_SAVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Shows @stored in @entry unless the person has typed something else
 * there since @was was stored. */
static void
refresh_entry (AdwEntryRow *entry,
               const char  *was,
               const char  *stored)
{
  if (was == NULL || g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), was) == 0)
    gtk_editable_set_text (GTK_EDITABLE (entry), stored);
}

static void
update (HsAgentRow *self,
        const char *old_member,
        const char *old_team)
{
  g_autofree char *subtitle = NULL;
  gboolean mapped = self->member[0] != '\0';

  if (!mapped)
    subtitle = g_strdup (_("Not mapped"));
  else if (self->team[0] != '\0')
    /* Translators: a team member and their team, "Alice · Service Desk" */
    subtitle = g_strdup_printf (_("%s · %s"), self->member, self->team);
  else
    subtitle = g_strdup (self->member);

  if (!self->active)
    {
      /* Translators: an agent's mapping, for an agent disabled in Halo */
      g_autofree char *inactive = g_strdup_printf (_("%s · inactive in Halo"), subtitle);

      g_free (subtitle);
      subtitle = g_steal_pointer (&inactive);
    }

  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->unmapped_icon), !mapped);
  gtk_widget_remove_css_class (GTK_WIDGET (self), "error");
  refresh_entry (self->member_row, old_member, self->member);
  refresh_entry (self->team_row, old_team, self->team);
}

static void
save (HsAgentRow *self)
{
  g_autofree char *member = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->member_row))));
  g_autofree char *team = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->team_row))));

  /* Clearing the member unmaps the agent: a team alone means nothing. */
  if (member[0] == '\0')
    {
      g_free (team);
      team = g_strdup ("");
      gtk_editable_set_text (GTK_EDITABLE (self->team_row), "");
    }
  g_signal_emit (self, signals[SIGNAL_SAVE], 0, member, team);
}

static void
entry_apply_cb (HsAgentRow  *self,
                AdwEntryRow *entry)
{
  save (self);
  /* A member often comes first and their team next: go on to it. */
  if (entry == self->member_row &&
      gtk_editable_get_text (GTK_EDITABLE (self->member_row))[0] != '\0' &&
      gtk_editable_get_text (GTK_EDITABLE (self->team_row))[0] == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->team_row));
}

static void
use_suggestion (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  HsAgentRow *self = HS_AGENT_ROW (widget);
  AdwEntryRow *entry = g_str_equal (action_name, "row.use-member") ? self->member_row : self->team_row;

  gtk_editable_set_text (GTK_EDITABLE (entry), g_variant_get_string (parameter, NULL));
  /* A team waits for its member rather than being dropped with none. */
  if (entry == self->team_row && gtk_editable_get_text (GTK_EDITABLE (self->member_row))[0] == '\0')
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->member_row));
      return;
    }
  entry_apply_cb (self, entry);
}

/**
 * hs_agent_row_set_mapping:
 * @self: the row
 * @member: the stored member; empty when unmapped
 * @team: the stored team
 */
void
hs_agent_row_set_mapping (HsAgentRow *self,
                          const char *member,
                          const char *team)
{
  g_autofree char *old_member = NULL;
  g_autofree char *old_team = NULL;

  g_return_if_fail (HS_IS_AGENT_ROW (self));

  old_member = g_steal_pointer (&self->member);
  self->member = g_strdup (member != NULL ? member : "");
  old_team = g_steal_pointer (&self->team);
  self->team = g_strdup (team != NULL ? team : "");
  update (self, old_member, old_team);
}

/**
 * hs_agent_row_set_suggestions:
 * @self: the row
 * @members: (nullable): the members to offer, as a menu of row.use-member
 *   items; %NULL for none
 * @teams: (nullable): the teams to offer, as a menu of row.use-team items
 */
void
hs_agent_row_set_suggestions (HsAgentRow *self,
                              GMenuModel *members,
                              GMenuModel *teams)
{
  g_return_if_fail (HS_IS_AGENT_ROW (self));

  gtk_menu_button_set_menu_model (self->member_suggestions, members);
  gtk_widget_set_visible (GTK_WIDGET (self->member_suggestions),
                          members != NULL && g_menu_model_get_n_items (members) > 0);
  gtk_menu_button_set_menu_model (self->team_suggestions, teams);
  gtk_widget_set_visible (GTK_WIDGET (self->team_suggestions), teams != NULL && g_menu_model_get_n_items (teams) > 0);
}

/**
 * hs_agent_row_set_error:
 * @self: the row
 * @message: why the mapping was not saved
 */
void
hs_agent_row_set_error (HsAgentRow *self,
                        const char *message)
{
  g_return_if_fail (HS_IS_AGENT_ROW (self));

  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), message);
  gtk_widget_add_css_class (GTK_WIDGET (self), "error");
}

gint64
hs_agent_row_get_halo_id (HsAgentRow *self)
{
  g_return_val_if_fail (HS_IS_AGENT_ROW (self), 0);
  return self->halo_id;
}

const char *
hs_agent_row_get_member (HsAgentRow *self)
{
  g_return_val_if_fail (HS_IS_AGENT_ROW (self), NULL);
  return self->member;
}

const char *
hs_agent_row_get_team (HsAgentRow *self)
{
  g_return_val_if_fail (HS_IS_AGENT_ROW (self), NULL);
  return self->team;
}

static void
hs_agent_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), HS_TYPE_AGENT_ROW);

  G_OBJECT_CLASS (hs_agent_row_parent_class)->dispose (object);
}

static void
hs_agent_row_finalize (GObject *object)
{
  HsAgentRow *self = HS_AGENT_ROW (object);

  g_clear_pointer (&self->member, g_free);
  g_clear_pointer (&self->team, g_free);

  G_OBJECT_CLASS (hs_agent_row_parent_class)->finalize (object);
}

static void
hs_agent_row_class_init (HsAgentRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_agent_row_dispose;
  object_class->finalize = hs_agent_row_finalize;

  /**
   * HsAgentRow::save:
   * @self: the row
   * @member: the member typed in, trimmed; empty to unmap
   * @team: the team typed in, trimmed
   *
   * The person applied an edit of the mapping.
   */
  signals[SIGNAL_SAVE] =
    g_signal_new ("save", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/HaloSync/hs-agent-row.ui");
  gtk_widget_class_bind_template_child (widget_class, HsAgentRow, unmapped_icon);
  gtk_widget_class_bind_template_child (widget_class, HsAgentRow, member_row);
  gtk_widget_class_bind_template_child (widget_class, HsAgentRow, team_row);
  gtk_widget_class_bind_template_child (widget_class, HsAgentRow, member_suggestions);
  gtk_widget_class_bind_template_child (widget_class, HsAgentRow, team_suggestions);
  gtk_widget_class_bind_template_callback (widget_class, entry_apply_cb);

  gtk_widget_class_install_action (widget_class, "row.use-member", "s", use_suggestion);
  gtk_widget_class_install_action (widget_class, "row.use-team", "s", use_suggestion);
}

static void
hs_agent_row_init (HsAgentRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * hs_agent_row_update:
 * @self: the row
 * @name: the agent's name; empty if never synced
 * @member: the stored member; empty when unmapped
 * @team: the stored team
 * @active: whether the agent is active in Halo
 *
 * Shows what the service now holds for the agent, keeping the row as it
 * is otherwise: expanded, focused, and with what is being typed.
 */
void
hs_agent_row_update (HsAgentRow *self,
                     const char *name,
                     const char *member,
                     const char *team,
                     gboolean    active)
{
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (HS_IS_AGENT_ROW (self));

  id = g_strdup_printf ("%" G_GINT64_FORMAT, self->halo_id);
  title = name[0] != '\0'
    ? g_strdup (name)
    /* Translators: an agent whose name the service has not synced yet */
    : g_strdup_printf (_("Agent %s"), id);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  self->active = active;
  hs_agent_row_set_mapping (self, member, team);
}

/**
 * hs_agent_row_new:
 * @halo_id: the agent's Halo id
 * @name: the agent's name; empty if never synced
 * @member: the mapped member; empty when unmapped
 * @team: the member's team
 * @active: whether the agent is active in Halo
 *
 * Returns: (transfer floating): the row
 */
GtkWidget *
hs_agent_row_new (gint64      halo_id,
                  const char *name,
                  const char *member,
                  const char *team,
                  gboolean    active)
{
  HsAgentRow *self = g_object_new (HS_TYPE_AGENT_ROW, NULL);

  self->halo_id = halo_id;
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self), FALSE);
  hs_agent_row_update (self, name, member, team, active);
  return GTK_WIDGET (self);
}
