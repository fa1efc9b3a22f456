/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-halo-source.h"

HS_PLUGIN_DEFINE (hs_halo_source_get_type)
