#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# screenshots.sh PROGRAM OUTDIR: renders the app's screenshots (idle,
# syncing, finished, error, overview) from the real app against
# halosyncd and halo-sim, on a private display and session bus.  Run it
# as `ninja -C _build screenshots`, which passes the build's paths.
set -eu

program="$1"
mkdir -p "$2"
HS_SCREENSHOT_DIR=$(cd "$2" && pwd)
export HS_SCREENSHOT_DIR
exec dbus-run-session -- xvfb-run -a -s "-screen 0 1280x800x24 -noreset" "$program"
