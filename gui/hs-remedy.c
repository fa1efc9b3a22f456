/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <gio/gio.h>

#include "hs-remedy.h"

static HsRemedy
remedy_for_code (HsError code)
{
  switch (code)
    {
    case HS_ERROR_AUTH:
    case HS_ERROR_NOT_CONFIGURED:
    case HS_ERROR_PLUGIN:
      return HS_REMEDY_PREFERENCES;
    case HS_ERROR_NOT_FOUND:
      return HS_REMEDY_NEW_FISCAL_YEAR;
    /* The ledger keeps only a message for runs from before the service
     * started, so a plain failure may be any of these: trying again is
     * the one thing that always applies. */
    case HS_ERROR_FAILED:
    case HS_ERROR_NETWORK:
    case HS_ERROR_PROTOCOL:
    case HS_ERROR_RATE_LIMITED:
    case HS_ERROR_DATABASE:
    case HS_ERROR_BUSY:
      return HS_REMEDY_RETRY;
    case HS_ERROR_INVALID_ARGUMENT:
    case HS_ERROR_EXISTS:
    case HS_ERROR_CONFLICT:
    case HS_ERROR_NOT_SUPPORTED:
    case HS_ERROR_REFUSED:
    case HS_ERROR_CANCELLED:
    default:
      return HS_REMEDY_NONE;
    }
}

/**
 * hs_remedy_for_error:
 * @error: an error from a call to the service
 *
 * Returns: what fixes it; a service that is gone or could not start is
 *   started again
 */
HsRemedy
hs_remedy_for_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, HS_REMEDY_NONE);

  if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_CHILD_EXITED) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_EXEC_FAILED) ||
      g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CLOSED))
    return HS_REMEDY_START_SERVICE;
  if (error->domain == HS_ERROR)
    return remedy_for_code (error->code);
  return HS_REMEDY_NONE;
}

/**
 * hs_remedy_for_run:
 * @run: a run that failed
 *
 * Returns: what fixes the run's failure
 */
HsRemedy
hs_remedy_for_run (HsRun *run)
{
  g_return_val_if_fail (HS_IS_RUN (run), HS_REMEDY_NONE);

  if (hs_run_get_status (run) != HS_RUN_FAILED)
    return HS_REMEDY_NONE;
  return remedy_for_code (hs_run_get_error_code (run));
}

/**
 * hs_remedy_dup_run_error:
 * @run: a run that failed
 *
 * The service words its errors for every client, the command line too,
 * and may name settings by their command-line keys; where the app has a
 * button instead, it says so in its own words.
 *
 * Returns: (transfer full): why @run failed, for the app to show
 */
char *
hs_remedy_dup_run_error (HsRun *run)
{
  const char *message;

  g_return_val_if_fail (HS_IS_RUN (run), NULL);

  message = hs_run_get_error_message (run);
  if (hs_run_get_error_code (run) == HS_ERROR_NOT_CONFIGURED)
    return g_strdup (_ ("Halo is not fully set up. Enter its address, client ID and secret in Preferences."));
  if (hs_run_get_error_code (run) == HS_ERROR_REFUSED)
    return g_strdup (_ ("HaloSync refused the sync because it would have deleted most of the synced rows; nothing was changed."));
  if (message == NULL || message[0] == '\0')
    return g_strdup (_ ("The sync failed without saying why."));
  return g_strdup (message);
}

/**
 * hs_remedy_get_label:
 * @remedy: a remedy
 *
 * Returns: (nullable): the label of the button that applies it
 */
const char *
hs_remedy_get_label (HsRemedy remedy)
{
  switch (remedy)
    {
    case HS_REMEDY_PREFERENCES:
      return _ ("_Preferences");
    case HS_REMEDY_RETRY:
      return _ ("_Retry");
    case HS_REMEDY_NEW_FISCAL_YEAR:
      return _ ("_New Fiscal Year…");
    case HS_REMEDY_START_SERVICE:
      return _ ("_Start Service");
    case HS_REMEDY_NONE:
    default:
      return NULL;
    }
}

/**
 * hs_remedy_get_action:
 * @remedy: a remedy
 *
 * Returns: (nullable): the detailed action that applies it
 */
const char *
hs_remedy_get_action (HsRemedy remedy)
{
  switch (remedy)
    {
    case HS_REMEDY_PREFERENCES:
      return "app.preferences";
    case HS_REMEDY_RETRY:
      return "app.sync";
    case HS_REMEDY_NEW_FISCAL_YEAR:
      return "app.new-fiscal-year";
    case HS_REMEDY_START_SERVICE:
      return "win.reconnect";
    case HS_REMEDY_NONE:
    default:
      return NULL;
    }
}
