#!/usr/bin/env bash
# Installs what moe needs to build and test, only when missing (fast the
# second time): Debian packages through apt-get, and the npm test servers
# from testservers/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  g++ cmake ninja-build pkg-config
  libcurl4-openssl-dev libssl-dev zlib1g-dev
  rapidjson-dev libsimdjson-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  awscli python3-boto3
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js may come from another source than Debian (with npm bundled).
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm test servers, pinned by the committed lockfile.
stamp=testservers/node_modules/.moe-stamp
if [ ! -f "$stamp" ] || [ testservers/package-lock.json -nt "$stamp" ]; then
  echo "bootstrap: installing test servers (dynalite, kinesalite)"
  (cd testservers && npm ci --no-audit --no-fund --loglevel=error)
  touch "$stamp"
fi
