"""Writes to drafts. A save names the version it was made from; if someone
saved in between, it is refused (``StaleDraft``) and nothing is written, so
that neither text is lost (docs/security.md, DU-06)."""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.documents import get_document_model
from wagtail.log_actions import log

from documents.live import store as live_store
from documents.live.rooms import publish_update
from documents.models import (
    AgendaDraft,
    Draft,
    DraftAttachment,
    DraftComment,
    DraftPresence,
    DraftVersion,
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


def _require_writer(user, group_id):
    access.check_membership(user, group_id, write=True)


def _record_version(*, actor, draft, note):
    revision = draft.save_revision(user=actor, log_action=True)
    return DraftVersion.objects.create(
        draft=draft, number=draft.version, revision=revision, author=actor, note=note
    )


def _to_live(draft, actor):
    """The live document takes the saved body, as an update everyone in it
    sees (published once the save is committed)."""
    update = live_store.replace(
        draft_id=draft.pk, body=draft.body.raw_data, author_id=actor.pk
    )
    if update is not None:
        transaction.on_commit(lambda: publish_update(draft.pk, update), robust=True)


def _merge_from_editor(draft, actor, update):
    if draft.status != live_store.WRITABLE:
        raise ValidationError(_("The draft cannot be changed now."))
    try:
        missing = live_store.merge(draft_id=draft.pk, update=update, author_id=actor.pk)
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
    _record_version(actor=actor, draft=draft, note=note or _("First version"))
    return draft


@transaction.atomic
def draft_save(
    *, actor, draft_id, base_version, title, summary, text, note="", actions=None
) -> Draft:
    """Must be given the version number the author's text was based on.
    ``actions`` (programme actions) are left as they are when ``None``."""
    draft = Draft.objects.select_for_update().get(pk=draft_id)
    _require_writer(actor, draft.group_id)
    _require_open(draft)
    if draft.version != base_version:
        raise StaleDraft(draft)
    draft.title, draft.summary = title, summary
    draft.body = text_to_blocks(text, previous=draft.paragraphs())
    draft.version += 1
    back_to_writing_after_save(draft)
    draft.full_clean()
    draft.save()
    if actions is not None:
        draft.actions.set(actions)
    _record_version(actor=actor, draft=draft, note=note)
    _to_live(draft, actor)
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
    body, update = live_store.body_for_version(draft_id=draft.pk, author_id=actor.pk)
    if update is not None:
        transaction.on_commit(lambda: publish_update(draft.pk, update), robust=True)
    draft.body = body
    draft.version += 1
    back_to_writing_after_save(draft)
    draft.full_clean()
    draft.save()
    _record_version(actor=actor, draft=draft, note=note)
    return draft


@transaction.atomic
def draft_restore(*, actor, draft_id, number, base_version) -> Draft:
    """An older version becomes the newest one; history is never rewritten."""
    draft = Draft.objects.select_for_update().get(pk=draft_id)
    _require_writer(actor, draft.group_id)
    _require_open(draft)
    if draft.version != base_version:
        raise StaleDraft(draft)
    old = DraftVersion.objects.get(draft=draft, number=number).as_draft()
    draft.title, draft.summary, draft.body = old.title, old.summary, old.body
    draft.version += 1
    back_to_writing_after_save(draft)
    draft.full_clean()
    draft.save()
    _record_version(
        actor=actor,
        draft=draft,
        note=_("Restored version %(number)s") % {"number": number},
    )
    _to_live(draft, actor)
    return draft


@transaction.atomic
def comment_add(*, actor, draft, block_id, text, parent=None) -> DraftComment:
    _require_writer(actor, draft.group_id)
    paragraphs = {block_id: value for block_id, _, value in draft.paragraphs()}
    if parent is not None:
        if parent.draft_id != draft.pk or parent.parent_id is not None:
            raise ValidationError(_("You can only reply to a comment of this draft."))
        block_id = parent.block_id
    elif block_id not in paragraphs:
        raise ValidationError(_("This paragraph is no longer in the draft."))
    comment = DraftComment(
        draft=draft,
        block_id=block_id,
        parent=parent,
        author=actor,
        text=text.replace("\x00", "").strip(),
        anchored_text=paragraphs.get(block_id, ""),
        version_number=draft.version,
    )
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
                    "documents:detail", draft.pk, anchor=f"#p-{comment.block_id}"
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
