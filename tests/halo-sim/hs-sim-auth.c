/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "hs-sim-auth.h"

/**
 * HsSimAuth:
 *
 * Halo's authorisation server as far as client credentials go: it checks
 * the client id, secret and (when one is configured) the tenant, and
 * hands out bearer tokens that expire after a lifetime measured on the
 * monotonic clock, so changing the wall clock cannot revive or kill them.
 * A new token leaves the older ones valid.
 */
struct _HsSimAuth
{
  GObject parent_instance;

  char *client_id;
  char *client_secret;
  char *tenant;             /* (nullable): any tenant or none when NULL */
  guint lifetime;           /* seconds */
  GHashTable *tokens;       /* (owned): token → expiry (monotonic µs, boxed) */
};

G_DEFINE_FINAL_TYPE (HsSimAuth, hs_sim_auth, G_TYPE_OBJECT)

static void
hs_sim_auth_finalize (GObject *object)
{
  HsSimAuth *self = HS_SIM_AUTH (object);

  g_clear_pointer (&self->client_id, g_free);
  g_clear_pointer (&self->client_secret, g_free);
  g_clear_pointer (&self->tenant, g_free);
  g_clear_pointer (&self->tokens, g_hash_table_unref);

  G_OBJECT_CLASS (hs_sim_auth_parent_class)->finalize (object);
}

static void
hs_sim_auth_class_init (HsSimAuthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hs_sim_auth_finalize;
}

static void
hs_sim_auth_init (HsSimAuth *self)
{
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

HsSimAuth *
hs_sim_auth_new (const char *client_id,
                 const char *client_secret,
                 const char *tenant,
                 guint       lifetime)
{
  HsSimAuth *self = g_object_new (HS_SIM_TYPE_AUTH, NULL);

  self->client_id = g_strdup (client_id);
  self->client_secret = g_strdup (client_secret);
  self->tenant = g_strdup (tenant);
  self->lifetime = lifetime;
  return self;
}

/* A wrong tenant is refused like a wrong secret: Halo would look the
 * client up in another tenant's database and not find it. */
gboolean
hs_sim_auth_check_client (HsSimAuth  *self,
                          const char *client_id,
                          const char *client_secret,
                          const char *tenant)
{
  g_return_val_if_fail (HS_SIM_IS_AUTH (self), FALSE);

  if (g_strcmp0 (client_id, self->client_id) != 0 ||
      g_strcmp0 (client_secret, self->client_secret) != 0)
    return FALSE;
  if (self->tenant != NULL && g_ascii_strcasecmp (tenant != NULL ? tenant : "", self->tenant) != 0)
    return FALSE;
  return TRUE;
}

/* 32 random bytes as hex.  GLib's generator is seeded from /dev/urandom;
 * a test server needs unguessable tokens, not a cryptographic guarantee. */
char *
hs_sim_auth_random_token (void)
{
  GString *token = g_string_sized_new (64);

  for (guint i = 0; i < 8; i++)
    g_string_append_printf (token, "%08x", g_random_int ());
  return g_string_free (token, FALSE);
}

char *
hs_sim_auth_issue_token (HsSimAuth *self)
{
  char *token;
  gint64 *expiry;

  g_return_val_if_fail (HS_SIM_IS_AUTH (self), NULL);

  token = hs_sim_auth_random_token ();
  expiry = g_new (gint64, 1);
  *expiry = g_get_monotonic_time () + (gint64) self->lifetime * G_USEC_PER_SEC;
  g_hash_table_insert (self->tokens, g_strdup (token), expiry);
  return token;
}

guint
hs_sim_auth_get_lifetime (HsSimAuth *self)
{
  g_return_val_if_fail (HS_SIM_IS_AUTH (self), 0);
  return self->lifetime;
}

/* Accepts an Authorization header value of the form "Bearer <token>"
 * naming a token that was issued, not revoked, and has not expired. */
gboolean
hs_sim_auth_check_bearer (HsSimAuth  *self,
                          const char *authorization)
{
  const gint64 *expiry;
  const char *token;

  g_return_val_if_fail (HS_SIM_IS_AUTH (self), FALSE);

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return FALSE;
  token = authorization + 7;
  while (*token == ' ')
    token++;

  expiry = g_hash_table_lookup (self->tokens, token);
  if (expiry == NULL)
    return FALSE;
  if (g_get_monotonic_time () >= *expiry)
    {
      g_hash_table_remove (self->tokens, token);
      return FALSE;
    }
  return TRUE;
}

void
hs_sim_auth_revoke_all (HsSimAuth *self)
{
  g_return_if_fail (HS_SIM_IS_AUTH (self));
  g_hash_table_remove_all (self->tokens);
}
