#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster, then stop the cluster and delete it.
#   scripts/with-postgres.sh COMMAND [ARG...]
# The cluster (data directory and unix socket) lives in a fresh postgres-owned temp directory,
# listens only on 127.0.0.1 at a free port, and trusts local connections. initdb and pg_ctl run as
# the postgres user (via runuser when we are root). The command sees
#   DATABASE_URL=postgresql://postgres@127.0.0.1:PORT/postgres   (and PGHOST/PGPORT/PGUSER)
# A trap stops the cluster and removes the directory on exit, Ctrl-C or TERM.
# Settings tuned for throwaway speed (fsync off): never point this at data you keep.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARG...]" >&2
  exit 2
fi

PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
if [ ! -x "$PG_BIN/initdb" ]; then
  echo "with-postgres: $PG_BIN/initdb not found (apt-get install postgresql-15)" >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  as_pg() { runuser -u postgres -- "$@"; }
  PG_OWNER=postgres
else
  as_pg() { "$@"; }
  PG_OWNER="$(id -un)"
fi

PYTHON="${PYTHON:-python3}"
PORT="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
PGTMP="$(mktemp -d "${TMPDIR:-/tmp}/yiwang-pg.XXXXXX")"
chown "$PG_OWNER:" "$PGTMP"
chmod 700 "$PGTMP"
DATA="$PGTMP/data"
started=0

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ "$started" -eq 1 ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null 2>&1 \
      || as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
    echo "with-postgres: cluster on 127.0.0.1:$PORT stopped" >&2
  fi
  rm -rf "$PGTMP"
  exit "$rc"
}
child=""
# On INT/TERM: stop the command (TERM: a background job ignores SIGINT), then clean up.
on_signal() {
  local rc=$1
  if [ -n "$child" ]; then
    kill -TERM "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

as_pg "$PG_BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$PGTMP/initdb.log" 2>&1 \
  || { cat "$PGTMP/initdb.log" >&2; exit 1; }

opts="-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$PGTMP"
opts+=" -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
started=1
if ! as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$PGTMP/server.log" -o "$opts" -w -t 60 start >/dev/null; then
  cat "$PGTMP/server.log" >&2
  exit 1
fi
echo "with-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT ($PGTMP)" >&2

export DATABASE_URL="postgresql://postgres@127.0.0.1:$PORT/postgres"
export PGHOST=127.0.0.1 PGPORT="$PORT" PGUSER=postgres PGDATABASE=postgres

# The command runs as a child we wait for, so a TERM to this script is handled at once.
exec 3<&0
"$@" <&3 3<&- &
child=$!
rc=0
wait "$child" || rc=$?
child=""
exit "$rc"
