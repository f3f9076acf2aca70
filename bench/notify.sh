#!/usr/bin/env bash
# Notifications bench (issue 6): emit() cost and one worker's events/s, production settings on
# the throwaway PostgreSQL cluster of bench/run.sh. Knobs: BENCH_NOTIFY_CASES (10000),
# BENCH_NOTIFY_EVENTS (20000), YIWANG_WORKER_BATCH (200). Results also go to var/bench/notify.jsonl.
set -euo pipefail
exec "$(dirname "$0")/in-process.sh" notify bench/notify_worker.py
