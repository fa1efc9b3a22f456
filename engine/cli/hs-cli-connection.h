/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>

#include "hs-ipc-engine1.h"

G_BEGIN_DECLS

#define HS_SERVICE_BUS_NAME "org.example.HaloSync.Daemon"
#define HS_SERVICE_OBJECT_PATH "/org/example/HaloSync/Engine"

#define HS_TYPE_CLI_CONNECTION (hs_cli_connection_get_type ())

G_DECLARE_FINAL_TYPE (HsCliConnection, hs_cli_connection, HS, CLI_CONNECTION, GObject)

HsCliConnection *hs_cli_connection_new_for_service (GError          **error);
HsCliConnection *hs_cli_connection_new_local       (GError          **error);
HsIpcEngine1    *hs_cli_connection_get_proxy       (HsCliConnection  *self);
gboolean         hs_cli_connection_is_local        (HsCliConnection  *self);

void             hs_cli_wait                       (GAsyncResult    **result);
void             hs_cli_store_result_cb            (GObject          *object,
                                                    GAsyncResult     *result,
                                                    gpointer          user_data);

G_END_DECLS
