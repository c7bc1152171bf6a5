#!/usr/bin/env bash
# The checks behind `make test` and `make lint`; stops at the first failure and says which.
#
#   scripts/test.sh        lint (ruff, formatting, mypy, import contracts), then the test suite
#                          against the real PostgreSQL and Redis (started locally if needed,
#                          and stopped again afterwards if this run started them)
#   scripts/test.sh lint   the static checks only
#
# Extra pytest arguments: PYTEST_ARGS="-k customers -x" scripts/test.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

UV="${UV:-$(command -v uv || echo "$ROOT/.tools/bin/uv")}"
[[ -x "$UV" ]] || {
    echo "test: uv not found; run 'make test' (it installs uv into .tools/ if needed)" >&2
    exit 1
}
RUN=("$UV" run --frozen)

step() {
    local name="$1" rc=0
    shift
    printf '\n==> %s\n' "$name"
    "$@" || rc=$?
    if ((rc != 0)); then
        if [[ "$name" == pytest* && $rc -eq 5 ]]; then
            printf '\nFAILED: %s collected no tests (exit 5)\n' "$name" >&2
        else
            printf '\nFAILED: %s (exit %d)\n' "$name" "$rc" >&2
        fi
        exit 1
    fi
}

lint() {
    step "ruff check" "${RUN[@]}" ruff check .
    step "ruff format --check" "${RUN[@]}" ruff format --check .
    step "mypy (strict on domain and application)" "${RUN[@]}" mypy
    step "import contracts (lint-imports)" "${RUN[@]}" lint-imports
}

case "${1:-all}" in
lint)
    lint
    printf '\nlint: all checks passed\n'
    ;;
all)
    lint
    started="$(bash scripts/services.sh start)"
    if [[ -n "$started" ]]; then
        # shellcheck disable=SC2086
        trap 'bash scripts/services.sh stop $started' EXIT
    fi
    # shellcheck disable=SC2086
    step "pytest" "${RUN[@]}" pytest -n 2 --dist loadfile ${PYTEST_ARGS:-}
    printf '\ntest: all checks and tests passed\n'
    ;;
*)
    echo "usage: scripts/test.sh [lint]" >&2
    exit 2
    ;;
esac
