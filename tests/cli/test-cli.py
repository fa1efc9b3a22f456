#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""halosyncctl against halo-sim and a fresh SQLite database: the
commands, their --json output and their exit codes, in process (--local)
and against halosyncd on a private bus."""

import fcntl
import json
import os
import pty
import re
import select
import shlex
import shutil
import signal
import sqlite3
import struct
import subprocess
import tempfile
import termios
import unittest
import unicodedata
import urllib.request

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

CLI = os.environ["HS_HALOSYNCCTL"]
DAEMON = os.environ["HS_HALOSYNCD"]
SIM = os.environ["HS_HALO_SIM"]

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def without_halosync_variables(env):
    return {name: value for name, value in env.items() if not name.startswith("HALOSYNC_")}


class LineReader:
    """Lines of a child's pipe as they come, or a failure instead of a hang."""

    def __init__(self, stream):
        self.fd = stream.fileno()
        self.buffer = b""

    def read_line(self, timeout=60):
        while b"\n" not in self.buffer:
            ready, _, _ = select.select([self.fd], [], [], timeout)
            if not ready:
                raise AssertionError(f"no line within {timeout} s; so far {self.buffer!r}")
            chunk = os.read(self.fd, 65536)
            if not chunk:
                raise AssertionError(f"the pipe closed; so far {self.buffer!r}")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode() + "\n"


class Simulator:
    def __init__(self, *args):
        self.process = subprocess.Popen(
            [SIM, "--seed", "5", "--agents", "4", "--tickets", "60", "--time-entries", "200", *args],
            stdout=subprocess.PIPE, text=True)
        first = self.process.stdout.readline()
        self.url = first.strip().rsplit(" ", 1)[-1]
        assert self.url.startswith("http://127.0.0.1:"), first

    def stop(self):
        self.process.terminate()
        self.assert_clean_exit()

    def assert_clean_exit(self):
        self.process.stdout.close()
        if self.process.wait(timeout=30) != 0:
            raise AssertionError(f"halo-sim exited with {self.process.returncode}")


class LocalTestCase(unittest.TestCase):
    """halosyncctl --local against a simulator shared by the class, with
    a fresh home (and so a fresh database) for every test."""

    @classmethod
    def setUpClass(cls):
        cls.sim = Simulator()

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="hs-cli-")
        self.env = dict(os.environ)
        self.env.update({
            "HOME": self.home,
            "XDG_DATA_HOME": os.path.join(self.home, "data"),
            "XDG_CONFIG_HOME": os.path.join(self.home, "config"),
            "HALOSYNC_HALO_URL": self.sim.url,
            "HALOSYNC_HALO_CLIENT_ID": "halosync-demo",
            "HALOSYNC_HALO_CLIENT_SECRET": "demo-secret",
            "HALOSYNC_HALO_RATE_LIMIT": "off",
            "HALOSYNC_PLUGIN_DIR": os.environ["HS_PLUGIN_BUILD_DIRS"],
            "GIO_USE_PROXY_RESOLVER": "dummy",
        })
        self.env.pop("HALOSYNC_SINK", None)

    def tearDown(self):
        shutil.rmtree(self.home)

    def ctl(self, *args, expect=0):
        result = subprocess.run([CLI, "--local", *args], env=self.env, capture_output=True, text=True,
                                timeout=120)
        self.assertEqual(result.returncode, expect,
                         f"halosyncctl {' '.join(args)}: {result.stdout}\n{result.stderr}")
        return result

    def json(self, *args, expect=0):
        return json.loads(self.ctl("--json", *args, expect=expect).stdout)

    def assertRounded(self, text):
        durations = re.findall(r'"duration_seconds" *: *([^,}\s]+)', text)
        self.assertTrue(durations, text)
        for duration in durations:
            self.assertRegex(duration, r"^(null|\d+(\.\d{1,3})?)$")

    def on_terminal(self, *args, columns=50, term="xterm"):
        """halosyncctl --local on a terminal of @columns columns: its exit
        status and everything it wrote there, CR LF turned into LF."""
        env = dict(self.env, TERM=term)
        pid, fd = pty.fork()
        if pid == 0:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
            os.execve(CLI, [CLI, "--local", *args], env)
        output = b""
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        os.close(fd)
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status), output.decode().replace("\r\n", "\n")

    @staticmethod
    def width(text):
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class CliTest(LocalTestCase):
    """The commands, their JSON and their exit codes."""

    def test_fiscal_year_sync_and_listings(self):
        self.assertEqual(self.json("fy", "list"), [])

        result = self.ctl("--json", "fy", "create", "FY2026", "2025-07-01", "2026-06-30")
        self.assertRounded(result.stdout)
        year = json.loads(result.stdout)
        self.assertEqual((year["label"], year["start"], year["end"]), ("FY2026", "2025-07-01", "2026-06-30"))
        created = year["run"]
        self.assertEqual(created["status"], "succeeded")
        self.assertEqual(created["trigger"], "fiscal-year")
        self.assertEqual(created["mode"], "full")
        self.assertEqual(created["streams"]["tickets"]["inserted"], created["counts"]["inserted"]
                         - sum(created["streams"][s]["inserted"] for s in
                               ("agents", "teams", "clients", "time_entries")))
        self.assertGreater(created["counts"]["fetched"], 200)
        self.assertIsNone(created["error"])
        self.assertRegex(created["started_at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

        # The default database is the embedded one in the user data directory.
        self.assertTrue(os.path.exists(os.path.join(self.home, "data", "halosync", "halosync.db")))

        self.assertEqual(self.json("fy", "list"),
                         [{"label": "FY2026", "start": "2025-07-01", "end": "2026-06-30"}])

        run = self.json("sync")
        self.assertEqual(run["fiscal_year"], "FY2026")
        self.assertEqual(run["mode"], "incremental")
        self.assertEqual(run["trigger"], "cli")
        self.assertEqual(run["counts"]["inserted"] + run["counts"]["updated"], 0)
        self.assertLessEqual(run["api_calls"], 7)

        dry = self.json("sync", "--fy", "FY2026", "--full", "--dry-run")
        self.assertTrue(dry["dry_run"])
        self.assertEqual(dry["status"], "succeeded")

        runs = self.json("runs", "--limit", "2")
        self.assertEqual(len(runs), 2)
        self.assertTrue(runs[0]["dry_run"])
        self.assertGreater(runs[0]["id"], runs[1]["id"])

        status = self.json("status")
        self.assertTrue(status["local"])
        self.assertIsNone(status["current_run"])
        self.assertEqual(status["last_run"]["id"], runs[0]["id"])

        agents = self.json("agents", "list")
        self.assertEqual(len(agents), 4)
        self.assertTrue(all(not a["mapped"] for a in agents))
        agent = agents[0]["halo_id"]
        self.json("agents", "map", str(agent), "Jürgen Müller", "--team", "Service Desk")
        mapped = {a["halo_id"]: a for a in self.json("agents", "list")}[agent]
        self.assertEqual((mapped["member"], mapped["team"], mapped["mapped"]),
                         ("Jürgen Müller", "Service Desk", True))

        summary = self.json("summary")
        for member in summary["members"]:
            self.assertEqual(member["hours"], round(member["hours"], 4))
        self.assertEqual(summary["fiscal_year"], "FY2026")
        self.assertIn("Jürgen Müller", [m["member"] for m in summary["members"]])
        hours = [m["hours"] for m in summary["members"]]
        self.assertEqual(hours, sorted(hours, reverse=True))

        # A year created ahead of time is not the latest until it begins:
        # the summary and a sync without --fy keep to the year under way.
        self.ctl("fy", "create", "FY2099", "2098-07-01", "2099-06-30")
        self.assertEqual(self.json("summary")["fiscal_year"], "FY2026")
        self.assertEqual(self.json("sync")["fiscal_year"], "FY2026")
        self.ctl("fy", "delete", "FY2099")

        self.json("agents", "unmap", str(agent))
        self.assertFalse({a["halo_id"]: a for a in self.json("agents", "list")}[agent]["mapped"])

        # Plain text for people, with the per-stream table.
        text = self.ctl("runs").stdout
        self.assertIn("fiscal-year", text)
        text = self.ctl("sync").stdout
        self.assertIn("time_entries", text)

    def test_refused_input(self):
        # A year whose end comes before its start: refused, exit code 3,
        # an actionable message, and in JSON the error's D-Bus name.
        result = self.ctl("fy", "create", "FY", "2026-07-01", "2026-06-30", expect=3)
        self.assertIn("before it starts", result.stderr)
        error = self.json("fy", "create", "FY", "2026-7-1", "2026-06-30", expect=3)["error"]
        self.assertEqual(error["name"], "org.example.HaloSync.Error.InvalidArgument")
        self.assertIn("YYYY-MM-DD", error["message"])
        self.assertEqual(error["exit_code"], 3)

        self.assertIn("No fiscal year", self.ctl("sync", expect=3).stderr)
        self.ctl("fy", "delete", "nope", expect=3)
        self.ctl("agents", "map", "0", "Somebody", expect=2)

    def test_usage_errors(self):
        self.ctl(expect=2)
        self.ctl("frobnicate", expect=2)
        self.ctl("fy", expect=2)
        self.ctl("fy", "create", "only-a-label", expect=2)
        self.ctl("sync", "--no-such-option", expect=2)
        self.ctl("runs", "--limit", "0", expect=2)
        help_text = subprocess.run([CLI, "--help"], capture_output=True, text=True).stdout
        self.assertIn("Exit codes", help_text)

    def test_help_everywhere(self):
        # Every command and every command group answers --help with its
        # usage on stdout and exit 0.
        for group, commands in (("fy", ("list", "create", "delete")), ("agents", ("list", "map", "unmap"))):
            for flag in ("--help", "-h"):
                with self.subTest(group=group, flag=flag):
                    text = self.ctl(group, flag).stdout
                    self.assertIn(f"halosyncctl [--local] [--json] {group} COMMAND", text)
                    for command in commands:
                        self.assertIn(f"  {command}", text)
                        self.assertIn(f"{group} {command}", self.ctl(group, command, "--help").stdout)
        for command in ("sync", "status", "runs", "summary", "plugins", "watch"):
            with self.subTest(command=command):
                self.assertIn(command, self.ctl(command, "--help").stdout)

    def test_end_of_options(self):
        # After "--" an argument that starts with "-" is a label, not an option.
        self.ctl("fy", "create", "--", "-2026", "2025-07-01", "2026-06-30")
        self.assertEqual([y["label"] for y in self.json("fy", "list")], ["-2026"])
        self.assertEqual(self.json("sync", "--fy", "-2026")["fiscal_year"], "-2026")
        self.ctl("fy", "create", "-2027", "2026-07-01", "2027-06-30", expect=2)
        self.ctl("fy", "create", "--", "--", "2026-07-01", "2027-06-30")
        self.ctl("fy", "delete", "--", "--")
        error = self.json("fy", "delete", "--", "-2026", expect=3)["error"]
        self.assertIn("-2026", error["message"])

    def assertError(self, error, name, exit_code):
        self.assertEqual(set(error), {"name", "message", "exit_code"})
        self.assertEqual(error["name"], "org.example.HaloSync.Error." + name)
        self.assertEqual(error["exit_code"], exit_code)
        self.assertTrue(error["message"])

    def test_one_error_shape(self):
        # The error of a failed call, of a failed run and of a wrong
        # command line have one shape, and exit_code is the exit code.
        self.assertError(self.json("fy", "delete", "nope", expect=3)["error"], "NotFound", 3)
        for args in (["frobnicate"], ["--bogus", "status"], [], ["fy"], ["fy", "create", "FY"],
                     ["sync", "--no-such-option"], ["runs", "--limit", "0"]):
            with self.subTest(args=args):
                self.assertError(self.json(*args, expect=2)["error"], "InvalidArgument", 2)

        self.env.pop("HALOSYNC_HALO_URL")
        run = self.json("fy", "create", "FY2026", "2025-07-01", "2026-06-30", expect=4)["run"]
        self.assertEqual(run["status"], "failed")
        self.assertError(run["error"], "NotConfigured", 4)
        self.assertIn("HALOSYNC_HALO_URL", run["error"]["message"])
        self.assertError(self.json("runs")[0]["error"], "Failed", 1)

    def test_cancelled_run(self):
        # Ctrl+C cancels the sync: exit 5, and the run's error says so in
        # the same shape.  Every Halo answer takes a second, so the run is
        # still fetching when the signal comes.
        sim = Simulator("--control-token", "cli-test")
        try:
            request = urllib.request.Request(
                sim.url + "/_sim/faults", method="POST",
                data=json.dumps({"faults": [{"kind": "latency", "ms": 1000, "count": 0}]}).encode(),
                headers={"Authorization": "Bearer cli-test", "Content-Type": "application/json"})
            urllib.request.urlopen(request, timeout=30).close()
            self.env["HALOSYNC_HALO_URL"] = sim.url
            sync = subprocess.Popen([CLI, "--local", "--json", "fy", "create", "FY2026", "2025-07-01", "2026-06-30"],
                                    env=self.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            err = LineReader(sync.stderr)
            while "Fetching" not in err.read_line():
                pass
            sync.send_signal(signal.SIGINT)
            out, _ = sync.communicate(timeout=60)
        finally:
            sim.stop()
        self.assertEqual(sync.returncode, 5)
        run = json.loads(out)["run"]
        self.assertEqual(run["status"], "cancelled")
        self.assertError(run["error"], "Cancelled", 5)

    def test_wrong_secret(self):
        self.env["HALOSYNC_HALO_CLIENT_SECRET"] = "not-the-secret"
        result = self.ctl("fy", "create", "FY2026", "2025-07-01", "2026-06-30", expect=1)
        self.assertIn("rejected the client id or secret", result.stdout + result.stderr)
        self.assertNotIn("not-the-secret", result.stdout + result.stderr)
        self.assertError(self.json("sync", expect=1)["error"], "Auth", 1)
        # The year stays although its first sync failed.
        self.assertEqual(len(self.json("fy", "list")), 1)

    def test_not_configured(self):
        # A missing Halo setting is exit 4, "not configured", whether the
        # first sync of a new year or a later sync meets it.
        for variable in ("HALOSYNC_HALO_URL", "HALOSYNC_HALO_CLIENT_ID", "HALOSYNC_HALO_CLIENT_SECRET"):
            with self.subTest(missing=variable):
                self.env["XDG_DATA_HOME"] = os.path.join(self.home, variable)
                value = self.env.pop(variable)
                result = self.ctl("fy", "create", "FY2026", "2025-07-01", "2026-06-30", expect=4)
                self.assertIn(variable, result.stdout + result.stderr)
                self.ctl("sync", expect=4)
                self.env[variable] = value
                self.ctl("sync")

    def test_member_name_limit(self):
        # One limit, in characters, for a member's or a team's name, with one
        # message; 600 "ü" are 1,200 bytes, past the service's old byte limit.
        self.ctl("agents", "map", "3", "ü" * 128, "--team", "ä" * 128)
        for member, team in (("ü" * 129, ""), ("ü" * 600, ""), ("Jane", "ä" * 600)):
            with self.subTest(member=len(member), team=len(team)):
                error = self.json("agents", "map", "3", member, "--team", team, expect=3)["error"]
                self.assertIn("longer than 128 characters", error["message"])

    def test_progress_bar(self):
        self.ctl("fy", "create", "FY2026", "2025-07-01", "2026-06-30")
        code, output = self.on_terminal("sync", "--full")
        self.assertEqual(code, 0, output)

        fills = []
        for line in output.split("\n"):
            frames = line.split("\r\x1b[K")
            for frame in frames[1:]:
                if not re.match(r"[|/\\-] ", frame):
                    continue
                # Narrower than the terminal, so it never wraps and the next
                # redraw erases it whole.
                self.assertLess(self.width(frame), 50, repr(frame))
                bar = re.search(r"\[(#*)(-*)\]", frame)
                if bar:
                    fills.append(len(bar.group(1)) / (len(bar.group(1)) + len(bar.group(2))))
            # What stays on the screen is the last frame: never the bar.
            self.assertNotRegex(frames[-1], r"^[|/\\-] ")
        self.assertIn("time_entries", output)
        self.assertGreater(len(fills), 5, output)

        # The bar fills by the steps of the run, never going back.
        self.assertGreater(len(set(fills)), 2, output)
        self.assertEqual(fills, sorted(fills), output)
        self.assertEqual(fills[-1], 1.0, output)

    def test_progress_plain(self):
        # A dumb terminal, like a pipe, gets one plain line per step.
        self.ctl("fy", "create", "FY2026", "2025-07-01", "2026-06-30")
        for result in (self.on_terminal("sync", term="dumb"),
                       (0, self.ctl("sync").stderr)):
            code, output = result
            self.assertEqual(code, 0, output)
            self.assertNotIn("\r", output)
            self.assertNotIn("\x1b", output)
            self.assertIn("Fetching tickets: ", output)

    def test_versions(self):
        # Both programs say their version and exit, the service without
        # needing a bus.
        env = dict(self.env)
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        ctl = subprocess.run([CLI, "--version"], env=env, capture_output=True, text=True, timeout=30)
        daemon = subprocess.run([DAEMON, "--version"], env=env, capture_output=True, text=True, timeout=30)
        self.assertEqual((ctl.returncode, daemon.returncode), (0, 0), daemon.stderr)
        version = ctl.stdout.split()[-1]
        self.assertRegex(version, r"^\d+\.\d+\.\d+$")
        self.assertEqual(daemon.stdout, f"halosyncd {version}\n")

    def test_plugins(self):
        plugins = self.json("plugins")
        self.assertEqual([p["name"] for p in plugins["sources"]], ["halo"])
        self.assertEqual([p["name"] for p in plugins["sinks"]], ["gda"])


class CompletionTest(LocalTestCase):
    """The bash completion completes commands, options and labels."""

    COMPLETION = os.path.join(os.environ["HS_SOURCE_ROOT"], "data", "bash-completion", "halosyncctl")

    def complete(self, *words):
        """What completes the last of @words on "halosyncctl WORDS"."""
        line = " ".join(shlex.quote(w) for w in (CLI, *words))
        script = (f"source {shlex.quote(self.COMPLETION)}; COMP_WORDS=({line}); COMP_CWORD={len(words)}; "
                  "_halosyncctl; printf '%s\\n' \"${COMPREPLY[@]}\"")
        result = subprocess.run(["bash", "--norc", "--noprofile", "-c", script], env=self.env,
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        return sorted(filter(None, result.stdout.split("\n")))

    def test_commands_and_options(self):
        self.assertEqual(self.complete(""), sorted("sync status runs fy agents summary plugins watch".split()))
        self.assertEqual(self.complete("s"), ["status", "summary", "sync"])
        self.assertEqual(self.complete("--"), ["--help", "--json", "--local", "--version"])
        self.assertEqual(self.complete("--local", "fy", ""), ["create", "delete", "list"])
        self.assertEqual(self.complete("agents", ""), ["list", "map", "unmap"])
        self.assertEqual(self.complete("sync", "--"), ["--allow-mass-delete", "--dry-run", "--full", "--fy", "--help"])
        self.assertEqual(self.complete("sync", "--fy", "X", "--d"), ["--dry-run"])
        self.assertEqual(self.complete("agents", "map", "3", "Jane", "--"), ["--help", "--team"])
        self.assertEqual(self.complete("runs", "--limit", ""), [])

    def test_fiscal_year_labels(self):
        self.ctl("fy", "create", "FY2026", "2025-07-01", "2026-06-30")
        self.ctl("fy", "create", "Year 2027", "2026-07-01", "2027-06-30")
        self.assertEqual(self.complete("--local", "sync", "--fy", ""), ["FY2026", "Year\\ 2027"])
        self.assertEqual(self.complete("--local", "summary", "--fy", "=", "F"), ["FY2026"])
        self.assertEqual(self.complete("--local", "fy", "delete", "Y"), ["Year\\ 2027"])


class LocaleTest(LocalTestCase):
    """Human output follows LC_NUMERIC for every number alike."""

    @classmethod
    def setUpClass(cls):
        # A tenant big enough for thousands, and a German locale built
        # privately, so the test needs no locale installed system-wide.
        cls.sim = Simulator("--agents", "2", "--tickets", "2400", "--time-entries", "5000")
        cls.locales = tempfile.mkdtemp(prefix="hs-cli-locales-")
        subprocess.run(["localedef", "-i", "de_DE", "-f", "UTF-8", os.path.join(cls.locales, "de_DE.UTF-8")],
                       check=True)

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()
        shutil.rmtree(cls.locales)

    def numbers(self, locale, *args):
        self.env.update({"LC_ALL": locale, "LOCPATH": self.locales, "LANGUAGE": "en"})
        return self.ctl(*args).stdout

    def test_numbers_follow_the_locale(self):
        self.ctl("fy", "create", "FY2026", "2025-07-01", "2026-06-30")

        german = self.numbers("de_DE.UTF-8", "summary") + self.numbers("de_DE.UTF-8", "sync", "--full")
        self.assertRegex(german, r"\b\d{1,3}(\.\d{3})+,\d\d\b")      # hours: 1.234,56
        self.assertRegex(german, r"\s\d{1,3}(\.\d{3})+(\s|$)")      # counts: 1.234
        self.assertNotRegex(german, r"\d,\d{3}\b")                   # never 1,234
        self.assertNotRegex(german, r"\d{4},\d\d\b")                 # never 1234,56

        plain = self.numbers("C.UTF-8", "summary") + self.numbers("C.UTF-8", "sync", "--full")
        self.assertRegex(plain, r"\s\d{4,}\.\d\d(\s|$)")             # hours: 1234.56
        self.assertRegex(plain, r"\s\d{4,}(\s|$)")                    # counts: 1234
        self.assertNotRegex(plain, r"\d[,.]\d{3}\b")


class ProgressFillTest(LocalTestCase):
    """The terminal bar fills within the tickets' step, by Halo's total."""

    @classmethod
    def setUpClass(cls):
        # Enough tickets for many pages of 100.
        cls.sim = Simulator("--agents", "2", "--tickets", "2400", "--time-entries", "500",
                            "--control-token", "cli-test")

    def test_bar_fills_within_tickets(self):
        self.ctl("fy", "create", "FY2026", "2025-07-01", "2026-06-30")
        # Slow ticket pages, so that the bar is drawn between them.
        request = urllib.request.Request(
            self.sim.url + "/_sim/faults", method="POST",
            data=json.dumps({"faults": [{"kind": "latency", "ms": 150, "path": "/api/tickets*",
                                         "count": 0}]}).encode(),
            headers={"Authorization": "Bearer cli-test", "Content-Type": "application/json"})
        urllib.request.urlopen(request, timeout=30).close()
        code, output = self.on_terminal("sync", "--full", columns=200)
        self.assertEqual(code, 0, output)

        # 30 characters for 8 steps: tickets, the fifth, span 15 to 18.75,
        # so 16 and 17 are only reached part of the way through them.
        fills = [len(bar.group(1)) for bar in re.finditer(r"\[(#*)-*\]", output)]
        self.assertEqual(fills, sorted(fills), output)
        self.assertTrue({16, 17} & set(fills), fills)


class ServiceTest(unittest.TestCase):
    """halosyncctl talking to halosyncd, as without --local."""

    @classmethod
    def setUpClass(cls):
        cls.sim = Simulator()

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="hs-cli-service-")
        config = os.path.join(self.home, "bus.conf")
        with open(config, "w") as f:
            f.write(BUS_CONFIG.format(socket=os.path.join(self.home, "bus")))
        self.bus = subprocess.Popen(["dbus-daemon", "--config-file", config, "--nofork", "--print-address"],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        address = self.bus.stdout.readline().strip()
        self.assertTrue(address.startswith("unix:"), address)

        # The hourly schedule stays off, so only the test's own runs happen.
        settings = os.path.join(self.home, "config", "glib-2.0", "settings")
        os.makedirs(settings)
        with open(os.path.join(settings, "keyfile"), "w") as f:
            f.write("[org/example/HaloSync]\nschedule-enabled=false\n")

        self.env = dict(os.environ)
        self.env.update({
            "DBUS_SESSION_BUS_ADDRESS": address,
            "HOME": self.home,
            "XDG_DATA_HOME": os.path.join(self.home, "data"),
            "XDG_CONFIG_HOME": os.path.join(self.home, "config"),
            "GSETTINGS_BACKEND": "keyfile",
            "HALOSYNC_HALO_URL": self.sim.url,
            "HALOSYNC_HALO_CLIENT_ID": "halosync-demo",
            "HALOSYNC_HALO_CLIENT_SECRET": "demo-secret",
            "HALOSYNC_HALO_RATE_LIMIT": "off",
            "HALOSYNC_PLUGIN_DIR": os.environ["HS_PLUGIN_BUILD_DIRS"],
            "GIO_USE_PROXY_RESOLVER": "dummy",
        })
        self.env.pop("HALOSYNC_SINK", None)
        self.env.pop("DBUS_SYSTEM_BUS_ADDRESS", None)
        self.daemon = subprocess.Popen([DAEMON], env=self.env)
        subprocess.run(["gdbus", "wait", "--session", "--timeout", "30", "org.example.HaloSync.Daemon"],
                       env=self.env, check=True, timeout=60)
        # The daemon got its configuration; the shell that talks to it
        # has none (halosyncctl would warn that the service ignores it).
        self.env = without_halosync_variables(self.env)

    def tearDown(self):
        for process in (self.daemon, self.bus):
            process.terminate()
            process.wait(timeout=30)
        self.bus.stdout.close()
        shutil.rmtree(self.home)

    def ctl(self, *args, expect=0):
        result = subprocess.run([CLI, *args], env=self.env, capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, expect,
                         f"halosyncctl {' '.join(args)}: {result.stdout}\n{result.stderr}")
        return result

    def test_watch_json_lines(self):
        # watch --json writes one compact document per line, as each run
        # starts and ends, so a script can read it line by line.
        watch = subprocess.Popen([CLI, "--json", "watch"], env=self.env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = LineReader(watch.stdout), LineReader(watch.stderr)
        try:
            self.assertIn("Ctrl+C", err.read_line())
            created = json.loads(self.ctl("--json", "fy", "create", "FY2026", "2025-07-01", "2026-06-30").stdout)
            self.assertEqual(created["run"]["status"], "queued")
            lines = [out.read_line() for _ in range(2)]
            self.ctl("sync", "--fy", "FY2026")
            lines += [out.read_line() for _ in range(2)]
        finally:
            watch.send_signal(signal.SIGINT)
            self.assertEqual(watch.wait(timeout=30), 0)
            watch.stdout.close()
            watch.stderr.close()

        runs = [json.loads(line) for line in lines]
        self.assertEqual([(r["trigger"], r["status"]) for r in runs],
                         [("fiscal-year", "running"), ("fiscal-year", "succeeded"),
                          ("cli", "running"), ("cli", "succeeded")])
        self.assertRounded("".join(lines))

    def test_member_name_limit(self):
        # A D-Bus caller meets the same limit and message as the CLI.
        connection = Gio.DBusConnection.new_for_address_sync(
            self.env["DBUS_SESSION_BUS_ADDRESS"],
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
            None, None)
        try:
            for member in ("ü" * 129, "ü" * 600):
                with self.subTest(member=len(member)):
                    with self.assertRaises(GLib.Error) as raised:
                        connection.call_sync("org.example.HaloSync.Daemon", "/org/example/HaloSync/Engine",
                                             "org.example.HaloSync.Engine1", "SetAgentMapping",
                                             GLib.Variant("(xss)", (3, member, "")), None,
                                             Gio.DBusCallFlags.NONE, 30000, None)
                    self.assertIn("org.example.HaloSync.Error.InvalidArgument", raised.exception.message)
                    self.assertIn("longer than 128 characters", raised.exception.message)
        finally:
            connection.close_sync(None)

    def test_status_without_service(self):
        # With nobody owning the service's name, status says so and exits
        # 4 rather than reporting an idle service.
        self.daemon.terminate()
        self.daemon.wait(timeout=30)
        result = self.ctl("status", expect=4)
        self.assertIn("cannot be reached", result.stderr)
        self.assertEqual(self.ctl("--json", "status", expect=4).stdout.count('"exit_code": 4'), 1)

    assertRounded = LocalTestCase.assertRounded


class HeadlessServiceTest(unittest.TestCase):
    """A headless machine: the bus activates halosyncd with no HALOSYNC_*
    in its environment, and the service configures itself from the
    environment file, as it does when systemd or D-Bus starts it."""

    @classmethod
    def setUpClass(cls):
        cls.sim = Simulator()

    @classmethod
    def tearDownClass(cls):
        cls.sim.stop()

    def setUp(self):
        self.home = tempfile.mkdtemp(prefix="hs-cli-headless-")
        services = os.path.join(self.home, "services")
        os.makedirs(services)
        with open(os.path.join(services, "org.example.HaloSync.Daemon.service"), "w") as f:
            f.write(f"[D-BUS Service]\nName=org.example.HaloSync.Daemon\nExec={DAEMON}\n")
        config = os.path.join(self.home, "bus.conf")
        with open(config, "w") as f:
            f.write(BUS_CONFIG.format(socket=os.path.join(self.home, "bus"))
                    .replace("</busconfig>", f"  <servicedir>{services}</servicedir>\n</busconfig>"))

        settings = os.path.join(self.home, "config", "glib-2.0", "settings")
        os.makedirs(settings)
        with open(os.path.join(settings, "keyfile"), "w") as f:
            f.write("[org/example/HaloSync]\nschedule-enabled=false\n")

        self.env = without_halosync_variables(os.environ)
        self.env.update({
            "HOME": self.home,
            "XDG_DATA_HOME": os.path.join(self.home, "data"),
            "XDG_CONFIG_HOME": os.path.join(self.home, "config"),
            "GSETTINGS_BACKEND": "keyfile",
            "GIO_USE_PROXY_RESOLVER": "dummy",
        })
        self.env.pop("DBUS_SYSTEM_BUS_ADDRESS", None)
        self.database = os.path.join(self.home, "team db", "halo.db")
        os.makedirs(os.path.dirname(self.database))
        self.environment_file = os.path.join(self.home, "config", "halosync", "environment")
        os.makedirs(os.path.dirname(self.environment_file))

        # What the bus and so the service print: the journal on a real machine.
        self.bus_log = open(os.path.join(self.home, "bus.log"), "w+")
        self.bus = subprocess.Popen(["dbus-daemon", "--config-file", config, "--nofork", "--print-address"],
                                    env=self.env, stdout=subprocess.PIPE, stderr=self.bus_log, text=True)
        address = self.bus.stdout.readline().strip()
        self.assertTrue(address.startswith("unix:"), address)
        self.env["DBUS_SESSION_BUS_ADDRESS"] = address

    def tearDown(self):
        self.bus.terminate()
        self.bus.wait(timeout=30)
        self.bus.stdout.close()
        self.bus_log.close()
        shutil.rmtree(self.home)

    def write_environment_file(self, mode):
        with open(self.environment_file, "w") as f:
            f.write(f"""# HaloSync on a server without a desktop session
HALOSYNC_HALO_URL={self.sim.url}/
HALOSYNC_HALO_CLIENT_ID=halosync-demo
HALOSYNC_HALO_CLIENT_SECRET="demo-secret"
HALOSYNC_HALO_RATE_LIMIT=off
HALOSYNC_SINK='sqlite://{urllib.request.pathname2url(self.database)}'
HALOSYNC_PLUGIN_DIR={os.environ["HS_PLUGIN_BUILD_DIRS"]}
""")
        os.chmod(self.environment_file, mode)

    def ctl(self, *args, expect=0, env=None):
        result = subprocess.run([CLI, *args], env=env or self.env, capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, expect,
                         f"halosyncctl {' '.join(args)}: {result.stdout}\n{result.stderr}")
        return result

    def test_environment_file_configures_service(self):
        # The service the bus starts syncs with the file's Halo, secret and
        # database; the shell that asks for it has none of them.
        self.write_environment_file(0o600)
        created = json.loads(self.ctl("--json", "fy", "create", "FY2026", "2025-07-01", "2026-06-30").stdout)
        self.assertEqual(created["run"]["status"], "queued")
        synced = self.ctl("--json", "sync", "--fy", "FY2026")
        self.assertEqual(json.loads(synced.stdout)["status"], "succeeded", synced.stdout)
        self.assertNotIn("warning", synced.stderr)

        with sqlite3.connect(self.database) as db:
            self.assertGreater(db.execute("SELECT count(*) FROM tickets").fetchone()[0], 0)
        self.assertFalse(os.path.exists(os.path.join(self.home, "data", "halosync", "halosync.db")))

    def test_readable_secret_is_refused(self):
        # A secret others can read is not used, and the service says why
        # and how to fix it.
        self.write_environment_file(0o644)
        self.ctl("fy", "create", "FY2026", "2025-07-01", "2026-06-30")
        failed = self.ctl("--json", "sync", "--fy", "FY2026", expect=4)
        self.assertIn("No Halo client secret is stored", failed.stdout)
        self.assertNotIn("demo-secret", failed.stdout + failed.stderr)
        self.bus_log.seek(0)
        journal = self.bus_log.read()
        self.assertIn(f"chmod 600 {self.environment_file}", journal)
        self.assertNotIn("demo-secret", journal)

    def test_shell_variables_are_named(self):
        # Someone who exported a variable, expecting the service to use
        # it, is told that it does not and where its configuration goes.
        self.write_environment_file(0o600)
        shell = dict(self.env, HALOSYNC_SINK="sqlite:///elsewhere.db")
        result = self.ctl("status", env=shell)
        self.assertIn("HALOSYNC_SINK", result.stderr)
        self.assertIn(self.environment_file, result.stderr)
        self.assertNotIn("warning", self.ctl("status").stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
