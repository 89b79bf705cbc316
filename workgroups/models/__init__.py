"""Models of the working groups, by subject (DESIGN.md: one module per subject
once a file grows)."""

from workgroups.models.discussion import (
    Connection,
    Mention,
    Message,
    ReadPosition,
    Room,
    Topic,
)
from workgroups.models.groups import IntegrationArea, Membership, WorkingGroup

__all__ = [
    "Connection",
    "IntegrationArea",
    "Membership",
    "Mention",
    "Message",
    "ReadPosition",
    "Room",
    "Topic",
    "WorkingGroup",
]
