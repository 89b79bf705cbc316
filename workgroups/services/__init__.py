"""Writes of the working groups, by subject: permission first, then
validation, then the change and its audit-log entry (Wagtail's ``log``)."""

from workgroups.services.membership import (
    membership_add,
    membership_change_role,
    membership_remove,
)

__all__ = ["membership_add", "membership_change_role", "membership_remove"]
