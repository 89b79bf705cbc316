import io
import re
from datetime import UTC, date, timedelta

import pytest
from docx import Document

from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory
from tests.workgroups.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MembershipFactory,
    group_with_roles,
)
from workgroups.models import (
    AgendaItem,
    ConflictOfInterest,
    EmailPreferences,
    Meeting,
    Membership,
    Rsvp,
)
from workgroups.services import meetings as meeting_services
from workgroups.services import minutes as minutes_services

pytestmark = pytest.mark.django_db

Role = Membership.Role


def _grow(group, *, members=0, meetings=0, items=0, minutes=False):
    """Add people, meetings with agenda items (and conflicts) to ``group``."""
    for _ in range(members):
        MembershipFactory(group=group)
    made = []
    for _ in range(meetings):
        meeting = MeetingFactory(group=group)
        for position in range(items):
            item = AgendaItemFactory(meeting=meeting, position=position)
            ConflictOfInterest.objects.create(
                agenda_item=item, user=UserFactory(), description="x"
            )
        made.append(meeting)
    return made


def _meeting_with_approved_minutes():
    """A group with every role and a meeting of one agenda item whose minutes
    are approved: (roles, meeting, minutes)."""
    roles = group_with_roles()
    meeting = MeetingFactory(group=roles[Role.CHAIR].group)
    AgendaItemFactory(meeting=meeting)
    return roles, meeting, _approved(roles, meeting)


def _approved(roles, meeting):
    secretary = roles[Role.SECRETARY].user
    minutes = minutes_services.minutes_start(actor=secretary, meeting=meeting)
    for item in meeting.agenda_items.all():
        minutes_services.decision_record(
            actor=secretary, minutes=minutes, agenda_item=item, text="D"
        )
        minutes_services.action_item_add(
            actor=secretary,
            minutes=minutes,
            agenda_item=item,
            description="A",
            owner=roles[Role.EXPERT].user,
            due_date=date(2030, 1, 1),
        )
    minutes.refresh_from_db()
    minutes_services.minutes_approve(
        actor=roles[Role.CHAIR].user, minutes=minutes, base_version=minutes.version
    )
    return minutes


def _queries(client, url, django_assert_max_num_queries, limit):
    with django_assert_max_num_queries(limit):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("size", [1, 6])
def test_group_page_queries_do_not_grow(client, django_assert_max_num_queries, size):
    roles = group_with_roles()
    group = roles[Role.CHAIR].group
    _grow(group, members=size, meetings=size, items=2)
    client.force_login(roles[Role.CHAIR].user)
    _queries(
        client,
        reverse("workgroups:group", args=[group.pk]),
        django_assert_max_num_queries,
        12,
    )


@pytest.mark.parametrize("size", [1, 6])
def test_meeting_and_minutes_pages_queries_do_not_grow(
    client, django_assert_max_num_queries, size
):
    roles = group_with_roles()
    group = roles[Role.CHAIR].group
    (meeting,) = _grow(group, members=size, meetings=1, items=size)
    for member in group.memberships.all():
        Rsvp.objects.create(meeting=meeting, user=member.user, answer="yes")
    _approved(roles, meeting)
    client.force_login(roles[Role.SECRETARY].user)
    for name in ("meeting", "minutes", "minutes_history"):
        _queries(
            client,
            reverse(f"workgroups:{name}", args=[meeting.pk]),
            django_assert_max_num_queries,
            22,
        )


@pytest.mark.parametrize("size", [1, 6])
def test_dashboard_and_register_queries_do_not_grow(
    client, django_assert_max_num_queries, size
):
    roles = group_with_roles()
    group = roles[Role.CHAIR].group
    for meeting in _grow(group, meetings=size, items=2):
        _approved(roles, meeting)
    _grow(group, meetings=size)
    client.force_login(roles[Role.EXPERT].user)
    _queries(client, reverse("workgroups:dashboard"), django_assert_max_num_queries, 12)
    _queries(
        client,
        reverse("workgroups:decisions", args=[group.pk]),
        django_assert_max_num_queries,
        10,
    )
    _queries(
        client, reverse("workgroups:notifications"), django_assert_max_num_queries, 12
    )


def test_expert_sees_own_open_action_items_on_the_dashboard(client):
    roles = group_with_roles()
    meeting = MeetingFactory(group=roles[Role.CHAIR].group)
    AgendaItemFactory(meeting=meeting)
    _approved(roles, meeting)
    client.force_login(roles[Role.EXPERT].user)

    response = client.get(reverse("workgroups:dashboard"))

    assert "Otwarte zadania przypisane do mnie" in response.text
    assert response.context["action_items"].count() == 1


def test_a_meeting_that_ends_before_it_starts_gets_a_translated_error(client):
    chair = MembershipFactory(role=Role.CHAIR)
    client.force_login(chair.user)
    start = timezone.localtime() + timedelta(days=3)

    response = client.post(
        reverse("workgroups:meeting_create", args=[chair.group_id]),
        {
            "title": "Zła data",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "address": "ul. Basztowa 22",
        },
    )

    assert response.status_code == 400
    assert "Spotkanie musi się skończyć po rozpoczęciu." in response.text
    assert not Meeting.objects.exists()


def test_a_meeting_is_scheduled_in_warsaw_time(client):
    chair = MembershipFactory(role=Role.CHAIR)
    client.force_login(chair.user)

    client.post(
        reverse("workgroups:meeting_create", args=[chair.group_id]),
        {
            "title": "Posiedzenie",
            "starts_at": "2030-07-01T10:00",
            "ends_at": "2030-07-01T12:00",
            "online_url": "https://meet.example.org/x",
        },
    )

    meeting = Meeting.objects.get()
    assert meeting.starts_at.astimezone(UTC).hour == 8  # CEST = UTC+2


def test_stale_reorder_through_the_page_is_refused_with_a_message(client):
    chair = MembershipFactory(role=Role.CHAIR)
    meeting = MeetingFactory(group=chair.group)
    a, b = (AgendaItemFactory(meeting=meeting, position=i) for i in range(2))
    meeting_services.agenda_item_add(actor=chair.user, meeting=meeting, title="C")
    client.force_login(chair.user)

    response = client.post(
        reverse("workgroups:agenda_reorder", args=[meeting.pk]),
        {"order": f"{b.pk},{a.pk}", "version": 0},
        follow=True,
    )

    assert "Ktoś inny zmienił porządek obrad" in response.text
    assert list(AgendaItem.objects.values_list("title", flat=True))[:2] == [
        a.title,
        b.title,
    ]


def test_rsvp_for_a_cancelled_meeting_through_the_page(client):
    roles = group_with_roles()
    meeting = MeetingFactory(group=roles[Role.CHAIR].group, status="cancelled")
    client.force_login(roles[Role.EXPERT].user)

    response = client.post(
        reverse("workgroups:rsvp", args=[meeting.pk]), {"answer": "yes"}, follow=True
    )

    assert "Spotkanie jest odwołane" in response.text
    assert not Rsvp.objects.exists()


def test_editing_approved_minutes_through_the_page_is_refused(client):
    roles = group_with_roles()
    meeting = MeetingFactory(group=roles[Role.CHAIR].group)
    item = AgendaItemFactory(meeting=meeting)
    minutes = _approved(roles, meeting)
    client.force_login(roles[Role.SECRETARY].user)

    response = client.post(
        reverse("workgroups:minutes_edit", args=[meeting.pk]),
        {"version": minutes.version + 1, f"notes_{item.pk}": "zmiana"},
        follow=True,
    )

    assert "Zatwierdzony protokół jest tylko do odczytu" in response.text
    assert not minutes.items.filter(notes="zmiana").exists()


def test_stale_minutes_save_answers_409(client):
    roles = group_with_roles()
    meeting = MeetingFactory(group=roles[Role.CHAIR].group)
    item = AgendaItemFactory(meeting=meeting)
    minutes_services.minutes_start(actor=roles[Role.SECRETARY].user, meeting=meeting)
    client.force_login(roles[Role.SECRETARY].user)
    url = reverse("workgroups:minutes_edit", args=[meeting.pk])
    client.post(url, {"version": 0, f"notes_{item.pk}": "pierwsza"})

    response = client.post(url, {"version": 0, f"notes_{item.pk}": "druga"})

    assert response.status_code == 409
    assert "Ktoś inny zapisał ten protokół" in response.text


def test_export_is_a_docx_with_the_fingerprint(client):
    roles, meeting, minutes = _meeting_with_approved_minutes()
    client.force_login(roles[Role.OBSERVER].user)

    response = client.get(reverse("workgroups:minutes_export", args=[meeting.pk]))

    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert minutes.fingerprint in text
    assert meeting.title in text


def test_minutes_page_shows_fingerprint_and_has_a_print_stylesheet(client):
    roles, meeting, minutes = _meeting_with_approved_minutes()
    client.force_login(roles[Role.EXPERT].user)

    response = client.get(reverse("workgroups:minutes", args=[meeting.pk]))

    assert minutes.fingerprint in response.text
    assert "css/workspace.css" in response.text


def test_observer_sees_approved_text_while_a_correction_is_in_progress(client):
    roles = group_with_roles()
    meeting = MeetingFactory(group=roles[Role.CHAIR].group)
    item = AgendaItemFactory(meeting=meeting)
    minutes = _approved(roles, meeting)
    secretary = roles[Role.SECRETARY].user
    minutes_services.minutes_start_correction(
        actor=secretary, minutes=minutes, reason="Poprawka"
    )
    minutes.refresh_from_db()
    minutes_services.minutes_save(
        actor=secretary,
        minutes=minutes,
        notes={item.pk: "Niezatwierdzona zmiana"},
        base_version=minutes.version,
    )
    client.force_login(roles[Role.OBSERVER].user)

    response = client.get(reverse("workgroups:minutes", args=[meeting.pk]))

    assert "Niezatwierdzona zmiana" not in response.text
    assert minutes.fingerprint in response.text


def test_a_correction_reason_with_a_nul_is_refused_with_a_message(client):
    """PostgreSQL cannot store NUL: the form says so instead of failing."""
    roles, meeting, minutes = _meeting_with_approved_minutes()
    client.force_login(roles[Role.SECRETARY].user)

    response = client.post(
        reverse("workgroups:minutes_correct", args=[meeting.pk]),
        {"reason": "Literówka\x00"},
        follow=True,
    )

    assert response.status_code == 200
    assert "Znaki null są niedozwolone." in response.text
    minutes.refresh_from_db()
    assert minutes.is_approved


def test_minutes_notes_with_a_nul_are_refused_and_nothing_is_saved(client):
    roles = group_with_roles()
    meeting = MeetingFactory(group=roles[Role.CHAIR].group)
    item = AgendaItemFactory(meeting=meeting)
    minutes = minutes_services.minutes_start(
        actor=roles[Role.SECRETARY].user, meeting=meeting
    )
    client.force_login(roles[Role.SECRETARY].user)

    response = client.post(
        reverse("workgroups:minutes_edit", args=[meeting.pk]),
        {"version": minutes.version, f"notes_{item.pk}": "Ustalenia\x00"},
    )

    assert response.status_code == 400
    assert "Tekst zawiera znak NUL." in response.text
    assert not minutes.items.filter(notes__contains="Ustalenia").exists()
    assert minutes_services.Minutes.objects.get().version == minutes.version


def _count(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_page_query_counts_are_the_same_for_small_and_large_groups(
    client, pages_made_afresh
):
    counts = {}
    for size in (1, 5):
        roles = group_with_roles()
        group = roles[Role.CHAIR].group
        meetings = _grow(group, members=size, meetings=size, items=size)
        for meeting in meetings:
            for member in group.memberships.all():
                Rsvp.objects.create(meeting=meeting, user=member.user, answer="no")
            _approved(roles, meeting)
        client.force_login(roles[Role.SECRETARY].user)
        client.get(reverse("workgroups:dashboard"))  # the site's menu, cached
        meeting = meetings[0]
        counts[size] = [
            _count(client, reverse("workgroups:group", args=[group.pk])),
            _count(client, reverse("workgroups:meeting", args=[meeting.pk])),
            _count(client, reverse("workgroups:minutes", args=[meeting.pk])),
            _count(client, reverse("workgroups:decisions", args=[group.pk])),
            _count(client, reverse("workgroups:dashboard")),
        ]
    assert counts[1] == counts[5]


def test_a_person_chooses_per_kind_at_once_digest_or_never(client):
    person = MembershipFactory().user
    client.force_login(person)
    choices = dict.fromkeys(EmailPreferences.EMAILED_KINDS, "immediately")
    choices["meeting_changed"] = "digest"
    choices["proposal_reminder"] = "never"

    response = client.post(reverse("workgroups:notifications"), choices)

    assert response.status_code == 302
    preferences = person.workspace_email_preferences
    assert preferences.delivery("meeting_changed") == "digest"
    assert preferences.delivery("proposal_reminder") == "never"
    assert preferences.delivery("meeting_scheduled") == "immediately"
    page = client.get(reverse("workgroups:notifications")).text
    assert re.search(r'name="meeting_changed" value="digest"[^>]*checked', page)


def test_a_choice_not_offered_is_refused_with_a_translated_error(client):
    person = MembershipFactory().user
    client.force_login(person)
    choices = dict.fromkeys(EmailPreferences.EMAILED_KINDS, "immediately")
    choices["minutes_approved"] = "hourly"

    response = client.post("/uk/workspace/notifications/", choices)

    assert response.status_code == 400
    assert "Зробить коректний вибір, hourly" in response.text  # Django's, in Ukrainian
    assert not EmailPreferences.objects.filter(user=person).exists()
