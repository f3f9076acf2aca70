#!/usr/bin/env bash
# Runs inside scripts/with-postgres.sh (DATABASE_URL points at a throwaway cluster): prepares the
# database, starts gunicorn with production settings on loopback, and drives each scenario with wrk
# from a separate process. Everything it started is stopped at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
: "${DATABASE_URL:?run me through bench/run.sh}"

DURATION="${BENCH_DURATION:-15s}"
THREADS="${BENCH_THREADS:-2}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
WORKERS="${BENCH_WORKERS:-4}"
WANTED=("$@")

WORK="$(mktemp -d "${TMPDIR:-/tmp}/yiwang-bench.XXXXXX")"
OUT="$ROOT/var/bench"
mkdir -p "$OUT"
: >"$OUT/results.jsonl"
GUNICORN_PID=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill -TERM "$GUNICORN_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$GUNICORN_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$GUNICORN_PID" 2>/dev/null || true
    wait "$GUNICORN_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- production settings, except plain HTTP on loopback --------------------------------------------
export YIWANG_ENV=production
export YIWANG_ALLOW_HTTP=1
# wrk plays the reverse proxy: the progress scenario sends one X-Forwarded-For address per client.
export YIWANG_TRUSTED_PROXIES="${YIWANG_TRUSTED_PROXIES:-127.0.0.1}"
unset YIWANG_DEMO YIWANG_DEBUG
export YIWANG_VAR_DIR="$WORK/var"
export YIWANG_SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
export YIWANG_DATA_KEY="bench:$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')"
export YIWANG_LOG_LEVEL="${YIWANG_LOG_LEVEL:-WARNING}"
mkdir -p "$YIWANG_VAR_DIR"
echo "bench: YIWANG_ENV=production settings, except YIWANG_ALLOW_HTTP=1 — plain HTTP on 127.0.0.1" \
  "(no SSL redirect, no HSTS, cookies without Secure); generated secret and data keys; PostgreSQL: $DATABASE_URL"

yiwang migrate --noinput -v 0
yiwang createcachetable
yiwang collectstatic --noinput -v 0
KEY="$(python bench/prepare.py token)"
export BENCH_TOKEN="$KEY"

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
BASE="http://127.0.0.1:$PORT"
gunicorn -c deploy/gunicorn.conf.py yiwang.wsgi:application -w "$WORKERS" -b "127.0.0.1:$PORT" --log-level warning --access-logfile /dev/null \
  --error-logfile "$OUT/gunicorn.log" </dev/null &
GUNICORN_PID=$!
for _ in $(seq 100); do
  curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && break
  kill -0 "$GUNICORN_PID" 2>/dev/null || { echo "bench: gunicorn died, see var/bench/gunicorn.log" >&2; exit 1; }
  sleep 0.2
done
curl -fsS "$BASE/healthz"
echo
echo "bench: gunicorn ($WORKERS workers) on $BASE; wrk -t$THREADS -c$CONNECTIONS -d$DURATION per scenario"

# --- scenarios ----------------------------------------------------------------------------------
# bench/scenarios.txt: NAME PATH [HOOK [LUA]] — HOOK is a file in bench/hooks/ run once before the
# load (it may print KEY=VALUE lines, exported to the wrk script), LUA a wrk script in bench/ that
# defines request() etc. (combined with bench/report.lua); "-" for none.
status=0
while read -r -u 4 name path hook lua; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  if [ "${#WANTED[@]}" -gt 0 ] && [[ ! " ${WANTED[*]} " == *" $name "* ]]; then
    continue
  fi
  if [ -n "${hook:-}" ] && [ "$hook" != - ]; then
    hook_out="$(python bench/prepare.py hook "bench/hooks/$hook" </dev/null)"
    while IFS= read -r line; do
      if [[ "$line" =~ ^[A-Z][A-Z0-9_]*= ]]; then export "BENCH_${line%%=*}=${line#*=}"; fi
    done <<<"$hook_out"
  fi
  script="$WORK/$name.lua"
  : >"$script"
  if [ -n "${lua:-}" ] && [ "$lua" != - ]; then
    cat "bench/$lua" >>"$script"
  fi
  cat bench/report.lua >>"$script"
  # Warm up every worker on this path, then measure.
  for _ in $(seq $((WORKERS * 4))); do
    curl -s -o /dev/null -H "Authorization: Bearer $KEY" "$BASE$path" || true
  done
  BENCH_SCENARIO="$name" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency --timeout 10s \
    -H "Authorization: Bearer $KEY" -s "$script" "$BASE$path" >"$OUT/$name.txt" 2>&1 || status=1
  line="$(grep '^{"scenario"' "$OUT/$name.txt" || true)"
  if [ -z "$line" ]; then
    echo "bench: scenario $name produced no result:" >&2
    cat "$OUT/$name.txt" >&2
    status=1
    continue
  fi
  echo "$line"
  echo "$line" >>"$OUT/results.jsonl"
done 4<bench/scenarios.txt

echo "bench: results in var/bench/results.jsonl (wrk reports: var/bench/<scenario>.txt)"
exit "$status"
