# SPDX-License-Identifier: LGPL-2.1-or-later
"""The real parts the fault matrix breaks: halo-sim, halosyncctl --local,
halosyncd on a private bus, and the two databases (an SQLite file, and a
PostgreSQL cluster of this suite's own that it may stop and start)."""

import contextlib
import csv
import hashlib
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time
import urllib.request

CLI = os.environ["HS_HALOSYNCCTL"]
DAEMON = os.environ["HS_HALOSYNCD"]
SIM = os.environ["HS_HALO_SIM"]
PLUGIN_DIRS = os.environ["HS_PLUGIN_BUILD_DIRS"]

# Sanitized binaries run several times slower; bounds stretch with them.
TIME_SCALE = float(os.environ.get("HS_FAULT_TIME_SCALE", "1"))

# Every table a run may write, except the ledger, which records the run.
DATA_TABLES = ("agents", "teams", "clients", "tickets", "time_entries",
               "fiscal_years", "agent_mappings", "sync_state", "member_month_summary")

CONTROL_TOKEN = "fault-control"
FY = ("FY2026", "2025-07-01", "2026-06-30")


def bound(seconds):
    return seconds * TIME_SCALE


def wait_for(predicate, timeout, interval=0.02, what="a condition"):
    deadline = time.monotonic() + bound(timeout)
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {bound(timeout):.0f} s waiting for {what}")


class Sim:
    """halo-sim on loopback, with its control API."""

    def __init__(self, *args):
        self.args = ["--seed", "13", "--agents", "8", "--tickets", "1500",
                     "--time-entries", "6000", *args]
        self.process = subprocess.Popen([SIM, "--control-token", CONTROL_TOKEN, *self.args],
                                        stdout=subprocess.PIPE, text=True)
        first = self.process.stdout.readline()
        self.url = first.strip().rsplit(" ", 1)[-1]
        assert self.url.startswith("http://127.0.0.1:"), first

    def control(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + "/_sim/" + path, data=data, method=method,
                                         headers={"Authorization": "Bearer " + CONTROL_TOKEN,
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"null")

    def faults(self, *faults, rate_limit=None):
        config = {"faults": list(faults)}
        if rate_limit is not None:
            config["rate_limit"] = rate_limit
        self.control("DELETE", "faults")
        return self.control("POST", "faults", config)

    def clear_faults(self):
        self.control("DELETE", "faults")

    def slow(self, ms=25):
        """Every API request takes @ms more: a run lasts long enough to be
        broken half-way."""
        self.faults({"kind": "latency", "path": "/api/*", "ms": ms, "count": 0})

    def requests(self, endpoint=None):
        counters = self.control("GET", "counters")
        if endpoint is None:
            return counters["total"]
        return counters["endpoints"].get(endpoint, 0)

    def now(self):
        return self.control("GET", "clock")["now"]

    def touch_tickets(self, ids):
        """Halo changes tickets @ids now, by its clock."""
        return self.control("POST", "tickets/touch", {"ids": list(ids), "last_update": self.now()})

    def stop(self):
        self.process.terminate()
        self.process.stdout.close()
        self.process.wait(timeout=30)


class Store:
    """A database HaloSync writes, read back independently of it."""

    kind = None

    def snapshot(self):
        """A digest per data table of its rows in a fixed order: equal
        digests mean byte-identical contents."""
        return {table: hashlib.sha256("\n".join(sorted(self.rows_text(table))).encode()).hexdigest()
                for table in DATA_TABLES}

    def count(self, table, where="true"):
        return int(self.scalar(f"SELECT count(*) FROM {table} WHERE {where}"))

    def runs(self):
        rows = self.query("SELECT id, status, error, \"trigger\", mode FROM sync_runs ORDER BY id")
        return [{"id": int(r[0]), "status": r[1], "error": r[2], "trigger": r[3], "mode": r[4]}
                for r in rows]


class SqliteStore(Store):
    kind = "sqlite"

    def __init__(self, path):
        self.path = path
        self.uri = "sqlite://" + path

    def connect(self):
        return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=0.5)

    def query(self, sql):
        with contextlib.closing(self.connect()) as db:
            return [tuple("" if v is None else str(v) for v in row) for row in db.execute(sql)]

    def scalar(self, sql):
        return self.query(sql)[0][0]

    def rows_text(self, table):
        return ["\t".join(row) for row in self.query(f"SELECT * FROM {table}")]

    def journal_mode(self):
        with contextlib.closing(sqlite3.connect(self.path)) as db:
            return db.execute("PRAGMA journal_mode").fetchone()[0]


class PgStore(Store):
    """A database on the suite's own cluster (PG* from pg_virtualenv)."""

    kind = "postgresql"
    counter = 0

    def __init__(self):
        PgStore.counter += 1
        self.name = f"faults_{os.getpid()}_{PgStore.counter}"
        self.psql_admin(f"CREATE DATABASE {self.name}")
        self.uri = (f"postgresql://{os.environ['PGUSER']}@{os.environ['PGHOST']}:"
                    f"{os.environ['PGPORT']}/{self.name}?sslmode=disable&connect_timeout=5")

    @staticmethod
    def psql_admin(sql, database="postgres"):
        return subprocess.run(["psql", "-X", "-v", "ON_ERROR_STOP=1", "-At", "-d", database, "-c", sql],
                              check=True, capture_output=True, text=True).stdout

    def query(self, sql):
        out = subprocess.run(["psql", "-X", "-v", "ON_ERROR_STOP=1", "-d", self.name, "-c",
                              f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)"],
                             check=True, capture_output=True, text=True).stdout
        return [tuple(row) for row in csv.reader(io.StringIO(out))]

    def scalar(self, sql):
        return self.query(sql)[0][0]

    def rows_text(self, table):
        out = subprocess.run(["psql", "-X", "-v", "ON_ERROR_STOP=1", "-d", self.name, "-c",
                              f"COPY (SELECT * FROM {table}) TO STDOUT"],
                             check=True, capture_output=True, text=True).stdout
        return out.splitlines()

    def terminate_backends(self):
        return self.psql_admin("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                               f" WHERE datname = '{self.name}' AND application_name = 'HaloSync'")

    def waiting_for_lock(self):
        return int(self.psql_admin("SELECT count(*) FROM pg_stat_activity"
                                   f" WHERE datname = '{self.name}' AND application_name = 'HaloSync'"
                                   " AND wait_event_type = 'Lock'"))

    @contextlib.contextmanager
    def table_locked(self, table):
        """Another session holds @table against writers (readers go on),
        so the run's next write waits with a batch in flight and the
        source waits for room behind it."""
        holder = subprocess.Popen(["psql", "-X", "-q", "-d", self.name], stdin=subprocess.PIPE,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
        holder.stdin.write(f"BEGIN; LOCK TABLE {table} IN SHARE MODE;\n")
        holder.stdin.flush()
        wait_for(lambda: int(self.scalar("SELECT count(*) FROM pg_locks WHERE granted AND mode = 'ShareLock'"
                                         f" AND relation = '{table}'::regclass")), 30,
                 what=f"the lock on {table}")
        try:
            yield
        finally:
            holder.kill()
            holder.wait()


class Cluster:
    """The suite's own PostgreSQL cluster: pg_virtualenv made it for this
    program alone, so stopping it breaks no other test."""

    @staticmethod
    def ctl(action):
        subprocess.run(["pg_ctlcluster", os.environ["PGVERSION"], "regress", action, "-m", "fast"]
                       if action == "stop" else
                       ["pg_ctlcluster", os.environ["PGVERSION"], "regress", action],
                       check=True, capture_output=True)

    @classmethod
    def stop(cls):
        cls.ctl("stop")

    @classmethod
    def start(cls):
        cls.ctl("start")
        wait_for(lambda: subprocess.run(["pg_isready", "-q"]).returncode == 0, 30,
                 what="PostgreSQL to accept connections")


class Home:
    """A private home for HaloSync's programs: data dir, environment."""

    def __init__(self, sim, store_kind="sqlite", sqlite_dir=None):
        self.dir = tempfile.mkdtemp(prefix="hs-faults-")
        self.sim = sim
        if store_kind == "sqlite":
            self.store = SqliteStore(os.path.join(sqlite_dir or self.dir, "halosync.db"))
        else:
            self.store = PgStore()
        self.env = dict(os.environ)
        self.env.update({
            "HOME": self.dir,
            "XDG_DATA_HOME": os.path.join(self.dir, "data"),
            "XDG_CONFIG_HOME": os.path.join(self.dir, "config"),
            "XDG_RUNTIME_DIR": self.dir,
            "HALOSYNC_HALO_URL": sim.url,
            "HALOSYNC_HALO_CLIENT_ID": "halosync-demo",
            "HALOSYNC_HALO_CLIENT_SECRET": "demo-secret",
            "HALOSYNC_HALO_RATE_LIMIT": "off",
            "HALOSYNC_PLUGIN_DIR": PLUGIN_DIRS,
            "HALOSYNC_SINK": self.store.uri,
            "GIO_USE_PROXY_RESOLVER": "dummy",
            "GSETTINGS_BACKEND": "memory",
        })

    def cleanup(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def ctl(self, *args, expect=None, timeout=120, prefix=()):
        env = self.env
        if prefix and "ASAN_OPTIONS" in env:
            # A preloaded library (libfaketime) comes before ASan's runtime.
            env = dict(env, ASAN_OPTIONS=env["ASAN_OPTIONS"] + ":verify_asan_link_order=0")
        result = subprocess.run([*prefix, CLI, "--local", *args], env=env, capture_output=True,
                                text=True, timeout=bound(timeout))
        if expect is not None and result.returncode != expect:
            raise AssertionError(f"halosyncctl {' '.join(args)} exited {result.returncode},"
                                 f" not {expect}:\n{result.stdout}\n{result.stderr}")
        return result

    def ctl_json(self, *args, expect=0, prefix=()):
        return json.loads(self.ctl("--json", *args, expect=expect, prefix=prefix).stdout)

    def spawn(self, *args, prefix=()):
        return subprocess.Popen([*prefix, CLI, "--local", *args], env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)

    def create_year(self):
        run = self.ctl_json("fy", "create", *FY)["run"]
        assert run["status"] == "succeeded", run
        return run


class Timer:
    def __init__(self):
        self.start = time.monotonic()

    @property
    def seconds(self):
        return time.monotonic() - self.start


def finish(process, timeout):
    """Waits for @process, killing it when it overruns: returns the exit
    code and the seconds it took, or None when it had to be killed."""
    timer = Timer()
    try:
        process.wait(timeout=bound(timeout))
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return None, timer.seconds
    return process.returncode, timer.seconds


class Bus:
    """A private session bus, and halosyncd on it."""

    def __init__(self, home):
        self.home = home
        self.bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address"],
                                    stdout=subprocess.PIPE, text=True)
        self.address = self.bus.stdout.readline().strip()
        self.home.env["DBUS_SESSION_BUS_ADDRESS"] = self.address
        self.daemon = None

    def start_daemon(self):
        self.daemon = subprocess.Popen([DAEMON], env=self.home.env, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True)
        wait_for(lambda: self.call("ListFiscalYears", check=False).returncode == 0, 30,
                 what="halosyncd on the bus")

    def call(self, method, *args, check=True, timeout=30):
        result = subprocess.run(["gdbus", "call", "--session", "--dest", "org.example.HaloSync.Daemon",
                                 "--object-path", "/org/example/HaloSync/Engine", "--timeout",
                                 str(int(timeout)), "--method", "org.example.HaloSync.Engine1." + method,
                                 "--", *args], env=self.home.env, capture_output=True, text=True,
                                timeout=timeout + 5)
        if check and result.returncode != 0:
            raise AssertionError(f"{method} failed: {result.stderr}")
        return result

    def busctl(self, method, signature, *args):
        """A call sent as given, even with the wrong signature."""
        return subprocess.run(["busctl", "--address=" + self.address, "call", "org.example.HaloSync.Daemon",
                               "/org/example/HaloSync/Engine", "org.example.HaloSync.Engine1", method,
                               signature, *args], env=self.home.env, capture_output=True, text=True,
                              timeout=30)

    def stop(self):
        if self.daemon is not None and self.daemon.poll() is None:
            self.daemon.send_signal(signal.SIGKILL)
            self.daemon.wait()
        self.bus.terminate()
        self.bus.stdout.close()
        self.bus.wait()


@contextlib.contextmanager
def small_filesystem(directory, size):
    """A size-limited tmpfs at @directory, where the machine lets us mount
    one; yields False where it does not."""
    os.makedirs(directory, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", directory],
                             capture_output=True).returncode == 0
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", directory], capture_output=True)


def fill(directory, leave_bytes):
    """Fills the file system of @directory until @leave_bytes are free."""
    stat = os.statvfs(directory)
    free = stat.f_bavail * stat.f_frsize
    with open(os.path.join(directory, "filler"), "wb") as filler:
        filler.truncate(0)
        remaining = max(free - leave_bytes, 0)
        chunk = b"\0" * (1 << 20)
        while remaining > 0:
            n = filler.write(chunk[:min(remaining, len(chunk))])
            remaining -= n
    return os.path.join(directory, "filler")
