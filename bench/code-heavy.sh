#!/usr/bin/env bash
# `make bench` (third part, issue 13): the code-heavy input (bench/code-heavy.py, about 700
# pages and 4 MB of code in fenced blocks) through the release binary: HTML in one process,
# `bindery build` site + text (cold), and one EPUB; wall and CPU time and peak memory of each.
# `perf stat` is used when present (task-clock is steadier than wall time on a shared machine).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/target/release/bindery
input=$root/target/bench/code-heavy
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
[ -x "$bin" ] || cargo build --release --manifest-path "$root/Cargo.toml"
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
[ -d "$input/content/pages" ] || python3 "$root/bench/code-heavy.py" "$input"
pages=("$input"/content/pages/*.md)

run() {
    local label=$1; shift
    /usr/bin/time -f "$label: %e s wall, %U s user, %S s sys, %M KB peak" "$@" -q 2>&1 | tail -1
}
echo "code-heavy: ${#pages[@]} pages, $(cat "${pages[@]}" | wc -c) bytes of Markdown, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
run "html, one process" "$bin" convert "${pages[@]}" --to html -o "$out/html/"
run "build site,text (cold)" "$bin" build "$input/content" -o "$out/build" --formats site,text
run "build site,text (warm)" "$bin" build "$input/content" -o "$out/build" --formats site,text
run "epub" "$bin" convert "${pages[@]}" --title "Code tour" -o "$out/book.epub"
run "seed html" "$bin" convert "$root/../shared/seeds/000_8e844e437c2c703a.txt" -o "$out/seed.html"
