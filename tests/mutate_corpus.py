#!/usr/bin/env python3
"""Writes mutants of the shared corpus's pages: hostile or broken variants of real documents.

Usage: tests/mutate_corpus.py CONTENT_DIR OUT_DIR COUNT [SEED]

Each mutant is OUT_DIR/NNNNN-KIND.md: one corpus page (chosen in turn) with one mutation of
KIND applied (see MUTATIONS). The same arguments always give the same files, so a failure found
in CI can be reproduced from its file name. Used by tests/validate_epub.sh (the EPUB property
check: every mutant bindery converts with exit 0 must pass EPUBCheck) and by mutation
campaigns over all formats (tests/mutation_campaign.sh).
"""

import os
import random
import sys


def header_and_body(text):
    """Splits a Pelican-style page into its header lines and its body."""
    head, sep, body = text.partition("\n\n")
    if not sep:
        return [], text
    return head.split("\n"), body


def with_header_value(key, value):
    def mutate(text, rng):
        head, body = header_and_body(text)
        head = [line for line in head if not line.lower().startswith(key + ":")]
        head.insert(rng.randrange(len(head) + 1), f"{key}: {value(rng)}".rstrip())
        return "\n".join(head) + "\n\n" + body

    return mutate


def insert_in_body(snippet):
    """Inserts `snippet(rng)` at the start of a random body line."""

    def mutate(text, rng):
        head, body = header_and_body(text)
        lines = body.split("\n")
        at = rng.randrange(len(lines) + 1)
        lines.insert(at, snippet(rng))
        return ("\n".join(head) + "\n\n" if head else "") + "\n".join(lines)

    return mutate


def inline_in_paragraph(snippet):
    """Appends `snippet(rng)` to a random non-empty body line (inline context)."""

    def mutate(text, rng):
        head, body = header_and_body(text)
        lines = body.split("\n")
        candidates = [i for i, line in enumerate(lines) if line.strip() and not line.startswith(("    ", "```", "<"))]
        if not candidates:
            lines.append("Text " + snippet(rng))
        else:
            i = rng.choice(candidates)
            lines[i] = lines[i] + " " + snippet(rng)
        return ("\n".join(head) + "\n\n" if head else "") + "\n".join(lines)

    return mutate


def byte_flip(text, rng):
    data = bytearray(text.encode("utf-8"))
    for _ in range(rng.randint(1, 8)):
        if data:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(7)  # stays ASCII-ish
    return data.decode("utf-8", errors="replace")


def truncate(text, rng):
    return text[: rng.randrange(len(text) + 1)]


def delete_lines(text, rng):
    lines = text.split("\n")
    for _ in range(rng.randint(1, 5)):
        if len(lines) > 1:
            del lines[rng.randrange(len(lines))]
    return "\n".join(lines)


def duplicate_lines(text, rng):
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    lines[i:i] = [lines[i]] * rng.randint(2, 200)
    return "\n".join(lines)


def shuffle_lines(text, rng):
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    j = min(len(lines), i + rng.randint(2, 20))
    part = lines[i:j]
    rng.shuffle(part)
    lines[i:j] = part
    return "\n".join(lines)


def nested(open_tag, close_tag):
    def snippet(rng):
        n = rng.choice([150, 1000, 20000])
        return open_tag * n + "deep" + close_tag * n

    return snippet


def control_chars(rng):
    return "".join(rng.choice(["\u0001", "\u0008", "\u000b", "\u000c", "\u001f", "\u007f", "\u0085", "\u2028", "\ufffe", "\ud7ff"]) for _ in range(rng.randint(1, 6)))


def odd_line_endings(text, rng):
    return text.replace("\n", rng.choice(["\r\n", "\r", "\n\r", "\u2028"]))


def random_unicode(rng):
    return "".join(chr(rng.choice([rng.randrange(0x20, 0x7f), rng.randrange(0xa0, 0x2fff), rng.randrange(0x1f300, 0x1f6ff), 0x202e, 0x200d, 0x0301])) for _ in range(rng.randint(1, 40)))


BAD_URLS = [
    "https:/x", "https://exa\u0085mple.com", "http://", "https://a b/", "http://[::1", "https://host:port/",
    "ftp:relative", "https://..example.com", "//", "https://ex\u0001ample.com/", "http://example.com:99999999/",
    "mailto:", "javascript:alert(1)", "data:text/html,x", "#", "#frag ment", "page.html#", "%zz", "https://exa mple.com",
    "https://example.com/a b", "https://example.com/<>", "\u0000x",
]

SLUGS = ["", "..", "???", "/etc/passwd", "a" * 10000, "a" * 120, "ünïcödé slug", "CON", "a/b/c", "-", "x" * 256 + "/y"]
LANGS = ["", "en, fr", "english", "en_US", "x", "123", "en-", "-en", "zh-Hant-TW", "i-klingon", "x-private", "en--us", "a" * 9]

MUTATIONS = {
    "byte-flip": byte_flip,
    "truncate": truncate,
    "delete-lines": delete_lines,
    "duplicate-lines": duplicate_lines,
    "shuffle-lines": shuffle_lines,
    "odd-line-endings": odd_line_endings,
    "slug": with_header_value("slug", lambda rng: rng.choice(SLUGS)),
    "lang": with_header_value("lang", lambda rng: rng.choice(LANGS)),
    "empty-title": with_header_value("title", lambda rng: rng.choice(["", " ", "\t"])),
    "empty-category": with_header_value("category", lambda rng: ""),
    "long-title": with_header_value("title", lambda rng: "T" * rng.choice([1000, 100000])),
    "odd-title": with_header_value("title", random_unicode),
    "odd-date": with_header_value("date", lambda rng: rng.choice(["", "2020-13-45", "yesterday", "0000-00-00", "9999-12-31 25:61", "2020-02-30"])),
    "odd-author": with_header_value("author", lambda rng: rng.choice(["", ",", ";;", "<b>me</b>", "&amp;", random_unicode(rng)])),
    "odd-tags": with_header_value("tags", lambda rng: rng.choice(["", ",,,", " , ", "a,a,a", "<x>", "\u0085"])),
    "odd-cover": with_header_value("headerimage", lambda rng: rng.choice(["", "..", "/etc/passwd", "missing.png", "https://example.com/x.png", "img/"])),
    "many-header-lines": lambda text, rng: "title: Many\n" + "".join(f"k{i}: v\n" for i in range(rng.choice([100, 5000]))) + "\n" + header_and_body(text)[1],
    "control-chars-text": inline_in_paragraph(control_chars),
    "control-chars-url": inline_in_paragraph(lambda rng: f"[link](https://exa{control_chars(rng)}mple.com/)"),
    "bad-url": inline_in_paragraph(lambda rng: f"[link]({rng.choice(BAD_URLS)})"),
    "bad-url-html": inline_in_paragraph(lambda rng: f"<a href=\"{rng.choice(BAD_URLS)}\">link</a>"),
    "bad-image": inline_in_paragraph(lambda rng: f"![alt]({rng.choice(BAD_URLS + ['/img/nope.png', '../../../etc/passwd', 'x.svg'])})"),
    "deep-inline-html": inline_in_paragraph(nested("<em>", "</em>")),
    "deep-mixed-inline": inline_in_paragraph(lambda rng: "".join(rng.choice(["<b>", "<i>", "<a href=\"https://e.com/\">", "<span>", "<sub>"]) for _ in range(rng.choice([150, 5000]))) + "x"),
    "deep-emphasis": inline_in_paragraph(nested("*", "*")),
    "deep-quotes": insert_in_body(lambda rng: "> " * rng.choice([150, 5000]) + "deep"),
    "deep-lists": insert_in_body(lambda rng: "\n".join("  " * i + "- item" for i in range(rng.choice([150, 1000])))),
    "deep-divs": insert_in_body(nested("<div>", "</div>")),
    "script-inline": inline_in_paragraph(lambda rng: "<script>var s = '*x*' + [a](b);</script>"),
    "style-inline": inline_in_paragraph(lambda rng: "<style>p { color: red }</style>"),
    "script-block": insert_in_body(lambda rng: "\n<script>\nalert('x')\n</script>\n"),
    "iframe": insert_in_body(lambda rng: rng.choice(["\n<iframe src=\"https://example.com/\"></iframe>\n", "<object data=\"x\"></object>", "<embed src=\"x\">"])),
    "unclosed-html": inline_in_paragraph(lambda rng: rng.choice(["<div>", "<table><tr><td>", "<ul><li>", "<pre>", "<a href=\"x\">", "<!--", "<![CDATA[", "<?php"])),
    "entities": inline_in_paragraph(lambda rng: rng.choice(["&#0;", "&#xD800;", "&#x110000;", "&nosuch;", "&#65535;", "&#xFFFE;", "&amp"])),
    "html-ids": insert_in_body(lambda rng: rng.choice(["<div id=\"1 2\">x</div>", "<div id=\"\">x</div>", "<h2 id=\"a\">A</h2>\n<h2 id=\"a\">A</h2>", "<div id=\"-x\">y</div>"])),
    "long-line": inline_in_paragraph(lambda rng: "word " * rng.choice([10000, 100000])),
    "long-word": inline_in_paragraph(lambda rng: "x" * rng.choice([10000, 200000])),
    "long-link": inline_in_paragraph(lambda rng: "[a](https://example.com/" + "x" * rng.choice([2000, 20000]) + ")"),
    "wide-table": insert_in_body(lambda rng: "\n" + "\n".join("|" + "c|" * rng.choice([50, 2000]) for _ in range(3)) + "\n"),
    "table-junk": insert_in_body(lambda rng: "\n| a | b |\n|---|\n| 1 | 2 | 3 | 4 |\n"),
    "footnotes": insert_in_body(lambda rng: rng.choice(["[^a]\n\n[^a]: x\n[^a]: y", "[^missing]", "[^x]: " + "[^x]" * 10])),
    "heading-junk": insert_in_body(lambda rng: rng.choice(["# ", "####### seven", "# {#1}", "## x {#a .b}", "#" * 6 + " " + random_unicode(rng)])),
    "code-fence": insert_in_body(lambda rng: rng.choice(["```", "```python\n~~x", "~~~\n" + control_chars(rng) + "\n~~~", "```" + "a" * 500 + "\nx\n```"])),
    "unicode-junk": inline_in_paragraph(random_unicode),
    "yaml-header": lambda text, rng: "---\n" + rng.choice(["title: T\nx: [" * 1 + "]", "title: [a, b]\nslug: {x: y}", "title: 'T'\ntags: [a, , b]\nlang: [en]", "title:\n  - a\n  - b"]) + "\n---\n" + header_and_body(text)[1],
    "no-header": lambda text, rng: header_and_body(text)[1],
    "bom-and-nbsp": lambda text, rng: "\ufeff" + text.replace(" ", "\u00a0", rng.randint(1, 50)),
}


def main():
    content, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 12
    pages = sorted(
        os.path.join(root, name)
        for root, _, names in os.walk(content)
        for name in names
        if name.endswith(".markdown")
    )
    if not pages:
        sys.exit(f"no .markdown pages under {content}")
    os.makedirs(out, exist_ok=True)
    kinds = sorted(MUTATIONS)
    rng = random.Random(seed)
    for n in range(count):
        kind = kinds[n % len(kinds)]
        page = pages[(n // len(kinds) + n) % len(pages)]
        with open(page, encoding="utf-8") as f:
            text = f.read()
        mutant = MUTATIONS[kind](text, rng)
        with open(os.path.join(out, f"{n:05d}-{kind}.md"), "w", encoding="utf-8", errors="surrogatepass") as f:
            f.write(mutant)


if __name__ == "__main__":
    main()
