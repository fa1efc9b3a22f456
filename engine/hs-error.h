/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HALOSYNC_INSIDE) && !defined(HALOSYNC_COMPILATION)
#error "Only <halosync.h> can be included directly."
#endif

#include <glib.h>

G_BEGIN_DECLS

/**
 * HS_ERROR:
 *
 * The error domain of every error HaloSync reports.  It is registered with
 * GDBus, so an error crosses the bus as `org.example.HaloSync.Error.<Code>`
 * and comes back with the same code.
 */
#define HS_ERROR (hs_error_quark ())

/**
 * HsError:
 * @HS_ERROR_FAILED: something failed; the message says what
 * @HS_ERROR_INVALID_ARGUMENT: an argument or input value is malformed
 * @HS_ERROR_NOT_FOUND: the named fiscal year, run, agent or plugin does not exist
 * @HS_ERROR_EXISTS: an object with that name already exists
 * @HS_ERROR_CONFLICT: the request contradicts stored data (an overlapping
 *   fiscal year, a fiscal year still in use)
 * @HS_ERROR_BUSY: the resource is in use by another run
 * @HS_ERROR_NOT_CONFIGURED: a required setting or secret is missing
 * @HS_ERROR_AUTH: the remote service rejected the credentials
 * @HS_ERROR_NETWORK: the remote service could not be reached
 * @HS_ERROR_PROTOCOL: the remote service answered with something unexpected
 * @HS_ERROR_RATE_LIMITED: the remote service kept refusing for rate limits
 * @HS_ERROR_DATABASE: the database refused or failed an operation
 * @HS_ERROR_PLUGIN: a plugin could not be loaded or used
 * @HS_ERROR_NOT_SUPPORTED: the plugin does not implement the operation
 * @HS_ERROR_REFUSED: a safety guard refused the operation (a mass delete)
 * @HS_ERROR_CANCELLED: the operation was cancelled; a client names a
 *   cancelled run's end with it (the engine itself reports
 *   %G_IO_ERROR_CANCELLED)
 *
 * Error codes in the %HS_ERROR domain.
 */
typedef enum
{
  HS_ERROR_FAILED,
  HS_ERROR_INVALID_ARGUMENT,
  HS_ERROR_NOT_FOUND,
  HS_ERROR_EXISTS,
  HS_ERROR_CONFLICT,
  HS_ERROR_BUSY,
  HS_ERROR_NOT_CONFIGURED,
  HS_ERROR_AUTH,
  HS_ERROR_NETWORK,
  HS_ERROR_PROTOCOL,
  HS_ERROR_RATE_LIMITED,
  HS_ERROR_DATABASE,
  HS_ERROR_PLUGIN,
  HS_ERROR_NOT_SUPPORTED,
  HS_ERROR_REFUSED,
  HS_ERROR_CANCELLED,
} HsError;

GQuark hs_error_quark (void);

G_END_DECLS
