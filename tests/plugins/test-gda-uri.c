/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <libgda/libgda.h>

#include "hs-gda-uri.h"
#include "hs-test.h"

/* Sink URIs as people paste them, taken apart into what libgda needs,
 * and shown back without their password. */

static HsGdaUri *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  HsGdaUri *uri = hs_gda_uri_parse (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (uri);
  return uri;
}

static void
assert_refused (const char *text,
                const char *in_message,
                const char *secret)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HsGdaUri) uri = hs_gda_uri_parse (text, &error);

  g_assert_null (uri);
  g_assert_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, in_message));
  if (secret != NULL)
    g_assert_null (strstr (error->message, secret));
}

/* The value libgda will see for @key in a connection string. */
static char *
cnc_value (const char *cnc,
           const char *key)
{
  GdaQuarkList *list = gda_quark_list_new_from_string (cnc);
  char *value = g_strdup (gda_quark_list_find (list, key));

  gda_quark_list_free (list);
  return value;
}

static void
test_sqlite (void)
{
  g_autoptr(HsGdaUri) with_db = parse ("sqlite:///home/me/.local/share/halosync/halosync.db");
  g_autoptr(HsGdaUri) without = parse ("sqlite:///srv/data%20dir/Halo's;%20store");
  g_autofree char *cnc = hs_gda_uri_dup_cnc_string (without);
  g_autofree char *dir = cnc_value (cnc, "DB_DIR");
  g_autofree char *name = cnc_value (cnc, "DB_NAME");
  g_autofree char *append = cnc_value (cnc, "APPEND_DB_EXTENSION");
  g_autofree char *location = hs_gda_uri_dup_location (with_db);

  g_assert_cmpint (with_db->provider, ==, HS_GDA_PROVIDER_SQLITE);
  g_assert_cmpstr (with_db->path, ==, "/home/me/.local/share/halosync/halosync.db");
  g_assert_cmpstr (hs_gda_uri_get_provider_name (with_db), ==, "SQLite");
  g_assert_cmpstr (location, ==, with_db->path);
  g_assert_null (hs_gda_uri_dup_auth_string (with_db, "ignored"));

  /* libgda would add “.db” to a name without one, and splits its
   * connection string at “;”. */
  g_assert_cmpstr (without->path, ==, "/srv/data dir/Halo's; store");
  g_assert_cmpstr (dir, ==, "/srv/data dir");
  g_assert_cmpstr (name, ==, "Halo's; store");
  g_assert_cmpstr (append, ==, "FALSE");

  assert_refused ("sqlite://relative/file.db", "names a host", NULL);
  assert_refused ("sqlite:relative.db", "does not name a file", NULL);
  assert_refused ("sqlite:///var/lib/", "does not name a file", NULL);
  assert_refused ("sqlite:///tmp/x.db?rls=on", "take no parameters", NULL);
  assert_refused ("sqlite://me:s3cr3t@localhost/tmp/x.db", "names a host", "s3cr3t");
}

/* A Supabase pooler connection string, as the dashboard gives it: a
 * user.project user name, a percent-encoded password, postgres://. */
static void
test_supabase (void)
{
  g_autoptr(HsGdaUri) uri = parse ("postgres://postgres.abcdefghijklmnop:p%40ss%3Aw%25rd'q%5Cx"
                                   "@aws-0-eu-central-1.pooler.supabase.com:6543/postgres?sslmode=require");
  g_autofree char *cnc = hs_gda_uri_dup_cnc_string (uri);
  g_autofree char *auth = hs_gda_uri_dup_auth_string (uri, uri->password);
  g_autofree char *host = cnc_value (cnc, "HOST");
  g_autofree char *port = cnc_value (cnc, "PORT");
  g_autofree char *db_name = cnc_value (cnc, "DB_NAME");
  g_autofree char *timeout = cnc_value (cnc, "CONNECT_TIMEOUT");
  g_autofree char *user = cnc_value (auth, "USERNAME");
  g_autofree char *password = cnc_value (auth, "PASSWORD");
  g_autofree char *location = hs_gda_uri_dup_location (uri);

  g_assert_cmpint (uri->provider, ==, HS_GDA_PROVIDER_POSTGRESQL);
  g_assert_cmpstr (hs_gda_uri_get_provider_name (uri), ==, "PostgreSQL");
  g_assert_cmpstr (uri->user, ==, "postgres.abcdefghijklmnop");
  g_assert_cmpstr (uri->password, ==, "p@ss:w%rd'q\\x");
  g_assert_cmpstr (uri->host, ==, "aws-0-eu-central-1.pooler.supabase.com");
  g_assert_cmpint (uri->port, ==, 6543);
  g_assert_cmpstr (uri->database, ==, "postgres");
  g_assert_cmpstr (uri->sslmode, ==, "require");
  g_assert_false (uri->rls);
  g_assert_cmpuint (uri->connect_timeout, ==, 15);
  g_assert_cmpstr (location, ==, "aws-0-eu-central-1.pooler.supabase.com:6543");

  g_assert_cmpstr (uri->display, ==,
                   "postgres://postgres.abcdefghijklmnop@aws-0-eu-central-1.pooler.supabase.com:6543/postgres?sslmode=require");

  /* libgda pastes these between single quotes of libpq's conninfo:
   * quotes and backslashes come escaped, and sslmode rides behind the
   * database name as a keyword of its own. */
  g_assert_cmpstr (host, ==, "aws-0-eu-central-1.pooler.supabase.com");
  g_assert_cmpstr (port, ==, "6543");
  g_assert_cmpstr (db_name, ==, "postgres' sslmode='require");
  g_assert_cmpstr (timeout, ==, "15");
  g_assert_cmpstr (user, ==, "postgres.abcdefghijklmnop");
  g_assert_cmpstr (password, ==, "p@ss:w%rd\\'q\\\\x");
}

static void
test_postgresql (void)
{
  g_autoptr(HsGdaUri) plain = parse ("postgresql://db.abcdefghijklmnop.supabase.co/postgres");
  g_autoptr(HsGdaUri) options = parse ("postgresql://halo@[::1]:5433/halo%20sync?rls=on&connect_timeout=5");
  g_autoptr(HsGdaUri) socket = parse ("postgresql://halo@%2Fvar%2Frun%2Fpostgresql/halosync");
  g_autoptr(HsGdaUri) anon = parse ("postgresql://halo@localhost/halosync?rls=anon");
  g_autoptr(HsGdaUri) empty_password = parse ("postgresql://halo:@localhost/halosync");
  g_autofree char *plain_cnc = hs_gda_uri_dup_cnc_string (plain);
  g_autofree char *plain_auth = hs_gda_uri_dup_auth_string (plain, NULL);
  g_autofree char *options_cnc = hs_gda_uri_dup_cnc_string (options);
  g_autofree char *plain_port = cnc_value (plain_cnc, "PORT");
  g_autofree char *plain_db = cnc_value (plain_cnc, "DB_NAME");
  g_autofree char *options_db = cnc_value (options_cnc, "DB_NAME");
  g_autofree char *options_timeout = cnc_value (options_cnc, "CONNECT_TIMEOUT");
  g_autofree char *plain_location = hs_gda_uri_dup_location (plain);
  g_autofree char *options_location = hs_gda_uri_dup_location (options);

  g_assert_null (plain->user);
  g_assert_null (plain->password);
  g_assert_cmpint (plain->port, ==, 0);
  g_assert_null (plain_port);
  g_assert_cmpstr (plain_db, ==, "postgres");
  g_assert_cmpstr (plain_auth, ==, "");
  g_assert_cmpstr (plain_location, ==, "db.abcdefghijklmnop.supabase.co:5432");

  g_assert_cmpstr (options->host, ==, "::1");
  g_assert_cmpint (options->port, ==, 5433);
  g_assert_cmpstr (options->database, ==, "halo sync");
  g_assert_true (options->rls);
  g_assert_false (options->rls_anon);
  g_assert_true (anon->rls);
  g_assert_true (anon->rls_anon);
  g_assert_cmpuint (options->connect_timeout, ==, 5);
  g_assert_null (options->sslmode);
  g_assert_cmpstr (options_db, ==, "halo sync");
  g_assert_cmpstr (options_timeout, ==, "5");
  g_assert_cmpstr (options_location, ==, "[::1]:5433");

  g_assert_cmpstr (socket->host, ==, "/var/run/postgresql");
  g_assert_null (empty_password->password);

  assert_refused ("postgresql://halo@localhost", "names no database", NULL);
  assert_refused ("postgresql://halo@localhost/", "names no database", NULL);
  assert_refused ("postgresql://halo:t0psecret@localhost/db?application_name=x",
                  "“application_name” is not supported", "t0psecret");
  assert_refused ("postgresql://halo@localhost/db?sslmode=always", "is not an sslmode", NULL);
  assert_refused ("postgresql://halo@localhost/db?rls=maybe", "rls must be on, off or anon", NULL);
  assert_refused ("postgresql://halo@localhost/db?connect_timeout=soon", "connect_timeout", NULL);
  assert_refused ("postgresql://halo:p@ss@localhost/db", "more than one “@”", "p@ss");
  assert_refused ("postgresql://me@example.com@localhost/db", "more than one “@”", NULL);
  assert_refused ("postgresql://halo:s3cret@localhost:99999/db", "is not a database URI", "s3cret");
  assert_refused ("mysql://halo@localhost/db", "cannot write “mysql:”", NULL);
  assert_refused ("not a uri", "is not a database URI", NULL);
}

static void
test_redact (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "postgresql://halo:s3cret@localhost:5432/db", "postgresql://halo@localhost:5432/db" },
    { "postgres://u.p:a%40b@host/db?sslmode=require", "postgres://u.p@host/db?sslmode=require" },
    { "postgresql://halo:p@ss@localhost/db", "postgresql://halo@localhost/db" },
    { "postgresql://halo@localhost/db", "postgresql://halo@localhost/db" },
    { "postgresql://localhost/db?x=a:b@c", "postgresql://localhost/db?x=a:b@c" },
    { "sqlite:///tmp/x.db", "sqlite:///tmp/x.db" },
    { "no uri at all", "no uri at all" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *redacted = hs_gda_uri_redact (cases[i].in);

      g_assert_cmpstr (redacted, ==, cases[i].out);
    }
}

static void
test_scrub (void)
{
  g_autofree char *scrubbed = NULL;
  g_autofree char *untouched = NULL;

  scrubbed = hs_gda_scrub_secret ("raw p'a\\ss, escaped p\\'a\\\\ss, encoded p%27a%5css.", "p'a\\ss");
  g_assert_cmpstr (scrubbed, ==, "raw ********, escaped ********, encoded ********.");

  untouched = hs_gda_scrub_secret ("nothing secret", NULL);
  g_assert_cmpstr (untouched, ==, "nothing secret");
  g_assert_null (hs_gda_scrub_secret (NULL, "x"));
}

/* Supabase's transaction pooler is recognised by its host and port, and
 * pgbouncer= says it for any other; the session pooler keeps libgda's
 * prepared statements. */
static void
test_pooler (void)
{
  g_autoptr(HsGdaUri) transaction = parse ("postgres://postgres.abc@aws-0-eu-central-1.pooler.supabase.com:6543/postgres");
  g_autoptr(HsGdaUri) session = parse ("postgres://postgres.abc@aws-0-eu-central-1.pooler.supabase.com:5432/postgres");
  g_autoptr(HsGdaUri) told_not = parse ("postgres://u@aws-0-eu-central-1.pooler.supabase.com:6543/postgres?pgbouncer=false");
  g_autoptr(HsGdaUri) told = parse ("postgresql://u@127.0.0.1:6432/db?pgbouncer=true");
  g_autoptr(HsGdaUri) typed = parse ("postgres://postgres.abc@AWS-0-EU-Central-1.Pooler.Supabase.com:6543/postgres");
  g_autoptr(HsGdaUri) dedicated = parse ("postgresql://postgres@db.abcdefgh.supabase.co:6543/postgres");
  g_autoptr(HsGdaUri) direct = parse ("postgresql://postgres@db.abcdefgh.supabase.co:5432/postgres");
  g_autoptr(HsGdaUri) elsewhere = parse ("postgresql://postgres@db.example.com:6543/postgres");

  g_assert_true (transaction->pooled);
  g_assert_false (session->pooled);
  g_assert_false (told_not->pooled);
  g_assert_true (told->pooled);
  g_assert_true (typed->pooled);
  g_assert_true (dedicated->pooled);
  g_assert_false (direct->pooled);
  g_assert_false (elsewhere->pooled);
  assert_refused ("postgresql://u@h/db?pgbouncer=maybe", "pgbouncer must be true or false", NULL);
}

/* schema= takes a name that needs no quoting, and says how to write one. */
static void
test_schema (void)
{
  g_autoptr(HsGdaUri) plain = parse ("postgresql://u@h/db");
  g_autoptr(HsGdaUri) own = parse ("postgresql://u@h/db?schema=halosync&pgbouncer=true");
  g_autoptr(HsGdaUri) copy = hs_gda_uri_copy (own);
  g_autofree char *longest = g_strnfill (63, 'a');
  g_autofree char *too_long = g_strdup_printf ("postgresql://u@h/db?schema=%sa", longest);
  g_autofree char *longest_uri = g_strdup_printf ("postgresql://u@h/db?schema=%s", longest);
  g_autoptr(HsGdaUri) longest_parsed = NULL;

  g_assert_null (plain->schema);
  g_assert_cmpstr (own->schema, ==, "halosync");
  g_assert_cmpstr (copy->schema, ==, "halosync");
  longest_parsed = parse (longest_uri);
  g_assert_cmpstr (longest_parsed->schema, ==, longest);

  assert_refused (too_long, "at most 63", NULL);
  assert_refused ("postgresql://u@h/db?schema=", "schema=halosync", NULL);
  assert_refused ("postgresql://u@h/db?schema=HaloSync", "lower-case", NULL);
  assert_refused ("postgresql://u@h/db?schema=halo%22sync", "lower-case", NULL);
  assert_refused ("postgresql://u@h/db?schema=halo;drop", "lower-case", NULL);
  assert_refused ("postgresql://u@h/db?schema=1halo", "starts with a letter", NULL);
  assert_refused ("postgresql://u@h/db?schema=_halo", "starts with a letter", NULL);
  assert_refused ("postgresql://u@h/db?schema=pg_halo", "not with pg_", NULL);
  assert_refused ("sqlite:///tmp/x.db?schema=halosync", "take no parameters", NULL);
}

/* libpq's TLS keywords reach libpq through libgda's connection string. */
static void
test_tls_keywords (void)
{
  g_autoptr(HsGdaUri) uri = parse ("postgresql://u@db.example.com/postgres?sslmode=verify-full&sslrootcert=/etc/ssl/it's%20ca.pem");
  g_autofree char *cnc = hs_gda_uri_dup_cnc_string (uri);
  g_autofree char *name = cnc_value (cnc, "DB_NAME");

  g_assert_cmpstr (name, ==, "postgres' sslmode='verify-full' sslrootcert='/etc/ssl/it\\'s ca.pem");
  assert_refused ("postgresql://u@h/db?sslpassword=x", "is not supported", NULL);
}

int
main (int    argc,
      char **argv)
{
  hs_test_init (&argc, &argv);

  g_test_add_func ("/gda/uri/sqlite", test_sqlite);
  g_test_add_func ("/gda/uri/supabase", test_supabase);
  g_test_add_func ("/gda/uri/postgresql", test_postgresql);
  g_test_add_func ("/gda/uri/redact", test_redact);
  g_test_add_func ("/gda/uri/scrub", test_scrub);
  g_test_add_func ("/gda/uri/pooler", test_pooler);
  g_test_add_func ("/gda/uri/tls-keywords", test_tls_keywords);
  g_test_add_func ("/gda/uri/schema", test_schema);

  return g_test_run ();
}
