"""Counting a proposal's ballots: totals only, whatever the ballot — the same
numbers feed the live results, the closed result and the decision's text, and
none of them says who voted what."""

from django.utils.translation import gettext as _

from workgroups.models.proposals import Ballot, Proposal

Kind = Proposal.Kind
Outcome = Proposal.Outcome
POSITIONS = Ballot.Position.values


def tally_of(proposal, ballots):
    """Totals of ``ballots`` (pairs of choice and scores): per consent
    position, votes per option, or points per option."""
    ballots = list(ballots)
    if proposal.kind == Kind.CONSENT:
        counts = dict.fromkeys(POSITIONS, 0)
        for choice, _scores in ballots:
            if choice in counts:
                counts[choice] += 1
        return {"counts": counts, "voted": len(ballots)}
    totals = [0] * len(proposal.options)
    for choice, scores in ballots:
        if proposal.kind == Kind.CHOICE and choice.isdigit():
            if int(choice) < len(totals):
                totals[int(choice)] += 1
        elif proposal.kind == Kind.SCORE:
            for index, score in enumerate((scores or [])[: len(totals)]):
                totals[index] += int(score)
    return {"totals": totals, "voted": len(ballots)}


def outcome_of(proposal, tally, *, required):
    """Carried, rejected or blocked (consent); the chosen option or a tie;
    or no quorum when fewer than ``required`` voted (abstaining counts as
    taking part)."""
    if tally["voted"] < required:
        return Outcome.NO_QUORUM
    if proposal.kind == Kind.CONSENT:
        counts = tally["counts"]
        if counts[Ballot.Position.BLOCK]:
            return Outcome.BLOCKED
        if counts[Ballot.Position.AGREE] > counts[Ballot.Position.DISAGREE]:
            return Outcome.CARRIED
        return Outcome.REJECTED
    totals = tally["totals"]
    best = max(totals)
    return Outcome.CHOSEN if totals.count(best) == 1 else Outcome.TIED


def winner_of(proposal):
    """The chosen option's label, if one was chosen."""
    if proposal.outcome != Outcome.CHOSEN:
        return ""
    totals = proposal.tally["totals"]
    return proposal.options[totals.index(max(totals))]


def result_lines(proposal, tally):
    """The totals as sentences, in the active language."""
    if proposal.kind == Kind.CONSENT:
        counts = tally["counts"]
        return [
            _(
                "%(agree)s agree, %(abstain)s abstain, %(disagree)s disagree, "
                "%(block)s block."
            )
            % counts
        ]
    if proposal.kind == Kind.CHOICE:
        template = _("%(option)s: %(count)s votes")
    else:
        template = _("%(option)s: %(count)s points")
    return [
        template % {"option": option, "count": count}
        for option, count in zip(proposal.options, tally["totals"], strict=False)
    ]


def turnout_sentence(proposal):
    return _(
        "%(voted)s of %(eligible)s members with a vote took part "
        "(%(required)s required)."
    ) % {
        "voted": proposal.voted_count,
        "eligible": proposal.eligible_count,
        "required": proposal.quorum_required,
    }


def decision_text(proposal, named=()):
    """The decision as the register and the minutes keep it; ``named``
    (pairs of a name and an answer) only for an open ballot."""
    outcome = proposal.get_outcome_display()
    winner = winner_of(proposal)
    if winner:
        outcome = f"{outcome}: {winner}"
    lines = [
        _("Proposal “%(title)s”: %(outcome)s.")
        % {"title": proposal.title, "outcome": outcome},
        *result_lines(proposal, proposal.tally),
        turnout_sentence(proposal),
    ]
    if proposal.secret:
        lines.append(_("Secret ballot."))
    elif named:
        lines.append(
            _("Votes: %(votes)s.")
            % {"votes": "; ".join(f"{name} — {answer}" for name, answer in named)}
        )
    return "\n".join(lines)
