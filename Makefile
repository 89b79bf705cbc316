# The commands the README names. `make run` and `make test` work on a fresh
# machine: they create .venv and install what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip -q --disable-pip-version-check
PORT ?= 8000
CHROMIUM := /usr/bin/chromium
DEV_SETTINGS := platforma.settings.dev
# `make test` runs the suite in this many processes (pytest-xdist), each test
# module whole in one of them (docs/testing.md#running-them).
TEST_WORKERS ?= 2

.PHONY: assets assets-check audit run test test-fast install install-dev messages browser lint lock bench-discussion bench-coediting nginx topology bench-load bench-pages bench-backup restore-drill

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml constraints.txt
	$(PIP) install -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed messages

install-dev: $(VENV)/.installed-dev messages

# Catalogues are compiled with Babel, so that no system gettext is needed.
messages: $(VENV)/.installed
	$(VENV)/bin/pybabel -q compile -d locale -D django

# The address in e-mails, calendars, the API and the sitemap follows PORT.
run: export BASE_URL ?= http://127.0.0.1:$(PORT)
run: install
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py createcachetable
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py migrate --noinput -v0
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py load_demo
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) manage.py collectstatic --noinput -v0
	@echo "Serving $(BASE_URL)/pl/ (Ctrl+C stops)"
	DJANGO_SETTINGS_MODULE=$(DEV_SETTINGS) $(PY) -m deploy.servers $(PORT)

# Browser tests drive Debian's Chromium; as root this installs it.
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else \
			echo "Chromium is missing: sudo apt-get install chromium" >&2; exit 1; \
		fi; \
	fi

lint: $(VENV)/.installed-dev node_modules/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	npx --no-install biome ci assets/editor

# The drafts' editor (assets/editor/) is bundled into static/js/editor.js,
# which is committed: `make run` needs no Node. Rebuild after changing the
# source or package.json; `make assets-check` (in `make test`) proves that
# the committed file is what `npm ci && make assets` makes.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed
	npm run --silent build

assets-check:
	bash assets/check-bundle.sh

test: install-dev browser lint assets-check
	DJANGO_SETTINGS_MODULE=platforma.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=platforma.settings.test $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest -n $(TEST_WORKERS) --dist load

# The inner loop: no browser, no test that starts processes of its own
# (docs/testing.md#running-them); `make test` before pushing.
test-fast: install-dev
	$(VENV)/bin/pytest -m "not e2e and not multiprocess"

lock: $(VENV)/bin/python
	$(PIP) install -e '.[dev]'
	( echo '# Locked versions for reproducible installs: pip install -c constraints.txt -e ".[dev]".'; \
	  echo '# Regenerate with `make lock` after changing pyproject.toml.'; \
	  $(VENV)/bin/pip freeze --exclude-editable | grep -v '^-e' ) > constraints.txt

# Live discussion under load: two workers on Redis against a bare websockets
# server (docs/benchmarks.md#make-bench-discussion); ends with one key=value line.
bench-discussion: install-dev
	$(PY) -m bench.discussion

# Co-editing: simulated authors on one draft through two daphne workers,
# Redis and the database, stepped 25..400, and the same against Hocuspocus
# (bench/hocuspocus/, npm ci from its lock file); ends with one key=value line
# (docs/benchmarks.md#make-bench-coediting). Quick: BENCH_STEPS=25,50 BENCH_SECONDS=10.
bench-coediting: install-dev
	cd bench/hocuspocus && npm ci --no-audit --no-fund --silent
	$(PY) -m bench.coediting

# The production topology on loopback ports: nginx (TLS) -> gunicorn (HTTP) and
# two daphne workers (/ws/), a task worker, PostgreSQL and Redis; smoke test;
# everything stopped at the end. As root this installs Debian's nginx.
nginx:
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; \
		else \
			echo "nginx is missing: sudo apt-get install nginx" >&2; exit 1; \
		fi; \
	fi

topology: install-dev nginx
	$(PY) -m deploy.topology

# The mixed workload (readers, members, chat) through that topology, ~60 s.
bench-load: install-dev nginx
	$(PY) -m bench.load

# Public pages under gunicorn (2 sync workers) on PostgreSQL and Redis against
# one static file; needs the servers at 127.0.0.1:5432 and :6379. As root this
# installs Debian's wrk.
bench-pages: install
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk; } || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
	bash bench/pages.sh

# Known vulnerabilities in the locked dependencies (needs PyPI's JSON API or
# OSV on the network; these machines reach neither, see docs/development.md).
audit: install-dev
	$(PIP) install pip-audit
	$(VENV)/bin/pip-audit --strict --requirement constraints.txt

# Backup and restore of 1,000,000 messages and 100,000 versions on PostgreSQL
# (needs the server at 127.0.0.1:5432); ends with one key=value line.
bench-backup: install-dev
	$(PY) -m bench.backup

# Back up, restore into a scratch database, compare row counts and file
# checksums (the site is not touched): for operators to schedule, with the
# site's environment (DJANGO_SETTINGS_MODULE, DATABASE_URL, MEDIA_ROOT).
restore-drill: install
	$(PY) manage.py restore_drill
