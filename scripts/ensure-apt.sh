#!/usr/bin/env bash
# Install the named Debian packages that are not installed yet; do nothing when all are.
#   scripts/ensure-apt.sh PKG...
# `apt-get update` runs at most once per call, only when something is missing (and is skipped when
# this script already ran it in the last hour); apt waits for a dpkg lock held by someone else.
set -euo pipefail

missing=()
for pkg in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[ "${#missing[@]}" -eq 0 ] && exit 0

SUDO=()
[ "$(id -u)" -ne 0 ] && SUDO=(sudo)
APT=("${SUDO[@]}" apt-get -q -o DPkg::Lock::Timeout=600)
export DEBIAN_FRONTEND=noninteractive
STAMP="${TMPDIR:-/tmp}/yiwang-apt-update.stamp"

update() {
  echo "ensure-apt: apt-get update" >&2
  "${APT[@]}" update -qq </dev/null
  touch "$STAMP"
}
install() {
  "${APT[@]}" install -y -qq --no-install-recommends "${missing[@]}" </dev/null
}

echo "ensure-apt: installing ${missing[*]}" >&2
if [ -n "$(find "$STAMP" -mmin -60 2>/dev/null)" ]; then
  install || { update && install; }
else
  update
  install
fi
