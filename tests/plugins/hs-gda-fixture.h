/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-gda-test.h"

G_BEGIN_DECLS

typedef struct
{
  HsTestDb *db;
  HsSink *sink;
} HsGdaFixture;

/* The synced tables and the summary built from them. */
extern const char * const hs_gda_fixture_synced_tables[];

void           hs_gda_fixture_init         (HsGdaFixture *fixture,
                                            HsTestDbKind  kind);
void           hs_gda_fixture_clear        (HsGdaFixture *fixture);
HsRun         *hs_gda_fixture_begin        (HsGdaFixture *fixture,
                                            HsSyncMode    mode);
void           hs_gda_fixture_commit       (HsGdaFixture *fixture,
                                            HsRun        *run);
HsRecordBatch *hs_gda_fixture_tickets      (gint64        first,
                                            guint         n,
                                            int           version);
HsRecordBatch *hs_gda_fixture_time_entries (gint64        ticket,
                                            guint         n);
HsRecordBatch *hs_gda_fixture_agents       (guint         n);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HsGdaFixture, hs_gda_fixture_clear)

G_END_DECLS
