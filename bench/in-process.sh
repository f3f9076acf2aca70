#!/usr/bin/env bash
# Runs an in-process bench script with production settings on the throwaway PostgreSQL cluster of
# bench/run.sh (generated secret and data keys, a temporary var dir) and keeps its JSON lines.
#   bench/in-process.sh NAME SCRIPT.py   → var/bench/NAME.jsonl
set -euo pipefail
cd "$(dirname "$0")/.."
NAME="${1:?name}" SCRIPT="${2:?script}"
: "${DATABASE_URL:?run me through bench/run.sh $NAME}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/yiwang-bench-$NAME.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
export YIWANG_ENV=production YIWANG_ALLOW_HTTP=1 YIWANG_VAR_DIR="$WORK/var" DJANGO_SETTINGS_MODULE=yiwang.settings
export YIWANG_LOG_LEVEL="${YIWANG_LOG_LEVEL:-WARNING}"
export YIWANG_SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')"
export YIWANG_DATA_KEY="bench:$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')"
unset YIWANG_DEMO YIWANG_DEBUG
mkdir -p "$YIWANG_VAR_DIR" var/bench
python "$SCRIPT" | tee "var/bench/$NAME.jsonl"
