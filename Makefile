# Two commands: `make run` serves the portal with demo data; `make test` runs the whole suite.
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
# Two workers on the two cores this project's machines have.
PYTEST_WORKERS ?= 2

.PHONY: run test lint format setup setup-test migrate demo bench check-deploy audit lock mutate clean

setup:
	@bash scripts/bootstrap.sh

setup-test:
	@bash scripts/bootstrap.sh --test

migrate: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py ensure_signing_key

demo: migrate
	$(PY) manage.py load_demo

run: demo
	@echo "==> 门户地址：http://127.0.0.1:$(PORT)/  （Ctrl-C 停止）"
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} PORTAL_BASE_URL=$${PORTAL_BASE_URL:-http://127.0.0.1:$(PORT)} \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup-test
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# ruff's lint and format check, and the contracts between the apps (pyproject.toml, [tool.importlinter]).
lint: setup-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# Rewrite the code as ruff formats it and apply its safe fixes (import order and the like).
format: setup-test
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-deploy: setup
	PORTAL_PRODUCTION=1 DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) \
	DJANGO_ALLOWED_HOSTS=portal.example.cn $(PY) manage.py check --deploy --fail-level WARNING

# Known vulnerabilities in the locked dependencies (fails when a fixed release exists).
audit: setup-test
	$(PY) scripts/audit_deps.py

# Mutation testing of the rule modules and the services ([tool.mutmut] in pyproject.toml); prints the
# score per module. A tool to run when a rule changes, not part of `make test` (all of it: hours on two
# cores). ONLY narrows it to mutant names, e.g. `make mutate ONLY='evaluation.outcomes*'`.
ONLY ?=
mutate: setup-test
	$(VENV)/bin/mutmut run --max-children $(PYTEST_WORKERS) $(ONLY) || true
	$(PY) scripts/mutation_report.py $(ONLY)

# Rewrite requirements.lock from what .venv has installed.
lock:
	@{ sed -n '1,3p' requirements.lock; $(VENV)/bin/pip freeze --exclude-editable | grep -v -i -E '^(pyflakes|pilot-portal)=='; } > requirements.lock.new
	@mv requirements.lock.new requirements.lock

# Report figures on the scale dataset (20,000 applications), one `name: value` line each.
bench: setup
	$(PY) scripts/bench.py

clean:
	rm -rf $(VENV) staticfiles mutants
