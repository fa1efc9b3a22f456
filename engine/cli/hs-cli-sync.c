/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-cli.h"
#include "hs-cli-output.h"
#include "hs-cli-run.h"
#include "hs-cli-run-wait.h"

HsCliExit
hs_cli_cmd_sync (HsCliContext *context,
                 int           argc,
                 char        **argv)
{
  g_autofree char *fiscal_year = NULL;
  gboolean full = FALSE, dry_run = FALSE, allow_mass_delete = FALSE;
  GOptionEntry entries[] = {
    { "fy", 0, 0, G_OPTION_ARG_STRING, &fiscal_year, N_("The fiscal year to sync (default: the latest)"), N_("LABEL") },
    { "full", 0, 0, G_OPTION_ARG_NONE, &full, N_("Read the whole year and detect deletions"), NULL },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Roll back and report what would change"), NULL },
    { "allow-mass-delete", 0, 0, G_OPTION_ARG_NONE, &allow_mass_delete, N_("Let a full sync mark more than the configured share of rows deleted"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) run = NULL;
  g_autoptr(GVariant) finished = NULL;
  g_autoptr(HsCliRunWait) wait = NULL;
  g_auto(GVariantDict) options = G_VARIANT_DICT_INIT (NULL);
  HsIpcEngine1 *proxy;
  HsCliExit code;

  if (!hs_cli_parse_options (context, "sync [--fy LABEL] [--full] [--dry-run] [--allow-mass-delete]",
                             entries, &argc, &argv, 0, 0, &code))
    return code;

  proxy = hs_cli_get_proxy (context, &error);
  if (proxy == NULL)
    return hs_cli_report_connection_error (context, error);

  g_variant_dict_insert (&options, "full", "b", full);
  g_variant_dict_insert (&options, "dry-run", "b", dry_run);
  g_variant_dict_insert (&options, "allow-mass-delete", "b", allow_mass_delete);
  g_variant_dict_insert (&options, "trigger", "s", "cli");

  wait = hs_cli_run_wait_new (context, proxy);
  hs_ipc_engine1_call_sync (proxy, fiscal_year != NULL ? fiscal_year : "",
                            g_variant_dict_end (&options), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                            hs_cli_store_result_cb, &result);
  hs_cli_wait (&result);
  if (!hs_ipc_engine1_call_sync_finish (proxy, &run, result, &error))
    return hs_cli_report_error (context, error);

  finished = hs_cli_run_wait_finish (wait, run);
  if (context->json)
    {
      g_autoptr(JsonNode) node = hs_cli_run_to_json (finished);
      hs_cli_print_json (node);
    }
  else
    hs_cli_print_run (finished);
  return hs_cli_run_exit_code (finished);
}
