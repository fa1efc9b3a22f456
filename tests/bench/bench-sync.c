/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sys/resource.h>

#include "hs-test-sync.h"

/* bench-sync: what a real sync costs, end to end.  halo-sim serves a
 * tenant (by default the large one: 200 agents, 200,000 tickets and
 * 1,000,000 time entries in one fiscal year) with no rate limit, and
 * the engine, with the real halo and gda plugins and its own rate budget
 * off, runs in this process: first the full run that creating the fiscal
 * year starts, then an hourly incremental run that finds nothing new.
 * For each sink and kind of fiscal year it prints wall time, records per
 * second per stream and in total, CPU time of this process (per thread),
 * of the simulator and of the PostgreSQL backend, the load average, peak
 * memory of the syncing process, the requests made against the fewest
 * the source's strategy could make and against a plain script's, and how
 * long those requests take under hosted Halo's budget (300 per rolling 5
 * minutes, so about one a second); a table of the main figures ends it.
 *
 *   bench-sync [--tickets N] [--time-entries N] [--agents N]
 *              [--providers postgresql,sqlite] [--years in-progress,past]
 *              [--scale-check] [--copy-baseline] [--max-events-per-request N]
 *
 * The year in progress is the one the hourly sync has: 365 days that end
 * a few days from now, with the tenant's data spread up to two days ago.
 * The past year ended a month ago; the source reads its tickets with a
 * different strategy.  --max-events-per-request sets the source's
 * TimesheetEvent ceiling, to measure what another would cost.
 *
 * --scale-check also syncs a tenant ten times smaller and prints how peak
 * memory grows with the tenant.  --copy-baseline exports the synced
 * PostgreSQL rows to CSV, loads them into a fresh database with
 * `psql \copy` and prints the sync's throughput as a share of that.
 *
 * Each measured sync runs in a child process of its own (this program
 * with --child), so the peak memory of one is not inflated by another.
 * Consistency is asserted (every record Halo has arrives once, the
 * no-change run reads nothing); speed never is.  PostgreSQL needs the
 * PG* environment (tests/with-postgresql.sh). */

/* The source's TimesheetEvent windows (hs-halo-source.c): the first is a
 * day, each next at most twice the last and at most 31 days long, and
 * more than 400 agents split every window into groups. */
#define FIRST_EVENT_WINDOW_DAYS 1
#define MAX_EVENT_WINDOW_DAYS 31
#define MAX_AGENTS_PER_REQUEST 400
/* Halo serves at most this many rows a page. */
#define PAGE_SIZE 100
/* Hosted Halo's budget: 300 requests per rolling 5 minutes. */
#define BUDGET_REQUESTS 300
#define BUDGET_SECONDS 300
/* What issue 18 measured a plain script make on the large tenant's past
 * year: its strategy (tickets opened ∪ updated, monthly TimesheetEvent
 * windows) is counted for every run beside the source's own. */
#define SCRIPT_EVENT_REQUESTS 12

static int n_tickets = 200000;
static int n_time_entries = 1000000;
static int n_agents = 200;
static char *providers = NULL;
static char *years = NULL;
static gboolean scale_check = FALSE;
static gboolean copy_baseline = FALSE;
static int max_events_per_request = 0;
static gboolean past_year = FALSE;
static char *child = NULL;

#define FISCAL_YEAR "Benchmark"
#define YEAR_DAYS 365

/* The fiscal year [start, end] (both days included) and the days the
 * simulator's data covers, as YYYY-MM-DD. */
typedef struct
{
  char start[11];
  char end[11];
  char end_exclusive[11];
  char data_end[11];
  gboolean in_progress;
} Year;

static void
format_day (GDateTime *now,
            int        days,
            char       out[11])
{
  g_autoptr(GDateTime) day = g_date_time_add_days (now, days);
  g_autofree char *text = g_date_time_format (day, "%Y-%m-%d");

  g_strlcpy (out, text, 11);
}

static void
choose_year (Year *year)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  int end = past_year ? -30 : 6;

  format_day (now, end - (YEAR_DAYS - 1), year->start);
  format_day (now, end, year->end);
  format_day (now, end + 1, year->end_exclusive);
  /* Nothing newer than two days ago: the hourly run's look-back must not
   * reach the data, or it would not be a run with nothing new. */
  format_day (now, past_year ? end : -2, year->data_end);
  year->in_progress = !past_year;
}

/* What a child reports to the parent, on a line of its own. */
#define RESULT_PREFIX "RESULT "

/* When each stream's reading began, and when the reading ended. */
typedef struct
{
  gint64 started[HS_N_STREAMS];      /* monotonic µs; 0 = not begun */
  gint64 fetch_done;
} StreamClock;

static void
run_progress_cb (HsEngine    *engine,
                 HsRun       *run,
                 StreamClock *clock)
{
  gint64 now = g_get_monotonic_time ();
  HsStream stream;

  if (hs_run_get_stage (run) != HS_RUN_STAGE_FETCHING)
    {
      if (hs_run_get_stage (run) > HS_RUN_STAGE_FETCHING && clock->fetch_done == 0)
        clock->fetch_done = now;
      return;
    }

  stream = hs_run_get_stream (run);
  if (clock->started[stream] == 0)
    clock->started[stream] = now;
}

/* Seconds from the stream's first request to the next stream's, or to the
 * end of the fetch for the last one. */
static double
stream_seconds (StreamClock *clock,
                HsStream     stream)
{
  gint64 end = clock->fetch_done;

  if (clock->started[stream] == 0)
    return 0;
  for (HsStream s = 0; s < HS_N_STREAMS; s++)
    if (clock->started[s] > clock->started[stream] && clock->started[s] < end)
      end = clock->started[s];
  return (end - clock->started[stream]) / (double) G_USEC_PER_SEC;
}

/* The machine's one-minute load average: other work on the same cores
 * slows a run down, and a reader of the figures should know. */
static double
load_average (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return -1;
  return g_ascii_strtod (text, NULL);
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* This process's threads that used more than a tenth of a second of CPU,
 * as "name 1.2 s, …": the engine's main thread reads and parses, the
 * sink's worker thread drives the database. */
static char *
describe_threads (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  GString *text = g_string_new (NULL);
  const char *tid;

  while (dir != NULL && (tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *comm_path = g_strdup_printf ("/proc/self/task/%s/comm", tid);
      g_autofree char *stat_path = g_strdup_printf ("/proc/self/task/%s/stat", tid);
      g_autofree char *comm = NULL;
      double seconds;

      if (!g_file_get_contents (comm_path, &comm, NULL, NULL))
        continue;
      seconds = hs_test_proc_cpu_seconds (stat_path);
      if (seconds >= 0.1)
        g_string_append_printf (text, "%s%s %.1f s", text->len > 0 ? ", " : "", g_strstrip (comm), seconds);
    }
  return g_string_free (text, FALSE);
}

static long
peak_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

static gint64
member_int (JsonNode   *node,
            const char *name)
{
  return json_object_get_int_member (json_node_get_object (node), name);
}

static guint
pages (gint64 rows)
{
  return (guint) MAX ((rows + PAGE_SIZE - 1) / PAGE_SIZE, 1);
}

/* The fewest TimesheetEvent responses that carry @time_entries when each
 * holds exactly the source's target, which starts at @first and doubles
 * up to @ceiling; but however sparse the data, the source covers the
 * year in windows that grow from a day to at most a month, so a small
 * tenant needs more requests than its entries would fill. */
static guint
min_event_requests (gint64 time_entries,
                    guint  agents_seen,
                    guint  first,
                    guint  ceiling)
{
  guint groups = MAX ((agents_seen + MAX_AGENTS_PER_REQUEST - 1) / MAX_AGENTS_PER_REQUEST, 1);
  guint windows = 0, covered = 0, length = FIRST_EVENT_WINDOW_DAYS;
  guint responses = 0;
  gint64 carried = 0, target = MIN (first, ceiling);

  for (; carried < time_entries; responses++)
    {
      carried += target;
      target = MIN (2 * target, (gint64) ceiling);
    }
  for (; covered < YEAR_DAYS; windows++)
    {
      covered += length;
      length = MIN (2 * length, MAX_EVENT_WINDOW_DAYS);
    }
  return MAX (responses, windows * groups);
}

/* Hosted Halo's 300 requests per rolling 300 s: however they are spread,
 * a long run averages one request a second (only the first 300 may go at
 * once, which saves at most five minutes). */
static double
budget_seconds (guint requests)
{
  return (double) requests * BUDGET_SECONDS / BUDGET_REQUESTS;
}

static char *
format_duration (double seconds)
{
  if (seconds < 120)
    return g_strdup_printf ("%.1f s", seconds);
  if (seconds < 7200)
    return g_strdup_printf ("%.1f min", seconds / 60);
  return g_strdup_printf ("%.1f h", seconds / 3600);
}

/* The CPU time of the PostgreSQL backends serving the benchmark's
 * database (the sink's connection), or -1 where /proc does not show them
 * (a server on another machine). */
static double
backend_cpu_seconds (HsTestDb *db)
{
  g_autofree char *sql =
    g_strdup_printf ("SELECT string_agg(pid::text, ' ') FROM pg_stat_activity "
                     "WHERE datname = '%s' AND pid <> pg_backend_pid()", hs_test_db_get_name (db));
  g_autofree char *pids = hs_test_db_query_string (db, sql);
  g_auto(GStrv) list = NULL;
  double total = 0;

  if (pids == NULL || pids[0] == '\0')
    return -1;

  list = g_strsplit (pids, " ", -1);
  for (guint i = 0; list[i] != NULL; i++)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%s/stat", list[i]);
      double seconds = hs_test_proc_cpu_seconds (path);

      if (seconds < 0)
        return -1;
      total += seconds;
    }
  return total;
}

static void
run_tool (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s failed: %s\n%s", argv[0], error->message, err);
}

static const char * const stream_tables[] = {
  "agents", "teams", "clients", "tickets", "time_entries", NULL
};

/* The physical limit: the synced rows of every stream table, exported to
 * CSV and loaded with `psql \copy` into a fresh database with the same
 * tables (keys, indexes and triggers), in one transaction as the sync
 * writes.  Returns rows per second of the load. */
static double
measure_copy (HsTestDb *synced,
              guint64  *rows)
{
  g_autoptr(HsTestDb) fresh = hs_test_db_new (HS_TEST_DB_POSTGRESQL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("hs-bench-copy-XXXXXX", &error);
  g_autofree char *schema = NULL;
  g_autoptr(GPtrArray) dump = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) load = g_ptr_array_new_with_free_func (g_free);
  gint64 started;
  double seconds;

  g_assert_no_error (error);
  schema = g_build_filename (dir, "schema.sql", NULL);

  g_ptr_array_add (dump, g_strdup ("pg_dump"));
  g_ptr_array_add (dump, g_strdup ("--schema-only"));
  g_ptr_array_add (dump, g_strdup ("--no-owner"));
  g_ptr_array_add (dump, g_strdup_printf ("--file=%s", schema));
  for (guint i = 0; stream_tables[i] != NULL; i++)
    g_ptr_array_add (dump, g_strdup_printf ("--table=public.%s", stream_tables[i]));
  g_ptr_array_add (dump, g_strdup (hs_test_db_get_name (synced)));
  g_ptr_array_add (dump, NULL);
  run_tool ((const char * const *) dump->pdata);

  {
    const char * const restore[] = {
      "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", schema, hs_test_db_get_name (fresh), NULL
    };

    run_tool (restore);
  }

  *rows = 0;
  g_ptr_array_add (load, g_strdup ("psql"));
  g_ptr_array_add (load, g_strdup ("-X"));
  g_ptr_array_add (load, g_strdup ("-q"));
  g_ptr_array_add (load, g_strdup ("-v"));
  g_ptr_array_add (load, g_strdup ("ON_ERROR_STOP=1"));
  g_ptr_array_add (load, g_strdup ("--single-transaction"));
  for (guint i = 0; stream_tables[i] != NULL; i++)
    {
      g_autofree char *csv = g_strdup_printf ("%s/%s.csv", dir, stream_tables[i]);
      g_autofree char *out = g_strdup_printf ("\\copy %s TO '%s' WITH (FORMAT csv)", stream_tables[i], csv);
      g_autofree char *count = g_strdup_printf ("SELECT count(*) FROM %s", stream_tables[i]);
      const char * const export[] = {
        "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", out, hs_test_db_get_name (synced), NULL
      };

      run_tool (export);
      *rows += hs_test_db_query_int (synced, count);
      g_ptr_array_add (load, g_strdup ("-c"));
      g_ptr_array_add (load, g_strdup_printf ("\\copy %s FROM '%s' WITH (FORMAT csv)", stream_tables[i], csv));
    }
  g_ptr_array_add (load, g_strdup (hs_test_db_get_name (fresh)));
  g_ptr_array_add (load, NULL);

  started = g_get_monotonic_time ();
  run_tool ((const char * const *) load->pdata);
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;

  /* Every row arrived: the load is the same data, not a shortcut. */
  for (guint i = 0; stream_tables[i] != NULL; i++)
    {
      g_autofree char *count = g_strdup_printf ("SELECT count(*) FROM %s", stream_tables[i]);

      g_assert_cmpint (hs_test_db_query_int (fresh, count), ==, hs_test_db_query_int (synced, count));
    }

  for (guint i = 0; stream_tables[i] != NULL; i++)
    {
      g_autofree char *csv = g_strdup_printf ("%s/%s.csv", dir, stream_tables[i]);

      g_remove (csv);
    }
  g_remove (schema);
  g_rmdir (dir);

  g_print ("  psql \\copy of the same %" G_GUINT64_FORMAT " rows into a fresh database: %.2f s = %.0f rows/s\n",
           *rows, seconds, *rows / seconds);
  return *rows / seconds;
}

/* One measured tenant on one sink; prints its report and a RESULT line. */
static void
measure_child (HsTestDbKind kind)
{
  g_autofree char *agents = g_strdup_printf ("%d", n_agents);
  g_autofree char *tickets = g_strdup_printf ("%d", n_tickets);
  g_autofree char *entries = g_strdup_printf ("%d", n_time_entries);
  Year year;
  g_autoptr(HsTestSync) sync = NULL;
  HsEngine *engine;
  HsTestDb *db;
  g_autoptr(JsonNode) truth = NULL;
  g_autoptr(JsonNode) counters = NULL;
  g_autoptr(HsRun) full = NULL;
  g_autoptr(HsRun) hourly = NULL;
  StreamClock clock = { 0 };
  gulong handler;
  gint64 started;
  double load_before, full_seconds, seconds, cpu_before, sim_before, cpu, sim_cpu, backend_cpu;
  guint64 records = 0;
  long peak_kib;
  guint minimum, client_pages, ticket_pages, event_requests, hourly_requests, hourly_limit;
  guint requests, script, first_target, ceiling;
  g_autofree char *ticket_strategy = NULL;
  gint64 sim_requests, opened;
  HsSource *source;
  g_autofree char *budget = NULL;
  g_autofree char *budget_script = NULL;
  g_autofree char *truth_path = NULL;
  g_autofree char *threads = NULL;

  choose_year (&year);
  {
    const char * const sim_args[] = {
      "--agents", agents, "--tickets", tickets, "--time-entries", entries,
      "--start", year.start, "--end", year.data_end, NULL
    };

    sync = hs_test_sync_new (kind, sim_args);
  }
  engine = hs_test_sync_get_engine (sync);
  db = hs_test_sync_get_db (sync);
  if (max_events_per_request > 0)
    g_object_set (hs_engine_get_source (engine, NULL), "max-events-per-request",
                  (guint) max_events_per_request, NULL);

  g_print ("%s: %d agents, %d tickets, %d time entries in the fiscal year [%s, %s] (%s)\n",
           hs_test_db_kind_to_string (kind), n_agents, n_tickets, n_time_entries,
           year.start, year.end, year.in_progress ? "in progress" : "past");
  load_before = load_average ();

  /* The full run: the one creating the fiscal year starts. */
  handler = g_signal_connect (engine, "run-progress", G_CALLBACK (run_progress_cb), &clock);
  cpu_before = cpu_seconds ();
  sim_before = hs_test_sim_get_cpu_seconds (hs_test_sync_get_sim (sync));
  started = g_get_monotonic_time ();
  full = hs_test_sync_create_fiscal_year (engine, FISCAL_YEAR, year.start, year.end);
  full_seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  cpu = cpu_seconds () - cpu_before;
  sim_cpu = hs_test_sim_get_cpu_seconds (hs_test_sync_get_sim (sync));
  sim_cpu = sim_before >= 0 && sim_cpu >= 0 ? sim_cpu - sim_before : -1;
  g_signal_handler_disconnect (engine, handler);
  if (clock.fetch_done == 0)
    clock.fetch_done = g_get_monotonic_time ();
  g_assert_cmpstr (hs_run_get_error_message (full), ==, NULL);
  g_assert_cmpint (hs_run_get_status (full), ==, HS_RUN_SUCCEEDED);
  backend_cpu = kind == HS_TEST_DB_POSTGRESQL ? backend_cpu_seconds (db) : -1;

  /* Everything Halo holds for the year arrived, once. */
  truth_path = g_strdup_printf ("/_sim/truth?start=%s&end=%s", year.start, year.end_exclusive);
  truth = hs_test_sync_control (sync, "GET", truth_path, NULL);
  g_assert_cmpuint (hs_run_get_count (full, HS_STREAM_TICKETS, HS_COUNTER_INSERTED), ==,
                    member_int (truth, "tickets_touched"));
  g_assert_cmpuint (hs_run_get_count (full, HS_STREAM_TIME_ENTRIES, HS_COUNTER_INSERTED), ==,
                    member_int (truth, "time_entries"));
  g_assert_cmpint (hs_test_db_query_int (db, "SELECT count(*) FROM tickets"), ==,
                   member_int (truth, "tickets_touched"));
  g_assert_cmpint (hs_test_db_query_int (db, "SELECT count(*) FROM time_entries"), ==,
                   member_int (truth, "time_entries"));
  g_assert_cmpuint (hs_run_get_count (full, HS_STREAM_AGENTS, HS_COUNTER_INSERTED), ==, n_agents);

  counters = hs_test_sync_control (sync, "GET", "/_sim/counters", NULL);
  sim_requests = member_int (counters, "total");
  /* The run counts every request it makes, the token's too. */
  g_assert_cmpint (hs_run_get_api_calls (full), ==, sim_requests);

  g_print ("  full run: %.2f s wall, %u requests\n", full_seconds, hs_run_get_api_calls (full));
  for (HsStream s = 0; s < HS_N_STREAMS; s++)
    {
      guint64 n = hs_run_get_count (full, s, HS_COUNTER_FETCHED);
      double t = stream_seconds (&clock, s);

      records += n;
      g_print ("    %-13s %8" G_GUINT64_FORMAT " records in %6.2f s = %8.0f records/s\n",
               hs_stream_to_string (s), n, t, t > 0 ? n / t : 0.0);
    }
  g_print ("    %-13s %8" G_GUINT64_FORMAT " records in %6.2f s = %8.0f records/s (whole run, commit included)\n",
           "total", records, full_seconds, records / full_seconds);
  g_print ("  CPU: this process %.1f s", cpu);
  if (sim_cpu >= 0)
    g_print (", halo-sim %.1f s", sim_cpu);
  if (backend_cpu >= 0)
    g_print (", PostgreSQL backend %.1f s", backend_cpu);
  g_print (" (%.1f s of wall time on %u cores; load average %.1f before, %.1f after)\n",
           full_seconds, g_get_num_processors (), load_before, load_average ());
  threads = describe_threads ();
  g_print ("  CPU of the syncing process's threads: %s\n", threads);

  /* The fewest requests the source's strategy can make: the token URL,
   * a token, agents, teams, the client pages, the ticket pages (a year in
   * progress: one updated-since query, plus a one-row count of those
   * opened; a past year: those opened in it, and those opened before it
   * and updated in it) and the TimesheetEvent responses, each exactly as
   * full as the source's target. */
  client_pages = pages (hs_run_get_count (full, HS_STREAM_CLIENTS, HS_COUNTER_FETCHED));
  opened = member_int (truth, "tickets_opened");
  if (year.in_progress)
    {
      ticket_pages = 1 + pages (member_int (truth, "tickets_touched"));
      ticket_strategy = g_strdup_printf ("%u pages of tickets updated since the year began + 1 count",
                                         ticket_pages - 1);
    }
  else
    {
      ticket_pages = pages (opened) + pages (member_int (truth, "tickets_touched") - opened);
      ticket_strategy = g_strdup_printf ("%u pages of tickets opened in the year + %u of older ones updated in it",
                                         pages (opened), ticket_pages - pages (opened));
    }
  source = hs_engine_get_source (engine, NULL);
  g_object_get (source, "events-per-request", &first_target, "max-events-per-request", &ceiling, NULL);
  event_requests = min_event_requests (member_int (truth, "time_entries"),
                                       hs_run_get_count (full, HS_STREAM_AGENTS, HS_COUNTER_FETCHED),
                                       first_target, ceiling);
  minimum = 4 + client_pages + ticket_pages + event_requests;
  requests = hs_run_get_api_calls (full);
  g_print ("  requests: %u made (halo-sim counted %" G_GINT64_FORMAT "), the strategy's minimum %u "
           "(token URL + token + agents + teams + %u client pages + %s + %u TimesheetEvent requests "
           "from %u up to %u entries each, or the windows covering the year) = %.2f× the minimum\n",
           requests, sim_requests, minimum, client_pages, ticket_strategy, event_requests,
           first_target, ceiling, requests / (double) minimum);

  /* A plain script reads the tickets opened in the year and those
   * updated in it, and the time in twelve monthly windows, with a token
   * and the agents: 3,914 requests on the large tenant's past year. */
  script = 2 + pages (opened) + pages (member_int (truth, "tickets_updated")) + SCRIPT_EVENT_REQUESTS;
  budget = format_duration (budget_seconds (requests));
  budget_script = format_duration (budget_seconds (script));
  g_print ("  a plain script (tickets opened ∪ updated, monthly TimesheetEvent windows) makes %u: "
           "this run makes %.1f%% of that\n", script, 100.0 * requests / script);
  g_print ("  under hosted Halo's budget (%d per %d s, one a second): %s for this run's requests "
           "(the plain script's: %s), of which the run itself took %.1f s\n",
           BUDGET_REQUESTS, BUDGET_SECONDS, budget, budget_script, full_seconds);

  /* The hourly run, with nothing new in Halo. */
  {
    g_autoptr(JsonNode) reset = hs_test_sync_control (sync, "DELETE", "/_sim/counters", NULL);
  }
  started = g_get_monotonic_time ();
  hourly = hs_test_sync_run (engine, FISCAL_YEAR, HS_SYNC_INCREMENTAL, 0);
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_assert_cmpint (hs_run_get_status (hourly), ==, HS_RUN_SUCCEEDED);
  g_clear_pointer (&counters, json_node_unref);
  counters = hs_test_sync_control (sync, "GET", "/_sim/counters", NULL);
  hourly_requests = hs_run_get_api_calls (hourly);
  g_assert_cmpint (hourly_requests, ==, member_int (counters, "total"));
  g_assert_cmpuint (hs_run_get_count (hourly, HS_STREAM_TICKETS, HS_COUNTER_INSERTED), ==, 0);
  g_assert_cmpuint (hs_run_get_count (hourly, HS_STREAM_TIME_ENTRIES, HS_COUNTER_INSERTED), ==, 0);
  /* At most one request per stream, plus the token. */
  hourly_limit = HS_N_STREAMS + 1;
  g_assert_cmpuint (hourly_requests, <=, hourly_limit);
  g_print ("  hourly no-change run: %.0f ms wall, %u requests (target: at most %u, under 300 ms)\n",
           seconds * 1000, hourly_requests, hourly_limit);

  /* Both runs' peak; what follows is the benchmark's own work. */
  peak_kib = peak_rss_kib ();
  g_print ("  peak RSS of the syncing process: %.1f MiB\n", peak_kib / 1024.0);

  if (copy_baseline && kind == HS_TEST_DB_POSTGRESQL)
    {
      guint64 copied = 0;
      double copy_rate = measure_copy (db, &copied);

      g_assert_cmpuint (copied, ==, records);
      g_print ("  the sync's %.0f records/s (whole run) is %.1f%% of \\copy\n",
               records / full_seconds, 100.0 * records / full_seconds / copy_rate);
    }

  g_print (RESULT_PREFIX "rss_kib=%ld requests=%u minimum=%u script=%u wall=%.2f rate=%.0f "
           "hourly_requests=%u hourly_ms=%.0f\n",
           peak_kib, requests, minimum, script, full_seconds, records / full_seconds,
           hourly_requests, seconds * 1000);
}

/* The figures a child reports on its RESULT line. */
typedef struct
{
  long rss_kib;
  guint requests;
  guint minimum;
  guint script;
  double wall;
  double rate;
  guint hourly_requests;
  double hourly_ms;
} Result;

static void
parse_result (const char *line,
              Result     *result)
{
  g_auto(GStrv) fields = g_strsplit (line, " ", -1);

  for (guint i = 0; fields[i] != NULL; i++)
    {
      const char *value = strchr (fields[i], '=');
      g_autofree char *name = NULL;

      if (value == NULL)
        continue;
      name = g_strndup (fields[i], value - fields[i]);
      value++;
      if (g_str_equal (name, "rss_kib"))
        result->rss_kib = strtol (value, NULL, 10);
      else if (g_str_equal (name, "requests"))
        result->requests = (guint) strtoul (value, NULL, 10);
      else if (g_str_equal (name, "minimum"))
        result->minimum = (guint) strtoul (value, NULL, 10);
      else if (g_str_equal (name, "script"))
        result->script = (guint) strtoul (value, NULL, 10);
      else if (g_str_equal (name, "wall"))
        result->wall = g_ascii_strtod (value, NULL);
      else if (g_str_equal (name, "rate"))
        result->rate = g_ascii_strtod (value, NULL);
      else if (g_str_equal (name, "hourly_requests"))
        result->hourly_requests = (guint) strtoul (value, NULL, 10);
      else if (g_str_equal (name, "hourly_ms"))
        result->hourly_ms = g_ascii_strtod (value, NULL);
    }
}

/* Runs this program with --child for one tenant size, sink and kind of
 * year, passes its report through and fills @result from it. */
static void
spawn_child (const char *self_path,
             const char *provider,
             gboolean    past,
             int         tickets,
             int         time_entries,
             int         agents,
             Result     *result)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_auto(GStrv) lines = NULL;
  int status = 0;

  g_ptr_array_add (argv, g_strdup (self_path));
  g_ptr_array_add (argv, g_strdup_printf ("--child=%s", provider));
  g_ptr_array_add (argv, g_strdup_printf ("--tickets=%d", tickets));
  g_ptr_array_add (argv, g_strdup_printf ("--time-entries=%d", time_entries));
  g_ptr_array_add (argv, g_strdup_printf ("--agents=%d", agents));
  if (copy_baseline)
    g_ptr_array_add (argv, g_strdup ("--copy-baseline"));
  if (past)
    g_ptr_array_add (argv, g_strdup ("--past-year"));
  if (max_events_per_request > 0)
    g_ptr_array_add (argv, g_strdup_printf ("--max-events-per-request=%d", max_events_per_request));
  g_ptr_array_add (argv, NULL);

  /* The child's stderr (warnings, assertion messages) goes straight through. */
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_CHILD_INHERITS_STDIN,
                NULL, NULL, &output, NULL, &status, &error);
  g_assert_no_error (error);

  *result = (Result) { .rss_kib = -1 };
  lines = g_strsplit (output, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], RESULT_PREFIX))
        parse_result (lines[i] + strlen (RESULT_PREFIX), result);
      else if (lines[i][0] != '\0')
        g_print ("%s\n", lines[i]);
    }

  if (!g_spawn_check_wait_status (status, &error))
    g_error ("The %s measurement failed: %s", provider, error->message);
  g_assert_cmpint (result->rss_kib, >, 0);
}

static HsTestDbKind
provider_kind (const char *name)
{
  if (g_strcmp0 (name, "sqlite") == 0)
    return HS_TEST_DB_SQLITE;
  if (g_strcmp0 (name, "postgresql") == 0)
    return HS_TEST_DB_POSTGRESQL;
  g_printerr ("Unknown provider “%s”: use sqlite or postgresql\n", name);
  exit (2);
}

int
main (int    argc,
      char **argv)
{
  GOptionEntry entries[] = {
    { "tickets", 0, 0, G_OPTION_ARG_INT, &n_tickets, "Tickets in the tenant (200000)", "N" },
    { "time-entries", 0, 0, G_OPTION_ARG_INT, &n_time_entries, "Time entries in the tenant (1000000)", "N" },
    { "agents", 0, 0, G_OPTION_ARG_INT, &n_agents, "Agents in the tenant (200)", "N" },
    { "providers", 0, 0, G_OPTION_ARG_STRING, &providers, "Sinks to measure (postgresql,sqlite)", "LIST" },
    { "scale-check", 0, 0, G_OPTION_ARG_NONE, &scale_check, "Also sync a tenant ten times smaller", NULL },
    { "copy-baseline", 0, 0, G_OPTION_ARG_NONE, &copy_baseline,
      "Compare with psql \\copy of the same rows (PostgreSQL)", NULL },
    { "years", 0, 0, G_OPTION_ARG_STRING, &years,
      "Fiscal years to sync: in-progress, past or both (in-progress,past)", "LIST" },
    { "max-events-per-request", 0, 0, G_OPTION_ARG_INT, &max_events_per_request,
      "The source's TimesheetEvent ceiling (default: its own)", "N" },
    { "child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &child, "Measure one sync (internal)", "PROVIDER" },
    { "past-year", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &past_year,
      "Measure a past fiscal year (internal)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- measure a full and an hourly sync end to end");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  g_auto(GStrv) year_names = NULL;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_free);

  setlocale (LC_ALL, "C.UTF-8");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      n_tickets < 10 || n_time_entries < 10 || n_agents < 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message
                                        : "--tickets and --time-entries must be at least 10, --agents at least 1");
      return 2;
    }

  if (child != NULL)
    {
      /* SQLite files and settings go to a directory of the benchmark's
       * own, never the user's. */
      g_autofree char *home = g_dir_make_tmp ("hs-bench-sync-XXXXXX", &error);

      g_assert_no_error (error);
      g_setenv ("XDG_CACHE_HOME", home, TRUE);
      g_setenv ("XDG_DATA_HOME", home, TRUE);
      g_setenv ("XDG_CONFIG_HOME", home, TRUE);
      g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
      measure_child (provider_kind (child));
      hs_test_remove_tree (home);
      g_free (child);
      return 0;
    }

  names = g_strsplit (providers != NULL ? providers : "postgresql,sqlite", ",", -1);
  year_names = g_strsplit (years != NULL ? years : "in-progress,past", ",", -1);
  for (guint y = 0; year_names[y] != NULL; y++)
    if (!g_str_equal (year_names[y], "in-progress") && !g_str_equal (year_names[y], "past"))
      {
        g_printerr ("Unknown fiscal year “%s”: use in-progress or past\n", year_names[y]);
        return 2;
      }

  for (guint i = 0; names[i] != NULL; i++)
    {
      provider_kind (names[i]);
      for (guint y = 0; year_names[y] != NULL; y++)
        {
          gboolean past = g_str_equal (year_names[y], "past");
          Result small, *large = g_new0 (Result, 1);

          if (scale_check)
            spawn_child (argv[0], names[i], past, n_tickets / 10, n_time_entries / 10,
                         MAX (n_agents / 10, 1), &small);
          spawn_child (argv[0], names[i], past, n_tickets, n_time_entries, n_agents, large);
          if (scale_check)
            g_print ("%s, %s year: peak RSS %.1f MiB at the full tenant, %.1f MiB at a tenth of it: %.2f× "
                     "for a tenant ten times larger\n",
                     names[i], past ? "past" : "in-progress", large->rss_kib / 1024.0,
                     small.rss_kib / 1024.0, large->rss_kib / (double) small.rss_kib);
          g_print ("\n");
          g_ptr_array_add (results, large);
        }
    }

  /* The figures the targets are about, one line per sync. */
  g_print ("%-11s %-10s %18s %8s %16s %8s %10s %8s %14s\n", "year", "sink", "requests (min.)",
           "/script", "budget-bound", "wall", "records/s", "peak RSS", "no-change run");
  for (guint i = 0, r = 0; names[i] != NULL; i++)
    for (guint y = 0; year_names[y] != NULL; y++, r++)
      {
        Result *result = g_ptr_array_index (results, r);
        g_autofree char *requests = g_strdup_printf ("%u (%u)", result->requests, result->minimum);
        g_autofree char *share = g_strdup_printf ("%.0f%%", 100.0 * result->requests / result->script);
        g_autofree char *budget = format_duration (budget_seconds (result->requests));
        g_autofree char *wall = g_strdup_printf ("%.1f s", result->wall);
        g_autofree char *rss = g_strdup_printf ("%.1f MiB", result->rss_kib / 1024.0);
        g_autofree char *hourly = g_strdup_printf ("%u req, %.0f ms", result->hourly_requests,
                                                   result->hourly_ms);

        g_print ("%-11s %-10s %18s %8s %16s %8s %10.0f %8s %14s\n", year_names[y], names[i], requests,
                 share, budget, wall, result->rate, rss, hourly);
      }

  g_free (providers);
  g_free (years);
  return 0;
}
