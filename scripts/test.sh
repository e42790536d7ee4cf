#!/usr/bin/env bash
# The whole test suite: lint, types, then every test on SQLite, then the store tests on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export CROSSINGS_ENV=test
export CROSSINGS_VAR_DIR=${CROSSINGS_VAR_DIR:-$PWD/var/test}
mkdir -p "$CROSSINGS_VAR_DIR"

echo "== ruff" && .venv/bin/ruff check .
echo "== mypy" && .venv/bin/mypy crossings
echo "== tests on SQLite"
.venv/bin/pytest -q -p no:cacheprovider "$@"

echo "== store tests on PostgreSQL"
pgdir=$(mktemp -d /tmp/crossings-pg.XXXXXX)
trap 'scripts/postgres.sh stop "$pgdir"' EXIT
DATABASE_URL=$(scripts/postgres.sh start "$pgdir") .venv/bin/pytest -q -p no:cacheprovider -m store "$@"
