/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <halosync.h>

G_BEGIN_DECLS

#define HS_TYPE_HALO_SOURCE (hs_halo_source_get_type ())

G_DECLARE_FINAL_TYPE (HsHaloSource, hs_halo_source, HS, HALO_SOURCE, HsSource)

G_END_DECLS
