/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The secrets a configuration points to.  They are never properties: the
 * settings say which Halo client and which database, the keyring (or the
 * environment) holds what authenticates to them. */
#include "config.h"

#include <string.h>

#include "hs-config.h"
#include "hs-error.h"
#include "hs-secret-private.h"

/* The account a secret belongs to: for the database, the URI without any
 * password or query, so the keyring entry survives an sslmode change;
 * for Halo, the normalised URL, so a trailing slash or a pasted /api
 * does not lose it. */
static char *
dup_secret_account (HsConfig    *self,
                    HsSecretKind kind)
{
  g_autoptr(GUri) uri = NULL;

  if (kind == HS_SECRET_HALO_CLIENT_SECRET)
    {
      g_autofree char *url = hs_config_normalize_halo_url (hs_config_get_halo_url (self), NULL);

      return g_strdup_printf ("%s|%s", url != NULL ? url : hs_config_get_halo_url (self),
                              hs_config_get_halo_client_id (self));
    }

  uri = g_uri_parse (hs_config_get_sink_uri (self), G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return g_strdup (hs_config_get_sink_uri (self));

  return g_uri_join (G_URI_FLAGS_NONE,
                     g_uri_get_scheme (uri), g_uri_get_user (uri), g_uri_get_host (uri),
                     g_uri_get_port (uri), g_uri_get_path (uri), NULL, NULL);
}

/* Where a secret may be found, best first: its account, then — for a
 * client secret stored before Halo URLs were normalised — the URL exactly
 * as it was typed. */
static GStrv
dup_lookup_accounts (HsConfig    *self,
                     HsSecretKind kind)
{
  g_autoptr(GStrvBuilder) accounts = g_strv_builder_new ();
  g_autofree char *account = dup_secret_account (self, kind);

  g_strv_builder_add (accounts, account);
  if (kind == HS_SECRET_HALO_CLIENT_SECRET)
    {
      g_autofree char *literal = g_strdup_printf ("%s|%s", hs_config_get_halo_url (self),
                                                  hs_config_get_halo_client_id (self));

      if (strcmp (literal, account) != 0)
        g_strv_builder_add (accounts, literal);
    }
  return g_strv_builder_end (accounts);
}

typedef struct
{
  HsSecretKind kind;
  GStrv accounts;  /* (owned) */
  guint next;      /* the account to try next */
} LookupData;

static void
lookup_data_free (LookupData *data)
{
  g_strfreev (data->accounts);
  g_free (data);
}

static void lookup_next_account (GTask *task);

static void
lookup_secret_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LookupData *data = g_task_get_task_data (task);
  GError *error = NULL;
  char *secret;

  secret = _hs_secret_lookup_finish (result, &error);
  if (secret != NULL)
    g_task_return_pointer (task, secret, g_free);
  else if (g_error_matches (error, HS_ERROR, HS_ERROR_NOT_CONFIGURED) && data->accounts[data->next] != NULL)
    {
      g_error_free (error);
      lookup_next_account (g_steal_pointer (&task));
    }
  else
    g_task_return_error (task, error);
}

/* Takes over @task. */
static void
lookup_next_account (GTask *task)
{
  LookupData *data = g_task_get_task_data (task);
  const char *account = data->accounts[data->next++];

  _hs_secret_lookup_async (data->kind, account, g_task_get_cancellable (task), lookup_secret_cb, task);
}

/**
 * hs_config_lookup_secret_async:
 * @self: a configuration
 * @kind: which secret
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Looks up a secret: the environment variable of @kind when set, otherwise
 * the Secret Service.  A missing Secret Service is not an error when the
 * environment supplies the secret.
 */
void
hs_config_lookup_secret_async (HsConfig           *self,
                               HsSecretKind        kind,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  LookupData *data;

  g_return_if_fail (HS_IS_CONFIG (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (LookupData, 1);
  data->kind = kind;
  data->accounts = dup_lookup_accounts (self, kind);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hs_config_lookup_secret_async);
  g_task_set_task_data (task, data, (GDestroyNotify) lookup_data_free);
  lookup_next_account (g_steal_pointer (&task));
}

/**
 * hs_config_lookup_secret:
 * @self: a configuration
 * @kind: which secret
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * The blocking form of hs_config_lookup_secret_async(), for code on a
 * worker thread such as a sink opening its database.
 *
 * Returns: (transfer full): the secret, or %NULL with
 *   %HS_ERROR_NOT_CONFIGURED if none is stored; free it with g_free()
 */
char *
hs_config_lookup_secret (HsConfig     *self,
                         HsSecretKind  kind,
                         GCancellable *cancellable,
                         GError      **error)
{
  g_auto(GStrv) accounts = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (HS_IS_CONFIG (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  accounts = dup_lookup_accounts (self, kind);
  for (guint i = 0; accounts[i] != NULL; i++)
    {
      char *secret;

      g_clear_error (&local_error);
      secret = _hs_secret_lookup (kind, accounts[i], cancellable, &local_error);
      if (secret != NULL)
        return secret;
      if (!g_error_matches (local_error, HS_ERROR, HS_ERROR_NOT_CONFIGURED))
        break;
    }
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/**
 * hs_config_lookup_secret_finish:
 * @self: a configuration
 * @result: the result
 * @error: return location for an error
 *
 * Returns: (transfer full): the secret, or %NULL with
 *   %HS_ERROR_NOT_CONFIGURED if none is stored; free it with g_free()
 */
char *
hs_config_lookup_secret_finish (HsConfig     *self,
                                GAsyncResult *result,
                                GError      **error)
{
  g_return_val_if_fail (HS_IS_CONFIG (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
store_secret_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!_hs_secret_store_finish (result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * hs_config_store_secret_async:
 * @self: a configuration
 * @kind: which secret
 * @secret: the secret
 * @cancellable: (nullable): a cancellable
 * @callback: called with the result
 * @user_data: data for @callback
 *
 * Stores a secret in the Secret Service for the current Halo URL and
 * client id, or the current database URI.
 */
void
hs_config_store_secret_async (HsConfig           *self,
                              HsSecretKind        kind,
                              const char         *secret,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *account = NULL;

  g_return_if_fail (HS_IS_CONFIG (self));
  g_return_if_fail (secret != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hs_config_store_secret_async);

  account = dup_secret_account (self, kind);
  _hs_secret_store_async (kind, account, secret, cancellable, store_secret_cb, g_steal_pointer (&task));
}

/**
 * hs_config_store_secret_finish:
 * @self: a configuration
 * @result: the result
 * @error: return location for an error
 *
 * Returns: %TRUE if the secret was stored
 */
gboolean
hs_config_store_secret_finish (HsConfig     *self,
                               GAsyncResult *result,
                               GError      **error)
{
  g_return_val_if_fail (HS_IS_CONFIG (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * hs_config_is_secret_overridden:
 * @self: a configuration
 * @kind: which secret
 *
 * Returns: %TRUE if an environment variable supplies the secret, so one
 *   in the keyring is neither looked up nor used
 */
gboolean
hs_config_is_secret_overridden (HsConfig     *self,
                                HsSecretKind  kind)
{
  const char *env;

  g_return_val_if_fail (HS_IS_CONFIG (self), FALSE);

  env = g_getenv (_hs_secret_env_var (kind));
  return env != NULL && *env != '\0';
}
