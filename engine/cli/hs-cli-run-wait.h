/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "hs-cli.h"

G_BEGIN_DECLS

typedef struct _HsCliRunWait HsCliRunWait;

HsCliRunWait *hs_cli_run_wait_new      (HsCliContext *context,
                                        HsIpcEngine1 *proxy);
GVariant     *hs_cli_run_wait_finish   (HsCliRunWait *wait,
                                        GVariant     *queued_run);
void          hs_cli_run_wait_free     (HsCliRunWait *wait);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HsCliRunWait, hs_cli_run_wait_free)

G_END_DECLS
