#!/usr/bin/env bash
# Starts the real backend, serving the built SPA, on a fresh SQLite database, for Playwright.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SHOPCRM="$ROOT/.venv/bin/shopcrm"
TMP=$(mktemp -d -t shopcrm-e2e.XXXXXX)
SERVER=""
cleanup() {
  if [ -n "$SERVER" ]; then
    kill -TERM "$SERVER" 2>/dev/null || true
    wait "$SERVER" 2>/dev/null || true
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

if [ ! -x "$SHOPCRM" ]; then
  echo "start-server.sh: $SHOPCRM not found; install the backend first (make install)" >&2
  exit 1
fi
if [ ! -f "$ROOT/frontend/dist/index.html" ]; then
  echo "start-server.sh: $ROOT/frontend/dist is missing; run 'npm run build' first" >&2
  exit 1
fi

export DATABASE_URL="sqlite+aiosqlite:///$TMP/e2e.db"
export SHOPCRM_SPA_DIR="$ROOT/frontend/dist"
# Request lines would drown the test report; warnings and errors still show.
export SHOPCRM_LOG_LEVEL="${SHOPCRM_LOG_LEVEL:-WARNING}"

"$SHOPCRM" migrate
# Deterministic demo data (seed 42): 2,000 customers and 10,000 orders, about a second.
"$SHOPCRM" demo-data --size small
"$SHOPCRM" create-user --email admin@example.com --password 'e2e-Password-1' --role admin --name 'Ada Admin'
"$SHOPCRM" create-user --email viewer@example.com --password 'e2e-Password-1' --role viewer --name 'Vic Viewer'
# Not `exec`, so that the cleanup trap can delete the temp database when Playwright stops us.
"$SHOPCRM" serve --host 127.0.0.1 --port "${E2E_PORT:-8123}" &
SERVER=$!
wait "$SERVER"
