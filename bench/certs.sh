#!/usr/bin/env bash
# Certificates bench (issue 7), in process with production settings on the throwaway PostgreSQL
# cluster of bench/run.sh: issues per second of one worker (render + sign + check + log + store),
# and inclusion-proof size and time against log size. Knobs: BENCH_CERT_ISSUES (100),
# BENCH_CERT_LOG (1000000). Results also go to var/bench/certs.jsonl.
set -euo pipefail
exec "$(dirname "$0")/in-process.sh" certs bench/certs_bench.py
