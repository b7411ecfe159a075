#!/usr/bin/env bash
# The whole suite on SQLite, then on PostgreSQL when a server is reachable
# (TEST_DATABASE_URL, else the local one on 127.0.0.1:5432). Under CI (CI=true) a missing
# PostgreSQL or Chromium is a failure, not a skip.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
CI="${CI:-}"

ensure_chromium() {
  if command -v chromium >/dev/null 2>&1; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian's chromium for the browser tests…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || true
  elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || true
  fi
  command -v chromium >/dev/null 2>&1
}

if ensure_chromium; then
  export CHROMIUM_PATH="$(command -v chromium)"
elif [ -n "$CI" ]; then
  echo "CI: Debian's chromium is required for the browser tests and could not be installed." >&2
  exit 1
else
  echo "Chromium is not available: browser tests will be skipped." >&2
fi

PG_URL="${TEST_DATABASE_URL:-}"
if [ -z "$PG_URL" ] && "$BIN/python" - <<'PY' 2>/dev/null
import socket, sys
s = socket.socket(); s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", 5432)) == 0 else 1)
PY
then
  PG_URL="postgres://postgres@127.0.0.1:5432/postgres"
fi
if [ -z "$PG_URL" ] && [ -n "$CI" ]; then
  echo "CI: PostgreSQL is required (set TEST_DATABASE_URL or run one on 127.0.0.1:5432)." >&2
  exit 1
fi

export CLUSTERBRIDGE_VAR_DIR="$(mktemp -d)"
trap 'rm -rf "$CLUSTERBRIDGE_VAR_DIR"' EXIT
WORKERS="${TEST_WORKERS:-2}"

echo "== Test suite on SQLite =="
env -u DATABASE_URL "$BIN/pytest" -n "$WORKERS" "$@"

if [ -n "$PG_URL" ]; then
  # Tests marked same_on_every_database (the suggestion engine's quality on the labelled sets)
  # check nothing PostgreSQL could change: the SQLite half has run them.
  echo "== Test suite on PostgreSQL =="
  DATABASE_URL="$PG_URL" SECRET_KEY="test-only-secret-key-$(printf 'x%.0s' {1..50})" HTTPS=false \
    ALLOWED_HOSTS="127.0.0.1,localhost,testserver" "$BIN/pytest" -n "$WORKERS" \
    -m "not same_on_every_database" "$@"
else
  echo "PostgreSQL is not reachable: the PostgreSQL half was skipped." >&2
fi
