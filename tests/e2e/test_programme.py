import pytest

from tests.e2e.helpers import assert_accessible

PAGE_TYPES = {
    "programme": "program/",
    "diagnosis": "program/diagnoza/",
    "goal": "program/cel-1/",
    "direction": "program/cel-1/kierunek-1-1/",
    "action": "program/cel-1/kierunek-1-1/dzialanie-1-1-1/",
    "monitoring": "program/monitoring/",
    "print": "program/druk/",
    "documents": "dokumenty/",
    "help": "pomoc/",
    "statement": "deklaracja-dostepnosci/",
    "search": "szukaj/?q=kurs",
}


DOCUMENTS = {
    "pl": ("Dokumenty", "Podsumowanie projektu „Małopolska otwarta”"),
    "uk": ("Документи", "Підсумок проєкту «Małopolska otwarta» (польською)"),
    "en": ("Documents", "Summary of the “Małopolska otwarta” project (in Polish)"),
}


@pytest.mark.parametrize("language", ["pl", "uk", "en"])
def test_reader_finds_the_documents_from_the_menu_and_downloads_the_programme(
    page, language
):
    menu, summary = DOCUMENTS[language]
    page.goto(f"/{language}/")
    page.locator(".site-nav nav").get_by_role("link", name=menu, exact=True).click()

    assert page.url.endswith(f"/{language}/dokumenty/")
    link = page.get_by_role("link", name=summary)
    assert link.get_attribute("href").startswith("/documents/")
    with page.expect_download() as download:
        page.locator('a[href$="/program/docx/"]').click()
    assert download.value.suggested_filename == f"program-{language}.docx"


@pytest.mark.parametrize("language", ["pl", "uk", "en"])
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_programme_page_types_have_no_wcag_violation(page, axe, language, page_type):
    response = page.goto(f"/{language}/{PAGE_TYPES[page_type]}")

    assert response.status == 200
    assert_accessible(axe, page)


def test_reader_finds_an_action_through_the_tree_and_in_ukrainian_search(page):
    page.goto("/pl/")
    page.get_by_role("link", name="Przeczytaj program").click()
    page.get_by_role(
        "link", name="3. Mieszkanie, zdrowie i integracja społeczna"
    ).click()
    page.get_by_role("link", name="3.1.1. Informacja o wynajmie mieszkania").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("3.1.1.")

    page.get_by_role("link", name="Українська").click()
    assert (
        "Інформація про оренду житла"
        in page.get_by_role("heading", level=1).inner_text()
    )

    page.get_by_role("searchbox").first.fill("житлом")
    page.get_by_role("button", name="Шукати").first.click()

    result = page.get_by_role("link", name="3.1.1. Інформація про оренду житла")
    assert result.count() == 1
    result.click()
    assert "/uk/program/cel-3/" in page.url
