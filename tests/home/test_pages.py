import pytest

from tests.pages import home_page, publish, translate

pytestmark = pytest.mark.django_db


def test_root_redirects_to_polish_home_page(client):
    response = client.get("/", headers={"accept-language": ""})

    assert response.status_code == 302
    assert response["Location"] == "/pl/"


@pytest.mark.parametrize("language", ["pl", "uk", "en"])
def test_home_page_is_served_in_each_language(client, language):
    home = home_page()
    if language != "pl":
        translate(home, language, title=f"Home {language}")

    response = client.get(f"/{language}/")

    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()


def test_layout_has_skip_link_landmarks_and_one_heading(client):
    html = client.get("/pl/").content.decode()

    assert '<a class="skip-link" href="#main">Przejdź do treści głównej</a>' in html
    assert html.count("<h1") == 1
    for landmark in ("<header", '<main id="main"', "<footer", "<nav"):
        assert landmark in html


def test_footer_carries_programme_name_and_funding_notice(client):
    html = client.get("/pl/").content.decode()

    assert "Małopolska otwarta" in html
    assert "Funduszu Azylu, Migracji i Integracji" in html


def test_interface_follows_language_prefix(client):
    translate(home_page(), "uk", title="Платформа співпраці")

    html = client.get("/uk/").content.decode()

    assert "Перейти до основного вмісту" in html
    assert "Увійти" in html


def test_language_switcher_links_to_translation_of_the_page(client):
    translate(home_page(), "en", title="Cooperation Platform", slug="home-en")

    html = client.get("/pl/").content.decode()

    assert 'href="/en/" lang="en" hreflang="en">English</a>' in html
    assert 'href="/pl/" lang="pl" hreflang="pl" aria-current="true">Polski</a>' in html


def test_language_switcher_says_when_a_page_is_not_translated(client):
    html = client.get("/pl/").content.decode()

    assert (
        '<span class="language-switcher__missing">'
        "(цю сторінку не перекладено: головна сторінка)</span>"
    ) in html


def test_language_switcher_keeps_the_reader_on_a_non_page_view(client):
    html = client.get("/en/accounts/login/").content.decode()

    assert 'href="/pl/accounts/login/"' in html
    assert 'href="/uk/accounts/login/"' in html


def test_home_page_query_count_is_bounded(client, django_assert_max_num_queries):
    for language in ("uk", "en"):
        translate(home_page(), language, title=f"Home {language}")
    client.get("/pl/")  # warm Wagtail's site cache as a running server has it

    with django_assert_max_num_queries(6):
        response = client.get("/pl/")

    assert response.status_code == 200


def test_html_is_served_compressed(client):
    response = client.get("/pl/", headers={"accept-encoding": "gzip"})

    assert response["Content-Encoding"] == "gzip"


@pytest.mark.parametrize(
    ("language", "groups", "recommendations"),
    [
        ("pl", "Zespoły robocze", "Rekomendacje"),
        ("uk", "Робочі групи", "Рекомендації"),
        ("en", "Working groups", "Recommendations"),
    ],
)
def test_main_menu_leads_to_working_groups_and_recommendations(
    client, language, groups, recommendations
):
    from documents.models import RecommendationIndexPage

    home = home_page()
    if language != "pl":
        home = translate(home, language, title="Home", slug=f"home-{language}")
    index = publish(home, RecommendationIndexPage(title="R", slug="rekomendacje"))

    html = client.get(f"/{language}/").text

    assert f'<a href="/{language}/zespoly/">{groups}</a>' in html
    assert f'<a href="{index.url}">{recommendations}</a>' in html
