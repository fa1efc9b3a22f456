/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _HsHaloIdSet HsHaloIdSet;

HsHaloIdSet *hs_halo_id_set_new      (void);
void         hs_halo_id_set_free     (HsHaloIdSet *self);
gboolean     hs_halo_id_set_add      (HsHaloIdSet *self,
                                      gint64       id);
gboolean     hs_halo_id_set_contains (HsHaloIdSet *self,
                                      gint64       id);
guint64      hs_halo_id_set_get_size (HsHaloIdSet *self);
gsize        hs_halo_id_set_get_memory (HsHaloIdSet *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsHaloIdSet, hs_halo_id_set_free)

G_END_DECLS
