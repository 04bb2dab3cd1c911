# bindery's Makefile.
#   make             build the release binary and convert every sample in input/ into output/
#   make test        run the test suite
#   make conformance run the CommonMark spec examples through reader -> model -> HTML writer
#   make clean       remove build products and outputs
#
# Conversions are pattern rules, one process per file, so `make -j2` works and only changed
# inputs are rebuilt.

CARGO   ?= cargo
BINDERY := target/release/bindery

SOURCES := $(wildcard input/*.txt input/*.md input/*.markdown)
NAMES   := $(sort $(basename $(notdir $(SOURCES))))
HTML    := $(NAMES:%=output/%.html)
TEXT    := $(NAMES:%=output/%.txt)

.PHONY: all test conformance bench clean
.DELETE_ON_ERROR:

all: $(HTML) $(TEXT)

$(BINDERY): Cargo.toml Cargo.lock $(shell find src -type f)
	$(CARGO) build --release --locked
	@touch $@

output/%.html: input/%.txt $(BINDERY)
	$(BINDERY) convert $< -o $@
output/%.html: input/%.md $(BINDERY)
	$(BINDERY) convert $< -o $@
output/%.html: input/%.markdown $(BINDERY)
	$(BINDERY) convert $< -o $@

output/%.txt: input/%.txt $(BINDERY)
	$(BINDERY) convert $< -o $@
output/%.txt: input/%.md $(BINDERY)
	$(BINDERY) convert $< -o $@
output/%.txt: input/%.markdown $(BINDERY)
	$(BINDERY) convert $< -o $@

test:
	$(CARGO) test --locked

conformance:
	bash tests/conformance/fetch.sh
	BINDERY_SPEC_JSON=target/conformance/spec.json $(CARGO) test --locked --test conformance -- --ignored --nocapture

bench:
	$(CARGO) bench --locked --bench pipeline

clean:
	$(CARGO) clean
	find output -mindepth 1 ! -name .gitkeep -delete
