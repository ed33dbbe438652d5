PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test tools slow-clients faults lint lock clean

# Exactly the locked set, checked against its hashes (make lock updates it); then the
# project itself, without resolving its dependencies again.
$(STAMP): pyproject.toml requirements.lock requirements-dev.lock
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# Rewrites both lock files from pyproject.toml, keeping every pin that still fits; commit
# both. Newer versions: make lock LOCK_FLAGS=--upgrade (or --upgrade-package NAME).
# Universal, so the markers hold on every Python >= 3.11 and platform; the runtime lock
# takes its versions from the dev lock, so the two always agree.
LOCK_FLAGS ?=
UV_COMPILE := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock" --quiet
lock: $(STAMP)
	$(UV_COMPILE) --extra dev $(LOCK_FLAGS) -o requirements-dev.lock
	$(UV_COMPILE) -c requirements-dev.lock -o requirements.lock

run: $(STAMP)
	$(BIN)/gia seed
	$(BIN)/gia run

# deptry twice: all code, tests and benches included, against everything declared; then the
# runtime code alone against the runtime dependencies, which are all the image has.
test: $(STAMP) tools
	$(BIN)/deptry .
	$(BIN)/deptry gia shared services deploy --optional-dependencies-dev-groups dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
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

# Faults under load on a three-node RabbitMQ cluster of its own (rabbitmq-server installed,
# local PostgreSQL and Redis as for the tests): exit 1 on any event lost or counted twice.
faults: $(STAMP)
	$(BIN)/python bench/faults.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

clean:
	rm -rf $(VENV) var
