#!/usr/bin/env bash
# Fuzzes the scenario decoder and decode → validate → solve for FUZZ_SECONDS each (default
# 300), printing executions and crashes per target. Not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
export FUZZ_SECONDS=${FUZZ_SECONDS:-300}
cargo test --release --no-default-features --test fuzz -- --ignored --nocapture --test-threads 1 2>&1 \
    | grep -oE '(fuzz [a-z-]+: .*|CRASH.*|test result.*)'
