#!/usr/bin/env bash
# `make bench`: load figures for Yiwang under production settings on PostgreSQL (not run in CI).
#   bench/run.sh [SCENARIO...]        (default: every scenario in bench/scenarios.txt)
# Knobs: BENCH_DURATION (15s), BENCH_THREADS (2), BENCH_CONNECTIONS (32), BENCH_WORKERS (4).
# Prints one JSON line per scenario; the lines and wrk's own reports are kept under var/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
exec scripts/with-postgres.sh bench/serve-and-load.sh "$@"
