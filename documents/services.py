"""Writes to drafts. A save names the version it was made from; if someone
saved in between, it is refused (``StaleDraft``) and nothing is written, so
that neither text is lost (docs/security.md, DU-06)."""

import hashlib
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.documents import get_document_model
from wagtail.log_actions import log

from documents import ranges
from documents.live import convert as live_convert
from documents.live import editors as live_editors
from documents.live import store as live_store
from documents.live.rooms import publish_update
from documents.models import (
    AgendaDraft,
    Draft,
    DraftAttachment,
    DraftComment,
    DraftPresence,
    DraftVersion,
    LiveDocument,
)
from documents.review import back_to_writing_after_save
from documents.text import text_to_blocks
from documents.uploads import validate_upload
from home.people import person_name
from workgroups import access
from workgroups.collections import group_collection
from workgroups.discussion.text import mentioned_usernames
from workgroups.models import Membership, Notification
from workgroups.services.notifications import link, notify_members_on_commit


class StaleDraft(Exception):
    """The draft changed since the version the author started from."""

    def __init__(self, draft):
        super().__init__(f"draft {draft.pk} is at version {draft.version}")
        self.draft = draft


class StaleLive(StaleDraft):
    """Live edits were stored since the plain form was opened."""


class StaleDetails(StaleDraft):
    """Someone changed the title, summary or actions since the form showed
    them."""


def _require_writer(user, group_id):
    return access.check_membership(user, group_id, write=True)


def _require_free_writing(draft, membership):
    """Text replaced outright (the plain form, a restore) is no suggestion:
    refused in group review and to whom the group lets only suggest."""
    if draft.status == Draft.Status.GROUP_REVIEW or access.only_suggests(membership):
        raise ValidationError(
            _(
                "You can only suggest changes to this draft now: use the "
                "editor's suggestions."
            )
        )


def _previous_through(draft):
    return draft.versions.values_list("live_through", flat=True).first() or 0


def _record_version(*, actor, draft, note, editors=(), live=True, automatic=False):
    """The version of ``draft`` as it is now. With ``live``, its text holds
    the live document so far: it lists everyone who wrote in it since the
    previous version (besides ``editors``) and the next version starts after
    it. Must be called after the version's own live updates are stored."""
    through = _previous_through(draft)
    edited = set(editors)
    if live:
        edited |= live_editors.since(draft.pk, through)[0]
        through = live_editors.mark(draft.pk)
    revision = draft.save_revision(user=actor, log_action=True)
    version = DraftVersion.objects.create(
        draft=draft,
        number=draft.version,
        revision=revision,
        author=actor,
        note=note,
        automatic=automatic,
        live_through=through,
    )
    version.editors.set(edited - {None})
    return version


@transaction.atomic
def live_fingerprint(draft_id):
    """What the plain form carries: it changes with every stored live
    update (documents/live/editors.py). Read holding the draft's row lock,
    which waits for updates being stored now: an update whose id is already
    taken cannot appear below the mark after it was read."""
    Draft.objects.select_for_update().filter(pk=draft_id).values("pk").first()
    return live_editors.mark(draft_id)


def details_fingerprint(draft):
    """What the details form carries: a digest of the title, summary and
    programme actions as the form showed them."""
    actions = sorted(draft.actions.values_list("pk", flat=True))
    text = "\x00".join([draft.title, draft.summary, *map(str, actions)])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def live_body(draft):
    """The live document's text as a StreamField body (block ids it lacks
    are made up for this reading only); a draft nobody opened live yet has
    none, its body is the text (read without seeding one: a reading
    writes nothing)."""
    if not LiveDocument.objects.filter(draft_id=draft.pk).exists():
        return draft.body
    return Draft(body=live_convert.doc_to_body(live_store.load_doc(draft.pk))).body


def _to_live(draft, actor):
    """The live document takes the saved body, as an update everyone in it
    sees (published once the save is committed)."""
    update = live_store.replace(
        draft_id=draft.pk, body=draft.body.raw_data, author_id=actor.pk
    )
    if update is not None:
        transaction.on_commit(lambda: publish_update(draft.pk, update), robust=True)


def _merge_from_editor(draft, actor, update):
    if draft.status not in live_store.SUGGESTING:
        raise ValidationError(_("The draft cannot be changed now."))
    membership = access.check_membership(actor, draft.group_id, write=True)
    only_suggests = draft.status != live_store.WRITABLE or access.only_suggests(
        membership
    )
    try:
        missing = live_store.merge(
            draft_id=draft.pk,
            update=update,
            author_id=actor.pk,
            only_suggests=only_suggests,
        )
    except live_store.Refused:
        raise ValidationError(_("The editor's text could not be read.")) from None
    if missing is not None:
        transaction.on_commit(lambda: publish_update(draft.pk, missing), robust=True)


def _require_open(draft):
    if draft.is_closed:
        raise ValidationError(_("The draft is withdrawn; reopen it to change it."))


@transaction.atomic
def draft_create(
    *, actor, group, title, summary="", text="", note="", actions=()
) -> Draft:
    _require_writer(actor, group.pk)
    draft = Draft(
        group=group,
        area=group.area,
        title=title,
        summary=summary,
        body=text_to_blocks(text),
        version=1,
        created_by=actor,
    )
    draft.full_clean()
    draft.save()
    draft.actions.set(actions)
    _record_version(
        actor=actor, draft=draft, note=note or _("First version"), editors=[actor]
    )
    return draft


@transaction.atomic
def draft_save(
    *,
    actor,
    draft_id,
    base_version,
    title,
    summary,
    text,
    note="",
    actions=None,
    live_mark=None,
) -> Draft:
    """Must be given the version number the author's text was based on.
    ``actions`` (programme actions) are left as they are when ``None``.
    ``live_mark``: the live document's fingerprint when the plain form was
    opened (``live_fingerprint``); the save is refused (``StaleLive``) when
    live edits were stored since, as they are not in the author's text."""
    draft = Draft.objects.select_for_update().get(pk=draft_id)
    membership = _require_writer(actor, draft.group_id)
    _require_open(draft)
    _require_free_writing(draft, membership)
    if draft.version != base_version:
        raise StaleDraft(draft)
    if live_mark is not None and live_mark != live_fingerprint(draft.pk):
        raise StaleLive(draft)
    draft.title, draft.summary = title, summary
    previous = draft.paragraphs() if live_mark is None else live_paragraphs(draft)
    draft.body = text_to_blocks(text, previous=previous)
    draft.version += 1
    back_to_writing_after_save(draft)
    draft.full_clean()
    draft.save()
    if actions is not None:
        draft.actions.set(actions)
    _to_live(draft, actor)
    _record_version(actor=actor, draft=draft, note=note, editors=[actor])
    return draft


def live_paragraphs(draft):
    """``(block id, kind, text)`` of the live document's blocks."""
    return Draft(body=live_body(draft)).paragraphs()


@transaction.atomic
def draft_save_details(
    *, actor, draft_id, base, title, summary, actions, note=""
) -> Draft:
    """Title, summary and programme actions, edited beside the live editor:
    the text is not touched (the live document goes on; this version holds
    the previous version's text). ``base``: ``details_fingerprint`` as the
    form showed them; refused (``StaleDetails``) if they changed since."""
    draft = Draft.objects.select_for_update().get(pk=draft_id)
    membership = _require_writer(actor, draft.group_id)
    _require_open(draft)
    _require_free_writing(draft, membership)
    if base != details_fingerprint(draft):
        raise StaleDetails(draft)
    draft.title, draft.summary = title, summary
    draft.version += 1
    back_to_writing_after_save(draft)
    draft.full_clean()
    draft.save()
    draft.actions.set(actions)
    _record_version(
        actor=actor,
        draft=draft,
        note=note or _("Title, summary or programme actions changed"),
        editors=[actor],
        live=False,
    )
    return draft


@transaction.atomic
def draft_save_live(*, actor, draft_id, note="", update=None) -> Draft:
    """A version of the live document's text (docs/subsystems/co-editing.md):
    converted to the StreamField body, with its revision, as any save.
    ``update``: the author's editor's document, merged in first (checked and
    stored like any update), so the version holds all they saw."""
    draft = Draft.objects.select_for_update().get(pk=draft_id)
    _require_writer(actor, draft.group_id)
    _require_open(draft)
    if update is not None:
        _merge_from_editor(draft, actor, update)
    _version_of_live(draft, actor=actor, note=note)
    return draft


def _version_of_live(draft, *, actor, note, automatic=False):
    """Must hold the draft's row lock. The ids the live document's new
    blocks get are stored without an author: giving ids is no edit."""
    body, update = live_store.body_for_version(draft_id=draft.pk, author_id=None)
    if update is not None:
        transaction.on_commit(lambda: publish_update(draft.pk, update), robust=True)
    draft.body = body
    draft.version += 1
    back_to_writing_after_save(draft)
    draft.full_clean()
    draft.save()
    return _record_version(actor=actor, draft=draft, note=note, automatic=automatic)


def _unsaved_live_text(draft):
    """Whether the live document holds text that no version holds."""
    if not live_editors.since(draft.pk, _previous_through(draft))[1]:
        return False
    return _texts(live_body(draft)) != _texts(draft.body)


def _texts(body):
    return [(child.block_type, child.value) for child in body]


def draft_save_quiet(*, draft_id, now=None):
    """The automatic version of a draft whose live document nobody has
    written in for ``COEDITING_QUIET_MINUTES``, if it holds text no version
    holds; else nothing (so running it again changes nothing). Returns the
    version or None."""
    quiet = timedelta(minutes=settings.COEDITING_QUIET_MINUTES)
    now = now or timezone.now()
    with transaction.atomic():
        draft = (
            Draft.objects.select_for_update()
            .filter(pk=draft_id, status=live_store.WRITABLE)
            .first()
        )
        if draft is None:
            return None
        last_at = live_editors.since(draft.pk, _previous_through(draft))[1]
        if last_at is None or last_at > now - quiet:
            return None
        if _texts(live_body(draft)) == _texts(draft.body):
            return None
        return _version_of_live(draft, actor=None, note="", automatic=True)


def drafts_save_quiet(now=None):
    """``draft_save_quiet`` for every draft with live edits no version
    holds yet; returns the versions made."""
    candidates = (
        live_editors.drafts_with_edits()
        .filter(status=live_store.WRITABLE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    versions = [draft_save_quiet(draft_id=pk, now=now) for pk in list(candidates)]
    return [version for version in versions if version is not None]


@transaction.atomic
def draft_restore(*, actor, draft_id, number, base_version) -> Draft:
    """An older version becomes the newest one; history is never rewritten."""
    draft = Draft.objects.select_for_update().get(pk=draft_id)
    membership = _require_writer(actor, draft.group_id)
    _require_open(draft)
    _require_free_writing(draft, membership)
    if draft.version != base_version:
        raise StaleDraft(draft)
    old = DraftVersion.objects.get(draft=draft, number=number).as_draft()
    if draft.status == live_store.WRITABLE and _unsaved_live_text(draft):
        # What was written live since the last version is kept as a version
        # before the restored text replaces it.
        _version_of_live(
            draft, actor=actor, note=_("Text before restoring an older version")
        )
    draft.title, draft.summary, draft.body = old.title, old.summary, old.body
    draft.version += 1
    back_to_writing_after_save(draft)
    draft.full_clean()
    draft.save()
    _to_live(draft, actor)
    _record_version(
        actor=actor,
        draft=draft,
        note=_("Restored version %(number)s") % {"number": number},
        editors=[actor],
    )
    return draft


@transaction.atomic
def comment_add(
    *, actor, draft, block_id="", text, parent=None, anchors=None
) -> DraftComment:
    """A reply to ``parent``, or a thread on a range of the live document:
    ``anchors`` (start and end as the editor encodes them) or, without,
    the whole block ``block_id`` (the form of the page without
    JavaScript). Refused with the reason when the range cannot be read,
    is not (or no longer) in this draft, is empty or too long."""
    _require_writer(actor, draft.group_id)
    comment = DraftComment(
        draft=draft,
        block_id=block_id,
        parent=parent,
        author=actor,
        text=text.replace("\x00", "").strip(),
        version_number=draft.version,
    )
    if parent is not None:
        if parent.draft_id != draft.pk or parent.parent_id is not None:
            raise ValidationError(_("You can only reply to a comment of this draft."))
        comment.block_id = parent.block_id
    else:
        ranges.anchor(comment, anchors)
    comment.full_clean()
    comment.save()
    _notify_mentioned(comment)
    return comment


def _notify_mentioned(comment):
    """Current members named as @username in the comment get a notification;
    a name of anyone else is plain text (no one outside learns of it)."""
    names = mentioned_usernames(comment.text)
    if not names:
        return
    draft = comment.draft
    users = (
        Membership.objects.filter(group_id=draft.group_id, user__username__in=names)
        .exclude(user_id=comment.author_id)
        .values_list("user_id", flat=True)
    )
    if users:
        author = person_name(comment.author)
        notify_members_on_commit(
            group=draft.group,
            kind=Notification.Kind.MENTIONED,
            params={
                "author": author,
                "title": draft.title,
                "link": link(
                    "documents:detail",
                    draft.pk,
                    anchor=f"#thread-{comment.parent_id or comment.pk}",
                ),
            },
            only=list(users),
        )


@transaction.atomic
def comment_set_resolved(*, actor, comment, resolved) -> DraftComment:
    _require_writer(actor, comment.draft.group_id)
    comment = DraftComment.objects.select_for_update().get(pk=comment.pk)
    if comment.parent_id is not None:
        raise ValidationError(_("Only a thread can be resolved, not a reply."))
    comment.resolved_at = timezone.now() if resolved else None
    comment.resolved_by = actor if resolved else None
    comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment


def attachment_upload(*, actor, draft, upload) -> DraftAttachment:
    """Validated before anything is stored; the stored name is generated.
    The file is written first (its row needs the name) and removed again
    when the rows cannot be committed, so a failure leaves no orphan."""
    _require_writer(actor, draft.group_id)
    name, content_type, sha256 = validate_upload(upload)
    extension = name.rpartition(".")[2].lower()
    document = get_document_model()(
        title=name, collection=group_collection(draft.group), uploaded_by_user=actor
    )
    document.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
    document.file_size = upload.size
    try:
        with transaction.atomic():
            document.save()
            attachment = DraftAttachment.objects.create(
                draft=draft,
                document=document,
                content_type=content_type,
                sha256=sha256,
                uploaded_by=actor,
            )
            log(draft, "documents.attachment.add", user=actor, data={"name": name})
    except BaseException:
        document.file.delete(save=False)
        raise
    return attachment


def presence_mark(*, user, draft, editing=False) -> None:
    """Records that ``user`` has ``draft`` open now (the caller has checked
    membership). One upsert statement: the draft page marks it on every view."""
    DraftPresence.objects.bulk_create(
        [
            DraftPresence(
                draft=draft, user=user, editing=editing, seen_at=timezone.now()
            )
        ],
        update_conflicts=True,
        unique_fields=["draft", "user"],
        update_fields=["editing", "seen_at"],
    )


@transaction.atomic
def agenda_draft_link(*, actor, agenda_item, draft) -> AgendaDraft:
    """The chair or the secretary puts one of their group's drafts on the
    agenda; a draft of another group never (docs/security.md, AC-03)."""
    group_id = agenda_item.meeting.group_id
    access.check_membership(actor, group_id, manage=True)
    if draft.group_id != group_id:
        raise PermissionDenied
    link, _created = AgendaDraft.objects.get_or_create(
        agenda_item=agenda_item, draft=draft, defaults={"linked_by": actor}
    )
    return link
