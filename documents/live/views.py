"""The pages' side of co-editing: what the draft's edit page gives the
editor's script (``editor_context``), and "Save as version" of the live
document."""

import base64

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from documents import selectors, services
from documents.live import protocol, store
from documents.live.consumers import person
from home.actions import perform

MAX = protocol.MAX_FRAME * 4 // 3 + 4  # base64 of the largest update


class LiveVersionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What changed (a short note for the version history)"),
        max_length=255,
        required=False,
    )
    # The editor's whole document (base64 of a Yjs update), so that the
    # version holds everything its author saw, even what was typed a moment
    # before the click and has not reached the server yet.
    state = forms.CharField(widget=forms.HiddenInput, required=False, max_length=MAX)

    def clean_state(self):
        text = self.cleaned_data["state"]
        if not text:
            return None
        try:
            return base64.b64decode(text.encode("ascii"), validate=True)
        except (ValueError, UnicodeEncodeError):
            raise forms.ValidationError(
                _("The editor's text could not be read.")
            ) from None


def _strings():
    """Texts the editor shows, in the page's language."""
    return {
        "body": _("Text of the draft"),
        "toolbar": _("Formatting"),
        "paragraph": _("Paragraph"),
        "heading2": _("Heading"),
        "heading3": _("Subheading"),
        "bold": _("Bold"),
        "italic": _("Italic"),
        "bulletList": _("Bulleted list"),
        "orderedList": _("Numbered list"),
        "blockquote": _("Quotation"),
        "link": _("Link to an address"),
        "linkPrompt": _("Address of the link (https://…); empty removes it"),
        "comments": {
            "comment": _("Comment on the selection"),
            "starts": _("Comment %(number)s by %(name)s starts:"),
            "ends": _("(end of comment %(number)s)"),
            "selectFirst": _("Select the text you want to comment on first."),
            "saved": _("Done: the comments are updated."),
            "failed": _("That did not work; try again."),
            "removed": _("The text of this comment was removed."),
            "none": _("No comment on the text is left to go to."),
            "at": _("Comment %(number)s of %(count)s, by %(name)s, on: %(text)s"),
        },
        "joined": _("%(name)s joined the editing"),
        "left": _("%(name)s left the editing"),
        "status": {
            "online": _("Connected"),
            "synced": _("Connected: changes are saved as you type"),
            "offline": _(
                "Offline: keep writing, your changes are sent on reconnecting"
            ),
            "closed": _("Disconnected: reload the page"),
        },
        "errors": {
            "read_only": _(
                "The draft cannot be changed now; your change was not saved."
            ),
            "too_large": _("That change is too large to save at once."),
            "rate_limited": _("Too many changes at once; wait a moment."),
            "other": _("A change was refused by the server and not saved."),
        },
    }


def read_only_reason(draft, membership):
    """Why the live document is read-only for this person ('' when it is
    not): the server refuses their updates for the same reasons."""
    if draft.status != store.WRITABLE:
        return _(
            "The draft is %(status)s: nobody can change its text now. You see it "
            "as it is; it changes again only when the draft goes back to writing."
        ) % {"status": draft.get_status_display()}
    if not membership.can_write:
        return _(
            "You follow the text as the group writes it, live. As an observer "
            "you can read it but not change it."
        )
    return ""


def editor_context(request, draft, membership):
    """The live editor of the edit page (and the read-only live view of the
    draft's page): its configuration for the script."""
    reason = read_only_reason(draft, membership)
    return {
        "live_form": LiveVersionForm(),
        "live_read_only": reason,
        "live": {
            "url": f"/ws/drafts/{draft.pk}/",
            "writable": not reason,
            "user": person(request.user),
            "strings": _strings(),
        },
    }


@login_required
@require_POST
def draft_live_save(request, pk):
    """A version of what the live document holds now."""
    draft, _membership = selectors.draft_for_member_or_404(request.user, pk, write=True)
    form = LiveVersionForm(request.POST)
    valid = form.is_valid()

    def save():
        if not valid:
            raise ValidationError(list(form.errors.values())[0])
        return services.draft_save_live(
            actor=request.user,
            draft_id=draft.pk,
            note=form.cleaned_data["note"],
            update=form.cleaned_data["state"],
        )

    return perform(
        request,
        save,
        success=_("Saved as a new version."),
        redirect_to=reverse("documents:detail", args=[draft.pk]),
        failure_to=reverse("documents:edit", args=[draft.pk]),
    )
