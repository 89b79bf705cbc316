import base64

from django import forms
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminPageForm


class _DetailsFields(forms.Form):
    """A draft's details: what is written beside its text."""

    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    actions = forms.ModelMultipleChoiceField(
        label=_("Programme actions this document addresses"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actions"].queryset = programme_actions()
        self.fields["actions"].label_from_instance = lambda page: page.numbered_title


class DraftForm(_DetailsFields):
    text = forms.CharField(
        label=_("Text"),
        max_length=200_000,
        required=False,
        strip=False,
        help_text=_(
            "Separate blocks with an empty line. A block starting with “# ” is "
            "a heading, “## ” a subheading, “> ” a quotation; lines starting "
            "with “- ” make a bulleted list and “1. ” a numbered one. Inside "
            "the text: **bold**, _italic_, [link text](https://address). A "
            "backslash before * _ [ ] shows the character itself."
        ),
        widget=forms.Textarea(attrs={"rows": 20}),
    )
    note = forms.CharField(
        label=_("What changed (a short note for the version history)"),
        max_length=255,
        required=False,
    )
    base_version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, required=False
    )

    field_order = ["title", "summary", "text", "note", "actions", "base_version"]

    def values(self):
        """What the services take of a valid form."""
        fields = ("title", "summary", "text", "note", "actions")
        return {name: self.cleaned_data[name] for name in fields}


class DraftEditForm(DraftForm):
    """The plain form of the edit page (the page without JavaScript): it
    carries the live document's fingerprint from when it was opened."""

    live_state = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=200
    )


class DraftDetailsForm(_DetailsFields):
    """Title, summary and actions beside the live editor; ``base`` is their
    digest as the form showed them (``services.details_fingerprint``)."""

    base = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)


def programme_actions():
    """The programme's actions in the site's main language (the one drafts
    are written in)."""
    from wagtail.models import Locale

    from home.models import ActionPage

    return (
        ActionPage.objects.live().filter(locale=Locale.get_default()).order_by("path")
    )


def decision_label(decision):
    if decision.taken_between_meetings:
        when = decision.created_at
        where = _("vote of the members")
    else:
        when = decision.minutes.meeting.starts_at
        where = decision.minutes.meeting.title
    return f"{where} ({when:%Y-%m-%d}): {decision.text[:120]}"


class RecommendationPageForm(WagtailAdminPageForm):
    """The admin's form of a recommendation: its programme actions are those
    of the page's own language, numbered and in the programme's order. A
    translation starts with the actions of its source, shown here as their
    translations (same translation key), so saving it keeps them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("actions")
        if field is None:
            return
        from wagtail.models import Locale

        from home.models import ActionPage

        locale_id = self.instance.locale_id or Locale.get_default().pk
        field.queryset = ActionPage.objects.filter(locale_id=locale_id).order_by("path")
        field.label_from_instance = lambda page: page.numbered_title
        if self.instance.pk and not self.is_bound:
            keys = [action.translation_key for action in self.instance.actions.all()]
            self.initial["actions"] = list(
                field.queryset.filter(translation_key__in=keys).values_list(
                    "pk", flat=True
                )
            )


class ApprovalForm(forms.Form):
    """Which decision of approved minutes approved which version."""

    decision = forms.ModelChoiceField(label=_("Decision"), queryset=None)
    version = forms.TypedChoiceField(label=_("Version approved"), coerce=int)

    def __init__(self, *args, draft, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions
        self.fields["decision"].label_from_instance = decision_label
        self.fields["version"].choices = [
            (number, _("version %(number)s") % {"number": number})
            for number in draft.versions.values_list("number", flat=True)
        ]
        self.fields["version"].initial = draft.version


class AnchorField(forms.CharField):
    """One end of a comment's range: a Yjs relative position as the editor
    encodes it, in base64 (documents/live/anchors.py reads it)."""

    widget = forms.HiddenInput

    def __init__(self):
        super().__init__(max_length=128, required=False)

    def to_python(self, value):
        return base64_bytes(
            super().to_python(value),
            _("The place of the comment could not be read; select the text again."),
        )


def base64_bytes(text, message):
    """The bytes the editor sent as base64 in a hidden field (None for an
    empty one); anything else is the form's error ``message``."""
    if not text:
        return None
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise forms.ValidationError(message) from None


class CommentForm(forms.Form):
    block_id = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    anchor_start = AnchorField()
    anchor_end = AnchorField()
    text = forms.CharField(
        label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("anchor_start")) != bool(data.get("anchor_end")):
            raise forms.ValidationError(
                _("The place of the comment could not be read; select the text again.")
            )
        return data

    def anchors(self):
        """``(start, end)`` of a comment on a range, or None."""
        start = self.cleaned_data.get("anchor_start")
        return (start, self.cleaned_data["anchor_end"]) if start else None


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))


class CompareForm(forms.Form):
    a = forms.IntegerField(label=_("Older version"), min_value=1)
    b = forms.IntegerField(label=_("Newer version"), min_value=1)
