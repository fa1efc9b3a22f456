/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <signal.h>

#include "hs-ipc-engine1.h"
#include "hs-test-db.h"
#include "hs-test-sim.h"

/* halosyncd on a private session bus, activated from the build tree
 * through D-Bus, against halo-sim and a fresh SQLite database. */

#define BUS_NAME "org.example.HaloSync.Daemon"
#define OBJECT_PATH "/org/example/HaloSync/Engine"
#define FY "FY2026"

static const char * const tenant[] = {
  "--seed", "11", "--agents", "5", "--clients", "6", "--tickets", "120", "--time-entries", "400",
  "--start", "2025-07-01", "--end", "2026-06-30", NULL
};

typedef struct
{
  HsTestSim *sim;
  HsTestDb *db;
  GTestDBus *bus;
  GDBusConnection *connection;
  HsIpcEngine1 *proxy;
  GPtrArray *events;        /* "started:FY", "finished:FY:status", in arrival order */
  GPtrArray *notifications; /* (element-type GVariant): (app id, id, notification) as sent */
  guint notifications_id;
  guint notifications_owner;
  GPtrArray *app_actions;   /* "name:target" the desktop app was asked to activate */
  guint app_id;
  guint app_owner;
} Fixture;

static void
run_started_cb (HsIpcEngine1 *proxy,
                GVariant     *run,
                Fixture      *fixture)
{
  const char *fy = "";

  g_variant_lookup (run, "fiscal-year", "&s", &fy);
  g_ptr_array_add (fixture->events, g_strdup_printf ("started:%s", fy));
}

static void
progress_cb (HsIpcEngine1 *proxy,
             gint64        id,
             const char   *stage,
             const char   *stream,
             guint64       fetched,
             guint64       written,
             Fixture      *fixture)
{
  const char *last = fixture->events->len > 0 ? g_ptr_array_index (fixture->events, fixture->events->len - 1) : "";

  if (!g_str_equal (last, "progress"))
    g_ptr_array_add (fixture->events, g_strdup ("progress"));
}

static void
run_finished_cb (HsIpcEngine1 *proxy,
                 GVariant     *run,
                 Fixture      *fixture)
{
  const char *fy = "", *status = "";

  g_variant_lookup (run, "fiscal-year", "&s", &fy);
  g_variant_lookup (run, "status", "&s", &status);
  g_ptr_array_add (fixture->events, g_strdup_printf ("finished:%s:%s", fy, status));
  g_main_context_wakeup (NULL);
}

static void
fiscal_years_changed_cb (HsIpcEngine1 *proxy,
                         Fixture      *fixture)
{
  g_ptr_array_add (fixture->events, g_strdup ("years-changed"));
}

static void
agents_changed_cb (HsIpcEngine1 *proxy,
                   Fixture      *fixture)
{
  g_ptr_array_add (fixture->events, g_strdup ("agents-changed"));
}

/* A minimal org.gtk.Notifications, the interface GNOME Shell serves, so
 * the daemon's notifications travel over real D-Bus to something the test
 * can read, with the app id the Shell would look its desktop file up by. */
static const char notifications_xml[] =
  "<node><interface name='org.gtk.Notifications'>"
  "<method name='AddNotification'><arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "<arg type='a{sv}' direction='in'/></method>"
  "<method name='RemoveNotification'><arg type='s' direction='in'/><arg type='s' direction='in'/></method>"
  "</interface></node>";

static void
notifications_method_cb (GDBusConnection       *connection,
                         const char            *sender,
                         const char            *path,
                         const char            *interface,
                         const char            *method,
                         GVariant              *parameters,
                         GDBusMethodInvocation *invocation,
                         gpointer               user_data)
{
  Fixture *fixture = user_data;

  if (g_str_equal (method, "AddNotification"))
    {
      g_ptr_array_add (fixture->notifications, g_variant_ref (parameters));
      g_main_context_wakeup (NULL);
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

/* The desktop app as far as the service reaches it: the actions it is
 * asked to activate. */
static const char app_xml[] =
  "<node><interface name='org.freedesktop.Application'>"
  "<method name='ActivateAction'><arg type='s' direction='in'/><arg type='av' direction='in'/>"
  "<arg type='a{sv}' direction='in'/></method>"
  "</interface></node>";

static void
app_method_cb (GDBusConnection       *connection,
               const char            *sender,
               const char            *path,
               const char            *interface,
               const char            *method,
               GVariant              *parameters,
               GDBusMethodInvocation *invocation,
               gpointer               user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(GVariant) targets = NULL;
  g_autofree char *target = NULL;
  const char *name;

  g_variant_get (parameters, "(&s@av@a{sv})", &name, &targets, NULL);
  if (g_variant_n_children (targets) == 1)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (targets, 0);
      g_autoptr(GVariant) value = g_variant_get_variant (boxed);

      target = g_variant_print (value, FALSE);
    }
  g_ptr_array_add (fixture->app_actions, g_strdup_printf ("%s:%s", name, target != NULL ? target : ""));
  g_dbus_method_invocation_return_value (invocation, NULL);
  g_main_context_wakeup (NULL);
}

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, NULL);
  const GDBusInterfaceVTable vtable = { notifications_method_cb, NULL, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) app_info = g_dbus_node_info_new_for_xml (app_xml, NULL);
  const GDBusInterfaceVTable app_vtable = { app_method_cb, NULL, NULL, { 0 } };
  const char *secret = user_data != NULL ? user_data : NULL;

  fixture->events = g_ptr_array_new_with_free_func (g_free);
  fixture->notifications = g_ptr_array_new_with_free_func ((GDestroyNotify) g_variant_unref);
  fixture->app_actions = g_ptr_array_new_with_free_func (g_free);
  fixture->sim = hs_test_sim_new (tenant, &error);
  g_assert_no_error (error);
  fixture->db = hs_test_db_new (HS_TEST_DB_SQLITE);

  /* The bus hands its environment to the daemon it activates. */
  g_setenv ("HALOSYNC_HALO_URL", hs_test_sim_get_base_url (fixture->sim), TRUE);
  g_setenv ("HALOSYNC_HALO_CLIENT_ID", hs_test_sim_get_client_id (fixture->sim), TRUE);
  g_setenv ("HALOSYNC_HALO_CLIENT_SECRET", secret != NULL ? secret : hs_test_sim_get_client_secret (fixture->sim), TRUE);
  g_setenv ("HALOSYNC_HALO_RATE_LIMIT", "off", TRUE);
  g_setenv ("HALOSYNC_SINK", hs_test_db_get_uri (fixture->db), TRUE);
  g_setenv ("HALOSYNC_PLUGIN_DIR", g_getenv ("HS_PLUGIN_BUILD_DIRS"), TRUE);

  fixture->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_add_service_dir (fixture->bus, g_getenv ("HS_TEST_SERVICE_DIR"));
  g_test_dbus_up (fixture->bus);

  fixture->connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  fixture->notifications_id =
    g_dbus_connection_register_object (fixture->connection, "/org/gtk/Notifications",
                                       info->interfaces[0], &vtable, fixture, NULL, &error);
  g_assert_no_error (error);
  fixture->notifications_owner = g_bus_own_name_on_connection (fixture->connection, "org.gtk.Notifications",
                                                               G_BUS_NAME_OWNER_FLAGS_NONE, NULL, NULL, NULL, NULL);
  fixture->app_id = g_dbus_connection_register_object (fixture->connection, "/org/example/HaloSync",
                                                       app_info->interfaces[0], &app_vtable, fixture, NULL, &error);
  g_assert_no_error (error);
  fixture->app_owner = g_bus_own_name_on_connection (fixture->connection, "org.example.HaloSync",
                                                     G_BUS_NAME_OWNER_FLAGS_NONE, NULL, NULL, NULL, NULL);

  fixture->proxy = hs_ipc_engine1_proxy_new_sync (fixture->connection, G_DBUS_PROXY_FLAGS_NONE,
                                                  BUS_NAME, OBJECT_PATH, NULL, &error);
  g_assert_no_error (error);
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (fixture->proxy), 60000);
  g_signal_connect (fixture->proxy, "run-started", G_CALLBACK (run_started_cb), fixture);
  g_signal_connect (fixture->proxy, "progress", G_CALLBACK (progress_cb), fixture);
  g_signal_connect (fixture->proxy, "run-finished", G_CALLBACK (run_finished_cb), fixture);
  g_signal_connect (fixture->proxy, "fiscal-years-changed", G_CALLBACK (fiscal_years_changed_cb), fixture);
  g_signal_connect (fixture->proxy, "agents-changed", G_CALLBACK (agents_changed_cb), fixture);
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer user_data)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->proxy);
  g_bus_unown_name (fixture->notifications_owner);
  g_bus_unown_name (fixture->app_owner);
  g_dbus_connection_unregister_object (fixture->connection, fixture->app_id);
  g_dbus_connection_unregister_object (fixture->connection, fixture->notifications_id);
  g_clear_object (&fixture->connection);
  /* Taking the bus down ends the daemon with it. */
  g_test_dbus_down (fixture->bus);
  g_clear_object (&fixture->bus);
  g_assert_true (hs_test_sim_stop (fixture->sim, &error));
  g_assert_no_error (error);
  g_clear_object (&fixture->sim);
  g_clear_pointer (&fixture->db, hs_test_db_free);
  g_clear_pointer (&fixture->events, g_ptr_array_unref);
  g_clear_pointer (&fixture->notifications, g_ptr_array_unref);
  g_clear_pointer (&fixture->app_actions, g_ptr_array_unref);
}

static void
assert_dbus_error (const GError *error,
                   const char   *name)
{
  g_autofree char *remote = NULL;

  g_assert_nonnull (error);
  remote = g_dbus_error_get_remote_error (error);
  if (g_strcmp0 (remote, name) != 0)
    g_error ("expected %s, got %s: %s", name, remote, error->message);
  /* A message a person can act on, not an empty one. */
  g_assert_cmpuint (strlen (error->message), >, 20);
}

static gboolean
has_event (Fixture    *fixture,
           const char *event)
{
  for (guint i = 0; i < fixture->events->len; i++)
    if (g_str_equal (g_ptr_array_index (fixture->events, i), event))
      return TRUE;
  return FALSE;
}

static void
wait_for_event (Fixture    *fixture,
                const char *event)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!has_event (fixture, event))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static GVariant *
create_year (Fixture    *fixture,
             const char *label,
             const char *start,
             const char *end,
             GError    **error)
{
  GVariant *run = NULL;

  if (!hs_ipc_engine1_call_create_fiscal_year_sync (fixture->proxy, label, start, end,
                                                    G_DBUS_CALL_FLAGS_NONE, -1, &run, NULL, error))
    return NULL;
  return run;
}

/* Creating a year answers at once; the sync of it follows, announced by
 * RunStarted, progress and RunFinished, in that order. */
static void
test_create_year_syncs (Fixture      *fixture,
                        gconstpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) run = NULL;
  g_autoptr(GVariant) years = NULL;
  g_autoptr(GVariant) runs = NULL;
  g_autoptr(GVariant) last = NULL;
  const char *status = NULL, *trigger = NULL, *label = NULL, *start = NULL, *end = NULL;

  run = create_year (fixture, FY, "2025-07-01", "2026-06-30", &error);
  g_assert_no_error (error);
  g_variant_lookup (run, "status", "&s", &status);
  g_variant_lookup (run, "trigger", "&s", &trigger);
  g_assert_cmpstr (status, ==, "queued");
  g_assert_cmpstr (trigger, ==, "fiscal-year");
  /* The reply came before the run finished. */
  g_assert_false (has_event (fixture, "finished:" FY ":succeeded"));

  wait_for_event (fixture, "agents-changed");
  /* The new year is announced, then its sync, which stored agents. */
  g_assert_cmpuint (fixture->events->len, >=, 5);
  g_assert_cmpstr (g_ptr_array_index (fixture->events, 0), ==, "years-changed");
  g_assert_cmpstr (g_ptr_array_index (fixture->events, 1), ==, "started:" FY);
  g_assert_cmpstr (g_ptr_array_index (fixture->events, 2), ==, "progress");
  g_assert_cmpstr (g_ptr_array_index (fixture->events, fixture->events->len - 2), ==, "finished:" FY ":succeeded");
  g_assert_cmpstr (g_ptr_array_index (fixture->events, fixture->events->len - 1), ==, "agents-changed");

  g_assert_true (hs_ipc_engine1_call_list_fiscal_years_sync (fixture->proxy, G_DBUS_CALL_FLAGS_NONE, -1,
                                                             &years, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (years), ==, 1);
  g_variant_get_child (years, 0, "(&s&s&s)", &label, &start, &end);
  g_assert_cmpstr (label, ==, FY);
  g_assert_cmpstr (start, ==, "2025-07-01");
  g_assert_cmpstr (end, ==, "2026-06-30");

  g_assert_true (hs_ipc_engine1_call_list_runs_sync (fixture->proxy, 10, G_DBUS_CALL_FLAGS_NONE, -1,
                                                     &runs, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (runs), ==, 1);

  last = hs_ipc_engine1_dup_last_run (fixture->proxy);
  g_assert_true (g_variant_lookup (last, "status", "&s", &status));
  g_assert_cmpstr (status, ==, "succeeded");
  /* Nothing is going any more. */
  {
    g_autoptr(GVariant) current = hs_ipc_engine1_dup_current_run (fixture->proxy);
    g_assert_cmpuint (g_variant_n_children (current), ==, 0);
  }
  /* No secret in anything the service says. */
  {
    g_autofree char *text = g_variant_print (last, FALSE);
    g_assert_null (strstr (text, hs_test_sim_get_client_secret (fixture->sim)));
  }
}

static void
test_sync_single_flight (Fixture      *fixture,
                         gconstpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) created = create_year (fixture, FY, "2025-07-01", "2026-06-30", &error);
  g_autoptr(GVariant) a = NULL;
  g_autoptr(GVariant) b = NULL;
  g_autoptr(GVariant) runs = NULL;
  g_auto(GVariantDict) full = G_VARIANT_DICT_INIT (NULL);
  guint started = 0;

  g_assert_no_error (error);
  wait_for_event (fixture, "finished:" FY ":succeeded");
  g_ptr_array_set_size (fixture->events, 0);

  /* Two requests for the year while it is queued: one run. */
  g_variant_dict_insert (&full, "full", "b", TRUE);
  g_assert_true (hs_ipc_engine1_call_sync_sync (fixture->proxy, FY, g_variant_dict_end (&full),
                                                G_DBUS_CALL_FLAGS_NONE, -1, &a, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (hs_ipc_engine1_call_sync_sync (fixture->proxy, "", g_variant_new ("a{sv}", NULL),
                                                G_DBUS_CALL_FLAGS_NONE, -1, &b, NULL, &error));
  g_assert_no_error (error);
  /* The second request joined the first: the full sync it did not ask
   * for, of the same year. */
  {
    const char *mode_b = NULL, *year_b = NULL;

    g_assert_true (g_variant_lookup (b, "mode", "&s", &mode_b));
    g_assert_true (g_variant_lookup (b, "fiscal-year", "&s", &year_b));
    g_assert_cmpstr (mode_b, ==, "full");
    g_assert_cmpstr (year_b, ==, FY);
  }

  wait_for_event (fixture, "finished:" FY ":succeeded");
  for (guint i = 0; i < fixture->events->len; i++)
    started += g_str_has_prefix (g_ptr_array_index (fixture->events, i), "started:");
  g_assert_cmpuint (started, ==, 1);

  g_assert_true (hs_ipc_engine1_call_list_runs_sync (fixture->proxy, 10, G_DBUS_CALL_FLAGS_NONE, -1,
                                                     &runs, NULL, &error));
  g_assert_cmpuint (g_variant_n_children (runs), ==, 2);
}

static void
test_catalogue (Fixture      *fixture,
                gconstpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) created = create_year (fixture, FY, "2025-07-01", "2026-06-30", &error);
  g_autoptr(GVariant) agents = NULL;
  g_autoptr(GVariant) summary = NULL;
  GVariantIter iter;
  const char *name, *member, *team;
  gint64 id;
  gboolean active, found = FALSE;

  g_assert_no_error (error);
  wait_for_event (fixture, "finished:" FY ":succeeded");

  g_ptr_array_set_size (fixture->events, 0);
  g_assert_true (hs_ipc_engine1_call_set_agent_mapping_sync (fixture->proxy, 3, "Zoë Quinn", "Service Desk",
                                                             G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error));
  g_assert_no_error (error);
  wait_for_event (fixture, "agents-changed");
  g_assert_true (hs_ipc_engine1_call_list_agents_sync (fixture->proxy, G_DBUS_CALL_FLAGS_NONE, -1,
                                                       &agents, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (agents), >=, 5);
  g_variant_iter_init (&iter, agents);
  while (g_variant_iter_next (&iter, "(x&s&s&sb)", &id, &name, &member, &team, &active))
    if (id == 3)
      {
        found = TRUE;
        g_assert_cmpstr (member, ==, "Zoë Quinn");
        g_assert_cmpstr (team, ==, "Service Desk");
        g_assert_true (active);
        g_assert_cmpstr (name, !=, "");
      }
  g_assert_true (found);

  /* The summary follows the mapping without another sync. */
  g_assert_true (hs_ipc_engine1_call_get_summary_sync (fixture->proxy, FY, G_DBUS_CALL_FLAGS_NONE, -1,
                                                       &summary, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_variant_n_children (summary), >, 0);
  found = FALSE;
  g_variant_iter_init (&iter, summary);
  {
    const char *month;
    double hours, billable;
    guint32 opened, closed;

    while (g_variant_iter_next (&iter, "(&s&s&sdduu)", &member, &team, &month, &hours, &billable, &opened, &closed))
      found |= g_str_equal (member, "Zoë Quinn") && hours > 0;
  }
  g_assert_true (found);

  /* Unmapping works; a year with synced rows cannot be deleted. */
  g_assert_true (hs_ipc_engine1_call_set_agent_mapping_sync (fixture->proxy, 3, "", "",
                                                             G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (hs_ipc_engine1_call_delete_fiscal_year_sync (fixture->proxy, FY, G_DBUS_CALL_FLAGS_NONE, -1,
                                                               NULL, &error));
  assert_dbus_error (error, "org.example.HaloSync.Error.Conflict");
  g_clear_error (&error);

  g_assert_true (hs_ipc_engine1_call_test_halo_sync (fixture->proxy, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (hs_ipc_engine1_call_test_database_sync (fixture->proxy, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error));
  g_assert_no_error (error);
}

static void
test_invalid_arguments (Fixture      *fixture,
                        gconstpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) run = NULL;
  g_autofree char *huge = g_strnfill (5000, 'x');
  g_autoptr(GVariant) bad_option = NULL;
  g_autoptr(GVariant) bad_trigger = NULL;
  GVariantBuilder builder;
  struct
  {
    const char *label, *start, *end, *error;
  } years[] = {
    { "FY", "2026-07-01", "2026-06-30", "InvalidArgument" },   /* ends before it starts */
    { "FY", "2025-13-01", "2026-06-30", "InvalidArgument" },   /* not a date */
    { "FY", "01/07/2025", "2026-06-30", "InvalidArgument" },   /* not YYYY-MM-DD */
    { "", "2025-07-01", "2026-06-30", "InvalidArgument" },     /* empty label */
    { huge, "2025-07-01", "2026-06-30", "InvalidArgument" },   /* huge label */
    { "FY", huge, "2026-06-30", "InvalidArgument" },           /* huge date */
  };

  for (guint i = 0; i < G_N_ELEMENTS (years); i++)
    {
      g_autofree char *name = g_strconcat ("org.example.HaloSync.Error.", years[i].error, NULL);

      run = create_year (fixture, years[i].label, years[i].start, years[i].end, &error);
      g_assert_null (run);
      assert_dbus_error (error, name);
      g_clear_error (&error);
    }

  /* Duplicate labels and overlaps are refused by name, too. */
  run = create_year (fixture, "FY2025", "2024-07-01", "2025-06-30", &error);
  g_assert_no_error (error);
  g_clear_pointer (&run, g_variant_unref);
  run = create_year (fixture, "FY2025", "2030-07-01", "2031-06-30", &error);
  assert_dbus_error (error, "org.example.HaloSync.Error.Exists");
  g_clear_error (&error);
  run = create_year (fixture, "Overlap", "2025-06-01", "2026-05-31", &error);
  assert_dbus_error (error, "org.example.HaloSync.Error.Conflict");
  g_clear_error (&error);

  g_assert_false (hs_ipc_engine1_call_sync_sync (fixture->proxy, "FY1999", g_variant_new ("a{sv}", NULL),
                                                 G_DBUS_CALL_FLAGS_NONE, -1, &run, NULL, &error));
  assert_dbus_error (error, "org.example.HaloSync.Error.NotFound");
  g_clear_error (&error);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "fast", g_variant_new_boolean (TRUE));
  bad_option = g_variant_ref_sink (g_variant_builder_end (&builder));
  g_assert_false (hs_ipc_engine1_call_sync_sync (fixture->proxy, "", bad_option, G_DBUS_CALL_FLAGS_NONE, -1,
                                                 &run, NULL, &error));
  assert_dbus_error (error, "org.example.HaloSync.Error.InvalidArgument");
  g_clear_error (&error);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "trigger", g_variant_new_string ("hourly"));
  bad_trigger = g_variant_ref_sink (g_variant_builder_end (&builder));
  g_assert_false (hs_ipc_engine1_call_sync_sync (fixture->proxy, "", bad_trigger, G_DBUS_CALL_FLAGS_NONE, -1,
                                                 &run, NULL, &error));
  assert_dbus_error (error, "org.example.HaloSync.Error.InvalidArgument");
  g_clear_error (&error);

  g_assert_false (hs_ipc_engine1_call_sync_sync (fixture->proxy, huge, g_variant_new ("a{sv}", NULL),
                                                 G_DBUS_CALL_FLAGS_NONE, -1, &run, NULL, &error));
  assert_dbus_error (error, "org.example.HaloSync.Error.InvalidArgument");
  g_clear_error (&error);

  g_assert_false (hs_ipc_engine1_call_list_runs_sync (fixture->proxy, 0, G_DBUS_CALL_FLAGS_NONE, -1,
                                                      &run, NULL, &error));
  assert_dbus_error (error, "org.example.HaloSync.Error.InvalidArgument");
  g_clear_error (&error);
  g_assert_false (hs_ipc_engine1_call_list_runs_sync (fixture->proxy, 100000, G_DBUS_CALL_FLAGS_NONE, -1,
                                                      &run, NULL, &error));
  assert_dbus_error (error, "org.example.HaloSync.Error.InvalidArgument");
  g_clear_error (&error);

  g_assert_false (hs_ipc_engine1_call_set_agent_mapping_sync (fixture->proxy, 0, "Somebody", "",
                                                              G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error));
  assert_dbus_error (error, "org.example.HaloSync.Error.InvalidArgument");
  g_clear_error (&error);
  g_assert_false (hs_ipc_engine1_call_set_agent_mapping_sync (fixture->proxy, 4, "", "A team without a member",
                                                              G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error));
  assert_dbus_error (error, "org.example.HaloSync.Error.InvalidArgument");
  g_clear_error (&error);
  g_assert_false (hs_ipc_engine1_call_set_agent_mapping_sync (fixture->proxy, 4, huge, "",
                                                              G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error));
  assert_dbus_error (error, "org.example.HaloSync.Error.InvalidArgument");
  g_clear_error (&error);

  g_assert_false (hs_ipc_engine1_call_cancel_sync (fixture->proxy, "FY1999", G_DBUS_CALL_FLAGS_NONE, -1,
                                                   NULL, &error));
  assert_dbus_error (error, "org.example.HaloSync.Error.NotFound");
  g_clear_error (&error);
  g_assert_false (hs_ipc_engine1_call_delete_fiscal_year_sync (fixture->proxy, "FY1999", G_DBUS_CALL_FLAGS_NONE, -1,
                                                               NULL, &error));
  assert_dbus_error (error, "org.example.HaloSync.Error.NotFound");
  g_clear_error (&error);

  /* The service is still there and answers. */
  g_assert_true (hs_ipc_engine1_call_test_database_sync (fixture->proxy, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error));
  g_assert_no_error (error);
}

static void
test_cancel (Fixture      *fixture,
             gconstpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) run = NULL;
  g_autoptr(JsonNode) faults = NULL;

  /* Every Halo answer takes a while: long enough to cancel in the middle. */
  faults = hs_test_sim_control (fixture->sim, "POST", "/_sim/faults",
                                "{\"faults\": [{\"kind\": \"latency\", \"ms\": 200, \"count\": 0}]}", &error);
  g_assert_no_error (error);

  run = create_year (fixture, FY, "2025-07-01", "2026-06-30", &error);
  g_assert_no_error (error);
  wait_for_event (fixture, "progress");
  g_assert_true (hs_ipc_engine1_call_cancel_sync (fixture->proxy, FY, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error));
  g_assert_no_error (error);
  wait_for_event (fixture, "finished:" FY ":cancelled");

  /* The year stays, though its first sync was cancelled. */
  {
    g_autoptr(GVariant) years = NULL;

    g_assert_true (hs_ipc_engine1_call_list_fiscal_years_sync (fixture->proxy, G_DBUS_CALL_FLAGS_NONE, -1,
                                                               &years, NULL, &error));
    g_assert_cmpuint (g_variant_n_children (years), ==, 1);
  }
}

static void
wait_for_notifications (Fixture *fixture,
                        guint    n)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (fixture->notifications->len < n && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (fixture->notifications->len, ==, n);
}

static const char *
notification_text (Fixture    *fixture,
                   guint       index,
                   const char *key)
{
  g_autoptr(GVariant) notification = NULL;
  const char *text = NULL;

  g_variant_get_child (g_ptr_array_index (fixture->notifications, index), 2, "@a{sv}", &notification);
  g_assert_true (g_variant_lookup (notification, key, "&s", &text));
  return text;
}

/* The @index-th notification says that @fy failed, under an app id with
 * a desktop file GNOME Shell accepts; a click opens the failed run (the
 * last one, @last) in the app, and its button retries the year. */
static void
assert_failure_notification (Fixture    *fixture,
                             guint       index,
                             const char *fy,
                             GVariant   *last)
{
  GVariant *sent = g_ptr_array_index (fixture->notifications, index);
  g_autoptr(GVariant) notification = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autoptr(GVariant) buttons = NULL;
  g_autoptr(GVariant) button = NULL;
  g_autoptr(GVariant) button_target = NULL;
  g_autoptr(GKeyFile) desktop = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *desktop_path = NULL;
  g_autofree char *desktop_name = NULL;
  g_autofree char *expected_id = g_strconcat ("sync-failed-", fy, NULL);
  const char *app_id, *id, *action = NULL, *label = NULL;
  gint64 run_id = 0;

  g_variant_get (sent, "(&s&s@a{sv})", &app_id, &id, &notification);
  g_assert_cmpstr (app_id, ==, BUS_NAME);
  g_assert_cmpstr (id, ==, expected_id);
  desktop_name = g_strconcat (app_id, ".desktop", NULL);
  desktop_path = g_build_filename (g_getenv ("HS_TEST_DATA_BUILD_DIR"), desktop_name, NULL);
  g_key_file_load_from_file (desktop, desktop_path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  g_assert_true (g_key_file_get_boolean (desktop, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_NO_DISPLAY, NULL));
  g_assert_true (g_key_file_get_boolean (desktop, G_KEY_FILE_DESKTOP_GROUP, "DBusActivatable", NULL));

  g_assert_nonnull (strstr (notification_text (fixture, index, "title"), fy));
  g_assert_cmpstr (notification_text (fixture, index, "default-action"), ==, "app.show-run");
  target = g_variant_lookup_value (notification, "default-action-target", G_VARIANT_TYPE_INT64);
  g_assert_nonnull (target);
  g_assert_true (g_variant_lookup (last, "id", "x", &run_id));
  g_assert_cmpint (run_id, >, 0);
  g_assert_cmpint (g_variant_get_int64 (target), ==, run_id);

  buttons = g_variant_lookup_value (notification, "buttons", G_VARIANT_TYPE ("aa{sv}"));
  g_assert_nonnull (buttons);
  g_assert_cmpuint (g_variant_n_children (buttons), ==, 1);
  button = g_variant_get_child_value (buttons, 0);
  g_assert_true (g_variant_lookup (button, "label", "&s", &label));
  g_assert_cmpstr (label, ==, "Retry");
  g_assert_true (g_variant_lookup (button, "action", "&s", &action));
  g_assert_cmpstr (action, ==, "app.retry");
  button_target = g_variant_lookup_value (button, "target", G_VARIANT_TYPE_STRING);
  g_assert_nonnull (button_target);
  g_assert_cmpstr (g_variant_get_string (button_target, NULL), ==, fy);
}

/* What GNOME Shell does with a notification's button: ActivateAction on
 * the app's own bus name and path. */
static void
activate_daemon_action (Fixture    *fixture,
                        const char *action,
                        GVariant   *target)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GVariantBuilder parameters;

  g_variant_builder_init (&parameters, G_VARIANT_TYPE ("av"));
  g_variant_builder_add (&parameters, "v", target);
  reply = g_dbus_connection_call_sync (fixture->connection, BUS_NAME, "/org/example/HaloSync/Daemon",
                                       "org.freedesktop.Application", "ActivateAction",
                                       g_variant_new ("(sav@a{sv})", action, &parameters,
                                                      g_variant_new_array (G_VARIANT_TYPE ("{sv}"), NULL, 0)),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
}

static guint
count_events (Fixture    *fixture,
              const char *event)
{
  guint n = 0;

  for (guint i = 0; i < fixture->events->len; i++)
    n += g_str_equal (g_ptr_array_index (fixture->events, i), event);
  return n;
}

static void
wait_for_events (Fixture    *fixture,
                 const char *event,
                 guint       n)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (count_events (fixture, event) < n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static const char *
last_trigger (Fixture *fixture)
{
  GVariant *last = hs_ipc_engine1_get_last_run (fixture->proxy);
  const char *trigger = NULL;

  g_assert_nonnull (last);
  g_variant_lookup (last, "trigger", "&s", &trigger);
  return trigger;
}

/* Once a call has been answered, everything the service sent before the
 * answer has arrived: the bus keeps one sender's messages in order. */
static void
round_trip (Fixture *fixture)
{
  g_autoptr(GVariant) years = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (hs_ipc_engine1_call_list_fiscal_years_sync (fixture->proxy, G_DBUS_CALL_FLAGS_NONE, -1, &years,
                                                             NULL, &error));
  g_assert_no_error (error);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* A second client of the test bus, as the desktop app is. */
static GDBusConnection *
new_bus_connection (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *connection;

  connection = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (fixture->bus),
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                         G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  return connection;
}

/* An unattended run that fails is worth a notification; the year created
 * stays; and nothing the service says holds the secret. */
static void
test_wrong_credentials (Fixture      *fixture,
                        gconstpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) run = NULL;
  g_autoptr(GVariant) last = NULL;
  const char *message = NULL;

  g_assert_false (hs_ipc_engine1_call_test_halo_sync (fixture->proxy, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error));
  assert_dbus_error (error, "org.example.HaloSync.Error.Auth");
  g_assert_nonnull (strstr (error->message, "client id or secret"));
  g_assert_null (strstr (error->message, "wrong-secret"));
  g_clear_error (&error);

  run = create_year (fixture, FY, "2025-07-01", "2026-06-30", &error);
  g_assert_no_error (error);
  wait_for_event (fixture, "finished:" FY ":failed");

  last = hs_ipc_engine1_dup_last_run (fixture->proxy);
  g_assert_true (g_variant_lookup (last, "error", "&s", &message));
  g_assert_nonnull (strstr (message, "client id or secret"));
  g_assert_null (strstr (message, "wrong-secret"));

  wait_for_notifications (fixture, 1);
  assert_failure_notification (fixture, 0, FY, last);
  g_assert_nonnull (strstr (notification_text (fixture, 0, "body"), "client id or secret"));
  g_assert_null (strstr (notification_text (fixture, 0, "body"), "wrong-secret"));

  /* A click opens that run in the desktop app. */
  {
    g_autofree char *expected = NULL;
    gint64 failed_id = 0;
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    g_assert_true (g_variant_lookup (last, "id", "x", &failed_id));
    expected = g_strdup_printf ("show-run:%" G_GINT64_FORMAT, failed_id);
    activate_daemon_action (fixture, "show-run", g_variant_new_int64 (failed_id));
    while (fixture->app_actions->len == 0 && g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpuint (fixture->app_actions->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (fixture->app_actions, 0), ==, expected);
  }

  /* Retry syncs the year again, as a person's run: it fails as before, and
   * tells the person who asked rather than notifying. */
  activate_daemon_action (fixture, "retry", g_variant_new_string (FY));
  wait_for_events (fixture, "finished:" FY ":failed", 2);
  g_assert_cmpstr (last_trigger (fixture), ==, "manual");
  round_trip (fixture);
  g_assert_cmpuint (fixture->notifications->len, ==, 1);

  /* While the app's window is in front, it tells, and the service keeps
   * quiet; once the app is gone, the service notifies again. */
  {
    g_autoptr(GDBusConnection) app = new_bus_connection (fixture);
    g_autoptr(GVariant) reply = NULL;

    reply = g_dbus_connection_call_sync (app, BUS_NAME, OBJECT_PATH, "org.example.HaloSync.Engine1",
                                         "SetWindowActive", g_variant_new ("(b)", TRUE), NULL,
                                         G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
    g_assert_no_error (error);
    g_clear_pointer (&run, g_variant_unref);
    run = create_year (fixture, "FY2027", "2026-07-01", "2027-06-30", &error);
    g_assert_no_error (error);
    wait_for_event (fixture, "finished:FY2027:failed");
    round_trip (fixture);
    g_assert_cmpuint (fixture->notifications->len, ==, 1);
    g_dbus_connection_close_sync (app, NULL, &error);
    g_assert_no_error (error);
  }
  round_trip (fixture);
  g_clear_pointer (&run, g_variant_unref);
  run = create_year (fixture, "FY2028", "2027-07-01", "2028-06-30", &error);
  g_assert_no_error (error);
  wait_for_event (fixture, "finished:FY2028:failed");
  wait_for_notifications (fixture, 2);
  g_clear_pointer (&last, g_variant_unref);
  last = hs_ipc_engine1_dup_last_run (fixture->proxy);
  assert_failure_notification (fixture, 1, "FY2028", last);
}

static gint64
last_run_id (Fixture *fixture)
{
  GVariant *last = hs_ipc_engine1_get_last_run (fixture->proxy);
  gint64 id = 0;

  if (last != NULL)
    g_variant_lookup (last, "id", "x", &id);
  return id;
}

static gboolean
heartbeat_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
stop_activated_daemon (Fixture *fixture)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  guint32 pid;

  reply = g_dbus_connection_call_sync (fixture->connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                       g_variant_new ("(s)", BUS_NAME), G_VARIANT_TYPE ("(u)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &pid);
  g_assert_cmpint (kill ((pid_t) pid, SIGTERM), ==, 0);

  for (;;)
    {
      g_autofree char *owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (fixture->proxy));

      if (owner == NULL)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **line = user_data;
  g_autoptr(GError) error = NULL;

  *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object), result, NULL, &error);
  g_assert_no_error (error);
  if (*line == NULL)
    *line = g_strdup ("");  /* the end of the stream */
  g_main_context_wakeup (NULL);
}

/* Reads @stream until a line holds every one of @needles. */
static void
wait_for_log_line (GDataInputStream *stream,
                   const char * const *needles)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *line = NULL;
      gboolean all = TRUE;

      g_data_input_stream_read_line_async (stream, G_PRIORITY_DEFAULT, NULL, read_line_cb, &line);
      while (line == NULL)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_main_context_iteration (NULL, TRUE);
        }
      g_assert_cmpstr (line, !=, "");
      g_test_message ("halosyncd: %s", line);
      for (guint i = 0; needles[i] != NULL; i++)
        all = all && strstr (line, needles[i]) != NULL;
      if (all)
        return;
    }
}

/* A service that starts again (every login does) reports the sync
 * before its start as the last one, read from the ledger; and the end of
 * each run is a line in its log. */
static void
test_restart_keeps_last_run (Fixture      *fixture,
                             gconstpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) created = create_year (fixture, FY, "2025-07-01", "2026-06-30", &error);
  g_autoptr(GVariant) next = NULL;
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GDataInputStream) log = NULL;
  g_autofree char *next_id = NULL;
  gint64 id, deadline;
  const char *status = NULL;
  /* Wakes the waits below, so a property that never comes fails the
   * test at its deadline instead of blocking it. */
  guint heartbeat = g_timeout_add (250, heartbeat_cb, NULL);

  g_assert_no_error (error);
  wait_for_event (fixture, "finished:" FY ":succeeded");
  id = last_run_id (fixture);
  g_assert_cmpint (id, >, 0);

  stop_activated_daemon (fixture);
  daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                             g_getenv ("HS_HALOSYNCD"), NULL);
  g_assert_no_error (error);
  log = g_data_input_stream_new (g_subprocess_get_stderr_pipe (daemon));

  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (last_run_id (fixture) != id)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_true (g_variant_lookup (hs_ipc_engine1_get_last_run (fixture->proxy), "status", "&s", &status));
  g_assert_cmpstr (status, ==, "succeeded");

  g_ptr_array_set_size (fixture->events, 0);
  g_assert_true (hs_ipc_engine1_call_sync_sync (fixture->proxy, FY, g_variant_new ("a{sv}", NULL),
                                                G_DBUS_CALL_FLAGS_NONE, -1, &next, NULL, &error));
  g_assert_no_error (error);
  wait_for_event (fixture, "finished:" FY ":succeeded");
  g_assert_cmpint (last_run_id (fixture), >, id);
  next_id = g_strdup_printf ("Run %" G_GINT64_FORMAT " ", last_run_id (fixture));
  wait_for_log_line (log, (const char * const[]) { next_id, FY, "succeeded", NULL });

  g_subprocess_send_signal (daemon, SIGTERM);
  g_assert_true (g_subprocess_wait_check (daemon, NULL, &error));
  g_assert_no_error (error);
  g_source_remove (heartbeat);
}

/* A service stopped the moment it appears on the bus is still opening
 * its database on another thread; it must let that end and exit cleanly
 * rather than abort in its libraries' destructors. */
static void
test_stop_while_starting (Fixture      *fixture,
                          gconstpointer user_data)
{
  stop_activated_daemon (fixture);
  for (guint attempt = 0; attempt < 5; attempt++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) daemon = NULL;
      gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

      daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, g_getenv ("HS_HALOSYNCD"), NULL);
      g_assert_no_error (error);
      for (;;)
        {
          g_autofree char *owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (fixture->proxy));

          if (owner != NULL)
            break;
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_main_context_iteration (NULL, TRUE);
        }

      g_subprocess_send_signal (daemon, SIGTERM);
      g_assert_true (g_subprocess_wait_check (daemon, NULL, &error));
      g_assert_no_error (error);

      for (;;)
        {
          g_autofree char *owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (fixture->proxy));

          if (owner == NULL)
            break;
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_main_context_iteration (NULL, TRUE);
        }
    }
}

static void
test_next_run (Fixture      *fixture,
               gconstpointer user_data)
{
  gint64 next = hs_ipc_engine1_get_next_run (fixture->proxy);
  g_autoptr(GDateTime) when = NULL;
  gint64 now = g_get_real_time ();

  /* On by default: within the next hour, at minute 0. */
  g_assert_cmpint (next, >, now);
  g_assert_cmpint (next, <=, now + (gint64) 3600 * G_USEC_PER_SEC);
  when = g_date_time_new_from_unix_local (next / G_USEC_PER_SEC);
  g_assert_cmpint (g_date_time_get_minute (when), ==, 0);
  g_assert_cmpint (g_date_time_get_second (when), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  hs_test_init (&argc, &argv);

#define ADD(path, data, func) \
  g_test_add ("/daemon/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("create-year-syncs", NULL, test_create_year_syncs);
  ADD ("sync-single-flight", NULL, test_sync_single_flight);
  ADD ("catalogue", NULL, test_catalogue);
  ADD ("invalid-arguments", NULL, test_invalid_arguments);
  ADD ("cancel", NULL, test_cancel);
  ADD ("wrong-credentials", "wrong-secret", test_wrong_credentials);
  ADD ("next-run", NULL, test_next_run);
  ADD ("restart-keeps-last-run", NULL, test_restart_keeps_last_run);
  ADD ("stop-while-starting", NULL, test_stop_while_starting);

#undef ADD

  return g_test_run ();
}
