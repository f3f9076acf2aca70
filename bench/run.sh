#!/usr/bin/env bash
# `make bench`: load figures for Yiwang under production settings on PostgreSQL (not run in CI).
#   bench/run.sh [SCENARIO...]        (default: every scenario in bench/scenarios.txt, then notify)
#   bench/run.sh notify               the notifications worker bench only (bench/notify.sh)
#   bench/run.sh certs                the certificates bench only (bench/certs.sh)
#   bench/run.sh sharing              the data-sharing exchange bench only (bench/sharing.sh)
#   bench/run.sh sharing-import       the data-sharing import bench only (bench/sharing_import.sh)
# Knobs: BENCH_DURATION (15s), BENCH_THREADS (2), BENCH_CONNECTIONS (32), BENCH_WORKERS (4).
# Prints one JSON line per scenario; the lines and wrk's own reports are kept under var/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
# `bench/run.sh notify`: the notifications worker bench (bench/notify.sh) instead of HTTP scenarios.
if [ "${1:-}" = notify ]; then
  exec scripts/with-postgres.sh bench/notify.sh
fi
# `bench/run.sh sharing`: the data-sharing exchange bench (bench/sharing.sh), in process.
if [ "${1:-}" = sharing ]; then
  exec scripts/with-postgres.sh bench/sharing.sh
fi
# `bench/run.sh sharing-import`: the data-sharing import bench (bench/sharing_import.sh), in process.
if [ "${1:-}" = sharing-import ]; then
  exec scripts/with-postgres.sh bench/sharing_import.sh
fi
# `bench/run.sh certs`: the certificates bench (bench/certs.sh): issuing and proof growth, in process.
if [ "${1:-}" = certs ]; then
  exec scripts/with-postgres.sh bench/certs.sh
fi
scripts/with-postgres.sh bench/serve-and-load.sh "$@"
# With no scenario named, `make bench` runs everything: the HTTP scenarios, then the worker bench.
if [ "$#" -eq 0 ]; then
  scripts/with-postgres.sh bench/notify.sh
  scripts/with-postgres.sh bench/certs.sh
  scripts/with-postgres.sh bench/sharing.sh
  scripts/with-postgres.sh bench/sharing_import.sh
fi
