"""The API exposes the programme's fields (status, indicators, responsible
body, an action's recommendations) in each language, never a draft or a
member's data, and its ``?search=`` finds what the site search finds."""

from decimal import Decimal

import pytest
from hypothesis import given

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from wagtail.models import Locale

from documents.models import RecommendationPage
from home.models import DiagnosisPage
from tests.documents.helpers import recommendations_section
from tests.hostile import hostile_text, quote_text
from tests.pages import home_page, programme_tree, publish, translate
from tests.workgroups.factories import WorkingGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _index_at_once(monkeypatch):
    """Wagtail indexes pages after the commit; the tests roll back."""
    monkeypatch.setattr(transaction, "on_commit", lambda func, *a, **k: func())


def _translated_action(tree):
    """The action in Ukrainian and English, with translated text."""
    pages = [home_page(), tree["programme"], tree["goals"][0], tree["directions"][0]]
    translated = {}
    for code, body, indicator in [
        ("uk", "Тестове управління", "Показник"),
        ("en", "Test office", "Indicator"),
    ]:
        for page in pages:
            translate(page, code)
        action = tree["actions"][0].copy_for_translation(
            Locale.objects.get(language_code=code)
        )
        action.responsible_body = body
        rows = list(action.indicators.all())
        for row in rows:
            row.name = indicator
        action.indicators = rows
        action.save_revision().publish()
        translated[code] = action
    return translated


def _fields(client, page):
    response = client.get(f"/api/v2/pages/{page.pk}/")
    assert response.status_code == 200
    return response.json()


def test_action_fields_in_each_language(client):
    tree = programme_tree()
    polish = tree["actions"][0]
    pages = {"pl": polish, **_translated_action(tree)}
    expected = {
        "pl": ("Urząd testowy", "w realizacji", "Wskaźnik 1"),
        "uk": ("Тестове управління", "виконується", "Показник"),
        "en": ("Test office", "in progress", "Indicator"),
    }

    for code, page in pages.items():
        data = _fields(client, page)
        body, label, indicator = expected[code]
        assert data["meta"]["locale"] == code
        assert data["number"] == "1.1.1"
        assert data["status"] == "in_progress"
        assert data["status_label"] == label
        assert data["responsible_body"] == body
        assert data["start_year"] == 2024 and data["end_year"] == 2026
        assert data["indicators"] == [
            {
                "name": indicator,
                "unit": "osoby",
                "baseline": 0,
                "target": 100,
                "current_value": 40,
                "progress": 40,
            }
        ]
        assert [row["status"] for row in data["status_history"]] == [
            "planned",
            "in_progress",
        ]


def test_programme_fields(client):
    programme = programme_tree()["programme"]
    programme.budget_total = Decimal("1000.50")
    programme.funding_note = "AMIF"
    programme.save_revision().publish()

    data = _fields(client, programme)

    assert data["budget_total"] == "1000.50"
    assert data["funding_note"] == "AMIF"
    assert data["summary"] == "<p>O programie</p>"
    assert "period_start" in data and "funding_eu" in data


def test_action_lists_its_public_recommendations_only(client):
    tree = programme_tree()
    action = tree["actions"][0]
    section = recommendations_section(tree["programme"])
    group = WorkingGroupFactory()
    public = RecommendationPage(
        title="Rekomendacja jawna", slug="jawna", group=group, draft_version=1
    )
    public.actions = [action]
    publish(section, public)
    hidden = RecommendationPage(
        title="Rekomendacja w szkicu", slug="szkic", live=False, group=group
    )
    hidden.actions = [action]
    section.add_child(instance=hidden)

    data = _fields(client, action)

    assert [item["title"] for item in data["recommendations"]] == ["Rekomendacja jawna"]
    assert data["recommendations"][0]["html_url"].endswith("/jawna/")
    recommendation = _fields(client, public)
    for private in ("group", "draft", "decision", "draft_version"):
        assert private not in recommendation
    response = client.get(
        "/api/v2/pages/",
        {"type": "documents.RecommendationPage", "fields": "group,draft"},
    )
    assert response.status_code == 400


def test_unpublished_changes_stay_out_of_the_api(client):
    action = programme_tree()["actions"][0]
    action.responsible_body = "Zmiana w szkicu"
    action.save_revision()

    assert _fields(client, action)["responsible_body"] == "Urząd testowy"


# Every field of an action but Wagtail's ``parent`` (two queries a page, its own).
PROGRAMME_FIELDS = (
    "number,status,status_label,responsible_body,partners,start_year,end_year,"
    "budget_line,indicators,status_history,recommendations,summary"
)


def _listing(client):
    """The actions with every programme field, and the queries it took
    (after a first request that fills the site's caches)."""
    query = {"type": "home.ActionPage", "fields": PROGRAMME_FIELDS, "limit": 50}
    client.get("/api/v2/pages/", query)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v2/pages/", query)
    assert response.status_code == 200
    return response.json()["items"], len(queries.captured_queries)


def test_action_listing_costs_the_same_queries_for_one_or_many(client):
    tree = programme_tree(actions=1)
    section = recommendations_section(tree["programme"])
    recommendation = RecommendationPage(title="R", slug="r", draft_version=1)
    recommendation.actions = [tree["actions"][0]]
    publish(section, recommendation)
    items, few = _listing(client)
    assert len(items) == 1 and items[0]["recommendations"][0]["title"] == "R"

    programme_tree(goals=2, directions=2, actions=3, indicators=2, slug="drugi")
    items, many = _listing(client)

    assert len(items) == 13
    assert all(len(item["indicators"]) in (1, 2) for item in items)
    assert many == few <= 16


def test_search_finds_what_the_site_search_finds(client):
    tree = programme_tree()
    publish(
        tree["programme"],
        DiagnosisPage(
            title="Diagnoza",
            slug="diagnoza",
            summary="<p>Wynajem mieszkania przez cudzoziemców.</p>",
        ),
    )
    site = client.get("/pl/szukaj/", {"q": "cudzoziemcami"})
    site_titles = {hit.title for hit in site.context["results"].hits}

    response = client.get("/api/v2/pages/", {"search": "cudzoziemcami"})

    assert response.status_code == 200
    assert site_titles == {"Diagnoza"}
    assert {item["title"] for item in response.json()["items"]} == site_titles


@pytest.mark.parametrize(
    "search", ["", "  ?! ", "a\x00b", "x" * 201, "\x1b[31m"], ids=repr
)
def test_search_input_it_cannot_use_is_a_clear_400(client, search):
    response = client.get("/api/v2/pages/", {"search": search})

    assert response.status_code == 400
    assert response.json()["message"].startswith("search")


def test_unknown_search_operator_is_a_400(client):
    response = client.get(
        "/api/v2/pages/", {"search": "program", "search_operator": "xor"}
    )

    assert response.status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "locale=a%00b",
        "html_path=/a%00b/",
        "slug=a%00",
        "status=a%00",
        "fields=a%00",
        "a%00=1",
    ],
)
def test_a_nul_in_any_query_parameter_is_a_clear_400(client, query):
    """PostgreSQL cannot compare text holding a NUL; SQLite can: the same
    400 on both."""
    for url in ("/api/v2/pages/", "/api/v2/pages/find/"):
        response = client.get(f"{url}?{query}")

        assert response.status_code == 400
        assert "NUL" in response.json()["message"]


@given(search=hostile_text)
def test_any_search_gets_results_or_a_clear_400(client, search):
    response = client.get(f"/api/v2/pages/?search={quote_text(search)}")

    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.json()["message"].startswith("search")
