#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs a test program with a real PgBouncer in transaction pooling mode
# in front of the PostgreSQL server the PG* environment names (run it
# under tests/with-postgresql.sh), as Supabase's port 6543 is.  The pool
# of each database is smaller than the clients on it (tests/hs-test-db.c
# adds two of its own), and lends server connections in turn, so
# consecutive transactions of one client land on different server
# connections, which is what breaks anything that outlives a
# transaction.  The program finds the pooler's port in
# HS_TEST_POOLER_PORT.
set -euo pipefail

: "${PGHOST:?run this under tests/with-postgresql.sh}"

dir=$(mktemp -d)
pooler=
cleanup() {
  if [ -n "$pooler" ]; then
    kill "$pooler" 2>/dev/null || true
    wait "$pooler" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT

ephemeral_low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
for _ in 1 2 3 4 5 6 7 8 9 10; do
  port=$(shuf -i "10000-$((ephemeral_low - 1))" -n 1)
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
done

user=${PGUSER:-$(id -un)}
printf '"%s" "%s"\n' "$user" "${PGPASSWORD:-}" > "$dir/userlist.txt"
cat > "$dir/pgbouncer.ini" <<EOF
[databases]
* = host=${PGHOST} port=${PGPORT:-5432}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
pool_mode = transaction
default_pool_size = 3
server_round_robin = 1
max_client_conn = 200
auth_type = scram-sha-256
auth_file = $dir/userlist.txt
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
ignore_startup_parameters = extra_float_digits
EOF

# PgBouncer refuses to run as root.
run_as=()
if [ "$(id -u)" = 0 ]; then
  chown -R postgres "$dir"
  run_as=(-u postgres)
fi
pgbouncer "${run_as[@]}" "$dir/pgbouncer.ini" >/dev/null 2>&1 &
pooler=$!

for _ in $(seq 100); do
  if psql -h 127.0.0.1 -p "$port" -d "${PGDATABASE:-postgres}" -Atqc 'SELECT 1' >/dev/null 2>&1; then
    break
  fi
  sleep 0.1
done
psql -h 127.0.0.1 -p "$port" -d "${PGDATABASE:-postgres}" -Atqc 'SELECT 1' >/dev/null ||
  { echo "PgBouncer did not start:" >&2; cat "$dir/pgbouncer.log" >&2; exit 1; }

HS_TEST_POOLER_PORT=$port "$@"
