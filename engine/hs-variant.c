/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "hs-agent-mapping.h"
#include "hs-fiscal-year.h"
#include "hs-run.h"
#include "hs-variant.h"

/* The D-Bus interface's shapes of the engine's lists, shared by the
 * service and anything else that speaks it. */

/**
 * hs_fiscal_years_to_variant:
 * @fiscal_years: (element-type HsFiscalYear): fiscal years
 *
 * Returns: (transfer floating): an `a(sss)` of label, first day, last day
 */
GVariant *
hs_fiscal_years_to_variant (GPtrArray *fiscal_years)
{
  GVariantBuilder builder;

  g_return_val_if_fail (fiscal_years != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sss)"));
  for (guint i = 0; i < fiscal_years->len; i++)
    {
      HsFiscalYear *fy = g_ptr_array_index (fiscal_years, i);
      g_autofree char *start = hs_fiscal_year_dup_start_text (fy);
      g_autofree char *end = hs_fiscal_year_dup_end_text (fy);

      g_variant_builder_add (&builder, "(sss)", hs_fiscal_year_get_label (fy), start, end);
    }
  return g_variant_builder_end (&builder);
}

/**
 * hs_agents_to_variant:
 * @agents: (element-type HsAgentMapping): agents with their mappings
 *
 * Returns: (transfer floating): an `a(xsssb)` of Halo id, agent name,
 *   member, team and active; absent texts are empty
 */
GVariant *
hs_agents_to_variant (GPtrArray *agents)
{
  GVariantBuilder builder;

  g_return_val_if_fail (agents != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(xsssb)"));
  for (guint i = 0; i < agents->len; i++)
    {
      HsAgentMapping *mapping = g_ptr_array_index (agents, i);
      const char *name = hs_agent_mapping_get_agent_name (mapping);
      const char *member = hs_agent_mapping_get_member (mapping);
      const char *team = hs_agent_mapping_get_team (mapping);

      g_variant_builder_add (&builder, "(xsssb)",
                             hs_agent_mapping_get_halo_id (mapping),
                             name != NULL ? name : "",
                             member != NULL ? member : "",
                             team != NULL ? team : "",
                             hs_agent_mapping_get_active (mapping));
    }
  return g_variant_builder_end (&builder);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

/**
 * hs_agent_teams_to_variant:
 * @agents: (element-type HsAgentMapping): agents as a sync saw them
 *
 * Returns: (transfer floating): an `as` of the teams Halo lists @agents
 *   in, sorted, each once
 */
GVariant *
hs_agent_teams_to_variant (GPtrArray *agents)
{
  g_autoptr(GPtrArray) teams = g_ptr_array_new ();
  GVariantBuilder builder;

  g_return_val_if_fail (agents != NULL, NULL);

  for (guint i = 0; i < agents->len; i++)
    {
      const char *team = hs_agent_mapping_get_halo_team (g_ptr_array_index (agents, i));

      if (team != NULL && team[0] != '\0')
        g_ptr_array_add (teams, (gpointer) team);
    }
  g_ptr_array_sort (teams, compare_names);

  g_variant_builder_init (&builder, G_VARIANT_TYPE_STRING_ARRAY);
  for (guint i = 0; i < teams->len; i++)
    if (i == 0 || strcmp (g_ptr_array_index (teams, i), g_ptr_array_index (teams, i - 1)) != 0)
      g_variant_builder_add (&builder, "s", g_ptr_array_index (teams, i));
  return g_variant_builder_end (&builder);
}

/**
 * hs_runs_to_variant:
 * @runs: (element-type HsRun): runs
 *
 * Returns: (transfer floating): an `aa{sv}`, one hs_run_to_variant() each
 */
GVariant *
hs_runs_to_variant (GPtrArray *runs)
{
  GVariantBuilder builder;

  g_return_val_if_fail (runs != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; i < runs->len; i++)
    g_variant_builder_add_value (&builder, hs_run_to_variant (g_ptr_array_index (runs, i)));
  return g_variant_builder_end (&builder);
}
