# The two Quickstart commands (README.md) and the common tasks.
# Every target installs what it needs first, so each works on a fresh machine.
PYTHON ?= python3
PIP = $(PYTHON) -m pip install --quiet --disable-pip-version-check

.PHONY: demo test lint format benchmark install

install:
	$(PIP) -e ".[cpu,video,plots]"

demo: install
	$(PYTHON) -m keras_grurcn demo

test:
	$(PIP) -c .ci/constraints.txt -e ".[cpu,video,plots,captions,beam,test]"
	$(PYTHON) -m ruff check keras_grurcn tests benchmarks scripts
	$(PYTHON) -m ruff format --check keras_grurcn tests benchmarks scripts
	$(PYTHON) -m pytest -n 2 tests
	KERAS_BACKEND=jax $(PYTHON) -m pytest -n 2 tests/layers

lint:
	$(PYTHON) -m ruff check keras_grurcn tests benchmarks scripts

format:
	$(PYTHON) -m ruff format keras_grurcn tests benchmarks scripts
	$(PYTHON) -m ruff check --fix keras_grurcn tests benchmarks scripts

benchmark: install
	$(PYTHON) benchmarks/convgru_vs_convlstm.py
	$(PYTHON) benchmarks/data_pipeline.py
