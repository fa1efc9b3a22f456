/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <libgda/libgda.h>

#include "hs-gda-uri.h"

G_BEGIN_DECLS

typedef struct _HsGdaPq HsGdaPq;

HsGdaPq      *hs_gda_pq_connect (const HsGdaUri  *uri,
                                 const char      *password,
                                 GError         **error);
void          hs_gda_pq_free    (HsGdaPq         *self);
gboolean      hs_gda_pq_execute (HsGdaPq         *self,
                                 const char      *sql,
                                 GPtrArray       *values,
                                 const GType     *types,
                                 GdaDataModel   **rows,
                                 int             *affected,
                                 GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsGdaPq, hs_gda_pq_free)

G_END_DECLS
