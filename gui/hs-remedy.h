/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <halosync.h>

G_BEGIN_DECLS

/**
 * HsRemedy:
 * @HS_REMEDY_NONE: nothing the app can offer; the words say what happened
 * @HS_REMEDY_PREFERENCES: a setting or the credentials are wrong or missing
 * @HS_REMEDY_RETRY: the failure may pass (Halo or the network was down)
 * @HS_REMEDY_NEW_FISCAL_YEAR: there is no fiscal year to sync
 * @HS_REMEDY_START_SERVICE: the service is not running
 *
 * What fixes a failure, so the app can offer the one button that does it.
 */
typedef enum
{
  HS_REMEDY_NONE,
  HS_REMEDY_PREFERENCES,
  HS_REMEDY_RETRY,
  HS_REMEDY_NEW_FISCAL_YEAR,
  HS_REMEDY_START_SERVICE,
} HsRemedy;

HsRemedy    hs_remedy_for_error (const GError *error);
HsRemedy    hs_remedy_for_run (HsRun *run);
const char *hs_remedy_get_label (HsRemedy remedy);
const char *hs_remedy_get_action (HsRemedy remedy);
char       *hs_remedy_dup_run_error (HsRun *run);

G_END_DECLS
