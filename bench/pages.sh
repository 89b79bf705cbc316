#!/usr/bin/env bash
# make bench-pages: requests per second of public pages, and of workspace
# pages signed in as the demo chair, served as in production (gunicorn, 2 sync
# workers, WSGI, PostgreSQL, Redis), each divided by the rate of one static
# file served by the same gunicorn + WhiteNoise.
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

if [ -z "${BENCH_REUSE:-}" ]; then  # BENCH_REUSE=1: the database of the last run
    psql "${DATABASE_URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS $DB" >/dev/null
    psql "${DATABASE_URL%/*}/postgres" -qc "CREATE DATABASE $DB" >/dev/null
    $PY manage.py migrate --noinput -v0
    $PY manage.py load_demo >/dev/null
fi
$PY manage.py collectstatic --noinput -v0
# Production settings use the Host header; the site answers on 127.0.0.1.
$PY manage.py shell -c "from wagtail.models import Site; Site.objects.filter(is_default_site=True).update(hostname='127.0.0.1', port=$PORT)"

# The demo chair's session and a CSRF cookie (as her browser has them), and
# the workspace pages of her group.
mapfile -t MEMBER < <($PY manage.py shell --no-imports -c "
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils import translation
from documents.models import Draft
from workgroups.models import Meeting, Topic, WorkingGroup
chair = get_user_model().objects.get(email='przewodniczaca@example.org')
client = Client()
client.force_login(chair)
print(settings.SESSION_COOKIE_NAME + '=' + client.cookies[settings.SESSION_COOKIE_NAME].value
      + '; ' + settings.CSRF_COOKIE_NAME + '=' + get_random_string(32))
group = WorkingGroup.objects.filter(memberships__user=chair).order_by('pk').first()
translation.activate('pl')
print(reverse('workgroups:dashboard'))
print(reverse('workgroups:group', args=[group.pk]))
print(reverse('workgroups:meeting', args=[Meeting.objects.filter(group=group).order_by('pk').last().pk]))
print(reverse('documents:detail', args=[Draft.objects.filter(group=group).order_by('pk').first().pk]))
print(reverse('discussion:topic', args=[group.pk, Topic.objects.filter(room__group=group).order_by('pk').first().pk]))
")
COOKIE=${MEMBER[0]}

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
    [dashboard]=${MEMBER[1]}
    [group]=${MEMBER[2]}
    [meeting]=${MEMBER[3]}
    [draft]=${MEMBER[4]}
    [topic]=${MEMBER[5]}
)
PUBLIC=(home programme action monitoring)
MEMBERS=(dashboard group meeting draft topic)
# rps URL [COOKIE]: requests per second, signed in with COOKIE if given.
rps() {
    local cookie=(-H "Cookie: ${2:-none=1}")
    curl -sf -o /dev/null "${cookie[@]}" -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT$1"  # warm
    wrk -t2 -c8 -d"$DURATION" "${cookie[@]}" -H 'Accept-Encoding: gzip' "http://127.0.0.1:$PORT$1" \
        | awk '/Requests\/sec/ {print $2}'
}
for name in "${PUBLIC[@]}" static; do wrk -t1 -c4 -d2s "http://127.0.0.1:$PORT${URLS[$name]}" >/dev/null; done  # warm-up
for name in "${MEMBERS[@]}"; do
    [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT${URLS[$name]}")" = 200 ] \
        || { echo "$name ${URLS[$name]}: not served to the signed-in chair" >&2; exit 1; }
    wrk -t1 -c4 -d2s -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT${URLS[$name]}" >/dev/null
done
# The machine is shared, so its load drifts: each page is measured right
# after its own static-file run and divided by that one.
line=""
statics=()
for name in "${PUBLIC[@]}" "${MEMBERS[@]}"; do
    cookie=""
    [[ " ${MEMBERS[*]} " == *" $name "* ]] && cookie=$COOKIE
    static=$(rps "${URLS[static]}")
    page=$(rps "${URLS[$name]}" "$cookie")
    statics+=("$static")
    echo "$name ${URLS[$name]}${cookie:+ (signed in)}: $page requests/s (static file: $static)" >&2
    line+="${name}_ratio=$($PY -c "print(f'{$page/$static:.2f}')") "
done
static_rps=$($PY -c "import statistics, sys; print(round(statistics.median(map(float, sys.argv[1:]))))" "${statics[@]}")
echo "${line}static_rps=$static_rps"
