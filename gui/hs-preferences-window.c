/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "hs-preferences-window.h"

/* The order of the database kinds in the combo row. */
enum {
  SINK_EMBEDDED,
  SINK_SQLITE,
  SINK_POSTGRESQL,
};

/**
 * HsPreferencesWindow:
 *
 * Edits the settings the service reads (it picks changes up live), stores
 * the Halo client secret and the database password in the keyring, and
 * asks the service to test the connections with what is configured.
 * Settings fixed by an environment variable are shown but not editable.
 */
struct _HsPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GSettings *settings;           /* (owned) */
  HsConfig *config;              /* (owned) */
  HsEngineClient *client;        /* (owned) */
  GCancellable *cancellable;     /* (owned) */
  GtkFileChooserNative *chooser; /* (owned) (nullable) */

  AdwEntryRow *url_row;
  AdwEntryRow *tenant_row;
  AdwEntryRow *client_id_row;
  AdwEntryRow *client_secret_row;
  AdwActionRow *halo_test_row;
  GtkButton *halo_test_button;
  AdwComboRow *sink_kind_row;
  AdwEntryRow *sqlite_path_row;
  AdwEntryRow *postgres_uri_row;
  AdwEntryRow *db_password_row;
  GtkLabel *sink_error_label;
  AdwActionRow *database_test_row;
  GtkButton *database_test_button;
  GtkSwitch *schedule_switch;
  GtkAdjustment *interval_adjustment;
  GtkSwitch *metered_switch;
};

G_DEFINE_FINAL_TYPE (HsPreferencesWindow, hs_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

typedef struct
{
  HsPreferencesWindow *self;  /* (owned) */
  AdwActionRow *row;          /* (unowned) a template child of self */
  GtkButton *button;          /* (unowned) likewise */
  gboolean halo;
} TestData;

static void
test_data_free (TestData *data)
{
  g_object_unref (data->self);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestData, test_data_free)

static void
show_sink_error (HsPreferencesWindow *self,
                 const char          *message)
{
  gtk_label_set_text (self->sink_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->sink_error_label), message != NULL);
}

static void
update_sink_rows (HsPreferencesWindow *self)
{
  guint kind = adw_combo_row_get_selected (self->sink_kind_row);

  gtk_widget_set_visible (GTK_WIDGET (self->sqlite_path_row), kind == SINK_SQLITE);
  gtk_widget_set_visible (GTK_WIDGET (self->postgres_uri_row), kind == SINK_POSTGRESQL);
  gtk_widget_set_visible (GTK_WIDGET (self->db_password_row), kind == SINK_POSTGRESQL);
}

/* Turns the rows into a sink URI, or NULL with the reason shown. */
static char *
compose_sink_uri (HsPreferencesWindow *self)
{
  const char *path = gtk_editable_get_text (GTK_EDITABLE (self->sqlite_path_row));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->postgres_uri_row));
  g_autoptr(GUri) uri = NULL;

  switch (adw_combo_row_get_selected (self->sink_kind_row))
    {
    case SINK_SQLITE:
      if (!g_path_is_absolute (path))
        {
          show_sink_error (self, _("Enter the full path of the SQLite file, such as /home/me/halosync.db."));
          return NULL;
        }
      show_sink_error (self, NULL);
      return g_strconcat ("sqlite://", path, NULL);

    case SINK_POSTGRESQL:
      uri = g_uri_parse (text, G_URI_FLAGS_HAS_PASSWORD, NULL);
      if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "postgresql") != 0 &&
                          g_strcmp0 (g_uri_get_scheme (uri), "postgres") != 0))
        {
          show_sink_error (self, _("Enter a PostgreSQL URI, such as postgresql://user@db.example.com:5432/postgres?sslmode=require."));
          return NULL;
        }
      /* Settings are readable by anything the user runs; a password in
       * them would not be a secret. */
      if (g_uri_get_password (uri) != NULL)
        {
          show_sink_error (self, _("Leave the password out of the URI and enter it in the Password row; it is kept in the keyring."));
          return NULL;
        }
      show_sink_error (self, NULL);
      return g_strdup (text);

    case SINK_EMBEDDED:
    default:
      show_sink_error (self, NULL);
      return g_strdup ("");
    }
}

static void
store_sink_uri (HsPreferencesWindow *self)
{
  g_autofree char *uri = compose_sink_uri (self);

  if (uri != NULL)
    g_settings_set_string (self->settings, "sink-uri", uri);
}

static void
sink_apply_cb (HsPreferencesWindow *self,
               AdwEntryRow         *row)
{
  store_sink_uri (self);
}

static void
sink_kind_changed_cb (GObject    *object,
                      GParamSpec *pspec,
                      gpointer    user_data)
{
  HsPreferencesWindow *self = HS_PREFERENCES_WINDOW (user_data);
  guint kind = adw_combo_row_get_selected (self->sink_kind_row);

  update_sink_rows (self);
  /* A kind whose location is not typed in yet waits for it. */
  if (kind == SINK_EMBEDDED ||
      (kind == SINK_SQLITE && gtk_editable_get_text (GTK_EDITABLE (self->sqlite_path_row))[0] != '\0') ||
      (kind == SINK_POSTGRESQL && gtk_editable_get_text (GTK_EDITABLE (self->postgres_uri_row))[0] != '\0'))
    store_sink_uri (self);
}

static void
load_sink_uri (HsPreferencesWindow *self)
{
  g_autofree char *uri = g_settings_get_string (self->settings, "sink-uri");
  guint kind = SINK_EMBEDDED;

  if (g_str_has_prefix (uri, "sqlite://"))
    {
      kind = SINK_SQLITE;
      gtk_editable_set_text (GTK_EDITABLE (self->sqlite_path_row), uri + strlen ("sqlite://"));
    }
  else if (uri[0] != '\0')
    {
      kind = SINK_POSTGRESQL;
      gtk_editable_set_text (GTK_EDITABLE (self->postgres_uri_row), uri);
    }

  adw_combo_row_set_selected (self->sink_kind_row, kind);
  update_sink_rows (self);
}

static void
file_chosen_cb (GtkNativeDialog *dialog,
                int              response,
                gpointer         user_data)
{
  HsPreferencesWindow *self = HS_PREFERENCES_WINDOW (user_data);
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      path = g_file_get_path (file);
    }
  g_clear_object (&self->chooser);
  if (path == NULL)
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->sqlite_path_row), path);
  store_sink_uri (self);
}

static void
choose_file_cb (HsPreferencesWindow *self,
                GtkButton           *button)
{
  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Choose a Database File"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Choose"),
                                               _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "halosync.db");
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (file_chosen_cb), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
store_secret_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HsPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!hs_config_store_secret_finish (HS_CONFIG (object), result, &error))
    {
      g_autofree char *escaped = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* A toast title is Pango markup. */
      escaped = g_markup_escape_text (error->message, -1);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (escaped));
      return;
    }

  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                    adw_toast_new (_("Saved in the keyring")));
}

static void
secret_apply_cb (HsPreferencesWindow *self,
                 AdwEntryRow         *row)
{
  HsSecretKind kind = row == self->client_secret_row
    ? HS_SECRET_HALO_CLIENT_SECRET
    : HS_SECRET_DATABASE_PASSWORD;

  hs_config_store_secret_async (self->config, kind, gtk_editable_get_text (GTK_EDITABLE (row)),
                                self->cancellable, store_secret_cb, g_object_ref (self));
}

static void
test_done (TestData     *data,
           GAsyncResult *result)
{
  g_autoptr(GError) error = NULL;
  HsIpcEngine1 *proxy = HS_IPC_ENGINE1 (g_async_result_get_source_object (result));
  gboolean ok;

  if (data->halo)
    ok = hs_ipc_engine1_call_test_halo_finish (proxy, result, &error);
  else
    ok = hs_ipc_engine1_call_test_database_finish (proxy, result, &error);
  g_object_unref (proxy);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (data->button), TRUE);
  gtk_widget_remove_css_class (GTK_WIDGET (data->row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (data->row), "success");
  if (ok)
    {
      adw_action_row_set_subtitle (data->row, data->halo
                                              ? _("Halo accepted the credentials.")
                                              : _("The database is ready."));
      gtk_widget_add_css_class (GTK_WIDGET (data->row), "success");
    }
  else
    {
      g_autofree char *text = hs_engine_client_dup_error_text (error);

      adw_action_row_set_subtitle (data->row, text);
      gtk_widget_add_css_class (GTK_WIDGET (data->row), "error");
    }
}

static void
test_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(TestData) data = user_data;

  test_done (data, result);
}

static void
test_clicked_cb (HsPreferencesWindow *self,
                 GtkButton           *button)
{
  HsIpcEngine1 *proxy = hs_engine_client_get_proxy (self->client);
  TestData *data;

  data = g_new0 (TestData, 1);
  data->self = g_object_ref (self);
  data->halo = button == self->halo_test_button;
  data->row = data->halo ? self->halo_test_row : self->database_test_row;
  data->button = button;

  if (proxy == NULL)
    {
      const char *reason = hs_engine_client_get_error_message (self->client);

      /* No reason yet means the app is still reaching the service. */
      adw_action_row_set_subtitle (data->row, reason != NULL
                                              ? reason
                                              : _("The HaloSync service is still starting; try again in a moment."));
      gtk_widget_add_css_class (GTK_WIDGET (data->row), "error");
      test_data_free (data);
      return;
    }

  adw_action_row_set_subtitle (data->row, _("Testing…"));
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  if (data->halo)
    hs_ipc_engine1_call_test_halo (proxy, G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable, test_cb, data);
  else
    hs_ipc_engine1_call_test_database (proxy, G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable, test_cb, data);
}

/* Binds an entry row to a string setting.  A setting fixed by an
 * environment variable (as in tests and headless set-ups, where the app
 * and the service share the environment) would be ignored, so its row is
 * shown but not editable. */
static void
bind_entry (HsPreferencesWindow *self,
            const char          *key,
            AdwEntryRow         *row)
{
  g_settings_bind (self->settings, key, row, "text", G_SETTINGS_BIND_DEFAULT);
  if (!hs_config_is_overridden (self->config, key))
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (row), FALSE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (row), _("An environment variable overrides this setting"));
}

static void
hs_preferences_window_dispose (GObject *object)
{
  HsPreferencesWindow *self = HS_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), HS_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->config);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (hs_preferences_window_parent_class)->dispose (object);
}

static void
hs_preferences_window_class_init (HsPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = hs_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/HaloSync/hs-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, url_row);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, tenant_row);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, client_secret_row);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, halo_test_row);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, halo_test_button);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, sink_kind_row);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, sqlite_path_row);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, postgres_uri_row);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, db_password_row);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, sink_error_label);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, database_test_row);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, database_test_button);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, schedule_switch);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, interval_adjustment);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, metered_switch);
  gtk_widget_class_bind_template_callback (widget_class, secret_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, sink_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, choose_file_cb);
  gtk_widget_class_bind_template_callback (widget_class, test_clicked_cb);
}

static void
hs_preferences_window_init (HsPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/**
 * hs_preferences_window_new:
 * @application: the app, whose settings and service the window uses
 *
 * Returns: (transfer none): the window; it lives until it is closed
 */
HsPreferencesWindow *
hs_preferences_window_new (HsApplication *application)
{
  HsPreferencesWindow *self;

  g_return_val_if_fail (HS_IS_APPLICATION (application), NULL);

  self = g_object_new (HS_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (hs_application_get_settings (application));
  self->config = g_object_ref (hs_application_get_config (application));
  self->client = g_object_ref (hs_application_get_client (application));

  bind_entry (self, "halo-url", self->url_row);
  bind_entry (self, "halo-tenant", self->tenant_row);
  bind_entry (self, "halo-client-id", self->client_id_row);
  g_settings_bind (self->settings, "schedule-enabled", self->schedule_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "schedule-interval", self->interval_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "sync-on-metered", self->metered_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);

  load_sink_uri (self);
  if (hs_config_is_overridden (self->config, "sink-uri"))
    gtk_widget_set_sensitive (GTK_WIDGET (self->sink_kind_row), FALSE);
  g_signal_connect_object (self->sink_kind_row, "notify::selected",
                           G_CALLBACK (sink_kind_changed_cb), self, 0);
  return self;
}
