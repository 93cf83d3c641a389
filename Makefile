# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export DEVZONE_HOME ?= $(CURDIR)/.devzone

# dbt's manifest, from which Dagster builds the dbt assets: made here (dagster-dbt's own
# prepare step), not when the definitions are imported; remade when a file of the project changes.
MANIFEST := dbt_project/target/manifest.json
DBT_FILES := dbt_project/dbt_project.yml dbt_project/profiles.yml \
	$(shell find dbt_project/models dbt_project/seeds dbt_project/macros dbt_project/tests -type f)

# The static files of the Great Expectations Data Docs pages (Bootstrap, jQuery, Font Awesome, ...):
# npm packages at the exact versions GX's pages name, each checked against the sha512 integrity in
# the lock file, fetched once with npm (never at run time); the gate copies them into each home's site.
VENDOR := vendor/data_docs/.complete

.PHONY: run test lint lint-sql format ui automation app docs bench bench-run bench-corrections bench-scaling bench-app bench-ocr real-eval ocr-eval screenshots clean

$(INSTALLED): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $(INSTALLED)

$(MANIFEST): $(INSTALLED) $(DBT_FILES)
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/dagster-dbt project prepare-and-package --file orchestration/project.py
	touch $(MANIFEST)

$(VENDOR): vendor/data_docs.lock.json vendor/fetch.py
	$(PYTHON) vendor/fetch.py

run: $(MANIFEST) $(VENDOR)
	$(BIN)/devzone run --all --samples samples/reports
	@echo
	@echo "Open the Dagster UI on this instance: make ui  (then http://127.0.0.1:3000)"

# on two processes (pytest-xdist); tests/conftest.py says how the tests are shared out
test: $(MANIFEST) $(VENDOR)
	$(BIN)/python -m pytest -q -n 2

# ruff (lint and format), mypy on the domain package, sqlfluff on the dbt project (CI runs this
# before the tests). `make format` rewrites what `ruff format` would.
lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(MAKE) --no-print-directory lint-sql

lint-sql: $(INSTALLED)
	$(BIN)/sqlfluff lint --processes 2 dbt_project/models dbt_project/macros dbt_project/tests

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

ui: $(MANIFEST)
	$(BIN)/python -c "from orchestration.runner import instance; instance()"
	DAGSTER_HOME=$(DEVZONE_HOME)/dagster $(BIN)/dagster dev -h 127.0.0.1 -p 3000

# Dagster starts schedules and sensors stopped: switch on the monthly schedule and both sensors in
# the home's instance (the daemon of `make ui` then evaluates them)
automation: $(MANIFEST)
	$(BIN)/python -c "from orchestration.runner import instance; instance()"
	DAGSTER_HOME=$(DEVZONE_HOME)/dagster $(BIN)/dagster schedule start --start-all -m orchestration.definitions
	DAGSTER_HOME=$(DEVZONE_HOME)/dagster $(BIN)/dagster sensor start --start-all -m orchestration.definitions

# dbt's documentation site (one static index.html; the serving file and the app as exposures) in
# $(DEVZONE_HOME)/dbt_docs/, generated on a copy of the warehouse (after make run)
docs: $(MANIFEST)
	$(BIN)/python -m orchestration.dbt_docs

app: $(INSTALLED)
	$(BIN)/streamlit run app/streamlit_app.py --server.headless true --server.address 127.0.0.1 \
		--browser.gatherUsageStats false

bench: $(INSTALLED)
	$(BIN)/python bench/extraction_throughput.py

# wall time of `devzone run`: one month with one report (goal 20 s) and a 120-month backfill (240 s)
bench-run: $(MANIFEST) $(VENDOR)
	$(BIN)/python bench/run_timing.py --backfill

# what 1,000 corrections cost a 120-month backfill (goal: at most 10% more than none)
bench-corrections: $(MANIFEST) $(VENDOR)
	$(BIN)/python bench/corrections_cost.py

# extraction time against a report's size: 1, 4, 16 and 50 MB (goal: 50 MB in under 60 s)
bench-scaling: $(INSTALLED)
	$(BIN)/python bench/extraction_scaling.py

# precision/recall on the real pages of samples/real/ whose texts are present (see samples/real/README.md)
real-eval: $(INSTALLED)
	$(BIN)/python bench/real_eval.py

# the seed rendered as a scanned PDF, OCR'd and scored (exit 1 below precision 0.97 / recall 0.95)
ocr-eval: $(INSTALLED)
	$(BIN)/python bench/seed_scan.py

# OCR's cost: pages a minute, a month with a 10-page scan (first run, re-run), 4 files on 1 and 2 processes
bench-ocr: $(MANIFEST)
	$(BIN)/python bench/ocr_speed.py

# every app page's render time on 10 years x 11 cities (builds /tmp/devzone-bench-app-10y once, ~7 min)
bench-app: $(MANIFEST)
	$(BIN)/python bench/app_render.py

# screenshots of every page of the app on $(DEVZONE_HOME), in headless Chromium (apt-get install chromium fonts-noto-cjk)
screenshots: $(INSTALLED)
	$(BIN)/python bench/app_screenshots.py --out $(DEVZONE_HOME)/screenshots

clean:
	rm -rf $(VENV) .devzone vendor/data_docs
