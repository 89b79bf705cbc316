"""Whatever the editors decide in the admin — cancel the review, request
changes or approve — the draft is left where its chair can act, and the chair
is told, in the site's language (issue 16)."""

import pytest

from django.utils import translation

from documents import review
from documents.models import Draft, RecommendationPage
from tests.documents.helpers import (
    approved_by_group,
    chair_of,
    group_with_draft,
    recommendations_section,
)
from tests.factories import editor
from tests.pages import programme_tree
from workgroups.models import Notification

pytestmark = pytest.mark.django_db

Status = Draft.Status


@pytest.fixture
def in_editorial_review():
    recommendations_section(programme_tree()["programme"])
    author, draft = group_with_draft()
    chair = chair_of(draft.group)
    approved_by_group(draft, chair)
    page = review.send_to_editors(actor=chair, draft_id=draft.pk)
    return draft, chair, RecommendationPage.objects.get(pk=page.pk)


def _chairs_view(client, chair, draft):
    client.force_login(chair)
    return client.get(f"/pl/drafts/{draft.pk}/").content.decode()


def _told(chair, draft):
    """What the chair reads (in Polish) and where it leads."""
    with translation.override("pl"):
        told = Notification.objects.filter(user=chair).order_by("pk")
        return [n.text for n in told if n.link == f"/pl/drafts/{draft.pk}/"]


def test_cancelling_returns_the_draft_to_the_group_and_tells_the_chair(
    client, in_editorial_review, django_capture_on_commit_callbacks
):
    draft, chair, page = in_editorial_review

    with (
        translation.override("en"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        page.current_workflow_state.cancel(user=editor())

    draft.refresh_from_db()
    assert draft.status == Status.APPROVED
    assert _told(chair, draft)[-1] == (
        f"Redakcja anulowała przegląd: {draft.title}. Możesz przekazać go ponownie."
    )
    html = _chairs_view(client, chair, draft)
    assert "Przekaż redakcji do publikacji" in html
    assert "Redakcja anulowała przegląd" in html  # in the draft's history


def test_after_a_cancelled_review_the_chair_sends_the_draft_again(
    in_editorial_review,
):
    draft, chair, page = in_editorial_review
    page.current_workflow_state.cancel(user=editor())

    review.send_to_editors(actor=chair, draft_id=draft.pk)

    draft.refresh_from_db()
    page.refresh_from_db()
    assert draft.status == Status.EDITORIAL_REVIEW
    assert page.current_workflow_state.status == "in_progress"


def test_requesting_changes_leaves_a_draft_the_chair_submits_again(
    client, in_editorial_review, django_capture_on_commit_callbacks
):
    draft, chair, page = in_editorial_review
    task_state = page.current_workflow_state.current_task_state

    with django_capture_on_commit_callbacks(execute=True):
        task_state.reject(user=editor(), comment="Proszę skrócić.")

    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert _told(chair, draft)[-1] == f"Redakcja prosi o zmiany: {draft.title}"
    html = _chairs_view(client, chair, draft)
    assert "Skieruj do przeglądu zespołu" in html and "Proszę skrócić." in html


def test_approving_publishes_and_the_chair_sees_the_published_page(
    client, in_editorial_review, django_capture_on_commit_callbacks
):
    draft, chair, page = in_editorial_review
    task_state = page.current_workflow_state.current_task_state

    with django_capture_on_commit_callbacks(execute=True):
        task_state.approve(user=editor())

    draft.refresh_from_db()
    page.refresh_from_db()
    assert draft.status == Status.PUBLISHED and page.live
    assert _told(chair, draft)[-1] == (f"Opublikowano jako rekomendację: {page.title}")
    html = _chairs_view(client, chair, draft)
    assert page.url in html and "Wycofaj projekt" in html


def test_withdrawing_a_draft_in_review_does_not_hand_it_back_as_approved(
    in_editorial_review, django_capture_on_commit_callbacks
):
    draft, chair, page = in_editorial_review

    with django_capture_on_commit_callbacks(execute=True):
        review.withdraw(actor=chair, draft_id=draft.pk)

    draft.refresh_from_db()
    assert draft.status == Status.WITHDRAWN
    assert not any("anulowała" in subject for subject in _told(chair, draft))


def test_publishing_past_the_review_publishes_the_draft_not_approved_again(
    in_editorial_review,
):
    draft, chair, page = in_editorial_review

    page.get_latest_revision().publish(user=editor())

    draft.refresh_from_db()
    page.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert page.live and page.current_workflow_state is None


@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_the_chair_gets_no_mail_from_the_admin_only_the_platforms(
    in_editorial_review, decision, django_capture_on_commit_callbacks
):
    from django.core import mail

    draft, chair, page = in_editorial_review
    task_state = page.current_workflow_state.current_task_state
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        getattr(task_state, decision)(user=editor())

    to_chair = [m for m in mail.outbox if chair.email in m.to]
    assert len(to_chair) == 1
    assert "/admin/" not in to_chair[0].body
    assert to_chair[0].subject.startswith(f"[{draft.group.name}]")
