/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-test.h"
#include "hs-test-sim.h"

G_BEGIN_DECLS

/* A halo-sim process and a Halo source configured for it, the way the
 * engine creates one: from the built plugin, with an HsConfig. */
typedef struct
{
  HsTestSim *sim;
  GSettings *settings;
  HsConfig *config;
  HsSource *source;
  SoupSession *session;   /* for hs_test_halo_api_get() */
  char *token;
} HsTestHalo;

/* What a pull handed over. */
typedef struct
{
  GPtrArray *batches[HS_N_STREAMS];  /* (element-type HsRecordBatch) */
  guint n_records[HS_N_STREAMS];
  GArray *streams;                   /* (element-type HsStream): begun, in order */
  GPtrArray *warnings;               /* (element-type utf8) */
} HsTestHaloLog;

HsTestHalo    *hs_test_halo_new           (const char * const *sim_args);
void           hs_test_halo_free          (HsTestHalo         *self);
HsSource      *hs_test_halo_new_source    (HsConfig           *config);
JsonNode      *hs_test_halo_control       (HsTestHalo         *self,
                                           const char         *method,
                                           const char         *path,
                                           const char         *json);
JsonNode      *hs_test_halo_api_get       (HsTestHalo         *self,
                                           const char         *path);
gint64         hs_test_halo_counter       (HsTestHalo         *self,
                                           const char         *group,
                                           const char         *name);
HsPull        *hs_test_halo_new_pull      (const char         *start,
                                           const char         *end,
                                           HsSyncMode          mode);
HsTestHaloLog *hs_test_halo_log_new       (HsPull             *pull);
void           hs_test_halo_log_free      (HsTestHaloLog      *log);
gboolean       hs_test_halo_pull          (HsSource           *source,
                                           HsPull             *pull,
                                           GCancellable       *cancellable,
                                           GError            **error);
char          *hs_test_halo_date          (int                 days_from_today);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsTestHalo, hs_test_halo_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsTestHaloLog, hs_test_halo_log_free)

G_END_DECLS
