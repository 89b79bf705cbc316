"""Notifications: an in-app entry and (if the person wants it) an e-mail, sent
by a background task. Recipients are computed when the task runs, among the
people who are members *then* (docs/security.md, AC-12)."""

from django_tasks import task

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from home import outbox
from workgroups.models import (
    ActionItem,
    CalendarFeed,
    EmailPreferences,
    Meeting,
    Membership,
    Minutes,
    Notification,
    Proposal,
    WorkingGroup,
)
from workgroups.models.invitations import new_token
from workgroups.models.proposals import eligible_voters


def notify_on_commit(kind, object_id):
    """Enqueue the notification once the current transaction commits."""
    transaction.on_commit(lambda: deliver_notification.enqueue(kind, object_id))


def _subject_and_target(kind, object_id):
    """(group, subject, url, recipients) for one event; recipients are the
    current members of the group (or the action item's owner if still one)."""
    Kind = Notification.Kind
    if kind in (Kind.MEETING_SCHEDULED, Kind.MEETING_CHANGED, Kind.MEETING_CANCELLED):
        meeting = Meeting.objects.select_related("group").filter(pk=object_id).first()
        if meeting is None:
            return None
        subject = {
            Kind.MEETING_SCHEDULED: _("Meeting scheduled: %(title)s"),
            Kind.MEETING_CHANGED: _("Meeting changed: %(title)s"),
            Kind.MEETING_CANCELLED: _("Meeting cancelled: %(title)s"),
        }[kind] % {"title": meeting.title}
        return meeting.group, subject, meeting.get_absolute_url(), None
    if kind == Kind.MINUTES_APPROVED:
        minutes = (
            Minutes.objects.select_related("meeting__group")
            .filter(pk=object_id)
            .first()
        )
        if minutes is None:
            return None
        subject = _("Minutes approved: %(title)s") % {"title": minutes.meeting.title}
        return minutes.meeting.group, subject, minutes.get_absolute_url(), None
    if kind == Kind.ACTION_ASSIGNED:
        item = (
            ActionItem.objects.registered()
            .select_related("minutes__meeting__group")
            .filter(pk=object_id)
            .first()
        )
        if item is None:
            return None
        subject = _("Action item assigned to you: %(text)s") % {
            "text": item.description[:100]
        }
        meeting = item.minutes.meeting
        return meeting.group, subject, meeting.get_absolute_url(), [item.owner_id]
    if kind in PROPOSAL_KINDS:
        return _proposal_target(kind, object_id)
    raise ValueError(kind)


PROPOSAL_KINDS = {
    Notification.Kind.PROPOSAL_OPENED,
    Notification.Kind.PROPOSAL_REMINDER,
    Notification.Kind.PROPOSAL_CLOSED,
}


def _proposal_target(kind, proposal_id):
    """The subject is the proposal's title alone (``Notification.text``
    words it in the reader's language); a reminder goes only to those who
    may vote and have not."""
    proposal = Proposal.objects.select_related("group").filter(pk=proposal_id).first()
    if proposal is None:
        return None
    only = None
    if kind == Notification.Kind.PROPOSAL_REMINDER:
        voted = proposal.ballots.values("user_id")
        only = list(
            eligible_voters(proposal)
            .exclude(user_id__in=voted)
            .values_list("user_id", flat=True)
        )
    return proposal.group, proposal.title, proposal.get_absolute_url(), only


@task()
def deliver_notification(kind, object_id):
    with translation.override(settings.LANGUAGE_CODE):
        found = _subject_and_target(kind, object_id)
        if found is None:
            return 0
        group, subject, url, only = found
        return _deliver(group, kind, subject, url, only)


def notify_members_on_commit(*, group, kind, subject, url, only=None):
    """For events of other apps (drafts): ``subject`` is already translated
    into the site's language; ``only`` limits the recipients to these user
    ids, still among the members at delivery time."""
    transaction.on_commit(
        lambda: deliver_to_members.enqueue(
            group.pk, kind, str(subject), url, list(only) if only else None
        )
    )


@task()
def deliver_to_members(group_id, kind, subject, url, only=None):
    group = WorkingGroup.objects.filter(pk=group_id).first()
    if group is None:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        return _deliver(group, kind, subject, url, only)


def _deliver(group, kind, subject, url, only):
    """An in-app notification for each current, active member (of ``only``
    if given) and an e-mail for those who want this kind."""
    members = Membership.objects.current().filter(group=group).select_related("user")
    if only is not None:
        members = members.filter(user_id__in=only)
    users = [m.user for m in members]
    Notification.objects.bulk_create(
        Notification(user=u, group=group, kind=kind, subject=subject, url=url)
        for u in users
    )
    preferences = {
        p.user_id: p
        for p in EmailPreferences.objects.filter(user__in=[u.pk for u in users])
    }
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    sent = 0
    for user in users:
        preference = preferences.get(user.pk)
        if preference is not None and not preference.wants(kind):
            continue
        body = render_to_string(
            "workgroups/email/notification.txt",
            {
                "subject": Notification(kind=kind, subject=subject).text,
                "url": base + url,
                "group": group,
            },
        )
        outbox.mail_queue(
            to=[user.email],
            subject=f"[{group.name}] {Notification(kind=kind, subject=subject).text}",
            body=body,
            kind="notification",
        )
        sent += 1
    return sent


def email_preferences_of(user):
    """The person's choices, or the defaults (unsaved): reading never writes."""
    return EmailPreferences.objects.filter(user=user).first() or EmailPreferences(
        user=user
    )


def email_preferences_save(
    *,
    user,
    meetings: bool,
    minutes: bool,
    action_items: bool,
    drafts: bool = True,
    proposals: bool = True,
):
    preferences = email_preferences_of(user)
    preferences.meetings = meetings
    preferences.minutes = minutes
    preferences.action_items = action_items
    preferences.drafts = drafts
    preferences.proposals = proposals
    preferences.full_clean()
    preferences.save()
    return preferences


def notifications_mark_read(*, user):
    from django.utils import timezone

    Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def calendar_feed_create(*, user) -> str:
    """A new secret feed token for ``user`` (the old URL stops working); the
    token is returned once and only its hash is kept."""
    token, digest = new_token()
    CalendarFeed.objects.update_or_create(user=user, defaults={"token_hash": digest})
    return token


def calendar_feed_revoke(*, user) -> None:
    CalendarFeed.objects.filter(user=user).delete()
