"""Every public page type costs at most 10 queries when it is not served from
the response cache, and as many on a large site as on a small one (the
programme's own pages: tests/home/test_programme.py::TestQueryCount)."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents import review
from documents.models import RecommendationPage
from home.models import DiagnosisPage, HelpPage
from tests.documents.helpers import (
    approved_by_group,
    chair_of,
    group_with_draft,
    recommendations_section,
)
from tests.factories import editor
from tests.pages import accessibility_statement, home_page, programme_tree, publish

pytestmark = pytest.mark.django_db

MISS_LIMIT = 10


def _site(size):
    """A site with ``size`` actions, help pages and recommendations; the
    first recommendation comes through the group's review (so that its page
    shows the provenance) and names every action."""
    tree = programme_tree(actions=size, slug=f"program-{size}")
    index = recommendations_section(tree["programme"])
    author, draft = group_with_draft()
    draft.actions.set(tree["actions"])
    chair = chair_of(draft.group)
    approved_by_group(draft, chair)
    page = review.send_to_editors(actor=chair, draft_id=draft.pk)
    page = RecommendationPage.objects.get(pk=page.pk)
    page.current_workflow_state.current_task_state.approve(user=editor())
    for number in range(1, size):
        publish(
            index, RecommendationPage(title=f"Inna {number}", slug=f"inna-{number}")
        )
    home = home_page()
    for number in range(size):
        publish(home, HelpPage(title=f"Pomoc {number}", slug=f"pomoc-{size}-{number}"))
    return {
        "home": home,
        "help": HelpPage.objects.filter(slug=f"pomoc-{size}-0").get(),
        "diagnosis": publish(
            tree["programme"], DiagnosisPage(title="Diagnoza", slug="diagnoza")
        ),
        "accessibility": publish(
            home, accessibility_statement(slug=f"deklaracja-{size}")
        ),
        "recommendations": index,
        "recommendation": RecommendationPage.objects.get(pk=page.pk),
    }


def _count(client, url):
    client.get(url)  # Wagtail's own caches (site root paths) warm
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.slow
def test_every_public_page_type_costs_at_most_ten_queries_whatever_the_size(
    client, settings
):
    settings.PUBLIC_PAGE_RESPONSE_CACHE = False
    small, large = _site(1), _site(4)

    counts = {
        name: (_count(client, small[name].url), _count(client, large[name].url))
        for name in small
    }

    for name, (on_small, on_large) in counts.items():
        assert on_small == on_large, (name, counts)
        assert on_large <= MISS_LIMIT, (name, counts)
    assert "Inna 3" in client.get(large["recommendations"].url).text


def test_a_restriction_added_above_a_served_page_applies_at_once(client):
    from wagtail.models import PageViewRestriction

    tree = programme_tree()
    action = tree["actions"][0]
    assert client.get(action.url).status_code == 200  # remembered: no restriction
    assert "Działanie 1.1.1" in client.get(tree["monitoring"].url).text

    PageViewRestriction.objects.create(
        page=tree["goals"][0], restriction_type=PageViewRestriction.LOGIN
    )

    assert client.get(action.url).status_code == 302
    assert "Działanie 1.1.1" not in client.get(tree["monitoring"].url).text
