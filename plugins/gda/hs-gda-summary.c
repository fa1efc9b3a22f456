/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "hs-gda-catalog.h"
#include "hs-gda-summary.h"

/* The per-member, per-month summary dashboards read, kept in
 * member_month_summary.  For a fiscal year's window [start, end):
 *
 * - hours and billable hours: the live time entries started in the
 *   window, by member and UTC calendar month of started_at (an entry
 *   whose billable flag is unknown counts as not billable);
 * - tickets opened: live tickets opened in the window, by member and
 *   month of opened_at; tickets closed likewise with closed_at.
 *
 * A NULL member is the unmapped agents' work; team is the member's team
 * from agent_mappings (NULL if none).  Every function runs inside a
 * transaction its caller opened. */

#define IN_WINDOW(column) \
  " AND " column " >= CAST(##start::string::null AS @TS@)" \
  " AND " column " < CAST(##end::string::null AS @TS@)"

static char *
build_rebuild_sql (const HsGdaDialect *dialect)
{
  GString *sql = g_string_new (NULL);
  g_autofree char *template = NULL;

  g_string_append (sql,
                   "INSERT INTO member_month_summary"
                   " (fiscal_year, member, team, month, hours, billable_hours, tickets_opened, tickets_closed)"
                   " SELECT CAST(##label::string::null AS @TEXT@), s.member,"
                   " (SELECT max(m.team) FROM agent_mappings AS m WHERE m.member = s.member AND m.active),"
                   " s.month, sum(s.hours), sum(s.billable_hours), sum(s.opened), sum(s.closed)"
                   " FROM (SELECT member, ");
  hs_gda_dialect_append_month (dialect, sql, "started_at");
  g_string_append (sql, " AS month, COALESCE(hours, 0) AS hours,"
                        " CASE WHEN billable THEN COALESCE(hours, 0) ELSE 0 END AS billable_hours,"
                        " 0 AS opened, 0 AS closed"
                        " FROM time_entries WHERE deleted_at IS NULL");
  g_string_append (sql, IN_WINDOW ("started_at"));
  g_string_append (sql, " UNION ALL SELECT member, ");
  hs_gda_dialect_append_month (dialect, sql, "opened_at");
  g_string_append (sql, ", 0, 0, 1, 0 FROM tickets WHERE deleted_at IS NULL");
  g_string_append (sql, IN_WINDOW ("opened_at"));
  g_string_append (sql, " UNION ALL SELECT member, ");
  hs_gda_dialect_append_month (dialect, sql, "closed_at");
  g_string_append (sql, ", 0, 0, 0, 1 FROM tickets WHERE deleted_at IS NULL");
  g_string_append (sql, IN_WINDOW ("closed_at"));
  g_string_append (sql, ") AS s GROUP BY s.member, s.month");

  template = g_string_free (sql, FALSE);
  return hs_gda_dialect_expand (dialect, template);
}

/* Replaces the summary of @fiscal_year with one computed from the
 * stored rows. */
gboolean
hs_gda_summary_rebuild (HsGdaDb      *db,
                        HsFiscalYear *fiscal_year,
                        GError      **error)
{
  const HsGdaDialect *dialect = hs_gda_db_get_dialect (db);
  const char *label = hs_fiscal_year_get_label (fiscal_year);
  g_autofree char *clear = NULL;
  g_autofree char *rebuild = NULL;
  char start[HS_GDA_VALUE_BUF], end[HS_GDA_VALUE_BUF];

  clear = hs_gda_dialect_expand (dialect, "DELETE FROM member_month_summary"
                                          " WHERE fiscal_year = CAST(##label::string::null AS @TEXT@)");
  if (!hs_gda_db_exec (db, clear, NULL, error, "label", label, NULL))
    return FALSE;

  rebuild = build_rebuild_sql (dialect);
  return hs_gda_db_exec (db, rebuild, NULL, error,
                         "label", label,
                         "start", hs_gda_dialect_format_timestamp (dialect, hs_fiscal_year_get_window_start (fiscal_year), start),
                         "end", hs_gda_dialect_format_timestamp (dialect, hs_fiscal_year_get_window_end (fiscal_year), end),
                         NULL);
}

/* Rebuilds the summary of every fiscal year that has one, after a change
 * (an agent mapping) that moves work between members. */
gboolean
hs_gda_summary_rebuild_stored (HsGdaDb *db,
                               GError **error)
{
  g_autoptr(GPtrArray) years = hs_gda_catalog_list_fiscal_years (db, error);

  if (years == NULL)
    return FALSE;

  for (guint i = 0; i < years->len; i++)
    {
      HsFiscalYear *year = g_ptr_array_index (years, i);
      gboolean empty;

      if (!hs_gda_summary_is_empty (db, hs_fiscal_year_get_label (year), &empty, error))
        return FALSE;
      if (!empty && !hs_gda_summary_rebuild (db, year, error))
        return FALSE;
    }

  return TRUE;
}

/* Appends to @agent_ids the agents that @fiscal_year's live rows name
 * with no member. */
gboolean
hs_gda_summary_list_unmapped_agents (HsGdaDb      *db,
                                     HsFiscalYear *fiscal_year,
                                     GArray       *agent_ids,
                                     GError      **error)
{
  g_autofree char *sql = NULL;
  g_autoptr(GdaDataModel) model = NULL;
  int n_rows;

  sql = hs_gda_dialect_expand (hs_gda_db_get_dialect (db),
                               "SELECT agent_id FROM time_entries"
                               " WHERE fiscal_year = CAST(##label::string::null AS @TEXT@)"
                               " AND deleted_at IS NULL AND member IS NULL AND agent_id IS NOT NULL"
                               " UNION SELECT agent_id FROM tickets"
                               " WHERE fiscal_year = CAST(##label::string::null AS @TEXT@)"
                               " AND deleted_at IS NULL AND member IS NULL AND agent_id IS NOT NULL"
                               " ORDER BY 1");
  model = hs_gda_db_query (db, sql, (const GType[]) { G_TYPE_INT64, G_TYPE_NONE }, error,
                           "label", hs_fiscal_year_get_label (fiscal_year), NULL);
  if (model == NULL)
    return FALSE;

  n_rows = gda_data_model_get_n_rows (model);
  for (int row = 0; row < n_rows; row++)
    {
      gint64 id = hs_gda_model_get_int (model, 0, row);

      g_array_append_val (agent_ids, id);
    }
  return TRUE;
}

gboolean
hs_gda_summary_is_empty (HsGdaDb    *db,
                         const char *fiscal_year,
                         gboolean   *empty,
                         GError    **error)
{
  g_autofree char *sql = hs_gda_dialect_expand (hs_gda_db_get_dialect (db),
                                                "SELECT count(*) FROM member_month_summary"
                                                " WHERE fiscal_year = CAST(##label::string::null AS @TEXT@)");
  g_autoptr(GdaDataModel) model = NULL;

  model = hs_gda_db_query (db, sql, (const GType[]) { G_TYPE_INT64, G_TYPE_NONE }, error,
                           "label", fiscal_year, NULL);
  if (model == NULL)
    return FALSE;

  *empty = hs_gda_model_get_int (model, 0, 0) == 0;
  return TRUE;
}

typedef struct
{
  const char *member;
  const char *team;
  const char *month;
  double hours;
  double billable_hours;
  guint32 opened;
  guint32 closed;
} Entry;

/* By month, then member, in byte order: the database's collation would
 * differ between SQLite and PostgreSQL and between locales. */
static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *x = a;
  const Entry *y = b;
  int cmp = strcmp (x->month, y->month);

  return cmp != 0 ? cmp : strcmp (x->member, y->member);
}

/* Returns: (transfer full): the summary of @fiscal_year as `a(sssdduu)`
 *   (see hs_sink_summarize_finish()) */
GVariant *
hs_gda_summary_read (HsGdaDb    *db,
                     const char *fiscal_year,
                     GError    **error)
{
  g_autofree char *sql = hs_gda_dialect_expand (hs_gda_db_get_dialect (db),
                                                "SELECT member, team, month, hours, billable_hours,"
                                                " tickets_opened, tickets_closed"
                                                " FROM member_month_summary"
                                                " WHERE fiscal_year = CAST(##label::string::null AS @TEXT@)");
  g_autoptr(GdaDataModel) model = NULL;
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  GVariantBuilder builder;
  int n_rows;

  model = hs_gda_db_query (db, sql,
                           (const GType[]) { G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                                             G_TYPE_DOUBLE, G_TYPE_DOUBLE,
                                             G_TYPE_INT64, G_TYPE_INT64, G_TYPE_NONE },
                           error, "label", fiscal_year, NULL);
  if (model == NULL)
    return NULL;

  n_rows = gda_data_model_get_n_rows (model);
  for (int row = 0; row < n_rows; row++)
    {
      const char *member = hs_gda_model_get_string (model, 0, row);
      const char *team = hs_gda_model_get_string (model, 1, row);
      const char *month = hs_gda_model_get_string (model, 2, row);
      Entry entry = {
        member != NULL ? member : "",
        team != NULL ? team : "",
        month != NULL ? month : "",
        hs_gda_model_get_double (model, 3, row),
        hs_gda_model_get_double (model, 4, row),
        (guint32) CLAMP (hs_gda_model_get_int (model, 5, row), 0, G_MAXUINT32),
        (guint32) CLAMP (hs_gda_model_get_int (model, 6, row), 0, G_MAXUINT32),
      };

      g_array_append_val (entries, entry);
    }
  g_array_sort (entries, compare_entries);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sssdduu)"));
  for (guint i = 0; i < entries->len; i++)
    {
      const Entry *entry = &g_array_index (entries, Entry, i);

      g_variant_builder_add (&builder, "(sssdduu)", entry->member, entry->team, entry->month,
                             entry->hours, entry->billable_hours, entry->opened, entry->closed);
    }
  return g_variant_ref_sink (g_variant_builder_end (&builder));
}
