#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""halosyncd logs the end of every run, at message level.

An hourly run that fails at night must leave a trace that someone reads
the next morning: `journalctl --user` shows message-level lines and drops
debug ones.  Under systemd the line goes to the journal with the fields
HALOSYNC_RUN_ID, HALOSYNC_FISCAL_YEAR, HALOSYNC_TRIGGER and
HALOSYNC_STATUS; outside it, as here, GLib writes the same line to
stderr with its level, which is what this reads."""

import os
import re
import subprocess
import tempfile
import time
import unittest

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402

DAEMON = os.environ["HS_HALOSYNCD"]
BUS_NAME = "org.example.HaloSync.Daemon"
OBJECT_PATH = "/org/example/HaloSync/Engine"
INTERFACE = "org.example.HaloSync.Engine1"


class RunEndLogTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="hs-journal-")
        self.bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address"],
                                    stdout=subprocess.PIPE, text=True)
        self.address = self.bus.stdout.readline().strip()
        self.assertTrue(self.address.startswith("unix:"), self.address)

        env = dict(os.environ)
        env.update({
            "DBUS_SESSION_BUS_ADDRESS": self.address,
            "HOME": self.tmp.name,
            "XDG_DATA_HOME": os.path.join(self.tmp.name, "data"),
            "XDG_CONFIG_HOME": os.path.join(self.tmp.name, "config"),
            "HALOSYNC_PLUGIN_DIR": os.environ["HS_PLUGIN_BUILD_DIRS"],
            # Nothing listens there: every sync fails at once.
            "HALOSYNC_HALO_URL": "http://127.0.0.1:9",
            "HALOSYNC_HALO_CLIENT_ID": "journal-test",
            "HALOSYNC_HALO_CLIENT_SECRET": "not-logged-anywhere",
        })
        for name in ("DBUS_SYSTEM_BUS_ADDRESS", "JOURNAL_STREAM", "G_MESSAGES_DEBUG"):
            env.pop(name, None)
        self.daemon = subprocess.Popen([DAEMON], env=env, stderr=subprocess.PIPE, text=True)
        self.connection = Gio.DBusConnection.new_for_address_sync(
            self.address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
            | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
            None, None)
        self.wait_for_service()

    def tearDown(self):
        self.connection.close_sync(None)
        self.bus.terminate()
        self.bus.wait(timeout=30)
        self.bus.stdout.close()
        self.tmp.cleanup()

    def wait_for_service(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            self.assertIsNone(self.daemon.poll(), "halosyncd exited")
            (owned,) = self.connection.call_sync(
                "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus", "NameHasOwner",
                GLib.Variant("(s)", (BUS_NAME,)), GLib.VariantType("(b)"), Gio.DBusCallFlags.NONE, -1,
                None).unpack()
            if owned:
                return
            time.sleep(0.05)
        self.fail("halosyncd did not take its name")

    def call(self, method, args):
        return self.connection.call_sync(BUS_NAME, OBJECT_PATH, INTERFACE, method, args, None,
                                         Gio.DBusCallFlags.NONE, 60000, None).unpack()

    def wait_for_runs(self, n):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            (runs,) = self.call("ListRuns", GLib.Variant("(u)", (10,)))
            finished = [r for r in runs if r.get("status") not in ("queued", "running")]
            if len(finished) >= n:
                return finished
            time.sleep(0.1)
        self.fail("the runs did not end")

    def test_every_run_end_is_one_message_line(self):
        self.call("CreateFiscalYear", GLib.Variant("(sss)", ("FY2026", "2025-07-01", "2026-06-30")))
        self.wait_for_runs(1)
        self.call("Sync", GLib.Variant("(sa{sv})", ("FY2026", {"trigger": GLib.Variant("s", "cli")})))
        runs = self.wait_for_runs(2)

        # The service leaves on SIGTERM; its stderr then ends.
        self.daemon.terminate()
        _, stderr = self.daemon.communicate(timeout=60)

        ends = re.findall(r"^halosyncd-(\w+): [\d:.]+: Run (\d+) \(([\w-]+) sync of (\w+)\) (\w+)(.*)$",
                          stderr, re.MULTILINE)
        self.assertEqual(sorted(int(e[1]) for e in ends), sorted(r["id"] for r in runs), stderr)
        for level, _, trigger, year, status, rest in ends:
            self.assertEqual(level, "Message")
            self.assertEqual(year, "FY2026")
            self.assertEqual(status, "failed")
            self.assertIn(trigger, ("fiscal-year", "cli"))
            # Why it failed, in the same line, and never the secret.
            self.assertRegex(rest, r"^: .*127\.0\.0\.1")
        self.assertNotIn("not-logged-anywhere", stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
