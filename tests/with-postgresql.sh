#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs a test program against a real PostgreSQL server: the one the PG*
# environment names (CI runs the whole suite under pg_virtualenv), or
# else a throw-away cluster that pg_virtualenv starts for this program
# alone and drops when it exits.  With --own-cluster the program always
# gets a cluster of its own, which it may stop and start.
set -euo pipefail

own=false
if [ "${1:-}" = --own-cluster ]; then
  own=true
  shift
fi

if [ -n "${PGHOST:-}" ] && ! $own; then
  exec "$@"
fi

# pg_createcluster takes the first free port from 5432 up, and test
# programs starting clusters at the same time all take the same one; a
# random free port each avoids the race.  The port comes from below the
# kernel's ephemeral range: a port there that some connection uses as its
# local end answers a connect like a free one, and the server then fails
# to bind it ("Address already in use").
ephemeral_low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
for _ in 1 2 3 4 5 6 7 8 9 10; do
  port=$(shuf -i "10000-$((ephemeral_low - 1))" -n 1)
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null &&
     [ ! -e "/var/run/postgresql/.s.PGSQL.$port" ]; then
    break
  fi
done

# pg_virtualenv reports on stdout, where the test's TAP output must stay
# alone: the test writes to the original stdout (fd 3) and
# pg_virtualenv's own messages go to stderr.  -t keeps the cluster in a
# temporary directory even as root, so parallel clusters do not collide
# in /etc/postgresql.
exec 3>&1
PGPORT="$port" exec pg_virtualenv -t sh -c 'exec "$@" >&3 3>&-' with-postgresql "$@" >&2
