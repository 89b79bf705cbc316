"""A draft's approval by a vote of the group's members between meetings: the
chair or the secretary puts "approve this version for editorial review" to
the vote (workgroups/services/proposals.py), and a carried proposal's
decision is one the approval step accepts, as a decision of approved
minutes on an agenda item the draft was linked to (documents/review.py)."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.timezone import get_current_timezone, is_naive, make_aware
from django.utils.translation import gettext as _

from documents.models import Draft, DraftProposal
from workgroups.models import Proposal
from workgroups.services.proposals import proposal_open


def carried_for(draft):
    """Decisions of carried proposals to approve ``draft``."""
    return Q(
        proposal__draft_link__draft=draft,
        proposal__outcome=Proposal.Outcome.CARRIED,
    )


@transaction.atomic
def draft_vote_open(*, actor, draft_id, closes_at: datetime) -> Proposal:
    """Put the draft's current version to the group's vote."""
    draft = Draft.objects.select_for_update().select_related("group").get(pk=draft_id)
    if draft.status != Draft.Status.GROUP_REVIEW:
        raise ValidationError(_("Only a draft in group review can be put to the vote."))
    title = _("Approve “%(title)s” (version %(number)s) for editorial review") % {
        "title": draft.title[:120],
        "number": draft.version,
    }
    proposal = proposal_open(
        actor=actor,
        group=draft.group,
        title=title,
        text=reverse("documents:detail", args=[draft.pk]),
        closes_at=closes_at,
    )
    DraftProposal.objects.create(
        draft=draft, proposal=proposal, version_number=draft.version
    )
    return proposal


def open_from_request(request, draft):
    """The review step "vote" of the draft's page."""
    try:
        closes_at = parse_datetime(request.POST.get("closes_at", ""))
    except ValueError:  # the shape of a date, not a real one (30 February)
        closes_at = None
    if closes_at is None:
        raise ValidationError(_("Give the closing date and time."))
    if is_naive(closes_at):
        closes_at = make_aware(closes_at, get_current_timezone())
    return draft_vote_open(actor=request.user, draft_id=draft.pk, closes_at=closes_at)
