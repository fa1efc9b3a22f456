/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <halosync.h>

#include "hs-ipc-engine1.h"

G_BEGIN_DECLS

#define HS_TYPE_SERVICE (hs_service_get_type ())

G_DECLARE_FINAL_TYPE (HsService, hs_service, HS, SERVICE, GObject)

HsService    *hs_service_new                  (GBusType      bus_type);
void          hs_service_reconnect            (HsService    *self);
gboolean      hs_service_get_available        (HsService    *self);
const char   *hs_service_get_error_message    (HsService    *self);
HsIpcEngine1 *hs_service_get_proxy            (HsService    *self);
GListModel   *hs_service_get_fiscal_years     (HsService    *self);
const char   *hs_service_get_fiscal_years_error (HsService  *self);
HsFiscalYear *hs_service_find_fiscal_year     (HsService    *self,
                                               const char   *label);
HsFiscalYear *hs_service_get_latest_fiscal_year (HsService  *self);
void          hs_service_refresh_fiscal_years (HsService    *self);
HsRun        *hs_service_get_current_run      (HsService    *self);
HsRun        *hs_service_get_last_run         (HsService    *self);
gint64        hs_service_get_next_run         (HsService    *self);
const char   *hs_service_get_sync_error       (HsService    *self);
void          hs_service_sync                 (HsService    *self,
                                               const char   *fiscal_year);
void          hs_service_cancel               (HsService    *self);
char         *hs_service_dup_error_text       (const GError *error);

G_END_DECLS
