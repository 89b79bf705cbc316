from django import forms
from django.utils.translation import gettext_lazy as _


class DraftForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    text = forms.CharField(
        label=_("Text"),
        max_length=200_000,
        required=False,
        strip=False,
        help_text=_(
            "Separate paragraphs with an empty line. A line starting with “# ” "
            "is a heading."
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


class CommentForm(forms.Form):
    block_id = forms.CharField(max_length=64, required=False, widget=forms.HiddenInput)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("File"))


class CompareForm(forms.Form):
    a = forms.IntegerField(label=_("Older version"), min_value=1)
    b = forms.IntegerField(label=_("Newer version"), min_value=1)
