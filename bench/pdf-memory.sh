#!/usr/bin/env bash
# `make bench` (PDF part, issue 11): peak memory and time of the corpus as one PDF book, and of
# the same corpus copied 10 times into one book (about 2,000 pages). Targets: under 150 MB and
# under 400 MB peak resident memory.
#   bash bench/pdf-memory.sh          both books
#   PDF_MEMORY_COPIES=N               copies in the big book (default 10)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpus=${BINDERY_CORPUS:-$root/../shared/corpus/fullstackpython}
bin=${BINDERY_BIN:-$root/target/release/bindery}
copies=${PDF_MEMORY_COPIES:-10}
[ -d "$corpus/content" ] || { echo "needs the shared corpus at $corpus" >&2; exit 1; }
[ -x "$bin" ] || cargo build --release --locked --manifest-path "$root/Cargo.toml"
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The corpus pages in the order bench/compare.py gives them; the big book has each page
# `copies` times, every copy in its own folder (later copies' chapters get
# numbered slugs, with a warning each).
mapfile -t pages < <(ls "$corpus"/content/pages/*/*.markdown "$corpus"/content/posts/*.markdown)
big=()
for n in $(seq 1 "$copies"); do
    cp -r "$corpus/content" "$work/copy$n"
    big+=("$work/copy$n"/pages/*/*.markdown "$work/copy$n"/posts/*.markdown)
done

measure() {
    local label=$1 out=$2; shift 2
    /usr/bin/time -f "%M %U %e" -o "$work/time" "$bin" convert "$@" --title "Full Stack Python" \
        --resource-path "$corpus/static" -o "$out" -q
    read -r kb user wall < "$work/time"
    pages=$(pdfinfo "$out" 2>/dev/null | awk '/^Pages:/ {print $2}')
    printf '%s: %s pages, %.1f MB peak RSS, %s s user, %s s wall\n' \
        "$label" "${pages:-?}" "$(echo "$kb / 1000" | bc -l)" "$user" "$wall"
}
echo "PDF memory ($(nproc) cores):"
measure "corpus book (${#pages[@]} pages)" "$work/book.pdf" "${pages[@]}"
measure "corpus x$copies book (${#big[@]} pages)" "$work/big.pdf" "${big[@]}"
