/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <locale.h>

#include "hs-gui-test.h"
#include "hs-test-sim.h"

static char *home_dir;
static GTestDBus *test_bus;

/* GUI tests get private user directories and in-memory settings like
 * every other test, but keep the system data directories: GTK finds the
 * format of its SVG icons through the shared MIME database there, which
 * G_TEST_OPTION_ISOLATE_DIRS would hide.  The directories are made once
 * per program, since a test may start the service, which keeps using
 * them. */
void
hs_gui_test_init (int         *argc,
                  char      ***argv,
                  const char  *service_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  static const char * const dirs[][2] = {
    { "HOME", "" },
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_DATA_HOME", "data" },
    { "XDG_CACHE_HOME", "cache" },
    { "XDG_STATE_HOME", "state" },
    { "XDG_RUNTIME_DIR", "runtime" },
  };

  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GIO_USE_VFS", "local", TRUE);
  g_unsetenv ("HALOSYNC_PLUGIN_DIR");
  /* No accessibility bus under Xvfb; without this GTK waits for one. */
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  /* Software GL under Xvfb is slow and loads Mesa's threads, which can
   * deadlock with the sanitizer's unwinder; cairo draws the same widgets. */
  g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
  g_setenv ("GSK_RENDERER", "cairo", TRUE);

  home_dir = g_dir_make_tmp ("halosync-gui-test-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (home_dir, dirs[i][1], NULL);

      g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
      g_setenv (dirs[i][0], path, TRUE);
    }

  g_test_init (argc, argv, NULL);

  /* A private session bus for the app and, through service_dir, the
   * services it may activate.  It comes up before GTK starts any thread:
   * GTestDBus forks a watcher process, and a fork taken while other
   * threads run copies memory that only those threads' stacks point to,
   * which LeakSanitizer then reports as leaked when the watcher exits. */
  display = g_strdup (g_getenv ("DISPLAY"));
  test_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  if (service_dir != NULL)
    g_test_dbus_add_service_dir (test_bus, service_dir);
  g_test_dbus_up (test_bus);
  /* It unsets DISPLAY against D-Bus autolaunching; GTK needs it. */
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);

  gtk_init ();
  adw_init ();
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL)
    {
      GFile *child = NULL;

      if (!g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) || child == NULL)
        break;
      remove_tree (child);
    }
  g_file_delete (file, NULL, NULL);
}

/* Runs the tests, then stops the bus and removes the private
 * directories. */
int
hs_gui_test_run (void)
{
  g_autoptr(GFile) home = NULL;
  int status = g_test_run ();

  /* libadwaita's style manager keeps the session bus connection for the
   * life of the process, and g_test_dbus_down() (also run when the object
   * goes) would wait for it in vain: stop the daemon, keep the object. */
  g_test_dbus_stop (test_bus);

  home = g_file_new_for_path (home_dir);
  remove_tree (home);
  g_clear_pointer (&home_dir, g_free);
  return status;
}

typedef struct
{
  gboolean timed_out;
} WaitData;

static gboolean
timeout_cb (gpointer user_data)
{
  WaitData *data = user_data;

  data->timed_out = TRUE;
  g_main_context_wakeup (NULL);
  return G_SOURCE_REMOVE;
}

/* Spins the main loop until @condition holds; FALSE if it did not within
 * @timeout_seconds, so the caller's assertion fails instead of hanging. */
gboolean
hs_gui_test_wait_until (HsGuiTestCondition condition,
                        gpointer           user_data,
                        guint              timeout_seconds)
{
  WaitData data = { FALSE };
  guint id = g_timeout_add_seconds (timeout_seconds, timeout_cb, &data);

  while (!condition (user_data) && !data.timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!data.timed_out)
    g_source_remove (id);
  return condition (user_data);
}

static gboolean
spin_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  g_main_context_wakeup (NULL);
  return G_SOURCE_REMOVE;
}

/* Lets pending work (layout, redraws, D-Bus replies) run for a while. */
void
hs_gui_test_spin (guint milliseconds)
{
  gboolean done = FALSE;

  g_timeout_add (milliseconds, spin_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* A named child of a widget's template: the tests drive the very widgets
 * a person would, found by the names the .ui files give them. */
gpointer
hs_gui_test_get_child (gpointer    widget,
                       GType       template_type,
                       const char *name)
{
  GObject *child = gtk_widget_get_template_child (GTK_WIDGET (widget), template_type, name);

  g_assert_nonnull (child);
  return child;
}

/* Renders @widget as it is on screen into a PNG. */
void
hs_gui_test_save_screenshot (GtkWidget  *widget,
                             const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, (float) width, (float) height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

/* The first visible label under @root whose text is @text, or NULL. */
GtkWidget *
hs_gui_test_find_label (GtkWidget  *root,
                        const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = hs_gui_test_find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtkWidget *root;
  const char *text;
} LabelQuery;

static gboolean
label_shown (gpointer user_data)
{
  LabelQuery *query = user_data;

  return hs_gui_test_find_label (query->root, query->text) != NULL;
}

/* Waits until a label with @text shows under @root (rows reveal their
 * children with an animation, slower still under a sanitizer). */
gboolean
hs_gui_test_wait_for_label (GtkWidget  *root,
                            const char *text,
                            guint       timeout_seconds)
{
  LabelQuery query = { root, text };

  return hs_gui_test_wait_until (label_shown, &query, timeout_seconds);
}

typedef struct
{
  HsGuiTestAppFunc func;
  gpointer user_data;
} AppData;

static void
activate_cb (GApplication *app,
             gpointer      user_data)
{
  AppData *data = user_data;

  data->func (HS_APPLICATION (app), data->user_data);

  while (gtk_application_get_windows (GTK_APPLICATION (app)) != NULL)
    gtk_window_destroy (gtk_application_get_windows (GTK_APPLICATION (app))->data);
  g_application_quit (app);
}

/* Runs the app as `halosync` does, and @func once its window is up.
 * Only g_application_run() takes an app fully down again (GtkApplication
 * keeps itself alive until shutdown, and its D-Bus registration goes only
 * then), so each test gets a fresh app in a run of its own. */
void
hs_gui_test_run_app (HsGuiTestAppFunc func,
                     gpointer         user_data)
{
  HsApplication *app = hs_application_new ();
  AppData data = { func, user_data };

  /* Tests run one after another in one process; each app is new. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (app, "activate", G_CALLBACK (activate_cb), &data);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 0, NULL), ==, 0);
  g_assert_finalize_object (app);
}

/* The active window follows focus, which Xvfb without a window manager
 * does not move; windows are looked up by type instead. */
gpointer
hs_gui_test_find_window (HsApplication *app,
                         GType          type)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
      return l->data;
  return NULL;
}

typedef struct
{
  HsApplication *app;
  const char *heading;
} DialogQuery;

static AdwMessageDialog *
find_message_dialog (DialogQuery *query)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (query->app)); l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_mapped (l->data) &&
        g_strcmp0 (adw_message_dialog_get_heading (l->data), query->heading) == 0)
      return l->data;
  return NULL;
}

static gboolean
message_dialog_shown (gpointer user_data)
{
  return find_message_dialog (user_data) != NULL;
}

/* Waits until a message dialog of @app with @heading is on screen, and
 * returns it. */
AdwMessageDialog *
hs_gui_test_wait_for_message_dialog (HsApplication *app,
                                     const char    *heading,
                                     guint          timeout_seconds)
{
  DialogQuery query = { app, heading };

  g_assert_true (hs_gui_test_wait_until (message_dialog_shown, &query, timeout_seconds));
  return find_message_dialog (&query);
}

/* Sets a variable for this process (the app reads it through HsConfig)
 * and for the services the private bus starts from now on. */
static void
set_shared_env (const char *name,
                const char *value)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GVariantBuilder env;

  g_setenv (name, value, TRUE);

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  g_variant_builder_init (&env, G_VARIANT_TYPE ("a{ss}"));
  g_variant_builder_add (&env, "{ss}", name, value);
  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "UpdateActivationEnvironment",
                                       g_variant_new ("(a{ss})", &env), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

/**
 * hs_gui_test_start_service:
 * @client_secret: (nullable): the secret halosyncd uses; %NULL for the
 *   simulator's own, "" for none in the environment (the keyring's is
 *   used), anything else for credentials Halo rejects
 *
 * Starts halo-sim with a small tenant and configures the real halosyncd,
 * which the private bus activates on the app's first call: the Halo
 * source talks to the simulator, the gda sink writes an SQLite file in
 * the private data directory, and pacing is off so runs are quick.
 *
 * Returns: (transfer full): the simulator; it stops when released
 */
HsTestSim *
hs_gui_test_start_service (const char *client_secret)
{
  static const char * const args[] = {
    "--seed", "7", "--agents", "6", "--clients", "12",
    "--tickets", "150", "--time-entries", "300", NULL
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *database = NULL;
  g_autofree char *sink = NULL;
  HsTestSim *sim;

  sim = hs_test_sim_new (args, &error);
  g_assert_no_error (error);

  database = g_build_filename (g_get_user_data_dir (), "halosync-test.db", NULL);
  sink = g_strconcat ("sqlite://", database, NULL);
  set_shared_env ("HALOSYNC_HALO_URL", hs_test_sim_get_base_url (sim));
  set_shared_env ("HALOSYNC_HALO_CLIENT_ID", hs_test_sim_get_client_id (sim));
  set_shared_env ("HALOSYNC_HALO_CLIENT_SECRET",
                  client_secret != NULL ? client_secret : hs_test_sim_get_client_secret (sim));
  set_shared_env ("HALOSYNC_SINK", sink);
  set_shared_env ("HALOSYNC_HALO_RATE_LIMIT", "off");
  set_shared_env ("HALOSYNC_PLUGIN_DIR", g_getenv ("HS_GUI_PLUGIN_DIRS"));
  /* In the sanitizer build the service is built with it too.  It ends by
   * SIGTERM when the bus goes, so it never reaches a leak check, and the
   * slow unwinder the tests use for leak reports only makes it several
   * times slower; memory errors still abort it. */
  if (g_getenv ("ASAN_OPTIONS") != NULL)
    set_shared_env ("ASAN_OPTIONS", "detect_leaks=0:abort_on_error=1");
  return sim;
}

/* A proxy of the service for the tests' own calls, as a script makes
 * them; it starts the service like the app's first call would. */
HsIpcEngine1 *
hs_gui_test_new_service_proxy (void)
{
  g_autoptr(GError) error = NULL;
  HsIpcEngine1 *proxy;

  proxy = hs_ipc_engine1_proxy_new_for_bus_sync (G_BUS_TYPE_SESSION, G_DBUS_PROXY_FLAGS_NONE,
                                                 "org.example.HaloSync.Daemon",
                                                 "/org/example/HaloSync/Engine", NULL, &error);
  g_assert_no_error (error);
  return proxy;
}
