# Two commands: `make run` starts the whole product; `make test` runs every check.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# make run PORT=8080
PORT ?= 8000
# Tests to leave out, by what they need (README): DMCA_TEST_SKIP=chromium,dovecot
comma := ,
SKIP := $(subst $(comma), ,$(DMCA_TEST_SKIP))

.PHONY: run test lint install bench run-packages test-packages port

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

# The Debian packages, from the one list in bin/debian-packages; it installs what is missing
# or stops with the command to run.
run-packages:
	@bin/debian-packages run

test-packages:
	@bin/debian-packages test

# At once, before anything starts: is 127.0.0.1:$(PORT) free?
port:
	@$(PYTHON) bin/port-free '$(PORT)'

# axe-core for the browser tests' accessibility check, pinned in package-lock.json. Only
# the tests need Node; `make run` does not.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# A local .env with a random secret key; never committed.
.env: | $(BIN)/python
	$(BIN)/python -c "import secrets; open('.env', 'w').write(open('.env.example').read().replace('SECRET_KEY=\n', 'SECRET_KEY=' + secrets.token_urlsafe(50) + '\n', 1))"

run: port run-packages install .env
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo
	@echo "  Public form:  http://127.0.0.1:$(PORT)/notices/new/"
	@echo "  Agent desk:   http://127.0.0.1:$(PORT)/admin/"
	@$(BIN)/python manage.py ensure_agent | sed 's/^/  /'
	@echo "  E-mail is written to var/mail/. Ctrl-C stops everything."
	@echo
	@# Links in letters lead to this port; a SITE_URL in .env wins (honcho reads .env last).
	SITE_URL=http://127.0.0.1:$(PORT) $(BIN)/honcho start --procfile Procfile --port $(PORT)

# The layering of notices/ and counternotices/: the contracts in pyproject.toml.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: test-packages lint $(if $(filter node,$(SKIP)),,$(AXE))
	@# The check needs no database; an empty one spares the warning that the test
	@# database's base name does not exist on the server.
	DJANGO_SETTINGS_MODULE=iija_compliance.settings_test DATABASE_URL=sqlite://:memory: \
	  $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n 2

# Benchmarks print figures and write JSON to var/; they are never part of `make test`.
bench: install
	$(BIN)/python bench/pdf_case_file.py
	$(BIN)/python bench/export_memory.py
	$(BIN)/python bench/reader_corpus.py
	$(BIN)/python bench/reader_urls.py
	$(BIN)/python bench/network_samples.py
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/sweeps.py
	$(BIN)/python bench/intake.py
	$(BIN)/python bench/bulk.py
	$(BIN)/python bench/network_intake.py --mails 10000
	$(BIN)/python bench/network_digest.py
	$(BIN)/python bench/batch_lock.py
	$(BIN)/python bench/api_refusals.py
