# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export DEVZONE_HOME ?= $(CURDIR)/.devzone

.PHONY: run test ui app bench bench-scaling bench-app real-eval screenshots clean

$(INSTALLED): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $(INSTALLED)

run: $(INSTALLED)
	$(BIN)/devzone run --all --samples samples/reports
	@echo
	@echo "Open the Dagster UI on this instance: make ui  (then http://127.0.0.1:3000)"

test: $(INSTALLED)
	$(BIN)/python -m pytest -q

ui: $(INSTALLED)
	$(BIN)/python -c "from orchestration.runner import instance; instance()"
	DAGSTER_HOME=$(DEVZONE_HOME)/dagster $(BIN)/dagster dev -h 127.0.0.1 -p 3000

app: $(INSTALLED)
	$(BIN)/streamlit run app/streamlit_app.py --server.headless true --server.address 127.0.0.1 \
		--browser.gatherUsageStats false

bench: $(INSTALLED)
	$(BIN)/python bench/extraction_throughput.py

# extraction time against a report's size: 1, 4, 16 and 50 MB (goal: 50 MB in under 60 s)
bench-scaling: $(INSTALLED)
	$(BIN)/python bench/extraction_scaling.py

# precision/recall on the real pages of samples/real/ whose texts are present (see samples/real/README.md)
real-eval: $(INSTALLED)
	$(BIN)/python bench/real_eval.py

# every app page's render time on 10 years x 11 cities (builds /tmp/devzone-bench-app-10y once, ~7 min)
bench-app: $(INSTALLED)
	$(BIN)/python bench/app_render.py

# screenshots of every page of the app on $(DEVZONE_HOME), in headless Chromium (apt-get install chromium fonts-noto-cjk)
screenshots: $(INSTALLED)
	$(BIN)/python bench/app_screenshots.py --out $(DEVZONE_HOME)/screenshots

clean:
	rm -rf $(VENV) .devzone
