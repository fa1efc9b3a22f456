/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HALOSYNC_INSIDE) && !defined(HALOSYNC_COMPILATION)
#error "Only <halosync.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * HS_FISCAL_YEAR_MAX_LABEL:
 *
 * The longest label a fiscal year may have, in characters.
 */
#define HS_FISCAL_YEAR_MAX_LABEL 64

#define HS_TYPE_FISCAL_YEAR (hs_fiscal_year_get_type ())

G_DECLARE_FINAL_TYPE (HsFiscalYear, hs_fiscal_year, HS, FISCAL_YEAR, GObject)

HsFiscalYear *hs_fiscal_year_new                (const char   *label,
                                                 const char   *start,
                                                 const char   *end,
                                                 GError      **error);
const char   *hs_fiscal_year_get_label          (HsFiscalYear *self);
const GDate  *hs_fiscal_year_get_start          (HsFiscalYear *self);
const GDate  *hs_fiscal_year_get_end            (HsFiscalYear *self);
char         *hs_fiscal_year_dup_start_text     (HsFiscalYear *self);
char         *hs_fiscal_year_dup_end_text       (HsFiscalYear *self);
gint64        hs_fiscal_year_get_window_start   (HsFiscalYear *self);
gint64        hs_fiscal_year_get_window_end     (HsFiscalYear *self);
gboolean      hs_fiscal_year_overlaps           (HsFiscalYear *self,
                                                 HsFiscalYear *other);
HsFiscalYear *hs_fiscal_year_find_latest        (GPtrArray    *years,
                                                 const GDate  *today);
gboolean      hs_fiscal_year_check_conflicts    (HsFiscalYear *self,
                                                 GPtrArray    *existing,
                                                 GError      **error);
gboolean      hs_fiscal_year_parse_date         (const char   *text,
                                                 GDate        *date,
                                                 GError      **error);

G_END_DECLS
