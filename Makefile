# The README's commands: `make demo` and `make test` set up a fresh machine from nothing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: install demo test clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(INSTALLED)

install: $(INSTALLED)

demo: $(INSTALLED)
	$(BIN)/archiver demo

test: $(INSTALLED)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build *.egg-info data/demo.db data/demo.db-* data/demo.jsonl
