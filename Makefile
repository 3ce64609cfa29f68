# The README's commands: `make demo` and `make test` set up a fresh machine from nothing.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# The tests' pywb (tests/warc), in a venv of its own: see its target below.
PYWB := $(VENV)/pywb/bin/wayback

CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install demo test browser replaywebpage clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(INSTALLED)

install: $(INSTALLED)

demo: $(INSTALLED)
	$(BIN)/archiver demo

test: $(INSTALLED) browser $(PYWB) replaywebpage
	$(BIN)/python -m pytest

# pywb replays the exported WARC/WACZ in tests/warc: in a venv of its own, since it installs a top-level package
# named `tests` that would shadow ours in the project's venv.
$(PYWB):
	$(PYTHON) -m venv $(VENV)/pywb
	$(VENV)/pywb/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/pywb/bin/python -m pip install --quiet 'pywb>=2.8'

# The browser tests drive Debian's Chromium through Playwright (never `playwright install`).
browser: $(CHROMIUM)
	@$(CHROMIUM) --version 2>/dev/null || { echo "make: $(CHROMIUM) does not start" >&2; exit 1; }

$(CHROMIUM):
	@$(SUDO) env DEBIAN_FRONTEND=noninteractive sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium' \
	  || { echo "make: could not install Debian's chromium, which the browser tests need: install it (apt-get install chromium) and run make test again" >&2; exit 1; }
	@test -x $@ || { echo "make: the chromium package did not provide $@" >&2; exit 1; }

# ReplayWeb.page for its browser test (tests/warc/test_replaywebpage.py), pinned, in the venv (never global), fetched
# once: `npm pack` downloads the package's own tarball from the registry, unpacked as node_modules/replaywebpage. Its
# ui.js and sw.js are bundles that need none of its dependencies, which `npm install` would resolve (electron's among
# them) and which fail to resolve when the registry lacks one. npm comes from Debian when missing, like chromium.
REPLAYWEBPAGE_VERSION := 2.5.3
REPLAYWEBPAGE_DIR := $(VENV)/replaywebpage
REPLAYWEBPAGE := $(REPLAYWEBPAGE_DIR)/node_modules/replaywebpage/.installed-$(REPLAYWEBPAGE_VERSION)

replaywebpage: $(REPLAYWEBPAGE)

$(REPLAYWEBPAGE):
	@command -v npm >/dev/null 2>&1 || $(SUDO) env DEBIAN_FRONTEND=noninteractive sh -c 'apt-get update -qq && apt-get install -y -qq --no-install-recommends npm' \
	  || { echo "make: could not install Debian's npm, which fetches ReplayWeb.page for its test: install it (apt-get install npm) and run make test again" >&2; exit 1; }
	rm -rf $(REPLAYWEBPAGE_DIR) && mkdir -p $(@D)
	cd $(REPLAYWEBPAGE_DIR) && npm pack --silent replaywebpage@$(REPLAYWEBPAGE_VERSION) >/dev/null
	tar -xzf $(REPLAYWEBPAGE_DIR)/replaywebpage-$(REPLAYWEBPAGE_VERSION).tgz -C $(@D) --strip-components=1
	@test -s $(@D)/ui.js && test -s $(@D)/sw.js || { echo "make: replaywebpage@$(REPLAYWEBPAGE_VERSION) has no ui.js and sw.js" >&2; exit 1; }
	touch $@

# The benchmark of issue 12 (benchmarks/RESULTS.md): make bench [BENCH_OPTIONS="--posts 500 --runs 1"].
# A run with options writes data/bench/results-<options>.md (git-ignored), RESULTS.md only with --write-results.
# Bench-only tools, never needed by make test: trafilatura (the bench extra), and, best effort, Debian's
# nginx-light and wget; the bench serves with its own Python server and says "not measured" without them.
BENCH_OPTIONS ?=
.PHONY: bench bench-tools

bench: $(INSTALLED) bench-tools
	$(BIN)/python -m benchmarks.bench $(BENCH_OPTIONS)

bench-tools: $(INSTALLED)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	@{ command -v nginx && command -v wget; } >/dev/null 2>&1 || $(SUDO) env DEBIAN_FRONTEND=noninteractive sh -c \
	  'apt-get update -qq && { apt-get install -y -qq --no-install-recommends nginx-light || apt-get install -y -qq --no-install-recommends nginx; }; apt-get install -y -qq --no-install-recommends wget' \
	  || echo "make: could not install nginx or wget: the bench serves with its Python server, or says wget is not measured" >&2

clean:
	rm -rf $(VENV) build *.egg-info data/demo.db data/demo.db-* data/demo.jsonl data/demo-reader data/demo-media
