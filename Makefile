PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test browser lint clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/gia seed
	$(BIN)/gia run

test: $(STAMP) browser
	$(BIN)/pytest -q

# Debian's Chromium for the browser tests (tests/browser): Playwright's own browser download
# is not used. Nothing to do where it is installed; without it those tests are skipped.
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    { apt-get update -qq && apt-get install -y -qq chromium; } \
	      || echo "could not install chromium: the browser tests will be skipped"; \
	  else \
	    echo "the browser tests need chromium: sudo apt-get install chromium"; \
	  fi; }

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) var
