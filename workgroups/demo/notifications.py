"""The demo notifications of "Rynek pracy" (data: ``notifications.json``):
what its members would have been told about the demo meetings and
proposals, stored as kind and params like any notification, so that each
demo account reads them in its own language (Olga Obserwatorka has chosen
Ukrainian; Stefan Sekretarz gets some kinds in the daily digest). Written
straight to the tables, so that no e-mail goes out; created once."""

from django.contrib.auth import get_user_model

from wagtail.users.models import UserProfile

from home.demo.data import read
from workgroups.demo import meetings, proposals
from workgroups.models import (
    EmailPreferences,
    Meeting,
    Membership,
    Minutes,
    Notification,
    Proposal,
    WorkingGroup,
)
from workgroups.services.notifications import params_and_target

DATA = read(__package__, "notifications.json")


def load(*, stdout):
    group = WorkingGroup.objects.get(slug=DATA["group"])
    people = {u.email: u for u in get_user_model().objects.filter(email__in=_emails())}
    for email, language in DATA["languages"].items():
        profile = UserProfile.get_for_user(people[email])
        if not profile.preferred_language:
            profile.preferred_language = language
            profile.save(update_fields=["preferred_language"])
    for email, kinds in DATA["digest"].items():
        EmailPreferences.objects.get_or_create(
            user=people[email], defaults={"choices": dict.fromkeys(kinds, "digest")}
        )
    if Notification.objects.filter(group=group).exists():
        return
    members = list(Membership.objects.current().filter(group=group))
    for entry in DATA["notifications"]:
        found = params_and_target(entry["kind"], _object_id(group, entry))
        if found is None:
            continue
        _group, params, only = found
        Notification.objects.bulk_create(
            Notification(
                user_id=m.user_id, group=group, kind=entry["kind"], params=params
            )
            for m in members
            if only is None or m.user_id in only
        )
    stdout.write(f"Notifications: {len(DATA['notifications'])} for each member.")


def _emails():
    return list(DATA["languages"]) + list(DATA["digest"])


def _object_id(group, entry):
    if "proposal" in entry:
        title = proposals.DATA[entry["proposal"]]["title"]
        found = Proposal.objects.filter(group=group, title=title)
    else:
        title = meetings.DATA[entry["meeting"]]["title"]
        found = Meeting.objects.filter(group=group, title=title)
        if entry["kind"] == "minutes_approved":
            found = Minutes.objects.filter(meeting__in=found)
    return found.values_list("pk", flat=True).first()
