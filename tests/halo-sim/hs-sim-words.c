/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <string.h>

#include "hs-sim-words.h"

/* The vocabulary of the generated tenant.  The lists deliberately mix
 * non-ASCII names (accents, Polish, CJK), apostrophes and quotes, so that
 * every consumer of the simulator meets the text a real tenant holds. */

static const HsSimTeamInfo teams[] = {
  { 1, "Service Desk", "Support" },
  { 2, "Infrastructure", "Support" },
  { 3, "Projects", "Delivery" },
  { 4, "Développement", "Delivery" },
  { 5, "Field Engineers", "Support" },
  { 6, "サポート東京", "Support" },
};

static const HsSimStatusInfo statuses[] = {
  { 1, "New", FALSE },
  { 2, "In Progress", FALSE },
  { 3, "Waiting on Customer", FALSE },
  { 4, "On Hold", FALSE },
  { 5, "Updated", FALSE },
  { HS_SIM_STATUS_CLOSED, "Closed", TRUE },
};

static const char * const ticket_types[] = {
  "Incident", "Service Request", "Problem", "Change Request", "Project Task",
};

static const char * const categories[] = {
  "Hardware>Printer", "Hardware>Laptop", "Software>Office 365", "Software>Line of Business",
  "Network>Wi-Fi", "Network>VPN", "Security>Phishing", "Accounts>Password Reset",
};

static const HsSimOutcomeInfo outcomes[] = {
  { 1, "Note", FALSE },
  { 2, "Email Sent", FALSE },
  { 3, "Phone Call", FALSE },
  { 4, "Remote Session", FALSE },
  { 5, "On-site Visit", FALSE },
  { 6, "Closed", FALSE },
  { 7, "Status Change", TRUE },
  { 8, "SLA Hold", TRUE },
};

static const char * const first_names[] = {
  "Jane", "Bob", "Jürgen", "Zoë", "Łukasz", "太郎", "Amélie", "Søren", "Siobhán", "José",
  "Priya", "Oliver", "Chloé", "Björn", "Mei", "Ólafur", "Aisha", "Tomás", "Ngọc", "Max",
  "Fatima", "Liam", "Émile", "Ingrid",
};

static const char * const last_names[] = {
  "Smith", "Jones", "Müller", "O'Brien", "Kowalski", "山田", "Dubois", "Jørgensen", "Nguyễn",
  "García", "Patel", "Brown", "Świątek", "Andersson", "Chen", "d'Arcy", "Okafor", "Fernández",
  "Taylor", "Schröder", "Wilson", "Ó Súilleabháin",
};

static const char * const company_first[] = {
  "Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Müller & Söhne", "Northwind",
  "Contoso", "Fabrikam", "Tōkyō Denki", "Łódź Logistics", "Café Crème", "O'Reilly",
  "Blue Harbour", "Zürich Re",
};

static const char * const company_last[] = {
  "Ltd", "GmbH", "Inc.", "LLP", "S.A.", "株式会社", "Group", "& Partners", "Holdings",
};

static const char * const summary_things[] = {
  "printer", "laptop", "VPN", "Outlook", "Teams", "Wi-Fi", "file share", "payroll system",
  "firewall", "backup job", "phone", "monitor", "CRM", "SharePoint site", "door badge",
};

static const char * const summary_problems[] = {
  "offline", "not working", "very slow", "keeps crashing", "shows an error",
  "needs replacing", "access request", "licence renewal", "will not start",
  "password expired",
};

static const char * const summary_odd[] = {
  "Printer says \"paper jam\" but there is no paper",
  "x'); DROP TABLE tickets;--",
  "Server room too hot 🔥",
  "Ümlauts broken in Zoë's signature",
  "打印机无法连接",
  "Robert'); DELETE FROM agents; -- request",
  "Emoji in subject 🖨️✅ breaks export",
  "Tab\tand back\\slash in path C:\\Users\\łukasz",
  "<script>alert('x')</script> in the portal",
  "Größe der Datei > 2 GB",
};

static const char * const note_phrases[] = {
  "Restarted the print spooler",
  "Called the user, no answer",
  "Remote session: cleared the cache and rebooted",
  "Replaced the toner; tested OK",
  "Escalated to the network team",
  "User confirmed it works again",
  "Checked event logs, nothing obvious",
  "Ordered a replacement part",
  "Updated the driver to the latest version",
  "Reset the password and unlocked the account",
  "Wrote up the fix in the knowledge base",
  "Met on site with Zoë to review the cabling",
  "Awaiting the customer's reply — “tomorrow”",
};

guint
hs_sim_words_n_teams (void)
{
  return G_N_ELEMENTS (teams);
}

const HsSimTeamInfo *
hs_sim_words_team (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (teams), NULL);
  return &teams[index];
}

const HsSimStatusInfo *
hs_sim_words_status (guint id)
{
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (statuses[i].id == id)
      return &statuses[i];
  return NULL;
}

guint
hs_sim_words_n_ticket_types (void)
{
  return G_N_ELEMENTS (ticket_types);
}

const char *
hs_sim_words_ticket_type (guint id)
{
  if (id < 1 || id > G_N_ELEMENTS (ticket_types))
    return NULL;
  return ticket_types[id - 1];
}

guint
hs_sim_words_n_categories (void)
{
  return G_N_ELEMENTS (categories);
}

const char *
hs_sim_words_category (guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (categories), NULL);
  return categories[index];
}

guint
hs_sim_words_n_outcomes (void)
{
  return G_N_ELEMENTS (outcomes);
}

const HsSimOutcomeInfo *
hs_sim_words_outcome (guint id)
{
  if (id < 1 || id > G_N_ELEMENTS (outcomes))
    return NULL;
  return &outcomes[id - 1];
}

void
hs_sim_words_person (HsSimRng    *rng,
                     const char **first,
                     const char **last)
{
  *first = first_names[hs_sim_rng_below (rng, G_N_ELEMENTS (first_names))];
  *last = last_names[hs_sim_rng_below (rng, G_N_ELEMENTS (last_names))];
}

/* An address a mail server would accept: the name transliterated to
 * ASCII letters, or a numbered one for names that have none (CJK). */
char *
hs_sim_words_email (const char *first,
                    const char *last,
                    guint       id)
{
  g_autofree char *name = g_strdup_printf ("%s.%s", first, last);
  g_autofree char *ascii = g_str_to_ascii (name, "C");
  g_autoptr(GString) local = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0'; p++)
    if (g_ascii_isalnum (*p) || (*p == '.' && local->len > 0 && local->str[local->len - 1] != '.'))
      g_string_append_c (local, g_ascii_tolower (*p));

  if (local->len < 3 || local->str[0] == '.' || local->str[local->len - 1] == '.')
    return g_strdup_printf ("agent%u@example.com", id);
  return g_strdup_printf ("%s%u@example.com", local->str, id);
}

void
hs_sim_words_company (HsSimRng *rng,
                      GString  *out)
{
  g_string_append_printf (out, "%s %s",
                          company_first[hs_sim_rng_below (rng, G_N_ELEMENTS (company_first))],
                          company_last[hs_sim_rng_below (rng, G_N_ELEMENTS (company_last))]);
}

void
hs_sim_words_summary (HsSimRng *rng,
                      GString  *out)
{
  gsize start;

  /* About one summary in twenty is one of the awkward ones. */
  if (hs_sim_rng_chance (rng, 5))
    {
      g_string_append (out, summary_odd[hs_sim_rng_below (rng, G_N_ELEMENTS (summary_odd))]);
      return;
    }

  start = out->len;
  g_string_append_printf (out, "%s %s",
                          summary_things[hs_sim_rng_below (rng, G_N_ELEMENTS (summary_things))],
                          summary_problems[hs_sim_rng_below (rng, G_N_ELEMENTS (summary_problems))]);
  out->str[start] = g_ascii_toupper (out->str[start]);
}

void
hs_sim_words_details (HsSimRng   *rng,
                      const char *summary,
                      GString    *out)
{
  g_autofree char *escaped = g_markup_escape_text (summary, -1);
  guint paragraphs = 1 + hs_sim_rng_below (rng, 3);

  g_string_append_printf (out, "<p>%s</p>", escaped);
  for (guint i = 0; i < paragraphs; i++)
    {
      g_autofree char *phrase = g_markup_escape_text (note_phrases[hs_sim_rng_below (rng, G_N_ELEMENTS (note_phrases))], -1);

      g_string_append_printf (out, "<p>%s.</p>", phrase);
    }
  if (hs_sim_rng_chance (rng, 20))
    g_string_append (out, "<p>Regards,<br>the user &amp; team</p>");
}

void
hs_sim_words_note (HsSimRng *rng,
                   gboolean  time_entry,
                   GString  *out)
{
  g_string_append (out, note_phrases[hs_sim_rng_below (rng, G_N_ELEMENTS (note_phrases))]);
  if (time_entry && hs_sim_rng_chance (rng, 30))
    g_string_append (out, "; will follow up.");
  else if (hs_sim_rng_chance (rng, 3))
    g_string_append (out, "\nSecond line with a \"quoted\" word");
}
