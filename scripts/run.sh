#!/usr/bin/env bash
# `make run`: migrate the embedded SQLite database, load the demo data (idempotent), turn demo
# mode on and serve in the foreground on 127.0.0.1:${PORT:-8000}. Needs no terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
export YIWANG_DEMO=1
PORT="${PORT:-8000}"

mkdir -p var
yiwang migrate --noinput -v 0
yiwang createcachetable -v 0
yiwang demo load

echo
echo "一网 Yiwang (demo mode) — http://127.0.0.1:${PORT}/"
echo "Demo accounts:"
yiwang demo accounts
echo

exec yiwang runserver --noreload "127.0.0.1:${PORT}"
