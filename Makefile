# The README's commands: `make demo` and `make test` set up a fresh machine from nothing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install demo test browser clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(INSTALLED)

install: $(INSTALLED)

demo: $(INSTALLED)
	$(BIN)/archiver demo

test: $(INSTALLED) browser
	$(BIN)/python -m pytest

# The browser tests drive Debian's Chromium through Playwright (never `playwright install`).
browser: $(CHROMIUM)
	@$(CHROMIUM) --version 2>/dev/null || { echo "make: $(CHROMIUM) does not start" >&2; exit 1; }

$(CHROMIUM):
	@$(SUDO) env DEBIAN_FRONTEND=noninteractive sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium' \
	  || { echo "make: could not install Debian's chromium, which the browser tests need: install it (apt-get install chromium) and run make test again" >&2; exit 1; }
	@test -x $@ || { echo "make: the chromium package did not provide $@" >&2; exit 1; }

clean:
	rm -rf $(VENV) build *.egg-info data/demo.db data/demo.db-* data/demo.jsonl data/demo-reader data/demo-media
