"""Notifications: an in-app entry and (as the person chose for the kind) an
e-mail at once or in the daily digest, sent by a background task.
Recipients are computed when the task runs, among the people who are members
*then* (docs/security.md, AC-12). Rows store what happened, never a
sentence: each reader sees it, and each recipient gets its e-mail, in their
own language (``Notification.text``)."""

from django_tasks import task

from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from home import outbox
from home.people import languages_of
from home.urls_absolute import absolute_url
from workgroups import access
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

Delivery = EmailPreferences.Delivery


def link(name, *args, anchor=""):
    """A notification's link, resolved in each reader's language."""
    return {"name": name, "args": list(args), "anchor": anchor}


def notify_on_commit(kind, object_id):
    """Enqueue the notification once the current transaction commits."""
    transaction.on_commit(lambda: deliver_notification.enqueue(kind, object_id))


def params_and_target(kind, object_id):
    """(group, params, recipients) for one event; recipients are the current
    members of the group (or the action item's owner if still one)."""
    Kind = Notification.Kind
    if kind in (Kind.MEETING_SCHEDULED, Kind.MEETING_CHANGED, Kind.MEETING_CANCELLED):
        meeting = Meeting.objects.select_related("group").filter(pk=object_id).first()
        if meeting is None:
            return None
        params = {
            "title": meeting.title,
            "link": link("workgroups:meeting", meeting.pk),
        }
        return meeting.group, params, None
    if kind == Kind.MINUTES_APPROVED:
        minutes = (
            Minutes.objects.select_related("meeting__group")
            .filter(pk=object_id)
            .first()
        )
        if minutes is None:
            return None
        meeting = minutes.meeting
        params = {
            "title": meeting.title,
            "link": link("workgroups:minutes", meeting.pk),
        }
        return meeting.group, params, None
    if kind == Kind.ACTION_ASSIGNED:
        item = (
            ActionItem.objects.registered()
            .select_related("minutes__meeting__group")
            .filter(pk=object_id)
            .first()
        )
        if item is None:
            return None
        meeting = item.minutes.meeting
        params = {
            "title": item.description[:100],
            "link": link("workgroups:meeting", meeting.pk),
        }
        return meeting.group, params, [item.owner_id] if item.owner_id else []
    if kind in PROPOSAL_KINDS:
        return _proposal_target(kind, object_id)
    raise ValueError(kind)


PROPOSAL_KINDS = {
    Notification.Kind.PROPOSAL_OPENED,
    Notification.Kind.PROPOSAL_REMINDER,
    Notification.Kind.PROPOSAL_CLOSED,
}


def _proposal_target(kind, proposal_id):
    """A reminder goes only to those who may vote and have not."""
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
    params = {"title": proposal.title, "link": link("workgroups:proposal", proposal.pk)}
    return proposal.group, params, only


@task()
def deliver_notification(kind, object_id):
    found = params_and_target(kind, object_id)
    if found is None:
        return 0
    group, params, only = found
    return _deliver(group, kind, params, only)


def notify_members_on_commit(*, group, kind, params, only=None):
    """For events of other apps (drafts): ``params`` as ``Notification``
    stores them (the object's words, a ``step``, a ``link``); ``only``
    limits the recipients to these user ids, still among the members at
    delivery time."""
    transaction.on_commit(
        lambda: deliver_to_members.enqueue(
            group.pk, kind, params, list(only) if only else None
        )
    )


@task()
def deliver_to_members(group_id, kind, params, only=None):
    group = WorkingGroup.objects.filter(pk=group_id).first()
    if group is None:
        return 0
    return _deliver(group, kind, params, only)


def _deliver(group, kind, params, only):
    """An in-app notification for each current, active member (of ``only``
    if given); an e-mail now, or a place in tomorrow's digest, for those who
    chose so for this kind."""
    members = Membership.objects.current().filter(group=group).select_related("user")
    if only is not None:
        members = members.filter(user_id__in=only)
    users = [m.user for m in members]
    preferences = {
        p.user_id: p
        for p in EmailPreferences.objects.filter(user__in=[u.pk for u in users])
    }

    def delivery(user):
        preference = preferences.get(user.pk) or EmailPreferences()
        return preference.delivery(kind)

    Notification.objects.bulk_create(
        Notification(
            user=u,
            group=group,
            kind=kind,
            params=params,
            digest_pending=delivery(u) == Delivery.DIGEST,
        )
        for u in users
    )
    now = [u for u in users if delivery(u) == Delivery.IMMEDIATELY]
    languages = languages_of([u.pk for u in now])
    for user in now:
        with translation.override(languages[user.pk]):
            notification_mail(user, Notification(kind=kind, params=params), group)
    return len(now)


def _absolute(path):
    return absolute_url(path) if path else ""


def notification_mail(user, notification, group):
    """One notification's e-mail, in the active language."""
    text = notification.text
    body = render_to_string(
        "workgroups/email/notification.txt",
        {"subject": text, "url": _absolute(notification.link), "group": group},
    )
    return outbox.mail_queue(
        to=[user.email],
        subject=f"[{group.local_name}] {text}",
        body=body,
        kind="notification",
    )


def notification_digest_send() -> int:
    """Each person's notifications waiting for the digest, in one e-mail in
    their language; each notification goes into one digest only (its flag is
    cleared in the transaction that queues the mail). Run daily
    (``manage.py send_notification_digest``); returns the mails queued."""
    users = (
        Notification.objects.filter(digest_pending=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    user_ids = sorted(set(users))
    languages = languages_of(user_ids)
    sent = 0
    for user_id in user_ids:
        with transaction.atomic(), translation.override(languages[user_id]):
            sent += _digest_of(user_id)
    return sent


def _digest_of(user_id):
    pending = list(
        Notification.objects.select_for_update(skip_locked=True)
        .filter(user_id=user_id, digest_pending=True)
        .select_related("user")
    )
    if not pending:
        return 0
    user = pending[0].user
    Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
        digest_pending=False
    )
    visible = set(
        access.visible_notifications(user)
        .filter(pk__in=[n.pk for n in pending])
        .values_list("pk", flat=True)
    )
    items = [
        {"text": n.text, "url": _absolute(n.link), "group": n.group}
        for n in reversed(pending)
        if n.pk in visible
    ]
    if not items or not user.is_active:
        return 0
    body = render_to_string(
        "workgroups/email/digest.txt",
        {"items": items, "url": _absolute(reverse("workgroups:notifications"))},
    )
    outbox.mail_queue(
        to=[user.email],
        subject=translation.gettext("Your notifications of the day (%(count)s)")
        % {"count": len(items)},
        body=body,
        kind="notification_digest",
    )
    return 1


@task()
def notification_digest_task():
    """The daily digest as a background task (enqueue it daily)."""
    return notification_digest_send()


def email_preferences_of(user):
    """The person's choices, or the defaults (unsaved): reading never writes."""
    return EmailPreferences.objects.filter(user=user).first() or EmailPreferences(
        user=user
    )


def email_preferences_save(*, user, choices: dict):
    """``choices``: ``{kind: delivery}`` for kinds sent by e-mail; kinds left
    out keep their choice."""
    preferences = email_preferences_of(user)
    preferences.choices = {**(preferences.choices or {}), **choices}
    preferences.full_clean()
    preferences.save()
    return preferences


def notifications_mark_read(*, user):
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
