/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <halosync.h>
#include <locale.h>
#include <stdio.h>

#include "hs-sim-auth.h"
#include "hs-sim-faults.h"
#include "hs-sim-server.h"
#include "hs-sim-tenant.h"
#include "hs-sim-time.h"

/* halo-sim: a local HaloPSA API server for tests, the demo and the
 * benchmark.  See docs/halo-simulator.md. */

typedef struct
{
  int port;
  gint64 seed;
  int agents;
  int clients;
  int tickets;
  int time_entries;
  char *start;
  char *end;
  char *client_id;
  char *client_secret;
  char *tenant;
  int token_lifetime;
  char *rate_limit;
  int retry_after;
  char *control_token;
} Options;

static void
options_clear (Options *o)
{
  g_clear_pointer (&o->start, g_free);
  g_clear_pointer (&o->end, g_free);
  g_clear_pointer (&o->client_id, g_free);
  g_clear_pointer (&o->client_secret, g_free);
  g_clear_pointer (&o->tenant, g_free);
  g_clear_pointer (&o->rate_limit, g_free);
  g_clear_pointer (&o->control_token, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

static gboolean
parse_day (const char  *option,
           const char  *text,
           gint64      *ticks,
           GError     **error)
{
  GDate date;
  g_autoptr(GError) local_error = NULL;

  if (!hs_fiscal_year_parse_date (text, &date, &local_error))
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT, "%s: %s", option, local_error->message);
      return FALSE;
    }
  *ticks = hs_sim_time_from_ymd (g_date_get_year (&date), g_date_get_month (&date), g_date_get_day (&date));
  return TRUE;
}

static gboolean
parse_rate_limit (const char  *text,
                  guint       *count,
                  guint       *seconds,
                  GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, "/", 2);
  guint64 c, s;

  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 1, G_MAXUINT32, &c, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 1, 86400, &s, NULL))
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("--rate-limit takes COUNT/SECONDS, for example 300/300, not “%s”"), text);
      return FALSE;
    }
  *count = (guint) c;
  *seconds = (guint) s;
  return TRUE;
}

static gboolean
check_non_negative (const char  *option,
                    int          value,
                    GError     **error)
{
  if (value >= 0)
    return TRUE;
  g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
               _("%s must not be negative"), option);
  return FALSE;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_CONTINUE;
}

static gboolean
run (int      argc,
     char   **argv,
     GError **error)
{
  g_auto(Options) o = {
    .port = 0, .seed = 1, .agents = 12, .clients = 30, .tickets = 2000, .time_entries = 8000,
    .token_lifetime = 3600, .retry_after = 0,
  };
  GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &o.port, N_("Port on 127.0.0.1 (0 picks a free one)"), "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &o.seed, N_("Seed of the generated tenant"), "N" },
    { "agents", 0, 0, G_OPTION_ARG_INT, &o.agents, N_("Number of agents"), "N" },
    { "clients", 0, 0, G_OPTION_ARG_INT, &o.clients, N_("Number of clients"), "N" },
    { "tickets", 0, 0, G_OPTION_ARG_INT, &o.tickets, N_("Number of tickets"), "N" },
    { "time-entries", 0, 0, G_OPTION_ARG_INT, &o.time_entries, N_("Number of time entries"), "N" },
    { "start", 0, 0, G_OPTION_ARG_STRING, &o.start, N_("First day of the data (default 2025-07-01)"), "DATE" },
    { "end", 0, 0, G_OPTION_ARG_STRING, &o.end, N_("Last day of the data (default 2026-06-30)"), "DATE" },
    { "client-id", 0, 0, G_OPTION_ARG_STRING, &o.client_id, N_("API client id (default halosync-demo)"), "ID" },
    { "client-secret", 0, 0, G_OPTION_ARG_STRING, &o.client_secret, N_("API client secret (default demo-secret)"), "S" },
    { "tenant", 0, 0, G_OPTION_ARG_STRING, &o.tenant, N_("Tenant the token request must name (default: any)"), "NAME" },
    { "token-lifetime", 0, 0, G_OPTION_ARG_INT, &o.token_lifetime, N_("Seconds a token stays valid"), "SECONDS" },
    { "rate-limit", 0, 0, G_OPTION_ARG_STRING, &o.rate_limit, N_("Answer 429 past COUNT requests per rolling SECONDS"), "COUNT/SECONDS" },
    { "retry-after", 0, 0, G_OPTION_ARG_INT, &o.retry_after, N_("Send Retry-After with 429 answers"), "SECONDS" },
    { "control-token", 0, 0, G_OPTION_ARG_STRING, &o.control_token, N_("Bearer token of the /_sim control API (default: random)"), "T" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(HsSimTenant) tenant = NULL;
  g_autoptr(HsSimAuth) auth = NULL;
  g_autoptr(HsSimFaults) faults = NULL;
  g_autoptr(HsSimServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  HsSimTenantOptions tenant_options = { 0 };
  guint limit_count = 0, limit_seconds = 0;
  guint sigint_id, sigterm_id;

  g_option_context_set_summary (context, _("Serves a simulated HaloPSA tenant over HTTP on 127.0.0.1."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, error))
    return FALSE;
  if (argc > 1)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("Unexpected argument “%s”; see --help"), argv[1]);
      return FALSE;
    }

  if (!check_non_negative ("--port", o.port, error) ||
      !check_non_negative ("--agents", o.agents, error) ||
      !check_non_negative ("--clients", o.clients, error) ||
      !check_non_negative ("--tickets", o.tickets, error) ||
      !check_non_negative ("--time-entries", o.time_entries, error) ||
      !check_non_negative ("--token-lifetime", o.token_lifetime, error) ||
      !check_non_negative ("--retry-after", o.retry_after, error) ||
      !parse_day ("--start", o.start != NULL ? o.start : "2025-07-01", &tenant_options.start, error) ||
      !parse_day ("--end", o.end != NULL ? o.end : "2026-06-30", &tenant_options.end, error))
    return FALSE;
  if (o.port > G_MAXUINT16)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT, _("--port must be at most %u"), G_MAXUINT16);
      return FALSE;
    }
  if (o.rate_limit != NULL && !parse_rate_limit (o.rate_limit, &limit_count, &limit_seconds, error))
    return FALSE;

  tenant_options.seed = (guint64) o.seed;
  tenant_options.n_agents = (guint) o.agents;
  tenant_options.n_clients = (guint) o.clients;
  tenant_options.n_tickets = (guint) o.tickets;
  tenant_options.n_time_entries = (guint) o.time_entries;
  /* --end names the last day, which is included. */
  tenant_options.end += HS_SIM_TICKS_PER_DAY;

  tenant = hs_sim_tenant_new (&tenant_options, error);
  if (tenant == NULL)
    return FALSE;

  if (o.control_token == NULL)
    o.control_token = hs_sim_auth_random_token ();
  auth = hs_sim_auth_new (o.client_id != NULL ? o.client_id : "halosync-demo",
                          o.client_secret != NULL ? o.client_secret : "demo-secret",
                          o.tenant, (guint) o.token_lifetime);
  faults = hs_sim_faults_new (tenant_options.seed);
  if (limit_count > 0)
    hs_sim_faults_set_rate_limit (faults, limit_count, limit_seconds, (guint) o.retry_after);

  server = hs_sim_server_new (tenant, auth, faults, o.control_token);
  if (!hs_sim_server_listen (server, (guint) o.port, error))
    return FALSE;

  /* Test harnesses read these two lines to find the server. */
  printf ("halo-sim listening on %s\n", hs_sim_server_get_base_url (server));
  printf ("control token: %s\n", o.control_token);
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!run (argc, argv, &error))
    {
      g_printerr ("halo-sim: %s\n", error->message);
      return 1;
    }
  return 0;
}
