"""Load benchmark of the live discussion (``make bench-discussion``).

Starts a Redis server and two uvicorn worker processes of the site (on a
database of the benchmark's own), and, in the same run, a bare broadcast
server written with the ``websockets`` library. Against each it runs

(a) paced: 200 authenticated clients in one room, 20 messages per second for
    20 seconds;
(b) saturated: 200 clients, 500 messages sent at once;

through the real path (session cookie, Origin, messages persisted and
acknowledged before they are broadcast, every frame's access checked). It
ends with one line ``lost=… p50_ms=… p99_ms=… rate_ratio=… frame_check_us=…
frame_check_p99_us=… db_look_ms=…``: lost deliveries over both runs of the
site, latency percentiles of the paced run of the site, the site's
deliveries per second in the saturated run divided by the bare server's, and
what the access check of one frame costs (bench/frame_check.py).
Environment: BENCH_CLIENTS, BENCH_RATE, BENCH_SECONDS, BENCH_BURST,
DATABASE_URL (default: a fresh SQLite file).
"""

import asyncio
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import websockets
from websockets.asyncio.client import connect
from websockets.asyncio.server import broadcast, serve

from deploy.servers import (
    BASE_DIR,
    asgi_servers,
    free_port,
    redis_server,
    stop,
    wait_for_port,
)

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "200"))
RATE = int(os.environ.get("BENCH_RATE", "20"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "20"))
BURST = int(os.environ.get("BENCH_BURST", "500"))
SENDERS = 20  # paced messages come from this many clients in turn
SETTLE = float(os.environ.get("BENCH_SETTLE", "60"))  # wait for the last deliveries


# --- the site under test ------------------------------------------------------


def environment(scratch, redis_url):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "SECRET_KEY": "bench-only-not-secret",  # noqa: S105
        "ALLOWED_HOSTS": "127.0.0.1",
        "REDIS_URL": redis_url,
        "SECURE_SSL_REDIRECT": "0",
        "PYTHONPATH": str(BASE_DIR),
    }
    env.setdefault("DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}")
    return env


def prepare(env):
    """Migrate, then a group with CLIENTS members, a topic and sessions."""
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
    )
    script = f"""
import json, uuid
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.conf import settings
from workgroups.models import IntegrationArea, WorkingGroup, Membership, Topic
User = get_user_model()
tag = uuid.uuid4().hex[:8]
area, _ = IntegrationArea.objects.get_or_create(name="Bench")
group = WorkingGroup.objects.create(area=area, name="Bench " + tag, slug="bench-" + tag)
users = User.objects.bulk_create([
    User(username=f"b{{tag}}{{n}}", email=f"b{{tag}}{{n}}@example.org", password="!")
    for n in range({CLIENTS})
])
Membership.objects.bulk_create([Membership(group=group, user=u) for u in users])
room = group.room
topic = Topic.objects.create(room=room, title="Bench")
cookies = []
for user in users:
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    cookies.append(settings.SESSION_COOKIE_NAME + "=" + session.session_key)
print(json.dumps({{"group": group.pk, "topic": topic.pk, "cookies": cookies}}))
"""
    return _json_of(env, ["manage.py", "shell", "-c", script])


def frame_check(env, world):
    """The per-frame access check measured on its own (bench/frame_check.py),
    in the workers' environment, as one of the clients."""
    return _json_of(
        env, ["bench/frame_check.py", str(world["group"]), world["cookies"][0]]
    )


def _json_of(env, args):
    """The JSON that a Python script of the site prints last."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- the bare broadcast server -----------------------------------------------


async def bare_server(port):
    """Acknowledges and broadcasts, nothing else: the ceiling for fan-out."""
    clients = set()
    state = {"seq": 0}

    async def handler(websocket):
        clients.add(websocket)
        await websocket.send(json.dumps({"type": "hello", "last_seq": state["seq"]}))
        try:
            async for text in websocket:
                frame = json.loads(text)
                if frame.get("type") != "post":
                    continue
                state["seq"] += 1
                await websocket.send(
                    json.dumps(
                        {
                            "type": "ack",
                            "client_id": frame["client_id"],
                            "seq": state["seq"],
                        }
                    )
                )
                message = {
                    "seq": state["seq"],
                    "topic": frame["topic"],
                    "body": frame["body"],
                    "client_id": frame["client_id"],
                }
                broadcast(
                    clients,
                    json.dumps({"type": "message", "op": "new", "message": message}),
                )
        finally:
            clients.discard(websocket)

    async with serve(handler, "127.0.0.1", port, compression=None, max_queue=None):
        await asyncio.get_running_loop().create_future()  # until terminated


@contextlib.contextmanager
def bare_server_process():
    """In a process of its own, like the site's workers: sharing the
    clients' event loop would slow it down and flatter the ratio."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "bench.discussion", "--bare", str(port)], cwd=BASE_DIR
    )
    try:
        wait_for_port(port, process)
        yield port
    finally:
        stop(process)


# --- the clients --------------------------------------------------------------


class Client:
    def __init__(self, url, origin, cookie, topic, run):
        self.url, self.origin, self.cookie, self.topic = url, origin, cookie, topic
        self.run = run
        self.seen = set()
        self.resyncs = 0
        self.websocket = None
        self.ready = asyncio.Event()

    async def start(self):
        headers = {"Cookie": self.cookie} if self.cookie else {}
        self.websocket = await connect(
            self.url,
            origin=self.origin,
            additional_headers=headers,
            compression=None,
            max_queue=None,
            open_timeout=60,
            ping_interval=None,
        )
        asyncio.get_running_loop().create_task(self.read())

    async def read(self):
        try:
            async for text in self.websocket:
                frame = json.loads(text)
                for event in frame["frames"] if frame["type"] == "batch" else [frame]:
                    self.handle(event)
        except websockets.ConnectionClosed:
            pass

    def handle(self, frame):
        """One event; a ``batch`` frame carries several."""
        kind = frame["type"]
        if kind == "message" and frame["op"] == "new":
            now = time.perf_counter()
            message = frame["message"]
            if message["seq"] not in self.seen:
                self.seen.add(message["seq"])
                self.run.delivered(message, now)
        elif kind == "ack":
            self.run.acked(frame)
        elif kind == "hello":
            self.ready.set()
        elif kind == "resync":
            self.resyncs += 1
        elif kind == "error":
            self.run.errors.append(frame.get("code"))

    async def post(self, body):
        client_id = str(uuid.uuid4())
        self.run.sent[client_id] = time.perf_counter()
        frame = {"type": "post", "topic": self.topic, "body": body}
        try:
            await self.websocket.send(json.dumps({**frame, "client_id": client_id}))
        except websockets.ConnectionClosed as closed:
            self.run.errors.append(f"closed: {closed}")


class Run:
    def __init__(self, name):
        self.name = name
        self.sent = {}
        self.acks = {}
        self.latencies = []
        self.ack_latencies = []
        self.deliveries = 0
        self.first_send = None
        self.last_delivery = None
        self.errors = []
        self.seqs = set()

    def acked(self, frame):
        self.acks[frame["client_id"]] = frame["seq"]
        sent = self.sent.get(frame["client_id"])
        if sent is not None:
            self.ack_latencies.append((time.perf_counter() - sent) * 1000)

    def delivered(self, message, now):
        self.deliveries += 1
        self.last_delivery = now
        sent = self.sent.get(message["client_id"])
        if sent is not None:
            self.latencies.append((now - sent) * 1000)


async def run_scenario(name, urls, origin_of, cookies, topic, kind):
    run = Run(name)
    clients = [
        Client(urls[n % len(urls)], origin_of(urls[n % len(urls)]), cookie, topic, run)
        for n, cookie in enumerate(cookies)
    ]
    await connect_all(clients)
    await settle(clients, urls, run)
    total = (
        await send_paced(clients, run) if kind == "paced" else await send_burst(clients)
    )
    expected = total * len(clients)
    deadline = time.perf_counter() + SETTLE + (SECONDS if kind == "paced" else 0)
    while run.deliveries < expected and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    closed = sum(client.websocket.close_code is not None for client in clients)
    for client in clients:
        await client.websocket.close()
    result = summary(run, clients, total, expected, closed)
    report(result, run)
    return result


async def connect_all(clients):
    """Twenty at a time, then wait until every one has had its hello."""
    for start in range(0, len(clients), 20):
        await asyncio.gather(
            *(client.start() for client in clients[start : start + 20])
        )
    await asyncio.gather(*(client.ready.wait() for client in clients))


async def settle(clients, urls, run):
    """Warm up each worker (the lemmatiser loads its dictionaries on first
    use) and let presence and subscriptions settle; then count afresh."""
    for client in clients[: len(urls)]:
        await client.post("warm-up")
    deadline = time.perf_counter() + 120
    while len(run.acks) < len(urls) and time.perf_counter() < deadline:
        await asyncio.sleep(0.1)
    await asyncio.sleep(2)
    run.deliveries, run.latencies, run.errors = 0, [], []
    run.ack_latencies = []
    run.sent.clear()
    run.acks.clear()
    run.first_send = time.perf_counter()


async def send_paced(clients, run):
    """RATE messages a second for SECONDS, from SENDERS clients in turn."""
    total = RATE * SECONDS
    for number in range(total):
        sender = clients[number % SENDERS]
        await sender.post(f"paced {number}")
        await asyncio.sleep(
            max(0, run.first_send + (number + 1) / RATE - time.perf_counter())
        )
    return total


async def send_burst(clients):
    """BURST messages at once, spread over the clients."""
    await asyncio.gather(
        *(
            clients[number % len(clients)].post(f"burst {number}")
            for number in range(BURST)
        )
    )
    return BURST


def summary(run, clients, total, expected, closed):
    duration = (run.last_delivery or run.first_send) - run.first_send
    return {
        "name": run.name,
        "sent": total,
        "acked": len(run.acks),
        "expected": expected,
        "deliveries": run.deliveries,
        "lost": expected - run.deliveries,
        "resyncs": sum(client.resyncs for client in clients),
        "errors": len(run.errors),
        "dropped_sockets": closed,
        "rate": run.deliveries / duration if duration > 0 else 0.0,
        "p50_ms": statistics.median(run.latencies) if run.latencies else 0.0,
        "p99_ms": (
            statistics.quantiles(run.latencies, n=100)[98]
            if len(run.latencies) > 100
            else 0.0
        ),
    }


def report(result, run):
    print(
        f"{result['name']}: sent={result['sent']} acked={result['acked']} "
        f"deliveries={result['deliveries']}/{result['expected']} "
        f"resyncs={result['resyncs']} errors={result['errors']} "
        f"dropped_sockets={result['dropped_sockets']} "
        f"rate={result['rate']:.0f}/s p50_ms={result['p50_ms']:.1f} "
        f"p99_ms={result['p99_ms']:.1f} "
        f"ack_p50_ms={statistics.median(run.ack_latencies or [0]):.1f}",
        flush=True,
    )


async def warm_up(urls, origin_of, world):
    """Until each worker has loaded what it loads on first use (the
    lemmatiser's dictionaries take seconds), measuring would measure that."""
    deadline = time.perf_counter() + 180
    for number, url in enumerate(urls):
        run = Run("warm-up")
        client = Client(
            url, origin_of(url), world["cookies"][number], world["topic"], run
        )
        while True:
            try:
                await client.start()
                await asyncio.wait_for(client.ready.wait(), 30)
                break
            except (OSError, TimeoutError, websockets.WebSocketException):
                if time.perf_counter() > deadline:
                    raise
                await asyncio.sleep(1)
        await client.post("warm-up")
        while not run.acks and time.perf_counter() < deadline:
            await asyncio.sleep(0.1)
        await client.websocket.close()


def site_origin(url):
    return "http://" + url.split("/")[2]


async def main():
    scratch = Path(tempfile.mkdtemp(prefix="platforma-bench-"))
    try:
        with redis_server() as redis:
            env = environment(scratch, redis.url)
            world = prepare(env)
            with asgi_servers(2, env, stderr=None) as ports:
                results = await against_the_site(ports, world)
            with bare_server_process() as port:
                results |= await against_the_bare_server(port, world)
            final_report(results, frame_check(env, world))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


async def against_the_site(ports, world):
    # As the topic page opens it: in the page's language.
    path = f"/ws/groups/{world['group']}/?lang=pl"
    urls = [f"ws://127.0.0.1:{port}{path}" for port in ports]
    await warm_up(urls, site_origin, world)
    results = {}
    for kind in ("paced", "saturated"):
        results[f"site-{kind}"] = await run_scenario(
            f"site {kind}", urls, site_origin, world["cookies"], world["topic"], kind
        )
    return results


async def against_the_bare_server(port, world):
    urls, cookies = [f"ws://127.0.0.1:{port}/"], [None] * CLIENTS
    results = {}
    for kind in ("paced", "saturated"):
        results[f"bare-{kind}"] = await run_scenario(
            f"bare {kind}", urls, site_origin, cookies, world["topic"], kind
        )
    return results


def final_report(results, check):
    print(
        f"access check per frame: p50 {check['frame_check_us_p50']:.0f} µs, "
        f"p99 {check['frame_check_us_p99']:.0f} µs (one cache read); "
        f"a look at the database: p50 {check['db_look_ms_p50']:.2f} ms"
    )
    lost = results["site-paced"]["lost"] + results["site-saturated"]["lost"]
    bare_rate = results["bare-saturated"]["rate"]
    ratio = results["site-saturated"]["rate"] / bare_rate if bare_rate else 0.0
    print(
        f"lost={lost} p50_ms={results['site-paced']['p50_ms']:.1f} "
        f"p99_ms={results['site-paced']['p99_ms']:.1f} rate_ratio={ratio:.2f} "
        f"frame_check_us={check['frame_check_us_p50']:.0f} "
        f"frame_check_p99_us={check['frame_check_us_p99']:.0f} "
        f"db_look_ms={check['db_look_ms_p50']:.2f}"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--bare"]:
        asyncio.run(bare_server(int(sys.argv[2])))
    else:
        asyncio.run(main())
