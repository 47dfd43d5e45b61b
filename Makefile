# make run: set up .venv, build the demo site and open the app.
# make test: set up .venv with the test extra and run the whole suite.
# make lint: ruff, mypy (strict, the GUI included; see pyproject.toml) and the import rules
# (tests/test_layering.py); the gates .ci/run runs first.
# make wheel-check: build the wheel, install it (not editable) into a fresh venv, self-test it.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

WHEEL_CHECK := build/wheel-check

.PHONY: run test lint bench build wheel-check clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,build]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/bekasi-field demo

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) -m pytest -q -p no:cacheprovider tests/test_layering.py

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks

build: $(STAMP)
	$(VENV)/bin/pyinstaller --noconfirm build.spec

# From / so nothing can come from the checkout: the wheel alone must carry its resources.
wheel-check: $(STAMP)
	rm -rf $(WHEEL_CHECK) build/lib  # build/lib: setuptools would reuse stale files
	$(PY) -m pip wheel -q --no-deps -w $(WHEEL_CHECK)/dist .
	$(PYTHON) -m venv $(WHEEL_CHECK)/venv
	$(WHEEL_CHECK)/venv/bin/python -m pip install -q $(WHEEL_CHECK)/dist/bekasi_field-*.whl
	cd / && QT_QPA_PLATFORM=offscreen $(CURDIR)/$(WHEEL_CHECK)/venv/bin/bekasi-field --self-test

clean:
	rm -rf $(VENV) build dist
