# Two commands on a fresh machine with Python 3.10+, pip and make:
#   make demo   set up .venv and write a default quiz (sheets and keys) into quiz-demo/
#   make test   set up .venv with the test extras and run the whole suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test check sweep bench install clean

DEMO_OUT ?= quiz-demo

demo: install  ## a default quiz: printable sheets and keys with worked solutions
	$(BIN)/convzoo quiz --format html --out $(DEMO_OUT) --force
	@echo "Open $(DEMO_OUT)/sheets.html (question sheet) and $(DEMO_OUT)/keys.html (answer key) in a browser."

# The suite runs what `pip install .` installs (a wheel of the checkout as it is now), never the checkout itself.
# Over every core (pytest-xdist), a test file in one worker, so that what its module makes once is made once; the
# files in the order tests/conftest.py puts them (the slowest first), not xdist's (the most tests first)
test: install $(VENV)/.installed-test .cache/node/.installed
	$(BIN)/python -m pytest -n auto --dist loadfile --no-loadscope-reorder

# The house rules: ruff's linter and formatter over the checkout, mypy over the package. mypy reads the package
# as `convzoo` through a link, because the checkout's top level is the package (pyproject's package-dir).
check: $(VENV)/.installed-check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@mkdir -p .cache/mypy && ln -sfn ../.. .cache/mypy/convzoo
	cd .cache/mypy && ../../$(BIN)/mypy --config-file ../../pyproject.toml -p convzoo

$(VENV)/.installed-check: pyproject.toml | $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --no-build-isolation '.[check]'
	@touch $@

sweep: install $(VENV)/.installed-test  ## the large random engine-vs-Keras sweep
	$(BIN)/python -m pytest -m sweep

bench: install
	$(BIN)/python benchmarks/cli_latency.py
	$(BIN)/python benchmarks/quiz_speed.py
	$(BIN)/python benchmarks/verify_scale.py
	$(BIN)/python benchmarks/grade_speed.py
	$(BIN)/python benchmarks/explore_latency.py
	$(BIN)/python benchmarks/scan_accuracy.py
	$(BIN)/python benchmarks/scan_digits.py

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || \
		{ echo "convzoo needs Python 3.10 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip 'setuptools>=77'

# The dependencies, once (again when pyproject.toml changes); builds use the venv's setuptools, so no network
# is needed for them.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet 'setuptools>=77'
	$(BIN)/python -m pip install --quiet --no-build-isolation .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/.installed
	$(BIN)/python -m pip install --quiet --no-build-isolation '.[test]'
	@touch $@

# convzoo itself, every time: a fresh wheel of the checkout, installed (not editable)
install: $(VENV)/.installed
	@rm -rf build  # setuptools' build/lib keeps files the checkout no longer has; they must not reach the wheel
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --force-reinstall .

# An independent GIFT parser for the export tests (npm's gift-pegjs); skipped, and the test says so, without npm.
.cache/node/.installed:
	@mkdir -p .cache/node
	@if command -v npm >/dev/null 2>&1; then \
		npm install --silent --no-audit --no-fund --prefix .cache/node gift-pegjs@1.0.2 && touch $@; \
	else echo "npm not found: the GIFT parser test will skip"; fi

clean:
	rm -rf $(VENV) .cache build *.egg-info
