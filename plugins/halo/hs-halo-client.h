/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <halosync.h>
#include <libsoup/soup.h>

#include "hs-halo-rate-budget.h"
#include "hs-halo-retry.h"

G_BEGIN_DECLS

#define HS_TYPE_HALO_CLIENT (hs_halo_client_get_type ())

G_DECLARE_FINAL_TYPE (HsHaloClient, hs_halo_client, HS, HALO_CLIENT, GObject)

HsHaloClient *hs_halo_client_new              (SoupSession             *session,
                                               HsHaloRateBudget        *budget);
gboolean      hs_halo_client_configure        (HsHaloClient            *self,
                                               const char              *url,
                                               const char              *tenant,
                                               const char              *client_id,
                                               const char              *secret,
                                               GError                 **error);
void          hs_halo_client_set_retry_policy (HsHaloClient            *self,
                                               const HsHaloRetryPolicy *policy);
const char   *hs_halo_client_get_url          (HsHaloClient            *self);
guint64       hs_halo_client_get_n_requests   (HsHaloClient            *self);
void          hs_halo_client_get_async        (HsHaloClient            *self,
                                               const char              *path_and_query,
                                               HsPull                  *pull,
                                               GCancellable            *cancellable,
                                               GAsyncReadyCallback      callback,
                                               gpointer                 user_data);
GBytes       *hs_halo_client_get_finish       (HsHaloClient            *self,
                                               GAsyncResult            *result,
                                               GError                 **error);

G_END_DECLS
