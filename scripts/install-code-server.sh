#!/usr/bin/env bash
# Installs what the editor tests need on a Debian machine that cannot download VS Code:
#   - Debian packages: chromium (driven by playwright-core), ripgrep, and the headers
#     code-server's native modules build against;
#   - code-server (a real VS Code served to a browser) into .code-server/ (git-ignored),
#     never into package.json.
# Idempotent: a second run only checks and exits in well under a second.
# See DEVELOPERS.md, "How code-server installs here".
set -euo pipefail

CODE_SERVER_VERSION=4.99.4
# code-server 4.99.4 (VS Code 1.99) depends on @vscode/ripgrep 1.15.11, whose postinstall
# downloads this ripgrep build unless it is already in its cache.
RIPGREP_PACKAGE_VERSION=1.15.11
RIPGREP_VERSION=v13.0.0-10

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="${SECCTX_CODE_SERVER_PREFIX:-$root/.code-server}"
code_server="$prefix/node_modules/.bin/code-server"
stamp="$prefix/.installed-$CODE_SERVER_VERSION"

say() { echo "install-code-server: $*"; }
fail() { echo "install-code-server: FAILED: $*" >&2; exit 1; }

# 1. Debian packages (only the missing ones; sudo only when not root).
debian_packages=(chromium ripgrep libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev pkg-config g++ make python3)
missing=()
for package in "${debian_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
if ((${#missing[@]} > 0)); then
  command -v apt-get >/dev/null || fail "apt-get not found; install by hand: ${missing[*]}"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
  say "installing Debian packages: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq || fail "apt-get update"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || fail "apt-get install ${missing[*]}"
fi

# 2. Already installed? (the stamp is written only after a verified install)
if [ -f "$stamp" ] && [ -x "$code_server" ]; then
  say "code-server $CODE_SERVER_VERSION already installed in $prefix"
  exit 0
fi

# 3. Pre-place Debian's rg where @vscode/ripgrep looks for its download.
case "$(uname -m)" in
  x86_64) ripgrep_target=x86_64-unknown-linux-musl ;;
  aarch64 | arm64) ripgrep_target=aarch64-unknown-linux-musl ;;
  *) fail "no ripgrep target known for $(uname -m)" ;;
esac
ripgrep_cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-$RIPGREP_PACKAGE_VERSION"
ripgrep_asset="$ripgrep_cache/ripgrep-$RIPGREP_VERSION-$ripgrep_target.tar.gz"
if [ ! -s "$ripgrep_asset" ]; then
  rg_path="$(command -v rg)" || fail "rg not on PATH (Debian package ripgrep)"
  mkdir -p "$ripgrep_cache"
  staging="$(mktemp -d)"
  cp "$rg_path" "$staging/rg"
  tar czf "$ripgrep_asset.partial" -C "$staging" rg
  mv "$ripgrep_asset.partial" "$ripgrep_asset"
  rm -rf "$staging"
  say "placed Debian's rg in $ripgrep_asset"
fi

# 4. code-server itself (its postinstall builds native modules: a few minutes on 2 cores).
say "installing code-server@$CODE_SERVER_VERSION into $prefix (takes a few minutes)"
mkdir -p "$prefix"
start=$SECONDS
npm_config_unsafe_perm=true npm_config_yes=true \
  npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error \
  "code-server@$CODE_SERVER_VERSION" || fail "npm install code-server@$CODE_SERVER_VERSION"

# 5. Verify before stamping.
[ -x "$code_server" ] || fail "$code_server missing after install"
# (a scratch config dir: code-server writes a default config.yaml on any start)
scratch="$(mktemp -d)"
version="$(XDG_CONFIG_HOME="$scratch" XDG_DATA_HOME="$scratch" "$code_server" --version 2>/dev/null \
  | grep -m 1 -E '^[0-9]+\.[0-9]+')" || fail "code-server --version printed no version"
rm -rf "$scratch"
case "$version" in
  "$CODE_SERVER_VERSION"*) ;;
  *) fail "expected code-server $CODE_SERVER_VERSION, got '$version'" ;;
esac
rg_installed="$(find "$prefix/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin" -name rg 2>/dev/null | head -n 1)"
[ -n "$rg_installed" ] || fail "code-server's @vscode/ripgrep has no bin/rg"
touch "$stamp"
say "code-server $version installed in $((SECONDS - start))s"
