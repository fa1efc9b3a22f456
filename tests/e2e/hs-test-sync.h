/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-test-db.h"
#include "hs-test-sim.h"

G_BEGIN_DECLS

/* The demo fiscal year the simulator's default data range covers. */
#define HS_TEST_FY "FY2026"
#define HS_TEST_FY_START "2025-07-01"
#define HS_TEST_FY_END "2026-06-30"

typedef struct _HsTestSync HsTestSync;

HsTestSync *hs_test_sync_new             (HsTestDbKind         kind,
                                          const char * const  *sim_args);
HsTestSync *hs_test_sync_new_for_uri     (const char          *sink_uri,
                                          const char * const  *sim_args);
void        hs_test_sync_free            (HsTestSync          *self);
HsTestSim  *hs_test_sync_get_sim         (HsTestSync          *self);
HsTestDb   *hs_test_sync_get_db          (HsTestSync          *self);
HsEngine   *hs_test_sync_get_engine      (HsTestSync          *self);
HsEngine   *hs_test_sync_new_engine      (HsTestSync          *self,
                                          HsTestDb            *db);
HsEngine   *hs_test_sync_new_engine_for_uri (HsTestSync        *self,
                                             const char        *sink_uri);
HsRun      *hs_test_sync_run             (HsEngine            *engine,
                                          const char          *fiscal_year,
                                          HsSyncMode           mode,
                                          HsSyncFlags          flags);
HsRun      *hs_test_sync_create_fiscal_year (HsEngine         *engine,
                                             const char       *label,
                                             const char       *start,
                                             const char       *end);
void        hs_test_sync_map_agent       (HsEngine            *engine,
                                          gint64               halo_id,
                                          const char          *member,
                                          const char          *team);
void        hs_test_sync_assert_succeeded (HsRun             *run);
JsonNode   *hs_test_sync_control         (HsTestSync          *self,
                                          const char          *method,
                                          const char          *path,
                                          const char          *json);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsTestSync, hs_test_sync_free)

G_END_DECLS
