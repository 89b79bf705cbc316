"""The proposal pages: who gets what (members 200, everyone else 404), the
ballot through the page, what a secret ballot never shows, query counts."""

import json

import pytest

from django.urls import reverse

from home.personal_data import personal_data
from tests.factories import UserFactory
from tests.workgroups.factories import AgendaItemFactory, MeetingFactory
from tests.workgroups.proposal_helpers import make_due, open_proposal, vote
from workgroups.models import Ballot, Membership, Proposal
from workgroups.models.record import minutes_canonical_text
from workgroups.services import proposals as services

pytestmark = pytest.mark.django_db

Role = Membership.Role
SECRET_REASON = "Powód znany tylko mnie"


def _page(client, user, proposal, name="proposal"):
    client.force_login(user)
    return client.get(reverse(f"workgroups:{name}", args=[proposal.pk]))


def test_members_see_the_proposal_everyone_else_gets_404(client):
    roles, proposal = open_proposal()
    for membership in roles.values():
        assert _page(client, membership.user, proposal).status_code == 200
    assert _page(client, UserFactory(), proposal).status_code == 404
    former = roles[Role.EXPERT]
    former.delete()
    assert _page(client, former.user, proposal).status_code == 404
    client.logout()
    response = client.get(reverse("workgroups:proposal", args=[proposal.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_member_votes_and_changes_the_vote_through_the_page(client):
    roles, proposal = open_proposal()
    url = reverse("workgroups:proposal_vote", args=[proposal.pk])
    client.force_login(roles[Role.EXPERT].user)
    client.post(url, {"choice": "disagree", "reason": "Za drogo"})
    response = client.post(url, {"choice": "agree"}, follow=True)
    assert "Zmień mój głos" in response.text
    assert Ballot.objects.get().choice == "agree"


def test_an_observer_has_no_ballot_and_posting_one_gets_404(client):
    roles, proposal = open_proposal()
    response = _page(client, roles[Role.OBSERVER].user, proposal)
    assert 'name="choice"' not in response.text
    response = client.post(
        reverse("workgroups:proposal_vote", args=[proposal.pk]), {"choice": "agree"}
    )
    assert response.status_code == 404
    assert not Ballot.objects.exists()


def test_the_open_ballot_names_the_votes_before_and_after_closing(client):
    roles, proposal = open_proposal()
    vote(roles, Role.EXPERT, proposal, "block", reason="Brak konsultacji")
    vote(roles, Role.CHAIR, proposal, "agree")
    name = roles[Role.EXPERT].user.get_full_name()
    response = _page(client, roles[Role.OBSERVER].user, proposal)
    assert name in response.text and "Brak konsultacji" in response.text
    make_due(proposal)
    services.proposals_close_due()
    response = _page(client, roles[Role.OBSERVER].user, proposal)
    assert name in response.text and "Brak konsultacji" in response.text


def _secret_world():
    roles, proposal = open_proposal(secret=True)
    vote(roles, Role.EXPERT, proposal, "block", reason=SECRET_REASON)
    vote(roles, Role.SECRETARY, proposal, "agree")
    return roles, proposal


def _assert_nothing_personal(text, roles):
    assert SECRET_REASON not in text
    for role in (Role.EXPERT, Role.SECRETARY):
        user = roles[role].user
        assert user.get_full_name() not in text
        assert user.email not in text


def test_a_secret_ballot_shows_totals_only_open_and_closed(client):
    roles, proposal = _secret_world()
    for name in ("proposal", "proposal_results"):
        response = _page(client, roles[Role.CHAIR].user, proposal, name)
        assert "blokuje: 1" in response.text
        _assert_nothing_personal(response.text, roles)
    make_due(proposal)
    services.proposals_close_due()
    for name in ("proposal", "proposal_results"):
        response = _page(client, roles[Role.CHAIR].user, proposal, name)
        _assert_nothing_personal(response.text, roles)
    register = client.get(
        reverse("workgroups:decisions", args=[proposal.group_id])
    ).text
    _assert_nothing_personal(register, roles)


def test_a_secret_ballot_is_in_no_one_elses_personal_data_export():
    roles, proposal = _secret_world()
    make_due(proposal)
    services.proposals_close_due()
    other = json.dumps(personal_data(roles[Role.CHAIR].user), default=str)
    _assert_nothing_personal(other, roles)
    own = personal_data(roles[Role.EXPERT].user)["workgroups"]["votes"]
    assert [(v["choice"], v["reason"]) for v in own] == [("block", SECRET_REASON)]


def test_a_secret_vote_in_a_meeting_leaves_no_names_in_the_minutes_export():
    roles, _p = open_proposal()
    item = AgendaItemFactory(meeting=MeetingFactory(group=roles[Role.CHAIR].group))
    _r, proposal = open_proposal(roles, agenda_item=item, secret=True)
    vote(roles, Role.EXPERT, proposal, "disagree", reason=SECRET_REASON)
    vote(roles, Role.CHAIR, proposal, "agree")
    services.proposal_close(actor=roles[Role.SECRETARY].user, proposal=proposal)
    minutes = Proposal.objects.get(pk=proposal.pk).decision.minutes
    text = minutes_canonical_text(minutes)
    # The attendance list names who was there, as it must; after it, the
    # record of the vote names nobody.
    attendance, _sep, record = text.partition("Kworum")
    assert roles[Role.EXPERT].user.get_full_name() in attendance
    _assert_nothing_personal(record, roles)


def test_the_ballot_model_is_in_no_admin_view():
    from wagtail.snippets.models import get_snippet_models

    assert Ballot not in get_snippet_models()
    assert Proposal not in get_snippet_models()


def test_results_after_close_are_hidden_while_open(client):
    roles, proposal = open_proposal(results_after_close=True)
    vote(roles, Role.EXPERT, proposal, "disagree")
    response = _page(client, roles[Role.CHAIR].user, proposal)
    assert "przeciw: 1" not in response.text
    assert roles[Role.EXPERT].user.get_full_name() not in response.text


def test_the_chair_opens_a_vote_on_an_agenda_item_through_the_page(client):
    roles, _p = open_proposal()
    item = AgendaItemFactory(meeting=MeetingFactory(group=roles[Role.CHAIR].group))
    client.force_login(roles[Role.SECRETARY].user)
    url = reverse("workgroups:proposal_create", args=[item.meeting.group_id])
    assert client.get(url, {"agenda_item": item.pk}).status_code == 200
    response = client.post(
        url,
        {
            "title": "Przyjęcie harmonogramu",
            "kind": "consent",
            "closes_at": "2031-01-01T12:00",
            "agenda_item": item.pk,
        },
    )
    created = Proposal.objects.get(title="Przyjęcie harmonogramu")
    assert response["Location"] == created.get_absolute_url()
    assert created.agenda_item == item
    client.force_login(roles[Role.EXPERT].user)
    assert client.get(url).status_code == 404


def test_a_member_absent_from_the_meeting_is_told_why_there_is_no_ballot(client):
    roles, _p = open_proposal()
    item = AgendaItemFactory(meeting=MeetingFactory(group=roles[Role.CHAIR].group))
    _r, proposal = open_proposal(
        roles, agenda_item=item, present=[roles[Role.CHAIR].user]
    )
    url = reverse("workgroups:proposal", args=[proposal.pk])
    client.force_login(roles[Role.EXPERT].user)
    absent = client.get(url.replace("/pl/", "/en/", 1))
    assert "only members recorded as present vote" in absent.text
    assert 'name="choice"' not in absent.text
    client.force_login(roles[Role.CHAIR].user)
    assert 'name="choice"' in client.get(url).text


@pytest.mark.parametrize("size", [1, 6])
def test_the_proposal_page_queries_are_pinned(client, django_assert_num_queries, size):
    roles, proposal = open_proposal()
    group = roles[Role.CHAIR].group
    for _ in range(size):
        member = Membership.objects.create(group=group, user=UserFactory())
        services.ballot_cast(actor=member.user, proposal=proposal, choice="agree")
    client.force_login(roles[Role.EXPERT].user)
    url = reverse("workgroups:proposal", args=[proposal.pk])
    client.get(url)  # the per-process caches (site root, restricted paths) warm
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200


def test_the_private_calendar_feed_carries_closing_times(client):
    from icalendar import Calendar

    from workgroups.services.notifications import calendar_feed_create

    roles, proposal = open_proposal()
    _other_roles, other = open_proposal(title="Cudzy")
    token = calendar_feed_create(user=roles[Role.EXPERT].user)
    response = client.get(reverse("workgroups:calendar_feed", args=[token]))
    events = {
        str(e["uid"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")
    }
    event = events[f"proposal-{proposal.pk}@platforma-wspolpracy"]
    assert event.decoded("dtstart") == proposal.closes_at.replace(microsecond=0)
    assert f"proposal-{other.pk}@platforma-wspolpracy" not in events


def test_the_command_closes_what_is_due(client):
    from django.core.management import call_command

    roles, proposal = open_proposal()
    vote(roles, Role.EXPERT, proposal)
    vote(roles, Role.CHAIR, proposal)
    make_due(proposal)
    call_command("close_due_proposals", verbosity=0)
    assert Proposal.objects.get().outcome == Proposal.Outcome.CARRIED


def test_a_proposal_raised_from_a_topic_links_back_to_it(client):
    from workgroups.discussion import services as discussion

    roles, _p = open_proposal()
    chair = roles[Role.CHAIR].user
    room = roles[Role.CHAIR].group.room
    topic = discussion.topic_create(actor=chair, room=room, title="Staże")
    client.force_login(chair)
    topic_page = client.get(
        reverse("discussion:topic", args=[room.group_id, topic.pk])
    ).text
    create = reverse("workgroups:proposal_create", args=[room.group_id])
    assert f"{create}?topic={topic.pk}" in topic_page
    client.post(
        create,
        {
            "title": "Z wątku",
            "kind": "consent",
            "closes_at": "2031-01-01T12:00",
            "topic": topic.pk,
        },
    )
    proposal = Proposal.objects.get(title="Z wątku")
    assert proposal.topic == topic
    assert "Staże" in _page(client, chair, proposal).text


def test_past_its_time_the_page_offers_no_ballot_until_it_is_closed(client):
    roles, proposal = open_proposal()
    make_due(proposal)
    response = _page(client, roles[Role.EXPERT].user, proposal)
    assert 'name="choice"' not in response.text
    assert "trwa liczenie" in response.text


def test_the_group_page_and_agenda_items_lead_to_votes(client):
    roles, _p = open_proposal()
    group = roles[Role.CHAIR].group
    item = AgendaItemFactory(meeting=MeetingFactory(group=group))
    _r, in_meeting = open_proposal(roles, agenda_item=item, title="Na posiedzeniu")
    proposals = reverse("workgroups:proposals", args=[group.pk])
    create = reverse("workgroups:proposal_create", args=[group.pk])
    client.force_login(roles[Role.SECRETARY].user)
    assert proposals in client.get(reverse("workgroups:group", args=[group.pk])).text
    meeting_page = client.get(reverse("workgroups:meeting", args=[item.meeting_id]))
    assert f"{create}?agenda_item={item.pk}" in meeting_page.text
    assert in_meeting.get_absolute_url() in meeting_page.text
    client.force_login(roles[Role.EXPERT].user)
    meeting_page = client.get(reverse("workgroups:meeting", args=[item.meeting_id]))
    assert create not in meeting_page.text


@pytest.mark.parametrize("size", [1, 6])
def test_the_proposal_list_queries_are_pinned(client, django_assert_num_queries, size):
    roles, _p = open_proposal()
    for number in range(size):
        open_proposal(roles, title=f"Wniosek {number}")
    client.force_login(roles[Role.OBSERVER].user)
    url = reverse("workgroups:proposals", args=[roles[Role.CHAIR].group_id])
    client.get(url)  # the per-process caches (site root, restricted paths) warm
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200
