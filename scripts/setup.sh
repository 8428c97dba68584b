#!/usr/bin/env bash
# Installs what building and testing ArchSim needs, and only what is missing or at the
# wrong version: the wasm32 target, trunk 0.21.14, wasm-bindgen-cli at the version in
# Cargo.lock, wasm-split-cli 0.2.4 (splits the page's Wasm, scripts/split-page.sh),
# wasm-opt (npm binaryen@132) and playwright-core from package-lock.json, and with
# --browser Debian's chromium and chromium-driver.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

TRUNK_VERSION=0.21.14
WASM_SPLIT_VERSION=0.2.4
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi
if ! trunk --version 2>/dev/null | grep -qx "trunk $TRUNK_VERSION"; then
    say "installing trunk $TRUNK_VERSION (takes a few minutes)"
    cargo install --locked trunk --version "$TRUNK_VERSION"
fi
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $WASM_BINDGEN_VERSION"; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    # --locked fails against this registry (a locked dependency is missing); pin with = instead.
    cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
fi
if ! cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
    say "installing wasm-split-cli $WASM_SPLIT_VERSION"
    cargo install --locked wasm_split_cli_support --version "=$WASM_SPLIT_VERSION" --features build-binary
fi
if ! grep -q "wasm_bindgen = \"$WASM_BINDGEN_VERSION\"" Trunk.toml; then
    echo "Trunk.toml pins a wasm_bindgen other than Cargo.lock's $WASM_BINDGEN_VERSION" >&2
    exit 1
fi
if ! { [ -x node_modules/.bin/wasm-opt ] && [ -d node_modules/playwright-core ] \
        && node_modules/.bin/wasm-opt --version | grep -q "version 132"; }; then
    say "installing wasm-opt and playwright-core from npm"
    npm ci --no-audit --no-fund
fi
if [ "${1:-}" = "--browser" ]; then
    if ! { command -v chromium && command -v chromedriver; } >/dev/null; then
        say "installing Debian's chromium and chromium-driver"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
    fi
fi
