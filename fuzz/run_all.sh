#!/bin/sh
# Runs every fuzz target in turn, niced, for SECONDS each (default 600), keeping the logs in
# fuzz/logs/. Usage: fuzz/run_all.sh [SECONDS] [TARGET...]
set -u
cd "$(dirname "$0")"
seconds=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-"frontmatter markdown plain_text raw_html write_html write_text write_epub write_pdf"}
mkdir -p logs
for t in $targets; do
    mkdir -p "corpus/$t"
    RUSTC_BOOTSTRAP=1 CARGO_BUILD_JOBS=1 nice -n 10 cargo fuzz run -s none -a "$t" "corpus/$t" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        > "logs/$t.log" 2>&1
    echo "$t: exit $? $(grep -E '^#[0-9]+' "logs/$t.log" | tail -1)"
done
