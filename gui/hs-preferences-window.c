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
 *
 * A typed secret or database location is stored when it is applied, and
 * at the latest before a connection test or closing the window, so what
 * the person typed is what is tested and kept.  The rows say when the
 * keyring has a secret, never showing it.
 */
struct _HsPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GSettings *settings;           /* (owned) */
  HsConfig *config;              /* (owned) */
  HsEngineClient *client;        /* (owned) */
  GCancellable *cancellable;     /* (owned) */
  GtkFileChooserNative *chooser; /* (owned) (nullable) */

  /* Indexed by HsSecretKind. */
  gboolean secret_typed[2];      /* the row holds text not stored yet */
  gboolean secret_stored[2];     /* the keyring has one for the account */
  guint secret_lookup_serial[2]; /* only the latest lookup counts */

  /* Stores under way, what waits for them, and why the last one failed. */
  guint storing;
  gboolean close_when_stored;
  gboolean halo_test_waiting;
  gboolean database_test_waiting;
  GError *store_error;           /* (owned) (nullable) */

  AdwEntryRow *url_row;
  AdwEntryRow *tenant_row;
  AdwEntryRow *client_id_row;
  AdwEntryRow *client_secret_row;
  GtkWidget *client_secret_stored_label;
  AdwActionRow *halo_test_row;
  GtkButton *halo_test_button;
  AdwComboRow *sink_kind_row;
  AdwPreferencesRow *embedded_path_row;
  GtkLabel *embedded_path_label;
  AdwEntryRow *sqlite_path_row;
  AdwEntryRow *postgres_uri_row;
  AdwEntryRow *db_password_row;
  GtkWidget *db_password_stored_label;
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

  gtk_widget_set_visible (GTK_WIDGET (self->embedded_path_row), kind == SINK_EMBEDDED);
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

/* A location typed but not applied is what the person means, as a typed
 * secret is: it is kept before a test and on closing.  Returns FALSE
 * when the typed text is no location, the reason shown under it. */
static gboolean
store_typed_sink_uri (HsPreferencesWindow *self)
{
  AdwEntryRow *row;
  g_autofree char *uri = NULL;
  g_autofree char *stored = NULL;

  switch (adw_combo_row_get_selected (self->sink_kind_row))
    {
    case SINK_SQLITE:
      row = self->sqlite_path_row;
      break;
    case SINK_POSTGRESQL:
      row = self->postgres_uri_row;
      break;
    default:
      return TRUE;
    }
  if (hs_config_is_overridden (self->config, "sink-uri") ||
      gtk_editable_get_text (GTK_EDITABLE (row))[0] == '\0')
    return TRUE;

  uri = compose_sink_uri (self);
  if (uri == NULL)
    return FALSE;
  stored = g_settings_get_string (self->settings, "sink-uri");
  if (strcmp (uri, stored) != 0)
    g_settings_set_string (self->settings, "sink-uri", uri);
  return TRUE;
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

/* Where the embedded database is, as the service derives it. */
static void
show_embedded_path (HsPreferencesWindow *self)
{
  g_autofree char *uri = hs_config_dup_default_sink_uri ();
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  const char *path = parsed != NULL ? g_uri_get_path (parsed) : uri;

  gtk_label_set_text (self->embedded_path_label, path);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->embedded_path_label), path);
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

static HsSecretKind
secret_kind_of (HsPreferencesWindow *self,
                AdwEntryRow         *row)
{
  return row == self->client_secret_row ? HS_SECRET_HALO_CLIENT_SECRET : HS_SECRET_DATABASE_PASSWORD;
}

static AdwEntryRow *
secret_row_of (HsPreferencesWindow *self,
               HsSecretKind         kind)
{
  return kind == HS_SECRET_HALO_CLIENT_SECRET ? self->client_secret_row : self->db_password_row;
}

/* "Stored in the keyring" stands where the secret would be, until the
 * person types one to replace it. */
static void
update_secret_stored (HsPreferencesWindow *self,
                      HsSecretKind         kind)
{
  GtkWidget *label = kind == HS_SECRET_HALO_CLIENT_SECRET
    ? self->client_secret_stored_label
    : self->db_password_stored_label;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (secret_row_of (self, kind)));

  gtk_widget_set_visible (label, self->secret_stored[kind] && text[0] == '\0');
}

typedef struct
{
  HsPreferencesWindow *self;  /* (owned) */
  HsSecretKind kind;
  guint serial;
} SecretData;

static SecretData *
secret_data_new (HsPreferencesWindow *self,
                 HsSecretKind         kind)
{
  SecretData *data = g_new0 (SecretData, 1);

  data->self = g_object_ref (self);
  data->kind = kind;
  data->serial = self->secret_lookup_serial[kind];
  return data;
}

static void
secret_data_free (SecretData *data)
{
  g_object_unref (data->self);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SecretData, secret_data_free)

static void
lookup_secret_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SecretData) data = user_data;
  g_autoptr(GError) error = NULL;
  char *secret;
  gboolean stored;

  /* Only whether there is one matters here. */
  secret = hs_config_lookup_secret_finish (HS_CONFIG (object), result, &error);
  stored = secret != NULL;
  g_free (secret);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      data->serial != data->self->secret_lookup_serial[data->kind])
    return;

  data->self->secret_stored[data->kind] = stored;
  update_secret_stored (data->self, data->kind);
}

/* A secret is filed under the Halo URL and client id, or the database
 * URI, so which one the keyring has changes with them.  One from the
 * environment is used instead of the keyring's: its row would only
 * mislead. */
static void
look_up_secret (HsPreferencesWindow *self,
                HsSecretKind         kind)
{
  GtkWidget *row = GTK_WIDGET (secret_row_of (self, kind));

  self->secret_lookup_serial[kind]++;
  if (hs_config_is_secret_overridden (self->config, kind))
    {
      self->secret_stored[kind] = FALSE;
      update_secret_stored (self, kind);
      gtk_widget_set_sensitive (row, FALSE);
      gtk_widget_set_tooltip_text (row, _("An environment variable overrides this setting"));
      return;
    }

  hs_config_lookup_secret_async (self->config, kind, self->cancellable, lookup_secret_cb,
                                 secret_data_new (self, kind));
}

static void
account_changed_cb (GObject    *object,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  HsPreferencesWindow *self = HS_PREFERENCES_WINDOW (user_data);

  if (g_strcmp0 (pspec->name, "sink-uri") == 0)
    look_up_secret (self, HS_SECRET_DATABASE_PASSWORD);
  else
    look_up_secret (self, HS_SECRET_HALO_CLIENT_SECRET);
}

static void
secret_changed_cb (HsPreferencesWindow *self,
                   AdwEntryRow         *row)
{
  HsSecretKind kind = secret_kind_of (self, row);

  self->secret_typed[kind] = gtk_editable_get_text (GTK_EDITABLE (row))[0] != '\0';
  update_secret_stored (self, kind);
}

static void start_test (HsPreferencesWindow *self,
                        GtkButton           *button);

/* Once the last store is done, what waited for it goes on: a test runs
 * with the stored secret or shows why it could not be stored, and the
 * window closes unless the person has to see a failure first. */
static void
stores_done (HsPreferencesWindow *self)
{
  GtkButton *buttons[] = { self->halo_test_button, self->database_test_button };
  gboolean waiting[] = { self->halo_test_waiting, self->database_test_waiting };
  g_autoptr(GError) error = g_steal_pointer (&self->store_error);
  gboolean close = self->close_when_stored && error == NULL;

  self->halo_test_waiting = FALSE;
  self->database_test_waiting = FALSE;
  self->close_when_stored = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      AdwActionRow *row = buttons[i] == self->halo_test_button ? self->halo_test_row : self->database_test_row;

      if (!waiting[i])
        continue;
      if (error == NULL)
        {
          start_test (self, buttons[i]);
          continue;
        }
      gtk_widget_set_sensitive (GTK_WIDGET (buttons[i]), TRUE);
      adw_action_row_set_subtitle (row, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
    }

  if (close)
    gtk_window_close (GTK_WINDOW (self));
}

static void
store_secret_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SecretData) data = user_data;
  HsPreferencesWindow *self = data->self;
  g_autoptr(GError) error = NULL;
  gboolean stored;

  stored = hs_config_store_secret_finish (HS_CONFIG (object), result, &error);
  /* Only a window being disposed cancels its own stores; a keyring
   * prompt the person dismissed is a failure like any other, or the
   * window would wait for it to close forever. */
  if (self->cancellable == NULL)
    return;

  self->storing--;
  if (!stored)
    {
      g_autofree char *escaped = NULL;

      /* A toast title is Pango markup. */
      escaped = g_markup_escape_text (error->message, -1);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (escaped));
      g_clear_error (&self->store_error);
      self->store_error = g_steal_pointer (&error);
    }
  else
    {
      self->secret_stored[data->kind] = TRUE;
      update_secret_stored (self, data->kind);
      if (!self->close_when_stored)
        adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                          adw_toast_new (_("Saved in the keyring")));
    }

  if (self->storing == 0)
    stores_done (self);
}

/* The row counts as stored from here on: what is typed while the store
 * is under way is stored next time.  After a failure it is not tried
 * again on its own, so the person can close the window. */
static void
store_secret (HsPreferencesWindow *self,
              HsSecretKind         kind)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (secret_row_of (self, kind)));

  self->secret_typed[kind] = FALSE;
  /* An emptied row is no new secret; storing it would lose the old one. */
  if (text[0] == '\0')
    return;

  self->storing++;
  /* A lookup still under way would say what the keyring had before. */
  self->secret_lookup_serial[kind]++;
  hs_config_store_secret_async (self->config, kind, text, self->cancellable, store_secret_cb,
                                secret_data_new (self, kind));
}

static void
store_typed_secrets (HsPreferencesWindow *self)
{
  if (self->secret_typed[HS_SECRET_HALO_CLIENT_SECRET])
    store_secret (self, HS_SECRET_HALO_CLIENT_SECRET);
  if (self->secret_typed[HS_SECRET_DATABASE_PASSWORD])
    store_secret (self, HS_SECRET_DATABASE_PASSWORD);
}

static void
secret_apply_cb (HsPreferencesWindow *self,
                 AdwEntryRow         *row)
{
  store_secret (self, secret_kind_of (self, row));
}

/* The service words a missing setting for every client, naming its
 * key and variable; here the row to fill in says it better, and gets the
 * focus.  NULL when the rows look complete: the service's reason stands. */
static const char *
halo_setup_problem (HsPreferencesWindow *self,
                    GtkWidget          **row)
{
  const char *url = hs_config_get_halo_url (self->config);
  g_autofree char *normalized = hs_config_normalize_halo_url (url, NULL);

  *row = GTK_WIDGET (self->url_row);
  if (url[0] == '\0')
    return _("Enter the address of your Halo web app in Halo URL.");
  if (normalized == NULL)
    return _("The Halo URL is not a web address; enter one such as https://example.halopsa.com.");
  *row = GTK_WIDGET (self->client_id_row);
  if (hs_config_get_halo_client_id (self->config)[0] == '\0')
    return _("Enter the client ID of the Halo API application in Client ID.");
  *row = GTK_WIDGET (self->client_secret_row);
  if (!self->secret_stored[HS_SECRET_HALO_CLIENT_SECRET] &&
      !hs_config_is_secret_overridden (self->config, HS_SECRET_HALO_CLIENT_SECRET))
    return _("Enter the client secret of the Halo API application in Client secret.");
  *row = NULL;
  return NULL;
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
      const char *problem = NULL;
      GtkWidget *row = NULL;

      if (data->halo && g_error_matches (error, HS_ERROR, HS_ERROR_NOT_CONFIGURED))
        problem = halo_setup_problem (data->self, &row);
      adw_action_row_set_subtitle (data->row, problem != NULL ? problem : text);
      gtk_widget_add_css_class (GTK_WIDGET (data->row), "error");
      if (row != NULL)
        gtk_widget_grab_focus (row);
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
start_test (HsPreferencesWindow *self,
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

static void
test_clicked_cb (HsPreferencesWindow *self,
                 GtkButton           *button)
{
  AdwActionRow *row = button == self->halo_test_button ? self->halo_test_row : self->database_test_row;

  if (button == self->database_test_button && !store_typed_sink_uri (self))
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "success");
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      adw_action_row_set_subtitle (row, _("Correct the database location above first."));
      return;
    }
  store_typed_secrets (self);
  if (self->storing == 0)
    {
      start_test (self, button);
      return;
    }

  if (button == self->halo_test_button)
    self->halo_test_waiting = TRUE;
  else
    self->database_test_waiting = TRUE;
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (row), "success");
  adw_action_row_set_subtitle (row, _("Saving in the keyring…"));
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
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

/* Closing is the last moment to keep a typed location or secret: the
 * window stays until the keyring has the secret. */
static gboolean
hs_preferences_window_close_request (GtkWindow *window)
{
  HsPreferencesWindow *self = HS_PREFERENCES_WINDOW (window);

  /* Text that is no location cannot be kept; the setting stays as it was. */
  store_typed_sink_uri (self);
  store_typed_secrets (self);
  if (self->storing > 0)
    {
      self->close_when_stored = TRUE;
      return TRUE;
    }

  return GTK_WINDOW_CLASS (hs_preferences_window_parent_class)->close_request (window);
}

static void
hs_preferences_window_dispose (GObject *object)
{
  HsPreferencesWindow *self = HS_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->chooser);
  g_clear_error (&self->store_error);
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
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = hs_preferences_window_dispose;
  window_class->close_request = hs_preferences_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/example/HaloSync/hs-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, url_row);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, tenant_row);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, client_id_row);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, client_secret_row);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, client_secret_stored_label);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, halo_test_row);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, halo_test_button);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, sink_kind_row);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, embedded_path_row);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, embedded_path_label);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, sqlite_path_row);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, postgres_uri_row);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, db_password_row);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, db_password_stored_label);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, sink_error_label);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, database_test_row);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, database_test_button);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, schedule_switch);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, interval_adjustment);
  gtk_widget_class_bind_template_child (widget_class, HsPreferencesWindow, metered_switch);
  gtk_widget_class_bind_template_callback (widget_class, secret_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, secret_changed_cb);
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

  show_embedded_path (self);
  load_sink_uri (self);
  if (hs_config_is_overridden (self->config, "sink-uri"))
    gtk_widget_set_sensitive (GTK_WIDGET (self->sink_kind_row), FALSE);
  g_signal_connect_object (self->sink_kind_row, "notify::selected",
                           G_CALLBACK (sink_kind_changed_cb), self, 0);

  look_up_secret (self, HS_SECRET_HALO_CLIENT_SECRET);
  look_up_secret (self, HS_SECRET_DATABASE_PASSWORD);
  g_signal_connect_object (self->config, "notify::halo-url",
                           G_CALLBACK (account_changed_cb), self, 0);
  g_signal_connect_object (self->config, "notify::halo-client-id",
                           G_CALLBACK (account_changed_cb), self, 0);
  g_signal_connect_object (self->config, "notify::sink-uri",
                           G_CALLBACK (account_changed_cb), self, 0);
  return self;
}
