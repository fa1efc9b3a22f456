/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libgda/libgda.h>
#include <string.h>

#include <halosync.h>

#include "hs-gda-uri.h"

/* libpq's own default is to wait forever, which would hang an hourly run
 * on a host that drops packets. */
#define DEFAULT_CONNECT_TIMEOUT 15
#define MAX_CONNECT_TIMEOUT 3600

static const char * const sslmodes[] = {
  "disable", "allow", "prefer", "require", "verify-ca", "verify-full", NULL
};

/* libpq's TLS keywords other than sslmode, passed on as given: the
 * certificate files and what a Supabase or cloud guide tells people to
 * add.  sslpassword is left out, as a secret has no place in a URI. */
static const char * const tls_keywords[] = {
  "sslrootcert", "sslcert", "sslkey", "sslcrl", "sslcrldir", "sslsni",
  "ssl_min_protocol_version", "ssl_max_protocol_version", NULL
};

/* Supabase's transaction poolers: port 6543 on its shared pooler hosts
 * (whose session pooler, on 5432, keeps sessions), and on a project's
 * own host for the dedicated pooler (where 5432 is the database). */
#define SUPABASE_POOLER_HOST_SUFFIX ".pooler.supabase.com"
#define SUPABASE_PROJECT_HOST_PREFIX "db."
#define SUPABASE_PROJECT_HOST_SUFFIX ".supabase.co"
#define SUPABASE_TRANSACTION_POOLER_PORT 6543

/* PostgreSQL's NAMEDATALEN less its terminating byte. */
#define MAX_SCHEMA_NAME_LENGTH 63

void
hs_gda_uri_free (HsGdaUri *self)
{
  if (self == NULL)
    return;

  g_free (self->display);
  g_free (self->path);
  g_free (self->host);
  g_free (self->user);
  g_free (self->password);
  g_free (self->database);
  g_free (self->sslmode);
  g_free (self->schema);
  g_clear_pointer (&self->libpq_params, g_ptr_array_unref);
  g_free (self);
}

HsGdaUri *
hs_gda_uri_copy (const HsGdaUri *self)
{
  HsGdaUri *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof (HsGdaUri));
  copy->display = g_strdup (self->display);
  copy->path = g_strdup (self->path);
  copy->host = g_strdup (self->host);
  copy->user = g_strdup (self->user);
  copy->password = g_strdup (self->password);
  copy->database = g_strdup (self->database);
  copy->sslmode = g_strdup (self->sslmode);
  copy->schema = g_strdup (self->schema);
  if (self->libpq_params != NULL)
    copy->libpq_params = g_ptr_array_copy (self->libpq_params, (GCopyFunc) (void (*) (void)) g_strdup, NULL);
  return copy;
}

/* Finds the authority (user:password@host:port) in the text of a URI. */
static gboolean
find_authority (const char  *uri,
                const char **start,
                const char **end)
{
  const char *authority = strstr (uri, "://");

  if (authority == NULL)
    return FALSE;

  *start = authority + 3;
  *end = *start + strcspn (*start, "/?#");
  return TRUE;
}

/* Finds the password in the text of a URI, by position rather than by
 * parsing, so that even a URI GUri rejects can be shown without it.
 * Returns FALSE when there is none. */
static gboolean
find_password (const char *uri,
               gsize      *start,
               gsize      *end)
{
  const char *authority, *authority_end, *at = NULL, *colon;

  if (!find_authority (uri, &authority, &authority_end))
    return FALSE;

  for (const char *p = authority; p < authority_end; p++)
    if (*p == '@')
      at = p;
  if (at == NULL)
    return FALSE;

  colon = memchr (authority, ':', at - authority);
  if (colon == NULL)
    return FALSE;

  *start = colon - uri;
  *end = at - uri;
  return TRUE;
}

/* Returns @uri with any password cut out, for messages about a URI that
 * may not even parse. */
char *
hs_gda_uri_redact (const char *uri)
{
  gsize start, end;
  GString *out;

  g_return_val_if_fail (uri != NULL, NULL);

  if (!find_password (uri, &start, &end))
    return g_strdup (uri);

  out = g_string_new_len (uri, start);
  g_string_append (out, uri + end);
  return g_string_free (out, FALSE);
}

static void
replace_all (GString    *text,
             const char *secret)
{
  if (secret == NULL || *secret == '\0')
    return;

  g_string_replace (text, secret, "********", 0);
}

/* libpq reads single-quoted conninfo values with backslash escapes, and
 * libgda 5.2 pastes our values between the quotes unchanged. */
static char *
escape_conninfo_value (const char *value)
{
  GString *out = g_string_sized_new (strlen (value) + 8);

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\\' || *p == '\'')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* Removes every form in which @secret could reach a message: as given, as
 * escaped for libpq, and as encoded in a libgda connection string. */
char *
hs_gda_scrub_secret (const char *text,
                     const char *secret)
{
  g_autofree char *escaped = NULL;
  g_autofree char *encoded = NULL;
  GString *out;

  if (text == NULL)
    return NULL;

  out = g_string_new (text);
  if (secret != NULL && *secret != '\0')
    {
      escaped = escape_conninfo_value (secret);
      encoded = gda_rfc1738_encode (secret);
      replace_all (out, escaped);
      replace_all (out, encoded);
      replace_all (out, secret);
    }
  return g_string_free (out, FALSE);
}

static gboolean
parse_boolean (const char *value,
               gboolean   *out)
{
  static const char * const yes[] = { "on", "true", "yes", "1", NULL };
  static const char * const no[] = { "off", "false", "no", "0", NULL };

  if (g_strv_contains (yes, value))
    *out = TRUE;
  else if (g_strv_contains (no, value))
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

/* A schema name that needs no quoting anywhere: it goes into DDL and
 * search_path as it is, and reads the same to every tool a dashboard
 * builder uses.  PostgreSQL reserves pg_ for its own schemas. */
static gboolean
is_plain_schema_name (const char *name)
{
  gsize length = strlen (name);

  if (length == 0 || length > MAX_SCHEMA_NAME_LENGTH || g_str_has_prefix (name, "pg_") ||
      !g_ascii_islower (name[0]))
    return FALSE;
  for (const char *p = name; *p != '\0'; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_'))
      return FALSE;
  return TRUE;
}

static gboolean
is_supabase_transaction_pooler (const HsGdaUri *self)
{
  g_autofree char *host = NULL;

  if (self->host == NULL || self->port != SUPABASE_TRANSACTION_POOLER_PORT)
    return FALSE;

  /* Host names are case-insensitive, and people paste them as typed. */
  host = g_ascii_strdown (self->host, -1);
  return g_str_has_suffix (host, SUPABASE_POOLER_HOST_SUFFIX) ||
         (g_str_has_prefix (host, SUPABASE_PROJECT_HOST_PREFIX) && g_str_has_suffix (host, SUPABASE_PROJECT_HOST_SUFFIX));
}

static gboolean
parse_query (HsGdaUri   *self,
             GUri       *uri,
             GError    **error)
{
  const char *query = g_uri_get_query (uri);
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) local_error = NULL;
  GHashTableIter iter;
  const char *key, *value;
  gboolean pooled_given = FALSE;

  if (query == NULL || *query == '\0')
    goto detect_pooler;

  params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, &local_error);
  if (params == NULL)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("The parameters of the database URI %s cannot be read: %s"),
                   self->display, local_error->message);
      return FALSE;
    }

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, (gpointer *) &value))
    {
      if (self->provider == HS_GDA_PROVIDER_SQLITE)
        {
          g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                       _("SQLite database URIs take no parameters, but %s has “%s”"),
                       self->display, key);
          return FALSE;
        }

      if (g_strcmp0 (key, "sslmode") == 0)
        {
          if (!g_strv_contains (sslmodes, value))
            {
              g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                           _("“%s” is not an sslmode; use disable, allow, prefer, require, verify-ca or verify-full"),
                           value);
              return FALSE;
            }
          g_free (self->sslmode);
          self->sslmode = g_strdup (value);
        }
      else if (g_strcmp0 (key, "connect_timeout") == 0)
        {
          guint64 seconds;

          if (!g_ascii_string_to_unsigned (value, 10, 0, MAX_CONNECT_TIMEOUT, &seconds, NULL))
            {
              g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                           _("connect_timeout must be a number of seconds from 0 to %d, not “%s”"),
                           MAX_CONNECT_TIMEOUT, value);
              return FALSE;
            }
          self->connect_timeout = (guint) seconds;
        }
      else if (g_strcmp0 (key, "rls") == 0)
        {
          self->rls_anon = g_ascii_strcasecmp (value, "anon") == 0;
          if (self->rls_anon)
            self->rls = TRUE;
          else if (!parse_boolean (value, &self->rls))
            {
              g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                           _("rls must be on, off or anon, not “%s”"), value);
              return FALSE;
            }
        }
      else if (g_strcmp0 (key, "pgbouncer") == 0)
        {
          if (!parse_boolean (value, &self->pooled))
            {
              g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                           _("pgbouncer must be true or false, not “%s”"), value);
              return FALSE;
            }
          pooled_given = TRUE;
        }
      else if (g_strcmp0 (key, "schema") == 0)
        {
          if (!is_plain_schema_name (value))
            {
              g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                           _("schema must be a name of at most %d lower-case letters, digits and underscores that "
                             "starts with a letter and not with pg_, as in schema=halosync; “%s” is not"),
                           MAX_SCHEMA_NAME_LENGTH, value);
              return FALSE;
            }
          g_free (self->schema);
          self->schema = g_strdup (value);
        }
      else if (g_strv_contains (tls_keywords, key))
        {
          if (self->libpq_params == NULL)
            self->libpq_params = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (self->libpq_params, g_strdup (key));
          g_ptr_array_add (self->libpq_params, g_strdup (value));
        }
      else
        {
          g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                       _("The database URI parameter “%s” is not supported; use sslmode, sslrootcert, sslcert, "
                         "sslkey, sslcrl, sslcrldir, sslsni, ssl_min_protocol_version, ssl_max_protocol_version, "
                         "connect_timeout, pgbouncer, rls or schema"),
                       key);
          return FALSE;
        }
    }

detect_pooler:
  if (!pooled_given && self->provider == HS_GDA_PROVIDER_POSTGRESQL)
    self->pooled = is_supabase_transaction_pooler (self);
  return TRUE;
}

static gboolean
parse_sqlite (HsGdaUri *self,
              GUri     *uri,
              GError  **error)
{
  const char *host = g_uri_get_host (uri);
  const char *path = g_uri_get_path (uri);

  if ((host != NULL && *host != '\0') || g_uri_get_userinfo (uri) != NULL || g_uri_get_port (uri) != -1)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("%s names a host; an SQLite URI is sqlite:// followed by an absolute file name, as in sqlite:///home/me/halosync.db"),
                   self->display);
      return FALSE;
    }

  if (path == NULL || !g_path_is_absolute (path) || g_str_has_suffix (path, "/"))
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("%s does not name a file; an SQLite URI is sqlite:// followed by an absolute file name, as in sqlite:///home/me/halosync.db"),
                   self->display);
      return FALSE;
    }

  self->path = g_canonicalize_filename (path, NULL);
  return TRUE;
}

static gboolean
parse_postgresql (HsGdaUri *self,
                  GUri     *uri,
                  GError  **error)
{
  const char *host = g_uri_get_host (uri);
  const char *path = g_uri_get_path (uri);
  const char *user = g_uri_get_user (uri);
  const char *password = g_uri_get_password (uri);

  if (path == NULL || path[0] != '/' || path[1] == '\0' || strchr (path + 1, '/') != NULL)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("%s names no database; add it after the host, as in postgresql://user@host:5432/postgres"),
                   self->display);
      return FALSE;
    }

  self->database = g_strdup (path + 1);
  self->host = (host != NULL && *host != '\0') ? g_strdup (host) : NULL;
  self->port = MAX (g_uri_get_port (uri), 0);
  self->user = (user != NULL && *user != '\0') ? g_strdup (user) : NULL;
  self->password = (password != NULL && *password != '\0') ? g_strdup (password) : NULL;
  self->connect_timeout = DEFAULT_CONNECT_TIMEOUT;
  return TRUE;
}

/* Parses a sink URI: sqlite:///absolute/file or
 * postgresql://user[:password]@host[:port]/database[?sslmode=...]
 * (postgres:// too, as Supabase writes it). */
HsGdaUri *
hs_gda_uri_parse (const char *text,
                  GError    **error)
{
  g_autoptr(HsGdaUri) self = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *redacted = NULL;
  const char *scheme, *authority, *authority_end;
  guint n_at = 0;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  redacted = hs_gda_uri_redact (text);

  /* GUri would split user:p@ss@host at the first “@” and connect to the
   * wrong host; say how to write it instead. */
  if (find_authority (text, &authority, &authority_end))
    for (const char *p = authority; p < authority_end; p++)
      n_at += *p == '@';
  if (n_at > 1)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("The database URI %s has more than one “@”; write an “@” in the user name or password as %%40"),
                   redacted);
      return NULL;
    }

  uri = g_uri_parse (text,
                     G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED_QUERY | G_URI_FLAGS_NON_DNS,
                     &local_error);
  if (uri == NULL)
    {
      /* GUri's reason is left out: it may quote the part that failed. */
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a database URI; use sqlite:///path/to/file.db or postgresql://user@host:5432/database"),
                   redacted);
      return NULL;
    }

  self = g_new0 (HsGdaUri, 1);
  self->display = g_uri_to_string_partial (uri, G_URI_HIDE_PASSWORD);
  scheme = g_uri_get_scheme (uri);

  if (g_ascii_strcasecmp (scheme, "sqlite") == 0)
    {
      self->provider = HS_GDA_PROVIDER_SQLITE;
      if (!parse_sqlite (self, uri, error))
        return NULL;
    }
  else if (g_ascii_strcasecmp (scheme, "postgresql") == 0 ||
           g_ascii_strcasecmp (scheme, "postgres") == 0)
    {
      self->provider = HS_GDA_PROVIDER_POSTGRESQL;
      if (!parse_postgresql (self, uri, error))
        return NULL;
    }
  else
    {
      g_set_error (error, HS_ERROR, HS_ERROR_INVALID_ARGUMENT,
                   _("The gda sink cannot write “%s:” databases; use sqlite: or postgresql:"),
                   scheme);
      return NULL;
    }

  if (!parse_query (self, uri, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* The libgda provider name. */
const char *
hs_gda_uri_get_provider_name (const HsGdaUri *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->provider == HS_GDA_PROVIDER_SQLITE ? "SQLite" : "PostgreSQL";
}

/* Where the database is, for messages: a file name, or host:port. */
char *
hs_gda_uri_dup_location (const HsGdaUri *self)
{
  const char *host;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->provider == HS_GDA_PROVIDER_SQLITE)
    return g_strdup (self->path);

  host = self->host != NULL ? self->host : "localhost";
  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("[%s]:%d", host, self->port > 0 ? self->port : 5432);
  return g_strdup_printf ("%s:%d", host, self->port > 0 ? self->port : 5432);
}

static void
append_param (GString    *cnc,
              const char *key,
              const char *value)
{
  g_autofree char *encoded = gda_rfc1738_encode (value);

  if (cnc->len > 0)
    g_string_append_c (cnc, ';');
  g_string_append_printf (cnc, "%s=%s", key, encoded);
}

/* The libgda connection string.  For SQLite, APPEND_DB_EXTENSION=FALSE
 * keeps libgda from adding “.db” to the file name.  For PostgreSQL,
 * libgda 5.2 builds libpq's conninfo by pasting HOST and DB_NAME between
 * single quotes, and has no parameter for sslmode: its USE_SSL becomes
 * “requiressl=TRUE”, which libpq 15 reads as “do not require”.  So the
 * values are escaped for libpq here, and sslmode and the other TLS
 * keywords follow the database name as conninfo keywords of their own. */
char *
hs_gda_uri_dup_cnc_string (const HsGdaUri *self)
{
  GString *cnc = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);

  if (self->provider == HS_GDA_PROVIDER_SQLITE)
    {
      g_autofree char *dir = g_path_get_dirname (self->path);
      g_autofree char *name = g_path_get_basename (self->path);

      append_param (cnc, "DB_DIR", dir);
      append_param (cnc, "DB_NAME", name);
      append_param (cnc, "APPEND_DB_EXTENSION", "FALSE");
    }
  else
    {
      g_autofree char *database = escape_conninfo_value (self->database);
      g_autofree char *timeout = g_strdup_printf ("%u", self->connect_timeout);
      g_autoptr(GString) with_keywords = g_string_new (database);

      if (self->sslmode != NULL)
        g_string_append_printf (with_keywords, "' sslmode='%s", self->sslmode);
      for (guint i = 0; self->libpq_params != NULL && i + 1 < self->libpq_params->len; i += 2)
        {
          g_autofree char *value = escape_conninfo_value (g_ptr_array_index (self->libpq_params, i + 1));

          g_string_append_printf (with_keywords, "' %s='%s", (const char *) g_ptr_array_index (self->libpq_params, i),
                                  value);
        }

      if (self->host != NULL)
        {
          g_autofree char *host = escape_conninfo_value (self->host);

          append_param (cnc, "HOST", host);
        }
      if (self->port > 0)
        {
          g_autofree char *port = g_strdup_printf ("%d", self->port);

          append_param (cnc, "PORT", port);
        }
      append_param (cnc, "DB_NAME", with_keywords->str);
      append_param (cnc, "CONNECT_TIMEOUT", timeout);
    }

  return g_string_free (cnc, FALSE);
}

/* The libgda auth string for PostgreSQL, or %NULL for SQLite.  A %NULL
 * @password leaves libpq to its PGPASSWORD and ~/.pgpass. */
char *
hs_gda_uri_dup_auth_string (const HsGdaUri *self,
                            const char     *password)
{
  GString *auth;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->provider == HS_GDA_PROVIDER_SQLITE)
    return NULL;

  auth = g_string_new (NULL);
  if (self->user != NULL)
    {
      g_autofree char *user = escape_conninfo_value (self->user);

      append_param (auth, "USERNAME", user);
    }
  if (password != NULL && *password != '\0')
    {
      g_autofree char *escaped = escape_conninfo_value (password);

      append_param (auth, "PASSWORD", escaped);
    }
  return g_string_free (auth, FALSE);
}
