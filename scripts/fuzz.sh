#!/usr/bin/env bash
# Coverage-guided fuzzing (cargo-fuzz / libFuzzer, nightly toolchain) of the scenario decoder,
# of decode → validate → solve, and of decode → simulate, FUZZ_SECONDS each (default 300), or,
# when FUZZ_RUNS is set, FUZZ_RUNS executions each (libFuzzer -runs, no time limit). Prints
# executions, crashes and the seconds taken per target; a crash leaves its input in
# fuzz/artifacts/ and fails the run. Not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-300}
runs=${FUZZ_RUNS:-}
if [ -n "$runs" ]; then
    limit=(-runs="$runs")
else
    limit=(-max_total_time="$seconds")
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
status=0
for target in decode decode_solve decode_simulate; do
    mkdir -p "fuzz/corpus/$target"
    cp -n fuzz/seeds/* "fuzz/corpus/$target/" 2>/dev/null || true
    log=$(mktemp)
    if cargo +nightly fuzz run "$target" -- "${limit[@]}" -print_final_stats=1 >"$log" 2>&1; then
        crashes=0
    else
        crashes=1; status=1
    fi
    execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
    if [ -n "$runs" ]; then
        # libFuzzer's own count of the fuzzing time (the build is not included).
        took=$(grep -oE '^Done [0-9]+ runs in [0-9]+ second' "$log" | grep -oE '[0-9]+ second' | grep -oE '[0-9]+' | tail -1)
    else
        took=$seconds
    fi
    echo "fuzz $target: ${execs:-?} executions, $crashes crashes in ${took:-?} s"
    [ "$crashes" = 0 ] || tail -n 30 "$log"
    rm -f "$log"
done
exit $status
