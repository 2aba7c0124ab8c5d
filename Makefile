# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast test-browser test-opensearch bench dev-eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Index the shipped seeds and serve the web page and the JSON API on 127.0.0.1:8000.
run: $(STAMP)
	$(BIN)/fahras reindex seeds/
	$(BIN)/fahras serve

# Everything CI checks: the default suite, then the real-browser and real-cluster suites.
test: $(STAMP)
	$(BIN)/pytest
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
	rm -rf $(VENV) var build *.egg-info
