/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include <halosync.h>

#include "hs-cli.h"
#include "hs-cli-output.h"

typedef struct
{
  char *member;
  char *team;
  double hours;
  double billable;
  guint opened;
  guint closed;
} MemberTotal;

static void
member_total_free (MemberTotal *total)
{
  g_free (total->member);
  g_free (total->team);
  g_free (total);
}

static int
compare_hours (gconstpointer a,
               gconstpointer b)
{
  const MemberTotal *x = *(MemberTotal * const *) a;
  const MemberTotal *y = *(MemberTotal * const *) b;

  if (x->hours != y->hours)
    return x->hours < y->hours ? 1 : -1;
  return g_strcmp0 (x->member, y->member);
}

/* The year a summary without --fy shows: the one a sync without a year
 * name covers. */
static char *
latest_fiscal_year (HsIpcEngine1 *proxy,
                    GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) list = NULL;
  g_autoptr(GPtrArray) years = g_ptr_array_new_with_free_func (g_object_unref);
  GVariantIter iter;
  const char *label, *start, *end;
  HsFiscalYear *latest;

  hs_ipc_engine1_call_list_fiscal_years (proxy, G_DBUS_CALL_FLAGS_NONE, -1, NULL, hs_cli_store_result_cb, &result);
  hs_cli_wait (&result);
  if (!hs_ipc_engine1_call_list_fiscal_years_finish (proxy, &list, result, error))
    return NULL;

  g_variant_iter_init (&iter, list);
  while (g_variant_iter_next (&iter, "(&s&s&s)", &label, &start, &end))
    {
      HsFiscalYear *year = hs_fiscal_year_new (label, start, end, error);

      if (year == NULL)
        return NULL;
      g_ptr_array_add (years, year);
    }

  latest = hs_fiscal_year_find_latest (years, NULL);
  if (latest == NULL)
    {
      g_set_error_literal (error, HS_ERROR, HS_ERROR_NOT_FOUND,
                           _("No fiscal year exists yet; create one first with “halosyncctl fy create”"));
      return NULL;
    }
  return g_strdup (hs_fiscal_year_get_label (latest));
}

/* Adds the monthly rows of GetSummary up per member, most hours first. */
static GPtrArray *
total_by_member (GVariant *summary)
{
  g_autoptr(GPtrArray) totals = g_ptr_array_new_with_free_func ((GDestroyNotify) member_total_free);
  g_autoptr(GHashTable) by_member = g_hash_table_new (g_str_hash, g_str_equal);
  GVariantIter iter;
  const char *member, *team, *month;
  double hours, billable;
  guint32 opened, closed;

  g_variant_iter_init (&iter, summary);
  while (g_variant_iter_next (&iter, "(&s&s&sdduu)", &member, &team, &month, &hours, &billable, &opened, &closed))
    {
      MemberTotal *total = g_hash_table_lookup (by_member, member);

      if (total == NULL)
        {
          total = g_new0 (MemberTotal, 1);
          total->member = g_strdup (member);
          total->team = g_strdup (team);
          g_ptr_array_add (totals, total);
          g_hash_table_insert (by_member, total->member, total);
        }
      total->hours += hours;
      total->billable += billable;
      total->opened += opened;
      total->closed += closed;
    }
  g_ptr_array_sort (totals, compare_hours);
  return g_steal_pointer (&totals);
}

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (*value != '\0')
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* Sums of many entries carry float noise far below a second; four
 * decimals (a third of a second) keep every real difference. */
static double
round_hours (double hours)
{
  return round (hours * 10000.0) / 10000.0;
}

static void
print_json (const char *fiscal_year,
            GPtrArray  *totals,
            guint       limit)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "fiscal_year");
  json_builder_add_string_value (builder, fiscal_year);
  json_builder_set_member_name (builder, "members");
  json_builder_begin_array (builder);
  for (guint i = 0; i < totals->len && i < limit; i++)
    {
      MemberTotal *total = g_ptr_array_index (totals, i);

      json_builder_begin_object (builder);
      add_nullable_string (builder, "member", total->member);
      add_nullable_string (builder, "team", total->team);
      json_builder_set_member_name (builder, "hours");
      json_builder_add_double_value (builder, round_hours (total->hours));
      json_builder_set_member_name (builder, "billable_hours");
      json_builder_add_double_value (builder, round_hours (total->billable));
      json_builder_set_member_name (builder, "tickets_opened");
      json_builder_add_int_value (builder, total->opened);
      json_builder_set_member_name (builder, "tickets_closed");
      json_builder_add_int_value (builder, total->closed);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  hs_cli_print_json (root);
}

static void
print_table (const char *fiscal_year,
             GPtrArray  *totals,
             guint       limit)
{
  g_autoptr(HsCliTable) table = NULL;

  if (totals->len == 0)
    {
      g_print (_("Nothing synced for %s yet.\n"), fiscal_year);
      return;
    }

  g_print (_("Top members by hours in %s:\n"), fiscal_year);
  table = hs_cli_table_new (_("member"), _("team"), _("hours"), _("billable"),
                            _("opened"), _("closed"), NULL);
  for (guint c = 2; c < 6; c++)
    hs_cli_table_set_numeric (table, c);
  for (guint i = 0; i < totals->len && i < limit; i++)
    {
      MemberTotal *total = g_ptr_array_index (totals, i);
      g_autofree char *h = hs_cli_format_hours (total->hours);
      g_autofree char *b = hs_cli_format_hours (total->billable);
      g_autofree char *o = hs_cli_format_count (total->opened);
      g_autofree char *c = hs_cli_format_count (total->closed);

      hs_cli_table_add_row (table, *total->member != '\0' ? total->member : _("(unmapped agents)"),
                            *total->team != '\0' ? total->team : "—", h, b, o, c, NULL);
    }
  hs_cli_table_print (table);
}

HsCliExit
hs_cli_cmd_summary (HsCliContext *context,
                    int           argc,
                    char        **argv)
{
  g_autofree char *fiscal_year = NULL;
  int limit = 10;
  GOptionEntry entries[] = {
    { "fy", 0, 0, G_OPTION_ARG_STRING, &fiscal_year, N_("The fiscal year (default: the latest)"), N_("LABEL") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("How many members to show (default 10)"), N_("N") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) summary = NULL;
  g_autoptr(GPtrArray) totals = NULL;
  HsIpcEngine1 *proxy;
  HsCliExit code;

  if (!hs_cli_parse_options (context, "summary [--fy LABEL] [--limit N]", entries, &argc, &argv, 0, 0, &code))
    return code;
  if (limit < 1)
    return hs_cli_usage_error (context, _("--limit must be at least 1"));

  proxy = hs_cli_get_proxy (context, &error);
  if (proxy == NULL)
    return hs_cli_report_connection_error (context, error);

  if (fiscal_year == NULL)
    {
      fiscal_year = latest_fiscal_year (proxy, &error);
      if (fiscal_year == NULL)
        return hs_cli_report_error (context, error);
    }

  hs_ipc_engine1_call_get_summary (proxy, fiscal_year, G_DBUS_CALL_FLAGS_NONE, -1, NULL, hs_cli_store_result_cb, &result);
  hs_cli_wait (&result);
  if (!hs_ipc_engine1_call_get_summary_finish (proxy, &summary, result, &error))
    return hs_cli_report_error (context, error);

  totals = total_by_member (summary);
  if (context->json)
    print_json (fiscal_year, totals, limit);
  else
    print_table (fiscal_year, totals, limit);
  return HS_CLI_EXIT_OK;
}
