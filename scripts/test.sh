#!/usr/bin/env bash
# Runs every test of glue-sessions on this machine, after installing what is missing:
# linters, the type checker, jest, Galata (Debian chromium) and pytest, including the
# real-stack tests, which bring the local endpoint up in each topology (devstack/endpoint.sh:
# real Livy on YARN, and on a standalone master).
# Arguments go to pytest (for example -k contention).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

bash scripts/setup.sh

echo; echo "== lint and types"
ruff check .
ruff format --check .
mypy
jlpm lint:check

echo; echo "== jest"
jlpm test

echo; echo "== Galata ui-tests (chromium: ${GALATA_CHROMIUM:-/usr/bin/chromium})"
(cd ui-tests && jlpm install --immutable && jlpm playwright test)

echo; echo "== pytest (unit, server, faults, real stack)"
# -m "" lifts the default "not realstack" selection of pyproject.toml: everything runs.
"$PYTHON" -m pytest -p no:cacheprovider -ra -m "" "$@"
