/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "hs-error.h"
#include "hs-secret-private.h"

/* Secrets are kept by kind and by the account they open (the Halo URL and
 * client id, or the database URI without its password), so switching
 * between tenants or databases picks the matching secret. */
static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "org.example.HaloSync.Secret", SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };

  return &schema;
}

static const char *
kind_to_attribute (HsSecretKind kind)
{
  switch (kind)
    {
    case HS_SECRET_HALO_CLIENT_SECRET:
      return "halo-client-secret";
    case HS_SECRET_DATABASE_PASSWORD:
      return "database-password";
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
_hs_secret_env_var (HsSecretKind kind)
{
  switch (kind)
    {
    case HS_SECRET_HALO_CLIENT_SECRET:
      return "HALOSYNC_HALO_CLIENT_SECRET";
    case HS_SECRET_DATABASE_PASSWORD:
      return "HALOSYNC_DB_PASSWORD";
    default:
      g_return_val_if_reached (NULL);
    }
}

static const char *
kind_to_label (HsSecretKind kind)
{
  switch (kind)
    {
    case HS_SECRET_HALO_CLIENT_SECRET:
      return _("Halo client secret");
    case HS_SECRET_DATABASE_PASSWORD:
      return _("database password");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* What a lookup that found nothing says.  No Secret Service on the bus
 * is normal on a headless machine: the person needs to know both ways to
 * provide the secret, not why the keyring was unreachable. */
static GError *
not_stored_error (HsSecretKind  kind,
                  const GError *lookup_error)
{
  if (lookup_error != NULL)
    g_debug ("Secret Service lookup failed: %s", lookup_error->message);

  return g_error_new (HS_ERROR, HS_ERROR_NOT_CONFIGURED,
                      _("No %s is stored: save it in HaloSync’s preferences (the keyring) or set %s"),
                      kind_to_label (kind), _hs_secret_env_var (kind));
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HsSecretKind kind = GPOINTER_TO_UINT (g_task_get_task_data (task));
  g_autoptr(GError) error = NULL;
  char *secret;

  secret = secret_password_lookup_finish (result, &error);
  if (secret != NULL)
    {
      g_task_return_pointer (task, secret, (GDestroyNotify) secret_password_free);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_error (task, not_stored_error (kind, error));
}

/* The blocking form of _hs_secret_lookup_async(), for a sink opening on
 * its worker thread. */
char *
_hs_secret_lookup (HsSecretKind  kind,
                   const char   *account,
                   GCancellable *cancellable,
                   GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  const char *env = g_getenv (_hs_secret_env_var (kind));
  char *secret;

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  secret = secret_password_lookup_sync (get_schema (), cancellable, &local_error,
                                        "kind", kind_to_attribute (kind),
                                        "account", account != NULL ? account : "",
                                        NULL);
  if (secret != NULL)
    {
      char *copy = g_strdup (secret);

      secret_password_free (secret);
      return copy;
    }

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_propagate_error (error, not_stored_error (kind, local_error));
  return NULL;
}

void
_hs_secret_lookup_async (HsSecretKind        kind,
                         const char         *account,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *env;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, _hs_secret_lookup_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (kind), NULL);

  env = g_getenv (_hs_secret_env_var (kind));
  if (env != NULL && *env != '\0')
    {
      g_task_return_pointer (task, g_strdup (env), g_free);
      return;
    }

  secret_password_lookup (get_schema (), cancellable, lookup_cb, g_steal_pointer (&task),
                          "kind", kind_to_attribute (kind),
                          "account", account != NULL ? account : "",
                          NULL);
}

char *
_hs_secret_lookup_finish (GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, HS_ERROR, HS_ERROR_NOT_CONFIGURED,
                                 _("The keyring could not store the secret: %s"),
                                 error->message);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

void
_hs_secret_store_async (HsSecretKind        kind,
                        const char         *account,
                        const char         *secret,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, _hs_secret_store_async);

  label = g_strdup_printf ("HaloSync %s", kind_to_label (kind));
  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                         cancellable, store_cb, g_steal_pointer (&task),
                         "kind", kind_to_attribute (kind),
                         "account", account != NULL ? account : "",
                         NULL);
}

gboolean
_hs_secret_store_finish (GAsyncResult *result,
                         GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
