#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs a test program against a throw-away PostgreSQL 15 cluster that
# takes TLS connections only, as Supabase and most cloud databases do,
# with certificates made here by a CA of its own.  The program finds the
# server and what it needs to reach it in HS_TEST_TLS_HOST, _PORT,
# _USER, _PASSWORD and _DATABASE (a database the user owns; the user may
# create more), the CA that signed the server's certificate in
# HS_TEST_TLS_CA, and an unrelated CA in HS_TEST_TLS_WRONG_CA.
#
# It needs no other server: the cluster is its own, whatever the PG*
# environment names, so it runs the same under CI's pg_virtualenv.
set -euo pipefail

# The test's TAP output must stay alone on stdout: everything here
# reports to stderr, and only the test program gets the original stdout.
exec 3>&1 1>&2

pg_bin=/usr/lib/postgresql/15/bin

dir=$(mktemp -d)
started=false
cleanup() {
  local status=$?
  if $started; then
    as_server "$pg_bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  # A failure anywhere, the server's or the test's, is explained by the
  # server's side of it.
  if [ "$status" != 0 ] && [ -s "$dir/server.log" ]; then
    echo "--- PostgreSQL server log ---"
    cat "$dir/server.log"
  fi
  rm -rf "$dir"
  exit "$status"
}
trap cleanup EXIT
# pg_ctl starts the server in a session of its own, out of reach of the
# signal meson sends the test's process group on a timeout: that signal
# has to end this script through its cleanup.
trap 'exit 143' TERM
trap 'exit 130' INT

# initdb and postgres refuse to run as root; CI runs as root.
as_server() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# As in tests/with-postgresql.sh: a random free port below the kernel's
# ephemeral range, where no connection's local end can look free.
ephemeral_low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
for _ in 1 2 3 4 5 6 7 8 9 10; do
  port=$(shuf -i "10000-$((ephemeral_low - 1))" -n 1)
  (exec 4<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
done

# Elliptic-curve keys: as good for the test as RSA, and made at once.
new_key() {
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$1" 2>/dev/null
}

# A CA as a user would be given one: self-signed, marked as a CA.
new_ca() {
  new_key "$dir/$1.key"
  openssl req -x509 -new -key "$dir/$1.key" -out "$dir/$1.crt" -days 2 -subj "/CN=$2" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
}

new_ca ca "HaloSync test CA"
# Unrelated to the first in everything: a user who pasted the wrong
# provider's or an old project's CA.
new_ca wrong-ca "HaloSync unrelated test CA"

# verify-full checks the name the client connected to against the
# certificate's subjectAltName, so it names both ways of writing the
# loopback address.
new_key "$dir/server.key"
openssl req -new -key "$dir/server.key" -out "$dir/server.csr" -subj "/CN=localhost"
cat > "$dir/server.ext" <<EOF
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
EOF
openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
  -days 2 -extfile "$dir/server.ext" -out "$dir/server.crt" 2>/dev/null
# The server refuses a key anyone but its owner can read.
chmod 600 "$dir/server.key"

admin_password=$(openssl rand -hex 16)
user_password=$(openssl rand -hex 16)
printf '%s\n' "$admin_password" > "$dir/admin-password"

if [ "$(id -u)" = 0 ]; then
  chown -R postgres "$dir"
fi

as_server "$pg_bin/initdb" -D "$dir/data" -U hs_admin --pwfile="$dir/admin-password" \
  --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
rm -f "$dir/admin-password"

# TCP on loopback alone, and no Unix socket at all: every login, the
# test's and this script's, has to come through TLS.  fsync is off for
# a cluster that lives for one test.  Failing statements stay out of
# the log, since CREATE ROLE below carries a password.
cat >> "$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
ssl = on
ssl_cert_file = '$dir/server.crt'
ssl_key_file = '$dir/server.key'
password_encryption = 'scram-sha-256'
fsync = off
log_min_error_statement = panic
EOF
# hostssl lines only: a plain TCP login finds no line to match and is
# refused, as on a server that requires TLS.
cat > "$dir/data/pg_hba.conf" <<EOF
hostssl all all 127.0.0.1/32 scram-sha-256
EOF

as_server "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start >/dev/null
started=true

# Nothing the caller's environment says about PostgreSQL (CI's
# pg_virtualenv exports PGHOST, PGPASSWORD and more; a developer may
# have PGSSLMODE or PGSSLROOTCERT) may reach libpq, here or in the test:
# each connection gets exactly what it names.
while read -r name; do
  unset "$name"
done < <(compgen -e | grep '^PG' || true)

# The password goes in on stdin, where no process list shows it.
PGPASSWORD=$admin_password psql -X -q -v ON_ERROR_STOP=1 \
  "host=127.0.0.1 port=$port user=hs_admin dbname=postgres sslmode=verify-full sslrootcert=$dir/ca.crt" <<EOF
\\set password $user_password
CREATE ROLE hs_tls LOGIN CREATEDB PASSWORD :'password';
CREATE DATABASE hs_tls OWNER hs_tls;
EOF

HS_TEST_TLS_HOST=localhost \
HS_TEST_TLS_PORT=$port \
HS_TEST_TLS_USER=hs_tls \
HS_TEST_TLS_PASSWORD=$user_password \
HS_TEST_TLS_DATABASE=hs_tls \
HS_TEST_TLS_CA=$dir/ca.crt \
HS_TEST_TLS_WRONG_CA=$dir/wrong-ca.crt \
  "$@" >&3 3>&-
