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

  object_class->dispose = hs_application_dispose;
  application_class->startup = hs_application_startup;
  application_class->activate = hs_application_activate;
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
