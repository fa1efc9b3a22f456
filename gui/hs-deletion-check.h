/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <adwaita.h>

#include "hs-engine-client.h"

G_BEGIN_DECLS

#define HS_TYPE_DELETION_CHECK (hs_deletion_check_get_type ())

G_DECLARE_FINAL_TYPE (HsDeletionCheck, hs_deletion_check, HS, DELETION_CHECK, GObject)

HsDeletionCheck *hs_deletion_check_new         (HsEngineClient  *client,
                                                GtkWindow       *parent,
                                                const char      *fiscal_year);
void             hs_deletion_check_start       (HsDeletionCheck *self);

G_END_DECLS
