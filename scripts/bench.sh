#!/usr/bin/env bash
# Runs every benchmark under bench/ (each builds its own database and prints its figures).
# BENCH_DATABASE_URL=postgres://… runs them against PostgreSQL as well as SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
status=0
for script in bench/*.py; do
  echo "== $script (SQLite) =="
  env -u DATABASE_URL -u BENCH_DATABASE_URL .venv/bin/python "$script" || status=1
  if [ -n "${BENCH_DATABASE_URL:-}" ]; then
    echo "== $script (PostgreSQL) =="
    env -u DATABASE_URL .venv/bin/python "$script" || status=1
  fi
done
exit $status
