"""Forms of proposals and ballots."""

from django import forms
from django.utils.translation import gettext_lazy as _

from workgroups.forms import DateTimeInput
from workgroups.models import Proposal
from workgroups.models.proposals import SCORE_MAX


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Proposal"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    kind = forms.ChoiceField(
        label=_("Kind of vote"), choices=Proposal.Kind.choices, initial="consent"
    )
    options = forms.CharField(
        label=_("Options (one per line)"),
        required=False,
        max_length=2000,
        help_text=_("For a choice or a score poll: between 2 and 10 options."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"),
        widget=DateTimeInput(),
        help_text=_("Time in Poland (Europe/Warsaw)."),
    )
    secret = forms.BooleanField(label=_("Secret ballot"), required=False)
    results_after_close = forms.BooleanField(
        label=_("Show results only after closing"), required=False
    )
    close_when_all_voted = forms.BooleanField(
        label=_("Close as soon as everyone with a vote has voted"), required=False
    )
    agenda_item = forms.IntegerField(required=False, widget=forms.HiddenInput)
    topic = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_options(self):
        return [line.strip() for line in self.cleaned_data["options"].splitlines()]


class BallotForm(forms.Form):
    choice = forms.ChoiceField(
        label=_("Your vote"), widget=forms.RadioSelect, required=False
    )
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal
        if proposal.kind == Proposal.Kind.SCORE:
            del self.fields["choice"]
            for index, option in enumerate(proposal.options):
                self.fields[f"score_{index}"] = forms.IntegerField(
                    label=option, min_value=0, max_value=SCORE_MAX, initial=0
                )
        else:
            self.fields["choice"].choices = proposal.choices()
            self.fields["choice"].required = True

    def scores(self):
        return [
            self.cleaned_data[f"score_{index}"]
            for index in range(len(self.proposal.options))
        ]


class ProposalConflictForm(forms.Form):
    description = forms.CharField(label=_("Nature of the conflict"), max_length=500)
