#!/usr/bin/env bash
# Data-sharing bench (issue 8), in process with production settings on the throwaway PostgreSQL
# cluster of bench/run.sh: exchange reads (grant check + fetch + decrypt + chained log) against a
# platform-hosted resource of BENCH_SHARING_RECORDS (1000000) records. Results: var/bench/sharing.jsonl.
set -euo pipefail
exec "$(dirname "$0")/in-process.sh" sharing bench/sharing_bench.py
