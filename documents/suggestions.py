"""Accepting and rejecting suggestions in a draft's live document
(docs/subsystems/suggestions.md). The server applies each decision to the
stored document, holding the draft's row lock, so two people deciding the
same suggestion at once get one result: the second finds it gone and is
told who decided it."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.live import store as live_store
from documents.live import suggestions as marks
from documents.live.rooms import publish_update
from documents.models import Draft, LiveDocument, LiveUpdate, SuggestionDecision
from home.people import person_name
from workgroups import access

MAX_TEXT = 2000  # characters of a suggestion's text kept with its decision


def _decider(actor, draft):
    membership = access.check_membership(actor, draft.group_id, write=True)
    if not access.may_decide_suggestions(membership, creator_id=draft.created_by_id):
        raise PermissionDenied
    if draft.status not in live_store.SUGGESTING:
        raise ValidationError(_("Suggestions cannot be decided in this state."))
    return membership


def _chosen(draft, found, *, suggestion_id, author_id):
    """The open suggestions a decision is about: one (``suggestion_id``),
    one person's (``author_id``) or all."""
    if suggestion_id is not None:
        if suggestion_id in found:
            return [found[suggestion_id]]
        decided = (
            SuggestionDecision.objects.filter(draft=draft, suggestion_id=suggestion_id)
            .select_related("decided_by")
            .last()
        )
        if decided is None:
            raise ValidationError(_("This suggestion no longer exists."))
        name = person_name(decided.decided_by)
        if decided.accepted:
            message = _("This suggestion was already accepted by %(name)s.")
        else:
            message = _("This suggestion was already rejected by %(name)s.")
        raise ValidationError(message % {"name": name})
    chosen = [
        each
        for each in found.values()
        if author_id is None or each.author_id == author_id
    ]
    if not chosen:
        raise ValidationError(_("There are no open suggestions to decide."))
    return chosen


@transaction.atomic
def suggestion_decide(
    *, actor, draft_id, accept, suggestion_id=None, author_id=None
) -> list[SuggestionDecision]:
    """Accepts (``accept``) or rejects one open suggestion, all of one
    author's or all (neither id given), in the live document: stored as an
    update of ``actor``'s, published once committed, and each decision
    recorded. Refused (``ValidationError``) if there is nothing to decide
    any more, with who decided it."""
    draft = Draft.objects.select_for_update().get(pk=draft_id)
    _decider(actor, draft)
    doc = live_store.load_doc(draft.pk)
    chosen = _chosen(
        draft,
        marks.open_suggestions(doc),
        suggestion_id=suggestion_id,
        author_id=author_id,
    )
    before = doc.get_state()
    marks.decide(doc, chosen, accept=accept)
    update = doc.get_update(before)
    LiveUpdate.objects.create(draft_id=draft.pk, data=update, author_id=actor.pk)
    transaction.on_commit(lambda: publish_update(draft.pk, update), robust=True)
    now = timezone.now()
    authors = _existing_users({each.author_id for each in chosen})
    return SuggestionDecision.objects.bulk_create(
        [
            SuggestionDecision(
                draft=draft,
                suggestion_id=each.id,
                kind=each.kind,
                text=each.text[:MAX_TEXT],
                author_id=each.author_id if each.author_id in authors else None,
                accepted=accept,
                decided_by=actor,
                decided_at=now,
                in_group_review=draft.status == Draft.Status.GROUP_REVIEW,
            )
            for each in chosen
        ]
    )


def _existing_users(ids):
    """Of the authors written in the document, those whose account exists."""
    return set(get_user_model().objects.filter(pk__in=ids).values_list("pk", flat=True))


def open_count(draft):
    """How many suggestions the draft's live document holds open."""
    if not LiveDocument.objects.filter(draft_id=draft.pk).exists():
        return 0
    return len(marks.open_suggestions(live_store.load_doc(draft.pk)))
