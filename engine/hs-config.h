/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HALOSYNC_INSIDE) && !defined(HALOSYNC_COMPILATION)
#error "Only <halosync.h> can be included directly."
#endif

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * HsSecretKind:
 * @HS_SECRET_HALO_CLIENT_SECRET: the OAuth2 client secret of the Halo API
 *   application
 * @HS_SECRET_DATABASE_PASSWORD: the password of the PostgreSQL sink
 *
 * The secrets HaloSync needs.  They live in the Secret Service, or for
 * headless use in `HALOSYNC_HALO_CLIENT_SECRET` and `HALOSYNC_DB_PASSWORD`;
 * never in settings, logs, errors or the database.
 */
typedef enum
{
  HS_SECRET_HALO_CLIENT_SECRET,
  HS_SECRET_DATABASE_PASSWORD,
} HsSecretKind;

#define HS_TYPE_CONFIG (hs_config_get_type ())

G_DECLARE_FINAL_TYPE (HsConfig, hs_config, HS, CONFIG, GObject)

HsConfig   *hs_config_new                    (void);
HsConfig   *hs_config_new_with_settings      (GSettings    *settings);
GSettings  *hs_config_get_settings           (HsConfig     *self);
const char *hs_config_get_halo_url           (HsConfig     *self);
const char *hs_config_get_halo_tenant        (HsConfig     *self);
const char *hs_config_get_halo_client_id     (HsConfig     *self);
const char *hs_config_get_sink_uri           (HsConfig     *self);
const char *hs_config_get_source             (HsConfig     *self);
gboolean    hs_config_get_schedule_enabled   (HsConfig     *self);
guint       hs_config_get_schedule_interval  (HsConfig     *self);
guint       hs_config_get_look_back_minutes  (HsConfig     *self);
gboolean    hs_config_get_sync_on_metered    (HsConfig     *self);
guint       hs_config_get_rate_limit_requests (HsConfig    *self);
guint       hs_config_get_rate_limit_window  (HsConfig     *self);
guint       hs_config_get_max_delete_percent (HsConfig     *self);
gboolean    hs_config_is_overridden          (HsConfig     *self,
                                              const char   *property);
char       *hs_config_dup_default_sink_uri   (void);
char       *hs_config_normalize_halo_url     (const char   *url,
                                              GError      **error);
char       *hs_config_dup_environment_file_path (void);
gboolean    hs_config_load_environment_file  (GError      **error);

char       *hs_config_lookup_secret          (HsConfig            *self,
                                              HsSecretKind         kind,
                                              GCancellable        *cancellable,
                                              GError             **error);
void        hs_config_lookup_secret_async    (HsConfig            *self,
                                              HsSecretKind         kind,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
char       *hs_config_lookup_secret_finish   (HsConfig            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void        hs_config_store_secret_async     (HsConfig            *self,
                                              HsSecretKind         kind,
                                              const char          *secret,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean    hs_config_store_secret_finish    (HsConfig            *self,
                                              GAsyncResult        *result,
                                              GError             **error);
gboolean    hs_config_is_secret_overridden   (HsConfig            *self,
                                              HsSecretKind         kind);

G_END_DECLS
