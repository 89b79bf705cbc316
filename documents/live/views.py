"""The pages' side of co-editing: what the draft's edit page gives the
editor's script (``editor_context``), and "Save as version" of the live
document."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from documents import selectors, services
from documents.live import store
from documents.live.consumers import person
from home.actions import perform


class LiveVersionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What changed (a short note for the version history)"),
        max_length=255,
        required=False,
    )


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


def editor_context(request, draft, membership):
    """The edit page's live editor: its configuration for the script."""
    return {
        "live_form": LiveVersionForm(),
        "live": {
            "url": f"/ws/drafts/{draft.pk}/",
            "writable": membership.can_write and draft.status == store.WRITABLE,
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
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return perform(
        request,
        lambda: services.draft_save_live(
            actor=request.user, draft_id=draft.pk, note=note
        ),
        success=_("Saved as a new version."),
        redirect_to=reverse("documents:detail", args=[draft.pk]),
        failure_to=reverse("documents:edit", args=[draft.pk]),
    )
