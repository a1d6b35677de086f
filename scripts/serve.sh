#!/usr/bin/env bash
# Serve the platform for local use: the background-job worker plus the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
export DJANGO_DEBUG="${DJANGO_DEBUG:-true}"
# Links in emails (sent by the worker) point at the server this script starts, unless set otherwise.
export ONDERWIJSREGIO_SITE_URL="${ONDERWIJSREGIO_SITE_URL:-http://$HOST:$PORT}"

"$BIN/python" manage.py db_worker --interval 1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM

"$BIN/python" manage.py demo_logins || true
echo
echo "Open Onderwijsregio draait op http://$HOST:$PORT/  (stoppen: Ctrl+C)"
"$BIN/python" manage.py runserver --noreload "$HOST:$PORT"
