# One command to set up and run, one to test. See README.md.
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: setup browser axe postgres cache demo run test lint bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium)

# axe-core for the accessibility browser test (tests/e2e/test_accessibility.py), from the npm registry, kept
# in .cache (git-ignored) so the test injects it offline.
AXE_VERSION := 4.14.1
axe:
	@test -f .cache/npm/node_modules/axe-core/axe.min.js || npm install --no-save --no-audit --no-fund --prefix .cache/npm axe-core@$(AXE_VERSION)

# A throwaway PostgreSQL 15 server on 127.0.0.1 for the PostgreSQL store and query tests (run as an
# unprivileged user when make runs as root); its URL goes to .cache/postgres.url.
postgres:
	scripts/postgres-up

cache: setup
	$(PY) -m equity build-reference --if-missing

demo: cache
	$(PY) -m equity demo --if-empty

run: demo
	$(PY) -m ui.serve app.py --server.port $(PORT) --server.headless true $(STREAMLIT_FLAGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy --ignore-missing-imports equity charts data geo publish cli

test: setup browser axe postgres cache lint
	$(PY) -m pytest -q

bench: cache
	$(PY) -m bench

clean:
	rm -rf .cache
