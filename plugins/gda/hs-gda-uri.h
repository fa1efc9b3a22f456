/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  HS_GDA_PROVIDER_SQLITE,
  HS_GDA_PROVIDER_POSTGRESQL,
} HsGdaProvider;

/* A sink URI taken apart: what libgda needs to connect, and what messages
 * may show of it. */
typedef struct
{
  HsGdaProvider provider;
  char *display;          /* the URI without its password */

  /* SQLite */
  char *path;             /* absolute file name */

  /* PostgreSQL */
  char *host;             /* (nullable): libpq's default */
  int port;               /* 0 for libpq's default */
  char *user;             /* (nullable): libpq's default */
  char *password;         /* (nullable): only when the URI carries one */
  char *database;
  char *sslmode;          /* (nullable): libpq's default */
  guint connect_timeout;  /* seconds */
  gboolean rls;           /* turn on row-level security after migrating */
  gboolean rls_anon;      /* and let Supabase's anon role read too */
  gboolean pooled;        /* behind a transaction pooler: nothing may outlive a transaction */
  char *schema;           /* (nullable): HaloSync's own schema, a plain lower-case name */
  GPtrArray *libpq_params; /* (nullable): further libpq keywords and values, alternating */
} HsGdaUri;

HsGdaUri   *hs_gda_uri_parse             (const char     *uri,
                                          GError        **error);
HsGdaUri   *hs_gda_uri_copy              (const HsGdaUri *self);
void        hs_gda_uri_free              (HsGdaUri       *self);
const char *hs_gda_uri_get_provider_name (const HsGdaUri *self);
char       *hs_gda_uri_dup_location      (const HsGdaUri *self);
char       *hs_gda_uri_dup_cnc_string    (const HsGdaUri *self);
char       *hs_gda_uri_dup_auth_string   (const HsGdaUri *self,
                                          const char     *password);
char       *hs_gda_uri_redact            (const char     *uri);
char       *hs_gda_scrub_secret          (const char     *text,
                                          const char     *secret);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsGdaUri, hs_gda_uri_free)

G_END_DECLS
