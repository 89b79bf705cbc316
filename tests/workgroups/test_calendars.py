import pytest
from icalendar import Calendar

from django.urls import reverse

from tests.workgroups.factories import MeetingFactory, MembershipFactory
from workgroups.models import Membership
from workgroups.services.notifications import (
    calendar_feed_create,
    calendar_feed_revoke,
)

pytestmark = pytest.mark.django_db


def _uids(response):
    calendar = Calendar.from_ical(response.content)
    return {str(event["uid"]) for event in calendar.walk("VEVENT")}


def test_the_feed_parses_and_holds_exactly_the_members_meetings(client):
    person = MembershipFactory(role=Membership.Role.EXPERT).user
    second = MembershipFactory(user=person, role=Membership.Role.OBSERVER)
    mine = [MeetingFactory(group=m.group) for m in person.memberships.all()]
    mine.append(MeetingFactory(group=second.group))
    MeetingFactory()  # another group's meeting
    token = calendar_feed_create(user=person)

    response = client.get(reverse("workgroups:calendar_feed", args=[token]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert _uids(response) == {f"meeting-{m.pk}@platforma-wspolpracy" for m in mine}


def test_a_revoked_or_replaced_token_answers_404(client):
    person = MembershipFactory().user
    old = calendar_feed_create(user=person)
    new = calendar_feed_create(user=person)

    assert (
        client.get(reverse("workgroups:calendar_feed", args=[old])).status_code == 404
    )
    calendar_feed_revoke(user=person)
    assert (
        client.get(reverse("workgroups:calendar_feed", args=[new])).status_code == 404
    )


def test_leaving_a_group_drops_its_meetings_from_the_feed(client):
    membership = MembershipFactory()
    MeetingFactory(group=membership.group)
    token = calendar_feed_create(user=membership.user)
    membership.delete()

    response = client.get(reverse("workgroups:calendar_feed", args=[token]))

    assert _uids(response) == set()


def test_meeting_ics_has_the_meeting_in_utc(client):
    membership = MembershipFactory()
    meeting = MeetingFactory(group=membership.group)
    client.force_login(membership.user)

    response = client.get(reverse("workgroups:meeting_ics", args=[meeting.pk]))

    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == meeting.starts_at.replace(microsecond=0)
    assert meeting.title in str(event["summary"])


def test_calendar_page_shows_the_address_once(client):
    person = MembershipFactory().user
    client.force_login(person)
    url = reverse("workgroups:calendar")

    created = client.post(url)
    assert ".ics" in created.text
    assert ".ics" not in client.get(url).text
    client.post(url, {"action": "revoke"})
    assert not hasattr(
        type(person).objects.get(pk=person.pk), "workspace_calendar_feed"
    )
