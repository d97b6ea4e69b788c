#!/usr/bin/env bash
# Installs the Debian packages the image-facts tests use (idempotent; a second run only checks):
#   - docker-registry: CNCF Distribution, the real registry the tests start on 127.0.0.1;
#   - zstd: compresses the zstd layers the tests push;
#   - openssl: makes the self-signed certificate of the TLS + basic-auth registry test.
set -euo pipefail

say() { echo "install-test-tools: $*"; }
fail() { echo "install-test-tools: FAILED: $*" >&2; exit 1; }

debian_packages=(docker-registry zstd openssl)
missing=()
for package in "${debian_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
if ((${#missing[@]} == 0)); then
  say "already installed: ${debian_packages[*]}"
  exit 0
fi
command -v apt-get >/dev/null || fail "apt-get not found; install by hand: ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
say "installing Debian packages: ${missing[*]}"
"${sudo[@]}" apt-get update -qq || fail "apt-get update"
# The tests start their own registries on free ports; they never use the package's service.
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
  || fail "apt-get install ${missing[*]}"
[ -x /usr/bin/docker-registry ] || fail "/usr/bin/docker-registry missing after install"
say "installed: ${missing[*]}"
