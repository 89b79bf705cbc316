"""The live document's WebSocket (docs/subsystems/co-editing.md): the Yjs
protocol, access at connect and per frame, read-only states, refused
updates that change nothing."""

import asyncio

import pytest
from channels.db import database_sync_to_async
from pycrdt import Doc, XmlElement, XmlText

from django.core.cache import cache

from documents.live import convert, protocol, store
from documents.live.rooms import Room, drafts_hub
from documents.models import Draft, LiveUpdate
from tests.documents.helpers import group_with_draft
from tests.documents.live_helpers import (
    LiveClient,
    add_paragraph,
    closed_with,
    connect,
    readable,
    type_into,
)
from tests.workgroups.discussion_helpers import (
    LeavingClient,
    keep_migrated_data,  # noqa: F401 -- used through usefixtures
)
from tests.workgroups.factories import MembershipFactory
from workgroups import page_cache
from workgroups.models import Membership
from workgroups.services import membership_remove

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("keep_migrated_data"),
]


@database_sync_to_async
def draft_with_people():
    author, draft = group_with_draft("# Diagnoza\n\nPierwszy akapit.")
    observer = MembershipFactory(group=draft.group, role=Membership.Role.OBSERVER)
    chair = MembershipFactory(group=draft.group, role=Membership.Role.CHAIR)
    outsider = MembershipFactory()
    return {
        "draft": draft,
        "expert": author.user,
        "observer": observer.user,
        "chair": chair.user,
        "outsider": outsider.user,
    }


@database_sync_to_async
def stored_text(draft_id):
    return readable(store.load_doc(draft_id))


async def test_a_writer_gets_the_draft_and_another_writer_sees_their_typing():
    people = await draft_with_people()
    draft_id = people["draft"].pk
    expert = await connect(people["expert"], draft_id)
    chair = await connect(people["chair"], draft_id)

    assert expert.hello == {"type": "hello", "writable": True, "suggesting": False}
    assert "Pierwszy akapit." in expert.text and "Diagnoza" in expert.text
    await expert.edit(type_into(1, 0, "Nowy. "))
    await chair.drain()

    assert "Nowy. Pierwszy akapit." in chair.text
    assert chair.text == expert.text == await stored_text(draft_id)
    await expert.close()
    await chair.close()


async def test_typing_makes_afresh_only_the_pages_of_the_drafts_group():
    """A draft is shown to its group's members only: what its writers type
    moves that group's generation of remembered workspace pages, not the
    whole site's (workgroups/page_cache.py)."""
    people = await draft_with_people()
    group_key = page_cache.group_generation_key(people["draft"].group_id)
    expert = await connect(people["expert"], people["draft"].pk)
    chair = await connect(people["chair"], people["draft"].pk)

    def generations():
        return cache.get(page_cache.WORKSPACE_GENERATION_KEY), cache.get(group_key)

    site, group = await database_sync_to_async(generations)()
    await expert.edit(type_into(1, 0, "Nowy. "))
    await chair.drain()  # stored, committed and published
    after = await database_sync_to_async(generations)()

    assert "Nowy. Pierwszy akapit." in chair.text
    assert after[0] == site
    assert after[1] != group
    await expert.close()
    await chair.close()


async def test_concurrent_typing_in_one_paragraph_converges_everywhere():
    people = await draft_with_people()
    draft_id = people["draft"].pk
    expert = await connect(people["expert"], draft_id)
    chair = await connect(people["chair"], draft_id)

    for word in ("raz ", "dwa ", "trzy "):
        await expert.edit(type_into(1, 0, word))
        await chair.edit(type_into(1, 0, word.upper()))
    await expert.drain()
    await chair.drain()

    assert expert.text == chair.text == await stored_text(draft_id)
    for word in ("raz", "DWA", "trzy"):
        assert word in expert.text
    await expert.close()
    await chair.close()


async def test_a_client_gone_before_its_answer_is_no_server_error(caplog):
    people = await draft_with_people()
    client = LeavingClient()
    expert = await connect(people["expert"], people["draft"].pk, app=client)

    client.leave()
    await expert.send(protocol.step1(Doc()))  # answered by the server's step 2
    await expert.communicator.receive_nothing(timeout=0.5)
    assert not expert.communicator.future.done(), "it ended before its disconnect"
    await expert.close()

    assert not [record for record in caplog.records if record.levelname == "ERROR"]
    assert not drafts_hub.rooms


async def test_an_observer_reads_live_but_their_updates_are_refused():
    people = await draft_with_people()
    draft_id = people["draft"].pk
    observer = await connect(people["observer"], draft_id)
    before = await stored_text(draft_id)

    assert observer.hello == {"type": "hello", "writable": False, "suggesting": False}
    assert "Pierwszy akapit." in observer.text
    await observer.edit(add_paragraph("Nie wolno."))
    await observer.drain()

    assert {"type": "error", "code": "read_only"} in observer.notices
    assert await stored_text(draft_id) == before
    await observer.close()


async def test_an_outsider_is_refused_at_connect():
    people = await draft_with_people()

    refused = await connect(people["outsider"], people["draft"].pk)

    assert not isinstance(refused, LiveClient)  # the handshake was refused


async def test_in_group_review_a_change_that_is_no_suggestion_is_refused():
    people = await draft_with_people()
    draft_id = people["draft"].pk
    await database_sync_to_async(Draft.objects.filter(pk=draft_id).update)(
        status=Draft.Status.GROUP_REVIEW
    )
    chair = await connect(people["chair"], draft_id)

    await chair.edit(add_paragraph("Za późno."))
    await chair.drain()

    assert chair.hello == {"type": "hello", "writable": True, "suggesting": True}
    assert {"type": "error", "code": "suggest_only"} in chair.notices
    assert not await database_sync_to_async(
        LiveUpdate.objects.filter(draft_id=draft_id).exists
    )()
    await chair.close()


async def test_a_draft_sent_to_review_while_open_refuses_the_next_update():
    people = await draft_with_people()
    draft_id = people["draft"].pk
    chair = await connect(people["chair"], draft_id)
    await database_sync_to_async(Draft.objects.filter(pk=draft_id).update)(
        status=Draft.Status.GROUP_REVIEW
    )
    before = await stored_text(draft_id)

    await chair.edit(add_paragraph("Za późno."))
    await chair.drain()

    assert {"type": "hello", "writable": True, "suggesting": True} in chair.notices
    assert {"type": "error", "code": "suggest_only"} in chair.notices
    assert await stored_text(draft_id) == before
    await chair.close()


async def test_a_member_removed_is_disconnected_at_once():
    people = await draft_with_people()
    draft = people["draft"]
    expert = await connect(people["expert"], draft.pk)

    @database_sync_to_async
    def remove():
        membership = Membership.objects.get(user=people["expert"], group=draft.group)
        membership_remove(actor=people["chair"], membership=membership)

    await remove()

    assert await closed_with(expert) == 4403


@pytest.mark.parametrize(
    "frame, code",
    [
        (b"\x07", "malformed"),
        (b"\x00\x02\x05ab", "malformed"),
        (protocol.update_message(b"\x01\x02garbage"), "malformed"),
        (b"\x00\x02" + b"\xff" * 12, "malformed"),
        (b"\x00\x02\x80\x80\x80\x20" + b"x" * (600 * 1024), "too_large"),
    ],
)
async def test_a_malformed_or_oversized_update_is_refused_and_changes_nothing(
    frame, code
):
    people = await draft_with_people()
    draft_id = people["draft"].pk
    expert = await connect(people["expert"], draft_id)
    before = await stored_text(draft_id)

    await expert.send(frame)
    await expert.drain()

    assert {"type": "error", "code": code} in expert.notices
    assert await stored_text(draft_id) == before
    await expert.edit(type_into(1, 0, "Dalej. "))  # the socket lives on
    await expert.drain()
    assert "Dalej. Pierwszy" in await stored_text(draft_id)
    await expert.close()


def _update_of(doc, change):
    before = doc.get_state()
    change(convert.fragment(doc))
    return doc.get_update(before)


async def test_updates_sent_together_are_stored_together_and_a_bad_one_alone_refused():
    """Group commit: what arrives while a batch is written is checked and
    stored as one; an update that is not a draft's is refused to its sender
    and the others are kept."""
    people = await draft_with_people()
    draft_id = people["draft"].pk
    room = Room(draft_id, people["draft"].group_id)
    await room.refresh()
    writer = Doc()
    writer.apply_update(room.doc.get_update())
    first = _update_of(writer, type_into(1, 0, "Raz. "))
    second = _update_of(writer, type_into(1, 0, "Dwa. "))
    table = XmlElement("table", {}, [XmlText("Tabela")])
    bad = _update_of(writer, lambda root: root.children.append(table))
    rows_before = await database_sync_to_async(LiveUpdate.objects.count)()

    results = await asyncio.gather(
        *(
            room.store(update, author_id=people["expert"].pk, connection_id=name)
            for name, update in (("a", first), ("b", bad), ("c", second))
        ),
        return_exceptions=True,
    )

    assert results[0] is None and results[2] is None
    assert isinstance(results[1], protocol.Malformed)
    assert results[1].code == "not_a_draft"
    assert await database_sync_to_async(LiveUpdate.objects.count)() == rows_before + 2
    stored = await stored_text(draft_id)
    assert "Dwa. Raz. Pierwszy akapit." in stored and "Tabela" not in stored
    assert readable(room.doc) == stored


async def test_the_last_writer_leaving_asks_for_the_quiet_version(monkeypatch):
    from documents.live import consumers

    scheduled = []
    monkeypatch.setattr(consumers, "schedule_quiet_version", scheduled.append)
    people = await draft_with_people()
    draft_id = people["draft"].pk
    expert = await connect(people["expert"], draft_id)
    observer = await connect(people["observer"], draft_id)
    await expert.edit(type_into(1, 0, "Nowy. "))
    await expert.drain()

    await expert.close()
    assert scheduled == [draft_id]  # the observer reading on changes nothing
    await observer.close()
    assert scheduled == [draft_id]
