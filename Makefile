# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export DEVZONE_HOME ?= $(CURDIR)/.devzone

.PHONY: run test ui app bench clean

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

clean:
	rm -rf $(VENV) .devzone
