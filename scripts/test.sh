#!/usr/bin/env bash
# Runs every test of glue-sessions on this machine, after installing what is missing:
# linters, jest, Galata (Debian chromium) and pytest, including the real-stack tests on the
# local endpoint (devstack/endpoint.sh: Spark 3.5 standalone + Livy REST on 127.0.0.1).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

bash scripts/setup.sh

echo; echo "== lint"
ruff check .
ruff format --check .
jlpm lint:check

echo; echo "== the local endpoint"
bash devstack/endpoint.sh up

echo; echo "== jest"
jlpm test

echo; echo "== Galata ui-tests (chromium: ${GALATA_CHROMIUM:-/usr/bin/chromium})"
(cd ui-tests && jlpm install --immutable && jlpm playwright test)

echo; echo "== pytest (unit, server, faults, real stack)"
"$PYTHON" -m pytest -p no:cacheprovider -ra "$@"
