import re

import pytest

from django.core.cache import cache

from home.models import DiagnosisPage, HelpPage, InfoPoint
from tests.conftest import written_once
from tests.pages import (
    accessibility_statement,
    home_page,
    programme_tree,
    publish,
    translate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_response_cache(settings):
    """Measure the real rendering, not the replay of a stored response."""
    settings.PUBLIC_PAGE_RESPONSE_CACHE = False


def test_programme_page_lists_goals_and_directions(client):
    tree = programme_tree(goals=2, directions=2)

    response = client.get(tree["programme"].url)

    assert response.status_code == 200
    assert "1. Cel 1" in response.text
    assert "2.2. Kierunek 2.2" in response.text
    assert "Monitoring" in response.text


def test_goal_page_lists_its_directions_and_actions(client):
    tree = programme_tree(directions=2, actions=2)

    response = client.get(tree["goals"][0].url)

    assert "1.2.2. Działanie 1.2.2" in response.text
    assert response.text.count("<h1>") == 1


def test_action_page_shows_details_indicators_and_status_history(client):
    tree = programme_tree(indicators=2)
    action = tree["actions"][0]

    response = client.get(action.url)

    text = response.text
    assert "Urząd testowy" in text
    assert "2024–2026" in text
    assert "Wskaźnik 2" in text
    assert "Rozpoczęto nabór" in text
    # The newest status change comes first.
    assert text.index("Rozpoczęto nabór") < text.index("15 stycznia 2024")
    assert 'aria-current="page"' in text  # breadcrumbs


def test_monitoring_page_shows_every_action_in_a_table_and_a_text_chart(client):
    tree = programme_tree(goals=2, actions=2)

    response = client.get(tree["monitoring"].url)

    text = response.text
    for action in tree["actions"]:
        assert action.numbered_title in text
    assert "<caption>" in text
    assert re.search(r"4 \w+ \(100%\)", text)  # the chart's values are text
    assert "40%" in text  # indicator progress


def test_printable_programme_holds_the_whole_tree(client):
    tree = programme_tree(goals=2, directions=2, actions=2)

    response = client.get(tree["programme"].url + "druk/")

    assert response.status_code == 200
    for action in tree["actions"]:
        assert action.numbered_title in response.text
    assert "print.css" in response.text


def test_diagnosis_help_and_statement_pages_render(client):
    home = home_page()
    tree = programme_tree()
    diagnosis = publish(
        tree["programme"],
        DiagnosisPage(
            title="Diagnoza",
            slug="diagnoza",
            body=[
                ("heading", {"text": "Liczby", "level": "h2"}),
                ("statistic", {"value": "34", "label": "soboty", "source": "Raport"}),
                (
                    "table",
                    {
                        "caption": "Budżet",
                        "table": {"data": [["Pozycja", "Kwota"], ["A", "1"]]},
                    },
                ),
            ],
        ),
    )
    InfoPoint.objects.create(
        locale=home.locale, name="Punkt w Tarnowie", address="Al. Solidarności 5-9"
    )
    help_page = publish(home, HelpPage(title="Gdzie uzyskać pomoc", slug="pomoc"))

    diagnosis_text = client.get(diagnosis.url).text
    assert "<caption>Budżet</caption>" in diagnosis_text
    assert "Źródło: Raport" in diagnosis_text
    assert "Al. Solidarności 5-9" in client.get(help_page.url).text
    assert "Al. Solidarności 5-9" in client.get(home.url).text


def test_accessibility_statement_has_the_sections_the_law_requires(client):
    statement = publish(home_page(), accessibility_statement())

    text = client.get(statement.url).text

    for heading in [
        "Data publikacji i aktualizacji",
        "Status pod względem zgodności",
        "Przygotowanie deklaracji dostępności",
        "Informacje zwrotne i dane kontaktowe",
        "Procedura wnioskowo-skargowa",
        "Dostępność architektoniczna",
        "Aplikacje mobilne",
    ]:
        assert heading in text
    # Linked from the footer of every page.
    assert statement.url in client.get(home_page().url).text


def test_translation_is_served_in_its_language_and_switcher_links_it(client):
    tree = programme_tree()
    action = tree["actions"][0]
    for page in [
        home_page(),
        tree["programme"],
        tree["goals"][0],
        tree["directions"][0],
    ]:
        translate(page, "uk")
    ukrainian = translate(action, "uk", title="Дія")

    response = client.get(action.url)

    assert ukrainian.url in response.text
    assert "Дія" in client.get(ukrainian.url).text


@pytest.fixture(scope="class")
def small_and_large_programme(django_db_setup, django_db_blocker):
    """A programme of one goal, direction, action and indicator, and one of
    five of each: built once for the six pages' counts, which only read them
    (the large one is the slowest thing the suite builds)."""
    with written_once(django_db_blocker):
        yield (
            programme_tree(slug="program-maly"),
            programme_tree(goals=5, directions=5, actions=5, indicators=5),
        )


@pytest.mark.slow
class TestQueryCount:
    """A page of the programme costs as many queries on the large programme
    as on the small one."""

    @pytest.mark.parametrize(
        "which",
        [
            "programme",
            "goal",
            "direction",
            "action",
            "monitoring",
            "print",
            "docx",
            "pdf",
        ],
    )
    def test_query_count_does_not_grow_with_the_programme(
        self,
        client,
        no_response_cache,
        django_assert_max_num_queries,
        small_and_large_programme,
        which,
    ):
        def url(tree):
            return {
                "programme": tree["programme"].url,
                "goal": tree["goals"][0].url,
                "direction": tree["directions"][0].url,
                "action": tree["actions"][0].url,
                "monitoring": tree["monitoring"].url,
                "print": tree["programme"].url + "druk/",
                "docx": tree["programme"].url + "docx/",
                "pdf": tree["programme"].url + "pdf/",
            }[which]

        def count(tree):
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            client.get(url(tree))  # Wagtail's own caches (site root paths) warm
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url(tree)).status_code == 200
            return len(queries)

        small_tree, tree = small_and_large_programme
        small = count(small_tree)
        large = count(tree)

        assert large == small
        # The printable programme (and its DOCX and PDF) reads its page tree of five
        # types in one query, then the actions' details and recommendations.
        with django_assert_max_num_queries(10):
            client.get(url(tree))


def test_anonymous_responses_are_replayed_without_queries(
    client, django_assert_num_queries
):
    tree = programme_tree()
    client.get(tree["actions"][0].url)

    with django_assert_num_queries(0):
        response = client.get(tree["actions"][0].url)

    assert "Działanie 1.1.1" in response.text


def test_published_change_shows_at_once(client):
    tree = programme_tree()
    action = tree["actions"][0]
    client.get(action.url)

    action.title = "Nowy tytuł działania"
    action.save_revision().publish()

    assert "Nowy tytuł działania" in client.get(action.url).text


def test_a_publish_purges_the_page_in_every_language(client):
    tree = programme_tree()
    action = tree["actions"][0]
    versions = {"pl": action}
    for language in ("uk", "en"):
        for page in [
            home_page(),
            tree["programme"],
            tree["goals"][0],
            tree["directions"][0],
        ]:
            translate(page, language)
        versions[language] = translate(action, language, title=f"Action {language}")

    for language, page in versions.items():
        for shown in versions.values():
            client.get(shown.url)  # every language stored
        page.title = f"Changed {language}"
        page.save_revision().publish()

        assert f"Changed {language}" in client.get(page.url).text


def test_a_replayed_response_sets_no_cookie_and_keeps_its_vary(client):
    tree = programme_tree()
    url = tree["actions"][0].url
    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")

    replayed = client.get(url, HTTP_ACCEPT_ENCODING="gzip")

    assert not replayed.cookies
    assert "Set-Cookie" not in replayed.headers
    assert "Accept-Encoding" in replayed.headers["Vary"]
    assert replayed.headers["Vary"] == first.headers["Vary"]
    assert replayed.content == first.content


def test_signed_in_reader_is_never_served_a_stored_page(client, user):
    tree = programme_tree()
    client.get(tree["actions"][0].url)
    client.force_login(user)

    response = client.get(tree["actions"][0].url)

    assert "private" in response.headers["Cache-Control"]
    assert cache.get("unused") is None


def test_stored_response_matches_the_readers_encoding(client):
    tree = programme_tree()
    url = tree["actions"][0].url
    compressed = client.get(url, HTTP_ACCEPT_ENCODING="gzip")

    plain = client.get(url)

    assert compressed.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain.headers
    assert "Działanie 1.1.1" in plain.content.decode()


def test_home_page_first_load_stays_under_100_kb_compressed(client):
    import gzip

    programme_tree()
    response = client.get(home_page().url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    total = len(response.content)

    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert assets  # the stylesheets at least
    for asset in assets:
        body = b"".join(client.get(asset).streaming_content)
        total += len(gzip.compress(body))

    assert total < 100 * 1024
