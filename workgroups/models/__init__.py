"""Models of the working groups, by subject: one module per subject once a
file grows (docs/architecture.md#apps-and-the-dependency-rule)."""

from workgroups.models.discussion import (
    Connection,
    Mention,
    Message,
    ReadPosition,
    Room,
    Topic,
)
from workgroups.models.groups import (
    IntegrationArea,
    Membership,
    SuggestionDeciders,
    WorkingGroup,
)
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
from workgroups.models.proposals import Ballot, Proposal

__all__ = [
    "ActionItem",
    "AgendaItem",
    "Attendance",
    "Ballot",
    "CalendarFeed",
    "ConflictOfInterest",
    "Connection",
    "Decision",
    "EmailPreferences",
    "IntegrationArea",
    "Invitation",
    "Meeting",
    "Membership",
    "Mention",
    "Message",
    "Minutes",
    "MinutesItem",
    "Notification",
    "Proposal",
    "ReadPosition",
    "Room",
    "Rsvp",
    "Topic",
    "Vote",
    "SuggestionDeciders",
    "WorkingGroup",
]
