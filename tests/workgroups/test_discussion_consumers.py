"""The room's WebSocket (docs/security.md, AC-13, AC-14, IN-01, IN-06..IN-08,
DU-01..DU-03), through the whole ASGI stack with a session cookie."""

import asyncio
import json
import re
import uuid

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import translation

from wagtail.models import ModelLogEntry

from deploy.servers import free_port
from tests.factories import UserFactory
from tests.workgroups.discussion_helpers import (
    LeavingClient,
    keep_migrated_data,  # noqa: F401 -- used through usefixtures
    next_frame,
    nothing_more,
    open_socket,
    receive_type,
    send,
    socket_communicator,
)
from tests.workgroups.factories import MembershipFactory, group_with_roles
from workgroups.discussion import consumers, gate, selectors, services
from workgroups.discussion import hub as hub_module
from workgroups.discussion.hub import hub
from workgroups.models import Membership, Message, Topic
from workgroups.models.discussion import MessageQuerySet
from workgroups.services import membership_remove

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("keep_migrated_data"),
]


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    consumers.rate_limit.buckets.clear()
    yield
    consumers.rate_limit.buckets.clear()


@database_sync_to_async
def make_room_with_topic():
    chair = MembershipFactory(role=Membership.Role.CHAIR)
    group = chair.group
    expert = MembershipFactory(group=group)
    room = group.room
    topic = Topic.objects.create(room=room, title="Sprawy", created_by=chair.user)
    return {
        "group": group,
        "room": room,
        "topic": topic,
        "chair": chair.user,
        "expert": expert.user,
    }


def post_frame(world, body="Dzień dobry", client_id=None):
    return {
        "type": "post",
        "topic": world["topic"].pk,
        "body": body,
        "client_id": str(client_id or uuid.uuid4()),
    }


online = database_sync_to_async(selectors.online_names)


async def count(model, **filters):
    return await database_sync_to_async(model.objects.filter(**filters).count)()


async def test_anonymous_socket_is_refused():
    world = await make_room_with_topic()
    communicator, connected, code = await open_socket(None, world["group"].pk)
    assert not connected
    await communicator.disconnect()


async def test_outsider_is_refused_and_never_joins_the_room():
    world = await make_room_with_topic()
    outsider = await database_sync_to_async(UserFactory)()
    communicator, connected, _ = await open_socket(outsider, world["group"].pk)
    assert not connected
    assert world["room"].pk not in hub.rooms
    await communicator.disconnect()


async def test_member_of_another_group_is_refused():
    world = await make_room_with_topic()
    other = await database_sync_to_async(MembershipFactory)()
    communicator, connected, _ = await open_socket(other.user, world["group"].pk)
    assert not connected
    await communicator.disconnect()


async def test_foreign_origin_is_refused_even_with_a_session():
    world = await make_room_with_topic()
    communicator, connected, _ = await open_socket(
        world["expert"], world["group"].pk, origin=b"https://evil.example"
    )
    assert not connected
    await communicator.disconnect()


async def test_post_is_stored_acknowledged_and_reaches_the_other_member():
    world = await make_room_with_topic()
    sender, _, hello = await open_socket(world["expert"], world["group"].pk)
    listener, _, _ = await open_socket(world["chair"], world["group"].pk)
    assert hello["type"] == "hello"
    frame = post_frame(world, "Spotkanie w piątek, @nikt <b>ważne</b>")

    await send(sender, frame)
    ack = await receive_type(sender, "ack")
    event = await receive_type(listener, "message")

    stored = await database_sync_to_async(Message.objects.get)(pk=ack["id"])
    assert ack["client_id"] == frame["client_id"]
    assert ack["seq"] == stored.seq == 1
    assert event["op"] == "new"
    assert event["message"]["seq"] == 1
    assert event["message"]["body"] == "Spotkanie w piątek, @nikt <b>ważne</b>"
    await sender.disconnect()
    await listener.disconnect()


def page_item(user, world, seq, language):
    """The ``<li>`` of message ``seq`` on the topic page as ``user`` sees it."""
    client = Client()
    client.force_login(user)
    with translation.override(language):
        url = reverse("discussion:topic", args=[world["group"].pk, world["topic"].pk])
    text = client.get(url).text
    return re.search(
        rf'<li class="discussion-message[^"]*" id="m-{seq}".*?</li>', text, re.S
    )[0]


async def test_the_html_a_socket_delivers_is_what_the_page_renders():
    world = await make_room_with_topic()
    onlooker = (
        await database_sync_to_async(MembershipFactory)(group=world["group"])
    ).user
    sender, _, _ = await open_socket(world["expert"], world["group"].pk)
    listener, _, _ = await open_socket(onlooker, world["group"].pk)
    mention = f"@{world['chair'].username}"
    body = f"Zob. https://example.org/a?b=1&c=<2>, {mention} <b>x</b>\nnowa"
    await send(sender, post_frame(world, body))
    html = (await receive_type(listener, "message"))["message"]["html"]

    assert set(html) == {"pl", "uk", "en"}
    for language, fragment in html.items():
        page = await database_sync_to_async(page_item)(onlooker, world, 1, language)
        assert fragment.strip() == page
    assert '<strong class="mention">@' in html["pl"] and "<b>" not in html["pl"]
    # Every reader gets the same fragment: none of the author's or the chair's
    # controls, no CSRF token; their pages have them, the script adds them.
    for who in ("expert", "chair"):
        own = await database_sync_to_async(page_item)(world[who], world, 1, "pl")
        assert "csrfmiddlewaretoken" in own
    assert "csrfmiddlewaretoken" not in html["pl"] and "/edit/" not in html["pl"]
    await sender.disconnect()
    await listener.disconnect()


async def test_a_catch_up_comes_in_the_language_of_the_sockets_page():
    world = await make_room_with_topic()
    await database_sync_to_async(services.message_post)(
        author=world["expert"], topic=world["topic"], body="Hej", client_id=uuid.uuid4()
    )
    await database_sync_to_async(services.message_delete)(
        actor=world["expert"],
        message=await database_sync_to_async(Message.objects.get)(body="Hej"),
    )
    reader, _, _ = await open_socket(
        world["chair"],
        world["group"].pk,
        path=f"/ws/groups/{world['group'].pk}/?lang=en",
    )
    await send(reader, {"type": "sync", "last_seq": 0})
    (message,) = (await receive_type(reader, "sync"))["messages"]
    assert set(message["html"]) == {"en"}
    assert "Message deleted" in message["html"]["en"]
    await reader.disconnect()


async def test_live_messages_come_in_the_language_of_each_sockets_page():
    world = await make_room_with_topic()
    group = world["group"].pk
    readers = {}
    # None: no language named; "xx": one the site does not have (all three).
    for language in ("uk", "en", None, "xx"):
        query = f"?lang={language}" if language else ""
        readers[language], _, _ = await open_socket(
            world["chair"], group, path=f"/ws/groups/{group}/{query}"
        )
    sender, _, _ = await open_socket(world["expert"], group)
    await send(sender, post_frame(world, "Do zobaczenia"))
    await receive_type(sender, "ack")
    await database_sync_to_async(services.message_edit)(
        actor=world["expert"],
        message=await database_sync_to_async(Message.objects.get)(body="Do zobaczenia"),
        body="Do jutra",
    )

    for language, reader in readers.items():
        new = (await receive_type(reader, "message"))["message"]
        edited = await receive_type(reader, "message")
        known = language in ("pl", "uk", "en")
        wanted = {language} if known else {"pl", "uk", "en"}
        assert set(new["html"]) == wanted, language
        assert edited["op"] == "update" and set(edited["message"]["html"]) == wanted
        assert "Do jutra" in edited["message"]["html"][language if known else "pl"]
    assert "(edited)" in edited["message"]["html"]["en"]
    for socket in (*readers.values(), sender):
        await socket.disconnect()


async def test_resend_with_the_same_client_id_stores_one_message():
    world = await make_room_with_topic()
    sender, _, _ = await open_socket(world["expert"], world["group"].pk)
    frame = post_frame(world)

    await send(sender, frame)
    first = await receive_type(sender, "ack")
    await send(sender, frame)
    second = await receive_type(sender, "ack")

    assert first["id"] == second["id"]
    assert await count(Message, client_id=frame["client_id"]) == 1
    await sender.disconnect()


async def test_sequence_numbers_grow_by_one_per_room():
    world = await make_room_with_topic()
    sender, _, _ = await open_socket(world["expert"], world["group"].pk)
    seqs = []
    for number in range(5):
        await send(sender, post_frame(world, f"wiadomość {number}"))
        seqs.append((await receive_type(sender, "ack"))["seq"])
    assert seqs == [1, 2, 3, 4, 5]
    await sender.disconnect()


def _post_many(world, author, number):
    for index in range(number):
        services.message_post(
            author=author,
            topic=world["topic"],
            body=f"zaległa {index}",
            client_id=uuid.uuid4(),
        )


async def test_reconnect_catches_up_exactly_the_missed_messages_in_order():
    world = await make_room_with_topic()
    await database_sync_to_async(_post_many)(world, world["chair"], 3)
    reader, _, hello = await open_socket(world["expert"], world["group"].pk)
    last_seen = hello["last_seq"]
    await reader.disconnect()

    await database_sync_to_async(_post_many)(world, world["chair"], 50)

    reader, _, _ = await open_socket(world["expert"], world["group"].pk)
    await send(reader, {"type": "sync", "last_seq": last_seen})
    received = []
    while True:
        frame = await next_frame(reader, timeout=5)
        if frame["type"] == "sync":
            received += frame["messages"]
        elif frame["type"] == "synced":
            break
    assert [message["seq"] for message in received] == list(range(4, 54))
    assert received[0]["body"] == "zaległa 0"
    await reader.disconnect()


async def test_a_rename_and_close_made_while_away_come_with_the_catch_up():
    world = await make_room_with_topic()
    reader, _, hello = await open_socket(world["expert"], world["group"].pk)
    await reader.disconnect()

    def rename_and_close():
        services.topic_rename(
            actor=world["chair"], topic=world["topic"], title="Po zmianie"
        )
        services.topic_set_closed(
            actor=world["chair"], topic=world["topic"], closed=True
        )

    await database_sync_to_async(rename_and_close)()

    reader, _, _ = await open_socket(world["expert"], world["group"].pk)
    sync = {"type": "sync", "last_seq": hello["last_seq"]}
    await send(reader, {**sync, "topic": world["topic"].pk})
    topic = (await receive_type(reader, "topic"))["topic"]
    assert topic == {"id": world["topic"].pk, "title": "Po zmianie", "closed": True}
    assert (await receive_type(reader, "synced"))["type"] == "synced"

    other = await database_sync_to_async(_other_groups_topic)()
    await send(reader, {**sync, "topic": other.pk})
    assert (await receive_type(reader, "error"))["code"] == "forbidden"
    await reader.disconnect()


def _other_groups_topic():
    chair = group_with_roles()[Membership.Role.CHAIR]
    room = chair.group.room
    return services.topic_create(actor=chair.user, room=room, title="Cudzy")


async def test_a_gap_too_large_asks_the_client_to_reload(monkeypatch):
    world = await make_room_with_topic()
    monkeypatch.setattr("workgroups.discussion.selectors.CATCH_UP_LIMIT", 5)
    await database_sync_to_async(_post_many)(world, world["chair"], 6)
    reader, _, _ = await open_socket(world["expert"], world["group"].pk)
    await send(reader, {"type": "sync", "last_seq": 0})
    assert (await receive_type(reader, "reload"))["type"] == "reload"
    await reader.disconnect()


async def test_history_comes_page_by_page():
    world = await make_room_with_topic()
    await database_sync_to_async(_post_many)(world, world["chair"], 60)
    reader, _, _ = await open_socket(world["expert"], world["group"].pk)

    await send(reader, {"type": "history", "topic": world["topic"].pk})
    newest = await receive_type(reader, "history")
    await send(
        reader,
        {"type": "history", "topic": world["topic"].pk, "before_seq": 11},
    )
    oldest = await receive_type(reader, "history")

    assert [m["seq"] for m in newest["messages"]] == list(range(11, 61))
    assert newest["has_more"]
    assert [m["seq"] for m in oldest["messages"]] == list(range(1, 11))
    assert not oldest["has_more"]
    await reader.disconnect()


async def test_author_edits_and_deletes_and_others_see_it():
    world = await make_room_with_topic()
    author, _, _ = await open_socket(world["expert"], world["group"].pk)
    other, _, _ = await open_socket(world["chair"], world["group"].pk)
    await send(author, post_frame(world, "pierwsza wersja"))
    ack = await receive_type(author, "ack")
    await receive_type(other, "message")

    await send(author, {"type": "edit", "id": ack["id"], "body": "druga wersja"})
    edited = await receive_type(other, "message")
    await send(author, {"type": "delete", "id": ack["id"]})
    deleted = await receive_type(other, "message")

    assert edited["op"] == "update"
    assert edited["message"]["body"] == "druga wersja"
    assert edited["message"]["edited"]
    assert deleted["message"]["state"] == "deleted"
    assert deleted["message"]["body"] == ""
    await author.disconnect()
    await other.disconnect()


async def test_missed_edits_deletions_and_hidings_are_caught_up_in_order():
    """Changes of messages have numbers of the room's event stream, like new
    messages: a live change shows a gap to a client that missed one, and a
    reconnecting client gets every change it missed, in the current state."""
    world = await make_room_with_topic()
    author, _, _ = await open_socket(world["expert"], world["group"].pk)
    chair, _, _ = await open_socket(world["chair"], world["group"].pk)
    acks = []
    for body in ("pierwsza", "druga", "trzecia"):
        await send(author, post_frame(world, body))
        acks.append(await receive_type(author, "ack"))
        assert (await receive_type(chair, "message"))["op"] == "new"
    reader, _, hello = await open_socket(world["chair"], world["group"].pk)
    last_seen = hello["last_seq"]
    await reader.disconnect()

    await send(author, {"type": "edit", "id": acks[0]["id"], "body": "poprawiona"})
    edited = await receive_type(chair, "message")
    await send(author, {"type": "delete", "id": acks[1]["id"]})
    await receive_type(chair, "message")
    await send(chair, {"type": "hide", "id": acks[2]["id"]})
    await receive_type(chair, "done")
    await send(author, post_frame(world, "czwarta"))
    fourth = await receive_type(author, "ack")

    assert last_seen == 3
    assert edited["seq"] == edited["message"]["event"] == 4
    assert fourth["seq"] == 7  # three changes took 4, 5 and 6
    reader, _, hello = await open_socket(world["chair"], world["group"].pk)
    assert hello["last_seq"] == 7
    await send(reader, {"type": "sync", "last_seq": last_seen})
    caught_up = (await receive_type(reader, "sync"))["messages"]
    assert [(m["seq"], m["event"]) for m in caught_up] == [
        (1, 4),
        (2, 5),
        (3, 6),
        (7, 7),
    ]
    assert [(m["body"], m["state"]) for m in caught_up] == [
        ("poprawiona", ""),
        ("", "deleted"),
        ("", "hidden"),
        ("czwarta", ""),
    ]
    await send(reader, {"type": "sync", "last_seq": 5})
    assert [m["seq"] for m in (await receive_type(reader, "sync"))["messages"]] == [
        3,
        7,
    ]
    for socket in (author, chair, reader):
        await socket.disconnect()


async def test_someone_else_cannot_edit_or_delete_a_message():
    world = await make_room_with_topic()
    author, _, _ = await open_socket(world["expert"], world["group"].pk)
    chair, _, _ = await open_socket(world["chair"], world["group"].pk)
    await send(author, post_frame(world, "moje"))
    ack = await receive_type(author, "ack")

    await send(chair, {"type": "edit", "id": ack["id"], "body": "cudze"})
    error = await receive_type(chair, "error")
    await send(chair, {"type": "delete", "id": ack["id"]})
    error_delete = await receive_type(chair, "error")

    assert error["code"] == error_delete["code"] == "forbidden"
    stored = await database_sync_to_async(Message.objects.get)(pk=ack["id"])
    assert stored.body == "moje" and stored.deleted_at is None
    await author.disconnect()
    await chair.disconnect()


async def test_chair_hides_a_message_and_the_audit_log_records_it():
    world = await make_room_with_topic()
    author, _, _ = await open_socket(world["expert"], world["group"].pk)
    chair, _, _ = await open_socket(world["chair"], world["group"].pk)
    await send(author, post_frame(world, "niestosowne"))
    ack = await receive_type(author, "ack")

    await send(chair, {"type": "hide", "id": ack["id"]})
    hidden = await receive_type(author, "message")
    while hidden["op"] != "update":
        hidden = await receive_type(author, "message")

    assert hidden["message"]["state"] == "hidden"
    assert hidden["message"]["body"] == ""
    assert (
        await count(
            ModelLogEntry,
            action="workgroups.message.hide",
            object_id=str(ack["id"]),
            user_id=world["chair"].pk,
        )
        == 1
    )
    await author.disconnect()
    await chair.disconnect()


async def test_an_expert_cannot_hide_messages():
    world = await make_room_with_topic()
    author, _, _ = await open_socket(world["chair"], world["group"].pk)
    expert, _, _ = await open_socket(world["expert"], world["group"].pk)
    await send(author, post_frame(world, "zdanie"))
    ack = await receive_type(author, "ack")
    await send(expert, {"type": "hide", "id": ack["id"]})
    assert (await receive_type(expert, "error"))["code"] == "forbidden"
    await author.disconnect()
    await expert.disconnect()


BAD_FRAMES = [
    ("{not json", "bad_json"),
    ("[1, 2]", "bad_frame"),
    ('"text"', "bad_frame"),
    ("{}", "bad_frame"),
    ('{"type": 5}', "bad_frame"),
    ('{"type": "chat.message", "body": "x"}', "unknown_type"),
    ('{"type": "join", "group": "B"}', "unknown_type"),
    ('{"type": "websocket.disconnect"}', "unknown_type"),
    ('{"type": "post", "topic": "1", "body": "x", "client_id": "x"}', "bad_field"),
    ('{"type": "post", "body": "x"}', "bad_field"),
    ('{"type": "sync", "last_seq": -1}', "bad_field"),
    ('{"type": "sync", "last_seq": true}', "bad_field"),
    ('{"type": "history", "topic": 1.5}', "bad_field"),
    ("[" * 10_000 + "]" * 10_000, "too_large"),
    ("[" * 5_000 + "]" * 5_000, "bad_json"),
    ('{"type": "sync", "last_seq": ' + "9" * 5000 + "}", "bad_json"),
    ("x" * 20_000, "too_large"),
]


@pytest.mark.parametrize(("text", "code"), BAD_FRAMES)
async def test_bad_frames_get_an_error_and_the_socket_survives(text, code):
    world = await make_room_with_topic()
    socket, _, _ = await open_socket(world["expert"], world["group"].pk)

    await socket.send_to(text_data=text)
    error = await receive_type(socket, "error")
    await send(socket, {"type": "ping"})
    pong = await receive_type(socket, "pong")

    assert error["code"] == code
    assert "Traceback" not in json.dumps(error)
    assert pong["type"] == "pong"
    assert await count(Message) == 0
    await socket.disconnect()


async def test_a_post_whose_author_left_meanwhile_is_kept_and_no_error(caplog):
    """The network dropped while the post was handled: the message is
    stored (the author's resend finds it), the answer that can no longer be
    sent is no server error, and the socket still leaves the room."""
    world = await make_room_with_topic()
    client = LeavingClient()
    socket, _, _ = await open_socket(world["expert"], world["group"].pk, app=client)

    client.leave()
    await send(socket, post_frame(world, "Ostatnie słowo"))
    for _ in range(100):
        if await count(Message, body="Ostatnie słowo"):
            break
        await asyncio.sleep(0.05)
    await socket.receive_nothing(timeout=0.3)
    assert not socket.future.done(), "the consumer ended before its disconnect"
    await socket.disconnect()

    assert await count(Message, body="Ostatnie słowo") == 1
    assert not [record for record in caplog.records if record.levelname == "ERROR"]
    assert world["room"].pk not in hub.rooms


async def test_a_client_gone_before_its_hello_is_not_left_online():
    world = await make_room_with_topic()
    socket = await socket_communicator(
        world["expert"], world["group"].pk, app=LeavingClient(sends=1)
    )
    connected, _ = await socket.connect()
    assert connected and world["room"].pk in hub.rooms
    await socket.disconnect()

    assert world["room"].pk not in hub.rooms
    assert await online(world["room"].pk) == []


async def test_binary_frames_get_an_error():
    world = await make_room_with_topic()
    socket, _, _ = await open_socket(world["expert"], world["group"].pk)
    await socket.send_to(bytes_data=b"\x00\x01")
    assert (await receive_type(socket, "error"))["code"] == "binary"
    await socket.disconnect()


@pytest.mark.parametrize(
    "body",
    ["x" * 4001, "a\x00b", "\ud800 samotny", "   "],
    ids=["too-long", "nul", "lone-surrogate", "blank"],
)
async def test_invalid_text_is_refused_and_not_stored(body):
    world = await make_room_with_topic()
    socket, _, _ = await open_socket(world["expert"], world["group"].pk)
    frame = post_frame(world, body)
    await send(socket, frame)
    error = await receive_type(socket, "error")
    assert error["code"] == "invalid"
    assert error["client_id"] == frame["client_id"]
    assert await count(Message) == 0
    await socket.disconnect()


async def test_text_at_the_limit_with_emoji_and_bidi_is_stored():
    world = await make_room_with_topic()
    socket, _, _ = await open_socket(world["expert"], world["group"].pk)
    body = "🙂 e\u0301 \u202eabc " + "x" * 3990
    await send(socket, post_frame(world, body[:4000]))
    ack = await receive_type(socket, "ack")
    assert ack["seq"] == 1
    await socket.disconnect()


async def test_a_flood_is_throttled_and_the_socket_survives():
    world = await make_room_with_topic()
    socket, _, _ = await open_socket(world["expert"], world["group"].pk)
    for _ in range(200):
        await send(socket, {"type": "ping"})
    codes = []
    for _ in range(200):
        frame = await next_frame(socket, timeout=5)
        while frame["type"] == "presence":
            frame = await next_frame(socket, timeout=5)
        codes.append(frame.get("code", frame["type"]))
    assert codes.count("rate_limited") >= 150
    assert codes.count("pong") >= consumers.RATE_BURST
    consumers.rate_limit.buckets.clear()
    await sync_to_async(cache.clear)()
    await send(socket, {"type": "ping"})
    assert (await receive_type(socket, "pong"))["type"] == "pong"
    await socket.disconnect()


async def test_the_flood_limit_holds_in_process_while_the_shared_cache_is_away(
    monkeypatch,
):
    world = await make_room_with_topic()
    socket, _, _ = await open_socket(world["expert"], world["group"].pk)

    def broken(*args, **kwargs):
        raise ConnectionError("cache away")

    # On the class: each thread has its own cache object.
    monkeypatch.setattr(type(caches["default"]), "get", broken)
    if settings.CACHES["default"]["BACKEND"].endswith(".RedisCache"):
        # The limiter talks to the cache's Redis itself: one that is not there.
        monkeypatch.setitem(
            settings.CACHES["default"], "LOCATION", "redis://127.0.0.1:9/0"
        )
    # A fresh client, of the Redis that is not there.
    monkeypatch.setattr(gate.cache_redis, "loop", None)
    monkeypatch.setattr(consumers.shared_rate_limit, "skip_until", 0.0)
    for _ in range(60):
        await send(socket, {"type": "ping"})
    codes = []
    for _ in range(60):
        frame = await next_frame(socket, timeout=5)
        while frame["type"] == "presence":
            frame = await next_frame(socket, timeout=5)
        codes.append(frame.get("code", frame["type"]))
    assert codes.count("rate_limited") >= 20
    assert consumers.RATE_BURST <= codes.count("pong") < 40
    assert consumers.shared_rate_limit.skip_until > 0  # the outage was noticed
    await socket.disconnect()


async def test_observer_cannot_post():
    world = await make_room_with_topic()
    observer = await database_sync_to_async(MembershipFactory)(
        group=world["group"], role=Membership.Role.OBSERVER
    )
    socket, _, _ = await open_socket(observer.user, world["group"].pk)
    await send(socket, post_frame(world))
    assert (await receive_type(socket, "error"))["code"] == "forbidden"
    assert await count(Message) == 0
    await socket.disconnect()


async def test_a_removed_member_is_cut_off():
    world = await make_room_with_topic()
    socket, _, _ = await open_socket(world["expert"], world["group"].pk)
    membership = await database_sync_to_async(Membership.objects.get)(
        user=world["expert"], group=world["group"]
    )

    await database_sync_to_async(membership_remove)(
        actor=world["chair"], membership=membership
    )

    while True:
        output = await socket.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            break
    assert output["code"] == 4403
    await socket.disconnect()


async def test_broadcast_failure_still_stores_and_acknowledges(monkeypatch):
    world = await make_room_with_topic()
    socket, _, _ = await open_socket(world["expert"], world["group"].pk)

    def broken(*args, **kwargs):
        raise ConnectionError("doorbell broken")

    monkeypatch.setattr(hub, "publish", broken)
    monkeypatch.setattr(hub, "publish_many", broken)
    await send(socket, post_frame(world, "mimo awarii"))
    ack = await receive_type(socket, "ack")
    assert ack["seq"] == 1
    assert await count(Message, body="mimo awarii") == 1
    await socket.disconnect()


async def test_database_outage_answers_retry_and_the_resend_is_stored_once(
    monkeypatch,
):
    """docs/security.md, DU-05: while the database is away a post is neither
    stored nor acknowledged; the socket survives, and the resend with the
    same client id, once the database is back, is stored once."""
    world = await make_room_with_topic()
    socket, _, _ = await open_socket(world["expert"], world["group"].pk)
    await receive_type(socket, "presence")  # the socket is recorded
    frame = post_frame(world, "podczas awarii")
    with monkeypatch.context() as outage:
        # The database goes away: the sockets' open connection ends and new
        # connections fail.
        database = connections.settings["default"]
        if connection.vendor == "sqlite":
            outage.setitem(database, "NAME", "/nonexistent/platforma.sqlite3")
        else:
            outage.setitem(database, "PORT", str(free_port()))
        await database_sync_to_async(lambda: connection.close())()
        await send(socket, frame)
        error = await receive_type(socket, "error")
        await send(socket, {"type": "sync", "last_seq": 0})
        during_sync = await receive_type(socket, "error")
    assert error == {
        "type": "error",
        "code": "unavailable",
        "client_id": frame["client_id"],
        "retry": True,
    }
    assert during_sync["code"] == "unavailable"

    await send(socket, frame)  # the database is back: the client resends
    ack = await receive_type(socket, "ack")
    await send(socket, frame)  # … and once more, as after a lost ack
    again = await receive_type(socket, "ack")
    assert ack["seq"] == again["seq"] == 1
    assert await count(Message, body="podczas awarii") == 1
    await socket.disconnect()


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="terminates PostgreSQL server processes",
)
async def test_sockets_survive_a_database_restart(monkeypatch):
    """DU-05 on PostgreSQL: the connection a worker keeps open is ended by
    the server (as by a restart); the next post is stored and acknowledged
    on a new connection (health checks), and the socket lives on."""
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", None)
    world = await make_room_with_topic()
    socket, _, _ = await open_socket(world["expert"], world["group"].pk)
    await send(socket, post_frame(world, "przed restartem"))
    assert (await receive_type(socket, "ack"))["seq"] == 1

    @database_sync_to_async
    def backend_of_the_sockets():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    def terminate(pid):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                return cursor.fetchone()[0]
        finally:
            connection.close()

    pid = await backend_of_the_sockets()
    assert await sync_to_async(terminate, thread_sensitive=False)(pid)

    await send(socket, post_frame(world, "po restarcie"))
    frame = await receive_type(socket, "ack")
    assert frame["seq"] == 2
    assert await count(Message) == 2
    assert await backend_of_the_sockets() != pid
    await socket.disconnect()


async def test_failed_insert_broadcasts_nothing_and_answers_an_error(monkeypatch):
    world = await make_room_with_topic()
    sender, _, _ = await open_socket(world["expert"], world["group"].pk)
    listener, _, _ = await open_socket(world["chair"], world["group"].pk)

    def broken(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(MessageQuerySet, "bulk_create", broken)
    frame = post_frame(world)
    await send(sender, frame)
    error = await receive_type(sender, "error")

    assert error == {
        "type": "error",
        "code": "server_error",
        "client_id": frame["client_id"],
    }
    assert await count(Message) == 0
    heard = [frame["type"] for frame in await nothing_more(listener)]
    assert "message" not in heard
    await sender.disconnect()
    await listener.disconnect()


async def test_overflowing_outbox_asks_the_client_to_resync(monkeypatch):
    world = await make_room_with_topic()
    monkeypatch.setattr(hub_module, "OUTBOX_LIMIT", 5)
    socket, _, _ = await open_socket(world["expert"], world["group"].pk)
    await database_sync_to_async(_post_many)(world, world["chair"], 100)

    # A burst larger than the outbox, delivered in one go.
    for number in range(100):
        hub._deliver(world["room"].pk, json.dumps({"type": "noise", "n": number}))
    await receive_type(socket, "resync")
    await send(socket, {"type": "sync", "last_seq": 0})
    received = []
    while True:
        frame = await next_frame(socket, timeout=5)
        if frame["type"] == "sync":
            received += frame["messages"]
        elif frame["type"] == "synced":
            break
    assert [message["seq"] for message in received] == list(range(1, 101))
    await socket.disconnect()


async def test_presence_lists_who_is_online():
    world = await make_room_with_topic()
    first, _, _ = await open_socket(world["expert"], world["group"].pk)
    second, _, _ = await open_socket(world["chair"], world["group"].pk)
    names = await sync_to_async(
        lambda: sorted(u.get_full_name() for u in (world["expert"], world["chair"]))
    )()
    presence = await receive_type(first, "presence")
    while len(presence["online"]) < 2:
        presence = await receive_type(first, "presence")
    assert presence["online"] == names
    await first.disconnect()
    await second.disconnect()
