#!/usr/bin/env bash
# Prints the size of the shipped bundle in dist/ (raw and gzip -9): every file, then the
# page's first load (what a visit fetches before the editor shows), the chunk of panels
# off the first screen (fetched after the first render, scripts/split-page.sh) and the
# worker (fetched when the page starts its first analysis, off the main thread). The
# budget to keep is 250 KB gzip for the first load; this reports, it does not fail.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d dist ] || { echo "no dist/: run trunk build --release first" >&2; exit 1; }
printf '%-34s %10s %10s\n' file raw gzip
page_raw=0; page_gz=0; chunk_raw=0; chunk_gz=0; worker_raw=0; worker_gz=0
for f in dist/*.wasm dist/*.js dist/*.css dist/*.html; do
    [ -e "$f" ] || continue
    raw=$(wc -c < "$f"); gz=$(gzip -9c "$f" | wc -c)
    printf '%-34s %10d %10d\n' "${f#dist/}" "$raw" "$gz"
    case "$f" in
        dist/archsim-worker*) worker_raw=$((worker_raw + raw)); worker_gz=$((worker_gz + gz)) ;;
        dist/*_split_*.wasm) chunk_raw=$((chunk_raw + raw)); chunk_gz=$((chunk_gz + gz)) ;;
        *) page_raw=$((page_raw + raw)); page_gz=$((page_gz + gz)) ;;
    esac
done
printf '%-34s %10d %10d\n' "panels (loaded after first render)" "$chunk_raw" "$chunk_gz"
printf '%-34s %10d %10d\n' "worker (loaded on first analysis)" "$worker_raw" "$worker_gz"
printf '%-34s %10d %10d   (budget 256000 gzip: %s)\n' "page, first load" "$page_raw" "$page_gz" \
    "$([ "$page_gz" -le 256000 ] && echo within || echo OVER)"
