# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test bench clean

$(INSTALLED): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $(INSTALLED)

run: $(INSTALLED)
	$(BIN)/devzone extract --summary samples/reports/*/*

test: $(INSTALLED)
	$(BIN)/python -m pytest -q

bench: $(INSTALLED)
	$(BIN)/python bench/extraction_throughput.py

clean:
	rm -rf $(VENV) .devzone
