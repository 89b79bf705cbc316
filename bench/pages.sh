#!/usr/bin/env bash
# make bench-pages: requests per second of public pages served as in
# production (gunicorn, 2 sync workers, WSGI, PostgreSQL, Redis), each divided
# by the rate of one static file served by the same gunicorn + WhiteNoise.
# Loopback only; every run is bounded in time (wrk -d).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${BENCH_PORT:-8093}
DURATION=${BENCH_DURATION:-5s}
DB=${BENCH_DATABASE:-platforma_bench_pages}
export DJANGO_SETTINGS_MODULE=platforma.settings.production
export SECRET_KEY=bench-only-not-secret ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0
export DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/$DB}
export REDIS_URL=${BENCH_REDIS_URL:-redis://127.0.0.1:6379/13}
export LOG_LEVEL=WARNING
PY=.venv/bin/python

psql "${DATABASE_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
psql "${DATABASE_URL%/*}/postgres" -qc "CREATE DATABASE $DB" >/dev/null
$PY manage.py migrate --noinput -v0
$PY manage.py load_demo >/dev/null
$PY manage.py collectstatic --noinput -v0
# Production settings use the Host header; the site answers on 127.0.0.1.
$PY manage.py shell -c "from wagtail.models import Site; Site.objects.filter(is_default_site=True).update(hostname='127.0.0.1', port=$PORT)"

.venv/bin/gunicorn platforma.wsgi:application -w 2 -k sync -b 127.0.0.1:$PORT \
    --log-level warning >/tmp/bench-pages-gunicorn.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/static/css/site.css" && break; sleep 0.2; done

STATIC=$($PY -c "import json;print('/static/'+json.load(open('staticfiles/staticfiles.json'))['paths']['css/site.css'])")
declare -A URLS=(
    [home]=/pl/
    [programme]=/pl/program/
    [action]=/pl/program/cel-1/kierunek-1-1/dzialanie-1-1-1/
    [monitoring]=/pl/program/monitoring/
    [static]=$STATIC
)
rps() {
    curl -sf -o /dev/null -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT$1"  # warm
    wrk -t2 -c8 -d"$DURATION" -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT$1" \
        | awk '/Requests\/sec/ {print $2}'
}
for url in "${URLS[@]}"; do wrk -t1 -c4 -d2s "http://127.0.0.1:$PORT$url" >/dev/null; done  # warm-up
# The machine is shared, so its load drifts: each page is measured right
# after its own static-file run and divided by that one.
line=""
statics=()
for name in home programme action monitoring; do
    static=$(rps "${URLS[static]}")
    page=$(rps "${URLS[$name]}")
    statics+=("$static")
    echo "$name ${URLS[$name]}: $page requests/s (static file: $static)" >&2
    line+="${name}_ratio=$($PY -c "print(f'{$page/$static:.2f}')") "
done
static_rps=$($PY -c "import statistics, sys; print(round(statistics.median(map(float, sys.argv[1:]))))" "${statics[@]}")
echo "${line}static_rps=$static_rps"
