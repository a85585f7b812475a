# Tatulyq — the commands a newcomer needs. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
PY        := $(VENV)/bin/python
MANAGE    := $(PY) manage.py
HOST      ?= 127.0.0.1
PORT      ?= 8000
# The newest Python >= 3.12 on this machine (Django 6 needs 3.12+).
PYTHON_FOR_VENV := $(shell for p in python3.14 python3.13 python3.12 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v $$p; break; }; done)

.PHONY: help run test bench lock lint messages messages-update system-deps venv clean

help:
	@echo "make run    - install, migrate, load demo data, serve http://$(HOST):$(PORT)"
	@echo "make test   - the whole test suite (DATABASE_URL selects the database)"
	@echo "make bench  - the benchmarks in benchmarks/ (one JSON line each)"
	@echo "make lint   - ruff"

$(VENV)/.installed: requirements.lock pyproject.toml
	@if [ -z "$(PYTHON_FOR_VENV)" ]; then \
	  echo "Tatulyq needs Python 3.12 or newer (Django 6). Install it (e.g. 'pyenv install 3.13') and retry." >&2; exit 1; fi
	@test -x $(PY) || $(PYTHON_FOR_VENV) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

venv: $(VENV)/.installed

# System packages the Python packages rely on: gettext (compilemessages), Pango (WeasyPrint),
# fonts with Kazakh letters, Debian's Chromium (browser tests). Installed only when missing.
SYSTEM_PACKAGES := gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-core
system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES) $(EXTRA_SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Please install these system packages: $$missing" >&2; exit 1; fi; \
	fi

messages: venv system-deps
	@$(MANAGE) compilemessages --ignore=.venv --ignore=var -v 0

# After changing user-facing strings: refresh the catalogues, then translate the new entries.
messages-update: venv
	$(MANAGE) makemessages -l kk -l ru --ignore=.venv --ignore=var --ignore=benchmarks \
	  --ignore=tests --ignore=conftest.py --no-location

run: venv system-deps messages
	@mkdir -p var
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) collectstatic --noinput -v 0
	$(MANAGE) load_demo
	@echo "Tatulyq: http://$(HOST):$(PORT)/  (demo accounts: see README.md; Ctrl-C stops)"
	@trap 'kill 0' EXIT; \
	$(MANAGE) schedule_reminders; $(MANAGE) db_worker --queue-name '*' & \
	$(VENV)/bin/gunicorn tatulyq.wsgi --bind $(HOST):$(PORT) --workers 2 --threads 4 \
	  --access-logfile - --error-logfile -

test: venv
	@$(MAKE) --no-print-directory system-deps EXTRA_SYSTEM_PACKAGES="chromium poppler-utils"
	@$(MAKE) --no-print-directory messages
	$(PY) -m pytest $(PYTEST_ARGS)

bench: venv messages
	$(PY) benchmarks/run.py $(BENCH_ARGS)

lint: venv
	$(VENV)/bin/ruff check tatulyq benchmarks tests

# Regenerate requirements.lock from pyproject.toml in a throwaway venv.
lock:
	rm -rf var/lockenv && $(PYTHON_FOR_VENV) -m venv var/lockenv
	var/lockenv/bin/python -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
	  print("\n".join(p["dependencies"] + p["optional-dependencies"]["dev"]))' > var/direct.txt
	var/lockenv/bin/pip install --quiet --disable-pip-version-check -r var/direct.txt
	var/lockenv/bin/pip freeze | sort -f > requirements.lock
	rm -rf var/lockenv

clean:
	rm -rf $(VENV) staticfiles
