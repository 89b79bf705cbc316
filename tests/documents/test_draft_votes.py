"""A draft approved by a vote of the members between meetings: a carried
proposal's decision feeds the approval step as a minutes decision does; a
rejected one does not."""

from datetime import timedelta

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from documents import review, votes
from documents.provenance import provenance_of
from tests.documents.helpers import chair_of, group_with_draft
from tests.workgroups.proposal_helpers import make_due
from workgroups.models import Membership, Proposal
from workgroups.services import proposals as proposal_services

pytestmark = pytest.mark.django_db


def _put_to_vote(answer):
    author, draft = group_with_draft()
    chair = chair_of(author.group)
    review.submit_for_group_review(actor=chair, draft_id=draft.pk)
    proposal = votes.draft_vote_open(
        actor=chair, draft_id=draft.pk, closes_at=timezone.now() + timedelta(days=2)
    )
    for user in (author.user, chair):
        proposal_services.ballot_cast(actor=user, proposal=proposal, choice=answer)
    make_due(proposal)
    proposal_services.proposals_close_due()
    return draft, chair, Proposal.objects.get(pk=proposal.pk)


def test_a_carried_vote_approves_the_draft():
    draft, chair, proposal = _put_to_vote("agree")
    assert list(review.approving_decisions(draft)) == [proposal.decision]

    review.record_group_approval(
        actor=chair,
        draft_id=draft.pk,
        decision_id=proposal.decision_id,
        version_number=1,
    )
    draft.refresh_from_db()
    assert draft.status == draft.Status.APPROVED
    assert draft.approvals.get().decision == proposal.decision


def test_a_rejected_vote_does_not():
    draft, chair, proposal = _put_to_vote("disagree")
    assert proposal.decision is not None
    assert not review.approving_decisions(draft).exists()
    with pytest.raises(ValidationError):
        review.record_group_approval(
            actor=chair,
            draft_id=draft.pk,
            decision_id=proposal.decision_id,
            version_number=1,
        )


def test_only_a_draft_in_group_review_is_put_to_the_vote():
    author, draft = group_with_draft()
    with pytest.raises(ValidationError):
        votes.draft_vote_open(
            actor=chair_of(author.group),
            draft_id=draft.pk,
            closes_at=timezone.now() + timedelta(days=2),
        )


def test_the_draft_page_opens_the_vote_and_shows_the_approval(client):
    author, draft = group_with_draft()
    chair = chair_of(author.group)
    review.submit_for_group_review(actor=chair, draft_id=draft.pk)
    client.force_login(chair)
    response = client.post(
        reverse("documents:review", args=[draft.pk, "vote"]),
        {"closes_at": "2031-05-01T12:00"},
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.draft_link.draft == draft
    assert timezone.localtime(proposal.closes_at).hour == 12
    client.force_login(author.user)
    assert (
        client.post(
            reverse("documents:review", args=[draft.pk, "vote"]),
            {"closes_at": "2031-05-01T12:00"},
        ).status_code
        == 404
    )
    assert Membership.objects.filter(group=draft.group).count() == 2


def test_the_provenance_of_a_vote_names_no_meeting():
    draft, chair, proposal = _put_to_vote("agree")

    class Page:
        decision_id = proposal.decision_id
        draft_version = 1
        approved_on = None
        draft_id = None

    found = provenance_of(Page(), chair)
    assert found["meeting"] is None and found["group"] == draft.group


def test_an_impossible_closing_date_gets_a_message_not_an_error(client):
    author, draft = group_with_draft()
    chair = chair_of(author.group)
    review.submit_for_group_review(actor=chair, draft_id=draft.pk)
    client.force_login(chair)
    for value in ("2031-02-30T12:00", "jutro", "\x00"):
        response = client.post(
            reverse("documents:review", args=[draft.pk, "vote"]),
            {"closes_at": value},
            follow=True,
        )
        assert response.status_code == 200
        assert "Podaj datę i godzinę zamknięcia." in response.text
    assert not Proposal.objects.exists()
