/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "hs-cli.h"

G_BEGIN_DECLS

JsonNode *hs_cli_run_to_json  (GVariant *run);
char     *hs_cli_describe_run (GVariant *run);
void      hs_cli_print_run    (GVariant *run);
GError   *hs_cli_run_dup_error (GVariant *run);
HsCliExit hs_cli_run_exit_code (GVariant *run);

G_END_DECLS
