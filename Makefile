# 重点任务督查督办系统 — the two commands of the README, and a few more.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/taskboard
PYTEST_ARGS ?=
BACKUP_DIR ?= data/backups
LOADTEST_ARGS ?=

.PHONY: run test test-pg test-sqlite lint format bench install system-deps loadtest backup restore clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "需要 Python 3.11 或更高版本")'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed

## make run: set up and start web, Celery worker and beat on embedded defaults.
run: install
	bin/system-deps
	$(PY) manage.py migrate --noinput
	$(PY) manage.py bootstrap
	@echo "系统地址：http://127.0.0.1:8000  （Ctrl-C 停止）"
	$(VENV)/bin/honcho -f Procfile.dev start

system-deps:
	bin/system-deps --with-office

## make test: lint, then the whole suite on PostgreSQL + Redis, then once on SQLite.
test: install system-deps lint test-pg test-sqlite

test-pg: install
	@if $(PY) -c 'import socket; socket.create_connection(("127.0.0.1", 5432), 1)' 2>/dev/null; then \
		echo "== PostgreSQL + Redis =="; \
		TASKBOARD_EXPECT_DB=postgresql DATABASE_URL=$(PG_URL) $(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS); \
	elif [ "$$CI" = "true" ]; then \
		echo "CI 需要 PostgreSQL（127.0.0.1:5432），但它不可用" >&2; exit 1; \
	else \
		echo "PostgreSQL 不可用：跳过 PostgreSQL 轮次（CI 中会判为失败）"; \
	fi

test-sqlite: install
	@echo "== SQLite =="
	env -u DATABASE_URL TASKBOARD_EXPECT_DB=sqlite $(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## make bench: province-scale benchmarks; results to docs/benchmarks.md and bench/results.json.
bench: install
	$(PY) bench/run.py

## make loadtest: deadline day, 200 reporters against gunicorn + PostgreSQL + Redis; figures to docs/benchmarks.md.
loadtest: install
	$(PY) loadtest/run.py $(LOADTEST_ARGS)

## make backup: database and uploaded files into $(BACKUP_DIR)/taskboard-<date>-<time>/ (README, "Backups").
backup: install
	$(PY) bin/backup --dir "$(BACKUP_DIR)"

## make restore FROM=<backup folder> [FORCE=1]: into an empty database and media folder.
restore: install
	@test -n "$(FROM)" || { echo "用法：make restore FROM=备份目录 [FORCE=1]" >&2; exit 2; }
	$(PY) bin/restore "$(FROM)" $(if $(FORCE),--force)

clean:
	rm -rf data test-output
