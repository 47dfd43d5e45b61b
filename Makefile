# make run: set up .venv, build the demo site and open the app.
# make test: set up .venv with the test extra and run the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test bench build clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,build]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/bekasi-field demo

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks

build: $(STAMP)
	$(VENV)/bin/pyinstaller --noconfirm build.spec

clean:
	rm -rf $(VENV) build dist
