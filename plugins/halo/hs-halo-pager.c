/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include "hs-halo-pager.h"

/* Halo caps page_size at 100 without saying so (asking for 1000 returns
 * 100 rows), so the page size that counts is what the first page
 * returned, never what was asked.  The read stops at a short or empty
 * page, once the rows returned reach record_count, or when a page starts
 * with the same id as the one before (an endpoint that ignores page_no
 * would otherwise be read forever).  The latest record_count is used, so
 * rows added during the read are still fetched. */

/**
 * hs_halo_pager_init:
 * @self: a pager
 *
 * Starts at page 1.
 */
void
hs_halo_pager_init (HsHaloPager *self)
{
  g_return_if_fail (self != NULL);

  self->page = 1;
  self->first_page_rows = 0;
  self->collected = 0;
  self->record_count = -1;
  self->previous_first_id = 0;
  self->has_previous_first_id = FALSE;
}

/**
 * hs_halo_pager_advance:
 * @self: a pager
 * @n_rows: rows the page just read returned
 * @record_count: its `record_count`, or -1 if it had none
 * @has_first_id: whether the page had a first row with an id
 * @first_id: that id
 *
 * Records the page just read and moves to the next one.
 *
 * Returns: %TRUE if the page @self->page should be read next, %FALSE if
 *   the read is complete
 */
gboolean
hs_halo_pager_advance (HsHaloPager *self,
                       guint        n_rows,
                       gint64       record_count,
                       gboolean     has_first_id,
                       gint64       first_id)
{
  gboolean repeated;

  g_return_val_if_fail (self != NULL, FALSE);

  if (record_count >= 0)
    self->record_count = record_count;

  if (n_rows == 0)
    return FALSE;

  repeated = has_first_id && self->has_previous_first_id && first_id == self->previous_first_id;
  self->previous_first_id = first_id;
  self->has_previous_first_id = has_first_id;
  self->collected += n_rows;

  if (self->page == 1)
    self->first_page_rows = n_rows;
  else if (n_rows < self->first_page_rows || repeated)
    return FALSE;

  if (self->record_count >= 0 && self->collected >= (guint64) self->record_count)
    return FALSE;

  self->page++;
  return TRUE;
}
