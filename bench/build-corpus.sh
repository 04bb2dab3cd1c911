#!/usr/bin/env bash
# `make bench` (second half): builds the shared corpus (site + text + epub + pdf) cold and warm
# with the release binary, and prints wall time and peak memory of each run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${BINDERY_CORPUS:-$root/../shared/corpus/fullstackpython}
bin=$root/target/release/bindery
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
[ -x "$bin" ] || cargo build --release --manifest-path "$root/Cargo.toml"
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }

run() {
    local label=$1; shift
    /usr/bin/time -f "$label: %e s wall, %M KB peak" "$@" -q 2>&1 | tail -1
}
echo "corpus: $(find "$corpus/content" -name '*.markdown' | wc -l) documents, $(nproc) cores"
for target in "site,text" "epub" "pdf" "site,text,epub,pdf"; do
    rm -rf "$out/b"
    run "cold $target" "$bin" build "$corpus/content" -o "$out/b" --resource-path "$corpus/static" --formats "$target"
    run "warm $target" "$bin" build "$corpus/content" -o "$out/b" --resource-path "$corpus/static" --formats "$target"
done
