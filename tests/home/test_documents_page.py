"""The public documents section, "Dokumenty do pobrania" (issue 15): the
programme in print, as PDF and as DOCX, documents from public collections in every
language; a document of a working group's private collection is neither
listed nor served to outsiders."""

import io
import re
import zlib

import pytest
from docx import Document as DocxDocument

from django.core.files.base import ContentFile

from wagtail.documents.models import Document
from wagtail.models import Collection

from home.models import DocumentsPage
from tests.factories import UserFactory, sign_in
from tests.pages import home_page, programme_tree, publish, translate
from tests.workgroups.factories import MembershipFactory
from workgroups.collections import group_collection

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _document(collection, title):
    document = Document(title=title, collection=collection)
    document.file.save(f"{title}.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


def _section(heading, *downloads):
    return (
        "section",
        {
            "heading": heading,
            "documents": [
                {"document": document, "title": title} for document, title in downloads
            ],
        },
    )


@pytest.fixture
def public_document():
    return _document(Collection.objects.get(name="Program (publiczne)"), "podsumowanie")


@pytest.fixture
def membership():
    return MembershipFactory()


@pytest.fixture
def private_document(membership):
    return _document(group_collection(membership.group), "tajny-protokol")


@pytest.fixture
def documents_page(public_document, private_document):
    programme_tree()
    return publish(
        home_page(),
        DocumentsPage(
            title="Dokumenty do pobrania",
            slug="dokumenty",
            documents=[
                _section(
                    "Projekt",
                    (public_document, "Podsumowanie projektu"),
                    (private_document, "Protokół zespołu"),
                )
            ],
        ),
    )


def test_the_page_offers_the_programme_and_the_public_documents(
    client, documents_page, public_document, django_assert_max_num_queries
):
    client.get(documents_page.url)  # what other tests left in caches
    from django.core.cache import cache

    cache.clear()
    with django_assert_max_num_queries(17):
        html = client.get(documents_page.url).content.decode()

    assert "/program/druk/" in html and "/program/docx/" in html
    assert "/program/pdf/" in html and "Program jako plik PDF" in html
    assert f'href="{public_document.url}"' in html
    assert "Podsumowanie projektu" in html
    assert "Protokół zespołu" not in html and "tajny-protokol" not in html


def test_a_private_document_is_served_to_its_members_only_a_public_one_to_all(
    client, public_document, private_document, membership
):
    assert client.get(public_document.url).status_code == 200
    assert client.get(private_document.url).status_code == 404
    assert sign_in(client, UserFactory()).get(private_document.url).status_code == 404
    assert sign_in(client, membership.user).get(private_document.url).status_code == 200


def test_each_language_has_its_translated_page_in_the_menu(
    client, documents_page, public_document
):
    home = home_page()
    for code, title in (("uk", "Документи для завантаження"), ("en", "Documents")):
        translate(home, code)
        translated = translate(documents_page, code, title=title)
        menu = client.get(f"/{code}/").content.decode()
        html = client.get(translated.url).content.decode()

        assert f'<a href="{translated.url}">' in menu  # the main menu
        assert f"<h1>{title}</h1>" in html
        assert f'href="{public_document.url}"' in html
        # The language switcher links the Polish page and this one.
        assert f'<a href="{documents_page.url}" lang="pl" hreflang="pl">' in html


def test_the_programme_downloads_as_a_docx_of_its_goals_actions_and_indicators(
    client,
):
    tree = programme_tree()
    response = client.get(tree["programme"].url + "docx/")

    text = "\n".join(
        p.text for p in DocxDocument(io.BytesIO(response.content)).paragraphs
    )
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "Program testowy" in text and "Cel 1" in text
    assert tree["actions"][0].title in text
    indicator = tree["actions"][0].indicators.first()
    assert indicator.name in text


def _pdf_text(data):
    """The text a PDF shows, roughly: each shown string decoded through each
    font's glyph-to-Unicode map (fpdf2 writes glyph numbers, not letters),
    joined, from the streams as fpdf2 compresses them."""
    streams = []
    for raw in re.findall(rb"stream\n(.*?)\nendstream", data, re.DOTALL):
        try:
            streams.append(zlib.decompress(raw))
        except zlib.error:
            streams.append(raw)
    maps = [
        {
            bytes.fromhex(glyph.decode()): chr(int(char, 16))
            for glyph, char in re.findall(rb"<([0-9A-F]{4})> <([0-9A-F]{4})>", block)
        }
        for block in re.findall(
            rb"beginbfchar(.*?)endbfchar", b"".join(streams), re.DOTALL
        )
    ]
    shown = [
        re.sub(rb"\\(.)", _unescape, string, flags=re.DOTALL)
        for stream in streams
        for string in re.findall(rb"\(((?:\\.|[^\\)])*)\) Tj", stream, re.DOTALL)
    ]
    return "\n".join(
        "".join(glyphs.get(string[i : i + 2], "") for i in range(0, len(string), 2))
        for string in shown
        for glyphs in maps
    )


PDF_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(match):
    return PDF_ESCAPES.get(match[1], match[1])


def test_the_programme_downloads_as_a_pdf_in_the_readers_language(client):
    tree = programme_tree()
    action = tree["actions"][0]
    titles = {
        "pl": action.title,
        "uk": "Дія: підтримка ґмін",
        "en": "Action in English",
    }
    programmes = {"pl": tree["programme"]}
    for code in ("uk", "en"):
        translate(home_page(), code)
        programmes[code] = translate(tree["programme"], code)
        translate(tree["goals"][0], code)
        translate(tree["directions"][0], code)
        translate(action, code, title=titles[code])

    for code, programme in programmes.items():
        response = client.get(programme.url + "pdf/")

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'attachment; filename="{programme.slug}-{code}.pdf"'
        )
        assert response.content.startswith(b"%PDF")
        text = _pdf_text(response.content)
        assert titles[code] in text and "Program testowy" in text
        assert action.indicators.first().name in text
    assert "Strategic goal 1" in _pdf_text(
        client.get(programmes["en"].url + "pdf/").content
    )


def test_the_pdf_lists_only_published_actions(client):
    tree = programme_tree(actions=2)
    hidden, shown = tree["actions"]
    hidden.unpublish()

    text = _pdf_text(client.get(tree["programme"].url + "pdf/").content)

    assert shown.title in text and hidden.title not in text


def _queries_on_a_miss(client, url):
    """Queries of one anonymous reading with no stored response (Wagtail's
    own site-root caches warmed by a first one)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_documents(
    client, settings, documents_page, membership
):
    settings.PUBLIC_PAGE_RESPONSE_CACHE = False
    small = _queries_on_a_miss(client, documents_page.url)

    public = Collection.objects.get(name="Program (publiczne)")
    private = group_collection(membership.group)
    documents_page.documents = [
        _section(
            f"Sekcja {number}",
            *(
                (_document(collection, f"dok-{number}-{index}"), f"Dokument {index}")
                for index in range(4)
                for collection in (public, private)
            ),
        )
        for number in range(5)
    ]
    documents_page.save_revision().publish()
    large = _queries_on_a_miss(client, documents_page.url)
    html = client.get(documents_page.url).content.decode()

    assert html.count("Dokument 3") == 5  # the public ones, not the private
    assert large == small <= 10
