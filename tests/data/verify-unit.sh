#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# systemd-analyze needs a runtime directory to verify user units.
set -eu
runtime=$(mktemp -d)
trap 'rm -rf "$runtime"' EXIT
XDG_RUNTIME_DIR="$runtime" "$1" verify --user "$2"
