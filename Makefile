# Two commands: `make run` starts the whole product; `make test` runs every check.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint install bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

# axe-core for the browser tests' accessibility check, pinned in package-lock.json. Only
# the tests need Node; `make run` does not.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@command -v npm >/dev/null || { echo "make test needs Node.js and npm (apt-get install nodejs npm)" >&2; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

# A local .env with a random secret key; never committed.
.env: | $(BIN)/python
	$(BIN)/python -c "import secrets; open('.env', 'w').write(open('.env.example').read().replace('SECRET_KEY=\n', 'SECRET_KEY=' + secrets.token_urlsafe(50) + '\n', 1))"

run: install .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo
	@echo "  Public form:  http://127.0.0.1:8000/notices/new/"
	@echo "  Agent desk:   http://127.0.0.1:8000/admin/"
	@$(BIN)/python manage.py ensure_agent | sed 's/^/  /'
	@echo "  E-mail is written to var/mail/. Ctrl-C stops everything."
	@echo
	$(BIN)/honcho start --procfile Procfile

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint $(AXE)
	DJANGO_SETTINGS_MODULE=iija_compliance.settings_test $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n 2

# Benchmarks print figures and write JSON to var/; they are never part of `make test`.
bench: install
	$(BIN)/python bench/pdf_case_file.py
	$(BIN)/python bench/export_memory.py
	$(BIN)/python bench/reader_corpus.py
	$(BIN)/python bench/reader_urls.py
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/sweeps.py
	$(BIN)/python bench/intake.py
	$(BIN)/python bench/bulk.py
	$(BIN)/python bench/batch_lock.py
	$(BIN)/python bench/api_refusals.py
