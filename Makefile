# InvoiceVault: `make run` starts the application, `make test` runs every test.
# Both create .venv and install the pinned, hash-checked dependencies when needed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
LOCKS := requirements/runtime.txt requirements/dev.txt
PIP_COMPILE := .venv-lock/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras

.PHONY: run test lint bench screenshots system-packages lock clean

$(INSTALLED): $(LOCKS) pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements/runtime.txt -r requirements/dev.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation --editable .
	@touch $@

system-packages:
	@scripts/ensure-system-packages

run: $(INSTALLED)
	$(VENV)/bin/invoicevault $(ARGS)

test: $(INSTALLED) system-packages
	QT_QPA_PLATFORM=offscreen scripts/with-secret-service $(PY) -m pytest $(PYTEST_ARGS)

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Pictures of every section of a demo vault, an issued invoice, the editor and the first
# start of a new vault, into docs/screenshots/app-*.png.
screenshots: $(INSTALLED) system-packages
	xvfb-run -a -s "-screen 0 1280x800x24" $(PY) scripts/screenshots.py

bench: $(INSTALLED)
	scripts/ensure-system-packages --bench
	$(PY) -m benchmarks

# Re-pin the dependencies after editing requirements/*.in.
lock:
	@test -x .venv-lock/bin/pip-compile || ($(PYTHON) -m venv .venv-lock && .venv-lock/bin/pip install --quiet pip-tools)
	cd requirements && ../$(PIP_COMPILE) -o runtime.txt runtime.in && ../$(PIP_COMPILE) -o dev.txt dev.in

clean:
	rm -rf $(VENV) .venv-lock .pytest_cache .ruff_cache .hypothesis
