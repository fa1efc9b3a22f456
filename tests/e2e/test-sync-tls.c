/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-test-sync.h"

/* Syncs to a PostgreSQL that takes TLS logins only, as Supabase does,
 * with the libpq TLS parameters a user pastes into the sink URI: the
 * halo-sim, the real plugins and engine, and a server with certificates
 * of its own CA, which tests/with-tls-postgresql.sh starts.  Each run
 * either syncs over a verified connection or is refused with a message
 * that says why, and never shows the password. */

static const char * const small_tenant[] = {
  "--seed", "7", "--agents", "6", "--clients", "4", "--tickets", "40", "--time-entries", "120",
  "--start", HS_TEST_FY_START, "--end", HS_TEST_FY_END, NULL
};

typedef struct
{
  char *database; /* fresh, owned by the test user, dropped afterwards */
} Fixture;

static const char *
tls_env (const char *name)
{
  const char *value = g_getenv (name);

  if (value == NULL || *value == '\0')
    g_error ("%s is not set: run this test through tests/with-tls-postgresql.sh", name);
  return value;
}

/* A libpq connection string to @database that checks the server's
 * certificate and name against the right CA: the test's own view of the
 * server, independent of the plugin under test. */
static char *
verified_conninfo (const char *database)
{
  return g_strdup_printf ("host=%s port=%s user=%s dbname=%s sslmode=verify-full sslrootcert=%s",
                          tls_env ("HS_TEST_TLS_HOST"), tls_env ("HS_TEST_TLS_PORT"),
                          tls_env ("HS_TEST_TLS_USER"), database, tls_env ("HS_TEST_TLS_CA"));
}

/* Runs @sql in @database with psql over a verified TLS connection and
 * returns what it printed, trimmed.  The password travels in psql's
 * environment, never on its command line. */
static char *
psql (const char *database,
      const char *sql)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *conninfo = verified_conninfo (database);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_subprocess_launcher_setenv (launcher, "PGPASSWORD", tls_env ("HS_TEST_TLS_PASSWORD"), TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, "psql", "-X", "-A", "-t", "-q",
                                         "-v", "ON_ERROR_STOP=1", "-c", sql, conninfo, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("psql failed on “%s”: %s", sql, err);
  return g_strdup (g_strstrip (out));
}

static gint64
psql_int (const char *database,
          const char *sql)
{
  g_autofree char *text = psql (database, sql);
  gint64 value;
  g_autoptr(GError) error = NULL;

  g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value, &error);
  g_assert_no_error (error);
  return value;
}

static gint64
count_tables (Fixture *fixture)
{
  return psql_int (fixture->database,
                   "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'");
}

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer user_data)
{
  g_autofree char *create = NULL;
  g_autofree char *ignored = NULL;

  fixture->database = g_strdup_printf ("hs_tls_%08x", g_random_int ());
  create = g_strdup_printf ("CREATE DATABASE %s", fixture->database);
  ignored = psql (tls_env ("HS_TEST_TLS_DATABASE"), create);
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer user_data)
{
  g_autofree char *drop = g_strdup_printf ("DROP DATABASE %s WITH (FORCE)", fixture->database);
  g_autofree char *ignored = psql (tls_env ("HS_TEST_TLS_DATABASE"), drop);

  g_clear_pointer (&fixture->database, g_free);
}

/* The sink URI as a Supabase user writes it, password and all, with
 * @params (URI-encoded already) after the database name. */
static char *
sink_uri (Fixture    *fixture,
          const char *host,
          const char *params)
{
  g_autofree char *user = g_uri_escape_string (tls_env ("HS_TEST_TLS_USER"), NULL, FALSE);
  g_autofree char *password = g_uri_escape_string (tls_env ("HS_TEST_TLS_PASSWORD"), NULL, FALSE);

  return g_strdup_printf ("postgresql://%s:%s@%s:%s/%s?%s", user, password, host,
                          tls_env ("HS_TEST_TLS_PORT"), fixture->database, params);
}

/* The sslrootcert parameter for the CA file in @variable. */
static char *
rootcert_param (const char *variable)
{
  g_autofree char *path = g_uri_escape_string (tls_env (variable), "/", FALSE);

  return g_strconcat ("sslrootcert=", path, NULL);
}

/* A refusal must say nothing of the password, as written or encoded. */
static void
assert_no_password (const char *message)
{
  const char *password = tls_env ("HS_TEST_TLS_PASSWORD");
  g_autofree char *encoded = g_uri_escape_string (password, NULL, FALSE);

  g_assert_null (strstr (message, password));
  g_assert_null (strstr (message, encoded));
}

static void
assert_mentions (const char *message,
                 const char *word)
{
  g_autofree char *folded = g_utf8_casefold (message, -1);

  if (strstr (folded, word) == NULL)
    g_error ("“%s” does not mention “%s”", message, word);
}

/* Creates the fiscal year, which stores it and runs its first full sync,
 * as `halosync fiscal-year create` does; returns that run, or %NULL and
 * the error the user sees when the year could not even be stored. */
static HsRun *
create_year (HsEngine *engine,
             GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  HsRun *run;

  hs_engine_create_fiscal_year_async (engine, HS_TEST_FY, HS_TEST_FY_START, HS_TEST_FY_END, NULL,
                                      hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  run = hs_engine_create_fiscal_year_finish (engine, result, error);
  if (run == NULL)
    return NULL;

  while (!hs_run_is_finished (run))
    g_main_context_iteration (NULL, TRUE);
  return run;
}

/* A sync over @params that succeeds stores every ticket it read, as a
 * connection of the test's own to the database confirms. */
static void
assert_syncs (Fixture    *fixture,
              const char *host,
              const char *params)
{
  g_autofree char *uri = sink_uri (fixture, host, params);
  g_autoptr(HsTestSync) sync = hs_test_sync_new_for_uri (uri, small_tenant);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsRun) run = create_year (hs_test_sync_get_engine (sync), &error);
  guint64 inserted;

  g_assert_no_error (error);
  hs_test_sync_assert_succeeded (run);
  inserted = hs_run_get_count (run, HS_STREAM_TICKETS, HS_COUNTER_INSERTED);
  g_assert_cmpuint (inserted, >, 0);
  g_assert_cmpint (psql_int (fixture->database, "SELECT count(*) FROM tickets"), ==, inserted);
  g_assert_cmpint (psql_int (fixture->database, "SELECT count(*) FROM time_entries"), >, 0);
  g_assert_cmpint (psql_int (fixture->database, "SELECT count(*) FROM sync_runs WHERE status = 'succeeded'"), ==, 1);
}

/* What the user is told when creating the year through @params is
 * refused; the database is left as it was. */
static char *
refusal_of_new_year (Fixture    *fixture,
                     const char *params)
{
  g_autofree char *uri = sink_uri (fixture, tls_env ("HS_TEST_TLS_HOST"), params);
  g_autoptr(HsTestSync) sync = hs_test_sync_new_for_uri (uri, small_tenant);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsRun) run = create_year (hs_test_sync_get_engine (sync), &error);
  char *message;

  /* Refused before the year is stored, or by its first run: either way
   * the user reads why. */
  if (run != NULL)
    {
      g_assert_cmpint (hs_run_get_status (run), ==, HS_RUN_FAILED);
      message = g_strdup (hs_run_get_error_message (run));
    }
  else
    {
      g_assert_nonnull (error);
      message = g_strdup (error->message);
    }
  g_test_message ("Refused: %s", message);
  g_assert_cmpint (count_tables (fixture), ==, 0);
  return message;
}

static void
test_verify_full_right_ca (Fixture      *fixture,
                           gconstpointer user_data)
{
  g_autofree char *rootcert = rootcert_param ("HS_TEST_TLS_CA");
  g_autofree char *params = g_strconcat ("sslmode=verify-full&", rootcert, NULL);

  g_test_summary ("With sslmode=verify-full and the CA that signed the server's certificate, "
                  "a sync to a TLS-only server stores its rows");
  assert_syncs (fixture, tls_env ("HS_TEST_TLS_HOST"), params);
}

static void
test_verify_ca_right_ca (Fixture      *fixture,
                         gconstpointer user_data)
{
  g_autofree char *rootcert = rootcert_param ("HS_TEST_TLS_CA");
  g_autofree char *params = g_strconcat ("sslmode=verify-ca&", rootcert, NULL);

  g_test_summary ("With sslmode=verify-ca and the right CA, a sync by IP address stores its rows");
  assert_syncs (fixture, "127.0.0.1", params);
}

static void
test_wrong_ca_refused (Fixture      *fixture,
                       gconstpointer user_data)
{
  g_autofree char *rootcert = rootcert_param ("HS_TEST_TLS_WRONG_CA");
  g_autofree char *params = g_strconcat ("sslmode=verify-full&", rootcert, NULL);
  g_autofree char *message = NULL;

  g_test_summary ("With a CA that did not sign the server's certificate, the sink refuses "
                  "the server, says it is about the certificate, and shows no password");
  message = refusal_of_new_year (fixture, params);
  assert_mentions (message, "certificate");
  /* The chain was checked against the CA file and failed: not a file
   * that was never read, which would fail with a word about
   * certificates too. */
  assert_mentions (message, "verify failed");
  assert_no_password (message);
}

static void
test_verify_full_without_ca_refused (Fixture      *fixture,
                                     gconstpointer user_data)
{
  g_autofree char *message = NULL;

  g_test_summary ("With sslmode=verify-full and no sslrootcert (the test's isolated home has no "
                  "~/.postgresql/root.crt), the sink refuses to trust the server, and says "
                  "the certificate is missing");
  message = refusal_of_new_year (fixture, "sslmode=verify-full");
  assert_mentions (message, "root certificate");
  assert_no_password (message);
}

/* A year synced over a verified connection, then an hourly run with the
 * wrong CA (a user who pasted another project's): refused, and nothing
 * in the database changes. */
static void
test_wrong_ca_refuses_later_run (Fixture      *fixture,
                                 gconstpointer user_data)
{
  g_autofree char *right = rootcert_param ("HS_TEST_TLS_CA");
  g_autofree char *wrong = rootcert_param ("HS_TEST_TLS_WRONG_CA");
  g_autofree char *right_params = g_strconcat ("sslmode=verify-full&", right, NULL);
  g_autofree char *wrong_params = g_strconcat ("sslmode=verify-full&", wrong, NULL);
  g_autofree char *right_uri = sink_uri (fixture, tls_env ("HS_TEST_TLS_HOST"), right_params);
  g_autofree char *wrong_uri = sink_uri (fixture, tls_env ("HS_TEST_TLS_HOST"), wrong_params);
  g_autoptr(HsTestSync) sync = hs_test_sync_new_for_uri (right_uri, small_tenant);
  g_autoptr(HsEngine) engine = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HsRun) first = NULL;
  g_autoptr(HsRun) run = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const char *message;
  static const char ledger[] = "SELECT string_agg(status, ',' ORDER BY id) FROM sync_runs";

  g_test_summary ("A sync of a stored year with the wrong CA is refused with a message "
                  "about the certificate, and changes nothing");
  first = create_year (hs_test_sync_get_engine (sync), &error);
  g_assert_no_error (error);
  hs_test_sync_assert_succeeded (first);
  before = psql (fixture->database, ledger);

  engine = hs_test_sync_new_engine_for_uri (sync, wrong_uri);
  hs_engine_sync_async (engine, HS_TEST_FY, HS_SYNC_INCREMENTAL, 0, HS_TRIGGER_HOURLY, NULL,
                        hs_test_store_result_cb, &result);
  hs_test_wait_for_result (&result);
  run = hs_engine_sync_finish (engine, result, &error);
  if (run != NULL)
    {
      g_assert_true (hs_run_is_finished (run));
      g_assert_cmpint (hs_run_get_status (run), ==, HS_RUN_FAILED);
      message = hs_run_get_error_message (run);
    }
  else
    {
      g_assert_nonnull (error);
      message = error->message;
    }
  g_test_message ("Refused: %s", message);
  assert_mentions (message, "certificate");
  assert_mentions (message, "verify failed");
  assert_no_password (message);

  after = psql (fixture->database, ledger);
  g_assert_cmpstr (after, ==, before);
}

static void
test_plain_refused (Fixture      *fixture,
                    gconstpointer user_data)
{
  g_autofree char *message = NULL;

  g_test_summary ("With sslmode=disable, a server that takes TLS logins only refuses the sink, "
                  "which says the connection was not encrypted, and shows no password");
  message = refusal_of_new_year (fixture, "sslmode=disable");
  /* The server's own words for a login without TLS where only hostssl
   * lines match. */
  assert_mentions (message, "no encryption");
  assert_no_password (message);
}

int
main (int    argc,
      char **argv)
{
  hs_test_init (&argc, &argv);

#define ADD(path, func) g_test_add ("/e2e/tls/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("verify-full-right-ca", test_verify_full_right_ca);
  ADD ("verify-ca-right-ca", test_verify_ca_right_ca);
  ADD ("wrong-ca-refused", test_wrong_ca_refused);
  ADD ("wrong-ca-refuses-later-run", test_wrong_ca_refuses_later_run);
  ADD ("verify-full-without-ca-refused", test_verify_full_without_ca_refused);
  ADD ("plain-refused", test_plain_refused);

#undef ADD

  return g_test_run ();
}
