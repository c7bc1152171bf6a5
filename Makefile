# Shopkeeper: `make run` to try it, `make test` to check it. `make` alone lists the targets.
#
# Needs only python3 (3.11), make and git: uv is installed into .tools/ when it is not on
# PATH, and PostgreSQL/Redis are started under var/ when none answer (scripts/services.sh).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

TOOLS_UV := $(CURDIR)/.tools/bin/uv
UV := $(or $(shell command -v uv 2>/dev/null),$(TOOLS_UV))
RUN := $(UV) run --frozen
export UV

.PHONY: help env check-port run test lint messages migrate bench reliability services services-stop clean distclean

help: ## list the targets
	@echo "Shopkeeper — make <target>:"
	awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# uv itself, only when it is not on PATH: a private venv (or, without python3-venv, a pip
# --target folder) under the git-ignored .tools/.
$(TOOLS_UV):
	@echo "uv is not on PATH; installing it into .tools/ (git-ignored)"
	if python3 -m venv .tools 2>/dev/null; then
		.tools/bin/pip install --quiet --disable-pip-version-check uv
	else
		echo "(python3 -m venv is unavailable: using pip install --target)"
		rm -rf .tools && mkdir -p .tools/bin
		python3 -m pip install --quiet --disable-pip-version-check --target .tools/uv-pkg uv
		ln -sf ../uv-pkg/bin/uv .tools/bin/uv
	fi
	"$(TOOLS_UV)" --version

env: $(UV) ## create or update .venv exactly as uv.lock says (the packing slips' CJK font, the tests' Chromium)
	@$(UV) sync --frozen
	bash scripts/fonts.sh
	bash scripts/browser.sh

services: ## make sure PostgreSQL and Redis answer (starts project-local ones under var/)
	@started="$$(bash scripts/services.sh start)"
	if [[ -n "$$started" ]]; then
		echo "Started project-local: $$(echo $$started). Stop them with: make services-stop"
	fi

services-stop: ## stop the project-local PostgreSQL/Redis started by this Makefile (never others)
	@bash scripts/services.sh stop

migrate: env services ## create roles and database if missing, then apply migrations
	@$(RUN) shopkeeper db migrate

# Before anything starts: a server already on the port would answer the health check and
# `make run` would print its URLs as if they were ours (scripts/check_port.py).
check-port: ## stop with a message when the API's port (SHOPKEEPER_HOST/PORT) or the simulated carrier's (SHOPKEEPER_DEMO_CARRIER_URL) is taken
	@python3 scripts/check_port.py "$${SHOPKEEPER_HOST:-127.0.0.1}" "$${SHOPKEEPER_PORT:-8000}"
	@python3 scripts/check_port.py --carrier "$${SHOPKEEPER_DEMO_CARRIER_URL:-http://127.0.0.1:8766}"

run: check-port env ## services, migrations, demo tenant, then API, worker and scheduler; Ctrl-C stops all
	@started="$$(bash scripts/services.sh start)"
	api_pid=""
	worker_pid=""
	scheduler_pid=""
	carrier_pid=""
	stop_all() {
		trap - EXIT INT TERM
		for pid in $$api_pid $$worker_pid $$scheduler_pid $$carrier_pid; do
			if kill -0 "$$pid" 2>/dev/null; then kill -TERM "$$pid" 2>/dev/null || true; fi
		done
		for pid in $$api_pid $$worker_pid $$scheduler_pid $$carrier_pid; do
			wait "$$pid" 2>/dev/null || true
		done
		if [[ -n "$$started" ]]; then bash scripts/services.sh stop $$started; fi
	}
	trap stop_all EXIT
	trap 'exit 130' INT TERM
	$(RUN) shopkeeper db migrate
	logins="$$($(RUN) shopkeeper demo load)"
	host="$${SHOPKEEPER_HOST:-127.0.0.1}"
	port="$${SHOPKEEPER_PORT:-8000}"
	if [[ "$$host" == "0.0.0.0" || "$$host" == "::" ]]; then host=127.0.0.1; fi
	base="http://$$host:$$port"
	$(RUN) shopkeeper serve &
	api_pid=$$!
	$(RUN) shopkeeper worker &
	worker_pid=$$!
	$(RUN) shopkeeper scheduler &
	scheduler_pid=$$!
	# The simulated carrier the demo's carrier SF books with (SHOPKEEPER_DEMO_CARRIER_URL's default).
	carrier_url="$${SHOPKEEPER_DEMO_CARRIER_URL:-http://127.0.0.1:8766}"
	$(RUN) shopkeeper carrier sim --port "$$(python3 scripts/check_port.py --port-of "$$carrier_url")" &
	carrier_pid=$$!
	for _ in $$(seq 1 120); do
		if ! kill -0 "$$api_pid" 2>/dev/null; then
			echo "The API stopped while starting (see above)." >&2
			exit 1
		fi
		if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
			"$$base/health" 2>/dev/null; then
			break
		fi
		sleep 0.5
	done
	echo
	echo "Shopkeeper is running. Ctrl-C stops it (and any PostgreSQL/Redis it started)."
	echo "  API             $$base/api/v1"
	echo "  Web console     $$base/console   (sign in with a demo login below)"
	echo "  OpenAPI viewer  $$base/schema"
	echo "  Health          $$base/health   readiness $$base/ready   metrics $$base/metrics"
	echo
	echo "  Worker          pid $$worker_pid (tasks, outbox relay)   scheduler pid $$scheduler_pid"
	echo "  Carrier (sim)   $$carrier_url   pid $$carrier_pid"
	echo
	echo "$$logins"
	echo
	# Whichever of API, worker and scheduler stops first stops the others (stop_all).
	wait -n "$$api_pid" "$$worker_pid" "$$scheduler_pid"

test: env ## lint, then the whole test suite against real PostgreSQL and Redis
	@bash scripts/test.sh

lint: env ## ruff check, ruff format --check, mypy, import-linter contracts
	@bash scripts/test.sh lint

messages: env ## extract message codes from src/ into the .pot templates and update every .po
	@$(RUN) python -m entrypoints.messages.update

bench: env services ## run every benchmark in bench/ (figures beside their baselines; bench/README.md)
	@$(RUN) python -m bench $(BENCH_ARGS)

reliability: env services ## the fault and abuse suite R1-R12 at full scale: one table, exit 1 on a miss
	@$(RUN) python -m tests.reliability $(RELIABILITY_ARGS)

clean: ## remove caches and build output (keeps .venv and the local data in var/)
	@rm -rf .pytest_cache .mypy_cache .ruff_cache .hypothesis .import_linter_cache dist build
	find . \( -path ./.venv -o -path ./.tools -o -path ./var -o -path ./.git \) -prune \
		-o -type d -name __pycache__ -prune -exec rm -rf {} +

distclean: clean services-stop ## also delete .venv, .tools and var/ (local databases AND key store)
	@rm -rf .venv .tools var
