PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test tools slow-clients lint clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/gia seed
	$(BIN)/gia run

test: $(STAMP) tools
	$(BIN)/pytest -q

# Debian's Chromium for the browser tests (tests/browser; Playwright's own browser download
# is not used) and nginx, the buffering proxy of compose, for its tests and the slow-clients
# bench. Nothing to do where they are installed; without them those tests are skipped.
tools:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	[ -z "$$missing" ] || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing$$missing with apt-get"; \
	    { apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; } \
	      || echo "could not install$$missing: the tests that need them will be skipped"; \
	  else \
	    echo "some tests need$$missing: sudo apt-get install$$missing"; \
	  fi; }

slow-clients: $(STAMP) tools
	$(BIN)/python bench/slow_clients.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) var
