"""Suggestions through the live document's WebSocket
(docs/subsystems/suggestions.md): whoever may only suggest (everybody in
group review, experts where the group says so) has every change beyond
suggestions refused with ``suggest_only`` and nothing stored; nobody makes
a suggestion in someone else's name; a decision reaches every editor."""

import pytest
from channels.db import database_sync_to_async

from documents import suggestions
from documents.live import store
from documents.models import Draft, LiveUpdate
from tests.documents.live_helpers import add_paragraph, connect, readable
from tests.documents.test_live_socket import draft_with_people
from tests.workgroups.discussion_helpers import (
    keep_migrated_data,  # noqa: F401 -- used through usefixtures
)

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("keep_migrated_data"),
]


def mark(ident, author):
    return {"id": ident, "author": author, "at": "2026-12-03T08:00:00Z"}


def suggest_insertion(ident, author, text=" Nowe zdanie."):
    def change(root):
        paragraph = root.children[1].children[0]
        paragraph.insert(len(paragraph), text, {"insertion": mark(ident, author)})

    return change


def plain_typing(root):
    root.children[1].children[0].insert(0, "Wprost. ")


@database_sync_to_async
def in_group_review(draft_id):
    Draft.objects.filter(pk=draft_id).update(status=Draft.Status.GROUP_REVIEW)


@database_sync_to_async
def experts_only_suggest(draft):
    draft.group.experts_only_suggest = True
    draft.group.save()


@database_sync_to_async
def stored(draft_id):
    return readable(store.load_doc(draft_id)), LiveUpdate.objects.filter(
        draft_id=draft_id
    ).count()


async def test_in_group_review_an_experts_suggestion_is_stored_and_seen():
    people = await draft_with_people()
    draft_id = people["draft"].pk
    await in_group_review(draft_id)
    expert = await connect(people["expert"], draft_id)
    chair = await connect(people["chair"], draft_id)

    assert expert.hello == {"type": "hello", "writable": True, "suggesting": True}
    await expert.edit(suggest_insertion("s1", people["expert"].pk))
    await chair.drain()

    assert "Nowe zdanie." in chair.text
    assert not [n for n in expert.notices if n["type"] == "error"]
    assert (await stored(draft_id))[1] == 1
    await expert.close()
    await chair.close()


@pytest.mark.parametrize("change", ["plain", "new block", "another's name"])
async def test_a_change_beyond_ones_own_suggestions_is_refused_in_group_review(change):
    people = await draft_with_people()
    draft_id = people["draft"].pk
    await in_group_review(draft_id)
    expert = await connect(people["expert"], draft_id)
    before = await stored(draft_id)

    await expert.edit(
        {
            "plain": plain_typing,
            "new block": add_paragraph("Nowy akapit."),
            "another's name": suggest_insertion("s2", people["chair"].pk),
        }[change]
    )
    await expert.drain()

    code = "not_yours" if change == "another's name" else "suggest_only"
    assert {"type": "error", "code": code} in expert.notices
    assert await stored(draft_id) == before
    await expert.close()


async def test_a_group_may_let_its_experts_only_suggest_while_the_chair_writes():
    people = await draft_with_people()
    draft_id = people["draft"].pk
    await experts_only_suggest(people["draft"])
    expert = await connect(people["expert"], draft_id)
    chair = await connect(people["chair"], draft_id)

    await expert.edit(plain_typing)
    await expert.drain()
    await chair.edit(plain_typing)
    await chair.drain()

    assert expert.hello["suggesting"] is True and chair.hello["suggesting"] is False
    assert {"type": "error", "code": "suggest_only"} in expert.notices
    assert not [n for n in chair.notices if n["type"] == "error"]
    assert (await stored(draft_id))[0].count("Wprost. ") == 1
    await expert.close()
    await chair.close()


async def test_an_observers_suggestion_is_refused():
    people = await draft_with_people()
    draft_id = people["draft"].pk
    observer = await connect(people["observer"], draft_id)
    before = await stored(draft_id)

    await observer.edit(suggest_insertion("s3", people["observer"].pk))
    await observer.drain()

    assert {"type": "error", "code": "read_only"} in observer.notices
    assert await stored(draft_id) == before
    await observer.close()


async def test_a_decision_on_the_server_reaches_every_open_editor():
    people = await draft_with_people()
    draft_id = people["draft"].pk
    expert = await connect(people["expert"], draft_id)
    chair = await connect(people["chair"], draft_id)
    await expert.edit(suggest_insertion("s4", people["expert"].pk))
    await chair.drain()

    await database_sync_to_async(suggestions.suggestion_decide)(
        actor=people["chair"], draft_id=draft_id, accept=False, suggestion_id="s4"
    )
    await expert.drain()
    await chair.drain()

    assert "Nowe zdanie." not in expert.text
    assert expert.text == chair.text == (await stored(draft_id))[0]
    await expert.close()
    await chair.close()
