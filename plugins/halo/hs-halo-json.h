/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

JsonNode *hs_halo_json_parse_records (const char  *data,
                                      gsize        size,
                                      GHashTable  *wanted,
                                      GError     **error);

G_END_DECLS
