/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-gda-sink.h"

/* The two symbols the plugin loader looks for; everything else in the
 * module is hidden. */
HS_PLUGIN_DEFINE (hs_gda_sink_get_type)
