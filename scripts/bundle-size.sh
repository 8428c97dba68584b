#!/usr/bin/env bash
# Prints the size of the shipped bundle in dist/ (raw and gzip -9), per file and in total.
# The budget to keep is 250 KB gzip in total; this reports, it does not fail.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d dist ] || { echo "no dist/: run trunk build --release first" >&2; exit 1; }
printf '%-10s %10s %10s\n' kind raw gzip
total_raw=0; total_gz=0
for ext in wasm js css html; do
    raw=0; gz=0
    for f in dist/*."$ext"; do
        [ -e "$f" ] || continue
        raw=$((raw + $(wc -c < "$f")))
        gz=$((gz + $(gzip -9c "$f" | wc -c)))
    done
    printf '%-10s %10d %10d\n' "$ext" "$raw" "$gz"
    total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
done
printf '%-10s %10d %10d   (budget 256000 gzip: %s)\n' total "$total_raw" "$total_gz" \
    "$([ "$total_gz" -le 256000 ] && echo within || echo OVER)"
