/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "hs-cli-connection.h"

G_BEGIN_DECLS

/* halosyncctl's exit codes; documented in its --help and the README. */
typedef enum
{
  HS_CLI_EXIT_OK = 0,
  HS_CLI_EXIT_FAILED = 1,       /* a sync or operation failed */
  HS_CLI_EXIT_USAGE = 2,        /* the command line is wrong */
  HS_CLI_EXIT_REFUSED = 3,      /* the input was refused: invalid, unknown, duplicate, busy */
  HS_CLI_EXIT_UNAVAILABLE = 4,  /* not configured, or the service cannot be reached */
  HS_CLI_EXIT_CANCELLED = 5,    /* the sync was cancelled */
} HsCliExit;

typedef struct
{
  gboolean local;
  gboolean json;
  gboolean interactive;         /* stderr is a terminal that can erase a line */
  HsCliConnection *connection;  /* (owned) (nullable): made on first use */
  GStrv shell_variables;        /* HALOSYNC_* set by whoever started us */
} HsCliContext;

/* A command of a group such as "fy": its name, its usage line after
 * "halosyncctl", a one-line summary (translatable) and how many words
 * its command line has after the group's name. */
typedef struct
{
  const char *name;
  const char *usage;
  const char *summary;
  int min_args;
  int max_args;
} HsCliSubcommand;

typedef HsCliExit (*HsCliCommand) (HsCliContext *context,
                                   int           argc,
                                   char        **argv);

HsCliExit hs_cli_cmd_sync    (HsCliContext *context, int argc, char **argv);
HsCliExit hs_cli_cmd_status  (HsCliContext *context, int argc, char **argv);
HsCliExit hs_cli_cmd_runs    (HsCliContext *context, int argc, char **argv);
HsCliExit hs_cli_cmd_fy      (HsCliContext *context, int argc, char **argv);
HsCliExit hs_cli_cmd_agents  (HsCliContext *context, int argc, char **argv);
HsCliExit hs_cli_cmd_summary (HsCliContext *context, int argc, char **argv);
HsCliExit hs_cli_cmd_plugins (HsCliContext *context, int argc, char **argv);
HsCliExit hs_cli_cmd_watch   (HsCliContext *context, int argc, char **argv);

HsIpcEngine1 *hs_cli_get_proxy               (HsCliContext  *context,
                                              GError       **error);
gboolean      hs_cli_parse_options           (HsCliContext  *context,
                                              const char    *usage,
                                              GOptionEntry  *entries,
                                              int           *argc,
                                              char        ***argv,
                                              int            min_args,
                                              int            max_args,
                                              HsCliExit     *exit_code);

int           hs_cli_find_subcommand         (HsCliContext          *context,
                                              const char            *group,
                                              const HsCliSubcommand *subcommands,
                                              int                    n_subcommands,
                                              const char            *wrong_usage,
                                              int                    argc,
                                              char                 **argv,
                                              HsCliExit             *exit_code);
HsCliExit     hs_cli_exit_code_for           (const GError  *error);
HsCliExit     hs_cli_report_error            (HsCliContext  *context,
                                              const GError  *error);
HsCliExit     hs_cli_report_connection_error (HsCliContext  *context,
                                              const GError  *error);
HsCliExit     hs_cli_usage_error             (HsCliContext  *context,
                                              const char    *format,
                                              ...) G_GNUC_PRINTF (2, 3);
JsonNode     *hs_cli_error_to_json           (const GError  *error,
                                              HsCliExit      code);

G_END_DECLS
