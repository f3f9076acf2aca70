#!/usr/bin/env bash
# Notifications bench (issue 6): emit() cost and one worker's events/s, production settings on
# the throwaway PostgreSQL cluster of bench/run.sh. Knobs: BENCH_NOTIFY_CASES (10000),
# BENCH_NOTIFY_EVENTS (20000), YIWANG_WORKER_BATCH (200). Results also go to var/bench/notify.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?run me through bench/run.sh notify}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/yiwang-bench-notify.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export YIWANG_ENV=production YIWANG_ALLOW_HTTP=1 YIWANG_VAR_DIR="$WORK/var" DJANGO_SETTINGS_MODULE=yiwang.settings
export YIWANG_LOG_LEVEL="${YIWANG_LOG_LEVEL:-WARNING}"
export YIWANG_SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
export YIWANG_DATA_KEY="bench:$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')"
unset YIWANG_DEMO YIWANG_DEBUG
mkdir -p "$YIWANG_VAR_DIR" var/bench
python bench/notify_worker.py | tee var/bench/notify.jsonl
