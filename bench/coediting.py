"""Load benchmark of co-editing (``make bench-coediting``).

Simulated authors (bench/coediting_authors.py: pycrdt replicas speaking the
y-protocols sync and awareness messages) on one draft through the real
path: two uvicorn workers of the site with production settings, the Redis
channel layer and the database (PostgreSQL when DATABASE_URL says so);
every author edits twice a second at a random place. The number of authors
is stepped (BENCH_STEPS, default 25,50,100,200,400), BENCH_SECONDS each
(default 20), a fresh draft per step. In the same run the same harness goes
against Hocuspocus (bench/hocuspocus/, its Database extension storing the
document in a file). For each step: p50/p95 latency from an edit to its
arrival at every other author, lost updates (not arrived BENCH_SETTLE
seconds after the last edit) and diverged replicas (final text unlike the
stored document, read after the run). It ends with one line
``authors_at_p95_100ms=… hocuspocus_authors_at_p95_100ms=… p95_ms_at_50=…
lost=… diverged=…``. Environment: BENCH_STEPS, BENCH_SECONDS, BENCH_SETTLE,
DATABASE_URL (default: a fresh SQLite file).
"""

import asyncio
import base64
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from pycrdt import Doc

from bench.coediting_authors import (
    Author,
    Run,
    document_text,
    open_all,
    type_for,
    wait_arrivals,
)
from bench.discussion import _json_of, environment
from deploy.servers import (
    BASE_DIR,
    asgi_servers,
    free_port,
    redis_server,
    stop,
    wait_for_port,
)

STEPS = [int(n) for n in os.environ.get("BENCH_STEPS", "25,50,100,200,400").split(",")]
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
SETTLE = float(os.environ.get("BENCH_SETTLE", "30"))
HOCUSPOCUS = BASE_DIR / "bench" / "hocuspocus"
LIMIT_MS = 100

OURS = (
    "site: each update checked, then stored as a LiveUpdate row before it is "
    "applied and forwarded through Redis to the other worker (group commit: "
    "what arrives while a batch is written is stored next, in one "
    "transaction); rows compacted every 500"
)
THEIRS = (
    "hocuspocus: updates applied in memory and forwarded at once; the whole "
    "document stored by the Database extension debounced (2 s after a "
    "change, at most 10 s apart, and when the last client leaves), to a file"
)
# ASCII only: pycrdt's text offsets are bytes, and a random byte offset inside
# a letter such as "ó" makes an update that no other replica integrates.
TEXT = "\n\n".join(
    ["# Diagnoza"]
    + [f"Akapit {n}: wspolny tekst grupy roboczej do edycji." for n in range(1, 8)]
)


def prepare(env):
    """Migrate; a group with max(STEPS) experts, their sessions, and one
    draft per step with the live document it starts from."""
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    script = f"""
import base64, json, uuid
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.conf import settings
from documents import services
from documents.live import convert
from workgroups.models import IntegrationArea, WorkingGroup, Membership
User = get_user_model()
tag = uuid.uuid4().hex[:8]
area, _ = IntegrationArea.objects.get_or_create(name="Bench")
group = WorkingGroup.objects.create(area=area, name="Co " + tag, slug="co-" + tag)
users = User.objects.bulk_create([
    User(username=f"c{{tag}}{{n}}", email=f"c{{tag}}{{n}}@example.org", password="!")
    for n in range({max(STEPS)})
])
Membership.objects.bulk_create([
    Membership(group=group, user=u, role=Membership.Role.EXPERT) for u in users
])
cookies = []
for user in users:
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    cookies.append(settings.SESSION_COOKIE_NAME + "=" + session.session_key)
drafts = [
    services.draft_create(actor=users[0], group=group, title="Bench", text={TEXT!r})
    for _ in range({len(STEPS)})
]
seed = base64.b64encode(convert.body_to_doc(drafts[0].body).get_update()).decode()
drafts = [d.pk for d in drafts]
print(json.dumps({{"drafts": drafts, "cookies": cookies, "seed": seed}}))
"""
    return _json_of(env, ["manage.py", "shell", "-c", script])


def stored_site(env, draft_id):
    """The draft's live document as the database holds it."""
    script = (
        "import base64; from documents.live import store; "
        f"print('\"' + base64.b64encode(store.load({draft_id})).decode() + '\"')"
    )
    return _doc(base64.b64decode(_json_of(env, ["manage.py", "shell", "-c", script])))


def _doc(update):
    doc = Doc()
    if update:
        doc.apply_update(update)
    return doc


# --- one step -------------------------------------------------------------------


async def step(count, urls, stored, *, cookies=None, name=None):
    """``count`` authors spread over ``urls``; ``stored()`` reads the stored
    document once the authors have left."""
    run = Run(count)
    authors = [
        Author(
            urls[n % len(urls)],
            run,
            cookie=cookies[n] if cookies else None,
            name=name,
        )
        for n in range(count)
    ]
    await open_all(authors)
    await asyncio.sleep(1)  # awareness of the newcomers settles
    run.errors.clear()
    await type_for(authors, SECONDS)
    await wait_arrivals(run, SETTLE)
    texts = [document_text(author.doc) for author in authors]
    for author in authors:
        await author.close()
    reference = document_text(await stored())
    return summary(count, run, texts, reference, authors)


def summary(count, run, texts, reference, authors):
    latencies = run.latencies or [0.0]
    return {
        "authors": count,
        "edits": run.sent,
        "lost": run.expected - run.arrived,
        "diverged": sum(text != reference for text in texts),
        "errors": len(run.errors),
        "error_codes": sorted(set(map(str, run.errors))),
        "resyncs": run.resyncs,
        "behind": sum(a.behind(authors) for a in authors),
        "p50": statistics.median(latencies),
        "p95": (
            statistics.quantiles(latencies, n=100)[94]
            if len(latencies) > 100
            else max(latencies)
        ),
    }


def show(side, result):
    print(
        f"{side} {result['authors']} authors: edits={result['edits']} "
        f"p50_ms={result['p50']:.1f} p95_ms={result['p95']:.1f} "
        f"lost={result['lost']} diverged={result['diverged']} "
        f"errors={result['errors']} {result['error_codes'] or ''} "
        f"resyncs={result['resyncs']} replicas_behind={result['behind']}",
        flush=True,
    )


# --- the two sides ---------------------------------------------------------------


def _cpu_seconds(ports):
    """CPU time used so far by the uvicorn processes listening on ``ports``."""
    wanted, total = {str(port) for port in ports}, 0.0
    for proc in Path("/proc").iterdir():
        try:
            arguments = (proc / "cmdline").read_bytes().split(b"\0")
            if b"uvicorn" not in b" ".join(arguments):
                continue
            port = arguments[arguments.index(b"--port") + 1].decode()
            if port in wanted:
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            continue
    return total


async def warm(ports, timeout=120):
    """Until the workers are idle: their start-up work (the discussion's
    lemmatiser loads its dictionaries, seconds of CPU, in the background)
    is over, as in a worker that has run for a while."""
    deadline = time.perf_counter() + timeout
    used = _cpu_seconds(ports)
    while time.perf_counter() < deadline:
        await asyncio.sleep(1)
        now = _cpu_seconds(ports)
        if now - used < 0.1:
            return
        used = now


async def against_the_site(env, world):
    results = []
    with asgi_servers(2, env, stderr=None) as ports:
        await warm(ports)
        for index, count in enumerate(STEPS):
            draft = world["drafts"][index]
            urls = [f"ws://127.0.0.1:{port}/ws/drafts/{draft}/" for port in ports]

            async def stored(draft=draft):
                return await asyncio.to_thread(stored_site, env, draft)

            result = await step(count, urls, stored, cookies=world["cookies"])
            show("site", result)
            results.append(result)
    return results


@contextlib.contextmanager
def hocuspocus_server(directory):
    if not (HOCUSPOCUS / "node_modules").exists():
        npm_ci = ["npm", "ci", "--no-audit", "--no-fund"]
        subprocess.run(npm_ci, cwd=HOCUSPOCUS, check=True)  # noqa: S603, S607
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        ["node", "server.cjs", str(port), str(directory)],  # noqa: S607
        cwd=HOCUSPOCUS,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
        yield port
    finally:
        stop(process)


async def against_hocuspocus(world, scratch):
    results = []
    with hocuspocus_server(scratch) as port:
        for count in STEPS:
            name = f"bench-{count}-{uuid.uuid4().hex[:8]}"
            file = scratch / f"{name}.ystate"
            file.write_bytes(base64.b64decode(world["seed"]))  # its first load

            async def stored(file=file):
                await asyncio.sleep(1)  # stored when the last client left
                return _doc(file.read_bytes())

            urls = [f"ws://127.0.0.1:{port}/{name}"]
            result = await step(count, urls, stored, name=name)
            show("hocuspocus", result)
            results.append(result)
    return results


def authors_at_limit(results):
    """The most authors whose p95 stayed within the limit, nothing lost."""
    kept = [r["authors"] for r in results if r["p95"] <= LIMIT_MS and not r["lost"]]
    return max(kept, default=0)


def final_line(ours, theirs):
    at_50 = [r["p95"] for r in ours if r["authors"] == 50]
    return (
        f"authors_at_p95_100ms={authors_at_limit(ours)} "
        f"hocuspocus_authors_at_p95_100ms={authors_at_limit(theirs)} "
        f"p95_ms_at_50={f'{at_50[0]:.1f}' if at_50 else 'n/a'} "
        f"lost={sum(r['lost'] for r in ours)} "
        f"diverged={sum(r['diverged'] for r in ours)} "
        f"hocuspocus_lost={sum(r['lost'] for r in theirs)} "
        f"hocuspocus_diverged={sum(r['diverged'] for r in theirs)}"
    )


async def main():
    scratch = Path(tempfile.mkdtemp(prefix="platforma-bench-co-"))
    try:
        with redis_server() as redis:
            # WebSocket-only workers, as deploy/topology.py starts them: no
            # search dictionaries loaded (seconds of CPU) beside the sockets.
            env = {**environment(scratch, redis.url), "SEARCH_PRELOAD": "0"}
            database = env["DATABASE_URL"].split(":")[0]
            print(f"steps={STEPS} seconds={SECONDS} database={database}")
            print(OURS)
            print(THEIRS, flush=True)
            started = time.perf_counter()
            world = prepare(env)
            ours = await against_the_site(env, world)
            theirs = await against_hocuspocus(world, scratch)
        print(f"took {time.perf_counter() - started:.0f} s; load: {os.getloadavg()}")
        print(final_line(ours, theirs))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
