#!/usr/bin/env bash
# Fetches the CommonMark spec examples for tests/conformance.rs.
#
# Installs the `commonmark-spec` npm package into target/conformance/ (gitignored: the spec
# text is not ours to commit) and dumps its examples as JSON to target/conformance/spec.json:
# an array of {markdown, html, section, number} objects (the package's `tests` export, with
# the spec's visible-tab arrows turned back into tabs).
set -euo pipefail

VERSION="${COMMONMARK_SPEC_VERSION:-0.31.2}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DIR="$ROOT/target/conformance"
mkdir -p "$DIR"

if [ ! -f "$DIR/node_modules/commonmark-spec/package.json" ] ||
    [ "$(node -p "require('$DIR/node_modules/commonmark-spec/package.json').version")" != "$VERSION" ]; then
    # --no-save/--no-package-lock: keep no manifest around; only the package itself is needed.
    npm install --silent --no-audit --no-fund --no-save --no-package-lock \
        --prefix "$DIR" "commonmark-spec@$VERSION"
fi

node -e '
const spec = require(process.argv[1]);
// spec.txt shows tabs as "→" (U+2192); the reference runner (spec_tests.py) turns them back
// into tabs in both the Markdown and the expected HTML, and so do we.
const tab = s => s.replace(/\u2192/g, "\t");
const tests = spec.tests.map(t => ({
  number: t.number, section: t.section, markdown: tab(t.markdown), html: tab(t.html),
}));
require("fs").writeFileSync(process.argv[2], JSON.stringify(tests, null, 1));
console.error(`wrote ${tests.length} examples (commonmark-spec ${process.argv[3]}) to ${process.argv[2]}`);
' "$DIR/node_modules/commonmark-spec" "$DIR/spec.json" "$VERSION"
