/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <halosync.h>

G_BEGIN_DECLS

#define HS_TYPE_GDA_SINK (hs_gda_sink_get_type ())

G_DECLARE_FINAL_TYPE (HsGdaSink, hs_gda_sink, HS, GDA_SINK, HsSink)

G_END_DECLS
