/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <halosync.h>
#include <libsoup/soup.h>

#include "hs-halo-rate-budget.h"
#include "hs-halo-retry.h"

G_BEGIN_DECLS

#define HS_TYPE_HALO_CLIENT (hs_halo_client_get_type ())

G_DECLARE_FINAL_TYPE (HsHaloClient, hs_halo_client, HS, HALO_CLIENT, GObject)

/**
 * HsHaloResizeFunc:
 * @user_data: the data passed with the function
 *
 * Returns: (transfer full) (nullable): the path and query of a smaller
 *   request to send in place of the one that failed, or %NULL to send it
 *   again as it was
 */
typedef char *(*HsHaloResizeFunc) (gpointer user_data);

HsHaloClient *hs_halo_client_new                 (SoupSession             *session,
                                                  HsHaloRateBudget        *budget);
gboolean      hs_halo_client_configure           (HsHaloClient            *self,
                                                  const char              *url,
                                                  const char              *tenant,
                                                  const char              *client_id,
                                                  const char              *secret,
                                                  GError                 **error);
void          hs_halo_client_set_retry_policy    (HsHaloClient            *self,
                                                  const HsHaloRetryPolicy *policy);
const char   *hs_halo_client_get_url             (HsHaloClient            *self);
guint64       hs_halo_client_get_n_requests      (HsHaloClient            *self);
void          hs_halo_client_get_async           (HsHaloClient            *self,
                                                  const char              *path_and_query,
                                                  HsPull                  *pull,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
void          hs_halo_client_get_resizable_async (HsHaloClient            *self,
                                                  const char              *path_and_query,
                                                  HsHaloResizeFunc         resize,
                                                  gpointer                 resize_data,
                                                  HsPull                  *pull,
                                                  GCancellable            *cancellable,
                                                  GAsyncReadyCallback      callback,
                                                  gpointer                 user_data);
GBytes       *hs_halo_client_get_finish          (HsHaloClient            *self,
                                                  GAsyncResult            *result,
                                                  GError                 **error);
gint64        hs_halo_client_get_response_time   (HsHaloClient            *self,
                                                  GAsyncResult            *result);

G_END_DECLS
