/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#if !defined(HALOSYNC_INSIDE) && !defined(HALOSYNC_COMPILATION)
#error "Only <halosync.h> can be included directly."
#endif

#include <glib-object.h>

G_BEGIN_DECLS

GVariant *hs_fiscal_years_to_variant (GPtrArray *fiscal_years);
GVariant *hs_agents_to_variant       (GPtrArray *agents);
GVariant *hs_agent_teams_to_variant  (GPtrArray *agents);
GVariant *hs_runs_to_variant         (GPtrArray *runs);

G_END_DECLS
