"""The access layer (workgroups/access.py): access that ended is refused
everywhere, and what cannot be placed in a group is refused to everyone
(docs/security.md, AC-02, AC-07, AC-08, AC-12, AC-14). Each test here was
written against a finding that the code before the access layer let
through."""

import datetime
import uuid

import pytest

from django.core.files.base import ContentFile
from django.urls import reverse

from wagtail.documents.models import Document
from wagtail.models import Collection

from tests.factories import UserFactory, sign_in
from tests.workgroups.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MembershipFactory,
    group_with_roles,
)
from workgroups import access
from workgroups.collections import group_collection
from workgroups.discussion import services as discussion
from workgroups.models import Decision, Membership, Notification
from workgroups.models.arising import arising_text
from workgroups.services import meetings as meeting_services
from workgroups.services import minutes as minutes_services

pytestmark = pytest.mark.django_db

Role = Membership.Role
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --- one rule: a current membership -------------------------------------------


def test_a_deactivated_account_is_no_member_of_its_groups():
    membership = MembershipFactory()
    user = membership.user
    assert access.membership_of(user, membership.group_id) is not None

    user.is_active = False
    user.save()

    assert access.membership_of(user, membership.group_id) is None
    assert not access.visible_notifications(user).exists()


def test_an_administrator_manages_memberships_but_has_no_part_in_group_work():
    from django.core.exceptions import PermissionDenied

    group = MembershipFactory(role=Role.CHAIR).group
    admin = UserFactory(is_superuser=True, is_staff=True)

    access.check_membership_administration(admin, group.pk)
    assert access.membership_of(admin, group.pk) is None
    with pytest.raises(PermissionDenied):
        discussion.topic_create(actor=admin, room=group.room, title="Nie")


# --- finding 3: hidden and deleted messages -------------------------------------


@pytest.fixture
def room_with_messages():
    roles = group_with_roles()
    chair, expert = roles[Role.CHAIR].user, roles[Role.EXPERT].user
    room = roles[Role.CHAIR].group.room
    topic = discussion.topic_create(actor=chair, room=room, title="Temat")

    def post(body):
        message, _ = discussion.message_post(
            author=expert, topic=topic, body=body, client_id=uuid.uuid4()
        )
        return message

    hidden, deleted, shown = post("UKRYTA treść"), post("USUNIETA treść"), post("Ok")
    discussion.message_hide(actor=chair, message=hidden)
    discussion.message_delete(actor=expert, message=deleted)
    return roles, {"hidden": hidden, "deleted": deleted, "shown": shown}


@pytest.mark.parametrize("state", ["hidden", "deleted"])
@pytest.mark.parametrize("role", [Role.OBSERVER, Role.EXPERT, Role.CHAIR])
def test_nobody_reads_a_hidden_or_deleted_message_through_its_edit_form(
    client, room_with_messages, state, role
):
    roles, messages = room_with_messages
    message = messages[state]
    sign_in(client, roles[role].user)

    response = client.get(
        reverse("discussion:message_edit", args=[message.room.group_id, message.pk])
    )

    assert response.status_code == 404
    assert "treść" not in response.content.decode()


def test_the_author_edits_a_message_still_shown_and_nobody_else(
    client, room_with_messages
):
    roles, messages = room_with_messages
    url = reverse(
        "discussion:message_edit",
        args=[messages["shown"].room.group_id, messages["shown"].pk],
    )

    assert sign_in(client, roles[Role.EXPERT].user).get(url).status_code == 200
    assert sign_in(client, roles[Role.CHAIR].user).get(url).status_code == 404


def test_the_retention_purge_blanks_hidden_messages_too(room_with_messages):
    from django.utils import timezone

    from workgroups import retention

    _, messages = room_with_messages
    later = timezone.now() + datetime.timedelta(days=31)

    retention.purge(later, {"hidden_messages": 30, "deleted_messages": 30})

    for state in ("hidden", "deleted"):
        messages[state].refresh_from_db()
        assert messages[state].body == ""
    messages["shown"].refresh_from_db()
    assert messages["shown"].body == "Ok"


# --- finding 4: files in a group's private collection ---------------------------


def _document(collection, title):
    document = Document(title=title, collection=collection)
    document.file.save(f"{title}.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


def test_a_file_put_into_a_groups_collection_in_the_admin_is_served_to_members_only(
    client,
):
    membership = MembershipFactory()
    outsider = MembershipFactory().user
    document = _document(group_collection(membership.group), "z-panelu")
    url = document.url

    assert sign_in(client, outsider).get(url).status_code == 404
    assert sign_in(client, membership.user).get(url).status_code == 200


def test_a_private_file_whose_group_cannot_be_told_is_served_to_nobody(client):
    membership = MembershipFactory()
    group_collection(membership.group)  # the private root exists
    private_root = Collection.objects.get(name=access.PRIVATE_ROOT_NAME)
    loose = private_root.add_child(name="Bez zespołu")
    document = _document(loose, "niczyj")

    for person in (membership.user, UserFactory()):
        assert sign_in(client, person).get(document.url).status_code == 404


def test_a_groups_collection_keeps_its_files_private_after_a_rename(client):
    membership = MembershipFactory()
    collection = group_collection(membership.group)
    collection.name = "Nowa nazwa"
    collection.save()
    document = _document(collection, "po-zmianie")

    assert sign_in(client, UserFactory()).get(document.url).status_code == 404
    assert sign_in(client, membership.user).get(document.url).status_code == 200


def test_public_documents_stay_public(client):
    public = Collection.objects.get(name="Program (publiczne)")
    document = _document(public, "program")

    assert client.get(document.url).status_code == 200


# --- finding 5: decisions added during a correction -----------------------------


def _approved_minutes_in_correction(group, chair, secretary):
    """Minutes approved with one decision ("PIERWSZA"), then reopened for a
    correction; the minutes and their agenda item."""
    meeting = MeetingFactory(group=group)
    item = AgendaItemFactory(meeting=meeting)
    minutes = minutes_services.minutes_start(actor=secretary, meeting=meeting)
    minutes_services.decision_record(
        actor=secretary, minutes=minutes, agenda_item=item, text="PIERWSZA decyzja"
    )
    minutes.refresh_from_db()
    minutes_services.minutes_approve(
        actor=chair, minutes=minutes, base_version=minutes.version
    )
    minutes_services.minutes_start_correction(
        actor=secretary, minutes=minutes, reason="Brakująca decyzja"
    )
    minutes.refresh_from_db()
    return minutes, item


def test_what_a_correction_adds_stays_with_the_minutes_editors_until_approved(
    client, django_capture_on_commit_callbacks
):
    roles = group_with_roles()
    chair, secretary = roles[Role.CHAIR].user, roles[Role.SECRETARY].user
    expert = roles[Role.EXPERT].user
    group = roles[Role.CHAIR].group
    minutes, item = _approved_minutes_in_correction(group, chair, secretary)
    minutes_services.decision_record(
        actor=secretary,
        minutes=minutes,
        agenda_item=item,
        text="DOPISANA decyzja",
        follow_up=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        minutes_services.action_item_add(
            actor=secretary,
            minutes=minutes,
            agenda_item=item,
            description="DOPISANE zadanie",
            owner=expert,
            due_date=datetime.date(2030, 1, 1),
        )

    register = sign_in(client, expert).get(
        reverse("workgroups:decisions", args=[group.pk])
    )
    dashboard = client.get(reverse("workgroups:dashboard")).content.decode()
    arising = arising_text(meeting_services.matters_arising_lines(group))
    assert "PIERWSZA" in register.content.decode()
    assert "DOPISANA" not in register.content.decode()
    assert "DOPISANE" not in dashboard
    assert "DOPISANA" not in arising and "DOPISANE" not in arising
    assert not Notification.objects.filter(
        user=expert, kind=Notification.Kind.ACTION_ASSIGNED
    ).exists()

    minutes.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        minutes_services.minutes_approve(
            actor=chair, minutes=minutes, base_version=minutes.version
        )

    assert Decision.objects.registered().filter(text="DOPISANA decyzja").exists()
    assert "DOPISANE" in client.get(reverse("workgroups:dashboard")).content.decode()
    assert "DOPISANA" in arising_text(meeting_services.matters_arising_lines(group))
    assert Notification.objects.filter(
        user=expert, kind=Notification.Kind.ACTION_ASSIGNED
    ).exists()


# --- finding 6: notifications of a group one left --------------------------------


def test_notifications_about_a_group_go_when_its_membership_goes(client):
    membership = MembershipFactory()
    other = MembershipFactory(user=membership.user)
    for group in (membership.group, other.group):
        Notification.objects.create(
            user=membership.user,
            group=group,
            kind=Notification.Kind.MEETING_SCHEDULED,
            subject=f"Posiedzenie TAJNE-{group.pk}",
            url="/pl/workspace/",
        )
    membership.delete()

    sign_in(client, other.user)
    html = client.get(reverse("workgroups:notifications")).content.decode()
    dashboard = client.get(reverse("workgroups:dashboard"))

    assert f"TAJNE-{membership.group_id}" not in html
    assert f"TAJNE-{other.group_id}" in html
    assert len(dashboard.context["notifications"]) == 1


# --- finding 8: origins and caching headers ----------------------------------------


@pytest.mark.parametrize(
    ("origin", "host", "allowed"),
    [
        ("http://testserver", "testserver", True),
        ("https://testserver", "testserver", False),  # another scheme
        ("http://testserver:8080", "testserver", False),  # another port
        ("http://testserver", "testserver:8080", False),
        ("http://testserver:8080", "testserver:8080", True),
        ("http://evil.example", "evil.example", False),  # not an allowed host
        ("null", "testserver", False),
    ],
)
def test_a_socket_opens_only_from_the_very_origin_it_is_opened_on(
    origin, host, allowed
):
    from platforma.origin import same_origin

    scope = {
        "type": "websocket",
        "scheme": "ws",
        "headers": [(b"origin", origin.encode()), (b"host", host.encode())],
    }

    assert same_origin(scope) is allowed


def test_behind_the_tls_proxy_the_https_origin_is_the_sites_own(settings):
    from platforma.origin import same_origin

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    headers = [(b"origin", b"https://testserver"), (b"host", b"testserver")]

    assert not same_origin({"scheme": "ws", "headers": headers})
    assert same_origin(
        {"scheme": "ws", "headers": [*headers, (b"x-forwarded-proto", b"https")]}
    )


def test_private_responses_say_private_once(client):
    sign_in(client, UserFactory())

    cache_control = client.get(reverse("workgroups:dashboard"))["Cache-Control"]

    directives = [part.strip() for part in cache_control.split(",")]
    assert sorted(directives) == sorted(set(directives))
    assert {"private", "no-store", "no-cache"} <= set(directives)
