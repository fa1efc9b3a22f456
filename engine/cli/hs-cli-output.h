/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _HsCliTable HsCliTable;

HsCliTable *hs_cli_table_new           (const char  *first_header,
                                        ...) G_GNUC_NULL_TERMINATED;
void        hs_cli_table_add_row       (HsCliTable  *table,
                                        const char  *first_cell,
                                        ...) G_GNUC_NULL_TERMINATED;
void        hs_cli_table_set_numeric   (HsCliTable  *table,
                                        guint        column);
void        hs_cli_table_print         (HsCliTable  *table);
void        hs_cli_table_free          (HsCliTable  *table);

glong       hs_cli_display_width       (const char  *text);
char       *hs_cli_fit_width           (const char  *text,
                                        glong        width);

char       *hs_cli_format_count        (guint64      count);
char       *hs_cli_format_time         (gint64       usec);
char       *hs_cli_format_iso_time     (gint64       usec);
char       *hs_cli_format_duration     (gint64       usec);
char       *hs_cli_format_hours        (double       hours);

void        hs_cli_print_json          (JsonNode    *node);
void        hs_cli_print_json_line     (JsonNode    *node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsCliTable, hs_cli_table_free)

G_END_DECLS
