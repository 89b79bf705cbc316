"""Who may read which room, topic and message (the one definition that the
views, the consumer and search share), and the reads built on it."""

import functools
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.utils import timezone

from home.people import person_name
from workgroups import access
from workgroups.discussion import text
from workgroups.models import (
    Connection,
    Membership,
    Message,
    ReadPosition,
    Room,
    Topic,
)

PAGE_SIZE = 50
CATCH_UP_LIMIT = 500
ONLINE_WITHIN = timedelta(minutes=2)


def room_of(group_id):
    """The group's room, made with the group
    (workgroups/discussion/receivers.py); None where there is none, which
    every caller denies."""
    return Room.objects.filter(group_id=group_id).first()


def room_of_member(user, group_id, **rights):
    """(room, membership) for a current member of the group, else (None,
    None)."""
    membership = access.membership_of(user, group_id, **rights)
    room = room_of(group_id) if membership is not None else None
    if room is None:
        return None, None
    return room, membership


def room_of_member_or_404(user, group_id, **rights):
    room, membership = room_of_member(user, group_id, **rights)
    if room is None:
        raise Http404
    return room, membership


def topic_of_member_or_404(user, group_id, topic_id):
    room, membership = room_of_member_or_404(user, group_id)
    topic = Topic.objects.filter(room=room, pk=topic_id).first()
    if topic is None:
        raise Http404
    topic.room = room
    return topic, membership


def message_of_member_or_404(user, group_id, message_id):
    room, membership = room_of_member_or_404(user, group_id)
    message = Message.objects.filter(room=room, pk=message_id).first()
    if message is None:
        raise Http404
    message.room = room
    return message, membership


def message_to_edit_or_404(user, group_id, message_id):
    """A message its author may still edit; 404 for anything else (a hidden
    or deleted message's text is nobody's to read)."""
    message, membership = message_of_member_or_404(user, group_id, message_id)
    if not access.may_edit_message(membership, message):
        raise Http404
    return message, membership


def room_message(room, message_id):
    """A message of ``room`` (the socket checked its access already)."""
    message = Message.objects.filter(room=room, pk=message_id).first()
    if message is not None:
        message.room = room
    return message


def room_topic(room, topic_id):
    topic = Topic.objects.filter(room=room, pk=topic_id).first()
    if topic is not None:
        topic.room = room
    return topic


def _with_display(queryset):
    return queryset.select_related("author").prefetch_related("mentions__user")


def history(topic, *, before_seq=None, limit=PAGE_SIZE):
    """The newest ``limit`` messages of the topic before ``before_seq``, oldest
    first, and whether older ones exist."""
    messages = Message.objects.filter(topic=topic)
    if before_seq is not None:
        messages = messages.filter(seq__lt=before_seq)
    page = list(_with_display(messages.order_by("-seq"))[: limit + 1])
    has_more = len(page) > limit
    return page[:limit][::-1], has_more


def messages_after(room, seq, *, limit=None):
    """Every message of the room with an event after ``seq`` — posted, or
    edited, deleted or hidden since — in the order of its newest event, in
    its current state; None when more than ``limit`` were missed (the client
    must reload)."""
    limit = limit or CATCH_UP_LIMIT
    messages = (
        Message.objects.filter(room=room)
        .filter(Q(seq__gt=seq) | Q(changed_seq__gt=seq))
        .annotate(event=Greatest("seq", "changed_seq"))
        .order_by("event")
    )
    page = list(_with_display(messages)[: limit + 1])
    if len(page) > limit:
        return None
    return page


def unread_counts(user, *, group_ids=None):
    """{topic id: unread} and {group id: unread} over ``user``'s groups:
    visible messages of others after ``user``'s read position. Counted per
    topic from its read position on (the ``(topic, seq)`` index), so the
    cost follows what is unread, not the length of a room's history."""
    if not user.is_authenticated:
        return {}, {}
    read = ReadPosition.objects.filter(topic=OuterRef("pk"), user=user)
    unread = (
        Message.objects.visible()
        .filter(topic=OuterRef("pk"), seq__gt=OuterRef("read"))
        .exclude(author=user)
        .order_by()
        .values("topic")
        .annotate(count=Count("id"))
        .values("count")
    )
    topics = Topic.objects.filter(
        room__group__in=Membership.objects.current_of(user).values("group")
    )
    if group_ids is not None:
        topics = topics.filter(room__group_id__in=group_ids)
    rows = (
        topics.annotate(
            read=Coalesce(
                Subquery(read.values("seq")[:1]), Value(0), output_field=IntegerField()
            )
        )
        .annotate(unread=Subquery(unread, output_field=IntegerField()))
        .filter(unread__gt=0)
        .values_list("pk", "room__group_id", "unread")
        .order_by()
    )
    per_topic, per_group = {}, {}
    for topic_id, group_id, count in rows:
        per_topic[topic_id] = count
        per_group[group_id] = per_group.get(group_id, 0) + count
    return per_topic, per_group


def online_names(room):
    """Display names of the people with an open socket to the room (a room
    or its id)."""
    since = timezone.now() - ONLINE_WITHIN
    online = Connection.objects.filter(
        room=room, closed_at__isnull=True, last_seen__gte=since
    ).values("user_id")
    users = get_user_model().objects.filter(pk__in=online)
    return sorted({person_name(user) for user in users})


def offline_since(user, within):
    """True if ``user`` had no open socket within ``within`` (timedelta)."""
    since = timezone.now() - within
    return not Connection.objects.filter(
        Q(closed_at__isnull=True) | Q(closed_at__gte=since),
        user=user,
        last_seen__gte=since,
    ).exists()


def search(user, query, *, limit=50):
    """Visible messages of ``user``'s own groups matching every word of
    ``query`` in any inflected form; never another group's."""
    terms = text.query_terms(query)
    if not terms:
        return Message.objects.none()
    messages = Message.objects.visible().filter(
        room__group__in=Membership.objects.current_of(user).values("group")
    )
    for forms in terms:
        match = Q()
        for form in forms:
            match |= Q(search_text__contains=f" {form} ")
        messages = messages.filter(match)
    return (
        messages.select_related("author", "topic", "room__group")
        .prefetch_related("mentions__user")
        .order_by("-created_at")[:limit]
    )


def post_checks(todo):
    """What the checks of a batch of posts need (``services.message_post_many``),
    in one statement: which authors may write in which groups, which of
    their client ids are stored already (the messages themselves are read
    only for such a resend), and each named topic's room and state.

    Written as SQL, not built with the ORM: building and compiling the
    three-part union took 1.4 ms of every post's way to its acknowledgement,
    five times what the database needs to answer it. Who may write follows
    ``MembershipQuerySet.current().voting()``: an active account, not an
    observer (tests/workgroups/test_discussion_posting.py holds both)."""
    groups = {post.room.group_id for post in todo}
    authors = {post.author.pk for post in todo}
    client_id = Message._meta.get_field("client_id")
    client_ids = {
        client_id.get_db_prep_value(post.client_id, connection) for post in todo
    }
    topics = {post.topic_id for post in todo}
    with connection.cursor() as cursor:
        cursor.execute(
            _post_checks_sql(len(groups), len(authors), len(client_ids), len(topics)),
            [
                Membership.Role.OBSERVER,
                *groups,
                *authors,
                *authors,
                *client_ids,
                *topics,
            ],
        )
        rows = cursor.fetchall()
    found = {0: set(), 1: [], 2: {}}
    for kind, a, b, c in rows:
        if kind == 0:
            found[0].add((a, b))
        elif kind == 1:
            found[1].append(b)
        else:
            found[2][a] = (b, bool(c))
    stored = {
        (message.author_id, message.client_id): message
        for message in (Message.objects.filter(pk__in=found[1]) if found[1] else ())
    }
    return found[0], stored, found[2]


@functools.lru_cache(maxsize=256)
def _post_checks_sql(groups, authors, client_ids, topics):
    """The statement for a batch with these numbers of distinct values."""

    def table(model):
        return connection.ops.quote_name(model._meta.db_table)

    def some(count):
        return ", ".join(["%s"] * count)

    return (
        f"SELECT 0, m.group_id, m.user_id, 0 FROM {table(Membership)} m "  # noqa: S608
        f"JOIN {table(get_user_model())} u ON u.id = m.user_id "
        f"WHERE u.is_active AND m.role <> %s AND m.group_id IN ({some(groups)}) "
        f"AND m.user_id IN ({some(authors)}) "
        f"UNION ALL SELECT 1, author_id, id, 0 FROM {table(Message)} "
        f"WHERE author_id IN ({some(authors)}) AND client_id IN ({some(client_ids)}) "
        f"UNION ALL SELECT 2, id, room_id, CASE WHEN is_closed THEN 1 ELSE 0 END "
        f"FROM {table(Topic)} WHERE id IN ({some(topics)})"
    )
