import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from workgroups.models.discussion import MAX_MESSAGE_LENGTH


class ClientIdField(forms.UUIDField):
    """The id the page generated for a message. A page whose id was lost or
    mangled still posts (as a new message): the person cannot fix a hidden
    field, and a form that keeps refusing it would be a dead end."""

    def to_python(self, value):
        try:
            return super().to_python(value) or uuid.uuid4()
        except forms.ValidationError:
            return uuid.uuid4()


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Plain text; links and @mentions are recognised."),
    )
    # Generated with the form: resubmitting it never stores the message twice.
    client_id = ClientIdField(
        widget=forms.HiddenInput, initial=uuid.uuid4, required=False
    )


class EditForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Topic title"), max_length=200)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the discussions"), max_length=200)
