"""What the access check of one WebSocket frame costs (run by
``bench/discussion.py`` in the benchmark's environment): the gate of a
socket (``workgroups/discussion/gate.py``) checked over and over, as before
every frame — one read of the person's access generation from the cache's
Redis — and, for comparison, its look at the database (at connect, after a
change, or when the cache cannot answer). Prints one JSON object."""

import asyncio
import json
import statistics
import sys
import time

import django


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


async def measure(group_id, session_key, user_id, checks, looks):
    from workgroups.discussion.gate import AccessGate

    gate = AccessGate(user_id=user_id, session_key=session_key, group_id=group_id)
    if (await gate.recheck()).membership is None:
        raise SystemExit("the benchmark's member is refused")
    check_us, look_ms = [], []
    for _ in range(checks):
        started = time.perf_counter()
        verdict = await gate.check()
        check_us.append((time.perf_counter() - started) * 1e6)
        if verdict.membership is None:
            raise SystemExit("the benchmark's member was refused")
    for _ in range(looks):
        started = time.perf_counter()
        await gate.recheck()
        look_ms.append((time.perf_counter() - started) * 1e3)
    return {
        "frame_check_us_p50": statistics.median(check_us),
        "frame_check_us_p99": percentile(check_us, 0.99),
        "db_look_ms_p50": statistics.median(look_ms),
    }


def main():
    group_id, cookie = int(sys.argv[1]), sys.argv[2]
    django.setup()
    from django.contrib.sessions.backends.db import SessionStore

    session_key = cookie.split("=", 1)[1]
    user_id = int(SessionStore(session_key).load()["_auth_user_id"])
    figures = asyncio.run(measure(group_id, session_key, user_id, 5000, 200))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
