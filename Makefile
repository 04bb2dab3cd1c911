# bindery's Makefile.
#   make              build the release binary and convert every sample in input/ into output/
#                     (HTML, text, EPUB and PDF per file, then the whole folder with `bindery build`)
#   make test         run the test suite
#   make conformance  CommonMark spec examples through reader -> model -> HTML writer
#   make validate     EPUBCheck on the EPUBs, qpdf/pdffonts on the PDFs, the Nu HTML checker on
#                     the HTML (needs Java and npm; see .ci/run)
#   make bench        criterion micro-benchmarks of each stage and of highlighting per language,
#                     a cold/warm build of the corpus, the code-heavy input (bench/code-heavy.py), and
#                     the PDF's peak memory on the corpus book and on the corpus copied 10 times
#   make bench-compare  bindery against pandoc on the same work; writes BENCHMARKS.md
#   make man          the manual page, target/man/bindery.1 (`man -l target/man/bindery.1`)
#   make clean        remove build products and outputs
#
# Two styles of use, both shown here:
# 1. Per-file pattern rules: one process per output, each writing a depfile (`--depfile`) that
#    lists what it read (images, templates), so `make -j2` works and only what changed is redone.
# 2. One `bindery build` of the whole folder, which is incremental by itself.
# input/guide/ is an mdBook (book.toml, src/SUMMARY.md): one EPUB and one PDF of it by
# `convert`, and its site by `build`.

CARGO   ?= cargo
BINDERY := target/release/bindery
# Site-absolute image paths (/img/logos/py.png) are looked up under input/.
RESOURCES := --resource-path input

SOURCES := $(wildcard input/*.txt input/*.md input/*.markdown)
NAMES   := $(sort $(basename $(notdir $(SOURCES))))
OUTPUTS := $(foreach n,$(NAMES),output/$(n).html output/$(n).txt output/$(n).epub output/$(n).pdf)

GUIDE := input/guide

.PHONY: all test conformance validate deny bench clean site guide man
.DELETE_ON_ERROR:

all: $(OUTPUTS) site guide

$(BINDERY): Cargo.toml Cargo.lock $(shell find src -type f)
	$(CARGO) build --release --locked
	@touch $@

# Style 1: pattern rules with depfiles.
define convert_rules
output/%.$(1): input/%.txt $(BINDERY)
	$(BINDERY) convert $$< -o $$@ $(RESOURCES) --depfile $$@.d
output/%.$(1): input/%.md $(BINDERY)
	$(BINDERY) convert $$< -o $$@ $(RESOURCES) --depfile $$@.d
output/%.$(1): input/%.markdown $(BINDERY)
	$(BINDERY) convert $$< -o $$@ $(RESOURCES) --depfile $$@.d
endef
$(foreach ext,html txt epub pdf,$(eval $(call convert_rules,$(ext))))

-include $(wildcard output/*.d)

# Style 2: the whole folder in one incremental process (settings in input/bindery.toml).
site: $(BINDERY)
	$(BINDERY) build -c input/bindery.toml -o output/book --depfile output/book.d

# The mdBook: a book per format from its summary, and its site.
output/guide.epub output/guide.pdf: output/guide.%: $(GUIDE)/src/SUMMARY.md $(BINDERY)
	$(BINDERY) convert $< -o $@ --depfile $@.d
guide: output/guide.epub output/guide.pdf $(BINDERY)
	$(BINDERY) build $(GUIDE)/src -o output/guide --formats site --depfile output/guide.d

test:
	$(CARGO) test --locked

# The manual page, from the same definitions as --help.
man: $(BINDERY)
	mkdir -p target/man
	$(BINDERY) man > target/man/bindery.1

conformance:
	bash tests/conformance/fetch.sh
	BINDERY_SPEC_JSON=target/conformance/spec.json $(CARGO) test --locked --test conformance -- --ignored --nocapture

validate:
	bash tests/validate.sh

deny:
	bash tests/deny.sh

bench: $(BINDERY)
	$(CARGO) bench --locked --bench pipeline
	$(CARGO) bench --locked --bench highlight
	bash bench/build-corpus.sh
	bash bench/code-heavy.sh
	bash bench/pdf-memory.sh

include bench/Makefile.fragment

clean:
	$(CARGO) clean
	find output -mindepth 1 ! -name .gitkeep -delete
