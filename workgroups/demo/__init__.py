"""Demo integration areas, working groups and memberships (data:
``groups.json``), after ``home.demo``, which creates the accounts; then the
meetings of "Rynek pracy" (``meetings.py``), its discussion
(``discussion.py``), its proposals (``proposals.py``) and what its members
were told of them (``notifications.py``).

Besides the chair and the experts, the groups have a secretary and an
observer of "Rynek pracy", and an expert of "Zdrowie", whose members must
sign in with a second factor (the group's ``require_mfa``), so that the
feature has a demo account of its own."""

from django.contrib.auth import get_user_model
from django.db import transaction

from home.demo import demo_password, ensure_account
from home.demo.data import read
from workgroups.demo import discussion, meetings, notifications, proposals
from workgroups.models import IntegrationArea, Membership, WorkingGroup

DATA = read(__package__, "groups.json")


@transaction.atomic
def load(*, stdout):
    _ensure_groups()
    password = demo_password()
    for account in DATA["accounts"]:
        ensure_account(
            account["email"],
            account["first_name"],
            account["last_name"],
            "member",
            password,
        )
    _ensure_memberships()
    meetings.load()
    names = ", ".join(group["name"] for group in DATA["groups"])
    stdout.write(f"Working groups: {names}")
    for account in DATA["accounts"]:
        name = f"{account['first_name']} {account['last_name']}"
        stdout.write(f"  {account['email']:30} {name} (member)")
    discussion.load(stdout=stdout)
    proposals.load(stdout=stdout)
    notifications.load(stdout=stdout)


def _ensure_groups():
    for order, group in enumerate(DATA["groups"]):
        area, _ = IntegrationArea.objects.get_or_create(
            name=group["area"], defaults={"sort_order": order}
        )
        _fill_translations(
            area, {f"name_{code}": group[f"area_{code}"] for code in ("uk", "en")}
        )
        working_group, _ = WorkingGroup.objects.get_or_create(
            slug=group["slug"],
            defaults={
                "name": group["name"],
                "area": area,
                "description": group["description"],
                "require_mfa": group["require_mfa"],
            },
        )
        _fill_translations(
            working_group,
            {
                f"{field}_{code}": group[f"{field}_{code}"]
                for field in ("name", "description")
                for code in ("uk", "en")
            },
        )


def _fill_translations(obj, translations):
    """The demo's Ukrainian and English names and descriptions, where an
    earlier load (or the administrator) left them empty."""
    empty = [field for field in translations if not getattr(obj, field)]
    for field in empty:
        setattr(obj, field, translations[field])
    if empty:
        obj.save(update_fields=empty)


def _ensure_memberships():
    users = get_user_model().objects
    for membership in DATA["memberships"]:
        Membership.objects.get_or_create(
            group=WorkingGroup.objects.get(slug=membership["group"]),
            user=users.get(email=membership["email"]),
            defaults={
                "role": membership["role"],
                "listed_publicly": membership["listed_publicly"],
            },
        )
