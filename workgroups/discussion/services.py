"""Writes of the live discussion. Each checks permission first, validates,
writes, and leaves its live event to ``transaction.on_commit``: a message is
in the database before anyone hears of it (docs/security.md, DU-01)."""

import uuid
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from workgroups import access, page_cache
from workgroups.discussion import selectors, text
from workgroups.discussion.hub import hub
from workgroups.discussion.rendering import serialize_message
from workgroups.models import (
    Connection,
    Membership,
    Mention,
    Message,
    ReadPosition,
    Room,
    Topic,
)

TITLE_LENGTH = 200


def _broadcast(room_id, event):
    # robust: a failing doorbell (Redis) never undoes or hides a stored message.
    transaction.on_commit(lambda: hub.publish(room_id, event), robust=True)


def _broadcast_many(room_id, events):
    """Publish ``events()`` once committed: messages are rendered (in every
    language) after the room's row lock is released, not while holding it."""
    transaction.on_commit(lambda: hub.publish_many(room_id, events()), robust=True)


def _writer(actor, group_id):
    return access.check_membership(actor, group_id, write=True)


def _chair(actor, group_id):
    return access.check_membership(actor, group_id, chair=True)


def topic_event(topic, op):
    return {
        "type": "topic",
        "op": op,
        # A worded title (a meeting's thread) is in each reader's language:
        # the event, sent to all, leaves it to the page they loaded.
        "topic": {
            "id": topic.pk,
            "title": None if topic.wording else topic.title,
            "closed": topic.is_closed,
        },
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
    _broadcast(room.pk, topic_event(topic, "new"))
    return topic


def topic_for_subject(*, room: Room, subject, title: str, wording="") -> Topic:
    """The thread of ``subject`` (a meeting, a draft), created on first use;
    ``wording`` ("meeting", "draft") words ``title`` in each reader's
    language."""
    from django.contrib.contenttypes.models import ContentType

    topic, _ = Topic.objects.get_or_create(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        defaults={"room": room, "title": title[:TITLE_LENGTH], "wording": wording},
    )
    return topic


@transaction.atomic
def topic_rename(*, actor, topic: Topic, title: str) -> Topic:
    _chair(actor, topic.room.group_id)
    previous = topic.heading
    topic.title = text.clean_text(title, max_length=TITLE_LENGTH)
    topic.wording = ""  # the chair's own words, as written
    topic.full_clean(exclude=["created_by"])  # a meeting's thread has none
    topic.save(update_fields=["title", "wording"])
    log(topic, "workgroups.topic.rename", user=actor, data={"from": previous})
    _broadcast(topic.room_id, topic_event(topic, "update"))
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
    _broadcast(topic.room_id, topic_event(topic, "update"))
    return topic


def _mentions(message, body):
    names = text.mentioned_usernames(body)
    if not names:
        return []
    # Only current members of the group can be mentioned (and notified).
    users = list(
        Membership.objects.current()
        .filter(group_id=message.room.group_id, user__username__in=names)
        .exclude(user_id=message.author_id)
        .select_related("user")
    )
    for membership in users:
        Mention.objects.get_or_create(message=message, user=membership.user)
    return [membership.user for membership in users]


@dataclass(eq=False)
class Post:
    """One message to store: what ``message_post_many`` takes, and where it
    leaves ``result`` — ``(message, created)`` — or ``error``."""

    author: object
    room: Room
    topic_id: int
    body: str
    client_id: object
    result: tuple | None = None
    error: Exception | None = None
    topic: Topic | None = field(default=None, repr=False)
    search_text: str = field(default="", repr=False)


def message_post(*, author, topic: Topic, body: str, client_id) -> tuple:
    """Store a message and return ``(message, created)``. A resend with the
    same ``client_id`` returns the stored message, never a second copy."""
    post = Post(
        author=author,
        room=topic.room,
        topic_id=topic.pk,
        body=body,
        client_id=client_id,
    )
    message_post_many([post])
    if post.error is not None:
        raise post.error
    return post.result


def message_post_many(posts) -> None:
    """Store the messages of ``posts`` in one transaction (group commit: the
    WebSocket writer hands over every post waiting at that moment), each with
    its room's next sequence numbers, and broadcast them once committed. Each
    post gets ``result`` or ``error`` (not a member, closed topic, bad text);
    a resend with a stored client id gets the stored message. The queries do
    not grow with the number of posts: one statement checks the batch, the
    transaction takes the sequence numbers and inserts."""
    posts = list(posts)
    todo = [post for post in posts if _post_clean(post)]
    if not todo:
        return
    fresh = _posts_triage(todo)
    if fresh:
        # A message is shown to its group's members only: their pages alone
        # are made afresh (workgroups/page_cache.py).
        with page_cache.writes_of_groups({post.room.group_id for post in fresh}):
            _posts_store(fresh)
    for post in todo:
        if isinstance(post.result, Post):
            # The same post twice in one batch: the second answers as the first.
            post.result, post.error = post.result.result, post.result.error


def _post_clean(post) -> bool:
    """Normalise the post's client id and text; False (and ``error`` set)
    when either is unusable."""
    try:
        post.client_id = uuid.UUID(str(post.client_id))
        post.body = text.clean_text(post.body)
    except ValidationError as error:
        post.error = error
    except ValueError:
        post.error = ValidationError(_("Bad client id."), code="invalid")
    return post.error is None


def _posts_triage(todo):
    """Answer what needs no insert (not a writer, a resend, a closed or
    foreign topic, a repeat within the batch) and return the posts to store,
    each with its search text. One query for the whole batch (two when it
    holds a resend)."""
    writers, stored, topics = selectors.post_checks(todo)
    fresh, first_of = [], {}
    for post in todo:
        key = (post.author.pk, post.client_id)
        topic = topics.get(post.topic_id)
        if (post.room.group_id, post.author.pk) not in writers:
            post.error = PermissionDenied()
        elif key in stored:
            post.result = (stored[key], False)
        elif topic is None or topic[0] != post.room.pk:
            post.error = PermissionDenied()
        elif topic[1]:
            post.error = ValidationError(
                _("This topic is closed; no new messages."), code="closed"
            )
        elif key in first_of:
            post.result = first_of[key]  # resolved once the first is stored
        else:
            # Lemmatised before the transaction: no lock is held meanwhile.
            post.search_text = text.search_text(post.body)
            first_of[key] = post
            fresh.append(post)
    return fresh


def _posts_store(fresh):
    """Insert ``fresh`` in one transaction; if a concurrent resend committed
    one of their client ids first, fall back to one by one (or, for a single
    post, to the message that won)."""
    broadcasts = []
    try:
        with transaction.atomic():
            # Before the first write, so before the workspace pages' own
            # commit hook (workgroups/page_cache.py, a Redis round trip):
            # the room hears of the messages first.
            transaction.on_commit(lambda: _publish_all(broadcasts), robust=True)
            broadcasts.extend(_messages_insert(fresh))
    except IntegrityError as error:
        for post in fresh:
            post.result = None
        if len(fresh) > 1:
            for post in fresh:
                message_post_many([post])
            return
        post = fresh[0]
        existing = Message.objects.filter(
            author=post.author, client_id=post.client_id
        ).first()
        if existing is None:
            post.error = error
        else:
            post.result = (existing, False)
    except Exception as error:  # noqa: BLE001 -- each post answers with it
        for post in fresh:
            post.result, post.error = None, error


def _next_seqs(room_id, count):
    """Take ``count`` numbers of the room's event sequence; the last one. The
    UPDATE holds the room's row lock until the commit, which orders them."""
    table = Room._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_seq = last_seq + %s WHERE id = %s "  # noqa: S608
            "RETURNING last_seq",
            [count, room_id],
        )
        return cursor.fetchone()[0]


def _messages_insert(posts):
    """Store the posts' messages and their mentions; what each room is to
    hear once committed: ``[(room id, messages, mentioned)]``."""
    messages, by_room = [], {}
    for post in posts:
        by_room.setdefault(post.room.pk, []).append(post)
    for room_id in sorted(by_room):  # always the same lock order
        group = by_room[room_id]
        last = _next_seqs(room_id, len(group))
        for number, post in enumerate(group, start=last - len(group) + 1):
            post.result = (
                Message(
                    room=post.room,
                    topic_id=post.topic_id,
                    seq=number,
                    author=post.author,
                    client_id=post.client_id,
                    body=post.body,
                    search_text=post.search_text,
                ),
                True,
            )
            messages.append(post.result[0])
    Message.objects.bulk_create(messages)
    mentioned = _mentions_many(messages)
    broadcasts = [
        (room_id, [post.result[0] for post in group], mentioned)
        for room_id, group in by_room.items()
    ]
    notify = [message.pk for message in messages if mentioned[message]]
    if notify:
        from workgroups.discussion.tasks import mention_notify

        def enqueue():
            for message_id in notify:
                mention_notify.enqueue(message_id=message_id)

        transaction.on_commit(enqueue, robust=True)
    return broadcasts


def _publish_all(broadcasts):
    """Each room's new messages, rendered once committed (in every language,
    not while the room's row lock is held)."""
    for room_id, messages, mentioned in broadcasts:
        hub.publish_many(room_id, _new_message_events(messages, mentioned))


def _new_message_events(messages, mentioned):
    return [
        {
            "type": "message",
            "op": "new",
            "message": serialize_message(
                message, mentions=[user.username for user in mentioned[message]]
            ),
        }
        for message in messages
    ]


def _mentions_many(messages):
    """{message: [mentioned users]}, stored as Mention rows: current members
    of the message's group only, never its author; one query for all."""
    names = {message: text.mentioned_usernames(message.body) for message in messages}
    mentioned = {message: [] for message in messages}
    wanted = set().union(*names.values())
    if not wanted:
        return mentioned
    members = {}
    for membership in (
        Membership.objects.current()
        .filter(
            group_id__in={message.room.group_id for message in messages},
            user__username__in=wanted,
        )
        .select_related("user")
    ):
        members[(membership.group_id, membership.user.username)] = membership.user
    rows = []
    for message in messages:
        for name in sorted(names[message]):
            user = members.get((message.room.group_id, name))
            if user is not None and user.pk != message.author_id:
                mentioned[message].append(user)
                rows.append(Mention(message=message, user=user))
    Mention.objects.bulk_create(rows, ignore_conflicts=True)
    return mentioned


def _message_update_events(message):
    return [
        {
            "type": "message",
            "op": "update",
            "seq": message.changed_seq,
            "message": serialize_message(message),
        }
    ]


def _message_changed(message, fields):
    """Save ``fields`` of a message with the room's next event number: a
    client that missed the change catches up on it like on a new message."""
    message.changed_seq = _next_seqs(message.room_id, 1)
    message.save(update_fields=[*fields, "changed_seq"])
    _broadcast_many(message.room_id, partial(_message_update_events, message))


@transaction.atomic
def message_edit(*, actor, message: Message, body: str) -> Message:
    if not access.may_edit_message(_writer(actor, message.room.group_id), message):
        raise PermissionDenied
    message.body = text.clean_text(body)
    message.search_text = text.search_text(message.body)
    message.edited_at = timezone.now()
    message.mention_names = {user.username for user in _mentions(message, message.body)}
    _message_changed(message, ["body", "search_text", "edited_at"])
    return message


@transaction.atomic
def message_delete(*, actor, message: Message) -> Message:
    """The author withdraws a message: its place shows "message deleted"."""
    if message.author_id != actor.pk or message.is_deleted:
        raise PermissionDenied
    access.check_membership(actor, message.room.group_id)
    message.deleted_at = timezone.now()
    message.search_text = ""
    _message_changed(message, ["deleted_at", "search_text"])
    return message


@transaction.atomic
def message_hide(*, actor, message: Message) -> Message:
    """The chair hides a message from the room; the audit log keeps who."""
    _chair(actor, message.room.group_id)
    if message.is_hidden:
        return message
    message.hidden_at = timezone.now()
    message.hidden_by = actor
    message.search_text = ""
    _message_changed(message, ["hidden_at", "hidden_by", "search_text"])
    log(
        message,
        "workgroups.message.hide",
        user=actor,
        data={"seq": message.seq, "author_id": message.author_id},
    )
    return message


def read_mark(*, user, topic: Topic, seq: int) -> None:
    """``user`` has seen ``topic`` up to ``seq`` (positions only move on).
    Shown to the group's members only (their unread counts and mentions)."""
    newest, group_id = Room.objects.values_list("last_seq", "group_id").get(
        pk=topic.room_id
    )
    seq = max(0, min(int(seq), newest))
    with page_cache.writes_of_groups([group_id]):
        position, created = ReadPosition.objects.get_or_create(
            topic=topic, user=user, defaults={"seq": seq}
        )
        if not created and position.seq < seq:
            ReadPosition.objects.filter(pk=position.pk, seq__lt=seq).update(seq=seq)
        Mention.objects.filter(
            user=user, message__topic=topic, message__seq__lte=seq, read_at__isnull=True
        ).update(read_at=timezone.now())


def connection_open(*, user, room: Room, channel_name: str) -> None:
    """Record an open socket. Who is online is broadcast by
    ``presence_publish``, which the sockets' process calls at most once per
    moment per room (200 people connecting must not cost 200 × 200 frames)."""
    now = timezone.now()
    Connection.objects.create(
        channel_name=channel_name, room=room, user=user, last_seen=now
    )
    # Rows of sockets closed long ago are no longer needed.
    Connection.objects.filter(closed_at__lt=now - timezone.timedelta(days=7)).delete()


def connection_close(*, channel_name: str) -> None:
    now = timezone.now()
    Connection.objects.filter(channel_name=channel_name).update(
        closed_at=now, last_seen=now
    )


def connection_touch(*, channel_name: str) -> None:
    Connection.objects.filter(channel_name=channel_name).update(
        last_seen=timezone.now()
    )


def presence_publish(room_id) -> None:
    """Tell the room who is online now."""
    from workgroups.discussion.selectors import online_names

    hub.publish(room_id, {"type": "presence", "online": online_names(room_id)})
