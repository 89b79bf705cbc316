"""The mixed workload through the production topology (make bench-load).

Brings up the topology of ``deploy/topology.py`` (nginx, gunicorn, two uvicorn
workers, the task worker, PostgreSQL, Redis; loopback only), then for
``LOAD_SECONDS`` [60] runs at once:

- ``LOAD_READERS`` [4] anonymous readers walking the public pages in three
  languages, one request after another;
- ``LOAD_MEMBERS`` [2] signed-in members on workspace pages (account, the
  group's drafts, draft pages, the discussion room and topic when present);
- ``LOAD_CHATTERS`` [4] live-discussion sockets through nginx, spread over both
  WebSocket workers, each posting a message every ``LOAD_CHAT_INTERVAL`` [1.0] s;
  at the end every socket must have received every acknowledged message.

It reports throughput, latency p50/p99 and errors per kind and stops
everything it started. The last line is ``key=value`` figures; the exit status
is non-zero when any request or message failed. The clients run on the same
2 cores as the servers, so the figures are a floor, not a capacity.
"""

import asyncio
import os
import sys
import threading
import time

from deploy.topology import (
    DEMO_ACCOUNT,
    DISCUSSION_ROUTE,
    SESSION_COOKIE,
    LiveClient,
    SmokeFailure,
    Topology,
    facts_of,
    http_session,
    log,
    sign_in,
    stop_on_sigterm,
)

DURATION = float(os.environ.get("LOAD_SECONDS", "60"))
READERS = int(os.environ.get("LOAD_READERS", "4"))
MEMBERS = int(os.environ.get("LOAD_MEMBERS", "2"))
CHATTERS = int(os.environ.get("LOAD_CHATTERS", "4"))
CHAT_INTERVAL = float(os.environ.get("LOAD_CHAT_INTERVAL", "1.0"))


class Stats:
    def __init__(self):
        self.latencies = {}
        self.errors = {}
        self.lock = threading.Lock()

    def record(self, kind, seconds, ok):
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            if not ok:
                self.errors[kind] = self.errors.get(kind, 0) + 1

    def error(self, kind, count=1):
        with self.lock:
            self.errors[kind] = self.errors.get(kind, 0) + count


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[round(fraction * (len(ordered) - 1))] if ordered else 0.0


def browse(topology, kind, pages, stop, stats, offset, cookie=None):
    session = http_session(topology)
    headers = {"Cookie": f"{SESSION_COOKIE}={cookie}"} if cookie else {}
    number = offset
    while not stop.is_set():
        url = topology.base_url + pages[number % len(pages)]
        number += 1
        started = time.monotonic()
        try:
            response = session.get(url, headers=headers, timeout=30)
            ok = response.status_code == 200
        except Exception:  # noqa: BLE001 -- counted as an error
            ok = False
        stats.record(kind, time.monotonic() - started, ok)


async def chat(topology, facts, cookie, stop, stats):
    clients = []
    for _ in range(CHATTERS):
        client = LiveClient(topology, cookie, facts["group"])
        await client.open()
        clients.append(client)
    workers = sorted({client.worker for client in clients})
    log(f"chat sockets on WebSocket workers {workers}")
    acked = []

    async def talk(client, number):
        await asyncio.sleep(number * CHAT_INTERVAL / len(clients))
        count = 0
        while not stop.is_set():
            count += 1
            started = time.monotonic()
            try:
                seq = await client.post(
                    facts["topic"],
                    f"Load test {number}-{count} (tekst demonstracyjny).",
                )
                acked.append(seq)
                stats.record("chat", time.monotonic() - started, True)
            except Exception:  # noqa: BLE001 -- counted as an error
                stats.record("chat", time.monotonic() - started, False)
            await asyncio.sleep(CHAT_INTERVAL)

    await asyncio.gather(*(talk(client, n) for n, client in enumerate(clients)))
    # Every socket hears every acknowledged message: live, or (as the page's
    # script does on a gap or a "resync") by catching up with sync.
    for client in clients:
        await asyncio.sleep(0.5)
        stats.error("chat_gaps", len(set(acked) - client.seen))
        try:
            await client.sync()
            await client.until(lambda c=client: set(acked) <= c.seen, timeout=15)
        except SmokeFailure:
            stats.error("chat_lost", len(set(acked) - client.seen))
        await client.close()
    return workers


def run(topology, figures):
    facts = facts_of(topology)
    public = [path for path in facts["public_pages"] if path.startswith("/")] or [
        "/pl/",
        "/uk/",
        "/en/",
    ]
    session = http_session(topology)
    cookie = sign_in(topology, session, DEMO_ACCOUNT, facts["password"])
    members = facts["member_pages"]
    log(f"{len(public)} public pages, {len(members)} workspace pages")
    stats, stop = Stats(), threading.Event()
    threads = browsers(topology, public, members, cookie, stop, stats)
    chatting = DISCUSSION_ROUTE in facts["ws_routes"] and CHATTERS > 0
    chat_result = {}
    if chatting:
        threads.append(
            threading.Thread(
                target=lambda: chat_result.update(
                    workers=asyncio.run(chat(topology, facts, cookie, stop, stats))
                )
            )
        )
    else:
        log("!" * 72)
        log(f"CHAT SKIPPED: no route {DISCUSSION_ROUTE} on this branch (issue 6)")
        log("!" * 72)
    started = time.monotonic()
    for thread in threads:
        thread.start()
    time.sleep(DURATION)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    elapsed = time.monotonic() - started
    http_figures(figures, stats, elapsed)
    kind_figures(figures, stats, chatting, chat_result)


def browsers(topology, public, members, cookie, stop, stats):
    """READERS anonymous readers of the public pages and MEMBERS signed-in
    readers of the workspace pages, each in a thread."""
    return [
        threading.Thread(
            target=browse, args=(topology, "public", public, stop, stats, n)
        )
        for n in range(READERS)
    ] + [
        threading.Thread(
            target=browse,
            args=(topology, "member", members, stop, stats, n),
            kwargs={"cookie": cookie},
        )
        for n in range(MEMBERS)
    ]


def http_figures(figures, stats, elapsed):
    http = stats.latencies.get("public", []) + stats.latencies.get("member", [])
    figures["duration_s"] = round(elapsed, 1)
    figures["readers"], figures["members"] = READERS, MEMBERS
    figures["http_requests"] = len(http)
    figures["http_rps"] = round(len(http) / elapsed, 1)
    figures["http_p50_ms"] = round(percentile(http, 0.5) * 1000)
    figures["http_p99_ms"] = round(percentile(http, 0.99) * 1000)


def kind_figures(figures, stats, chatting, chat_result):
    """Latencies and errors per kind of traffic, then the verdict."""
    figures["chatters"] = CHATTERS if chatting else 0
    for kind in ("public", "member", "chat"):
        values = stats.latencies.get(kind, [])
        if kind == "chat" and not chatting:
            continue
        figures[f"{kind}_n"] = len(values)
        figures[f"{kind}_p50_ms"] = round(percentile(values, 0.5) * 1000)
        figures[f"{kind}_p99_ms"] = round(percentile(values, 0.99) * 1000)
        figures[f"{kind}_errors"] = stats.errors.get(kind, 0)
    if chatting:
        figures["chat_lost"] = stats.errors.get("chat_lost", 0)
        # Missed live and caught up by sync (not an error).
        figures["chat_caught_up"] = stats.errors.pop("chat_gaps", 0)
        figures["chat_workers"] = len(chat_result.get("workers", []))
    errors = sum(stats.errors.values())
    figures["errors"] = errors
    figures["load"] = "ok" if errors == 0 else "errors"


def main():
    stop_on_sigterm()
    figures = {"load": "failed"}
    try:
        with Topology() as topology:
            run(topology, figures)
    except Exception as failure:  # noqa: BLE001 -- reported, exit status 1
        log(f"FAILED: {failure!r}")
        figures["load"] = "failed"
    print(" ".join(f"{key}={value}" for key, value in figures.items()))
    return 0 if figures["load"] == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
