"""Proposals and votes: the group's list, opening one, the proposal's page
with the ballot, its live results, early closing, conflicts of interest."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from home.actions import perform
from workgroups import proposal_selectors as selectors
from workgroups.models import AgendaItem, Topic
from workgroups.proposal_forms import BallotForm, ProposalConflictForm, ProposalForm
from workgroups.selectors import member_group_or_404
from workgroups.services import proposals as services


@login_required
def proposal_list(request, group_id):
    group, membership = member_group_or_404(request.user, group_id)
    return render(
        request,
        "workgroups/proposals/list.html",
        {
            "group": group,
            "membership": membership,
            "proposals": selectors.proposals_of(group)[:200],
        },
    )


def _pk(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _origin(group, data):
    """The agenda item or topic the proposal is raised from, in this group
    (anything else given is ignored)."""
    item = topic = None
    if item_id := _pk(data.get("agenda_item")):
        item = (
            AgendaItem.objects.select_related("meeting")
            .filter(pk=item_id, meeting__group=group)
            .first()
        )
    if topic_id := _pk(data.get("topic")):
        topic = Topic.objects.filter(pk=topic_id, room__group=group).first()
    return item, topic


@login_required
def proposal_create(request, group_id):
    group, membership = member_group_or_404(request.user, group_id, manage=True)
    form = ProposalForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        item, topic = _origin(group, data)
        data.update(agenda_item=item, topic=topic)
        try:
            proposal = services.proposal_open(actor=request.user, group=group, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The proposal is open for votes."))
            return redirect(proposal)
    raised_from = _origin(group, {k: form[k].value() for k in ("agenda_item", "topic")})
    return render(
        request,
        "workgroups/proposals/form.html",
        {
            "form": form,
            "group": group,
            "membership": membership,
            "agenda_item": raised_from[0],
            "topic": raised_from[1],
        },
        status=400 if form.errors else 200,
    )


def _ballot_form(proposal, own):
    initial = {}
    if own is not None:
        initial = {"choice": own.choice, "reason": own.reason}
        for index, score in enumerate(own.scores):
            initial[f"score_{index}"] = score
    return BallotForm(proposal=proposal, initial=initial)


@login_required
def proposal_detail(request, proposal_id):
    proposal, membership = selectors.member_proposal_or_404(request.user, proposal_id)
    may_vote, recused, absent, own = selectors.ballot_state(proposal, membership)
    context = {
        "proposal": proposal,
        "group": proposal.group,
        "membership": membership,
        "results": selectors.results_of(proposal, membership),
        "may_vote": may_vote,
        "recused": recused,
        "absent": absent,
        "own": own,
        "ballot_form": _ballot_form(proposal, own) if may_vote else None,
        "conflict_form": ProposalConflictForm() if may_vote else None,
        "now": timezone.now(),
    }
    return render(request, "workgroups/proposals/detail.html", context)


@login_required
def proposal_results(request, proposal_id):
    """The results region alone, which the page asks for on a live event."""
    proposal, membership = selectors.member_proposal_or_404(request.user, proposal_id)
    return render(
        request,
        "workgroups/proposals/results.html",
        {
            "proposal": proposal,
            "results": selectors.results_of(proposal, membership),
        },
    )


@require_POST
@login_required
def proposal_vote(request, proposal_id):
    proposal, _m = selectors.member_proposal_or_404(
        request.user, proposal_id, write=True
    )
    form = BallotForm(request.POST, proposal=proposal)
    if not form.is_valid():
        messages.error(request, _("Choose your answer (the reason is optional)."))
        return redirect(proposal)
    action = partial(
        services.ballot_cast,
        actor=request.user,
        proposal=proposal,
        choice=form.cleaned_data.get("choice", ""),
        scores=form.scores() if "choice" not in form.fields else None,
        reason=form.cleaned_data["reason"],
    )
    success = _("Your vote is recorded. You can change it until the vote closes.")
    return perform(request, action, success=success, redirect_to=proposal)


@require_POST
@login_required
def proposal_close(request, proposal_id):
    proposal, membership = selectors.member_proposal_or_404(
        request.user, proposal_id, manage=True
    )
    if not (proposal.in_meeting or membership.is_chair):
        messages.error(request, _("Only the chair closes a vote early."))
        return redirect(proposal)
    action = partial(services.proposal_close, actor=request.user, proposal=proposal)
    return perform(
        request, action, success=_("The vote is closed."), redirect_to=proposal
    )


@require_POST
@login_required
def proposal_conflict(request, proposal_id):
    proposal, _m = selectors.member_proposal_or_404(
        request.user, proposal_id, write=True
    )
    form = ProposalConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Describe the conflict of interest."))
        return redirect(proposal)
    action = partial(
        services.proposal_conflict_declare,
        actor=request.user,
        proposal=proposal,
        description=form.cleaned_data["description"],
    )
    success = _("Your declaration is recorded: you do not vote on this matter.")
    return perform(request, action, success=success, redirect_to=proposal)
