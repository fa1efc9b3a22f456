#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# check-example-plugin.sh BUILDDIR SOURCEDIR PREFIX LIBDIR BINDIR DATADIR:
# installs the build into a temporary DESTDIR and builds the example
# plugin in examples/csv-source out of tree against what was installed
# there and nothing else (the headers and halosync-1.pc), as a third party
# would.  Then the installed halosyncctl must list it, and a sync with it
# must put its sample data into SQLite.  The directories are the absolute
# installation directories, as meson configured them.
set -eu

builddir="$1"
srcdir="$2"
prefix="$3"
libdir="$4"
bindir="$5"
datadir="$6"
destdir=$(mktemp -d)
trap 'rm -rf "$destdir"' EXIT

fail() {
  echo "not ok: $*"
  exit 1
}

meson install -C "$builddir" --destdir "$destdir" --no-rebuild --quiet >/dev/null

# The .pc names the prefix it was configured for; a copy that names the
# DESTDIR instead makes the example find the headers installed there.
mkdir "$destdir/pkgconfig"
sed "s|^prefix=.*|prefix=$destdir$prefix|" "$destdir$libdir/pkgconfig/halosync-1.pc" \
  >"$destdir/pkgconfig/halosync-1.pc"
PKG_CONFIG_PATH="$destdir/pkgconfig" meson setup "$destdir/example" "$srcdir/examples/csv-source" \
  --werror >"$destdir/example-setup.log" 2>&1 || {
  cat "$destdir/example-setup.log"
  fail "the example plugin does not configure against the installed halosync-1.pc"
}
meson compile -C "$destdir/example" >"$destdir/example-build.log" 2>&1 || {
  cat "$destdir/example-build.log"
  fail "the example plugin does not build against the installed headers"
}
echo "ok: examples/csv-source builds against the installed headers and halosync-1.pc"

plugindir=$(PKG_CONFIG_PATH="$destdir/pkgconfig" pkg-config --variable=plugindir halosync-1)
glib-compile-schemas "$destdir$datadir/glib-2.0/schemas"
export LD_LIBRARY_PATH="$destdir$libdir"
export GSETTINGS_SCHEMA_DIR="$destdir$datadir/glib-2.0/schemas"
export HALOSYNC_PLUGIN_DIR="$destdir/example:$plugindir"
ctl="$destdir$bindir/halosyncctl"

"$ctl" --local --json plugins >"$destdir/plugins.json" || fail "halosyncctl plugins failed"
/usr/bin/python3 - "$destdir/plugins.json" "$destdir/example/libhs_plugin_csv.so" <<'PY' ||
import json, sys
plugins = json.load(open(sys.argv[1]))
assert {"name": "csv", "path": sys.argv[2]} in plugins["sources"], plugins
assert plugins["skipped"] == [], plugins
PY
  fail "halosyncctl plugins does not list the csv source: $(cat "$destdir/plugins.json")"
echo "ok: the installed halosyncctl lists the csv source"

export HALOSYNC_SOURCE=csv
export HALOSYNC_CSV_DIR="$srcdir/examples/csv-source/data"
export HALOSYNC_SINK="sqlite://$destdir/csv.db"
"$ctl" --local --json fy create FY2026 2025-07-01 2026-06-30 >"$destdir/create.json" ||
  fail "the sync from the csv source failed: $(cat "$destdir/create.json")"
/usr/bin/python3 - "$destdir/create.json" <<'PY' || fail "the csv source's sync stored the wrong rows"
import json, sys
run = json.load(open(sys.argv[1]))["run"]
totals = {stream: counts["inserted"] for stream, counts in run["streams"].items()}
# Ticket 103 was opened before the fiscal year, so only two tickets count.
expected = {"agents": 2, "tickets": 2, "time_entries": 3}
assert run["status"] == "succeeded", run
for stream, inserted in expected.items():
    assert totals.get(stream) == inserted, (stream, totals)
PY
echo "ok: a sync from the csv source stored its sample year in SQLite"
