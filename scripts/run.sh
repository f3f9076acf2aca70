#!/usr/bin/env bash
# `make run`: migrate the embedded SQLite database, load the demo data (idempotent), turn demo
# mode on and serve in the foreground on 127.0.0.1:${PORT:-8000}, with one background worker
# (`yiwang worker`: outbox dispatch, notifications, periodic jobs) beside the web server.
# Ctrl-C (or TERM) stops both; if either exits, the other is stopped too. Needs no terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export YIWANG_DEMO=1
PORT="${PORT:-8000}"

mkdir -p var
yiwang migrate --noinput -v 0
yiwang createcachetable -v 0
yiwang demo load

echo
echo "一网 Yiwang (demo mode) — http://127.0.0.1:${PORT}/"
echo "Demo accounts:"
yiwang demo accounts
echo

yiwang worker &
worker=$!
yiwang runserver --noreload "127.0.0.1:${PORT}" &
server=$!
stop_both() {
  trap - EXIT INT TERM
  kill -TERM "$server" "$worker" 2>/dev/null || true
  wait "$server" "$worker" 2>/dev/null || true
}
trap 'stop_both; exit 130' INT
trap 'stop_both; exit 143' TERM
trap stop_both EXIT
rc=0
wait -n "$server" "$worker" || rc=$?
echo "run: a process exited ($rc); stopping the other" >&2
exit "$rc"
