"""The simulated authors of ``make bench-coediting`` speak the site's
protocol: against one daphne worker, two of them edit, each edit is counted
as arrived at the other exactly once, and both replicas hold what the
database stored (docs/benchmarks.md#make-bench-coediting)."""

import asyncio
import random

import pytest

from bench.coediting_authors import Author, Run, document_text, open_all, wait_arrivals
from deploy.servers import redis_server, stop
from documents.live import store
from tests.documents.helpers import chair_of, group_with_draft
from tests.documents.test_live_workers import Worker
from tests.workgroups.discussion_helpers import (
    keep_migrated_data,  # noqa: F401 -- used through usefixtures
    session_cookie,
)

pytestmark = [
    pytest.mark.multiprocess,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("keep_migrated_data"),
]


def test_bench_authors_edit_through_the_site_and_count_every_arrival():
    # ASCII: the authors type at random byte offsets (bench/coediting.py).
    author, draft = group_with_draft("# Diagnoza\n\nWspolny akapit.")
    draft_id = draft.pk
    cookies = [session_cookie(author.user), session_cookie(chair_of(draft.group))]

    async def scenario(port):
        run = Run(2)
        url = f"ws://127.0.0.1:{port}/ws/drafts/{draft_id}/"
        authors = [Author(url, run, cookie=cookie.decode()) for cookie in cookies]
        await open_all(authors)
        rng = random.Random(13)  # noqa: S311
        for _ in range(3):
            await asyncio.gather(*(author.edit(rng) for author in authors))
        await wait_arrivals(run, 30)
        for author in authors:
            await author.close()
        return run, authors

    with redis_server() as redis:
        worker = Worker(redis.url)
        try:
            run, authors = asyncio.run(scenario(worker.port))
        finally:
            stop(worker.process)

    assert (run.sent, run.expected, run.arrived) == (6, 6, 6)
    assert len(run.latencies) == 6
    assert run.errors == []
    stored = document_text(store.load_doc(draft_id))
    assert [document_text(author.doc) for author in authors] == [stored, stored]
    typed = "".join(text for _, _, text in stored)
    assert len(typed) == len("DiagnozaWspolny akapit.") + 6 * 2
