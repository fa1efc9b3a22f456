/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-ipc-engine1.h"

G_BEGIN_DECLS

#define HS_TYPE_CLI_PROGRESS (hs_cli_progress_get_type ())

G_DECLARE_FINAL_TYPE (HsCliProgress, hs_cli_progress, HS, CLI_PROGRESS, GObject)

HsCliProgress *hs_cli_progress_new     (HsIpcEngine1  *proxy,
                                        gboolean       interactive);
void           hs_cli_progress_follow  (HsCliProgress *self,
                                        gint64         run_id);
void           hs_cli_progress_clear   (HsCliProgress *self);

G_END_DECLS
