#!/usr/bin/env bash
# trunk's post-build hook (Trunk.toml): splits the page's Wasm into the first load and the
# chunk of panels that are not on the first screen (src/web/deferred.rs).
#
# trunk has already built the page, unsplit, into the staging directory under a hashed
# name. This starts again from cargo's linked module (which keeps its relocations, see
# build.rs): wasm-split-cli moves what only the split point reaches into a chunk,
# wasm-bindgen binds the rest under trunk's name (keeping the exports the chunk links
# against), and wasm-opt optimises both in release builds. The chunk and its loader are
# named after the page's hash, so a cached chunk can never meet another build's page.
set -euo pipefail
cd "$(dirname "$0")/.."
staging=${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}
linked=${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/web/archsim.wasm

page_js=$(find "$staging" -maxdepth 1 -regextype egrep -regex '.*/archsim-[0-9a-f]+\.js')
[ "$(printf '%s\n' "$page_js" | grep -c .)" -eq 1 ] || {
    echo "split-page: expected one page script archsim-<hex hash>.js in $staging" >&2; exit 1; }
name=$(basename "$page_js" .js)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wasm-split-cli "$linked" "$work/split"
wasm-bindgen "$work/split/main.wasm" --out-dir "$work/bound" --out-name "$name" \
    --target web --no-typescript --keep-lld-exports

# Renames where a generated file fetches or imports a file (`from "…"`, `URL("…"`), and
# nothing else: the import's key in the Wasm keeps its name. Fails if the generator changed.
rename() { # file before from to
    grep -qF "$2\"$3\"" "$1" || { echo "split-page: $1 has no $2\"$3\"" >&2; exit 1; }
    sed -i "s|$2\"$3\"|$2\"$4\"|g" "$1"
}
loader="$work/split/__wasm_split.js"
rename "$work/bound/$name.js" 'from ' ./__wasm_split.js "./${name}_split.js"
rename "$loader" 'from ' ./main.js "./$name.js"
chunks=()
for chunk in "$work"/split/*.wasm; do
    part=$(basename "$chunk" .wasm)
    [ "$part" = main ] && continue
    rename "$loader" 'URL(' "./$part.wasm" "./${name}_$part.wasm"
    chunks+=("$chunk:${name}_$part.wasm")
done

place() { # from to
    if [ "${TRUNK_PROFILE:-}" = release ]; then wasm-opt -Oz "$1" -o "$2"; else cp "$1" "$2"; fi
}
place "$work/bound/${name}_bg.wasm" "$staging/${name}_bg.wasm"
for c in "${chunks[@]}"; do place "${c%%:*}" "$staging/${c#*:}"; done
cp "$work/bound/$name.js" "$staging/$name.js"
cp "$loader" "$staging/${name}_split.js"
echo "split-page: $name and ${#chunks[@]} chunk(s) placed in $staging"
