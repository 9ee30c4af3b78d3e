#!/usr/bin/env bash
# Runs the production processes side by side (what docker-compose runs as separate services):
# gunicorn, one Celery worker and exactly one beat. Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PORT=${PORT:-8000}

pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait; }
trap stop EXIT INT TERM

$BIN/gunicorn prioritizer.wsgi --bind "127.0.0.1:${PORT}" --workers "${WEB_CONCURRENCY:-2}" --access-logfile - &
pids+=($!)
$BIN/celery -A prioritizer worker --loglevel=INFO --concurrency "${WORKER_CONCURRENCY:-2}" &
pids+=($!)
$BIN/celery -A prioritizer beat --loglevel=INFO --scheduler django_celery_beat.schedulers:DatabaseScheduler &
pids+=($!)
echo "web http://127.0.0.1:${PORT}/  worker  beat  (pids ${pids[*]})"
wait -n
