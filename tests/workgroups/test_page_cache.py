"""Workspace pages remembered per session (workgroups/page_cache.py): a
replay costs no query, and is never shown to someone who may no longer see
the page, to another person, in another language or after a change."""

import time
import uuid

import pytest

from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from documents import services as draft_services
from tests.factories import sign_in
from tests.pages import home_page
from tests.workgroups.factories import MeetingFactory, group_with_roles
from workgroups import access, page_cache
from workgroups.discussion import services as discussion
from workgroups.models import Meeting, Membership, Topic

pytestmark = pytest.mark.django_db

Role = Membership.Role


@pytest.fixture
def roles():
    return group_with_roles()


def _pages(roles):
    chair = roles[Role.CHAIR].user
    group = roles[Role.CHAIR].group
    meeting = MeetingFactory(group=group)
    draft = draft_services.draft_create(
        actor=chair, group=group, title="Projekt", text="Akapit."
    )
    topic = Topic.objects.create(room=group.room, title="Sprawy", created_by=chair)
    return {
        "dashboard": reverse("workgroups:dashboard"),
        "group": reverse("workgroups:group", args=[group.pk]),
        "meeting": reverse("workgroups:meeting", args=[meeting.pk]),
        "draft": reverse("documents:detail", args=[draft.pk]),
        "topic": reverse("discussion:topic", args=[group.pk, topic.pk]),
    }


def _remembered(client, url):
    """Visit ``url`` until it is remembered: the first visit sets the CSRF
    cookie (not kept), a visit that wrote (a read mark) is made again."""
    for _ in range(3):
        response = client.get(url)
        assert response.status_code == 200
    return response


def _made_again(response):
    """Whether the request went through the site (a replay stops before the
    authentication middleware gives it a user)."""
    return response.status_code == 200 and hasattr(response.wsgi_request, "user")


def test_every_workspace_page_is_replayed_without_a_query(
    client, roles, django_assert_num_queries
):
    urls = _pages(roles)
    sign_in(client, roles[Role.CHAIR].user)

    for name, url in urls.items():
        made = _remembered(client, url)
        with django_assert_num_queries(0):
            replayed = client.get(url)
        assert replayed.status_code == 200, name
        assert not _made_again(replayed), name
        assert replayed.content == made.content, name
        assert "no-store" in replayed["Cache-Control"]


def test_a_removed_member_gets_404_at_the_next_request(
    client, roles, django_capture_on_commit_callbacks
):
    expert = roles[Role.EXPERT]
    url = reverse("workgroups:group", args=[expert.group_id])
    sign_in(client, expert.user)
    _remembered(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        expert.delete()

    assert client.get(url).status_code == 404


def test_a_moved_access_generation_alone_ends_the_replay(client, roles):
    """Access changed around this process (another worker's commit): the
    person's access generation moved, nothing else did."""
    expert = roles[Role.EXPERT]
    url = reverse("workgroups:group", args=[expert.group_id])
    sign_in(client, expert.user)
    _remembered(client, url)

    cache.incr(access.generation_key(expert.user_id))

    assert _made_again(client.get(url))


def test_two_members_never_see_each_other_s_page(roles):
    chair, expert = roles[Role.CHAIR].user, roles[Role.EXPERT].user
    url = reverse("workgroups:dashboard")
    theirs = {}
    for person in (chair, expert):
        client = sign_in(Client(), person)
        _remembered(client, url)
        theirs[person] = client.get(url).content.decode()

    assert chair.last_name in theirs[chair]
    assert chair.last_name not in theirs[expert]
    assert expert.last_name in theirs[expert]
    assert expert.last_name not in theirs[chair]


def test_each_language_has_its_own_page(client, roles):
    sign_in(client, roles[Role.CHAIR].user)
    pages = {}
    for language in ("pl", "uk", "en"):
        with translation.override(language):
            url = reverse("workgroups:dashboard")
        _remembered(client, url)
        pages[language] = client.get(url).content.decode()

    for language, text in pages.items():
        assert f'<html lang="{language}">' in text


def test_a_change_shows_at_once_even_made_by_a_bulk_update(client, roles):
    group = roles[Role.CHAIR].group
    meeting = MeetingFactory(group=group, title="Posiedzenie stare")
    url = reverse("workgroups:group", args=[group.pk])
    sign_in(client, roles[Role.EXPERT].user)
    assert "Posiedzenie stare" in _remembered(client, url).content.decode()

    Meeting.objects.filter(pk=meeting.pk).update(title="Posiedzenie nowe")

    assert "Posiedzenie nowe" in client.get(url).content.decode()


def test_a_new_message_shows_on_the_topic_page(client, roles):
    chair, expert = roles[Role.CHAIR].user, roles[Role.EXPERT].user
    group = roles[Role.CHAIR].group
    topic = Topic.objects.create(room=group.room, title="Sprawy", created_by=chair)
    url = reverse("discussion:topic", args=[group.pk, topic.pk])
    sign_in(client, expert)
    _remembered(client, url)

    discussion.message_post(
        author=chair, topic=topic, body="Nowa wiadomość", client_id=uuid.uuid4()
    )

    assert "Nowa wiadomość" in client.get(url).content.decode()


def _topic(roles):
    chair = roles[Role.CHAIR].user
    return Topic.objects.create(
        room=roles[Role.CHAIR].group.room, title="Sprawy", created_by=chair
    )


def _post_and_read(roles, topic, body):
    """A message in the group of ``roles``, and its chair's read mark."""
    chair = roles[Role.CHAIR].user
    message, _ = discussion.message_post(
        author=chair, topic=topic, body=body, client_id=uuid.uuid4()
    )
    discussion.read_mark(user=chair, topic=topic, seq=message.seq)


def test_a_message_and_a_read_mark_make_afresh_only_their_groups_pages(roles):
    """One busy room leaves the other groups' members their remembered
    pages; the group's own members, and people in both, see it at once."""
    other = group_with_roles()
    both = roles[Role.OBSERVER].user
    Membership.objects.create(
        group=other[Role.CHAIR].group, user=both, role=Role.EXPERT
    )
    topic = _topic(roles)
    url = reverse("workgroups:dashboard")
    clients = {}
    for name, person in [
        ("member", roles[Role.EXPERT].user),
        ("outsider", other[Role.EXPERT].user),
        ("both", both),
    ]:
        clients[name] = sign_in(Client(), person)  # signing in writes
    for name in clients:
        _remembered(clients[name], url)

    _post_and_read(roles, topic, "Pilne")

    outsider = clients["outsider"].get(url)
    assert outsider.status_code == 200 and not _made_again(outsider)
    for name in ("member", "both"):
        response = clients[name].get(url)
        assert _made_again(response), name
        assert roles[Role.CHAIR].group.name in response.content.decode(), name


def test_a_write_scoped_to_no_group_moves_the_whole_sites_generation(roles):
    before = cache.get(page_cache.WORKSPACE_GENERATION_KEY)
    with page_cache.writes_of_groups([]):
        Topic.objects.create(room=roles[Role.CHAIR].group.room, title="Bez grupy")
    assert cache.get(page_cache.WORKSPACE_GENERATION_KEY) != before


def test_a_new_membership_makes_the_persons_pages_afresh(client, roles):
    newcomer = group_with_roles()[Role.EXPERT]
    url = reverse("workgroups:dashboard")
    sign_in(client, newcomer.user)
    _remembered(client, url)

    Membership.objects.create(
        group=roles[Role.CHAIR].group, user=newcomer.user, role=Role.EXPERT
    )
    topic = _topic(roles)
    _remembered(client, url)
    _post_and_read(roles, topic, "Witamy")

    assert _made_again(client.get(url))


def test_signing_out_ends_the_replay(client, roles):
    url = reverse("workgroups:dashboard")
    sign_in(client, roles[Role.EXPERT].user)
    _remembered(client, url)

    client.logout()

    assert client.get(url).status_code == 302


def test_a_deactivated_account_is_not_replayed_its_pages(
    client, roles, django_capture_on_commit_callbacks
):
    expert = roles[Role.EXPERT].user
    url = reverse("workgroups:group", args=[roles[Role.EXPERT].group_id])
    sign_in(client, expert)
    _remembered(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        expert.is_active = False
        expert.save()

    assert client.get(url).status_code == 302


def test_a_flash_message_is_shown_not_a_remembered_page(client, roles):
    expert = roles[Role.EXPERT].user
    meeting = MeetingFactory(group=roles[Role.EXPERT].group)
    url = reverse("workgroups:meeting", args=[meeting.pk])
    sign_in(client, expert)
    _remembered(client, url)

    client.post(reverse("workgroups:rsvp", args=[meeting.pk]), {"answer": "yes"})
    response = client.get(url)

    assert _made_again(response)
    assert "Twoja odpowiedź została zapisana." in response.content.decode()


def test_a_page_older_than_the_trust_window_is_made_again(client, roles, monkeypatch):
    url = reverse("workgroups:dashboard")
    sign_in(client, roles[Role.EXPERT].user)
    _remembered(client, url)
    later = time.time() + access.TRUST_SECONDS + 1
    monkeypatch.setattr(access.time, "time", lambda: later)

    assert _made_again(client.get(url))


@pytest.mark.parametrize(
    ("sql", "changes"),
    [
        ('SELECT "x" FROM "workgroups_message"', False),
        ('SELECT 1 FROM "documents_draft" FOR UPDATE', False),
        ("SAVEPOINT s1", False),
        ('(SELECT 1 FROM "a") UNION ALL (SELECT 2 FROM "b")', False),
        ('WITH x AS (SELECT "updated_at" FROM "a") SELECT * FROM x', False),
        (
            'INSERT INTO "documents_draftpresence" ("draft_id") VALUES (1) '
            'ON CONFLICT ("draft_id", "user_id") DO UPDATE SET "seen_at" = 1',
            False,
        ),
        ('DELETE FROM "django_session" WHERE "session_key" = %s', False),
        ('UPDATE "workgroups_readposition" SET "seq" = 3', True),
        ('INSERT INTO "workgroups_message" ("body") VALUES (%s)', True),
        ('DELETE FROM "workgroups_membership" WHERE "id" = 1', True),
        ("WITH x AS (SELECT 1) INSERT INTO documents_liveupdate SELECT 1", True),
        ('CREATE TABLE "anything" ("id" integer)', True),
    ],
)
def test_which_statements_move_the_workspace_generation(sql, changes):
    assert page_cache._changes_pages(sql) is changes


def test_a_write_moves_the_workspace_generation(roles):
    before = cache.get(page_cache.WORKSPACE_GENERATION_KEY)

    Meeting.objects.filter(pk=-1).update(title="x")
    unchanged = cache.get(page_cache.WORKSPACE_GENERATION_KEY)
    MeetingFactory(group=roles[Role.CHAIR].group)

    assert unchanged == before  # no row changed
    assert cache.get(page_cache.WORKSPACE_GENERATION_KEY) != before


def test_with_the_cache_away_pages_are_made_and_writes_succeed(
    client, roles, monkeypatch
):
    def away(*args, **kwargs):
        raise ConnectionError("the cache is away")

    url = reverse("workgroups:group", args=[roles[Role.EXPERT].group_id])
    sign_in(client, roles[Role.EXPERT].user)
    _remembered(client, url)
    monkeypatch.setattr(page_cache.cache, "get_many", away)
    monkeypatch.setattr(page_cache.cache, "incr", away)

    meeting = MeetingFactory(group=roles[Role.EXPERT].group, title="Mimo awarii")

    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert _made_again(client.get(url))


def test_a_public_page_is_replayed_to_a_signed_in_reader_until_a_publish(
    client, roles, django_assert_num_queries
):
    sign_in(client, roles[Role.EXPERT].user)
    _remembered(client, "/pl/")
    with django_assert_num_queries(0):
        client.get("/pl/")

    home = home_page()
    home.title = "Strona po publikacji"
    home.save_revision().publish()

    assert "Strona po publikacji" in client.get("/pl/").content.decode()
