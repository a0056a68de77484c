# Two commands on a fresh machine with Python 3.10+, pip and make:
#   make demo   set up .venv and run the main job on built-in defaults
#   make test   set up .venv with the test extras and run the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test sweep bench clean

demo: $(VENV)/.installed
	$(BIN)/convzoo zoo summary lenet5

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

sweep: $(VENV)/.installed-test  ## the large random engine-vs-Keras sweep
	$(BIN)/python -m pytest -m sweep

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/cli_latency.py

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || \
		{ echo "convzoo needs Python 3.10 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) build *.egg-info
