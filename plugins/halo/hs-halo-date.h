/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * HsHaloDate:
 * @HS_HALO_DATE_INVALID: the text is not a date Halo would send
 * @HS_HALO_DATE_EMPTY: Halo's "no date" sentinel (a year up to 1900)
 * @HS_HALO_DATE_VALID: a date; its value is set
 *
 * What hs_halo_date_parse() found.
 */
typedef enum
{
  HS_HALO_DATE_INVALID,
  HS_HALO_DATE_EMPTY,
  HS_HALO_DATE_VALID,
} HsHaloDate;

HsHaloDate hs_halo_date_parse  (const char *text,
                                gint64     *usec);
char      *hs_halo_date_format (gint64      usec);

G_END_DECLS
