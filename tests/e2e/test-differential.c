/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <stdlib.h>

#include "hs-test-sync.h"

/*
 * A randomized differential test of incremental syncs.
 *
 * For each seed: a simulated tenant whose clock is before, inside or
 * after the fiscal year, a full sync into database A, then rounds of
 * random changes in Halo (new tickets, edits, edits backdated inside the
 * look-back, opening dates moved across the window's start, many tickets
 * stamped at once, time logged — on system outcomes too, and at the
 * window's first and last instants — edited with and without bumping its
 * ticket, deleted, tickets deleted, agents mapped anew) each followed by
 * an incremental sync of A.  Then a fresh full sync into an empty
 * database B, with the same mappings.  A must hold exactly B's rows,
 * except for the changes only a full run can see (rows deleted in Halo or
 * moved out of the year, time edited without bumping its ticket); after a
 * full run of A, A and B are identical, and both hold what the
 * simulator's /_sim/truth counts for the window.
 *
 *   test-differential [--seeds N] [--first-seed S]
 *
 * CI runs 200 seeds on SQLite and fewer on PostgreSQL; HS_DIFF_SEEDS
 * overrides both.  A divergence names the seed that reproduces it.
 */

#define LOOK_BACK_MINUTES 60

static guint n_seeds = 200;
static guint first_seed = 1;

/* Data columns of each compared table: everything but when HaloSync wrote
 * the row and whether it marked it deleted. */
static const struct
{
  const char *table;
  const char *columns;
  const char *key;
} compared[] = {
  { "agents", "id, name, email, team, disabled", "id" },
  { "teams", "id, name, department, inactive", "id" },
  { "clients", "id, name, toplevel, inactive", "id" },
  { "tickets", "id, summary, status_id, status, ticket_type, client_id, client_name, agent_id, team, "
               "opened_at, closed_at, last_update, hours, member, fiscal_year", "id" },
  { "time_entries", "ticket_id, action_id, agent_id, started_at, hours, billable, member, fiscal_year",
                    "ticket_id, action_id" },
};

typedef struct
{
  GRand *rand;
  HsTestSync *sync;
  GArray *tickets;          /* (element-type gint64): tickets the test made, opened in the window */
  GArray *actions;          /* (element-type gint64 pairs): time entries the test logged */
  GHashTable *unseen;       /* "table:key" of rows whose change only a full run sees */
  GHashTable *mappings;     /* agent id → member, as last mapped */
  gint64 clock_offset;      /* seconds the simulator's clock is ahead of ours */
} Scenario;

/* Where the simulator's clock stands while the scenario runs; the fiscal
 * year is 2025-07-01 to 2026-06-30. */
static const char * const clock_placements[] = {
  NULL, /* today, after the year */
  "2025-05-20T10:00:00",
  "2026-03-15T12:00:00",
  "2026-06-30T23:30:00",
};

/* Times at and next to the window's bounds, [2025-07-01, 2026-07-01). */
static const char * const window_edges[] = {
  "2025-07-01T00:00:00",
  "2026-06-30T23:59:59",
  "2025-06-30T23:59:59",
  "2026-07-01T00:00:00",
};

static JsonObject *
post (Scenario   *scenario,
      const char *method,
      const char *path,
      const char *body)
{
  g_autoptr(JsonNode) node = hs_test_sync_control (scenario->sync, method, path, body);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_object_ref (json_node_get_object (node)) : NULL;
}

static char *
now_minus_minutes (Scenario *scenario,
                   int       minutes)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) sim_now = g_date_time_add_seconds (now, (double) scenario->clock_offset);
  g_autoptr(GDateTime) then = g_date_time_add_minutes (sim_now, -minutes);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%S");
}

static char *
random_day (Scenario *scenario)
{
  return g_strdup_printf ("2026-%02d-%02dT%02d:%02d:00", g_rand_int_range (scenario->rand, 1, 7),
                          g_rand_int_range (scenario->rand, 1, 29), g_rand_int_range (scenario->rand, 0, 24),
                          g_rand_int_range (scenario->rand, 0, 60));
}

static gint64
random_ticket (Scenario *scenario)
{
  return g_array_index (scenario->tickets, gint64, g_rand_int_range (scenario->rand, 0, scenario->tickets->len));
}

static void
create_ticket (Scenario *scenario)
{
  g_autofree char *day = random_day (scenario);
  g_autofree char *body = g_strdup_printf ("{\"summary\": \"Differential %u\", \"dateoccurred\": \"%s\", \"agent_id\": %d}",
                                           scenario->tickets->len, day, g_rand_int_range (scenario->rand, 2, 6));
  g_autoptr(JsonObject) ticket = post (scenario, "POST", "/_sim/tickets", body);
  gint64 id = json_object_get_int_member (ticket, "id");

  g_array_append_val (scenario->tickets, id);
}

static char *
unseen_key (const char *table,
            gint64      a,
            gint64      b)
{
  return b < 0 ? g_strdup_printf ("%s:%" G_GINT64_FORMAT, table, a)
               : g_strdup_printf ("%s:%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT, table, a, b);
}

static void
mark_unseen (Scenario   *scenario,
             const char *table,
             gint64      a,
             gint64      b)
{
  g_hash_table_add (scenario->unseen, unseen_key (table, a, b));
}

/* Time logged on @ticket: mostly on a day inside the window, at times on
 * or next to its bounds, and now and then on a system outcome. */
static void
log_time (Scenario   *scenario,
          gint64      ticket,
          const char *actions)
{
  g_autofree char *day = random_day (scenario);
  g_autofree char *body = NULL;
  g_autoptr(JsonObject) result = NULL;
  const char *when = day;
  const char *outcome = "\"outcome\": \"Remote Session\"";
  gint64 key[2];

  if (g_rand_int_range (scenario->rand, 0, 4) == 0)
    when = window_edges[g_rand_int_range (scenario->rand, 0, G_N_ELEMENTS (window_edges))];
  if (g_rand_int_range (scenario->rand, 0, 4) == 0)
    outcome = g_rand_boolean (scenario->rand) ? "\"outcome_id\": 7" : "\"outcome_id\": 8";

  body = g_strdup_printf ("{\"timetaken\": %.2f, \"datetime\": \"%s\", \"who_agentid\": %d, "
                          "\"actisbillable\": %s, %s}",
                          g_rand_int_range (scenario->rand, 1, 20) * 0.25, when,
                          g_rand_int_range (scenario->rand, 2, 6),
                          g_rand_boolean (scenario->rand) ? "true" : "false", outcome);
  result = post (scenario, "POST", actions, body);
  key[0] = ticket;
  key[1] = json_object_get_int_member (result, "id");
  g_array_append_vals (scenario->actions, key, 2);
}

/* Moves a ticket's opening date across the window's start: out of the
 * year (before it), or back in.  Once the year is over in Halo, a ticket
 * moved out leaves it, which only a full run sees. */
static void
move_opening (Scenario   *scenario,
              gint64      ticket,
              const char *path)
{
  static const char * const openings[] = {
    "2025-06-30T23:59:59", "2025-03-01T08:00:00", "2025-07-01T00:00:00", NULL,
  };
  guint pick = g_rand_int_range (scenario->rand, 0, G_N_ELEMENTS (openings));
  g_autofree char *day = openings[pick] == NULL ? random_day (scenario) : NULL;
  g_autofree char *body = g_strdup_printf ("{\"dateoccurred\": \"%s\"}", day != NULL ? day : openings[pick]);
  g_autoptr(JsonObject) result = post (scenario, "POST", path, body);
  g_autofree char *key = unseen_key ("tickets", ticket, -1);

  if (pick < 2)
    g_hash_table_add (scenario->unseen, g_steal_pointer (&key));
  else
    g_hash_table_remove (scenario->unseen, key);
}

/* Maps an agent to one of a few members; B gets the same at the end. */
static void
remap_agent (Scenario *scenario)
{
  gint64 agent = g_rand_int_range (scenario->rand, 2, 6);
  char *member = g_strdup_printf ("member-%d", g_rand_int_range (scenario->rand, 1, 4));

  hs_test_sync_map_agent (hs_test_sync_get_engine (scenario->sync), agent, member, "Service Desk");
  g_hash_table_insert (scenario->mappings, GINT_TO_POINTER (agent), member);
}

static void
mutate (Scenario *scenario)
{
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonObject) result = NULL;
  gint64 ticket;

  if (scenario->tickets->len == 0)
    {
      create_ticket (scenario);
      return;
    }

  ticket = random_ticket (scenario);
  path = g_strdup_printf ("/_sim/tickets/%" G_GINT64_FORMAT, ticket);

  switch (g_rand_int_range (scenario->rand, 0, 12))
    {
    case 0:
    case 1:
      create_ticket (scenario);
      break;

    case 2:
      body = g_strdup_printf ("{\"summary\": \"Edited %u\", \"agent_id\": %d, \"status_id\": %d}",
                              g_rand_int (scenario->rand), g_rand_int_range (scenario->rand, 2, 6),
                              g_rand_int_range (scenario->rand, 1, 5));
      result = post (scenario, "POST", path, body);
      break;

    case 3:
      {
        /* An edit Halo stamps in the past, inside the look-back window. */
        g_autofree char *stamp = now_minus_minutes (scenario, g_rand_int_range (scenario->rand, 1, LOOK_BACK_MINUTES / 2));

        body = g_strdup_printf ("{\"summary\": \"Backdated %u\", \"last_update\": \"%s\"}",
                                g_rand_int (scenario->rand), stamp);
        result = post (scenario, "POST", path, body);
      }
      break;

    case 4:
      {
        /* Many tickets stamped with one identical time. */
        g_autofree char *stamp = now_minus_minutes (scenario, 2);
        g_autoptr(GString) ids = g_string_new (NULL);

        for (guint i = 0; i < scenario->tickets->len; i += 1 + g_rand_int_range (scenario->rand, 0, 2))
          g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, ids->len > 0 ? ", " : "",
                                  g_array_index (scenario->tickets, gint64, i));
        body = g_strdup_printf ("{\"ids\": [%s], \"last_update\": \"%s\"}", ids->str, stamp);
        result = post (scenario, "POST", "/_sim/tickets/touch", body);
      }
      break;

    case 5:
    case 6:
      {
        g_autofree char *actions = g_strdup_printf ("%s/actions", path);

        log_time (scenario, ticket, actions);
      }
      break;

    case 7:
      if (scenario->actions->len > 0)
        {
          guint pick = 2 * g_rand_int_range (scenario->rand, 0, scenario->actions->len / 2);
          gint64 t = g_array_index (scenario->actions, gint64, pick);
          gint64 a = g_array_index (scenario->actions, gint64, pick + 1);
          g_autofree char *action = g_strdup_printf ("/_sim/tickets/%" G_GINT64_FORMAT "/actions/%" G_GINT64_FORMAT, t, a);

          switch (g_rand_int_range (scenario->rand, 0, 3))
            {
            case 0:
              body = g_strdup_printf ("{\"timetaken\": %.2f}", g_rand_int_range (scenario->rand, 1, 20) * 0.25);
              result = post (scenario, "POST", action, body);
              break;

            case 1:
              /* An edit that leaves its ticket's last update alone. */
              body = g_strdup_printf ("{\"timetaken\": %.2f, \"bump_ticket\": false}",
                                      g_rand_int_range (scenario->rand, 1, 20) * 0.25);
              result = post (scenario, "POST", action, body);
              mark_unseen (scenario, "time_entries", t, a);
              break;

            default:
              result = post (scenario, "DELETE", action, NULL);
              mark_unseen (scenario, "time_entries", t, a);
              g_array_remove_range (scenario->actions, pick, 2);
              break;
            }
        }
      break;

    case 9:
      move_opening (scenario, ticket, path);
      break;

    case 10:
      remap_agent (scenario);
      break;

    default:
      /* Deleting a ticket takes its time entries with it. */
      result = post (scenario, "DELETE", path, NULL);
      mark_unseen (scenario, "tickets", ticket, -1);
      for (guint i = 0; i < scenario->actions->len;)
        {
          if (g_array_index (scenario->actions, gint64, i) == ticket)
            {
              mark_unseen (scenario, "time_entries", ticket, g_array_index (scenario->actions, gint64, i + 1));
              g_array_remove_range (scenario->actions, i, 2);
            }
          else
            i += 2;
        }
      for (guint i = 0; i < scenario->tickets->len; i++)
        if (g_array_index (scenario->tickets, gint64, i) == ticket)
          {
            g_array_remove_index (scenario->tickets, i);
            break;
          }
      break;
    }
}

/* The live rows of a table, one "key=…|columns…" string each, by key. */
static GPtrArray *
live_rows (HsTestDb   *db,
           guint       table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s FROM %s WHERE deleted_at IS NULL ORDER BY %s",
                                          compared[table].columns, compared[table].table, compared[table].key);

  return hs_test_db_rows (db, sql);
}

/* The key part of a row string: the first one or two cells. */
static char *
row_key (guint       table,
         const char *row)
{
  g_auto(GStrv) cells = g_strsplit (row, "|", 3);

  if (strchr (compared[table].key, ',') != NULL)
    return g_strdup_printf ("%s:%s,%s", compared[table].table, cells[0], cells[1]);
  return g_strdup_printf ("%s:%s", compared[table].table, cells[0]);
}

static gboolean
compare (guint       seed,
         Scenario   *scenario,
         HsTestDb   *a,
         HsTestDb   *b,
         gboolean    allow_unseen)
{
  gboolean same = TRUE;

  for (guint t = 0; t < G_N_ELEMENTS (compared); t++)
    {
      g_autoptr(GPtrArray) rows_a = live_rows (a, t);
      g_autoptr(GPtrArray) rows_b = live_rows (b, t);
      g_autoptr(GHashTable) in_b = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr(GHashTable) keys_a = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      for (guint i = 0; i < rows_b->len; i++)
        g_hash_table_add (in_b, g_ptr_array_index (rows_b, i));

      for (guint i = 0; i < rows_a->len; i++)
        {
          const char *row = g_ptr_array_index (rows_a, i);
          char *key = row_key (t, row);

          g_hash_table_add (keys_a, key);
          if (g_hash_table_contains (in_b, row))
            continue;
          if (allow_unseen && g_hash_table_contains (scenario->unseen, key))
            continue;
          g_printerr ("# seed %u: %s row only in the incrementally synced database: %s\n",
                      seed, compared[t].table, row);
          same = FALSE;
        }

      for (guint i = 0; i < rows_b->len; i++)
        {
          const char *row = g_ptr_array_index (rows_b, i);
          g_autofree char *key = row_key (t, row);
          gboolean found = FALSE;

          for (guint j = 0; j < rows_a->len && !found; j++)
            found = g_str_equal (row, g_ptr_array_index (rows_a, j));
          if (!found && !(allow_unseen && g_hash_table_contains (scenario->unseen, key)))
            {
              g_printerr ("# seed %u: %s row missing or different after incremental syncs: %s%s\n",
                          seed, compared[t].table, row,
                          g_hash_table_contains (keys_a, key) ? " (the key is there, the values differ)" : "");
              same = FALSE;
            }
        }
    }

  return same;
}

/* A's live rows against what the simulator holds for the window: the
 * tickets opened or updated in it, the time logged in it. */
static gboolean
matches_truth (guint     seed,
               Scenario *scenario,
               HsTestDb *db)
{
  g_autoptr(JsonNode) node = hs_test_sync_control (scenario->sync, "GET",
                                                  "/_sim/truth?start=" HS_TEST_FY_START "&end=2026-07-01", NULL);
  JsonObject *truth = json_node_get_object (node);
  gint64 tickets = hs_test_db_query_int (db, "SELECT count(*) FROM tickets WHERE deleted_at IS NULL");
  gint64 entries = hs_test_db_query_int (db, "SELECT count(*) FROM time_entries WHERE deleted_at IS NULL");
  gint64 seconds = hs_test_db_query_int (db, "SELECT CAST(round(coalesce(sum(hours), 0) * 3600) AS INTEGER)"
                                             " FROM time_entries WHERE deleted_at IS NULL");
  gint64 true_seconds = (gint64) (json_object_get_double_member (truth, "hours") * 3600 + 0.5);
  gboolean same = TRUE;

  if (tickets != json_object_get_int_member (truth, "tickets_touched"))
    {
      g_printerr ("# seed %u: %" G_GINT64_FORMAT " live tickets, Halo has %" G_GINT64_FORMAT " in the year\n",
                  seed, tickets, json_object_get_int_member (truth, "tickets_touched"));
      same = FALSE;
    }
  if (entries != json_object_get_int_member (truth, "time_entries") || seconds != true_seconds)
    {
      g_printerr ("# seed %u: %" G_GINT64_FORMAT " time entries of %" G_GINT64_FORMAT " s, Halo has %"
                  G_GINT64_FORMAT " of %" G_GINT64_FORMAT " s\n", seed, entries, seconds,
                  json_object_get_int_member (truth, "time_entries"), true_seconds);
      same = FALSE;
    }
  return same;
}

/* Puts the simulator's clock where the seed says, and remembers how far
 * from ours, for the edits stamped "a few minutes ago". */
static void
place_clock (Scenario *scenario)
{
  const char *placement = clock_placements[g_rand_int_range (scenario->rand, 0, G_N_ELEMENTS (clock_placements))];
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(JsonObject) clock = NULL;
  g_autofree char *body = NULL;

  if (placement == NULL)
    return;
  body = g_strdup_printf ("{\"now\": \"%s\"}", placement);
  clock = post (scenario, "POST", "/_sim/clock", body);
  when = g_date_time_new_from_iso8601 (placement, utc);
  scenario->clock_offset = g_date_time_to_unix (when) - g_get_real_time () / G_USEC_PER_SEC;
}

static void
assert_succeeded (guint  seed,
                  HsRun *run)
{
  if (hs_run_get_status (run) != HS_RUN_SUCCEEDED)
    g_error ("seed %u: the run ended %s: %s", seed, hs_run_status_to_string (hs_run_get_status (run)),
             hs_run_get_error_message (run));
}

static gboolean
run_seed (HsTestDbKind kind,
          guint        seed)
{
  g_autofree char *seed_text = g_strdup_printf ("%u", seed);
  const char *sim_args[] = {
    "--seed", seed_text, "--agents", "4", "--clients", "5", "--tickets", "40", "--time-entries", "120",
    "--start", HS_TEST_FY_START, "--end", HS_TEST_FY_END, NULL
  };
  g_autoptr(HsTestSync) sync = hs_test_sync_new (kind, sim_args);
  g_autoptr(HsRun) created = NULL;
  g_autoptr(HsRun) fresh_run = NULL;
  g_autoptr(HsRun) full = NULL;
  g_autoptr(HsEngine) fresh = NULL;
  g_autoptr(HsTestDb) empty = NULL;
  Scenario scenario = { 0 };
  GHashTableIter iter;
  gpointer agent, member;
  guint rounds;
  gboolean same;

  scenario.rand = g_rand_new_with_seed (seed);
  scenario.sync = sync;
  scenario.tickets = g_array_new (FALSE, FALSE, sizeof (gint64));
  scenario.actions = g_array_new (FALSE, FALSE, sizeof (gint64));
  scenario.unseen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  scenario.mappings = g_hash_table_new_full (NULL, NULL, NULL, g_free);

  place_clock (&scenario);
  created = hs_test_sync_create_fiscal_year (hs_test_sync_get_engine (sync), HS_TEST_FY,
                                             HS_TEST_FY_START, HS_TEST_FY_END);
  assert_succeeded (seed, created);

  rounds = g_rand_int_range (scenario.rand, 2, 6);
  for (guint r = 0; r < rounds; r++)
    {
      g_autoptr(HsRun) run = NULL;
      guint changes = g_rand_int_range (scenario.rand, 1, 8);

      for (guint c = 0; c < changes; c++)
        mutate (&scenario);
      run = hs_test_sync_run (hs_test_sync_get_engine (sync), HS_TEST_FY, HS_SYNC_INCREMENTAL, 0);
      assert_succeeded (seed, run);
    }

  empty = hs_test_db_new (kind);
  fresh = hs_test_sync_new_engine (sync, empty);
  fresh_run = hs_test_sync_create_fiscal_year (fresh, HS_TEST_FY, HS_TEST_FY_START, HS_TEST_FY_END);
  assert_succeeded (seed, fresh_run);
  g_hash_table_iter_init (&iter, scenario.mappings);
  while (g_hash_table_iter_next (&iter, &agent, &member))
    hs_test_sync_map_agent (fresh, GPOINTER_TO_INT (agent), member, "Service Desk");

  /* Incremental syncs miss only what no change of a ticket tells them
   * (deletions, tickets leaving the year, edits that leave their ticket
   * alone); nothing else may differ.  A full run removes those
   * differences too, and what it leaves is what Halo holds. */
  same = compare (seed, &scenario, hs_test_sync_get_db (sync), empty, TRUE);
  full = hs_test_sync_run (hs_test_sync_get_engine (sync), HS_TEST_FY, HS_SYNC_FULL,
                           HS_SYNC_FLAGS_ALLOW_MASS_DELETE);
  assert_succeeded (seed, full);
  same = compare (seed, &scenario, hs_test_sync_get_db (sync), empty, FALSE) && same;
  same = matches_truth (seed, &scenario, empty) && same;

  g_clear_object (&fresh);
  g_rand_free (scenario.rand);
  g_array_unref (scenario.tickets);
  g_array_unref (scenario.actions);
  g_hash_table_unref (scenario.unseen);
  g_hash_table_unref (scenario.mappings);
  return same;
}

static void
test_seeds (gconstpointer data)
{
  HsTestDbKind kind = GPOINTER_TO_INT (data);
  guint seeds = n_seeds;
  g_autoptr(GString) diverged = g_string_new (NULL);

  /* PostgreSQL databases cost more to make; a tenth of the seeds there
   * covers its dialect, the SQLite seeds the logic. */
  if (kind == HS_TEST_DB_POSTGRESQL && g_getenv ("HS_DIFF_SEEDS") == NULL)
    seeds = MAX (seeds / 10, 1);

  for (guint seed = first_seed; seed < first_seed + seeds; seed++)
    if (!run_seed (kind, seed))
      g_string_append_printf (diverged, " %u", seed);

  if (diverged->len > 0)
    g_error ("Incremental syncs diverged from a full sync for seed(s)%s; rerun one with "
             "test-differential --first-seed S --seeds 1", diverged->str);
  g_test_message ("%u seeds on %s: identical", seeds, hs_test_db_kind_to_string (kind));
}

static void
parse_arguments (int   *argc,
                 char **argv)
{
  const char *env = g_getenv ("HS_DIFF_SEEDS");
  int out = 1;

  if (env != NULL)
    n_seeds = (guint) g_ascii_strtoull (env, NULL, 10);

  for (int i = 1; i < *argc; i++)
    {
      if (g_str_equal (argv[i], "--seeds") && i + 1 < *argc)
        n_seeds = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
      else if (g_str_equal (argv[i], "--first-seed") && i + 1 < *argc)
        first_seed = (guint) g_ascii_strtoull (argv[++i], NULL, 10);
      else
        argv[out++] = argv[i];
    }
  *argc = out;
  argv[out] = NULL;

  if (n_seeds == 0)
    {
      g_printerr ("--seeds must be at least 1\n");
      exit (2);
    }
}

int
main (int    argc,
      char **argv)
{
  parse_arguments (&argc, argv);
  hs_test_init (&argc, &argv);
  g_setenv ("HALOSYNC_LOOK_BACK_MINUTES", G_STRINGIFY (LOOK_BACK_MINUTES), TRUE);

  g_test_add_data_func ("/differential/sqlite", GINT_TO_POINTER (HS_TEST_DB_SQLITE), test_seeds);
  g_test_add_data_func ("/differential/postgresql", GINT_TO_POINTER (HS_TEST_DB_POSTGRESQL), test_seeds);

  return g_test_run ();
}
