/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "hs-gda-catalog.h"

/* HaloSync's own tables other than the run ledger: fiscal years, agent
 * mappings and the cursors of sync_state.  Every function runs inside a
 * transaction its caller opened. */

static gboolean
exec_template (HsGdaDb    *db,
               const char *template,
               int        *affected,
               GError    **error,
               const char *name1,
               const char *value1,
               const char *name2,
               const char *value2)
{
  g_autofree char *sql = hs_gda_dialect_expand (hs_gda_db_get_dialect (db), template);

  return hs_gda_db_exec (db, sql, affected, error, name1, value1, name2, value2, NULL);
}

static gint64
count_template (HsGdaDb    *db,
                const char *template,
                const char *label,
                GError    **error)
{
  g_autofree char *sql = hs_gda_dialect_expand (hs_gda_db_get_dialect (db), template);
  g_autoptr(GdaDataModel) model = NULL;

  model = hs_gda_db_query (db, sql, (const GType[]) { G_TYPE_INT64, G_TYPE_NONE }, error,
                           "label", label, NULL);
  if (model == NULL)
    return -1;
  return hs_gda_model_get_int (model, 0, 0);
}

static char *
fiscal_year_query (HsGdaDb    *db,
                   const char *where)
{
  const HsGdaDialect *dialect = hs_gda_db_get_dialect (db);
  GString *sql = g_string_new ("SELECT label, ");

  hs_gda_dialect_append_column (dialect, sql, "start_date", HS_GDA_TYPE_DATE);
  g_string_append (sql, ", ");
  hs_gda_dialect_append_column (dialect, sql, "end_date", HS_GDA_TYPE_DATE);
  g_string_append_printf (sql, " FROM fiscal_years%s ORDER BY start_date, label", where);
  return g_string_free (sql, FALSE);
}

static GPtrArray *
read_fiscal_years (GdaDataModel *model,
                   GError      **error)
{
  g_autoptr(GPtrArray) years = g_ptr_array_new_with_free_func (g_object_unref);
  int n_rows = gda_data_model_get_n_rows (model);

  for (int row = 0; row < n_rows; row++)
    {
      const char *label = hs_gda_model_get_string (model, 0, row);
      g_autoptr(GError) local_error = NULL;
      HsFiscalYear *year;

      year = hs_fiscal_year_new (label,
                                 hs_gda_model_get_string (model, 1, row),
                                 hs_gda_model_get_string (model, 2, row),
                                 &local_error);
      if (year == NULL)
        {
          g_set_error (error, HS_ERROR, HS_ERROR_DATABASE,
                       _("The fiscal year “%s” stored in the database is not valid: %s"),
                       label != NULL ? label : "", local_error->message);
          return NULL;
        }
      g_ptr_array_add (years, year);
    }

  return g_steal_pointer (&years);
}

/* Returns: (transfer container) (element-type HsFiscalYear): the fiscal
 *   years, earliest first */
GPtrArray *
hs_gda_catalog_list_fiscal_years (HsGdaDb *db,
                                  GError **error)
{
  g_autofree char *sql = fiscal_year_query (db, "");
  g_autoptr(GdaDataModel) model = NULL;

  model = hs_gda_db_query (db, sql,
                           (const GType[]) { G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_NONE },
                           error, NULL);
  if (model == NULL)
    return NULL;
  return read_fiscal_years (model, error);
}

/* Returns: (transfer full): the fiscal year called @label, or %NULL with
 *   %HS_ERROR_NOT_FOUND */
HsFiscalYear *
hs_gda_catalog_find_fiscal_year (HsGdaDb    *db,
                                 const char *label,
                                 GError    **error)
{
  g_autofree char *where = hs_gda_dialect_expand (hs_gda_db_get_dialect (db),
                                                  " WHERE label = CAST(##label::string::null AS @TEXT@)");
  g_autofree char *sql = fiscal_year_query (db, where);
  g_autoptr(GdaDataModel) model = NULL;
  g_autoptr(GPtrArray) years = NULL;

  model = hs_gda_db_query (db, sql,
                           (const GType[]) { G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_NONE },
                           error, "label", label, NULL);
  if (model == NULL)
    return NULL;

  years = read_fiscal_years (model, error);
  if (years == NULL)
    return NULL;

  if (years->len == 0)
    {
      g_set_error (error, HS_ERROR, HS_ERROR_NOT_FOUND,
                   _("There is no fiscal year called “%s”"), label);
      return NULL;
    }

  return g_object_ref (g_ptr_array_index (years, 0));
}

/* Stores @fiscal_year; the engine has checked it against the stored
 * years, holding the lock that keeps other programs out meanwhile. */
gboolean
hs_gda_catalog_create_fiscal_year (HsGdaDb      *db,
                                   HsFiscalYear *fiscal_year,
                                   GError      **error)
{
  g_autofree char *start = hs_fiscal_year_dup_start_text (fiscal_year);
  g_autofree char *end = hs_fiscal_year_dup_end_text (fiscal_year);
  g_autofree char *sql = NULL;

  sql = hs_gda_dialect_expand (hs_gda_db_get_dialect (db),
                               "INSERT INTO fiscal_years (label, start_date, end_date) VALUES ("
                               "CAST(##label::string::null AS @TEXT@), "
                               "CAST(##start::string::null AS @DATE@), "
                               "CAST(##end::string::null AS @DATE@))");
  return hs_gda_db_exec (db, sql, NULL, error,
                         "label", hs_fiscal_year_get_label (fiscal_year),
                         "start", start,
                         "end", end,
                         NULL);
}

/* Deletes the fiscal year called @label with its cursors and summary,
 * unless synced rows still belong to it. */
gboolean
hs_gda_catalog_delete_fiscal_year (HsGdaDb    *db,
                                   const char *label,
                                   GError    **error)
{
  g_autoptr(HsFiscalYear) year = NULL;
  gint64 tickets, time_entries;

  year = hs_gda_catalog_find_fiscal_year (db, label, error);
  if (year == NULL)
    return FALSE;

  tickets = count_template (db, "SELECT count(*) FROM tickets"
                                " WHERE fiscal_year = CAST(##label::string::null AS @TEXT@)",
                            label, error);
  if (tickets < 0)
    return FALSE;
  time_entries = count_template (db, "SELECT count(*) FROM time_entries"
                                     " WHERE fiscal_year = CAST(##label::string::null AS @TEXT@)",
                                 label, error);
  if (time_entries < 0)
    return FALSE;

  if (tickets + time_entries > 0)
    {
      guint64 n_rows = (guint64) (tickets + time_entries);
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, n_rows);

      g_set_error (error, HS_ERROR, HS_ERROR_CONFLICT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The fiscal year “%s” still holds %s synced row (tickets and time entries); it cannot be deleted",
                                "The fiscal year “%s” still holds %s synced rows (tickets and time entries); it cannot be deleted",
                                (gulong) MIN (n_rows, G_MAXULONG)),
                   label, count);
      return FALSE;
    }

  return exec_template (db, "DELETE FROM sync_state WHERE fiscal_year = CAST(##label::string::null AS @TEXT@)",
                        NULL, error, "label", label, NULL, NULL) &&
         exec_template (db, "DELETE FROM member_month_summary WHERE fiscal_year = CAST(##label::string::null AS @TEXT@)",
                        NULL, error, "label", label, NULL, NULL) &&
         exec_template (db, "DELETE FROM fiscal_years WHERE label = CAST(##label::string::null AS @TEXT@)",
                        NULL, error, "label", label, NULL, NULL);
}

/* Returns: (transfer container) (element-type HsAgentMapping): every
 *   synced agent and every mapped agent id, by id */
GPtrArray *
hs_gda_catalog_list_agents (HsGdaDb *db,
                            GError **error)
{
  const HsGdaDialect *dialect = hs_gda_db_get_dialect (db);
  g_autoptr(GString) sql = g_string_new ("SELECT a.id, a.name, m.member, m.team, ");
  g_autoptr(GdaDataModel) model = NULL;
  g_autoptr(GPtrArray) agents = g_ptr_array_new_with_free_func (g_object_unref);
  int n_rows;

  hs_gda_dialect_append_column (dialect, sql, "m.active", HS_GDA_TYPE_BOOLEAN);
  g_string_append (sql, ", a.team"
                        " FROM agents AS a LEFT JOIN agent_mappings AS m ON m.halo_agent_id = a.id"
                        " UNION ALL SELECT m.halo_agent_id, NULL, m.member, m.team, ");
  hs_gda_dialect_append_column (dialect, sql, "m.active", HS_GDA_TYPE_BOOLEAN);
  g_string_append (sql, ", NULL FROM agent_mappings AS m"
                        " WHERE NOT EXISTS (SELECT 1 FROM agents AS a WHERE a.id = m.halo_agent_id)"
                        " ORDER BY 1");

  model = hs_gda_db_query (db, sql->str,
                           (const GType[]) { G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                                             G_TYPE_INT64, G_TYPE_STRING, G_TYPE_NONE },
                           error, NULL);
  if (model == NULL)
    return NULL;

  n_rows = gda_data_model_get_n_rows (model);
  for (int row = 0; row < n_rows; row++)
    {
      gint64 id = hs_gda_model_get_int (model, 0, row);
      g_autoptr(GError) local_error = NULL;
      HsAgentMapping *agent;

      /* Halo numbers agents from 1; anything else cannot be mapped. */
      if (id < 1)
        continue;

      agent = hs_agent_mapping_new (id,
                                    hs_gda_model_get_string (model, 2, row),
                                    hs_gda_model_get_string (model, 3, row),
                                    &local_error);
      if (agent == NULL)
        {
          g_set_error (error, HS_ERROR, HS_ERROR_DATABASE,
                       _("The mapping of agent %lld stored in the database is not valid: %s"),
                       (long long) id, local_error->message);
          return NULL;
        }

      if (!hs_gda_model_is_null (model, 4, row))
        hs_agent_mapping_set_active (agent, hs_gda_model_get_int (model, 4, row) != 0);
      hs_agent_mapping_set_agent_name (agent, hs_gda_model_get_string (model, 1, row));
      hs_agent_mapping_set_halo_team (agent, hs_gda_model_get_string (model, 5, row));
      g_ptr_array_add (agents, agent);
    }

  return g_steal_pointer (&agents);
}

/* Stores or (with no member) removes an agent's mapping, and gives the
 * agent's stored tickets and time entries the member the mapping now
 * maps to (none when removed or inactive). */
gboolean
hs_gda_catalog_set_agent_mapping (HsGdaDb        *db,
                                  HsAgentMapping *mapping,
                                  GError        **error)
{
  const HsGdaDialect *dialect = hs_gda_db_get_dialect (db);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, hs_agent_mapping_get_halo_id (mapping));
  const char *member = hs_agent_mapping_get_member (mapping);
  const char *effective = hs_agent_mapping_is_mapped (mapping) ? member : NULL;
  static const char * const tables[] = { "tickets", "time_entries" };

  if (member != NULL)
    {
      g_autofree char *sql = hs_gda_dialect_expand (dialect,
        "INSERT INTO agent_mappings (halo_agent_id, member, team, active) VALUES ("
        "CAST(##id::string::null AS @INT@), CAST(##member::string::null AS @TEXT@), "
        "CAST(##team::string::null AS @TEXT@), CAST(##active::string::null AS @BOOL@)) "
        "ON CONFLICT (halo_agent_id) DO UPDATE SET member = excluded.member, "
        "team = excluded.team, active = excluded.active");

      if (!hs_gda_db_exec (db, sql, NULL, error,
                           "id", id,
                           "member", member,
                           "team", hs_agent_mapping_get_team (mapping),
                           "active", hs_gda_dialect_format_boolean (dialect, hs_agent_mapping_get_active (mapping)),
                           NULL))
        return FALSE;
    }
  else if (!exec_template (db, "DELETE FROM agent_mappings WHERE halo_agent_id = CAST(##id::string::null AS @INT@)",
                           NULL, error, "id", id, NULL, NULL))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *template = g_strdup_printf ("UPDATE %s SET member = CAST(##member::string::null AS @TEXT@)"
                                                   " WHERE agent_id = CAST(##id::string::null AS @INT@)"
                                                   " AND member %s CAST(##member::string::null AS @TEXT@)",
                                                   tables[i], hs_gda_dialect_get_distinct (dialect));

      if (!exec_template (db, template, NULL, error, "member", effective, "id", id))
        return FALSE;
    }

  return TRUE;
}

/* Fills @cursors (one per stream) with the stored cursors of
 * @fiscal_year, 0 where there is none. */
gboolean
hs_gda_catalog_read_cursors (HsGdaDb    *db,
                             const char *fiscal_year,
                             gint64     *cursors,
                             GError    **error)
{
  const HsGdaDialect *dialect = hs_gda_db_get_dialect (db);
  g_autoptr(GString) template = g_string_new ("SELECT stream, ");
  g_autofree char *sql = NULL;
  g_autoptr(GdaDataModel) model = NULL;
  int n_rows;

  hs_gda_dialect_append_column (dialect, template, "cursor", HS_GDA_TYPE_TIMESTAMP);
  g_string_append (template, " FROM sync_state WHERE fiscal_year = CAST(##label::string::null AS @TEXT@)");
  sql = hs_gda_dialect_expand (dialect, template->str);

  model = hs_gda_db_query (db, sql, (const GType[]) { G_TYPE_STRING, G_TYPE_INT64, G_TYPE_NONE },
                           error, "label", fiscal_year, NULL);
  if (model == NULL)
    return FALSE;

  for (guint i = 0; i < HS_N_STREAMS; i++)
    cursors[i] = 0;

  n_rows = gda_data_model_get_n_rows (model);
  for (int row = 0; row < n_rows; row++)
    {
      const char *name = hs_gda_model_get_string (model, 0, row);
      HsStream stream;

      /* A stream a newer engine wrote is not this engine's business. */
      if (name != NULL && hs_stream_from_string (name, &stream))
        cursors[stream] = hs_gda_model_get_int (model, 1, row);
    }

  return TRUE;
}

/* Stores the cursors of @fiscal_year that are not 0. */
gboolean
hs_gda_catalog_write_cursors (HsGdaDb      *db,
                              const char   *fiscal_year,
                              const gint64 *cursors,
                              GError      **error)
{
  const HsGdaDialect *dialect = hs_gda_db_get_dialect (db);
  g_autofree char *sql = hs_gda_dialect_expand (dialect,
    "INSERT INTO sync_state (fiscal_year, stream, cursor) VALUES ("
    "CAST(##label::string::null AS @TEXT@), CAST(##stream::string::null AS @TEXT@), "
    "CAST(##cursor::string::null AS @TS@)) "
    "ON CONFLICT (fiscal_year, stream) DO UPDATE SET cursor = excluded.cursor");

  for (HsStream stream = 0; stream < HS_N_STREAMS; stream++)
    {
      char cursor[HS_GDA_VALUE_BUF];

      if (cursors[stream] == 0)
        continue;

      if (!hs_gda_db_exec (db, sql, NULL, error,
                           "label", fiscal_year,
                           "stream", hs_stream_to_string (stream),
                           "cursor", hs_gda_dialect_format_timestamp (dialect, cursors[stream], cursor),
                           NULL))
        return FALSE;
    }

  return TRUE;
}
