"""Proposals in real browsers: the chair puts a proposal to the vote, two
members vote from their own browsers, the chair's page updates live and says
so politely, and closing puts the decision into the register and the next
meeting's minutes. The pages pass axe-core on the way."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import assert_accessible
from workgroups.models import Proposal, WorkingGroup

CHAIR = "przewodniczaca@example.org"
EXPERT = "ekspert@example.org"
SECRETARY = "sekretarz@example.org"
TITLE = "Wspólne stanowisko w sprawie staży (test przeglądarki)"


@pytest.fixture
def group_id(demo_site, django_db_blocker):
    with django_db_blocker.unblock():
        return WorkingGroup.objects.get(slug="rynek-pracy").pk


def _vote(page, path, label):
    page.goto(path)
    page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Głosuj").click()
    expect(page.get_by_text("Twój głos został zapisany")).to_be_visible()


def test_chair_opens_members_vote_live_and_closing_records_the_decision(
    person, axe, group_id, django_db_blocker
):
    chair = person(CHAIR)
    chair.goto(f"/pl/workspace/groups/{group_id}/proposals/new/")
    assert_accessible(axe, chair)
    chair.get_by_label("Tytuł").fill(TITLE)
    chair.locator("#id_text").fill("Zespół przyjmuje stanowisko.")
    chair.locator("#id_closes_at").fill("2031-01-15T12:00")
    chair.get_by_role("button", name="Otwórz głosowanie").click()
    expect(chair.get_by_role("heading", name=TITLE)).to_be_visible()
    path = re.sub(r"^https?://[^/]+", "", chair.url)
    assert_accessible(axe, chair)
    summary = chair.locator("[data-proposal-results] [data-summary]")
    expect(summary).to_contain_text("Zagłosowało 0 z 3")

    expert = person(EXPERT)
    _vote(expert, path, "za")
    expect(summary).to_contain_text("Zagłosowało 1 z 3")
    expect(chair.locator("[data-announcer]")).to_contain_text("Zagłosowało 1 z 3")

    secretary = person(SECRETARY)
    _vote(secretary, path, "wstrzymuję się")
    expect(summary).to_contain_text("Zagłosowało 2 z 3")
    expect(chair.get_by_role("cell", name="wstrzymuję się")).to_be_visible()

    _vote(chair, path, "za")
    chair.get_by_role("button", name="Zamknij głosowanie teraz").click()
    expect(chair.get_by_text("przyjęty", exact=True)).to_be_visible()
    assert_accessible(axe, chair)

    with django_db_blocker.unblock():
        decision = Proposal.objects.get(title=TITLE).decision
        meeting_id = decision.minutes.meeting_id
    chair.get_by_role("link", name="Decyzja jest w rejestrze decyzji.").click()
    expect(chair.get_by_text(f"Wniosek „{TITLE}”: przyjęty.")).to_be_visible()
    chair.goto(f"/pl/workspace/meetings/{meeting_id}/minutes/")
    expect(
        chair.get_by_role("heading", name="Decyzja podjęta między posiedzeniami")
        .locator("xpath=..")
        .filter(has_text=TITLE)
    ).to_be_visible()
