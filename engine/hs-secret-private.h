/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-config.h"

G_BEGIN_DECLS

const char *_hs_secret_env_var      (HsSecretKind          kind);
void        _hs_secret_lookup_async (HsSecretKind          kind,
                                     const char           *account,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
char       *_hs_secret_lookup_finish (GAsyncResult        *result,
                                      GError             **error);
char       *_hs_secret_lookup       (HsSecretKind          kind,
                                     const char           *account,
                                     GCancellable         *cancellable,
                                     GError              **error);
void        _hs_secret_store_async  (HsSecretKind          kind,
                                     const char           *account,
                                     const char           *secret,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
gboolean    _hs_secret_store_finish (GAsyncResult         *result,
                                     GError              **error);

G_END_DECLS
