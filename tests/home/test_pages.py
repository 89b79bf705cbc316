from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

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


@pytest.mark.parametrize(
    ("language", "quoted"),
    [("pl", "„cudzoziemcy”"), ("uk", "«cudzoziemcy»"), ("en", "“cudzoziemcy”")],
)
def test_each_language_quotes_with_its_own_marks(client, language, quoted):
    if language != "pl":
        translate(home_page(), language, title="Home", slug=f"home-{language}")
    with translation.override(language):
        url = reverse("home:search")
        filtered = Template("{% load platforma_tags %}{{ 'cudzoziemcy'|quoted }}")

    html = client.get(url, {"q": "cudzoziemcy"}).text

    assert quoted in html
    with translation.override(language):
        assert filtered.render(Context()) == quoted


@pytest.mark.parametrize(
    ("language", "short", "long"),
    [
        ("en", "12 Feb 2026, 06:17", "12 February 2026, 06:17"),
        ("pl", "12.02.2026 06:17", "12 lutego 2026 06:17"),
        ("uk", "12.02.2026 06:17", "12 лютого 2026 р. 06:17"),
    ],
)
def test_dates_read_as_their_language_writes_them(language, short, long):
    when = datetime(2026, 2, 12, 6, 17, tzinfo=ZoneInfo("Europe/Warsaw"))
    template = Template(
        '{{ when|date:"SHORT_DATETIME_FORMAT" }}|{{ when|date:"DATETIME_FORMAT" }}'
    )

    with translation.override(language):
        assert template.render(Context({"when": when})) == f"{short}|{long}"


@pytest.mark.parametrize("language", ["pl", "uk", "en"])
def test_a_diagnosis_figure_names_its_source_once(language):
    from home.blocks import StatisticBlock
    from home.demo.programme import _diagnosis_body

    figures = [v for kind, v in _diagnosis_body(language) if kind == "statistic"]
    block = StatisticBlock()

    with translation.override(language):
        label = gettext("Source:")
        html = block.render(block.to_python(figures[0]))

    assert html.count(label) == 1


def test_allauths_polish_typo_is_corrected():
    with translation.override("pl"):
        assert gettext("Enter your password:") == "Wprowadź hasło:"
        assert gettext("Enter Password Reset Code").startswith("Wprowadź ")
