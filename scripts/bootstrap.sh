#!/usr/bin/env bash
# Installs the Debian packages SpaceAudit needs, when they are missing. Safe to run again.
#   scripts/bootstrap.sh          build + run: the C libraries and the PostgreSQL server
#   scripts/bootstrap.sh --test   also what the tests need: chromium, its driver, python3-venv, node
set -euo pipefail

packages=(libpq-dev libmicrohttpd-dev libssl-dev libyaml-dev postgresql pkg-config)
if [[ "${1:-}" == "--test" ]]; then
  packages+=(chromium chromium-driver python3-venv docker-compose)
  # The JS ingest client's tests need node; any node on PATH will do.
  command -v node >/dev/null || packages+=(nodejs)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "bootstrap: installing ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian's postgresql package starts a system cluster on port 5432; SpaceAudit does not use it.
