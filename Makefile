# CoderAcademy: `make run` serves the site with demo content on the embedded default
# (SQLite + a filesystem Celery broker); `make test` runs the whole suite, in parallel.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)
# Debian's Chromium drives the browser tests; Playwright never downloads a browser.
CHROMIUM := /usr/bin/chromium

.PHONY: run setup test lint format bench totp vendor clean screenshots

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) createcachetable
	$(MANAGE) load_demo

run: setup
	$(BIN)/honcho start -f Procfile

$(CHROMIUM):
	@command -v apt-get >/dev/null || { echo "Install Chromium at $(CHROMIUM) for the browser tests."; exit 1; }
	if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q chromium; \
	else sudo apt-get update -q && sudo apt-get install -y -q chromium; fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache --no-logo
	DJANGO_SETTINGS_MODULE=coderacademy.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=coderacademy.settings.test $(MANAGE) makemigrations --check --dry-run

# The suite runs on pytest-xdist workers, a file's tests together (tests/conftest.py:
# tests/support/scheduling.py); `make test WORKERS=0` runs it in one process.
WORKERS ?= 2
test: $(STAMP) $(CHROMIUM) lint
	$(BIN)/pytest --numprocesses=$(WORKERS) --durations=20

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

totp: $(STAMP)
	@$(MANAGE) totp_code $(EMAIL)

# Chart.js (served by the site) and axe-core (injected by the accessibility tests) come
# from the npm registry at the versions package-lock.json pins; the copies are committed
# so that `make run` and `make test` need no npm.
vendor:
	npm ci --no-audit --no-fund
	mkdir -p static/vendor/chartjs tests/support/vendor
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/LICENSE.md static/vendor/chartjs/
	cp node_modules/axe-core/axe.min.js tests/support/vendor/
	cp node_modules/axe-core/LICENSE tests/support/vendor/axe-core-LICENSE

clean:
	rm -rf $(VENV) var db.sqlite3 db.sqlite3-* static_collected

# The main pages at 1280 and 375 px, as the demo learner and instructor see them,
# saved as docs/screenshots/<page>-<width>.png (docs/accessibility.md).
screenshots: setup $(CHROMIUM)
	$(BIN)/python tools/screenshots.py
