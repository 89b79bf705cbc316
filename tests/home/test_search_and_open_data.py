"""Search, feeds, the API and the sitemap show live public pages only
(docs/security.md, AC-07, AC-10, AC-11, HD-04)."""

import copy

import pytest

from wagtail.models import PageViewRestriction

from home.models import DiagnosisPage
from home.urls_absolute import page_url
from tests.conftest import written_once
from tests.pages import home_page, programme_tree, publish, translate

pytestmark = pytest.mark.django_db


def _run_on_commit_at_once(monkeypatch):
    """Wagtail updates its search index after the transaction commits; tests
    roll back instead, so run those callbacks at once."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, *a, **k: func())


@pytest.fixture(autouse=True)
def _index_at_once(monkeypatch):
    _run_on_commit_at_once(monkeypatch)


TOKEN = "zeppelinowy"


@pytest.fixture(scope="module")
def pages_with_token_once(django_db_setup, django_db_blocker):
    """Built once for the module's tests, each of which runs in a transaction
    of its own inside the one that holds it."""
    with written_once(django_db_blocker):
        with pytest.MonkeyPatch.context() as monkeypatch:
            _run_on_commit_at_once(monkeypatch)
            pages_with_token = _build_pages_with_token()
        yield pages_with_token


@pytest.fixture
def pages_with_token(pages_with_token_once):
    """A public page, a draft, a private page and a live page with unpublished
    changes, each carrying the token (fresh objects for each test)."""
    return copy.deepcopy(pages_with_token_once)


def _build_pages_with_token():
    tree = programme_tree(directions=2)
    programme = tree["programme"]
    public = publish(
        programme,
        DiagnosisPage(
            title="Diagnoza",
            slug="diagnoza",
            summary="<p>Wynajem mieszkania przez cudzoziemców.</p>",
        ),
    )
    draft = DiagnosisPage(
        title=f"Szkic {TOKEN}", slug="szkic", summary=f"<p>{TOKEN}</p>", live=False
    )
    programme.add_child(instance=draft)
    draft.save_revision()
    private = tree["directions"][0]
    private.title = f"Kierunek {TOKEN}"
    private.save_revision().publish()
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    changed = tree["actions"][0]
    changed.title = f"Zmiana {TOKEN}"
    changed.save_revision()  # not published
    return {"public": public, "draft": draft, "private": private, "tree": tree}


@pytest.mark.parametrize(
    "query", ["mieszkaniami", "mieszkanie", "cudzoziemcami", "Mieszkań"]
)
def test_inflected_polish_query_finds_the_base_form(client, pages_with_token, query):
    response = client.get("/pl/szukaj/", {"q": query})

    assert pages_with_token["public"].title in response.text
    assert "<mark>" in response.text
    assert (
        response.headers.get("Cache-Control") is None
        or "public" not in (response.headers["Cache-Control"])
    )


def test_ukrainian_and_english_queries_find_their_base_forms(client, pages_with_token):
    ukrainian = translate(home_page(), "uk")
    english = translate(home_page(), "en")
    publish(
        ukrainian,
        DiagnosisPage(
            title="Житло", slug="zhytlo", summary="<p>Оренда житла для іноземців.</p>"
        ),
    )
    publish(
        english,
        DiagnosisPage(
            title="Housing",
            slug="housing",
            summary="<p>Renting flats for foreigners.</p>",
        ),
    )

    assert "Оренда" in client.get("/uk/szukaj/", {"q": "іноземцями житлом"}).text
    assert "Renting" in client.get("/en/szukaj/", {"q": "foreigner flat"}).text
    # Only the reader's language.
    assert "Оренда" not in client.get("/en/szukaj/", {"q": "іноземцями"}).text


def test_search_counts_results_and_says_when_nothing_is_found(client, pages_with_token):
    found = client.get("/pl/szukaj/", {"q": "mieszkanie"})
    nothing = client.get("/pl/szukaj/", {"q": "qwertyuiop"})

    assert "1 wynik" in found.text
    assert "search-empty" in nothing.text


def test_search_paginates(client, pages_with_token):
    for number in range(12):
        publish(
            pages_with_token["tree"]["programme"],
            DiagnosisPage(
                title=f"Strona {number}", slug=f"s-{number}", summary="<p>Kraków</p>"
            ),
        )

    first = client.get("/pl/szukaj/", {"q": "Kraków"})
    second = client.get("/pl/szukaj/", {"q": "Kraków", "page": 2})

    assert "12 wyników" in first.text
    assert "page=2" in first.text
    assert second.text.count("search-results__title") == 2


def test_search_never_shows_draft_private_or_unpublished_content(
    client, pages_with_token, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        response = client.get("/pl/szukaj/", {"q": TOKEN})

    assert "search-results" not in response.text
    assert "search-empty" in response.text


def test_feeds_show_public_live_pages_only(client, pages_with_token):
    for url in ["/pl/feeds/programme.rss", "/pl/feeds/programme.atom"]:
        response = client.get(url)

        assert response.status_code == 200
        assert "Diagnoza" in response.text
        assert TOKEN not in response.text


def test_api_lists_public_live_pages_only(client, pages_with_token):
    response = client.get("/api/v2/pages/", {"limit": 50})

    assert response.status_code == 200
    titles = {item["title"] for item in response.json()["items"]}
    assert "Diagnoza" in titles
    assert not any(TOKEN in title for title in titles)
    for page in [pages_with_token["private"], pages_with_token["draft"]]:
        response = client.get(f"/api/v2/pages/{page.pk}/", follow=True)
        assert response.status_code == 404


def test_api_has_no_documents_or_images_endpoint(client):
    for url in ["/api/v2/documents/", "/api/v2/images/"]:
        assert client.get(url, follow=True).status_code == 404


def test_sitemap_lists_every_language_version_and_no_private_page(
    client, pages_with_token
):
    translate(home_page(), "uk")

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    text = response.content.decode()
    assert page_url(pages_with_token["public"]) in text
    assert 'hreflang="uk"' in text
    assert "/uk/" in text
    assert TOKEN not in text
    assert page_url(pages_with_token["private"]) not in text
    assert "szkic" not in text


def test_private_page_is_never_served_from_the_cache(client, pages_with_token, user):
    private = pages_with_token["private"]
    # An allowed reader sees it; the response must not be stored for others.
    client.force_login(user)
    assert client.get(private.url).status_code == 200
    client.logout()

    response = client.get(private.url)

    assert response.status_code == 302


def test_page_made_private_disappears_from_the_cache_at_once(client, pages_with_token):
    action = pages_with_token["tree"]["actions"][-1]
    assert client.get(action.url).status_code == 200

    PageViewRestriction.objects.create(
        page=action, restriction_type=PageViewRestriction.LOGIN
    )

    assert client.get(action.url).status_code == 302
    assert client.get(pages_with_token["tree"]["goals"][0].url).status_code == 200
