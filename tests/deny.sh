#!/usr/bin/env bash
# `make deny`: cargo-deny's checks of the dependency tree against deny.toml: licenses, banned
# and duplicate crates, sources, and (when the database can be fetched) RustSec advisories.
# Installs cargo-deny from crates.io when it is missing (about 5 minutes on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-deny >/dev/null || cargo install --locked cargo-deny@0.20.2
cargo deny --locked check bans licenses sources
# The advisory database is a git repository on github.com, which some machines (this project's
# CI among them) cannot reach: then the check says so instead of passing in silence.
if cargo deny fetch db >/dev/null 2>&1; then
    cargo deny --locked check advisories
else
    echo "cargo deny: advisories NOT checked: the RustSec database (github.com/RustSec/advisory-db) cannot be fetched from here" >&2
    if [ -n "${BINDERY_REQUIRE_ADVISORIES:-}" ]; then
        exit 1
    fi
fi
