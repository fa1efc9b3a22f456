/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-application-private.h"
#include "hs-preferences-window.h"
#include "hs-window.h"

static HsWindow *
get_window (HsApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* The active window may be one of our dialogs; the main window is its
   * parent. */
  while (window != NULL && !HS_IS_WINDOW (window))
    window = gtk_window_get_transient_for (window);
  return (HsWindow *) window;
}

/* The year the header shows, or %NULL for the service's latest: a
 * remembered year that no longer exists falls back to the latest. */
static char *
dup_chosen_year (HsApplication *self)
{
  g_autofree char *label = g_settings_get_string (self->settings, "fiscal-year");

  if (hs_engine_client_find_fiscal_year (self->client, label) == NULL)
    return NULL;
  return g_steal_pointer (&label);
}

static void
sync_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  HsApplication *self = HS_APPLICATION (user_data);
  g_autofree char *label = dup_chosen_year (self);

  hs_engine_client_sync (self->client, label);
}

static void
check_deletions_activated (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  HsApplication *self = HS_APPLICATION (user_data);
  HsWindow *window = get_window (self);
  g_autofree char *label = dup_chosen_year (self);
  HsFiscalYear *latest = hs_engine_client_get_latest_fiscal_year (self->client);

  /* The dialogs name the year, so the latest is named too. */
  if (label == NULL && latest != NULL)
    label = g_strdup (hs_fiscal_year_get_label (latest));
  if (window != NULL && label != NULL)
    hs_window_check_deletions (window, label);
}

static void
cancel_activated (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  HsApplication *self = HS_APPLICATION (user_data);

  hs_engine_client_cancel (self->client);
}

static void
new_fiscal_year_activated (GSimpleAction *action,
                           GVariant      *parameter,
                           gpointer       user_data)
{
  HsWindow *window = get_window (HS_APPLICATION (user_data));

  if (window != NULL)
    hs_window_show_new_fiscal_year (window);
}

static void
preferences_activated (GSimpleAction *action,
                       GVariant      *parameter,
                       gpointer       user_data)
{
  HsApplication *self = HS_APPLICATION (user_data);
  HsPreferencesWindow *preferences;

  preferences = hs_preferences_window_new (self);
  gtk_window_set_application (GTK_WINDOW (preferences), GTK_APPLICATION (self));
  gtk_window_set_transient_for (GTK_WINDOW (preferences), GTK_WINDOW (get_window (self)));
  gtk_window_present (GTK_WINDOW (preferences));
}

/* Yelp shows the installed Mallard help; help:halosync is its page index. */
static void
help_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  HsApplication *self = HS_APPLICATION (user_data);

  gtk_show_uri (GTK_WINDOW (get_window (self)), "help:halosync", GDK_CURRENT_TIME);
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  HsApplication *self = HS_APPLICATION (user_data);
  static const char *developers[] = { "The HaloSync developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", get_window (self),
                        "application-name", _("HaloSync"),
                        "application-icon", HS_APP_ID,
                        "developer-name", _("The HaloSync developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Keep your team’s dashboard database in sync with HaloPSA"),
                        "license-type", GTK_LICENSE_LGPL_2_1,
                        "developers", developers,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  HsApplication *self = HS_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Closing (rather than quitting under the windows) lets each window
   * remember its size, and one that keeps itself open to store a typed
   * secret finish first: the app ends with its last window. */
  while (windows != NULL)
    {
      GtkWindow *window = windows->data;

      windows = windows->next;
      gtk_window_close (window);
    }
  if (gtk_application_get_windows (GTK_APPLICATION (self)) == NULL)
    g_application_quit (G_APPLICATION (self));
}

/* app.show-run (x): a notification's click, through the service. */
static void
show_run_activated (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  HsApplication *self = HS_APPLICATION (user_data);
  HsWindow *window = get_window (self);

  /* Activated over D-Bus, the app may have no window yet. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); window == NULL && l != NULL; l = l->next)
    if (HS_IS_WINDOW (l->data))
      window = l->data;
  if (window == NULL)
    window = hs_window_new (self);
  gtk_window_present (GTK_WINDOW (window));
  hs_window_show_run (window, g_variant_get_int64 (parameter));
}

static const GActionEntry app_entries[] = {
  { "sync", sync_activated },
  { "check-deletions", check_deletions_activated },
  { "cancel", cancel_activated },
  { "new-fiscal-year", new_fiscal_year_activated },
  { "preferences", preferences_activated },
  { "help", help_activated },
  { "about", about_activated },
  { "quit", quit_activated },
  { "show-run", show_run_activated, "x" },
};

static void
update_enabled (HsApplication *self)
{
  gboolean available = hs_engine_client_get_available (self->client);
  gboolean running = hs_engine_client_get_current_run (self->client) != NULL;
  gboolean configured = hs_config_get_halo_url (self->config)[0] != '\0';
  gboolean any_year = g_list_model_get_n_items (hs_engine_client_get_fiscal_years (self->client)) > 0;
  GAction *action;

  /* Without a fiscal year there are no dates to sync: New Fiscal Year is
   * the way on, not a sync that can only fail. */
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "sync");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), available && configured && any_year && !running);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "check-deletions");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), available && configured && any_year && !running);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "cancel");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), available && running);
  action = g_action_map_lookup_action (G_ACTION_MAP (self), "new-fiscal-year");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), available);
}

static void
years_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  update_enabled (HS_APPLICATION (user_data));
}

static void
state_changed_cb (GObject    *object,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  update_enabled (HS_APPLICATION (user_data));
}

void
_hs_application_actions_init (HsApplication *self)
{
  g_autoptr(GAction) fiscal_year = NULL;

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries,
                                   G_N_ELEMENTS (app_entries), self);

  fiscal_year = g_settings_create_action (self->settings, "fiscal-year");
  g_action_map_add_action (G_ACTION_MAP (self), fiscal_year);

  g_signal_connect_object (self->client, "notify::available",
                           G_CALLBACK (state_changed_cb), self, 0);
  g_signal_connect_object (self->client, "notify::current-run",
                           G_CALLBACK (state_changed_cb), self, 0);
  g_signal_connect_object (self->config, "notify::halo-url",
                           G_CALLBACK (state_changed_cb), self, 0);
  g_signal_connect_object (hs_engine_client_get_fiscal_years (self->client), "items-changed",
                           G_CALLBACK (years_changed_cb), self, 0);
  update_enabled (self);
}
