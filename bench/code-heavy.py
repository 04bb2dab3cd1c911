#!/usr/bin/env python3
"""Generates the code-heavy benchmark input (issue 13): about 700 front-matter Markdown pages
in the shared corpus's Pelican style, each a few short paragraphs around fenced blocks of real
code found on this machine (Python's standard library, Rust crates in the cargo registry, npm's
JavaScript, shell scripts, YAML/TOML/HTML files in the registry) plus SQL, Dockerfile and
console sessions written here. About 4 MB of code in fenced blocks.

    python3 bench/code-heavy.py [OUT_DIR]     (default target/bench/code-heavy)

The output is deterministic for a given set of files on the machine (files are taken in sorted
order, every random choice comes from a fixed seed); the cargo registry grows as crates are
downloaded, which changes the selection, so the printed summary is what to quote with numbers.
It is not committed: it is generated into target/. Prints the page count and the bytes of code
per language.
"""

import glob
import os
import random
import shutil
import sys

PAGES = 700
CODE_BYTES = 4_400_000
MAX_BLOCK_LINES = 70
MAX_FILE_BYTES = 40_000

PYTHON_LIB = "/root/.pyenv/versions/3.11.7/lib/python3.11"
CARGO_SRC = os.path.expanduser("~/.cargo/registry/src")

# Share of the code bytes per language; the info strings include the mdBook/rustdoc forms
# (`rust,ignore`, `python title="x.py"`) that a language must be read from.
SHARES = [
    ("python", 0.33),
    ("rust", 0.25),
    ("javascript", 0.10),
    ("bash", 0.07),
    ("yaml", 0.06),
    ("toml", 0.05),
    ("sql", 0.04),
    ("html", 0.04),
    ("dockerfile", 0.02),
    ("console", 0.02),
    ("json", 0.02),
]

WORDS = ("the a this function module returns value list reads writes configuration server "
         "request handler database query table client test build deploy cache index file "
         "path error type field struct class method loop option parser token stream").split()


def files(patterns, roots):
    found = []
    for root in roots:
        for pattern in patterns:
            found += glob.glob(os.path.join(root, "**", pattern), recursive=True)
    out = []
    for path in sorted(set(found)):
        try:
            if os.path.isfile(path) and 200 < os.path.getsize(path) <= MAX_FILE_BYTES:
                out.append(path)
        except OSError:
            pass
    return out


def read(path):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError):
        return None
    # A fence inside the code would end the block; `~~` at a line start is bindery's line mark.
    if "```" in text or "\r" in text:
        return None
    lines = [l for l in text.split("\n") if not l.startswith("~~")]
    return "\n".join(lines)


SQL = [
    """CREATE TABLE users (
    id          BIGSERIAL PRIMARY KEY,
    email       TEXT NOT NULL UNIQUE,
    name        VARCHAR(120),
    created_at  TIMESTAMP WITH TIME ZONE DEFAULT now(),
    is_active   BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE INDEX users_created_at_idx ON users (created_at DESC);
-- Orders reference users; deleting a user keeps the orders for accounting.
CREATE TABLE orders (
    id        BIGSERIAL PRIMARY KEY,
    user_id   BIGINT REFERENCES users (id) ON DELETE SET NULL,
    total     NUMERIC(12, 2) NOT NULL CHECK (total >= 0),
    status    TEXT NOT NULL DEFAULT 'pending'
);""",
    """SELECT u.name,
       count(o.id)            AS orders,
       coalesce(sum(o.total), 0) AS revenue
FROM users AS u
LEFT JOIN orders AS o ON o.user_id = u.id AND o.status <> 'cancelled'
WHERE u.created_at >= DATE '2024-01-01'
GROUP BY u.name
HAVING count(o.id) > 3
ORDER BY revenue DESC
LIMIT 20;""",
    """BEGIN;
UPDATE accounts SET balance = balance - 100.00 WHERE id = 1;
UPDATE accounts SET balance = balance + 100.00 WHERE id = 2;
INSERT INTO transfers (from_id, to_id, amount, note)
VALUES (1, 2, 100.00, 'rent for March'), (3, 4, 12.50, NULL);
/* Both rows or neither. */
COMMIT;

WITH recent AS (
    SELECT * FROM events WHERE happened_at > now() - INTERVAL '7 days'
)
SELECT kind, count(*) FROM recent GROUP BY kind;""",
]

DOCKERFILES = [
    """# syntax=docker/dockerfile:1
FROM python:3.12-slim AS base
ENV PYTHONDONTWRITEBYTECODE=1 \\
    PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
EXPOSE 8000
USER nobody
CMD ["gunicorn", "app.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]""",
    """FROM rust:1.83 AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && echo 'fn main() {}' > src/main.rs && cargo build --release
COPY src ./src
RUN touch src/main.rs && cargo build --release

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \\
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/server /usr/local/bin/server
ENTRYPOINT ["/usr/local/bin/server"]""",
]

CONSOLE = [
    """$ python -m venv .venv
$ source .venv/bin/activate
(.venv) $ pip install flask
Collecting flask
  Downloading flask-3.0.3-py3-none-any.whl (101 kB)
Installing collected packages: werkzeug, itsdangerous, click, blinker, flask
Successfully installed blinker-1.8.2 click-8.1.7 flask-3.0.3 itsdangerous-2.2.0 werkzeug-3.0.3
$ flask --app hello run
 * Serving Flask app 'hello'
 * Running on http://127.0.0.1:5000 (Press CTRL+C to quit)""",
    """$ cargo new --lib demo && cd demo
     Created library `demo` package
$ cargo test
   Compiling demo v0.1.0 (/home/user/demo)
    Finished test [unoptimized + debuginfo] target(s) in 0.42s
     Running unittests src/lib.rs (target/debug/deps/demo-1a2b3c)

running 1 test
test tests::it_works ... ok

test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out
$ git status --short
?? Cargo.lock""",
]


def sources():
    registry = sorted(glob.glob(os.path.join(CARGO_SRC, "*")))
    npm = ["/usr/lib/node_modules/npm", "/usr/share/nodejs", "/usr/lib/node_modules/corepack"]
    shell_roots = registry + ["/usr/share", "/root/.pyenv/plugins", "/root/.pyenv/libexec"]
    return {
        "python": files(["*.py"], [PYTHON_LIB + "/" + d for d in
                                   ("asyncio", "email", "http", "json", "logging", "unittest",
                                    "urllib", "importlib", "concurrent", "xml", "sqlite3",
                                    "collections", "")]),
        "rust": files(["*.rs"], registry),
        "javascript": files(["*.js"], npm),
        "bash": files(["*.sh", "*.bash"], shell_roots),
        "yaml": files(["*.yml", "*.yaml"], registry),
        "toml": files(["Cargo.toml", "*.toml"], registry),
        "html": files(["*.html"], registry + [PYTHON_LIB]),
        "json": files(["*.json"], registry),
        "sql": None,
        "dockerfile": None,
        "console": None,
    }


def chunks(text):
    """Splits a file into blocks of at most MAX_BLOCK_LINES lines, at blank lines if possible."""
    lines = text.strip("\n").split("\n")
    start = 0
    while start < len(lines):
        end = min(start + MAX_BLOCK_LINES, len(lines))
        if end < len(lines):
            for cut in range(end, start + MAX_BLOCK_LINES // 2, -1):
                if not lines[cut - 1].strip():
                    end = cut
                    break
        block = "\n".join(lines[start:end]).strip("\n")
        if block.strip():
            yield block
        start = end


def blocks_for(language, paths, budget, rng):
    """Yields (info string, code) until `budget` bytes of `language` code are produced."""
    total = 0
    written = {"sql": SQL, "dockerfile": DOCKERFILES, "console": CONSOLE}
    if paths is None:
        i = 0
        while total < budget:
            code = written[language][i % len(written[language])]
            i += 1
            total += len(code) + 1
            yield language, code
        return
    # Interleave files from across the sorted list so every crate or package is represented.
    order = list(range(len(paths)))
    rng.shuffle(order)
    for index in order:
        text = read(paths[index])
        if text is None:
            continue
        for code in chunks(text):
            info = language
            name = os.path.basename(paths[index])
            if language == "rust" and rng.random() < 0.15:
                info = rng.choice(["rust,ignore", "rust,no_run", "rs"])
            elif language == "python" and rng.random() < 0.1:
                info = f'python title="{name}"'
            total += len(code) + 1
            yield info, code
            if total >= budget:
                return


def sentence(rng, n):
    words = [rng.choice(WORDS) for _ in range(n)]
    words[0] = words[0].capitalize()
    if rng.random() < 0.3:
        words[rng.randrange(1, n)] = f"`{rng.choice(WORDS)}()`"
    if rng.random() < 0.2:
        w = rng.randrange(1, n)
        words[w] = f"[{words[w]}](/{rng.choice(WORDS)}.html)"
    return " ".join(words) + "."


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "target/bench/code-heavy"
    rng = random.Random(13)
    found = sources()
    all_blocks = []
    per_language = {}
    for language, share in SHARES:
        paths = found[language]
        if paths is not None and not paths:
            print(f"code-heavy: no {language} files found on this machine", file=sys.stderr)
            continue
        got = list(blocks_for(language, paths, int(CODE_BYTES * share), rng))
        per_language[language] = (len(got), sum(len(c) + 1 for _, c in got))
        all_blocks += got
    rng.shuffle(all_blocks)

    content = os.path.join(out, "content")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(os.path.join(content, "pages"))
    per_page = len(all_blocks) / PAGES
    markdown_bytes = 0
    for page in range(PAGES):
        mine = all_blocks[int(page * per_page):int((page + 1) * per_page)]
        title = f"Code tour {page + 1:03}: {' '.join(rng.choice(WORDS) for _ in range(3))}"
        parts = [
            f"title: {title}\ncategory: page\nslug: code-tour-{page + 1:03}\n"
            f"sortorder: {page + 1:04}\nmeta: {sentence(rng, 12)}\n\n",
            f"# {title}\n\n{sentence(rng, 18)} {sentence(rng, 10)}\n",
        ]
        for n, (info, code) in enumerate(mine):
            if n and n % 3 == 0:
                parts.append(f"\n## Part {n // 3 + 1}\n")
            parts.append(f"\n{sentence(rng, rng.randrange(8, 25))}\n\n```{info}\n{code}\n```\n")
        parts.append(f"\n{sentence(rng, 14)}\n")
        text = "".join(parts)
        markdown_bytes += len(text.encode())
        with open(os.path.join(content, "pages", f"code-tour-{page + 1:03}.md"), "w",
                  encoding="utf-8") as f:
            f.write(text)

    code_bytes = sum(b for _, b in per_language.values())
    print(f"code-heavy: {PAGES} pages in {content}, {markdown_bytes / 1e6:.2f} MB of Markdown, "
          f"{code_bytes / 1e6:.2f} MB of code in {len(all_blocks)} blocks")
    for language, (blocks, size) in per_language.items():
        print(f"  {language:<11} {blocks:5} blocks {size / 1e3:8.0f} kB")


if __name__ == "__main__":
    main()
