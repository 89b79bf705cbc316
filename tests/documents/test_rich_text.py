"""A draft's body as rich text (docs/subsystems/drafts-and-review.md): the
sanitiser, the live document and the no-JavaScript form hold every block and
mark both ways, the readers (detail, print, DOCX, publication, provenance)
show them, and the migration moves plain drafts without loss."""

import importlib
import io

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from django.apps import apps

from documents import richtext
from documents.blocks import normal_value
from documents.live import convert, store
from documents.models import Draft, DraftComment, LiveDocument, LiveUpdate
from documents.richtext import Run
from documents.text import body_to_text, text_to_blocks
from tests.documents.helpers import group_with_draft

LINK = '<a href="https://www.malopolska.pl/">Małopolska</a>'
BODY = [
    {"type": "heading", "value": "Diagnoza", "id": "h"},
    {"type": "subheading", "value": "Edukacja", "id": "s"},
    {
        "type": "paragraph",
        "value": f"Tekst <b>gruby</b>, <i>kursywa</i>, {LINK}.",
        "id": "p",
    },
    {"type": "bulleted_list", "value": ["<b>pierwszy</b>", "drugi"], "id": "ul"},
    {"type": "numbered_list", "value": ["jeden", "<i>dwa</i>"], "id": "ol"},
    {"type": "quote", "value": "Cytat<br>w dwóch wierszach", "id": "q"},
]
HOSTILE_HREFS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/",
    "/relative",
    "https://",
]

texts = st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), min_size=1)
runs = st.lists(
    st.builds(
        Run,
        texts,
        st.booleans(),
        st.booleans(),
        st.sampled_from([None, "https://example.org/a_b*c[d]", "mailto:a@b.pl"]),
    ),
    max_size=6,
)


@pytest.mark.parametrize("href", HOSTILE_HREFS)
def test_a_link_to_anything_but_http_or_mail_is_refused(href):
    html = richtext.sanitise(f'<a href="{href}">kliknij</a>')

    assert html == "kliknij"
    assert richtext.safe_href(href) is None


def test_only_bold_italic_and_links_survive_and_the_rest_is_escaped():
    hostile = (
        '<p onclick="x()"><strong>a</strong><em>b</em><script>alert(1)</script>'
        '<img src=x onerror=alert(1)><a href="https://a.pl/?q=&quot;x" '
        'onmouseover="y()">c</a> &lt;i&gt;</p>'
    )

    assert richtext.sanitise(hostile) == (
        '<b>a</b><i>b</i>alert(1)<a href="https://a.pl/?q=&quot;x">c</a> &lt;i&gt;'
    )


@settings(max_examples=150, deadline=None)
@given(runs)
def test_runs_go_through_html_and_the_form_markup_unchanged(some):
    expected = richtext.merge(
        [run._replace(text=run.text.replace("\r", "")) for run in some]
    )
    expected = [run for run in richtext.merge(expected) if run.text]

    assert richtext.html_to_runs(richtext.runs_to_html(expected)) == _no_edge_newline(
        expected
    )
    assert richtext.markup_to_runs(richtext.runs_to_markup(expected)) == expected


def _no_edge_newline(runs):
    """The sanitiser drops a line break at the very end (an empty line)."""
    runs = list(runs)
    if runs and runs[-1].text.endswith("\n"):
        runs[-1] = runs[-1]._replace(text=runs[-1].text.rstrip("\n"))
    return [run for run in runs if run.text]


def test_hostile_markup_is_read_in_linear_time_and_refuses_bad_links():
    assert richtext.markup_to_runs("[x](javascript:alert(1))") == [
        Run("[x](javascript:alert(1))")
    ]
    assert richtext.markup_to_runs("[x](data:text/html,1)") == [Run("x")]
    richtext.markup_to_runs("[" * 50_000 + "**" * 25_001 + "_")


@pytest.mark.parametrize("block", BODY, ids=lambda block: block["type"])
def test_every_block_and_mark_goes_to_the_live_document_and_back(block):
    doc = convert.body_to_doc([block])

    convert.check(doc)
    assert convert.doc_to_body(doc) == [block]
    assert convert.replace_body(doc, [block]) is None


def test_the_live_document_carries_ids_levels_and_marks_as_tiptap_reads_them():
    doc = convert.body_to_doc(BODY)
    heading, sub, paragraph, bullets, numbers, quote = convert.fragment(doc).children

    assert [e.attributes["blockId"] for e in (heading, sub, bullets)] == [
        "h",
        "s",
        "ul",
    ]
    assert (heading.attributes["level"], sub.attributes["level"]) == (2, 3)
    assert (bullets.tag, numbers.tag, quote.tag) == (
        "bulletList",
        "orderedList",
        "blockquote",
    )
    assert paragraph.children[0].diff()[1:6:2] == [
        ("gruby", {"bold": {}}),
        ("kursywa", {"italic": {}}),
        ("Małopolska", {"link": {"href": "https://www.malopolska.pl/"}}),
    ]


@pytest.mark.parametrize("href", HOSTILE_HREFS[:3])
def test_a_hostile_link_typed_in_the_live_document_is_dropped(href):
    doc = convert.body_to_doc([{"type": "paragraph", "value": "x", "id": "p"}])
    convert.fragment(doc).children[0].children[0].insert(
        1, "y", {"link": {"href": href}}
    )

    assert convert.doc_to_body(doc)[0]["value"] == "xy"


def test_nesting_the_draft_cannot_hold_is_flattened_without_losing_text():
    from pycrdt import XmlElement, XmlText

    def paragraph(text):
        return XmlElement("paragraph", {}, [XmlText(text)])

    inner = XmlElement("bulletList", {}, [XmlElement("listItem", {}, [paragraph("b")])])
    item = XmlElement("listItem", {}, [paragraph("a"), paragraph("a2"), inner])
    doc = convert.body_to_doc([])
    convert.fragment(doc).children.append(
        XmlElement("bulletList", {"blockId": "l"}, [item])
    )
    convert.fragment(doc).children.append(
        XmlElement("blockquote", {"blockId": "q"}, [paragraph("c"), paragraph("d")])
    )

    assert convert.doc_to_body(doc) == [
        {"type": "bulleted_list", "value": ["a<br>a2", "b"], "id": "l"},
        {"type": "quote", "value": "c<br>d", "id": "q"},
    ]


FORM_TEXT = (
    "# Diagnoza\n\n## Edukacja\n\n"
    "Tekst **gruby**, _kursywa_, [Małopolska](https://www.malopolska.pl/).\n\n"
    "- **pierwszy**\n- drugi\n\n1. jeden\n2. _dwa_\n\n> Cytat\n> w dwóch wierszach"
)


def test_the_form_syntax_holds_every_block_and_mark_both_ways():
    blocks = text_to_blocks(FORM_TEXT)

    assert [(b["type"], b["value"]) for b in blocks] == [
        (b["type"], b["value"]) for b in BODY
    ]
    assert body_to_text(BODY) == FORM_TEXT


@pytest.mark.parametrize(
    "value",
    [
        "# nie nagłówek",
        "- nie lista",
        "1. nie lista",
        "> nie cytat",
        "gwiazdki * i ** oraz snake_case, [nawiasy] \\ ukośnik",
        "wiersz\ndrugi",
    ],
)
def test_a_paragraph_that_looks_like_syntax_survives_the_form(value):
    body = [{"type": "paragraph", "value": richtext.text_to_html(value), "id": "p"}]

    back = text_to_blocks(body_to_text(body))

    assert [(b["type"], richtext.plain(b["value"])) for b in back] == [
        ("paragraph", value)
    ]


@pytest.mark.django_db
def test_the_draft_page_print_and_docx_show_the_formatting(client):
    author, draft = group_with_draft(FORM_TEXT)
    client.force_login(author.user)

    for url in (f"/pl/drafts/{draft.pk}/", f"/pl/drafts/{draft.pk}/print/"):
        html = client.get(url).content.decode()
        assert "<h2>Diagnoza</h2>" in html and "<h3>Edukacja</h3>" in html
        assert "<b>gruby</b>" in html and LINK in html
        assert "<ul><li><b>pierwszy</b></li><li>drugi</li></ul>" in html
        assert "<ol><li>jeden</li>" in html
        assert "<blockquote><p>Cytat<br>w dwóch wierszach</p></blockquote>" in html

    document = Document(
        io.BytesIO(client.get(f"/pl/drafts/{draft.pk}/export.docx").content)
    )
    styles = {p.text: p.style.name for p in document.paragraphs}
    assert styles["Diagnoza"] == "Heading 1" and styles["Edukacja"] == "Heading 2"
    assert styles["pierwszy"] == "List Bullet" and styles["dwa"] == "List Number"
    assert styles["Cytat\nw dwóch wierszach"] == "Quote"
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Tekst"))
    assert [r.text for r in paragraph.runs if r.bold] == ["gruby"]
    assert [r.text for r in paragraph.runs if r.italic] == ["kursywa"]
    assert "https://www.malopolska.pl/" in [
        rel.target_ref for rel in document.part.rels.values() if rel.is_external
    ]
    assert paragraph.hyperlinks[0].text == "Małopolska"


@pytest.mark.django_db
def test_comments_anchor_to_lists_and_quotes_by_their_block_id(client):
    author, draft = group_with_draft(FORM_TEXT)
    bullets = draft.body.raw_data[3]["id"]
    client.force_login(author.user)

    client.post(
        f"/pl/drafts/{draft.pk}/comments/", {"block_id": bullets, "text": "Uwaga"}
    )

    comment = DraftComment.objects.get(draft=draft)
    assert comment.block_id == bullets
    # The whole list, as the live document holds it: an item a line.
    assert comment.anchored_text == "pierwszy\ndrugi"


def test_the_published_body_keeps_the_formatting_and_reads_as_the_draft():
    from documents.review import _stream_from_draft

    stream = _stream_from_draft(Draft(body=BODY))

    assert [(b["type"], b["id"]) for b in stream] == [
        ("heading", "h"),
        ("heading", "s"),
        ("paragraph", "p"),
        ("paragraph", "ul"),
        ("paragraph", "ol"),
        ("quote", "q"),
    ]
    assert stream[1]["value"] == {"text": "Edukacja", "level": "h3"}
    assert stream[2]["value"] == f"<p>Tekst <b>gruby</b>, <i>kursywa</i>, {LINK}.</p>"
    assert stream[3]["value"] == "<ul><li><b>pierwszy</b></li><li>drugi</li></ul>"


OLD_BODY = [
    {"type": "heading", "value": "Diagnoza", "id": "h"},
    {"type": "paragraph", "value": "Ala & <b>kot</b>\nw dwóch wierszach", "id": "p"},
    {"type": "paragraph", "value": "- pierwszy\n- drugi", "id": "l"},
]


@pytest.mark.django_db
def test_the_migration_moves_plain_drafts_and_their_versions_without_loss():
    author, draft = group_with_draft("Na razie.")
    Draft.objects.filter(pk=draft.pk).update(body=OLD_BODY)
    draft.refresh_from_db()
    draft.save_revision(user=author.user)
    _seeded_as_0011_did(draft, OLD_BODY)
    migration = importlib.import_module("documents.migrations.0012_rich_draft_body")

    migration.forwards(apps, None)

    draft = Draft.objects.get(pk=draft.pk)
    assert list(draft.body.raw_data) == [
        OLD_BODY[0],
        {
            "type": "paragraph",
            "value": "Ala &amp; &lt;b&gt;kot&lt;/b&gt;<br>w dwóch wierszach",
            "id": "p",
        },
        {"type": "bulleted_list", "value": ["pierwszy", "drugi"], "id": "l"},
    ]
    assert [text for _id, _kind, text in draft.paragraphs()] == [
        "Diagnoza",
        "Ala & <b>kot</b>\nw dwóch wierszach",
        "- pierwszy\n- drugi",
    ]
    revision = draft.latest_revision.as_object()
    assert _normal(revision.body.raw_data) == _normal(draft.body.raw_data)
    assert convert.doc_to_body(store.load_doc(draft.pk)) == list(draft.body.raw_data)
    assert LiveUpdate.objects.filter(draft=draft, author=None).exists()


def _normal(raw):
    return [(b["type"], normal_value(b["type"], b["value"]), b["id"]) for b in raw]


def _seeded_as_0011_did(draft, body):
    """The live document of a plain body: its text as it is in each block."""
    from pycrdt import Doc, XmlElement, XmlText

    doc = Doc()
    for block in body:
        tag = "heading" if block["type"] == "heading" else "paragraph"
        convert.fragment(doc).children.append(
            XmlElement(tag, {"blockId": block["id"]}, [XmlText(block["value"])])
        )
    LiveDocument.objects.update_or_create(
        draft=draft, defaults={"snapshot": doc.get_update()}
    )
    LiveUpdate.objects.filter(draft=draft).delete()


def _html(some):
    html = richtext.runs_to_html(some)
    return html if richtext.plain(html).strip() else "x"


rich = runs.map(_html)
blocks = st.one_of(
    st.builds(lambda v: ("paragraph", v), rich),
    st.builds(lambda v: ("quote", v), rich),
    st.builds(lambda v: ("bulleted_list", v), st.lists(rich, min_size=1, max_size=3)),
    st.builds(lambda v: ("numbered_list", v), st.lists(rich, min_size=1, max_size=3)),
    st.builds(
        lambda v: ("heading", v), st.sampled_from(["Diagnoza", "Cele i działania"])
    ),
    st.builds(lambda v: ("subheading", v), st.sampled_from(["Edukacja", "Praca"])),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(blocks, max_size=5))
def test_any_body_goes_to_the_live_document_and_back_unchanged(kinds_and_values):
    body = [
        {"type": kind, "value": value, "id": f"b{index}"}
        for index, (kind, value) in enumerate(kinds_and_values)
    ]

    back = convert.doc_to_body(convert.body_to_doc(body))

    assert _normal(back) == _normal(body)


@pytest.mark.django_db
def test_the_migration_leaves_a_live_document_with_unsaved_edits_as_it_is():
    author, draft = group_with_draft("Na razie.")
    Draft.objects.filter(pk=draft.pk).update(body=OLD_BODY)
    _seeded_as_0011_did(
        draft, [*OLD_BODY, {"type": "paragraph", "value": "nowy", "id": "n"}]
    )
    migration = importlib.import_module("documents.migrations.0012_rich_draft_body")

    migration.forwards(apps, None)

    assert not LiveUpdate.objects.filter(draft=draft).exists()
    assert convert.doc_to_body(store.load_doc(draft.pk))[-1]["value"] == "nowy"


@pytest.mark.django_db
def test_hostile_markup_in_every_block_and_mark_never_becomes_markup(client):
    """The stored-XSS probe of tests/e2e/test_stored_xss.py without a
    browser: the same text, and HTML stored past the sanitiser."""
    from tests.e2e.test_stored_xss import RAW, RICH_PAYLOAD

    author, draft = group_with_draft(RICH_PAYLOAD)
    services_save(author, draft, RICH_PAYLOAD + "\n\nwersja 2")
    raw = [*draft.body.raw_data, {"type": "paragraph", "value": RAW, "id": "raw"}]
    Draft.objects.filter(pk=draft.pk).update(body=raw)
    client.force_login(author.user)

    for path in ("", "print/", "edit/", "compare/?a=1&b=2", "versions/"):
        html = client.get(f"/pl/drafts/{draft.pk}/{path}").content.decode()
        tags = _tags(html)
        assert "<img src=x" not in html and "<script>window" not in html, path
        assert "<svg onload" not in html, path
        assert not [a for _tag, attrs in tags for a, _v in attrs if a.startswith("on")]
        hrefs = [
            value or "" for _tag, attrs in tags for a, value in attrs if a == "href"
        ]
        assert not [h for h in hrefs if h.lower().startswith(("javascript", "data"))]
    detail = client.get(f"/pl/drafts/{draft.pk}/").content.decode()
    assert (
        '<a href="https://example.org/&quot;onmouseover=window.__xss=1">x</a>' in detail
    )


def services_save(author, draft, text):
    from documents import services

    services.draft_save(
        actor=author.user,
        draft_id=draft.pk,
        base_version=draft.version,
        title=draft.title,
        summary="",
        text=text,
    )


def _tags(html):
    from html.parser import HTMLParser

    found = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Tags().feed(html)
    return found
