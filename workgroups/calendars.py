"""iCalendar (RFC 5545) for meetings: one event per meeting, stable UIDs and
SEQUENCE so that Outlook, Google Calendar and Thunderbird update or drop
events when a meeting changes or is cancelled."""

from datetime import UTC

from icalendar import Calendar, Event

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from home.urls_absolute import absolute_url


def _event(meeting):
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@platforma-wspolpracy")
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add("dtend", meeting.ends_at.astimezone(UTC))
    event.add("summary", f"{meeting.group.name}: {meeting.title}")
    event.add("sequence", meeting.sequence)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    location = meeting.place or meeting.online_url
    if location:
        event.add("location", location)
    if meeting.online_url:
        event.add("description", meeting.online_url)
    event.add("url", absolute_url(meeting.get_absolute_url()))
    return event


def _closing_event(proposal):
    """A proposal's closing time (or the time it closed early), so that
    members see when their vote is due."""
    closes = (proposal.closed_at or proposal.closes_at).astimezone(UTC)
    event = Event()
    event.add("uid", f"proposal-{proposal.pk}@platforma-wspolpracy")
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", closes)
    event.add("dtend", closes)
    title = _("Vote closes: %(title)s") % {"title": proposal.title}
    event.add("summary", f"{proposal.group.name}: {title}")
    event.add("sequence", 0 if proposal.is_open else 1)
    event.add("url", absolute_url(proposal.get_absolute_url()))
    return event


def calendar_of(meetings, proposals=()):
    calendar = Calendar()
    calendar.add("prodid", "-//Platforma wspolpracy//Malopolska otwarta//PL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-timezone", "Europe/Warsaw")
    for meeting in meetings:
        calendar.add_component(_event(meeting))
    for proposal in proposals:
        calendar.add_component(_closing_event(proposal))
    return calendar


def calendar_response(meetings, filename, proposals=()):
    response = HttpResponse(
        calendar_of(meetings, proposals).to_ical(),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
