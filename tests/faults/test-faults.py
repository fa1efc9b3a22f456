#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The fault matrix: each row breaks one real part in the middle of a run
(kills a process, stops the database, fills the disk, misbehaves as Halo,
moves a clock) and checks the promise HaloSync makes about it:

- a run that fails changes no data table: every one is byte-identical to
  before it;
- the run ends within a bound, never hangs;
- its ledger row ends with a final status and a message a person can act
  on (a run whose process died is marked interrupted by the next start);
- the next run converges: the database then holds what a fresh full sync
  of the same Halo stores.

The matrix is printed as a table at the end."""

import os
import signal
import sqlite3
import sys
import time
import unittest

from hsfaults import (FY, Bus, Cluster, Home, Sim, Timer, bound, fill, finish, small_filesystem,
                      wait_for)

FINAL = ("succeeded", "failed", "cancelled", "interrupted")

# The columns that come from Halo (not when HaloSync wrote a row): what a
# converged database shares with a fresh full sync.
COMPARED = {
    "agents": "id, name, email, team, disabled",
    "teams": "id, name, department, inactive",
    "clients": "id, name, toplevel, inactive",
    "tickets": "id, summary, status_id, status, ticket_type, client_id, client_name, agent_id, team, "
               "opened_at, closed_at, last_update, hours, member, fiscal_year",
    "time_entries": "ticket_id, action_id, agent_id, started_at, hours, billable, member, fiscal_year",
}

MATRIX = []


def live_rows(store):
    return {table: sorted(store.query(f"SELECT {columns} FROM {table} WHERE deleted_at IS NULL"))
            for table, columns in COMPARED.items()}


def lost_rows(before, after_store):
    """Rows of @before (a live_rows() result) the database no longer has."""
    after = live_rows(after_store)
    return sum(len(set(rows) - set(after[table])) for table, rows in before.items())


class FaultTest(unittest.TestCase):
    """One row of the matrix per test."""

    store_kind = "sqlite"

    @classmethod
    def setUpClass(cls):
        cls.sim = Sim()
        # Stopped even when the rest of the set-up fails: a simulator left
        # running holds the test's output open.
        cls.addClassCleanup(cls.sim.stop)
        # The tickets opened in the fiscal year: the ones the rows change.
        # (A ticket opened before a past year and changed after it leaves
        # the year, which is another issue's subject than faults.)
        home = Home(cls.sim)
        home.create_year()
        cls.window_ids = [int(row[0]) for row in home.store.query(
            "SELECT id FROM tickets WHERE opened_at >= 1751328000000000 ORDER BY id")]
        home.cleanup()

    def setUp(self):
        self.sim.clear_faults()
        self.homes = []
        self.row = {"row": self.id().rsplit(".", 1)[-1].removeprefix("test_").replace("_", "-"),
                    "db": self.store_kind, "result": "FAIL", "lost": "-", "seconds": "-", "status": "-"}

    def tearDown(self):
        self.sim.clear_faults()
        for home in self.homes:
            home.cleanup()
        MATRIX.append(self.row)

    def home(self, **kwargs):
        kwargs.setdefault("store_kind", self.store_kind)
        home = Home(self.sim, **kwargs)
        self.homes.append(home)
        return home

    def baseline(self, home):
        """A synced year, then every ticket changed in Halo, so the next
        run has plenty to write."""
        home.create_year()
        self.sim.touch_tickets(self.window_ids)
        return home.store.snapshot(), live_rows(home.store)

    def wait_mid_run(self, pages=4):
        """Until the run has read @pages more ticket pages: several batches
        are written, or being written, in its open transaction."""
        start = self.sim.requests("GET /api/tickets")
        wait_for(lambda: self.sim.requests("GET /api/tickets") >= start + pages, 60,
                 what="the run to read tickets")

    def assert_unchanged(self, home, snapshot, live):
        self.assertEqual(home.store.snapshot(), snapshot, "a failed run changed data tables")
        self.row["lost"] = str(lost_rows(live, home.store))

    def assert_final(self, home, statuses, mentions=()):
        """The newest ledger row is final, in @statuses, with a message."""
        runs = home.store.runs()
        self.assertNotIn("running", [r["status"] for r in runs], runs)
        last = runs[-1]
        self.assertIn(last["status"], statuses, last)
        self.row["status"] = last["status"]
        if last["status"] != "succeeded":
            self.assertTrue(last["error"], last)
            self.assertNotIn("demo-secret", last["error"])
            for word in mentions:
                self.assertIn(word.lower(), last["error"].lower(), last)
        return last

    def assert_converges(self, home, *args):
        """The next run succeeds and leaves what a fresh full sync stores."""
        run = home.ctl_json("sync", *args)
        self.assertEqual(run["status"], "succeeded", run)
        reference = self.home()
        reference.create_year()
        self.assert_same_rows(home.store, reference.store)

    def assert_same_rows(self, store, reference):
        """@store holds the live rows a fresh full sync into @reference
        stored, table by table."""
        ours, theirs = live_rows(store), live_rows(reference)
        for table in COMPARED:
            missing = sorted(set(theirs[table]) - set(ours[table]))
            extra = sorted(set(ours[table]) - set(theirs[table]))
            self.assertEqual((missing[:3], extra[:3]), ([], []),
                             f"{table} did not converge on a fresh full sync:"
                             f" {len(missing)} rows missing, {len(extra)} different or extra")

    def passed(self, seconds):
        self.row["result"] = "ok"
        self.row["seconds"] = f"{seconds:.1f}"

    # --- Processes killed -------------------------------------------------

    def test_sigkill_mid_run(self):
        home = self.home()
        snapshot, live = self.baseline(home)
        self.sim.slow()
        process = home.spawn("sync", "--full")
        self.wait_mid_run()
        process.kill()
        process.communicate()
        self.sim.clear_faults()

        self.assert_unchanged(home, snapshot, live)
        # The next start of HaloSync tells the dead run from a live one.
        timer = Timer()
        home.ctl("status", expect=0)
        self.assert_final(home, ("interrupted",), mentions=("stopped",))
        seconds = timer.seconds
        self.assert_converges(home, "--full")
        self.passed(seconds)

    def test_sigterm_of_the_service(self):
        home = self.home()
        snapshot, live = self.baseline(home)
        bus = Bus(home)
        try:
            bus.start_daemon()
            self.sim.slow()
            bus.call("Sync", "", "{'full': <true>}")
            self.wait_mid_run()
            bus.daemon.send_signal(signal.SIGTERM)
            code, seconds = finish(bus.daemon, 30)
        finally:
            bus.stop()
            self.sim.clear_faults()
        self.assertEqual(code, 0, "halosyncd did not exit cleanly on SIGTERM")
        self.assertLess(seconds, bound(30))
        self.assert_unchanged(home, snapshot, live)
        self.assert_final(home, ("cancelled",), mentions=("stopped",))
        self.assert_converges(home, "--full")
        self.passed(seconds)

    # --- Halo misbehaving mid-run -----------------------------------------

    def halo_fault_fails(self, fault, mentions, timeout=60):
        home = self.home()
        snapshot, live = self.baseline(home)
        # The fault counts requests from now: the run's fifth ticket page.
        self.sim.faults(dict(fault, path="/api/tickets", nth=5))
        timer = Timer()
        result = home.ctl("sync", "--full", timeout=timeout)
        seconds = timer.seconds
        self.sim.clear_faults()
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertLess(seconds, bound(timeout))
        self.assert_unchanged(home, snapshot, live)
        self.assert_final(home, ("failed",), mentions=mentions)
        self.assert_converges(home, "--full")
        self.passed(seconds)

    def test_halo_5xx_storm(self):
        self.halo_fault_fails({"kind": "status", "status": 503, "count": 0}, ("503",))

    def test_halo_malformed_body(self):
        self.halo_fault_fails({"kind": "malformed"}, ("GET /api/Tickets",))

    def test_halo_truncated_body(self):
        self.halo_fault_fails({"kind": "truncate", "bytes": 300}, ("GET /api/Tickets",))

    def halo_fault_recovers(self, faults, rate_limit=None, timeout=60):
        home = self.home()
        self.baseline(home)
        self.sim.faults(*faults, rate_limit=rate_limit)
        timer = Timer()
        run = home.ctl_json("sync", "--full")
        seconds = timer.seconds
        self.sim.clear_faults()
        self.assertEqual(run["status"], "succeeded", run)
        self.assertLess(seconds, bound(timeout))
        self.assert_final(home, ("succeeded",))
        reference = self.home()
        reference.create_year()
        self.assert_same_rows(home.store, reference.store)
        self.row["lost"] = "0"
        self.passed(seconds)
        return run

    def test_halo_429_storm_with_retry_after(self):
        self.halo_fault_recovers([], rate_limit={"count": 15, "seconds": 2, "retry_after": 1})

    def test_halo_token_revoked(self):
        home = self.home()
        self.baseline(home)
        self.sim.slow()
        process = home.spawn("--json", "sync", "--full")
        self.wait_mid_run(pages=2)
        self.sim.control("POST", "tokens/revoke")
        code, seconds = finish(process, 60)
        self.sim.clear_faults()
        self.assertEqual(code, 0, process.stderr.read())
        self.assert_final(home, ("succeeded",))
        self.assert_converges(home)
        self.row["lost"] = "0"
        self.passed(seconds)

    def test_halo_latency(self):
        self.halo_fault_recovers([{"kind": "latency", "path": "/api/*", "ms": 150, "rate": 0.3}])

    def test_halo_wrong_types(self):
        """A field of the wrong type keeps the value stored before."""
        home = self.home()
        home.create_year()
        sql = "SELECT id, summary, last_update FROM tickets"
        before = {row[0]: row[1:] for row in home.store.query(sql)}
        self.sim.touch_tickets(self.window_ids[:100])
        # The first ticket of every page comes with a summary and a
        # last_update Halo should never send.
        self.sim.faults({"kind": "wrong_type", "path": "/api/tickets", "field": "last_update",
                         "value": "yesterday", "count": 0},
                        {"kind": "wrong_type", "path": "/api/tickets", "field": "summary",
                         "value": ["not", "text"], "count": 0})
        timer = Timer()
        run = home.ctl_json("sync", "--full")
        seconds = timer.seconds
        self.sim.clear_faults()
        self.assertEqual(run["status"], "succeeded", run)
        self.assertTrue(any("wrong type" in w for w in run["warnings"]), run["warnings"])
        after = {row[0]: row[1:] for row in home.store.query(sql)}
        for ticket, (summary, last_update) in after.items():
            self.assertEqual(summary, before[ticket][0], f"ticket {ticket} lost its summary")
            if int(ticket) not in self.window_ids[:100]:
                self.assertEqual(last_update, before[ticket][1], f"ticket {ticket} lost its last_update")
            self.assertNotEqual(last_update, "", f"ticket {ticket} lost its last_update")
        self.assertGreaterEqual(run["streams"]["tickets"]["updated"], 85, run["streams"]["tickets"])
        self.row["lost"] = "0"
        self.row["status"] = "succeeded"
        # Once Halo answers properly, the changed tickets are read again.
        self.assert_converges(home)
        self.passed(seconds)

    # --- Clocks -----------------------------------------------------------

    def clock_row(self, engine_offset=None, halo_offset_hours=0):
        home = self.home()
        if halo_offset_hours:
            now = self.sim.now()
            self.sim.control("POST", "clock", {"advance_seconds": halo_offset_hours * 3600})
        try:
            home.create_year()
            self.sim.touch_tickets(self.window_ids[:20])
            prefix = ("faketime", "-f", engine_offset) if engine_offset else ()
            run = home.ctl_json("sync", prefix=prefix)
            self.assertEqual(run["status"], "succeeded", run)
            # Edits after the skewed run are found by the next hourly run.
            self.sim.touch_tickets(self.window_ids[20:40])
            timer = Timer()
            run = home.ctl_json("sync")
            self.assertEqual(run["streams"]["tickets"]["updated"], 20, run["streams"]["tickets"])
            seconds = timer.seconds
            reference = self.home()
            reference.create_year()
            self.assert_same_rows(home.store, reference.store)
        finally:
            if halo_offset_hours:
                self.sim.control("POST", "clock", {"now": now})
        self.row["lost"] = "0"
        self.row["status"] = "succeeded"
        self.passed(seconds)

    def test_engine_clock_two_days_ahead(self):
        self.clock_row(engine_offset="+2d")

    def test_halo_clock_three_hours_behind(self):
        self.clock_row(halo_offset_hours=-3)

    # --- Two programs, readers --------------------------------------------

    def test_two_writers(self):
        home = self.home()
        home.create_year()
        self.sim.touch_tickets(self.window_ids)
        self.sim.slow()
        first = home.spawn("sync", "--full")
        self.wait_mid_run(pages=2)
        timer = Timer()
        second = home.ctl("sync", "--full", timeout=30)
        seconds = timer.seconds
        self.assertEqual(second.returncode, 3, second.stdout + second.stderr)
        self.assertIn("try again", second.stdout + second.stderr)
        self.assertLess(seconds, bound(2))
        code, _ = finish(first, 60)
        self.sim.clear_faults()
        self.assertEqual(code, 0, first.stderr.read())
        self.assert_final(home, ("succeeded",))
        self.row["lost"] = "0"
        self.assert_converges(home)
        self.passed(seconds)


class SqliteFaultTest(FaultTest):
    store_kind = "sqlite"

    def test_disk_full(self):
        directory = os.path.join(self.home(store_kind="sqlite").dir, "small")
        with small_filesystem(directory, "48m") as mounted:
            if not mounted:
                self.fail("cannot mount a tmpfs here")
            # A tenant bigger than SQLite's page cache, so that batches
            # reach the disk before the commit.
            sim = Sim("--tickets", "8000", "--time-entries", "40000")
            self.addCleanup(sim.stop)
            home = self.home(sqlite_dir=directory)
            home.sim = sim
            home.env["HALOSYNC_HALO_URL"] = sim.url
            # The year exists and is empty (its first sync failed), so the
            # next run has the whole year to write: batches commit until
            # the disk is full half-way through.
            sim.faults({"kind": "status", "status": 400, "path": "/api/agent", "count": 0})
            home.ctl("fy", "create", *FY, expect=1)
            sim.clear_faults()
            snapshot = home.store.snapshot()
            live = live_rows(home.store)
            filler = fill(directory, 2 << 20)
            timer = Timer()
            result = home.ctl("sync", "--full", timeout=60)
            seconds = timer.seconds
            self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
            self.assertIn("full", (result.stdout + result.stderr).lower())
            os.unlink(filler)
            self.assert_unchanged(home, snapshot, live)
            home.ctl("status", expect=0)
            self.assert_final(home, ("failed", "interrupted"))
            run = home.ctl_json("sync", "--full")
            self.assertEqual(run["status"], "succeeded", run)
            truth = sim.control("GET", "truth?start=2025-07-01&end=2026-07-01")
            self.assertEqual(home.store.count("time_entries"), truth["time_entries"])
        self.passed(seconds)

    def test_readers_during_a_run(self):
        home = self.home()
        home.create_year()
        self.assertEqual(home.store.journal_mode(), "wal")
        before = home.store.count("tickets", "summary LIKE '%'")
        self.sim.touch_tickets(self.window_ids)
        self.sim.slow()
        process = home.spawn("sync", "--full")
        self.wait_mid_run()
        timer = Timer()
        reads = 0
        while process.poll() is None and reads < 50:
            with sqlite3.connect(f"file:{home.store.path}?mode=ro", uri=True, timeout=0.2) as db:
                self.assertEqual(db.execute("SELECT count(*) FROM tickets").fetchone()[0], before)
            reads += 1
        seconds = timer.seconds
        code, _ = finish(process, 60)
        self.sim.clear_faults()
        self.assertEqual(code, 0)
        self.assertGreater(reads, 0)
        self.row["lost"] = "0"
        self.row["status"] = "succeeded"
        self.passed(seconds)

    def test_dbus_writes_during_a_run(self):
        home = self.home()
        home.create_year()
        self.sim.touch_tickets(self.window_ids)
        bus = Bus(home)
        try:
            bus.start_daemon()
            self.sim.slow(80)
            bus.call("Sync", "", "{'full': <true>}")
            self.wait_mid_run(pages=2)
            answers = {}
            for method, args in (("SetAgentMapping", ("2", "Ada Lovelace", "Service Desk")),
                                 ("CreateFiscalYear", ("FY2027", "2026-07-01", "2027-06-30"))):
                timer = Timer()
                result = bus.call(method, *args, check=False, timeout=25)
                answers[method] = (timer.seconds, result)
            for method, (seconds, result) in answers.items():
                self.assertLess(seconds, bound(1), f"{method} waited for the sync")
            mapping = answers["SetAgentMapping"][1]
            self.assertTrue(mapping.returncode == 0 or "org.example.HaloSync.Error.Busy" in mapping.stderr,
                            mapping.stderr)
            created = answers["CreateFiscalYear"][1]
            self.assertEqual(created.returncode, 0, created.stderr)
            self.assertIn("FY2027", created.stdout)
            wait_for(lambda: "FY2027" in bus.call("ListFiscalYears").stdout, 60,
                     what="the queued fiscal year")
            self.sim.clear_faults()
            wait_for(lambda: all(r["status"] in FINAL for r in home.store.runs())
                     and any(r["mode"] == "full" and r["status"] == "succeeded" and r["id"] > 1
                             for r in home.store.runs()), 60, what="the runs to finish")
        finally:
            bus.stop()
            self.sim.clear_faults()
        self.row["lost"] = "0"
        self.row["status"] = "succeeded"
        self.passed(max(s for s, _ in answers.values()))

    def test_invalid_arguments(self):
        home = self.home()
        bus = Bus(home)
        calls = [
            ("Sync", ["no such year", "{}"], "NotFound"),
            ("Sync", ["", "{'full': <'yes'>}"], "InvalidArgument"),
            ("Sync", ["", "{'frobnicate': <true>}"], "InvalidArgument"),
            ("Cancel", ["x" * 2000], "InvalidArgument"),
            ("CreateFiscalYear", ["", "2025-07-01", "2026-06-30"], "InvalidArgument"),
            ("CreateFiscalYear", ["FY", "2026-07-01", "2025-06-30"], "InvalidArgument"),
            ("CreateFiscalYear", ["FY", "2025-02-30", "2026-06-30"], "InvalidArgument"),
            ("DeleteFiscalYear", ["no such year"], "NotFound"),
            ("ListRuns", ["0"], "InvalidArgument"),
            ("SetAgentMapping", ["0", "Ada", ""], "InvalidArgument"),
            ("SetAgentMapping", ["-5", "Ada", ""], "InvalidArgument"),
            ("SetAgentMapping", ["2", "x" * 2000, ""], "InvalidArgument"),
            ("GetSummary", ["no such year"], "NotFound"),
        ]
        # Calls of the wrong signature, which only a raw client can send.
        raw = [("ListRuns", ["s", "five"]), ("TestHalo", ["s", "extra"]),
               ("SetAgentMapping", ["sss", "2", "Ada", ""])]
        timer = Timer()
        try:
            bus.start_daemon()
            for method, args, error in calls:
                result = bus.call(method, *args, check=False)
                self.assertNotEqual(result.returncode, 0, (method, args))
                self.assertIn("org.example.HaloSync.Error." + error, result.stderr, (method, args))
                self.assertIsNone(bus.daemon.poll(), "halosyncd died")
            for method, args in raw:
                result = bus.busctl(method, *args)
                self.assertNotEqual(result.returncode, 0, (method, args))
                self.assertIn("does not match expected type", result.stderr, (method, args))
                self.assertIsNone(bus.daemon.poll(), "halosyncd died")
            bus.call("ListFiscalYears")
        finally:
            bus.stop()
        self.row["lost"] = "0"
        self.row["status"] = "-"
        self.passed(timer.seconds)


class PostgresqlFaultTest(FaultTest):
    store_kind = "postgresql"

    def blocked_run(self, home):
        """A run whose write waits for a lock, with the source waiting for
        room behind it: where a failure used to leave the reader waiting
        for ever."""
        process = home.spawn("sync", "--full")
        wait_for(home.store.waiting_for_lock, 60, what="the run's write to wait")
        time.sleep(0.3)
        return process

    def test_postgresql_stopped_mid_run(self):
        home = self.home()
        snapshot, live = self.baseline(home)
        with home.store.table_locked("tickets"):
            process = self.blocked_run(home)
            Cluster.stop()
        try:
            code, seconds = finish(process, 30)
        finally:
            Cluster.start()
        self.assertEqual(code, 1, "the run did not end with a failure when PostgreSQL stopped")
        self.assertIn("database", process.stderr.read().lower())
        self.assert_unchanged(home, snapshot, live)
        home.ctl("status", expect=0)
        self.assert_final(home, ("failed", "interrupted"))
        self.assert_converges(home, "--full")
        self.passed(seconds)

    def test_backend_terminated_mid_run(self):
        home = self.home()
        snapshot, live = self.baseline(home)
        with home.store.table_locked("tickets"):
            process = self.blocked_run(home)
            home.store.terminate_backends()
            code, seconds = finish(process, 30)
        self.assertEqual(code, 1, process.stderr.read())
        self.assert_unchanged(home, snapshot, live)
        self.assert_final(home, ("failed",), mentions=("terminat",))
        self.assert_converges(home, "--full")
        self.passed(seconds)


def print_matrix():
    columns = ("row", "db", "result", "lost", "seconds", "status")
    widths = {c: max(len(c), *(len(r[c]) for r in MATRIX)) for c in columns} if MATRIX else {}
    lines = ["  ".join(c.ljust(widths[c]) for c in columns)]
    lines += ["  ".join(r[c].ljust(widths[c]) for c in columns) for r in MATRIX]
    print("\n# Fault matrix (rows lost: rows stored before the run and missing after it)")
    for line in lines:
        print("# " + line)


if __name__ == "__main__":
    # test-faults.py [ROW...]: only the rows whose names contain a ROW.
    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    for case in (SqliteFaultTest, PostgresqlFaultTest):
        for test in loader.loadTestsFromTestCase(case):
            if len(sys.argv) == 1 or any(a.replace("-", "_") in test.id() for a in sys.argv[1:]):
                suite.addTest(test)
    outcome = unittest.TextTestRunner(verbosity=2, stream=sys.stderr).run(suite)
    print_matrix()
    sys.exit(0 if outcome.wasSuccessful() else 1)
