/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-agents-page.h"

/**
 * HsAgentsPage:
 *
 * The Halo agents with the team member and team each maps to; unmapped
 * agents are marked, and a mapping is edited in place and saved through
 * the service, which applies it to the rows already synced.  The members
 * and teams already in use, and the teams Halo lists the agents in, are
 * offered to every row, and the last change can be undone.
 */
struct _HsAgentsPage
{
  GtkWidget parent_instance;

  HsEngineClient *client;     /* (owned) (nullable) */
  GCancellable *cancellable;  /* (owned) (nullable) the load going on */
  guint n_rows;

  /* The mapping the last save replaced, for Undo. */
  gint64 undo_halo_id;        /* 0 when there is nothing to undo */
  char *undo_member;          /* (owned) */
  char *undo_team;            /* (owned) */

  AdwToastOverlay *toast_overlay;
  GtkStack *stack;
  GtkLabel *summary_label;
  GtkListBox *list_box;
  AdwStatusPage *error_page;
};

G_DEFINE_FINAL_TYPE (HsAgentsPage, hs_agents_page, GTK_TYPE_WIDGET)

typedef struct
{
  HsAgentsPage *page;   /* (owned) */
  HsAgentRow *row;      /* (owned) */
  char *member;
  char *team;
  char *old_member;     /* what the save replaces */
  char *old_team;
  gboolean undoing;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_object_unref (data->page);
  g_object_unref (data->row);
  g_free (data->member);
  g_free (data->team);
  g_free (data->old_member);
  g_free (data->old_team);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveData, save_data_free)

static void
update_summary (HsAgentsPage *self)
{
  g_autofree char *text = NULL;
  guint unmapped = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (HS_IS_AGENT_ROW (child) && hs_agent_row_get_member (HS_AGENT_ROW (child))[0] == '\0')
      unmapped++;

  if (unmapped == 0)
    text = g_strdup (_("Every agent is mapped to a team member."));
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u agent is not mapped; their hours count as unmapped until you enter a team member.",
                                         "%u agents are not mapped; their hours count as unmapped until you enter a team member.",
                                         unmapped),
                            unmapped);
  gtk_label_set_text (self->summary_label, text);
}

static void
show_toast (HsAgentsPage *self,
            const char   *message,
            gboolean      undoable)
{
  AdwToast *toast = adw_toast_new (message);

  if (undoable)
    {
      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_action_name (toast, "agents.undo");
    }
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
set_agent_mapping_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(SaveData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!hs_ipc_engine1_call_set_agent_mapping_finish (HS_IPC_ENGINE1 (object), result, &error))
    {
      g_autofree char *text = hs_engine_client_dup_error_text (error);

      hs_agent_row_set_error (data->row, text);
      return;
    }

  hs_agent_row_set_mapping (data->row, data->member, data->team);
  update_summary (data->page);

  if (data->undoing)
    {
      data->page->undo_halo_id = 0;
      show_toast (data->page, _("Mapping restored"), FALSE);
      return;
    }

  data->page->undo_halo_id = hs_agent_row_get_halo_id (data->row);
  g_free (data->page->undo_member);
  data->page->undo_member = g_strdup (data->old_member);
  g_free (data->page->undo_team);
  data->page->undo_team = g_strdup (data->old_team);
  if (data->member[0] != '\0')
    message = g_strdup_printf (_("Mapping saved; the synced hours now count for %s"), data->member);
  else
    message = g_strdup (_("Mapping removed"));
  show_toast (data->page, message, TRUE);
}

/* Sends @member and @team for @row's agent to the service. */
static void
save_mapping (HsAgentsPage *self,
              HsAgentRow   *row,
              const char   *member,
              const char   *team,
              gboolean      undoing)
{
  HsIpcEngine1 *proxy = hs_engine_client_get_proxy (self->client);
  SaveData *data;

  if (proxy == NULL)
    {
      hs_agent_row_set_error (row, hs_engine_client_get_error_message (self->client));
      return;
    }

  data = g_new0 (SaveData, 1);
  data->page = g_object_ref (self);
  data->row = g_object_ref (row);
  data->member = g_strdup (member);
  data->team = g_strdup (team);
  data->old_member = g_strdup (hs_agent_row_get_member (row));
  data->old_team = g_strdup (hs_agent_row_get_team (row));
  data->undoing = undoing;
  hs_ipc_engine1_call_set_agent_mapping (proxy, hs_agent_row_get_halo_id (row), member, team,
                                         G_DBUS_CALL_FLAGS_NONE, -1, NULL, set_agent_mapping_cb, data);
}

static void
undo_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  HsAgentsPage *self = HS_AGENTS_PAGE (widget);
  HsAgentRow *row = self->undo_halo_id != 0 ? hs_agents_page_find_row (self, self->undo_halo_id) : NULL;

  if (row != NULL)
    save_mapping (self, row, self->undo_member, self->undo_team, TRUE);
}

static void
row_save_cb (HsAgentRow *row,
             const char *member,
             const char *team,
             gpointer    user_data)
{
  save_mapping (HS_AGENTS_PAGE (user_data), row, member, team, FALSE);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

/* A menu of @names (sorted, without repeats) whose items run @action
 * with the name. */
static GMenuModel *
new_suggestions (GPtrArray  *names,
                 const char *action)
{
  GMenu *menu = g_menu_new ();

  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autoptr(GString) label = NULL;
      g_autoptr(GMenuItem) item = NULL;

      if (i > 0 && g_str_equal (name, g_ptr_array_index (names, i - 1)))
        continue;
      /* Menu labels take “_” for a mnemonic. */
      label = g_string_new (name);
      g_string_replace (label, "_", "__", 0);
      item = g_menu_item_new (label->str, NULL);
      g_menu_item_set_action_and_target_value (item, action, g_variant_new_string (name));
      g_menu_append_item (menu, item);
    }
  return G_MENU_MODEL (menu);
}

/* Offers every row the members and teams the rows map to, and the teams
 * Halo has. */
static void
update_suggestions (HsAgentsPage       *self,
                    const char * const *halo_teams)
{
  g_autoptr(GPtrArray) members = g_ptr_array_new ();
  g_autoptr(GPtrArray) teams = g_ptr_array_new ();
  g_autoptr(GMenuModel) member_menu = NULL;
  g_autoptr(GMenuModel) team_menu = NULL;
  GtkWidget *child;

  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (HS_IS_AGENT_ROW (child))
      {
        const char *member = hs_agent_row_get_member (HS_AGENT_ROW (child));
        const char *team = hs_agent_row_get_team (HS_AGENT_ROW (child));

        if (member[0] != '\0')
          g_ptr_array_add (members, (gpointer) member);
        if (team[0] != '\0')
          g_ptr_array_add (teams, (gpointer) team);
      }
  for (guint i = 0; halo_teams != NULL && halo_teams[i] != NULL; i++)
    g_ptr_array_add (teams, (gpointer) halo_teams[i]);

  member_menu = new_suggestions (members, "row.use-member");
  team_menu = new_suggestions (teams, "row.use-team");
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (HS_IS_AGENT_ROW (child))
      hs_agent_row_set_suggestions (HS_AGENT_ROW (child), member_menu, team_menu);
}

static void
list_teams_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HsAgentsPage) self = user_data;
  g_auto(GStrv) teams = NULL;
  g_autoptr(GError) error = NULL;

  if (!hs_ipc_engine1_call_list_teams_finish (HS_IPC_ENGINE1 (object), &teams, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* The rows' own members and teams are still worth offering. */
      g_debug ("Could not list Halo's teams: %s", error->message);
    }
  update_suggestions (self, (const char * const *) teams);
}

static void
list_agents_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HsAgentsPage) self = user_data;
  g_autoptr(GVariant) agents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) old_rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  GHashTableIter rows_iter;
  GtkWidget *child;
  GVariantIter iter;
  gint64 halo_id;
  const char *name, *member, *team;
  gboolean active;

  if (!hs_ipc_engine1_call_list_agents_finish (HS_IPC_ENGINE1 (object), &agents, result, &error))
    {
      g_autofree char *text = NULL;
      g_autofree char *markup = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      text = hs_engine_client_dup_error_text (error);
      /* A status page's description is markup. */
      markup = g_markup_escape_text (text, -1);
      adw_status_page_set_description (self->error_page, markup);
      gtk_stack_set_visible_child_name (self->stack, "error");
      return;
    }

  /* Rows are updated where they are, so that a save (which reloads the
   * page) leaves the row being edited open, focused and as typed. */
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (HS_IS_AGENT_ROW (child))
      g_hash_table_insert (old_rows, g_memdup2 (&(gint64) { hs_agent_row_get_halo_id (HS_AGENT_ROW (child)) },
                                                sizeof (gint64)),
                           g_object_ref (child));

  self->n_rows = 0;
  g_variant_iter_init (&iter, agents);
  while (g_variant_iter_next (&iter, "(x&s&s&sb)", &halo_id, &name, &member, &team, &active))
    {
      GtkWidget *row = g_hash_table_lookup (old_rows, &halo_id);

      if (row != NULL)
        {
          hs_agent_row_update (HS_AGENT_ROW (row), name, member, team, active);
          if (gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (row)) != (int) self->n_rows)
            {
              g_object_ref (row);
              gtk_list_box_remove (self->list_box, row);
              gtk_list_box_insert (self->list_box, row, (int) self->n_rows);
              g_object_unref (row);
            }
          g_hash_table_remove (old_rows, &halo_id);
        }
      else
        {
          row = hs_agent_row_new (halo_id, name, member, team, active);
          g_signal_connect_object (row, "save", G_CALLBACK (row_save_cb), self, 0);
          gtk_list_box_insert (self->list_box, row, (int) self->n_rows);
        }
      self->n_rows++;
    }

  /* Agents the service no longer lists. */
  g_hash_table_iter_init (&rows_iter, old_rows);
  while (g_hash_table_iter_next (&rows_iter, NULL, (gpointer *) &child))
    gtk_list_box_remove (self->list_box, child);

  hs_ipc_engine1_call_list_teams (HS_IPC_ENGINE1 (object), G_DBUS_CALL_FLAGS_NONE, -1,
                                  self->cancellable, list_teams_cb, g_object_ref (self));

  update_summary (self);
  gtk_stack_set_visible_child_name (self->stack, self->n_rows > 0 ? "list" : "empty");
}

/**
 * hs_agents_page_reload:
 * @self: the page
 *
 * Reloads the agents from the service; edits not applied are lost.
 */
void
hs_agents_page_reload (HsAgentsPage *self)
{
  HsIpcEngine1 *proxy;

  g_return_if_fail (HS_IS_AGENTS_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  proxy = self->client != NULL ? hs_engine_client_get_proxy (self->client) : NULL;
  if (proxy == NULL)
    return;

  self->cancellable = g_cancellable_new ();
  hs_ipc_engine1_call_list_agents (proxy, G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable, list_agents_cb, g_object_ref (self));
}

/* A sync stored new agents, or a mapping changed (here or elsewhere). */
static void
agents_changed_cb (HsEngineClient *client,
                   gpointer        user_data)
{
  hs_agents_page_reload (HS_AGENTS_PAGE (user_data));
}

static void
available_changed_cb (GObject    *object,
                      GParamSpec *pspec,
                      gpointer    user_data)
{
  hs_agents_page_reload (HS_AGENTS_PAGE (user_data));
}

void
hs_agents_page_set_client (HsAgentsPage   *self,
                           HsEngineClient *client)
{
  g_return_if_fail (HS_IS_AGENTS_PAGE (self));
  g_return_if_fail (HS_IS_ENGINE_CLIENT (client));
  g_return_if_fail (self->client == NULL);

  self->client = g_object_ref (client);
  g_signal_connect_object (client, "agents-changed", G_CALLBACK (agents_changed_cb), self, 0);
  g_signal_connect_object (client, "notify::available", G_CALLBACK (available_changed_cb), self, 0);
  hs_agents_page_reload (self);
}

/**
 * hs_agents_page_find_row:
 * @self: the page
 * @halo_id: an agent's Halo id
 *
 * Returns: (transfer none) (nullable): the agent's row
 */
HsAgentRow *
hs_agents_page_find_row (HsAgentsPage *self,
                         gint64        halo_id)
{
  g_return_val_if_fail (HS_IS_AGENTS_PAGE (self), NULL);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (HS_IS_AGENT_ROW (child) && hs_agent_row_get_halo_id (HS_AGENT_ROW (child)) == halo_id)
      return HS_AGENT_ROW (child);
  return NULL;
}

guint
hs_agents_page_get_n_rows (HsAgentsPage *self)
{
  g_return_val_if_fail (HS_IS_AGENTS_PAGE (self), 0);
  return self->n_rows;
}

static void
hs_agents_page_dispose (GObject *object)
{
  HsAgentsPage *self = HS_AGENTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_AGENTS_PAGE);
  g_clear_object (&self->client);
  g_clear_pointer (&self->undo_member, g_free);
  g_clear_pointer (&self->undo_team, g_free);

  G_OBJECT_CLASS (hs_agents_page_parent_class)->dispose (object);
}

static void
hs_agents_page_class_init (HsAgentsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_agents_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/HaloSync/hs-agents-page.ui");
  gtk_widget_class_bind_template_child (widget_class, HsAgentsPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, HsAgentsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, HsAgentsPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, HsAgentsPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, HsAgentsPage, error_page);

  gtk_widget_class_install_action (widget_class, "agents.undo", NULL, undo_cb);
}

static void
hs_agents_page_init (HsAgentsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_stack_set_visible_child_name (self->stack, "empty");
}
