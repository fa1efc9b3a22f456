#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# check-man.sh PAGE: renders PAGE as man(1) does, with groff's warnings on,
# and fails on any warning (man itself exits 0 after warning).
set -eu

warnings=$(MANWIDTH=80 man --warnings -l "$1" 2>&1 >/dev/null)
if [ -n "$warnings" ]; then
  printf '%s\n' "$warnings"
  exit 1
fi
