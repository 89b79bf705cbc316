"""The pages' side of co-editing: what the draft's edit page gives the
editor's script (``editor_context``), and "Save as version" of the live
document."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from documents import selectors, services, suggestions
from documents.forms import base64_bytes
from documents.live import protocol, store
from documents.live.consumers import colour, person
from home.actions import error_text, perform
from home.people import person_name
from workgroups import access

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
        return base64_bytes(
            self.cleaned_data["state"], _("The editor's text could not be read.")
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
            "suggest_only": _(
                "Only suggestions can be made now; that change was not saved."
            ),
            "too_large": _("That change is too large to save at once."),
            "rate_limited": _("Too many changes at once; wait a moment."),
            "other": _("A change was refused by the server and not saved."),
        },
    }


def read_only_reason(draft, membership):
    """Why the live document is read-only for this person ('' when it is
    not): the server refuses their updates for the same reasons."""
    if draft.status not in store.SUGGESTING:
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


def only_suggest_reason(draft, membership):
    """Why this person can only suggest changes ('' when they can write
    freely): the server refuses anything else from them."""
    if draft.status == draft.Status.GROUP_REVIEW:
        return _(
            "The draft is in group review: you can suggest changes, which the "
            "group accepts or rejects; nobody changes the text directly now."
        )
    if access.only_suggests(membership):
        return _(
            "In this group experts suggest changes, which the chair or the "
            "draft's author accept or reject."
        )
    return ""


def editor_context(request, draft, membership):
    """The live editor of the edit page (and the read-only live view of the
    draft's page): its configuration for the script."""
    reason = read_only_reason(draft, membership)
    suggest_only = "" if reason else only_suggest_reason(draft, membership)
    return {
        "live_form": LiveVersionForm(),
        "live_read_only": reason,
        "live_suggest_only": suggest_only,
        "live": {
            "url": f"/ws/drafts/{draft.pk}/",
            "writable": not reason,
            "user": person(request.user) | {"id": request.user.pk},
            "strings": _strings() | suggestion_strings(),
            "suggestOnly": bool(suggest_only),
            "mayDecide": not reason
            and access.may_decide_suggestions(
                membership, creator_id=draft.created_by_id
            ),
            "decideUrl": reverse("documents:suggestion_decide", args=[draft.pk]),
            "people": _people(draft),
        },
    }


def _people(draft):
    """Names and colours of the group's members, by user id, for the
    suggestions' labels (never taken from the document itself)."""
    memberships = draft.group.memberships.current().select_related("user")
    return {
        str(each.user_id): {
            "name": person_name(each.user),
            "colour": colour(each.user_id),
        }
        for each in memberships
    }


def suggestion_strings():
    return {
        "suggesting": _("Suggest changes"),
        "suggestions": _("Suggestions"),
        "noSuggestions": _("No open suggestions."),
        "insertion": _("%(name)s suggests adding"),
        "deletion": _("%(name)s suggests removing"),
        "formerMember": _("former member"),
        "accept": _("Accept"),
        "reject": _("Reject"),
        "acceptLabel": _("Accept the suggestion of %(name)s"),
        "rejectLabel": _("Reject the suggestion of %(name)s"),
        "previous": _("Previous suggestion"),
        "next": _("Next suggestion"),
        "position": _("Suggestion %(index)s of %(count)s:"),
        "acceptAll": _("Accept all"),
        "rejectAll": _("Reject all"),
        "acceptAllOf": _("Accept all of %(name)s"),
        "rejectAllOf": _("Reject all of %(name)s"),
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


class SuggestionDecisionForm(forms.Form):
    """One suggestion (``suggestion``), one person's (``author``) or all."""

    decision = forms.ChoiceField(choices=[("accept", "accept"), ("reject", "reject")])
    suggestion = forms.CharField(max_length=64, required=False)
    author = forms.IntegerField(min_value=1, max_value=2**53 - 1, required=False)


def _decided(count, accept):
    if accept:
        return ngettext(
            "%(count)s suggestion accepted.", "%(count)s suggestions accepted.", count
        ) % {"count": count}
    return ngettext(
        "%(count)s suggestion rejected.", "%(count)s suggestions rejected.", count
    ) % {"count": count}


@login_required
@require_POST
def suggestion_decide(request, pk):
    """Accepts or rejects suggestions in the live document; the editor's
    script asks for JSON, a plain form gets a message and a redirect."""
    draft, _membership = selectors.draft_for_member_or_404(request.user, pk, write=True)
    form = SuggestionDecisionForm(request.POST)
    valid = form.is_valid()

    def decide():
        if not valid:
            raise ValidationError(_("That decision could not be read."))
        accept = form.cleaned_data["decision"] == "accept"
        decided = suggestions.suggestion_decide(
            actor=request.user,
            draft_id=draft.pk,
            accept=accept,
            suggestion_id=form.cleaned_data["suggestion"] or None,
            author_id=form.cleaned_data["author"],
        )
        return _decided(len(decided), accept)

    if "application/json" not in request.headers.get("Accept", ""):
        return perform(
            request,
            decide,
            success=lambda message: message,
            redirect_to=reverse("documents:edit", args=[draft.pk]),
        )
    try:
        return JsonResponse({"message": decide()})
    except ValidationError as refused:
        return JsonResponse({"error": error_text(refused)}, status=409)
