/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-sink-run.h"

G_BEGIN_DECLS

void _hs_sink_run_set_up (HsSinkRun    *self,
                          const char   *sink_name,
                          HsFiscalYear *fiscal_year,
                          HsSyncMode    mode);

G_END_DECLS
