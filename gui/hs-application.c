/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-application-private.h"
#include "hs-window.h"

/**
 * HsApplication:
 *
 * The desktop admin app.  It owns the settings, the resolved
 * configuration and the connection to the service, which every window
 * shares.
 */
G_DEFINE_FINAL_TYPE (HsApplication, hs_application, ADW_TYPE_APPLICATION)

static void
hs_application_startup (GApplication *application)
{
  HsApplication *self = HS_APPLICATION (application);
  static const char *sync_accels[] = { "<Control>r", NULL };
  static const char *new_year_accels[] = { "<Control>n", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *help_accels[] = { "F1", NULL };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  /* Alt+number, as in other GNOME apps with a view switcher. */
  static const char * const pages[][2] = {
    { "win.show-page::overview", "<Alt>1" },
    { "win.show-page::history", "<Alt>2" },
    { "win.show-page::agents", "<Alt>3" },
    { "win.show-page::fiscal-years", "<Alt>4" },
  };

  G_APPLICATION_CLASS (hs_application_parent_class)->startup (application);

  self->settings = g_settings_new (HS_SETTINGS_SCHEMA);
  self->config = hs_config_new_with_settings (self->settings);
  self->client = hs_engine_client_new (G_BUS_TYPE_SESSION);

  _hs_application_actions_init (self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.sync", sync_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-fiscal-year", new_year_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.help", help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      const char *accels[] = { pages[i][1], NULL };

      gtk_application_set_accels_for_action (GTK_APPLICATION (self), pages[i][0], accels);
    }
}

/* The service keeps quiet about runs while a window of the app is in
 * front, where the app shows them itself. */
static void
window_active_cb (HsApplication *self)
{
  gboolean active = FALSE;

  /* The last window goes after the connection at shutdown. */
  if (self->client == NULL)
    return;
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL && !active; l = l->next)
    active = gtk_window_is_active (l->data);
  hs_engine_client_set_window_active (self->client, active);
}

static void
hs_application_window_added (GtkApplication *application,
                             GtkWindow      *window)
{
  GTK_APPLICATION_CLASS (hs_application_parent_class)->window_added (application, window);
  g_signal_connect_object (window, "notify::is-active", G_CALLBACK (window_active_cb), application,
                           G_CONNECT_SWAPPED);
  window_active_cb (HS_APPLICATION (application));
}

static void
hs_application_window_removed (GtkApplication *application,
                               GtkWindow      *window)
{
  g_signal_handlers_disconnect_by_func (window, window_active_cb, application);
  GTK_APPLICATION_CLASS (hs_application_parent_class)->window_removed (application, window);
  window_active_cb (HS_APPLICATION (application));
}

static void
hs_application_activate (GApplication *application)
{
  HsApplication *self = HS_APPLICATION (application);
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (hs_window_new (self));
  gtk_window_present (window);
}

static void
hs_application_dispose (GObject *object)
{
  HsApplication *self = HS_APPLICATION (object);

  g_clear_object (&self->client);
  g_clear_object (&self->config);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (hs_application_parent_class)->dispose (object);
}

static void
hs_application_class_init (HsApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);
  GtkApplicationClass *gtk_application_class = GTK_APPLICATION_CLASS (klass);

  object_class->dispose = hs_application_dispose;
  application_class->startup = hs_application_startup;
  application_class->activate = hs_application_activate;
  gtk_application_class->window_added = hs_application_window_added;
  gtk_application_class->window_removed = hs_application_window_removed;
}

static void
hs_application_init (HsApplication *self)
{
}

/**
 * hs_application_new:
 *
 * Returns: (transfer full): the app, `org.example.HaloSync`
 */
HsApplication *
hs_application_new (void)
{
  return g_object_new (HS_TYPE_APPLICATION,
                       "application-id", HS_APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/example/HaloSync",
                       NULL);
}

/**
 * hs_application_get_client:
 * @self: the app
 *
 * Returns: (transfer none): the connection to `halosyncd`; valid between
 *   startup and shutdown
 */
HsEngineClient *
hs_application_get_client (HsApplication *self)
{
  g_return_val_if_fail (HS_IS_APPLICATION (self), NULL);
  return self->client;
}

GSettings *
hs_application_get_settings (HsApplication *self)
{
  g_return_val_if_fail (HS_IS_APPLICATION (self), NULL);
  return self->settings;
}

HsConfig *
hs_application_get_config (HsApplication *self)
{
  g_return_val_if_fail (HS_IS_APPLICATION (self), NULL);
  return self->config;
}
