"""Models of the working groups, by subject (DESIGN.md: one module per subject
once a file grows)."""

from workgroups.models.groups import IntegrationArea, Membership, WorkingGroup
from workgroups.models.invitations import Invitation
from workgroups.models.meetings import (
    ActionItem,
    AgendaItem,
    Attendance,
    ConflictOfInterest,
    Decision,
    Meeting,
    Minutes,
    MinutesItem,
    Rsvp,
    Vote,
)
from workgroups.models.personal import CalendarFeed, EmailPreferences, Notification

__all__ = [
    "ActionItem",
    "AgendaItem",
    "Attendance",
    "CalendarFeed",
    "ConflictOfInterest",
    "Decision",
    "EmailPreferences",
    "IntegrationArea",
    "Invitation",
    "Meeting",
    "Membership",
    "Minutes",
    "MinutesItem",
    "Notification",
    "Rsvp",
    "Vote",
    "WorkingGroup",
]
