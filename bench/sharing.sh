#!/usr/bin/env bash
# Data-sharing bench (issue 8), in process with production settings on the throwaway PostgreSQL
# cluster of bench/run.sh: exchange reads (grant check + fetch + decrypt + chained log) against a
# platform-hosted resource of BENCH_SHARING_RECORDS (1000000) records. Results: var/bench/sharing.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?run me through bench/run.sh sharing}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/yiwang-bench-sharing.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export YIWANG_ENV=production YIWANG_ALLOW_HTTP=1 YIWANG_VAR_DIR="$WORK/var" DJANGO_SETTINGS_MODULE=yiwang.settings
export YIWANG_LOG_LEVEL="${YIWANG_LOG_LEVEL:-WARNING}"
export YIWANG_SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
export YIWANG_DATA_KEY="bench:$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')"
unset YIWANG_DEMO YIWANG_DEBUG
mkdir -p "$YIWANG_VAR_DIR" var/bench
python bench/sharing_bench.py | tee var/bench/sharing.jsonl
