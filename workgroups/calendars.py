"""iCalendar (RFC 5545) for meetings: one event per meeting, stable UIDs and
SEQUENCE so that Outlook, Google Calendar and Thunderbird update or drop
events when a meeting changes or is cancelled."""

from datetime import UTC

from icalendar import Calendar, Event

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone


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
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    event.add("url", base + meeting.get_absolute_url())
    return event


def calendar_of(meetings):
    calendar = Calendar()
    calendar.add("prodid", "-//Platforma wspolpracy//Malopolska otwarta//PL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-timezone", "Europe/Warsaw")
    for meeting in meetings:
        calendar.add_component(_event(meeting))
    return calendar


def calendar_response(meetings, filename):
    response = HttpResponse(
        calendar_of(meetings).to_ical(), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
