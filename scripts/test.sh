#!/usr/bin/env bash
# Everything CI checks, in one run: formatting, lints (native, core only, wasm32), native
# tests with and without the web feature, the release build, the bundle size, and browser
# tests in headless Chromium against that build. Ends with one summary line; exits non-zero
# if any step failed.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser || { echo "summary: 0 passed, 1 failed (setup)"; exit 1; }
export PATH="$PWD/node_modules/.bin:$PATH"

passed=0; failed=0; failures=()
step() {
    local name=$1; shift
    printf '\n\033[1m==> %s\033[0m\n' "$name"
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1)); failures+=("$name")
    fi
}

step "cargo fmt --check" cargo fmt --check
step "clippy (native, web)" cargo clippy --all-targets -- -D warnings
step "clippy (core only)" cargo clippy --all-targets --no-default-features -- -D warnings
step "clippy (wasm32)" cargo clippy --target wasm32-unknown-unknown -- -D warnings
step "cargo test (web)" cargo test
step "cargo test (core only)" cargo test --no-default-features
step "trunk build --release" trunk build --release --offline
step "bundle size" bash scripts/bundle-size.sh
step "browser tests (headless Chromium)" node --test --test-concurrency=1 tests/browser/

echo
if [ "$failed" -gt 0 ]; then
    printf 'failed: %s\n' "${failures[@]}"
fi
echo "summary: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
