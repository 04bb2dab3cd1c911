#!/usr/bin/env bash
# The Nu HTML checker (vnu-jar from npm, run with Java) on bindery's HTML: both seeds, every
# corpus page on its own, the same with --sanitize, and the site `bindery build` writes.
# Usage: tests/validate_html.sh OUT_DIR. Exits 1 on any error.
#
# One message is not counted: "The heading h3 follows the heading h1, skipping 1 heading level".
# It is the authors' own outline (27 corpus pages go from the title straight to `###`), which
# bindery keeps as written, as pandoc does; it is still reported, with its count.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${BINDERY_SHARED:-$root/../shared}
corpus=$shared/corpus/fullstackpython
out=$1
rm -rf "$out" && mkdir -p "$out/pages" "$out/sanitized"

vnu_dir=$root/target/vnu
if [ ! -f "$vnu_dir/node_modules/vnu-jar/build/dist/vnu.jar" ]; then
    mkdir -p "$vnu_dir"
    npm install --silent --no-audit --no-fund --prefix "$vnu_dir" vnu-jar@26 >/dev/null
fi
vnu=$vnu_dir/node_modules/vnu-jar/build/dist/vnu.jar

cargo build -q --release --manifest-path "$root/Cargo.toml"
bin=$root/target/release/bindery
for seed in "$shared"/seeds/*; do
    "$bin" convert -q "$seed" -o "$out/pages/seed-$(basename "$seed").html"
done
mapfile -t pages < <(find "$corpus/content" -name '*.markdown' | sort)
for page in "${pages[@]}"; do
    name=$(basename "$page" .markdown)
    "$bin" convert -q "$page" -o "$out/pages/$name.html"
    "$bin" convert -q --sanitize "$page" -o "$out/sanitized/$name.html"
done
"$bin" build -q "$corpus/content" -o "$out/build" --resource-path "$corpus/static" --formats site

files=("$out"/pages/*.html "$out"/sanitized/*.html "$out"/build/site/*.html)
java -jar "$vnu" --errors-only --exit-zero-always "${files[@]}" > "$out/vnu.txt" 2>&1
skipped='skipping [0-9]* heading level'
errors=$(grep -c -v -e "$skipped" "$out/vnu.txt" || true)
echo "Nu HTML checker: ${#files[@]} pages, $errors errors ($(grep -c -e "$skipped" "$out/vnu.txt" || true) heading-level skips in the authors' outlines not counted; $out/vnu.txt)"
if [ "$errors" -ne 0 ]; then
    grep -v -e "$skipped" "$out/vnu.txt" | head -20
    exit 1
fi
