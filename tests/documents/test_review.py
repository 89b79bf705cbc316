"""From a group's draft to a published recommendation: group review, approval
by a decision of approved minutes, editorial review in Wagtail's workflow,
the public page with its provenance (docs/security.md, AC-02, AC-03, DU-07)."""

import io

import pytest
from docx import Document

from django.core import mail
from django.core.exceptions import ValidationError

from documents import review, services
from documents.models import Draft, RecommendationPage
from tests.documents.helpers import (
    approved_by_group,
    chair_of,
    decision_in_approved_minutes,
    group_with_draft,
    recommendations_section,
)
from tests.factories import UserFactory, editor
from tests.pages import programme_tree
from tests.workgroups.factories import MembershipFactory
from workgroups.models import Decision, Membership, Notification

pytestmark = pytest.mark.django_db

Status = Draft.Status


@pytest.fixture
def programme():
    tree = programme_tree()
    tree["index"] = recommendations_section(tree["programme"])
    return tree


def _draft_for(tree, text="Pierwszy akapit.\n\nDrugi akapit."):
    author, draft = group_with_draft(text=text)
    draft.actions.set([tree["actions"][0]])
    return author, draft, chair_of(draft.group)


def _save(author, draft, text):
    draft.refresh_from_db()
    return services.draft_save(
        actor=author.user,
        draft_id=draft.pk,
        base_version=draft.version,
        title=draft.title,
        summary=draft.summary,
        text=text,
    )


def _editor_approves(page, comment=""):
    page = RecommendationPage.objects.get(pk=page.pk)
    task_state = page.current_workflow_state.current_task_state
    task_state.approve(user=editor(), comment=comment)


def test_the_chair_moves_the_draft_through_the_group_with_the_buttons(
    client, programme
):
    author, draft, chair = _draft_for(programme)
    client.force_login(chair)

    client.post(f"/en/drafts/{draft.pk}/review/submit/")
    draft.refresh_from_db()
    assert draft.status == Status.GROUP_REVIEW
    page = client.get(f"/en/drafts/{draft.pk}/").content.decode()
    assert "link it to an item of a meeting" in page

    decision = decision_in_approved_minutes(draft, chair)
    page = client.get(f"/en/drafts/{draft.pk}/").content.decode()
    assert "Record the group" in page and decision.text in page
    response = client.post(
        f"/en/drafts/{draft.pk}/review/approve/",
        {"decision": decision.pk, "version": 1},
        follow=True,
    )
    assert "The group&#x27;s approval was recorded." in response.content.decode()
    response = client.post(f"/en/drafts/{draft.pk}/review/editors/", follow=True)

    draft.refresh_from_db()
    assert draft.status == Status.EDITORIAL_REVIEW
    page = RecommendationPage.objects.get(draft=draft)
    assert not page.live
    assert page.current_workflow_state.workflow.name == review.WORKFLOW_NAME
    assert "The recommendation is not published yet." in response.content.decode()


def test_members_are_told_when_a_draft_goes_to_group_review(
    programme, django_capture_on_commit_callbacks
):
    author, draft, chair = _draft_for(programme)
    outsider = MembershipFactory()

    with django_capture_on_commit_callbacks(execute=True):
        review.submit_for_group_review(actor=chair, draft_id=draft.pk)

    told = set(Notification.objects.values_list("user", flat=True))
    assert told == {author.user.pk, chair.pk}
    assert outsider.user.pk not in told


def test_editor_publishes_and_the_public_page_shows_its_provenance(client, programme):
    author, draft, chair = _draft_for(programme)
    _save(author, draft, "Pierwszy akapit, poprawiony.\n\nDrugi akapit.")
    decision = approved_by_group(draft, chair)
    page = review.send_to_editors(actor=chair, draft_id=draft.pk)

    assert client.get(f"/pl/program/rekomendacje/{page.slug}/").status_code == 404
    _editor_approves(page)

    page.refresh_from_db()
    draft.refresh_from_db()
    assert page.live and draft.status == Status.PUBLISHED
    html = client.get(page.url).content.decode()
    assert "Pierwszy akapit, poprawiony." in html
    assert draft.group.name in html
    assert decision.minutes.meeting.title in html
    assert decision.text in html
    assert "wersja 2" in html
    assert f"/pl/zespoly/{draft.group.slug}/" in html
    profile = client.get(f"/pl/zespoly/{draft.group.slug}/").content.decode()
    assert page.url in profile
    # Only members get links into the workspace.
    assert f"/drafts/{draft.pk}/versions/" not in html
    client.force_login(author.user)
    html = client.get(page.url).content.decode()
    assert f"/pl/drafts/{draft.pk}/versions/" in html
    assert f"/pl/workspace/meetings/{decision.minutes.meeting_id}/minutes/" in html


def test_the_action_lists_it_and_search_and_feed_find_it(client, programme):
    author, draft, chair = _draft_for(
        programme, text="Tłumacze przysięgli w punktach informacyjnych."
    )
    approved_by_group(draft, chair)
    page = review.send_to_editors(actor=chair, draft_id=draft.pk)
    _editor_approves(page)
    page.refresh_from_db()
    action = programme["actions"][0]

    assert page.url in client.get(action.url).content.decode()
    found = client.get("/pl/szukaj/", {"q": "przysięgłych punktów"})
    assert page.url in found.content.decode()
    feed = client.get(programme["index"].url + "kanal/").content.decode()
    assert page.title in feed and page.url in feed
    recommendations = client.get(programme["index"].url).content.decode()
    assert page.url in recommendations
    docx = client.get(page.url + "docx/")
    assert docx["Content-Disposition"].startswith("attachment")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Tłumacze przysięgli w punktach informacyjnych." in text
    assert draft.group.name in text


def test_editing_the_draft_afterwards_never_changes_the_public_page(client, programme):
    author, draft, chair = _draft_for(programme)
    approved_by_group(draft, chair)
    page = review.send_to_editors(actor=chair, draft_id=draft.pk)
    _editor_approves(page)
    page.refresh_from_db()

    _save(author, draft, "Zupełnie nowy tekst.")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    html = client.get(page.url).content.decode()
    assert "Pierwszy akapit." in html and "Zupełnie nowy tekst." not in html

    # Approved again and sent: still the old text until the editor publishes.
    approved_by_group(draft, chair)
    review.send_to_editors(actor=chair, draft_id=draft.pk)
    html = client.get(page.url).content.decode()
    assert "Pierwszy akapit." in html and "Zupełnie nowy tekst." not in html
    assert "wersja 1" in html

    _editor_approves(page)
    html = client.get(page.url).content.decode()
    assert "Zupełnie nowy tekst." in html and "wersja 2" in html
    assert RecommendationPage.objects.filter(draft=draft).count() == 1


def test_an_approval_publishes_the_approved_version_not_a_later_text(client, programme):
    author, draft, chair = _draft_for(programme)
    _save(author, draft, "Tekst wersji drugiej.")
    approved_by_group(draft, chair, version=1)

    page = review.send_to_editors(actor=chair, draft_id=draft.pk)
    _editor_approves(page)

    html = client.get(RecommendationPage.objects.get(pk=page.pk).url).content.decode()
    assert "Pierwszy akapit." in html and "Tekst wersji drugiej." not in html


def test_editors_asking_for_changes_send_the_draft_back_to_the_group(client, programme):
    author, draft, chair = _draft_for(programme)
    approved_by_group(draft, chair)
    page = review.send_to_editors(actor=chair, draft_id=draft.pk)
    task_state = page.current_workflow_state.current_task_state

    task_state.reject(user=editor(), comment="Proszę skrócić drugi akapit.")

    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    page.refresh_from_db()
    assert not page.live
    client.force_login(author.user)
    html = client.get(f"/pl/drafts/{draft.pk}/").content.decode()
    assert "Proszę skrócić drugi akapit." in html


@pytest.mark.parametrize(
    "case",
    ["minutes not approved", "not on the agenda", "other group", "vote lost"],
)
def test_only_a_carried_decision_of_approved_minutes_on_its_agenda_approves(
    programme, case
):
    author, draft, chair = _draft_for(programme)
    review.submit_for_group_review(actor=chair, draft_id=draft.pk)
    if case == "minutes not approved":
        decision = decision_in_approved_minutes(draft, chair, approve=False)
    elif case == "not on the agenda":
        decision = decision_in_approved_minutes(draft, chair, link=False)
    elif case == "other group":
        _other_author, other_draft = group_with_draft()
        decision = decision_in_approved_minutes(
            other_draft, chair_of(other_draft.group)
        )
    else:
        voter = MembershipFactory(group=draft.group).user
        decision = decision_in_approved_minutes(
            draft,
            chair,
            method=Decision.Method.VOTE,
            votes={voter.pk: "against", chair.pk: "abstain"},
        )

    with pytest.raises(ValidationError):
        review.record_group_approval(
            actor=chair, draft_id=draft.pk, decision_id=decision.pk, version_number=1
        )
    draft.refresh_from_db()
    assert draft.status == Status.GROUP_REVIEW
    assert not draft.approvals.exists()


def test_bad_review_requests_get_a_clear_message_and_change_nothing(client, programme):
    author, draft, chair = _draft_for(programme)
    client.force_login(chair)

    response = client.post(f"/en/drafts/{draft.pk}/review/editors/", follow=True)
    assert "Only a draft the group approved can go to editors." in (
        response.content.decode()
    )
    client.post(f"/en/drafts/{draft.pk}/review/submit/")
    decision = decision_in_approved_minutes(draft, chair)
    response = client.post(
        f"/en/drafts/{draft.pk}/review/approve/",
        {"decision": decision.pk, "version": 99},
        follow=True,
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert client.post(f"/en/drafts/{draft.pk}/review/nonsense/").status_code == 404
    draft.refresh_from_db()
    assert draft.status == Status.GROUP_REVIEW
    assert not RecommendationPage.objects.exists()


def test_review_steps_answer_404_to_everyone_but_chair_and_secretary(client, programme):
    author, draft, chair = _draft_for(programme)
    observer = MembershipFactory(group=draft.group, role=Membership.Role.OBSERVER)
    url = f"/pl/drafts/{draft.pk}/review/submit/"

    for user in (author.user, observer.user, UserFactory(), editor()):
        client.force_login(user)
        assert client.post(url).status_code == 404
    client.logout()
    assert client.post(url).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    secretary = MembershipFactory(group=draft.group, role=Membership.Role.SECRETARY)
    client.force_login(secretary.user)
    assert client.post(url).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.GROUP_REVIEW


def test_withdrawing_cancels_the_editorial_review_and_freezes_the_text(
    client, programme
):
    author, draft, chair = _draft_for(programme)
    approved_by_group(draft, chair)
    page = review.send_to_editors(actor=chair, draft_id=draft.pk)

    review.withdraw(actor=chair, draft_id=draft.pk)

    page.refresh_from_db()
    assert page.current_workflow_state is None and not page.live
    with pytest.raises(ValidationError):
        _save(author, draft, "Po wycofaniu.")
    review.reopen(actor=chair, draft_id=draft.pk)
    _save(author, draft, "Po wznowieniu.")


def test_a_mention_in_a_comment_notifies_only_that_member(
    programme, django_capture_on_commit_callbacks
):
    author, draft, chair = _draft_for(programme)
    other = MembershipFactory(group=draft.group)
    outsider = UserFactory()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_add(
            actor=author.user,
            draft=draft,
            block_id=draft.paragraphs()[0][0],
            text=f"@{other.user.username} i @{outsider.username}: co myślicie?",
        )

    notes = Notification.objects.filter(kind=Notification.Kind.MENTIONED)
    assert [n.user_id for n in notes] == [other.user.pk]
    assert notes[0].link.endswith(f"#thread-{comment.pk}")
    assert [m.to for m in mail.outbox] == [[other.user.email]]


def test_recommendation_page_query_count_is_pinned(
    client, programme, django_assert_max_num_queries
):
    author, draft, chair = _draft_for(programme)
    approved_by_group(draft, chair)
    page = review.send_to_editors(actor=chair, draft_id=draft.pk)
    _editor_approves(page)
    page.refresh_from_db()

    # 17: the provenance also reads the approved revision to compare.
    with django_assert_max_num_queries(17):
        assert client.get(page.url).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(programme["actions"][0].url).status_code == 200
