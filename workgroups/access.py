"""Who may do what to a working group's content, now: the one access layer
that views, selectors, services, WebSocket frames, the file hook, feeds,
notification lists and exports all ask (docs/architecture.md, "Access").

The rule: a person acts in a group only through a current membership — the
membership exists, the account is active and, on a live connection, the
session it was opened with is still valid. Whatever cannot be placed in a
group is refused, and an outsider's refusal is a 404, the same as for
something that does not exist (docs/security.md, AC-02). Administrators
(superusers) have no part in a group's work; they manage memberships and
people, nothing else.

Access that ends must end on open connections too: ``invalidate`` is called
(by ``workgroups/receivers.py``) for every change that can end someone's
access, whichever way it is made. It moves the person's *access generation*
in the shared cache, which every WebSocket frame compares with the one its
socket was last checked at, and tells every worker process to check that
person's sockets again at once (``workgroups/discussion/gate.py``).
"""

import secrets
import time
from dataclasses import dataclass

from django.contrib.auth import get_user
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404

from home.mfa import session_used_second_factor
from workgroups.collections import PRIVATE_ROOT_NAME
from workgroups.discussion.hub import hub
from workgroups.models import (
    Membership,
    Notification,
    SuggestionDeciders,
    WorkingGroup,
)

# --- memberships ----------------------------------------------------------------


def membership_of(user, group_id, *, write=False, manage=False, chair=False):
    """``user``'s current membership of the group with the asked right, else
    None. ``write``: everyone but observers; ``manage``: the chair and the
    secretary; ``chair``: the chair."""
    if group_id is None:
        return None
    membership = (
        Membership.objects.current_of(user)
        .select_related("group")
        .filter(group_id=group_id)
        .first()
    )
    if membership is None or not _has_right(
        membership, write=write, manage=manage, chair=chair
    ):
        return None
    return membership


def _has_right(membership, *, write, manage, chair):
    return not (
        (write and not membership.can_write)
        or (manage and not membership.can_manage)
        or (chair and not membership.is_chair)
    )


def require_membership(user, group_id, **rights):
    """The membership, or 404 (for views and selectors: an outsider learns
    nothing, not even that the object exists)."""
    membership = membership_of(user, group_id, **rights)
    if membership is None:
        raise Http404
    return membership


def check_membership(actor, group_id, **rights):
    """The membership, or PermissionDenied (for services)."""
    membership = membership_of(actor, group_id, **rights)
    if membership is None:
        raise PermissionDenied
    return membership


def is_administrator(user):
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_superuser
    )


def check_membership_administration(actor, group_id):
    """Who belongs to a group and in which role is the chair's and the
    administrator's business."""
    if is_administrator(actor):
        return
    check_membership(actor, group_id, chair=True)


# --- suggestions in drafts -----------------------------------------------------


def only_suggests(membership):
    """Whether the member changes drafts' text only by suggestions whatever
    the draft's state: an expert, where the group says so (in group review
    everybody does: documents/live/consumers.py)."""
    return (
        membership.role == Membership.Role.EXPERT
        and membership.group.experts_only_suggest
    )


def may_decide_suggestions(membership, *, creator_id):
    """Whether the member accepts or rejects suggestions in a draft made by
    ``creator_id``, by the group's rule (default: the chair and the
    draft's creator)."""
    if membership is None or not membership.can_write:
        return False
    rule = membership.group.suggestion_deciders
    return (
        rule == SuggestionDeciders.WRITERS
        or membership.is_chair
        or membership.user_id == creator_id
        or (rule == SuggestionDeciders.MANAGERS_AND_CREATOR and membership.can_manage)
    )


# --- chat messages --------------------------------------------------------------


def may_edit_message(membership, message):
    """Only the author edits, and only a message still shown: the text of a
    hidden or deleted message is read by nobody, through no form, export or
    event (it is purged after ``RETENTION_DAYS``)."""
    return bool(
        membership is not None
        and membership.can_write
        and message.author_id == membership.user_id
        and not message.is_deleted
        and not message.is_hidden
    )


# --- files in the groups' private collections ----------------------------------


def collection_group(collection):
    """``(private, group id)`` of a Wagtail collection: private if it lies
    under the groups' private root, under a group's collection or under a
    collection closed to anonymous readers; the group is the one whose
    collection it lies in, if any. Private without a group: nobody's."""
    from wagtail.models import CollectionViewRestriction

    lineage = list(collection.get_ancestors(inclusive=True))
    ids = [item.pk for item in lineage]
    owner = (
        WorkingGroup.objects.filter(collection_id__in=ids)
        .order_by("-collection__depth")
        .values_list("pk", flat=True)
        .first()
    )
    private = (
        owner is not None
        or any(item.depth == 2 and item.name == PRIVATE_ROOT_NAME for item in lineage)
        or CollectionViewRestriction.objects.filter(
            collection_id__in=ids,
            restriction_type=CollectionViewRestriction.LOGIN,
        ).exists()
    )
    return private, owner


def private_collections():
    """Every collection that ``collection_group`` calls private: the subtrees
    of the private root, of the groups' collections and of collections
    closed to anonymous readers."""
    from wagtail.models import Collection, CollectionViewRestriction

    tops = Collection.objects.filter(
        Q(depth=2, name=PRIVATE_ROOT_NAME)
        | Q(working_group__isnull=False)
        | Q(
            view_restrictions__restriction_type=CollectionViewRestriction.LOGIN,
        )
    ).values_list("path", flat=True)
    match = Q(pk__in=[])
    for path in set(tops):
        match |= Q(path__startswith=path)
    return Collection.objects.filter(match)


def may_read_document(user, document):
    """A public document for anyone (Wagtail's own collection privacy still
    applies); a private one only for current members of its group."""
    private, group_id = collection_group(document.collection)
    if not private:
        return True
    return membership_of(user, group_id) is not None


# --- notifications --------------------------------------------------------------


def visible_notifications(user):
    """``user``'s notifications that they may still read: those about a
    group only while they are a current member of it."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user).filter(
        Q(group__isnull=True)
        | Q(group__in=Membership.objects.current_of(user).values("group_id"))
    )


# --- the second factor -----------------------------------------------------------


def second_factor_required(user):
    """Whether ``user`` must use a second factor to reach group work: a
    current member of a group that requires it (home/mfa.py)."""
    return Membership.objects.current_of(user).filter(group__require_mfa=True).exists()


# --- live connections ------------------------------------------------------------

# Close codes a page explains (static/js/discussion.js).
CLOSE_SIGNED_OUT = 4401  # the session ended, the account was closed
CLOSE_NOT_MEMBER = 4403  # no longer a member (or no longer allowed)
# A socket trusts its last check at most this long without a new look at the
# database, even if no change was announced (changes made around the ORM).
TRUST_SECONDS = 60.0
GENERATION_TIMEOUT = None  # a generation lives until the next change


@dataclass(frozen=True)
class Verdict:
    """What a socket may do now: its membership, or the code to close with."""

    membership: Membership | None
    close_code: int | None = None


def socket_verdict(*, user_id, session_key, group_id, **rights):
    """The membership of the person whose session opened a socket, read from
    the database: refused if the session ended (sign-out, another session
    signed them out, password changed, expired), the account was closed or
    deactivated, the group requires a second factor the session did not
    use, or the membership ended."""
    session = SessionStore(session_key)
    user = get_user(_SessionRequest(session))
    if not user.is_authenticated or user.pk != user_id:
        return Verdict(None, CLOSE_SIGNED_OUT)
    membership = membership_of(user, group_id, **rights)
    if membership is None:
        return Verdict(None, CLOSE_NOT_MEMBER)
    if membership.group.require_mfa and not session_used_second_factor(session):
        return Verdict(None, CLOSE_SIGNED_OUT)
    return Verdict(membership)


class _SessionRequest:
    """What ``django.contrib.auth.get_user`` reads of a request: its session.
    The session is read from the database, where every change to it is
    written (the cache of ``cached_db`` may lag behind a deletion)."""

    def __init__(self, session):
        self.session = session


def _generation_key(user_id):
    return f"access:generation:{user_id}"


def generation(user_id):
    """The person's current access generation (created if unknown)."""
    key = _generation_key(user_id)
    value = cache.get(key)
    if value is None:
        cache.add(key, secrets.randbits(62), timeout=GENERATION_TIMEOUT)
        value = cache.get(key)
    return value


def generation_key(user_id):
    """The generation's key in the Django cache (to read it with others in
    one round trip)."""
    return _generation_key(user_id)


def replay_allowed(*, user_id, stored, current, made_at):
    """Whether a workspace page made for ``user_id`` may be shown again
    (``workgroups/page_cache.py``): it was made for this person, in this
    session as it is now, under the access generation that is current now
    (and the content generations ``stored`` holds), at most
    ``TRUST_SECONDS`` ago. Anything else is a fresh look through the view,
    which checks membership again."""
    return (
        stored[0] == user_id
        and tuple(stored) == tuple(current)
        and 0 <= time.time() - made_at < TRUST_SECONDS
    )


def generation_cache_key(user_id):
    """The key under which the cache stores the generation (for readers that
    talk to the cache's Redis directly)."""
    return cache.make_key(_generation_key(user_id))


def invalidate(user_ids, *, sessions=(), accounts=(), memberships=()):
    """Access of these people may have changed: once the current transaction
    commits (earlier, a check could still read the old state and keep it),
    move their generations and have every worker check their sockets again.
    What is known to have ended — ``sessions`` (keys), ``accounts`` (user
    ids), ``memberships`` ((user id, group id)) — is cut off at once, without
    a look at the database."""
    user_ids = sorted({int(pk) for pk in user_ids if pk is not None})
    if not user_ids:
        return
    event = {
        "op": "recheck",
        "users": user_ids,
        "sessions": sorted(sessions),
        "accounts": sorted({int(pk) for pk in accounts}),
        "memberships": sorted([int(user), int(group)] for user, group in memberships),
    }
    transaction.on_commit(lambda: _announce(event), robust=True)


def _announce(event):
    for user_id in event["users"]:
        key = _generation_key(user_id)
        try:
            cache.incr(key)
        except ValueError:  # unknown: any fresh value differs from the old
            cache.set(key, secrets.randbits(62), timeout=GENERATION_TIMEOUT)
    hub.publish_control(event)


def ended(event, *, user_id, session_key, group_id):
    """The close code for a socket that ``event`` says has ended, else None
    (then its access is looked at again)."""
    if session_key in event.get("sessions", ()) or user_id in event.get("accounts", ()):
        return CLOSE_SIGNED_OUT
    if [user_id, group_id] in event.get("memberships", ()):
        return CLOSE_NOT_MEMBER
    return None
