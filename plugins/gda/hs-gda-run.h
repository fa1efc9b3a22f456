/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <halosync.h>

#include "hs-gda-sink.h"

G_BEGIN_DECLS

#define HS_TYPE_GDA_RUN (hs_gda_run_get_type ())

G_DECLARE_FINAL_TYPE (HsGdaRun, hs_gda_run, HS, GDA_RUN, HsSinkRun)

HsSinkRun *hs_gda_run_new (HsGdaSink *sink);

G_END_DECLS
