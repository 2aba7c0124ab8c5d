# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast test-browser test-opensearch bench dev-eval clean

# The install builds the native analysis core (native/, Rust) in place when cargo is there.
$(STAMP): pyproject.toml native/Cargo.toml $(wildcard native/src/*.rs)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Index the shipped seeds and serve the web page and the JSON API on 127.0.0.1:8000.
run: $(STAMP)
	$(BIN)/fahras reindex seeds/
	$(BIN)/fahras serve

# Everything CI checks: the default suite (native analysis core required when
# cargo is on the machine), the Python chain alone, native against Python on
# every news article, then the real-browser and real-cluster suites.
EXPECT_NATIVE := $(if $(shell command -v cargo),1,0)

test: $(STAMP)
	FAHRAS_EXPECT_NATIVE=$(EXPECT_NATIVE) $(BIN)/pytest
	FAHRAS_NATIVE=0 $(BIN)/pytest -q tests/test_arabic_rules.py tests/test_analysis_properties.py tests/test_highlight_scan.py tests/test_golden.py tests/test_conflation.py
	FAHRAS_EXPECT_NATIVE=$(EXPECT_NATIVE) timeout 1800 $(BIN)/pytest -q -s -m native_corpus
	$(BIN)/pytest -m fuzz
	scripts/install-browser.sh
	$(BIN)/pytest -m browser
	scripts/opensearch-cluster.sh start
	$(BIN)/pytest -m opensearch; status=$$?; scripts/opensearch-cluster.sh stop; exit $$status

test-fast: $(STAMP)
	$(BIN)/pytest

# Fahras on Tantivy and on Whoosh against stock Whoosh: docs/performance.md (about an hour on two cores).
bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	scripts/install-wrk.sh
	$(BIN)/python -m benchmarks.run

dev-eval: $(STAMP)
	scripts/dev-eval.sh

clean:
	rm -rf $(VENV) var build *.egg-info native/target search/arabic/_native*.so
