#!/usr/bin/env bash
# `make validate`: external validators on bindery's outputs.
# - EPUBCheck 5 on both seeds, every corpus page as its own EPUB, and the corpus as one book
#   (tests/validate_epub.sh; 0 fatal / 0 errors / 0 warnings required);
# - qpdf --check and pdffonts on the seed, every corpus page and the corpus as one book PDF;
# - page-validation (PyPI) for PDF/UA-1 and PDF/A-2b on both seeds, the feature tour, the
#   scripts sample, the mdBook sample (input/guide) and the corpus as one book, made with
#   --pdf-standard ua-1,a-2b: 0 failed rules required;
# - the Nu HTML checker on the seeds, every corpus page (also --sanitize) and the built site
#   (tests/validate_html.sh; needs npm and Java).
# (Word-order extraction and layout checks of the PDFs run in `make test`, tests/pdf.rs.)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${BINDERY_SHARED:-$root/../shared}
corpus=$shared/corpus/fullstackpython
out=$root/target/validate
mkdir -p "$out/pdf"

bash "$root/tests/validate_epub.sh" "$out/epub"
if grep -v -e '^0 fatal / 0 errors / 0 warnings' -e '^0 of [0-9]* files not clean' \
    "$out/epub/epubcheck.txt" | grep -q .; then
    echo "EPUBCheck reported problems (see $out/epub/epubcheck.txt)"
    exit 1
fi
echo "EPUBCheck: $(grep -c '^0 fatal / 0 errors / 0 warnings' "$out/epub/epubcheck.txt") EPUBs clean"

cargo build -q --release --manifest-path "$root/Cargo.toml"
bin=$root/target/release/bindery
mapfile -t pages < <(find "$corpus/content" -name '*.markdown' | sort)
"$bin" convert -q "$shared/seeds/000_8e844e437c2c703a.txt" -o "$out/pdf/seed.pdf" --resource-path "$corpus/static"
for page in "${pages[@]}"; do
    "$bin" convert -q "$page" -o "$out/pdf/$(basename "$page" .markdown).pdf" --resource-path "$corpus/static"
done
"$bin" convert -q "${pages[@]}" --sort --title "Full Stack Python" -o "$out/pdf/book.pdf" --resource-path "$corpus/static"
# Conforming files: both seeds, the feature tour, the corpus as one book.
standard=(--pdf-standard ua-1,a-2b)
conforming=()
for seed in "$shared"/seeds/*.txt; do
    name=$out/pdf/$(basename "$seed" .txt)-ua.pdf
    "$bin" convert -q "$seed" -o "$name" --resource-path "$corpus/static" "${standard[@]}"
    conforming+=("$name")
done
"$bin" convert -q "$root/input/feature-tour.md" -o "$out/pdf/feature-tour-ua.pdf" \
    --resource-path "$root/input" "${standard[@]}"
"$bin" convert -q "${pages[@]}" --sort --title "Full Stack Python" -o "$out/pdf/book-ua.pdf" \
    --resource-path "$corpus/static" "${standard[@]}"
# The samples in other scripts and the mdBook (with SVG figures) of input/.
"$bin" convert -q "$root/input/scripts.md" -o "$out/pdf/scripts-ua.pdf" "${standard[@]}"
"$bin" convert -q "$root/input/guide/src/SUMMARY.md" -o "$out/pdf/guide-ua.pdf" "${standard[@]}"
conforming+=("$out/pdf/feature-tour-ua.pdf" "$out/pdf/book-ua.pdf" "$out/pdf/scripts-ua.pdf"
    "$out/pdf/guide-ua.pdf")
failed=0
python3 - "${conforming[@]}" <<'PY' || failed=1
import re, sys
import page
bad = 0
for path in sys.argv[1:]:
    for profile in ("ua1", "2b"):
        report = str(page.validate_pdf(path, profile=profile))
        m = re.search(r"Rules: (\d+) passed, (\d+) failed", report)
        if not m or m.group(2) != "0":
            bad = 1
            print(f"page-validation {profile} failed on {path}:\n{report}")
print(f"page-validation: {len(sys.argv) - 1} PDFs checked for PDF/UA-1 and PDF/A-2b")
sys.exit(bad)
PY
for pdf in "$out"/pdf/*.pdf; do
    if ! qpdf --check "$pdf" >/dev/null 2>&1; then
        echo "qpdf --check failed: $pdf"; failed=1
    fi
    # Every font embedded (emb) and subset (sub): columns after the encoding.
    if pdffonts "$pdf" | tail -n +3 | awk '{ if ($(NF-4) != "yes" || $(NF-3) != "yes") bad=1 } END { exit bad }'; then :; else
        echo "a font is not embedded and subset: $pdf"; failed=1
    fi
done
echo "PDF: $(ls "$out"/pdf/*.pdf | wc -l) files checked with qpdf and pdffonts"
bash "$root/tests/validate_html.sh" "$out/html" || failed=1
exit $failed
