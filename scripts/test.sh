#!/usr/bin/env bash
# `make test`: four phases, each timed and counted; every phase runs even when an earlier one
# failed, the summary table is always printed, and any failure makes the exit status non-zero.
#   1 ruff       ruff check .
#   2 sqlite     pytest -m "not browser" on SQLite
#   3 postgresql pytest -m "not browser" on a throwaway PostgreSQL 15 cluster (scripts/with-postgres.sh)
#   4 browser    pytest -m browser in Debian Chromium (Playwright) on SQLite
# Extra arguments are passed to every pytest phase (e.g. scripts/test.sh -k healthz).
# YIWANG_TEST_PHASES="sqlite browser" runs only the named phases.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
export PATH="$ROOT/.venv/bin:$PATH"
PHASES="${YIWANG_TEST_PHASES:-ruff sqlite postgresql browser}"

REPORTS="$ROOT/var/test-reports"
rm -rf "$REPORTS"
mkdir -p "$REPORTS"
# Tests get their own var/ (generated keys, uploads), never the one `make run` uses.
export YIWANG_VAR_DIR="$ROOT/var/test-run"
rm -rf "$YIWANG_VAR_DIR"
mkdir -p "$YIWANG_VAR_DIR/static"
unset YIWANG_ENV YIWANG_DEMO YIWANG_DATA_KEY YIWANG_SECRET_KEY
# SQLite phases use a database file like the real server (WAL, busy timeout), not the in-memory
# shared-cache database, whose table locks fail at once under concurrent writers.
SQLITE_ENV=(env -u DATABASE_URL "YIWANG_TEST_SQLITE_FILE=$YIWANG_VAR_DIR/test.sqlite3")

names=() results=() times=() counts=() passed=() failed=() skipped=()
overall=0

# counts FILE → "tests passed failed skipped" from a JUnit XML report (zeros when there is none).
counts_of() {
  python3 - "$1" <<'PY'
import sys
import xml.etree.ElementTree as ET
try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    print("0 0 0 0")
    raise SystemExit
suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
t = sum(int(s.get("tests", 0)) for s in suites)
f = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
s_ = sum(int(s.get("skipped", 0)) for s in suites)
print(t - s_, t - s_ - f, f, s_)
PY
}

# phase NAME KIND COMMAND... ; KIND is "pytest" (counts from var/test-reports/NAME.xml) or "plain".
phase() {
  local name=$1 kind=$2
  shift 2
  case " $PHASES " in *" $name "*) ;; *) return 0 ;; esac
  echo
  echo "=== phase: $name ==="
  local start=$EPOCHREALTIME rc=0
  "$@" || rc=$?
  local secs
  secs=$(python3 -c "print(f'{$EPOCHREALTIME - $start:.1f}')")
  local n=- p=- f=- s=-
  if [ "$kind" = pytest ]; then
    read -r n p f s < <(counts_of "$REPORTS/$name.xml")
    # exit 5 = no tests collected: a failure too (a phase that runs nothing proves nothing).
    [ "$rc" -eq 5 ] && echo "phase $name: pytest collected no tests" >&2
  fi
  local result=ok
  if [ "$rc" -ne 0 ]; then
    result="FAIL($rc)"
    overall=1
  fi
  echo "=== phase $name: $result in ${secs}s, tests run: $n ==="
  names+=("$name") results+=("$result") times+=("$secs") counts+=("$n") passed+=("$p") failed+=("$f") skipped+=("$s")
}

pytest_args=(-p no:cacheprovider --durations=5)

phase ruff plain ruff check .
phase sqlite pytest "${SQLITE_ENV[@]}" pytest -m "not browser" "${pytest_args[@]}" \
  --junitxml="$REPORTS/sqlite.xml" "$@"
phase postgresql pytest scripts/with-postgres.sh pytest -m "not browser" "${pytest_args[@]}" \
  --junitxml="$REPORTS/postgresql.xml" "$@"
phase browser pytest "${SQLITE_ENV[@]}" pytest -m browser "${pytest_args[@]}" \
  --junitxml="$REPORTS/browser.xml" "$@"

# Summary table, then one plain closing line.
total_secs=0 total_n=0 total_p=0 total_f=0 total_s=0
echo
echo "=== make test summary ==="
printf '%-12s %-9s %9s %7s %7s %7s %8s\n' phase result time tests passed failed skipped
for i in "${!names[@]}"; do
  printf '%-12s %-9s %8ss %7s %7s %7s %8s\n' "${names[$i]}" "${results[$i]}" "${times[$i]}" \
    "${counts[$i]}" "${passed[$i]}" "${failed[$i]}" "${skipped[$i]}"
  total_secs=$(python3 -c "print(f'{$total_secs + ${times[$i]}:.1f}')")
  if [ "${counts[$i]}" != - ]; then
    total_n=$((total_n + counts[i])) total_p=$((total_p + passed[i]))
    total_f=$((total_f + failed[i])) total_s=$((total_s + skipped[i]))
  fi
done
total_result=ok
[ "$overall" -ne 0 ] && total_result=FAIL
printf '%-12s %-9s %8ss %7s %7s %7s %8s\n' total "$total_result" "$total_secs" "$total_n" "$total_p" "$total_f" "$total_s"
echo "reports: var/test-reports/*.xml; screenshots: var/screenshots/"
echo
echo "$total_p passed, $total_f failed, $total_s skipped"
exit "$overall"
