"""Models of the working groups, by subject (DESIGN.md: one module per subject
once a file grows)."""

from workgroups.models.groups import IntegrationArea, Membership, WorkingGroup

__all__ = ["IntegrationArea", "Membership", "WorkingGroup"]
