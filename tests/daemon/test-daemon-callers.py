#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""halosyncd refuses a caller whose user the bus cannot name.

A session bus normally admits only its own user, so the service's own
check never gets to refuse anyone there.  This bus lets anonymous clients
in, as a misconfigured bus might: the service must still refuse them,
before any method runs, and say why."""

import contextlib
import os
import sqlite3
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

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>ANONYMOUS</auth>
  <allow_anonymous/>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


class AnonymousCallerTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="hs-callers-")
        config = os.path.join(self.tmp.name, "bus.conf")
        with open(config, "w") as f:
            f.write(BUS_CONFIG.format(socket=os.path.join(self.tmp.name, "bus")))
        self.bus = subprocess.Popen(
            ["dbus-daemon", "--config-file", config, "--nofork", "--print-address"],
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
        })
        env.pop("DBUS_SYSTEM_BUS_ADDRESS", None)
        self.daemon = subprocess.Popen([DAEMON], env=env)

        self.connection = Gio.DBusConnection.new_for_address_sync(
            self.address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
            | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
            None, None)
        self.wait_for_service()

    def tearDown(self):
        self.connection.close_sync(None)
        for process in (self.daemon, self.bus):
            process.terminate()
            process.wait(timeout=30)
        self.bus.stdout.close()
        self.tmp.cleanup()

    def bus_call(self, method, args, reply_type):
        return self.connection.call_sync(
            "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
            method, args, GLib.VariantType(reply_type), Gio.DBusCallFlags.NONE, -1, None)

    def wait_for_service(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            self.assertIsNone(self.daemon.poll(), "halosyncd exited")
            (owned,) = self.bus_call("NameHasOwner", GLib.Variant("(s)", (BUS_NAME,)), "(b)").unpack()
            if owned:
                return
            time.sleep(0.05)
        self.fail("halosyncd did not take its name")

    def test_anonymous_caller_is_refused(self):
        # The bus itself cannot name this connection's user.
        with self.assertRaises(GLib.Error):
            self.bus_call("GetConnectionUnixUser",
                          GLib.Variant("(s)", (self.connection.get_unique_name(),)), "(u)")

        for method, args in (("ListFiscalYears", None),
                             ("CreateFiscalYear", GLib.Variant("(sss)", ("FY2026", "2025-07-01",
                                                                          "2026-06-30")))):
            with self.subTest(method=method):
                with self.assertRaises(GLib.Error) as raised:
                    self.connection.call_sync(BUS_NAME, OBJECT_PATH, INTERFACE, method, args, None,
                                              Gio.DBusCallFlags.NONE, -1, None)
                self.assertEqual(Gio.DBusError.get_remote_error(raised.exception),
                                 "org.freedesktop.DBus.Error.AccessDenied")
                self.assertIn("Cannot tell who is calling", raised.exception.message)

        # Nothing ran: the service opened its database when it started
        # (to read its last run), and the refused create stored no year.
        database = os.path.join(self.tmp.name, "data", "halosync", "halosync.db")
        if os.path.exists(database):
            with contextlib.closing(sqlite3.connect(database, timeout=10)) as db:
                if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'fiscal_years'").fetchone():
                    self.assertEqual(db.execute("SELECT count(*) FROM fiscal_years").fetchone(), (0,))


if __name__ == "__main__":
    unittest.main(verbosity=2)
