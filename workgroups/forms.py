from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wagtail.models import Locale

from home.models import InfoPoint
from home.people import person_name
from workgroups.models import (
    ActionItem,
    Decision,
    EmailPreferences,
    Meeting,
    Membership,
    Notification,
    Vote,
)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(forms.ModelForm):
    online_url = forms.URLField(
        label=_("Online meeting link"), required=False, assume_scheme="https"
    )

    class Meta:
        model = Meeting
        fields = [
            "title",
            "starts_at",
            "ends_at",
            "info_point",
            "address",
            "online_url",
        ]
        widgets = {"starts_at": DateTimeInput(), "ends_at": DateTimeInput()}
        help_texts = {
            "starts_at": _("Time in Poland (Europe/Warsaw)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["info_point"].queryset = self._info_points()

    def _info_points(self):
        """The points in the reader's language (each point exists once per
        language), else in the default one; an existing meeting's point is
        shown in the reader's language and stays choosable as stored."""
        points = InfoPoint.objects.filter(kind=InfoPoint.Kind.POINT)
        chosen = points.filter(locale=Locale.get_active())
        if not chosen.exists():
            chosen = points.filter(locale=Locale.get_default())
        stored = self.instance.info_point if self.instance.pk else None
        if stored is None:
            return chosen
        translated = stored.get_translation_or_none(Locale.get_active())
        if translated is not None and translated in chosen:
            self.initial["info_point"] = translated.pk
            return chosen
        return chosen | points.filter(pk=stored.pk)


def member_choices(group, *, voting=False, blank=True):
    memberships = Membership.objects.filter(group=group).select_related("user")
    if voting:
        memberships = memberships.voting()
    choices = [("", "—")] if blank else []
    choices += [
        (str(m.user_id), person_name(m.user))
        for m in sorted(memberships, key=lambda m: m.user.last_name)
    ]
    return choices


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    presenter = forms.TypedChoiceField(
        label=_("Presenter"), required=False, coerce=int, empty_value=None
    )
    duration_minutes = forms.IntegerField(
        label=_("Expected duration (minutes)"), min_value=1, max_value=600, initial=15
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].choices = member_choices(group)


class ConflictForm(forms.Form):
    agenda_item = forms.TypedChoiceField(label=_("Agenda item"), coerce=int)
    description = forms.CharField(label=_("Nature of the conflict"), max_length=500)
    recused = forms.BooleanField(
        label=_("I recuse myself from the vote"), required=False, initial=True
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].choices = [
            (item.pk, item.heading) for item in meeting.agenda_items.all()
        ]


class DecisionForm(forms.Form):
    agenda_item = forms.TypedChoiceField(label=_("Agenda item"), coerce=int)
    text = forms.CharField(
        label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3})
    )
    method = forms.ChoiceField(
        label=_("Taken by"),
        choices=Decision.Method.choices,
        initial=Decision.Method.CONSENSUS,
    )
    follow_up = forms.BooleanField(
        label=_("Follow up at the next meeting"), required=False
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].choices = [
            (item.pk, item.heading) for item in meeting.agenda_items.all()
        ]
        self.voters = member_choices(meeting.group, voting=True, blank=False)
        for user_id, name in self.voters:
            self.fields[f"vote_{user_id}"] = forms.ChoiceField(
                label=_("Vote of %(name)s") % {"name": name},
                choices=[("", "—"), *Vote.Choice.choices],
                required=False,
            )

    def votes(self):
        return {
            int(uid): self.cleaned_data.get(f"vote_{uid}")
            for uid, _name in self.voters
            if self.cleaned_data.get(f"vote_{uid}")
        }

    def vote_fields(self):
        return [self[f"vote_{uid}"] for uid, _name in self.voters]


class ActionItemForm(forms.Form):
    agenda_item = forms.TypedChoiceField(label=_("Agenda item"), coerce=int)
    description = forms.CharField(
        label=pgettext_lazy("action item of minutes", "Action"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int)
    due_date = forms.DateField(
        label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].choices = [
            (item.pk, item.heading) for item in meeting.agenda_items.all()
        ]
        self.fields["owner"].choices = member_choices(meeting.group, blank=False)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        initial=Membership.Role.EXPERT,
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        help_text=_("The e-mail and the pages its link opens are in this language."),
        choices=settings.LANGUAGES,
    )


class CorrectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EmailPreferencesForm(forms.Form):
    """One choice per kind of notification sent by e-mail: at once, in the
    daily digest, or never."""

    def __init__(self, *args, preferences, **kwargs):
        super().__init__(*args, **kwargs)
        Delivery = EmailPreferences.Delivery
        for kind in EmailPreferences.EMAILED_KINDS:
            self.fields[kind] = forms.ChoiceField(
                label=Notification.Kind(kind).label,
                choices=Delivery.choices,
                initial=preferences.delivery(kind),
                widget=forms.RadioSelect,
            )
