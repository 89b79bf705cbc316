"""Access to drafts and everything under them follows the draft's group: one
rule, 404 for everyone outside it."""

import base64
import contextlib
import re
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from documents.live import anchors
from documents.live import store as live_store
from documents.models import Draft, DraftAttachment, DraftPresence, DraftVersion
from workgroups import access

PRESENCE_WINDOW = timedelta(minutes=2)
LIST_MARKER = re.compile(r"^(- |\d+\. )")


def draft_for_member_or_404(user, draft_id, *, write=False, manage=False):
    """The draft and ``user``'s membership of its group."""
    draft = Draft.objects.select_related("group", "area").filter(pk=draft_id).first()
    if draft is None:
        raise Http404
    membership = access.require_membership(
        user, draft.group_id, write=write, manage=manage
    )
    return draft, membership


def version_for_member_or_404(user, draft_id, number):
    draft, membership = draft_for_member_or_404(user, draft_id)
    version = (
        DraftVersion.objects.select_related("revision", "author")
        .filter(draft=draft, number=number)
        .first()
    )
    if version is None:
        raise Http404
    return draft, version


def attachment_for_member_or_404(user, attachment_id):
    attachment = (
        DraftAttachment.objects.select_related("document", "draft")
        .filter(pk=attachment_id)
        .first()
    )
    if attachment is None:
        raise Http404
    access.require_membership(user, attachment.draft.group_id)
    return attachment


def drafts_of_group(group):
    return Draft.objects.filter(group=group).select_related("created_by")


def others_present(draft, user):
    """Other people who had the draft open in the last two minutes."""
    return (
        DraftPresence.objects.filter(
            draft=draft, seen_at__gte=timezone.now() - PRESENCE_WINDOW
        )
        .exclude(user=user)
        .select_related("user")
        .order_by("user__last_name")
    )


def review_history(draft):
    """The draft's way through review, from the audit log."""
    from wagtail.models import ModelLogEntry

    return (
        ModelLogEntry.objects.for_instance(draft)
        .filter(action__startswith="documents.review.")
        .select_related("user")
        .order_by("-timestamp", "-pk")
    )


def versions_with_editors(draft):
    """The draft's versions, newest first, each with who saved it and
    everyone who edited its text since the previous one, by name."""
    people = get_user_model().objects.order_by("first_name", "last_name", "username")
    return draft.versions.select_related("author").prefetch_related(
        Prefetch("editors", queryset=people)
    )


def suggestion_decisions(draft, *, between=None):
    """The decisions on the draft's suggestions, oldest first; ``between``:
    two versions, those decided after the older one was saved and up to the
    newer one."""
    decisions = draft.suggestion_decisions.select_related("author", "decided_by")
    if between is not None:
        older, newer = sorted(between, key=lambda version: version.created_at)
        decisions = decisions.between(older.created_at, newer.created_at)
    return decisions


def comment_threads(draft):
    """The draft's comment threads, oldest first, each with its replies
    (``thread_replies``) and where its range is in the live document now:
    ``text_removed`` when its text was deleted (or it has no range: a
    paragraph removed before comments had ranges), ``text_changed`` when
    the text differs from what it was about, ``block`` the block it starts
    in (documents/live/anchors.py)."""
    comments = list(draft.comments.select_related("author", "resolved_by"))
    replies, threads = {}, []
    for comment in comments:
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
        else:
            threads.append(comment)
    resolver = _resolver(draft) if threads else None
    for thread in threads:
        thread.thread_replies = replies.get(thread.pk, [])
        _place(thread, resolver)
    return threads


def _resolver(draft):
    update = live_store.load_stored(draft.pk)
    return anchors.Resolver(update) if update is not None else None


def _place(thread, resolver):
    span = anchors.Span(found=False)
    if resolver is not None and thread.anchor_start and thread.anchor_end:
        # One stored before a check that refuses it now shows as removed.
        with contextlib.suppress(anchors.BadAnchor):
            span = resolver.span(bytes(thread.anchor_start), bytes(thread.anchor_end))
    thread.text_removed = not span.found or span.removed
    thread.text_changed = not thread.text_removed and _words(span.text) != _words(
        thread.anchored_text
    )
    thread.block = span.block_id if span.found else thread.block_id
    thread.anchors = None
    if thread.anchor_start and thread.anchor_end:
        thread.anchors = [
            base64.b64encode(bytes(thread.anchor_start)).decode(),
            base64.b64encode(bytes(thread.anchor_end)).decode(),
        ]


def _words(text):
    """The words of ``text``, without the list markers a paragraph's plain
    text has (documents/blocks.py), so that a migrated thread on a list is
    not taken for changed."""
    return [
        word
        for line in text.splitlines()
        for word in LIST_MARKER.sub("", line.strip()).split()
    ]
