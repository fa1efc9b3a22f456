/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <gio/gio.h>

#include "hs-error.h"

static const GDBusErrorEntry hs_error_entries[] = {
  { HS_ERROR_FAILED, "org.example.HaloSync.Error.Failed" },
  { HS_ERROR_INVALID_ARGUMENT, "org.example.HaloSync.Error.InvalidArgument" },
  { HS_ERROR_NOT_FOUND, "org.example.HaloSync.Error.NotFound" },
  { HS_ERROR_EXISTS, "org.example.HaloSync.Error.Exists" },
  { HS_ERROR_CONFLICT, "org.example.HaloSync.Error.Conflict" },
  { HS_ERROR_BUSY, "org.example.HaloSync.Error.Busy" },
  { HS_ERROR_NOT_CONFIGURED, "org.example.HaloSync.Error.NotConfigured" },
  { HS_ERROR_AUTH, "org.example.HaloSync.Error.Auth" },
  { HS_ERROR_NETWORK, "org.example.HaloSync.Error.Network" },
  { HS_ERROR_PROTOCOL, "org.example.HaloSync.Error.Protocol" },
  { HS_ERROR_RATE_LIMITED, "org.example.HaloSync.Error.RateLimited" },
  { HS_ERROR_DATABASE, "org.example.HaloSync.Error.Database" },
  { HS_ERROR_PLUGIN, "org.example.HaloSync.Error.Plugin" },
  { HS_ERROR_NOT_SUPPORTED, "org.example.HaloSync.Error.NotSupported" },
  { HS_ERROR_REFUSED, "org.example.HaloSync.Error.Refused" },
  { HS_ERROR_CANCELLED, "org.example.HaloSync.Error.Cancelled" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (hs_error_entries) == HS_ERROR_CANCELLED + 1);

/**
 * hs_error_quark:
 *
 * Returns: the error domain of HaloSync, registered with GDBus
 */
GQuark
hs_error_quark (void)
{
  static gsize quark = 0;

  g_dbus_error_register_error_domain ("hs-error-quark",
                                      &quark,
                                      hs_error_entries,
                                      G_N_ELEMENTS (hs_error_entries));
  return (GQuark) quark;
}
