/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define HS_TEST_TYPE_SIM (hs_test_sim_get_type ())

G_DECLARE_FINAL_TYPE (HsTestSim, hs_test_sim, HS_TEST, SIM, GObject)

HsTestSim  *hs_test_sim_new               (const char * const  *args,
                                           GError             **error);
const char *hs_test_sim_get_base_url      (HsTestSim           *self);
const char *hs_test_sim_get_client_id     (HsTestSim           *self);
const char *hs_test_sim_get_client_secret (HsTestSim           *self);
const char *hs_test_sim_get_control_token (HsTestSim           *self);
char       *hs_test_sim_fetch_token       (HsTestSim           *self,
                                           GError             **error);
JsonNode   *hs_test_sim_control           (HsTestSim           *self,
                                           const char          *method,
                                           const char          *path,
                                           const char          *json,
                                           GError             **error);
gboolean    hs_test_sim_stop              (HsTestSim           *self,
                                           GError             **error);

G_END_DECLS
