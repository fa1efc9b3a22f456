/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include <halosync.h>

#include "hs-cli-connection.h"
#include "hs-engine-service.h"

/**
 * HsCliConnection:
 *
 * How halosyncctl reaches an engine: through the HaloSync service on the
 * session bus (activating it), or, with --local, through an engine in this
 * process.  The local engine is served by the same #HsEngineService as the
 * daemon, over a private peer-to-peer D-Bus connection, so every command
 * behaves the same in both modes.
 */
struct _HsCliConnection
{
  GObject parent_instance;

  HsIpcEngine1 *proxy;          /* (owned) */
  GDBusConnection *server;      /* (owned) (nullable): local mode */
  HsEngineService *service;           /* (owned) (nullable): local mode */
};

G_DEFINE_FINAL_TYPE (HsCliConnection, hs_cli_connection, G_TYPE_OBJECT)

static void
hs_cli_connection_dispose (GObject *object)
{
  HsCliConnection *self = HS_CLI_CONNECTION (object);

  g_clear_object (&self->proxy);
  if (self->service != NULL)
    g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->service));
  g_clear_object (&self->service);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (hs_cli_connection_parent_class)->dispose (object);
}

static void
hs_cli_connection_class_init (HsCliConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hs_cli_connection_dispose;
}

static void
hs_cli_connection_init (HsCliConnection *self)
{
}

void
hs_cli_store_result_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
  g_main_context_wakeup (NULL);
}

/* Waits for an async call by running the main loop, which also serves the
 * in-process engine in local mode (a synchronous call would block it). */
void
hs_cli_wait (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

HsCliConnection *
hs_cli_connection_new_for_service (GError **error)
{
  g_autoptr(HsCliConnection) self = g_object_new (HS_TYPE_CLI_CONNECTION, NULL);

  self->proxy = hs_ipc_engine1_proxy_new_for_bus_sync (G_BUS_TYPE_SESSION,
                                                       G_DBUS_PROXY_FLAGS_NONE,
                                                       HS_SERVICE_BUS_NAME,
                                                       HS_SERVICE_OBJECT_PATH,
                                                       NULL, error);
  if (self->proxy == NULL)
    return NULL;

  /* Creating a fiscal year may wait for a running sync to end. */
  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (self->proxy), G_MAXINT);
  return g_steal_pointer (&self);
}

static GIOStream *
stream_for_fd (int      fd,
               GError **error)
{
  g_autoptr(GSocket) socket = g_socket_new_from_fd (fd, error);

  if (socket == NULL)
    return NULL;
  return G_IO_STREAM (g_socket_connection_factory_create_connection (socket));
}

HsCliConnection *
hs_cli_connection_new_local (GError **error)
{
  g_autoptr(HsCliConnection) self = g_object_new (HS_TYPE_CLI_CONNECTION, NULL);
  g_autoptr(HsEngine) engine = NULL;
  g_autoptr(GIOStream) server_stream = NULL;
  g_autoptr(GIOStream) client_stream = NULL;
  g_autoptr(GAsyncResult) server_result = NULL;
  g_autoptr(GAsyncResult) client_result = NULL;
  g_autoptr(GAsyncResult) proxy_result = NULL;
  g_autoptr(GDBusConnection) client = NULL;
  g_autofree char *guid = g_dbus_generate_guid ();
  int fds[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create an in-process connection: %s"), g_strerror (saved_errno));
      return NULL;
    }

  server_stream = stream_for_fd (fds[0], error);
  if (server_stream == NULL)
    {
      close (fds[1]);
      return NULL;
    }
  client_stream = stream_for_fd (fds[1], error);
  if (client_stream == NULL)
    return NULL;

  /* Both ends authenticate against each other, so neither can be set up
   * synchronously before the other exists. */
  g_dbus_connection_new (server_stream, guid, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_SERVER,
                         NULL, NULL, hs_cli_store_result_cb, &server_result);
  g_dbus_connection_new (client_stream, NULL, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
                         NULL, NULL, hs_cli_store_result_cb, &client_result);
  hs_cli_wait (&server_result);
  hs_cli_wait (&client_result);

  self->server = g_dbus_connection_new_finish (server_result, error);
  if (self->server == NULL)
    return NULL;
  client = g_dbus_connection_new_finish (client_result, error);
  if (client == NULL)
    return NULL;

  engine = hs_engine_new (NULL);
  hs_engine_load_plugins (engine);
  self->service = hs_engine_service_new (engine);
  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->service), self->server,
                                         HS_SERVICE_OBJECT_PATH, error))
    return NULL;

  hs_ipc_engine1_proxy_new (client, G_DBUS_PROXY_FLAGS_NONE, NULL, HS_SERVICE_OBJECT_PATH,
                            NULL, hs_cli_store_result_cb, &proxy_result);
  hs_cli_wait (&proxy_result);
  self->proxy = hs_ipc_engine1_proxy_new_finish (proxy_result, error);
  if (self->proxy == NULL)
    return NULL;

  g_dbus_proxy_set_default_timeout (G_DBUS_PROXY (self->proxy), G_MAXINT);
  return g_steal_pointer (&self);
}

HsIpcEngine1 *
hs_cli_connection_get_proxy (HsCliConnection *self)
{
  g_return_val_if_fail (HS_IS_CLI_CONNECTION (self), NULL);

  return self->proxy;
}

gboolean
hs_cli_connection_is_local (HsCliConnection *self)
{
  g_return_val_if_fail (HS_IS_CLI_CONNECTION (self), FALSE);

  return self->service != NULL;
}
