/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * HsHaloPager:
 * @page: the page to request next, from 1
 * @first_page_rows: rows the first page returned: Halo's real page size
 * @collected: rows returned so far, duplicates included
 * @record_count: the latest `record_count`, or -1 if Halo sent none
 * @previous_first_id: the first id of the previous page
 * @has_previous_first_id: whether @previous_first_id is set
 *
 * Where a ticket-style paged read (`pageinate=true&page_no=N`) stands.
 */
typedef struct
{
  guint page;
  guint first_page_rows;
  guint64 collected;
  gint64 record_count;
  gint64 previous_first_id;
  gboolean has_previous_first_id;
} HsHaloPager;

void     hs_halo_pager_init    (HsHaloPager *self);
gboolean hs_halo_pager_advance (HsHaloPager *self,
                                guint        n_rows,
                                gint64       record_count,
                                gboolean     has_first_id,
                                gint64       first_id);

G_END_DECLS
