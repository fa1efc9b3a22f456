/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <halosync.h>

#include "hs-ipc-engine1.h"
#include "hs-remedy.h"

G_BEGIN_DECLS

#define HS_TYPE_ENGINE_CLIENT (hs_engine_client_get_type ())

G_DECLARE_FINAL_TYPE (HsEngineClient, hs_engine_client, HS, ENGINE_CLIENT, GObject)

HsEngineClient *hs_engine_client_new                    (GBusType        bus_type);
void            hs_engine_client_reconnect              (HsEngineClient *self);
gboolean        hs_engine_client_get_available          (HsEngineClient *self);
const char     *hs_engine_client_get_error_message      (HsEngineClient *self);
HsIpcEngine1   *hs_engine_client_get_proxy              (HsEngineClient *self);
GListModel     *hs_engine_client_get_fiscal_years       (HsEngineClient *self);
const char     *hs_engine_client_get_fiscal_years_error (HsEngineClient *self);
HsFiscalYear   *hs_engine_client_find_fiscal_year       (HsEngineClient *self,
                                                         const char     *label);
HsFiscalYear   *hs_engine_client_get_latest_fiscal_year (HsEngineClient *self);
void            hs_engine_client_refresh_fiscal_years   (HsEngineClient *self);
HsRun          *hs_engine_client_get_current_run        (HsEngineClient *self);
HsRun          *hs_engine_client_get_last_run           (HsEngineClient *self);
gint64          hs_engine_client_get_next_run           (HsEngineClient *self);
const char     *hs_engine_client_get_sync_error         (HsEngineClient *self);
HsRemedy        hs_engine_client_get_sync_error_remedy  (HsEngineClient *self);
HsRun          *hs_engine_client_get_year_last_run      (HsEngineClient *self,
                                                         const char     *label);
HsRun          *hs_engine_client_get_year_last_success  (HsEngineClient *self,
                                                         const char     *label);
void            hs_engine_client_sync                   (HsEngineClient *self,
                                                         const char     *fiscal_year);
void            hs_engine_client_sync_full              (HsEngineClient *self,
                                                         const char     *fiscal_year,
                                                         HsSyncMode      mode,
                                                         HsSyncFlags     flags);
void            hs_engine_client_cancel                 (HsEngineClient *self);
void            hs_engine_client_set_window_active      (HsEngineClient *self,
                                                         gboolean        active);
char           *hs_engine_client_dup_error_text         (const GError   *error);

G_END_DECLS
