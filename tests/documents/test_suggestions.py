"""Suggestions in the live document (docs/subsystems/suggestions.md): the
marks, what versions hold, the check of a suggester's updates, and
accepting or rejecting them on the server."""

import threading

import pytest
from pycrdt import Doc, XmlElement, XmlText

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections
from django.utils import timezone

from documents import review, services, suggestions
from documents.live import convert, protocol, store
from documents.live import suggestions as marks
from documents.models import (
    Draft,
    LiveUpdate,
    RecommendationPage,
    SuggestionDecision,
)
from home.people import person_name
from tests.documents.helpers import (
    chair_of,
    decision_in_approved_minutes,
    group_with_draft,
    recommendations_section,
)
from tests.factories import editor
from tests.pages import programme_tree
from tests.workgroups.factories import MembershipFactory
from workgroups.models import Membership

pytestmark = pytest.mark.django_db


def mark(ident, author, at="2026-12-03T08:00:00+01:00"):
    return {"id": ident, "author": author, "at": at}


def paragraph_doc(*runs):
    """A document of one paragraph of ``(text, attributes)`` runs."""
    doc = Doc()
    text = XmlText()
    convert.fragment(doc).children.append(
        XmlElement("paragraph", {"blockId": "p1"}, [text])
    )
    for chunk, attributes in runs:
        text.insert(len(text), chunk, attributes)
    return doc


def paragraph_text(doc):
    return convert.fragment(doc).children[0].children[0]


def copy(doc):
    other = Doc()
    other.apply_update(doc.get_update())
    return other


def test_a_version_holds_the_text_with_open_suggestions_rejected():
    doc = paragraph_doc(
        ("Grupa ", None),
        ("pilnie ", {"insertion": mark("a", 7)}),
        ("zaleca ", {"deletion": mark("b", 8), "bold": {}}),
        ("kursy.", None),
    )

    [block] = convert.doc_to_body(doc)

    assert block["value"] == "Grupa <b>zaleca </b>kursy."


def test_open_suggestions_are_found_with_their_author_kind_and_text():
    doc = paragraph_doc(
        ("Za", {"insertion": mark("a", 7)}),
        ("żółć", {"insertion": mark("a", 7), "italic": {}}),
        (" stare", {"deletion": mark("b", 8)}),
    )

    found = marks.open_suggestions(doc)

    assert [(s.id, s.kind, s.author_id, s.text) for s in found.values()] == [
        ("a", "insertion", 7, "Zażółć"),
        ("b", "deletion", 8, " stare"),
    ]


@pytest.mark.parametrize(
    "value",
    [
        {"id": "", "author": 1},
        {"id": "x" * 65, "author": 1},
        {"id": "a", "author": "1"},
        {"id": "a", "author": 1.5},
        {"id": "a", "author": float("inf")},
        {"id": "a", "author": True},
        {"id": "a", "author": 1, "at": "x" * 41},
        {"id": "a", "author": 1, "colour": "red"},
        "a",
    ],
)
def test_a_malformed_suggestion_mark_is_not_a_draft(value):
    doc = paragraph_doc(("tekst", {"insertion": value}))

    with pytest.raises(convert.NotADraft):
        convert.check(doc)


def test_accepting_and_rejecting_each_kind():
    def decided(kind, accept):
        doc = paragraph_doc(
            ("Ala ", None), ("ma ", {kind: mark("s", 7)}), ("kota.", None)
        )
        marks.decide(doc, list(marks.open_suggestions(doc).values()), accept=accept)
        assert not marks.open_suggestions(doc)
        return str(paragraph_text(doc))

    assert decided("insertion", accept=True) == "Ala ma kota."
    assert decided("insertion", accept=False) == "Ala kota."
    assert decided("deletion", accept=True) == "Ala kota."
    assert decided("deletion", accept=False) == "Ala ma kota."


def test_a_deletion_inside_an_insertion_goes_with_it_or_stays_on_its_own():
    def start():
        return paragraph_doc(
            ("Ala ", None),
            ("ma ", {"insertion": mark("a", 7)}),
            ("dużego ", {"insertion": mark("a", 7), "deletion": mark("b", 8)}),
            ("psa ", {"insertion": mark("a", 7)}),
            ("i kota.", None),
        )

    rejected = start()
    marks.decide(rejected, [marks.open_suggestions(rejected)["a"]], accept=False)
    assert str(paragraph_text(rejected)) == "Ala i kota."
    assert not marks.open_suggestions(rejected)

    accepted = start()
    marks.decide(accepted, [marks.open_suggestions(accepted)["a"]], accept=True)
    assert list(marks.open_suggestions(accepted)) == ["b"]
    marks.decide(accepted, [marks.open_suggestions(accepted)["b"]], accept=True)
    assert str(paragraph_text(accepted)) == "Ala ma psa i kota."


def test_rejecting_all_with_overlapping_pieces_removes_each_once():
    doc = paragraph_doc(
        ("Ąę ", None),
        ("nowe ", {"insertion": mark("a", 7), "deletion": mark("b", 8)}),
        ("zostaje.", None),
    )
    found = list(marks.open_suggestions(doc).values())

    marks.decide(doc, found, accept=False)
    assert str(paragraph_text(doc)) == "Ąę zostaje."


def test_a_suggester_may_add_suggestions_in_their_own_name():
    before = paragraph_doc(("Ala ma kota.", None))
    after = copy(before)
    text = paragraph_text(after)
    text.insert(4, "nie ", {"insertion": mark("n", 7)})
    text.format(len(b"Ala nie "), len(b"Ala nie ma "), {"deletion": mark("d", 7)})

    marks.check_update(before, after, author_id=7, only_suggests=True)


@pytest.mark.parametrize(
    "change",
    [
        lambda text: text.insert(0, "Zwykły tekst. "),
        lambda text: text.__delitem__(slice(0, 4)),
        lambda text: text.format(0, 3, {"bold": {}}),
        lambda text: text.format(0, 3, {"deletion": None}),
    ],
    ids=["plain insertion", "removal", "formatting", "unmarking another's"],
)
def test_a_suggester_may_not_change_the_text_itself(change):
    before = paragraph_doc(("Ala", {"deletion": mark("x", 9)}), (" ma kota.", None))
    after = copy(before)
    change(paragraph_text(after))

    with pytest.raises(protocol.Malformed) as refused:
        marks.check_update(before, after, author_id=7, only_suggests=True)
    assert refused.value.code == "suggest_only"


def test_nobody_may_suggest_in_someone_elses_name():
    before = paragraph_doc(("Ala ma kota.", None))
    after = copy(before)
    paragraph_text(after).insert(0, "Nie. ", {"insertion": mark("n", 9)})

    with pytest.raises(protocol.Malformed) as refused:
        marks.check_update(before, after, author_id=7, only_suggests=False)
    assert refused.value.code == "not_yours"


# --- deciding on the server -------------------------------------------------------


def draft_with_suggestions():
    """A draft whose live document holds an expert's insertion and deletion."""
    author, draft = group_with_draft("Ala ma kota.")
    expert = MembershipFactory(group=draft.group, role=Membership.Role.EXPERT).user
    doc = store.load_doc(draft.pk)
    before = doc.get_state()
    text = convert.fragment(doc).children[0].children[0]
    text.insert(len(text), " I psa.", {"insertion": mark("ins", expert.pk)})
    text.format(0, 4, {"deletion": mark("del", expert.pk)})
    LiveUpdate.objects.create(
        draft=draft, data=doc.get_update(before), author_id=expert.pk
    )
    return draft, author.user, expert


def live_text(draft):
    text = convert.fragment(store.load_doc(draft.pk)).children[0].children[0]
    return "".join(str(chunk) for chunk, _attributes in text.diff())


def test_the_chair_accepts_one_and_rejects_the_other_and_both_are_recorded():
    draft, _creator, expert = draft_with_suggestions()
    chair = chair_of(draft.group)

    suggestions.suggestion_decide(
        actor=chair, draft_id=draft.pk, accept=True, suggestion_id="ins"
    )
    suggestions.suggestion_decide(
        actor=chair, draft_id=draft.pk, accept=False, suggestion_id="del"
    )

    assert live_text(draft) == "Ala ma kota. I psa."
    assert suggestions.open_count(draft) == 0
    rows = list(SuggestionDecision.objects.filter(draft=draft))
    assert [(r.kind, r.text, r.accepted, r.author, r.decided_by) for r in rows] == [
        ("insertion", " I psa.", True, expert, chair),
        ("deletion", "Ala ", False, expert, chair),
    ]


def test_the_creator_decides_all_of_one_persons_suggestions_at_once():
    draft, creator, expert = draft_with_suggestions()

    decided = suggestions.suggestion_decide(
        actor=creator, draft_id=draft.pk, accept=True, author_id=expert.pk
    )

    assert len(decided) == 2
    assert live_text(draft) == "ma kota. I psa."


def test_the_second_decision_on_one_suggestion_is_told_who_decided_it():
    draft, creator, _expert = draft_with_suggestions()
    suggestions.suggestion_decide(
        actor=creator, draft_id=draft.pk, accept=False, suggestion_id="ins"
    )

    with pytest.raises(ValidationError) as refused:
        suggestions.suggestion_decide(
            actor=chair_of(draft.group),
            draft_id=draft.pk,
            accept=True,
            suggestion_id="ins",
        )

    assert person_name(creator) in refused.value.messages[0]
    assert live_text(draft) == "Ala ma kota."  # the deletion still open


def test_only_the_chair_and_the_creator_decide_by_default():
    draft, _creator, expert = draft_with_suggestions()
    observer = MembershipFactory(group=draft.group, role=Membership.Role.OBSERVER)

    for person in (expert, observer.user, MembershipFactory().user):
        with pytest.raises(PermissionDenied):
            suggestions.suggestion_decide(
                actor=person, draft_id=draft.pk, accept=True, suggestion_id="ins"
            )
    assert suggestions.open_count(draft) == 2


def test_a_group_may_let_every_writer_decide():
    draft, _creator, expert = draft_with_suggestions()
    draft.group.suggestion_deciders = "writers"
    draft.group.save()

    suggestions.suggestion_decide(
        actor=expert, draft_id=draft.pk, accept=True, suggestion_id="ins"
    )

    assert suggestions.open_count(draft) == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_deciding_one_suggestion_at_once_get_one_result():
    draft, creator, _expert = draft_with_suggestions()
    chair = chair_of(draft.group)
    barrier, outcomes = threading.Barrier(2), {}

    def decide(person, accept):
        barrier.wait()
        try:
            suggestions.suggestion_decide(
                actor=person, draft_id=draft.pk, accept=accept, suggestion_id="ins"
            )
            outcomes[person.pk] = "decided"
        except ValidationError as refused:
            outcomes[person.pk] = refused.messages[0]
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=decide, args=(creator, True)),
        threading.Thread(target=decide, args=(chair, False)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    [row] = SuggestionDecision.objects.filter(draft=draft, suggestion_id="ins")
    loser = chair if row.decided_by == creator else creator
    assert outcomes[row.decided_by.pk] == "decided"
    assert person_name(row.decided_by) in outcomes[loser.pk]
    assert live_text(draft) == (
        "Ala ma kota. I psa." if row.accepted else "Ala ma kota."
    )


def test_approval_is_refused_while_suggestions_are_open():
    draft, _creator, _expert = draft_with_suggestions()
    chair = chair_of(draft.group)
    review.submit_for_group_review(actor=chair, draft_id=draft.pk)
    decision = decision_in_approved_minutes(draft, chair)

    with pytest.raises(ValidationError) as refused:
        review.record_group_approval(
            actor=chair, draft_id=draft.pk, decision_id=decision.pk, version_number=1
        )

    assert Draft.objects.get(pk=draft.pk).status == Draft.Status.GROUP_REVIEW
    assert not draft.approvals.exists()
    assert refused.value.messages


def test_the_approval_lists_the_accepted_suggestions_in_minutes_and_provenance(
    client,
):
    tree = programme_tree()
    recommendations_section(tree["programme"])
    draft, _creator, expert = draft_with_suggestions()
    chair = chair_of(draft.group)
    review.submit_for_group_review(actor=chair, draft_id=draft.pk)
    for ident, accept in (("ins", True), ("del", False)):
        suggestions.suggestion_decide(
            actor=chair, draft_id=draft.pk, accept=accept, suggestion_id=ident
        )
    services.draft_save_live(actor=chair, draft_id=draft.pk, note="Po przeglądzie")
    decision = decision_in_approved_minutes(draft, chair)
    draft.refresh_from_db()
    review.record_group_approval(
        actor=chair,
        draft_id=draft.pk,
        decision_id=decision.pk,
        version_number=draft.version,
    )

    [accepted] = draft.approvals.get().accepted_suggestions.all()
    assert (accepted.text, accepted.author) == (" I psa.", expert)
    client.force_login(chair)
    minutes = client.get(
        f"/pl/workspace/meetings/{decision.minutes.meeting_id}/minutes/"
    ).content.decode()
    assert "I psa." in minutes and person_name(expert) in minutes
    page = review.send_to_editors(actor=chair, draft_id=draft.pk)
    page.current_workflow_state.current_task_state.approve(user=editor())
    client.logout()
    public = client.get(RecommendationPage.objects.get(pk=page.pk).url)
    assert "Ala ma kota. I psa." in public.content.decode()
    assert "<q> I psa.</q>" in public.content.decode()
    assert person_name(expert) not in public.content.decode()


def test_versions_and_comparison_list_the_decisions(client):
    draft, creator, expert = draft_with_suggestions()
    suggestions.suggestion_decide(
        actor=creator, draft_id=draft.pk, accept=True, suggestion_id="ins"
    )
    services.draft_save_live(actor=creator, draft_id=draft.pk)
    suggestions.suggestion_decide(
        actor=creator, draft_id=draft.pk, accept=False, suggestion_id="del"
    )
    client.force_login(creator)

    versions = client.get(f"/pl/drafts/{draft.pk}/versions/").content.decode()
    between = client.get(f"/pl/drafts/{draft.pk}/compare/?a=1&b=2").content.decode()

    assert "I psa." in versions and "<q>Ala </q>" in versions
    assert "I psa." in between and "<q>Ala </q>" not in between


def test_the_versions_page_reads_decisions_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    draft, creator, _expert = draft_with_suggestions()
    suggestions.suggestion_decide(actor=creator, draft_id=draft.pk, accept=False)
    client.force_login(creator)
    with django_assert_max_num_queries(40) as captured:
        client.get(f"/pl/drafts/{draft.pk}/versions/")
    for number in range(5):
        SuggestionDecision.objects.create(
            draft=draft,
            suggestion_id=f"more-{number}",
            kind="insertion",
            text="Więcej.",
            author=MembershipFactory(group=draft.group).user,
            accepted=True,
            decided_by=MembershipFactory(group=draft.group).user,
            decided_at=timezone.now(),
        )

    with django_assert_max_num_queries(len(captured)):
        page = client.get(f"/pl/drafts/{draft.pk}/versions/")
    assert page.content.decode().count("Więcej.") == 5
