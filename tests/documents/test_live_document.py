"""The live document (docs/subsystems/co-editing.md): StreamField ↔ live
document, storage before forwarding, compaction, the seeding migration, and
hostile bytes as updates."""

import contextlib
import importlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pycrdt import Doc, XmlElement, XmlText

from django.apps import apps

from documents.live import convert, protocol, store
from documents.models import Draft, LiveDocument, LiveUpdate
from tests.documents.helpers import group_with_draft
from tests.documents.live_helpers import readable

BODY = [
    {"type": "heading", "value": "Diagnoza", "id": "h-1"},
    {
        "type": "paragraph",
        "value": "Pierwszy akapit,<br>w dwóch wierszach.",
        "id": "p-1",
    },
    {
        "type": "paragraph",
        "value": "Zażółć gęślą jaźń — «cytat» &amp; &lt;b&gt;",
        "id": "p-2",
    },
]


def element(tag, text="", **attributes):
    return XmlElement(tag, attributes, [XmlText(text)] if text else [])


def doc_of(*elements):
    doc = Doc()
    for each in elements:
        convert.fragment(doc).children.append(each)
    return doc


@pytest.mark.parametrize("block", BODY, ids=lambda block: block["id"])
def test_every_block_type_goes_there_and_back_with_its_id(block):
    assert convert.doc_to_body(convert.body_to_doc([block])) == [block]


def test_a_whole_body_goes_there_and_back_unchanged():
    doc = convert.body_to_doc(BODY)

    assert convert.doc_to_body(doc) == BODY
    heading = convert.fragment(doc).children[0]
    assert (heading.tag, dict(heading.attributes)["level"]) == ("heading", 2)


def test_headings_of_both_levels_become_heading_and_subheading():
    doc = doc_of(element("heading", "Pierwszy", blockId="a"))
    sub = element("heading", blockId="b")
    convert.fragment(doc).children.append(sub)
    sub.children.append(XmlText("Drugi"))
    sub.attributes["level"] = 3

    assert [b["type"] for b in convert.doc_to_body(doc)] == ["heading", "subheading"]


def test_lists_quotes_and_marks_become_their_blocks():
    item = XmlElement("listItem", {}, [element("paragraph", "pierwszy")])
    second = XmlElement("listItem", {}, [element("paragraph", "drugi")])
    quote = XmlElement("blockquote", {"blockId": "q"}, [element("paragraph", "cytat")])
    bold = XmlText("gruby")
    doc = doc_of(
        XmlElement("orderedList", {"blockId": "l"}, [item, second]),
        quote,
        XmlElement("paragraph", {"blockId": "m"}, [bold]),
    )
    bold.insert(0, "Bardzo ", {"italic": {}})

    assert convert.doc_to_body(doc) == [
        {"type": "numbered_list", "value": ["pierwszy", "drugi"], "id": "l"},
        {"type": "quote", "value": "cytat", "id": "q"},
        {"type": "paragraph", "value": "<i>Bardzo </i>gruby", "id": "m"},
    ]


def test_a_split_paragraph_keeps_its_id_once_and_the_new_one_gets_another():
    doc = doc_of(
        element("paragraph", "Pierwsza połowa", blockId="p"),
        element("paragraph", "druga połowa", blockId="p"),
        element("paragraph", "bez id"),
        element("paragraph", "   ", blockId="pusty"),
    )

    blocks = convert.doc_to_body(doc)

    assert [b["value"] for b in blocks] == ["Pierwsza połowa", "druga połowa", "bez id"]
    assert blocks[0]["id"] == "p"
    assert len({b["id"] for b in blocks}) == 3


@pytest.mark.parametrize(
    "node",
    [
        lambda: element("script", "alert(1)"),
        lambda: XmlElement("paragraph", {}, [element("image")]),
        lambda: XmlText("tekst poza akapitem"),
    ],
)
def test_a_document_a_draft_cannot_hold_is_refused(node):
    with pytest.raises(convert.NotADraft):
        convert.check(doc_of(node()))


@pytest.mark.django_db
def test_a_draft_is_seeded_from_its_body_once_and_read_back_whole():
    _, draft = group_with_draft("# Diagnoza\n\nPierwszy akapit.")

    doc = store.load_doc(draft.pk)

    assert convert.doc_to_body(doc) == list(draft.body.raw_data)
    assert LiveDocument.objects.filter(draft=draft).count() == 1
    assert readable(store.load_doc(draft.pk)) == readable(doc)


def _typed(doc, text):
    before = doc.get_state()
    convert.fragment(doc).children[1].children[0].insert(0, text)
    return doc.get_update(before)


@pytest.mark.django_db
def test_updates_are_stored_and_compaction_keeps_the_same_document():
    author, draft = group_with_draft("# Diagnoza\n\nPierwszy akapit.")
    doc = store.load_doc(draft.pk)
    for word in ("raz ", "dwa ", "trzy "):
        store.append(
            draft_id=draft.pk, update=_typed(doc, word), author_id=author.user_id
        )
    before = readable(store.load_doc(draft.pk))

    assert store.compact(draft.pk) == 3

    assert LiveUpdate.objects.filter(draft=draft).count() == 0
    assert readable(store.load_doc(draft.pk)) == before
    assert "trzy dwa raz Pierwszy" in before


@pytest.mark.django_db
def test_no_update_is_stored_for_a_draft_in_review():
    _, draft = group_with_draft()
    doc = store.load_doc(draft.pk)
    Draft.objects.filter(pk=draft.pk).update(status=Draft.Status.GROUP_REVIEW)

    with pytest.raises(store.ReadOnly):
        store.append(draft_id=draft.pk, update=_typed(doc, "x"), author_id=None)
    assert not LiveUpdate.objects.filter(draft=draft).exists()


@pytest.mark.django_db
def test_the_migration_gives_existing_drafts_their_live_document():
    _, draft = group_with_draft("# Diagnoza\n\nPierwszy akapit.\n\nDrugi akapit.")
    LiveDocument.objects.all().delete()
    migration = importlib.import_module("documents.migrations.0011_seed_live_documents")

    migration.seed(apps, None)

    doc = Doc()
    doc.apply_update(bytes(LiveDocument.objects.get(draft=draft).snapshot))
    assert convert.doc_to_body(doc) == list(draft.body.raw_data)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=300))
def test_hostile_bytes_as_an_update_are_refused_or_harmless(data):
    doc = convert.body_to_doc(BODY)
    before = doc.get_update()
    try:
        copy = protocol.checked_update(doc, data)
    except protocol.Malformed as refused:
        assert refused.code in ("malformed", "not_a_draft")
    else:
        convert.check(copy)
        convert.doc_to_body(copy)
    assert doc.get_update() == before


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_hostile_bytes_as_a_frame_are_refused_cleanly(data):
    try:
        kind, step, payload = protocol.parse(data)
    except protocol.Malformed:
        return
    assert kind in (protocol.SYNC, protocol.AWARENESS)
    if kind == protocol.AWARENESS:
        with contextlib.suppress(protocol.Malformed):
            protocol.awareness_entries(payload)
    elif step == protocol.STEP1:
        with contextlib.suppress(protocol.Malformed):
            protocol.step2(convert.body_to_doc(BODY), payload)


def test_awareness_is_read_and_written_as_y_protocols_does():
    entries = [(7, 3, {"user": {"name": "Ola"}, "cursor": None}), (9, 4, None)]

    payload = protocol.awareness_payload(entries)

    assert protocol.awareness_entries(payload) == entries


@pytest.mark.django_db
def test_a_version_saved_from_the_live_text_keeps_block_ids_and_gives_new_ones():
    from documents import services

    author, draft = group_with_draft("# Diagnoza\n\nPierwszy akapit.")
    doc = store.load_doc(draft.pk)
    before = doc.get_state()
    convert.fragment(doc).children.append(element("paragraph", "Nowy akapit."))
    store.append(draft_id=draft.pk, update=doc.get_update(before), author_id=None)
    old_ids = [block["id"] for block in draft.body.raw_data]

    saved = services.draft_save_live(actor=author.user, draft_id=draft.pk, note="Nowy")

    blocks = list(saved.body.raw_data)
    assert [b["value"] for b in blocks] == [
        "Diagnoza",
        "Pierwszy akapit.",
        "Nowy akapit.",
    ]
    assert [b["id"] for b in blocks[:2]] == old_ids
    assert saved.versions.first().note == "Nowy" and saved.version == 2
    live_ids = [
        dict(e.attributes)["blockId"]
        for e in convert.fragment(store.load_doc(draft.pk)).children
    ]
    assert live_ids == [b["id"] for b in blocks]


@pytest.mark.django_db
def test_a_plain_save_and_a_restore_reach_the_live_document():
    from documents import services

    author, draft = group_with_draft("Pierwszy akapit.")
    store.load_doc(draft.pk)
    services.draft_save(
        actor=author.user,
        draft_id=draft.pk,
        base_version=1,
        title=draft.title,
        summary="",
        text="Pierwszy akapit.\n\nDrugi z formularza.",
    )
    assert "Drugi z formularza." in readable(store.load_doc(draft.pk))

    services.draft_restore(
        actor=author.user, draft_id=draft.pk, number=1, base_version=2
    )

    assert "Drugi z formularza." not in readable(store.load_doc(draft.pk))
    assert "Pierwszy akapit." in readable(store.load_doc(draft.pk))


@pytest.mark.django_db
def test_a_version_holds_what_its_author_typed_just_before_saving():
    from documents import services

    author, draft = group_with_draft("Pierwszy akapit.")
    editor = store.load_doc(draft.pk)
    convert.fragment(editor).children.append(element("paragraph", "Ostatnie słowa."))

    saved = services.draft_save_live(
        actor=author.user, draft_id=draft.pk, update=editor.get_update()
    )

    assert [b["value"] for b in saved.body.raw_data][-1] == "Ostatnie słowa."
    assert "Ostatnie słowa." in readable(store.load_doc(draft.pk))


@pytest.mark.django_db
def test_a_save_with_an_unreadable_editor_state_changes_nothing():
    from django.core.exceptions import ValidationError

    from documents import services

    author, draft = group_with_draft("Pierwszy akapit.")
    before = readable(store.load_doc(draft.pk))

    with pytest.raises(ValidationError):
        services.draft_save_live(
            actor=author.user, draft_id=draft.pk, update=b"\x01\x02garbage"
        )

    draft.refresh_from_db()
    assert draft.version == 1
    assert readable(store.load_doc(draft.pk)) == before
