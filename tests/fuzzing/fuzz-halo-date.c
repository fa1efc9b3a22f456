/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "hs-halo-date.h"

int LLVMFuzzerTestOneInput (const guint8 *data,
                            size_t        size);

/* Halo's date parser, and that every date it accepts survives the
 * formatter, which cuts to the second: what HaloSync sends back to Halo
 * as a filter is the second it read. */
int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *formatted = NULL;
  gint64 usec = 0, second, again = 0;

  if (strlen (text) != size || hs_halo_date_parse (text, &usec) != HS_HALO_DATE_VALID)
    return 0;

  second = usec - ((usec % G_USEC_PER_SEC) + G_USEC_PER_SEC) % G_USEC_PER_SEC;
  formatted = hs_halo_date_format (usec);
  if (hs_halo_date_parse (formatted, &again) != HS_HALO_DATE_VALID || again != second)
    g_error ("%s parsed as %" G_GINT64_FORMAT ", formatted as %s, which parsed as %" G_GINT64_FORMAT,
             text, usec, formatted, again);

  return 0;
}
