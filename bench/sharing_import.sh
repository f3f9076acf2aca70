#!/usr/bin/env bash
# Data-sharing import bench (issue 8 (a)), in process with production settings on the throwaway
# PostgreSQL cluster of bench/run.sh: sharing.imports.import_rows for a batch of BENCH_IMPORT_ROWS
# (100000) new subjects, then an incremental batch of as many (half updates, half new). Target:
# ≤ 60 s per batch. Results: var/bench/sharing-import.jsonl.
set -euo pipefail
exec "$(dirname "$0")/in-process.sh" sharing-import bench/sharing_import.py
