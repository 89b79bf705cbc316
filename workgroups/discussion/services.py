"""Writes of the live discussion. Each checks permission first, validates,
writes, and leaves its live event to ``transaction.on_commit``: a message is
in the database before anyone hears of it (SECURITY.md DU-01)."""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from workgroups.discussion import text
from workgroups.discussion.hub import hub
from workgroups.models import (
    Connection,
    Membership,
    Mention,
    Message,
    ReadPosition,
    Room,
    Topic,
)
from workgroups.selectors import membership_for

TITLE_LENGTH = 200


def serialize_message(message, mentions=None):
    """The JSON form clients get. Deleted and hidden messages carry no text."""
    state = "hidden" if message.is_hidden else "deleted" if message.is_deleted else ""
    if mentions is None:
        mentions = [mention.user.username for mention in message.mentions.all()]
    author = message.author
    return {
        "id": message.pk,
        "seq": message.seq,
        "topic": message.topic_id,
        "author": (author.get_full_name() or author.username) if author else "",
        "author_id": message.author_id,
        "body": "" if state else message.body,
        "state": state,
        "edited": message.edited_at is not None and not state,
        "created_at": message.created_at.isoformat(),
        "mentions": [] if state else sorted(mentions),
        "client_id": str(message.client_id),
    }


def _broadcast(room_id, event):
    # robust: a failing doorbell (Redis) never undoes or hides a stored message.
    transaction.on_commit(lambda: hub.publish(room_id, event), robust=True)


def _writer(actor, group_id):
    membership = membership_for(actor, group_id)
    if membership is None or not membership.can_write:
        raise PermissionDenied
    return membership


def _chair(actor, group_id):
    membership = membership_for(actor, group_id)
    if not actor.is_superuser and (membership is None or not membership.is_chair):
        raise PermissionDenied
    return membership


def room_for_group(group) -> Room:
    room, _ = Room.objects.get_or_create(group=group)
    return room


def _topic_event(topic, op):
    return {
        "type": "topic",
        "op": op,
        "topic": {"id": topic.pk, "title": topic.title, "closed": topic.is_closed},
    }


@transaction.atomic
def topic_create(*, actor, room: Room, title: str, subject=None) -> Topic:
    """A new topic; ``subject`` (a meeting, a draft) makes it that object's
    thread."""
    _writer(actor, room.group_id)
    topic = Topic(room=room, created_by=actor, subject=subject)
    topic.title = text.clean_text(title, max_length=TITLE_LENGTH)
    topic.full_clean()
    topic.save()
    _broadcast(room.pk, _topic_event(topic, "new"))
    return topic


def topic_for_subject(*, room: Room, subject, title: str) -> Topic:
    """The thread of ``subject`` (a meeting, a draft), created on first use."""
    from django.contrib.contenttypes.models import ContentType

    topic, _ = Topic.objects.get_or_create(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        defaults={"room": room, "title": title[:TITLE_LENGTH]},
    )
    return topic


@transaction.atomic
def topic_rename(*, actor, topic: Topic, title: str) -> Topic:
    _chair(actor, topic.room.group_id)
    previous = topic.title
    topic.title = text.clean_text(title, max_length=TITLE_LENGTH)
    topic.full_clean()
    topic.save(update_fields=["title"])
    log(topic, "workgroups.topic.rename", user=actor, data={"from": previous})
    _broadcast(topic.room_id, _topic_event(topic, "update"))
    return topic


@transaction.atomic
def topic_set_closed(*, actor, topic: Topic, closed: bool) -> Topic:
    _chair(actor, topic.room.group_id)
    topic.is_closed = closed
    topic.save(update_fields=["is_closed"])
    log(
        topic,
        "workgroups.topic.close" if closed else "workgroups.topic.reopen",
        user=actor,
    )
    _broadcast(topic.room_id, _topic_event(topic, "update"))
    return topic


def _mentions(message, body):
    names = text.mentioned_usernames(body)
    if not names:
        return []
    # Only current members of the group can be mentioned (and notified).
    users = list(
        Membership.objects.filter(
            group_id=message.room.group_id, user__username__in=names
        )
        .exclude(user_id=message.author_id)
        .select_related("user")
    )
    for membership in users:
        Mention.objects.get_or_create(message=message, user=membership.user)
    return [membership.user for membership in users]


def message_post(*, author, topic: Topic, body: str, client_id) -> tuple:
    """Store a message and return ``(message, created)``. A resend with the
    same ``client_id`` returns the stored message, never a second copy."""
    _writer(author, topic.room.group_id)
    client_id = uuid.UUID(str(client_id))
    existing = Message.objects.filter(author=author, client_id=client_id).first()
    if existing is not None:
        return existing, False
    body = text.clean_text(body)
    # Lemmatised before the transaction: no lock is held meanwhile.
    search_text = text.search_text(body)
    try:
        with transaction.atomic():
            message, mentioned = _message_insert(
                author=author,
                topic=topic,
                body=body,
                search_text=search_text,
                client_id=client_id,
            )
    except IntegrityError:
        # The same client id committed by a concurrent resend.
        existing = Message.objects.filter(author=author, client_id=client_id).first()
        if existing is None:
            raise
        return existing, False
    if mentioned:
        from workgroups.discussion.tasks import mention_notify

        transaction.on_commit(
            lambda: mention_notify.enqueue(message_id=message.pk), robust=True
        )
    return message, True


def _message_insert(*, author, topic, body, search_text, client_id):
    if topic.is_closed:
        raise ValidationError(
            _("This topic is closed; no new messages."), code="closed"
        )
    # The row lock on the room orders the sequence numbers.
    Room.objects.filter(pk=topic.room_id).update(last_seq=F("last_seq") + 1)
    seq = Room.objects.values_list("last_seq", flat=True).get(pk=topic.room_id)
    message = Message(
        room_id=topic.room_id,
        topic=topic,
        seq=seq,
        author=author,
        client_id=client_id,
        body=body,
        search_text=search_text,
    )
    # The unique constraints are the database's to enforce (IntegrityError above).
    message.full_clean(exclude=["room", "topic", "author"], validate_constraints=False)
    message.save()
    message.room = topic.room
    mentioned = _mentions(message, body)
    event = {
        "type": "message",
        "op": "new",
        "message": serialize_message(
            message, mentions=[user.username for user in mentioned]
        ),
    }
    _broadcast(topic.room_id, event)
    return message, mentioned


def _message_update_event(message):
    return {"type": "message", "op": "update", "message": serialize_message(message)}


@transaction.atomic
def message_edit(*, actor, message: Message, body: str) -> Message:
    if message.author_id != actor.pk or message.is_deleted or message.is_hidden:
        raise PermissionDenied
    _writer(actor, message.room.group_id)
    message.body = text.clean_text(body)
    message.search_text = text.search_text(message.body)
    message.edited_at = timezone.now()
    message.save(update_fields=["body", "search_text", "edited_at"])
    _mentions(message, message.body)
    _broadcast(message.room_id, _message_update_event(message))
    return message


@transaction.atomic
def message_delete(*, actor, message: Message) -> Message:
    """The author withdraws a message: its place shows "message deleted"."""
    if message.author_id != actor.pk or message.is_deleted:
        raise PermissionDenied
    if membership_for(actor, message.room.group_id) is None:
        raise PermissionDenied
    message.deleted_at = timezone.now()
    message.search_text = ""
    message.save(update_fields=["deleted_at", "search_text"])
    _broadcast(message.room_id, _message_update_event(message))
    return message


@transaction.atomic
def message_hide(*, actor, message: Message) -> Message:
    """The chair hides a message from the room; the audit log keeps who."""
    _chair(actor, message.room.group_id)
    if message.is_hidden:
        return message
    message.hidden_at = timezone.now()
    message.hidden_by = actor
    message.save(update_fields=["hidden_at", "hidden_by"])
    log(
        message,
        "workgroups.message.hide",
        user=actor,
        data={"seq": message.seq, "author_id": message.author_id},
    )
    _broadcast(message.room_id, _message_update_event(message))
    return message


def read_mark(*, user, topic: Topic, seq: int) -> None:
    """``user`` has seen ``topic`` up to ``seq`` (positions only move on)."""
    newest = Room.objects.values_list("last_seq", flat=True).get(pk=topic.room_id)
    seq = max(0, min(int(seq), newest))
    position, created = ReadPosition.objects.get_or_create(
        topic=topic, user=user, defaults={"seq": seq}
    )
    if not created and position.seq < seq:
        ReadPosition.objects.filter(pk=position.pk, seq__lt=seq).update(seq=seq)
    Mention.objects.filter(
        user=user, message__topic=topic, message__seq__lte=seq, read_at__isnull=True
    ).update(read_at=timezone.now())


def connection_open(*, user, room: Room, channel_name: str) -> None:
    now = timezone.now()
    Connection.objects.create(
        channel_name=channel_name, room=room, user=user, last_seen=now
    )
    # Rows of sockets closed long ago are no longer needed.
    Connection.objects.filter(closed_at__lt=now - timezone.timedelta(days=7)).delete()
    _broadcast_presence(room)


def connection_close(*, channel_name: str) -> None:
    connection = Connection.objects.filter(channel_name=channel_name).first()
    if connection is None:
        return
    now = timezone.now()
    Connection.objects.filter(pk=connection.pk).update(closed_at=now, last_seen=now)
    _broadcast_presence(connection.room)


def connection_touch(*, channel_name: str) -> None:
    Connection.objects.filter(channel_name=channel_name).update(
        last_seen=timezone.now()
    )


def _broadcast_presence(room):
    from workgroups.discussion.selectors import online_names

    _broadcast(room.pk, {"type": "presence", "online": online_names(room)})
