# steadymind: `make run` sets up a fresh machine and starts the app; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# HOST and PORT override STEADYMIND_HOST/STEADYMIND_PORT (default http://127.0.0.1:8080).
HOST ?=
PORT ?=

.PHONY: run test lint imports bench bench-emotion bench-safety bench-companion bench-journal bench-practice bench-insights bench-coach bench-wearables promote install clean

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,lint,postgres,bench,audio,biofeedback,reports,hrv]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/steadymind db upgrade
	$(BIN)/steadymind serve $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

# The layer contracts first: a wrong-way import fails before any test runs.
test: imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# import-linter contracts in pyproject.toml; `training` is importable from the repository root.
imports: $(STAMP)
	PYTHONPATH=. $(BIN)/lint-imports --no-logo --cache-dir .import_linter_cache

lint: imports
	$(BIN)/ruff check src tests bench training
	$(BIN)/ruff format --check src tests bench training
	$(BIN)/mypy
	$(BIN)/mypy training

bench: bench-emotion bench-safety bench-companion bench-journal bench-practice bench-insights bench-coach bench-wearables

bench-emotion: $(STAMP)
	$(BIN)/python bench/bench_emotion.py $(BENCH_ARGS)

bench-safety: $(STAMP)
	$(BIN)/python bench/bench_safety.py $(BENCH_ARGS)

bench-companion: $(STAMP)
	$(BIN)/python bench/bench_companion.py $(BENCH_ARGS)

# One person's journal at 10,000 entries: list, count and search against decrypting everything.
bench-journal: $(STAMP)
	$(BIN)/python bench/bench_journal.py $(BENCH_ARGS)

# Guided practice: HRV against neurokit2, the resonance scan over 100 seeds, strap-to-pacer latency
# in Chromium, and rendering a 10-minute spoken session on one core.
bench-practice: $(STAMP)
	$(BIN)/python bench/bench_practice.py $(BENCH_ARGS)

# Patterns on simulated histories (planted and null), a 10-year Daylio import, the forecast
# against persistence (give STEADYMIND_ESM_DATA=path/to/ESMdata.csv for the public data set).
bench-insights: $(STAMP)
	$(BIN)/python bench/bench_insights.py $(BENCH_ARGS)

# Reminders (10,000 due in one minute across 1,000 people, through a loopback webhook, and again
# with a kill -9 of the worker), the recommender's regret and offline estimates, the app's checks.
bench-coach: $(STAMP)
	$(BIN)/python bench/bench_coach.py $(BENCH_ARGS)

# Wearables: a made-up 1 GB Apple Health export.xml, our import against xml.etree's iterparse
# (and lxml, healthkit-to-sqlite) in one run; re-import adds 0; overlapping devices.
bench-wearables: $(STAMP)
	$(BIN)/python bench/bench_wearables.py $(BENCH_ARGS)

# Copy a model that training/ built into build/models/$(MODEL)/ into src/steadymind/models/$(MODEL)/
# and write its manifest (sha256 of every file). Run from here so that `training` imports.
promote: $(STAMP)
	@test -n "$(MODEL)" || { echo "usage: make promote MODEL=<name> (a folder of build/models/)"; exit 2; }
	$(BIN)/python -m training.promote $(MODEL)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
