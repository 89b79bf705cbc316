"""Access that ends ends on open connections too, whichever way it ends
(docs/security.md, AC-14, AU-06): real uvicorn workers on a Redis of the
test's own, real WebSockets, the change made from this process — as an
administrator's request, a script or another worker would make it.

For every path: the affected person's sockets on both workers close within
a second, with the code the page explains; a message posted right after the
change reaches neither of them; an unaffected member keeps receiving."""

import asyncio
import json
import time
import uuid

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from django.test import Client

from deploy.servers import redis_server
from platforma.settings.test import CACHE_KEY_PREFIX, cache_location
from tests.factories import UserFactory, sign_in
from tests.utils import run_manage, site_environment, workers
from tests.workgroups.discussion_helpers import (
    keep_migrated_data,  # noqa: F401 -- used through usefixtures
)
from tests.workgroups.factories import MembershipFactory, WorkingGroupFactory
from workgroups import access
from workgroups.discussion import services
from workgroups.discussion.hub import hub
from workgroups.models import Membership, Topic

pytestmark = [
    pytest.mark.multiprocess,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("keep_migrated_data"),
]

SIGNED_OUT, NOT_MEMBER = access.CLOSE_SIGNED_OUT, access.CLOSE_NOT_MEMBER
WITHIN = 1.0  # seconds from the committed change to the closed socket


@pytest.fixture(scope="module")
def two_workers(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        redis_server() as redis,
        workers(2, redis.url) as ports,
    ):
        yield redis.url, ports


@pytest.fixture
def on_their_redis(settings, two_workers):
    """This process announces changes where the workers listen: their Redis
    (pub/sub) and their cache (the access generations)."""
    url, _ports = two_workers
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": cache_location(url),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
    return two_workers[1]


class World:
    """A group with a chair (who posts), the affected expert signed in twice
    (one session per worker, or the same session on both) and an unaffected
    expert."""

    def __init__(self, *, shared_session=True):
        chair = MembershipFactory(role=Membership.Role.CHAIR)
        self.group = chair.group
        self.chair = chair.user
        self.affected = MembershipFactory(group=self.group)
        self.bystander = MembershipFactory(group=self.group).user
        room = self.group.room
        self.topic = Topic.objects.create(room=room, title="Odwołanie dostępu")
        self.clients = [sign_in(Client(), self.affected.user)]
        if not shared_session:
            self.clients.append(sign_in(Client(), self.affected.user))
        self.bystander_cookie = _cookie(sign_in(Client(), self.bystander))

    def affected_cookies(self):
        first = _cookie(self.clients[0])
        return first, _cookie(self.clients[-1])

    def post(self, body):
        services.message_post(
            author=self.chair, topic=self.topic, body=body, client_id=uuid.uuid4()
        )


def _cookie(client):
    return f"sessionid={client.cookies['sessionid'].value}"


def _socket(port, group, cookie):
    return connect(
        f"ws://127.0.0.1:{port}/ws/groups/{group.pk}/",
        origin=f"http://127.0.0.1:{port}",
        additional_headers={"Cookie": cookie},
    )


async def _frames(websocket):
    frame = json.loads(await websocket.recv())
    return frame["frames"] if frame["type"] == "batch" else [frame]


async def _until_closed(websocket, timeout=10):
    """(message bodies received, close code, when it closed)."""
    bodies = []
    try:
        async with asyncio.timeout(timeout):
            while True:
                for frame in await _frames(websocket):
                    if frame["type"] == "message":
                        bodies.append(frame["message"]["body"])
    except ConnectionClosed as closed:
        return bodies, closed.rcvd.code if closed.rcvd else None, time.monotonic()
    return bodies, None, time.monotonic()


async def _until_message(websocket, body, timeout=10):
    async with asyncio.timeout(timeout):
        while True:
            for frame in await _frames(websocket):
                if frame["type"] == "message" and frame["message"]["body"] == body:
                    return frame


async def _hello(websocket):
    async with asyncio.timeout(30):
        while True:
            for frame in await _frames(websocket):
                if frame["type"] == "hello":
                    return frame


def _revoked(world, ports, revoke, *, post_after=True):
    """Open the sockets, ``revoke`` (from a thread: it is synchronous and
    may use the database), post at once, and watch."""

    async def scenario():
        first, second = world.affected_cookies()
        async with (
            _socket(ports[0], world.group, first) as on_a,
            _socket(ports[1], world.group, second) as on_b,
            _socket(ports[0], world.group, world.bystander_cookie) as bystander,
        ):
            for websocket in (on_a, on_b, bystander):
                await _hello(websocket)
            await asyncio.to_thread(revoke)
            revoked_at = time.monotonic()
            if post_after:
                await asyncio.to_thread(world.post, "PO ODWOŁANIU")
            results = await asyncio.gather(_until_closed(on_a), _until_closed(on_b))
            if post_after:
                await _until_message(bystander, "PO ODWOŁANIU")
            return revoked_at, results

    return asyncio.run(scenario())


def _assert_cut_off(revoked_at, results, *codes):
    for bodies, close_code, closed_at in results:
        assert close_code in codes
        assert closed_at - revoked_at < WITHIN
        assert "PO ODWOŁANIU" not in bodies


# --- the paths ---------------------------------------------------------------------


def test_membership_deleted_in_the_admin(on_their_redis):
    world = World()
    admin = UserFactory(is_superuser=True, is_staff=True)
    client = sign_in(Client(), admin, second_factor=True)
    url = f"/admin/snippets/workgroups/membership/delete/{world.affected.pk}/"

    def revoke():
        assert client.post(url).status_code == 302

    revoked_at, results = _revoked(world, on_their_redis, revoke)

    assert not Membership.objects.filter(pk=world.affected.pk).exists()
    _assert_cut_off(revoked_at, results, NOT_MEMBER)


def test_membership_moved_to_another_group(on_their_redis):
    world = World()

    def revoke():
        world.affected.group = WorkingGroupFactory()
        world.affected.save()

    _assert_cut_off(*_revoked(world, on_their_redis, revoke), NOT_MEMBER)


def test_group_deleted(on_their_redis):
    world = World()
    bystander_group = World()  # its own group: nothing happens to it

    def revoke():
        world.group.delete()

    revoked_at, results = _revoked(world, on_their_redis, revoke, post_after=False)
    _assert_cut_off(revoked_at, results, NOT_MEMBER)
    assert Membership.objects.filter(group=bystander_group.group).count() == 3


def test_account_deactivated(on_their_redis):
    world = World()

    def revoke():
        world.affected.user.is_active = False
        world.affected.user.save()

    _assert_cut_off(*_revoked(world, on_their_redis, revoke), SIGNED_OUT)


def test_account_erased(on_their_redis):
    from home.personal_data import account_erase

    world = World()
    person = world.affected.user

    def revoke():
        account_erase(actor=person, user=person)

    # Its memberships go first (4403), the account with them (4401).
    _assert_cut_off(*_revoked(world, on_their_redis, revoke), SIGNED_OUT, NOT_MEMBER)


def test_signed_out(on_their_redis):
    """Signing out ends that session's sockets only: the person's other
    session, on the other worker, stays."""
    world = World(shared_session=False)

    async def scenario():
        first, second = world.affected_cookies()
        async with (
            _socket(on_their_redis[0], world.group, first) as signed_out,
            _socket(on_their_redis[1], world.group, second) as other_session,
        ):
            for websocket in (signed_out, other_session):
                await _hello(websocket)
            response = await asyncio.to_thread(
                world.clients[0].post, "/pl/accounts/logout/"
            )
            revoked_at = time.monotonic()
            await asyncio.to_thread(world.post, "PO ODWOŁANIU")
            result = await _until_closed(signed_out)
            still = await _until_message(other_session, "PO ODWOŁANIU")
            return response, revoked_at, result, still

    response, revoked_at, result, still = asyncio.run(scenario())

    assert response.status_code == 302
    _assert_cut_off(revoked_at, [result], SIGNED_OUT)
    assert still["message"]["body"] == "PO ODWOŁANIU"


def test_other_sessions_signed_out_from_the_session_list(on_their_redis):
    from allauth.usersessions.models import UserSession

    world = World()
    for client in world.clients:
        UserSession.objects.create(
            user=world.affected.user,
            session_key=client.session.session_key,
            ip="127.0.0.1",
            user_agent="test",
        )
    own = sign_in(Client(), world.affected.user)
    UserSession.objects.create(
        user=world.affected.user,
        session_key=own.session.session_key,
        ip="127.0.0.1",
        user_agent="own",
    )

    def revoke():
        assert own.post("/pl/accounts/sessions/").status_code == 302

    _assert_cut_off(*_revoked(world, on_their_redis, revoke), SIGNED_OUT)
    assert own.get("/pl/workspace/").status_code == 200


def test_password_changed_ends_the_other_sessions(on_their_redis):
    world = World()
    person = world.affected.user

    def revoke():
        person.set_password("a new and long password 2026")
        person.save()

    _assert_cut_off(*_revoked(world, on_their_redis, revoke), SIGNED_OUT)


def test_membership_removed_by_a_script_in_another_process(on_their_redis, two_workers):
    world = World()
    env = site_environment(REDIS_URL=two_workers[0])

    def revoke():
        result = run_manage(
            "shell",
            "-c",
            "from workgroups.models import Membership; "
            f"Membership.objects.get(pk={world.affected.pk}).delete()",
            env=env,
        )
        assert result.returncode == 0, result.stderr

    _assert_cut_off(*_revoked(world, on_their_redis, revoke), NOT_MEMBER)


def test_a_socket_that_missed_the_announcement_is_refused_at_its_next_frame(
    on_their_redis, monkeypatch
):
    """The live "check again" is lost (a Redis hiccup, say); the change
    moved the person's access generation all the same, so the socket's
    next frame is refused before it is handled."""
    world = World()
    monkeypatch.setattr(hub, "publish_control", lambda event: None)

    async def scenario():
        first, _ = world.affected_cookies()
        async with _socket(on_their_redis[0], world.group, first) as websocket:
            await _hello(websocket)
            await asyncio.to_thread(world.affected.delete)
            await asyncio.sleep(0.5)
            assert websocket.state.name == "OPEN"  # nobody told it
            await websocket.send(json.dumps({"type": "ping"}))
            frames = []
            try:
                async with asyncio.timeout(10):
                    while True:
                        frames += await _frames(websocket)
            except ConnectionClosed as closed:
                return frames, closed.rcvd.code

    frames, code = asyncio.run(scenario())

    assert code == NOT_MEMBER
    assert "pong" not in [frame["type"] for frame in frames]


def test_a_new_role_applies_at_once(on_their_redis):
    """An expert made an observer keeps reading but cannot post any more."""
    world = World()

    async def scenario():
        first, _ = world.affected_cookies()
        async with _socket(on_their_redis[0], world.group, first) as websocket:
            await _hello(websocket)

            def demote():
                world.affected.role = Membership.Role.OBSERVER
                world.affected.save()

            await asyncio.to_thread(demote)
            await websocket.send(
                json.dumps(
                    {
                        "type": "post",
                        "topic": world.topic.pk,
                        "body": "Jako obserwator",
                        "client_id": str(uuid.uuid4()),
                    }
                )
            )
            async with asyncio.timeout(10):
                while True:
                    for frame in await _frames(websocket):
                        if frame["type"] in ("error", "ack"):
                            return frame

    frame = asyncio.run(scenario())

    assert (frame["type"], frame["code"]) == ("error", "forbidden")
