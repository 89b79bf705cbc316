"""A comment thread's range of the live document
(docs/subsystems/drafts-and-review.md#comments-on-any-text): set from the
editor's anchors, or over a whole block for the page without JavaScript,
and checked against the live document as it is now."""

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from documents.live import anchors as live_anchors
from documents.live import store as live_store

MAX_QUOTE = 10_000  # characters of text one comment may be about


def anchor(comment, anchors):
    """Sets the thread's range and the text it is about, as the live
    document holds it now."""
    update = live_store.load(comment.draft_id)
    if anchors is None:
        anchors = live_anchors.block_range(update, comment.block_id)
        if anchors is None:
            raise ValidationError(_("This paragraph is no longer in the draft."))
    try:
        span = live_anchors.Resolver(update).span(*anchors)
    except live_anchors.BadAnchor:
        raise ValidationError(
            _("The place of the comment could not be read; select the text again.")
        ) from None
    if not span.found:
        raise ValidationError(
            _("The selected text is not in this draft; select it again."),
            code="not_in_draft",
        )
    if span.removed:
        raise ValidationError(_("Select the text you want to comment on."))
    if len(span.text) > MAX_QUOTE:
        raise ValidationError(
            _("Select at most %(limit)s characters to comment on.")
            % {"limit": number_format(MAX_QUOTE, force_grouping=True)}
        )
    comment.anchor_start, comment.anchor_end = anchors
    comment.anchored_text = span.text.strip("\n")
    comment.block_id = span.block_id
