#!/usr/bin/env bash
# Crossings on its embedded default: SQLite under ./var, demo data and users, server on :8000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/crossings demo "$@"
