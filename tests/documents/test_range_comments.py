"""Comments on any text of a draft (documents/live/anchors.py,
docs/subsystems/drafts-and-review.md#comments-on-any-text): their anchors
follow the text through others' edits, a deleted text leaves the comment
with its quote and "text removed", hostile anchors are refused with nothing
written, paragraph comments are migrated to ranges, and the pages show it
all (with JavaScript or without)."""

import base64
import importlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from django.apps import apps
from django.core.exceptions import ValidationError

from documents import ranges, selectors, services
from documents.live import anchors, convert
from documents.live import store as live_store
from documents.models import DraftComment
from tests.documents.helpers import group_with_draft
from tests.workgroups.factories import MembershipFactory
from workgroups.models import Membership

pytestmark = pytest.mark.django_db

TEXT = "Punkty informacyjne są otwarte w dni robocze.\n\nDrugi akapit."
PHRASE = "otwarte w dni robocze"


def phrase_anchors(draft, phrase):
    """The anchors the editor makes for ``phrase``."""
    found = anchors.text_range(live_store.load(draft.pk), phrase)
    assert found is not None, f"{phrase!r} is not in the live document"
    return found


def edit_live(draft, change):
    """Someone else's edit of the live document: ``change(first text)``,
    stored as a socket stores it."""
    doc = live_store.load_doc(draft.pk)
    before = doc.get_state()
    change(convert.fragment(doc).children[0].children[0])
    live_store.append(draft_id=draft.pk, update=doc.get_update(before), author_id=None)


def delete(before, removed):
    """A change deleting ``removed`` after the text ``before``. pycrdt
    0.14's ``del`` of an ``XmlText`` slice counts UTF-8 bytes."""
    start = len(before.encode())
    return lambda text: text.__delitem__(slice(start, start + len(removed.encode())))


def draft_with_a_comment_on_the_phrase():
    """(author's membership, draft) with the author's comment "Uwaga" on
    ``PHRASE``."""
    author, draft = group_with_draft(TEXT)
    services.comment_add(
        actor=author.user,
        draft=draft,
        text="Uwaga",
        anchors=phrase_anchors(draft, PHRASE),
    )
    return author, draft


def thread_of(draft):
    return selectors.comment_threads(draft)[0]


def test_a_yjs_relative_position_decodes_and_encodes_as_yjs_writes_it():
    # Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, 5,
    # -1)) of a document of client 11, and of the start of a type.
    for data, position in (
        ("000b0841", anchors.Position(0, 11, 8, assoc=-1)),
        ("020b0241", anchors.Position(2, 11, 2, assoc=-1)),
        ("010764656661756c7400", None),
    ):
        raw = bytes.fromhex(data)
        if position is None:
            assert anchors.decode(raw).name == "default"
        else:
            assert anchors.decode(raw) == position
        assert anchors.encode(anchors.decode(raw)) == raw


def test_a_range_comment_keeps_its_phrase_and_quotes_it():
    author, draft = group_with_draft(TEXT)

    comment = services.comment_add(
        actor=author.user,
        draft=draft,
        text="Czy w soboty też?",
        anchors=phrase_anchors(draft, PHRASE),
    )

    assert comment.anchored_text == PHRASE
    assert comment.block_id == draft.paragraphs()[0][0]
    thread = thread_of(draft)
    assert not thread.text_removed and not thread.text_changed


def test_the_range_follows_its_phrase_when_someone_types_before_it():
    _, draft = draft_with_a_comment_on_the_phrase()

    edit_live(draft, lambda text: text.insert(0, "Od dziś: "))
    edit_live(draft, lambda text: text.insert(len("Od dziś: Punkty "), "nowe "))

    update = live_store.load(draft.pk)
    comment = DraftComment.objects.get()
    span = anchors.Resolver(update).span(
        bytes(comment.anchor_start), bytes(comment.anchor_end)
    )
    assert span.text == PHRASE
    assert not thread_of(draft).text_removed


def test_a_deleted_phrase_leaves_the_comment_with_its_quote_and_text_removed(
    client,
):
    author, draft = draft_with_a_comment_on_the_phrase()

    edit_live(draft, delete("Punkty informacyjne są ", PHRASE))

    assert thread_of(draft).text_removed
    client.force_login(author.user)
    page = client.get(f"/pl/drafts/{draft.pk}/").content.decode()
    assert PHRASE in page
    assert "usunięty" in page or "text removed" in page


def test_a_partly_edited_phrase_is_changed_not_removed():
    _, draft = draft_with_a_comment_on_the_phrase()

    edit_live(draft, delete("Punkty informacyjne są otwarte w ", "dni "))

    thread = thread_of(draft)
    assert thread.text_changed and not thread.text_removed


def test_a_paragraph_comment_is_a_range_over_the_whole_block():
    author, draft = group_with_draft(TEXT)

    comment = services.comment_add(
        actor=author.user,
        draft=draft,
        block_id=draft.paragraphs()[1][0],
        text="Uwaga",
    )

    assert comment.anchored_text == "Drugi akapit."
    assert comment.anchor_start and comment.anchor_end


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (b"\x00", b"\x00"),  # truncated
        (b"\x00\x0b\x08\x41\x00", b"\x00\x0b\x08\x41"),  # trailing bytes
        (b"\x07\x0b\x08\x41", b"\x00\x0b\x08\x41"),  # unknown kind
        (b"\x01\x03abc\x00", b"\x01\x03abc\x00"),  # another root type
        (b"\x00" + b"\xff" * 9 + b"\x7f\x00\x41", b"\x00\x0b\x08\x41"),  # huge id
        (b"\x00\x0b\x08\x41" * 20, b"\x00\x0b\x08\x41"),  # too long
    ],
)
def test_unreadable_anchors_are_refused_and_nothing_is_written(start, end):
    author, draft = group_with_draft(TEXT)

    with pytest.raises(ValidationError):
        services.comment_add(
            actor=author.user, draft=draft, text="x", anchors=(start, end)
        )

    assert not DraftComment.objects.exists()


def test_anchors_from_another_draft_are_refused():
    author, draft = group_with_draft(TEXT)
    _other_author, other = group_with_draft("Inny tekst, całkiem obcy.")
    foreign = phrase_anchors(other, "tekst, całkiem")

    with pytest.raises(ValidationError) as refused:
        services.comment_add(actor=author.user, draft=draft, text="x", anchors=foreign)

    assert refused.value.error_list[0].code == "not_in_draft"
    assert not draft.comments.exists()


def test_an_empty_or_oversized_selection_is_refused():
    author, draft = group_with_draft("Krótko. " + "a" * (ranges.MAX_QUOTE + 5))
    empty = phrase_anchors(draft, "rótko")
    empty = (empty[0], empty[0])
    too_long = phrase_anchors(draft, "a" * (ranges.MAX_QUOTE + 1))

    for selection in (empty, too_long):
        with pytest.raises(ValidationError):
            services.comment_add(
                actor=author.user, draft=draft, text="x", anchors=selection
            )

    assert not draft.comments.exists()


@settings(max_examples=60, deadline=None)
@given(start=st.binary(max_size=80), end=st.binary(max_size=80))
def test_any_bytes_resolve_or_are_refused_as_bad_anchors(start, end):
    resolver = _RESOLVER
    try:
        span = resolver.span(start, end)
    except anchors.BadAnchor:
        return
    assert isinstance(span.text, str)


def _resolver_of_a_small_document():
    doc = convert.body_to_doc(
        [{"type": "paragraph", "value": "Ala ma kota.", "id": "p1"}]
    )
    return anchors.Resolver(doc.get_update())


_RESOLVER = _resolver_of_a_small_document()


def test_the_migration_anchors_paragraph_comments_to_their_whole_block():
    author, draft = group_with_draft(TEXT)
    kept = services.comment_add(
        actor=author.user, draft=draft, block_id=draft.paragraphs()[0][0], text="A"
    )
    gone = DraftComment.objects.create(
        draft=draft, block_id="usuniety", author=author.user, text="B"
    )
    DraftComment.objects.update(anchor_start=None, anchor_end=None)
    migration = importlib.import_module(
        "documents.migrations.0016_paragraph_comments_to_ranges"
    )

    migration.forwards(apps, None)

    kept.refresh_from_db()
    gone.refresh_from_db()
    assert kept.anchor_start and gone.anchor_start is None
    threads = {thread.pk: thread for thread in selectors.comment_threads(draft)}
    assert not threads[kept.pk].text_removed
    assert threads[gone.pk].text_removed
    start, end = bytes(kept.anchor_start), bytes(kept.anchor_end)
    assert anchors.Resolver(live_store.load(draft.pk)).span(start, end).text == (
        "Punkty informacyjne są otwarte w dni robocze."
    )


def test_the_migration_follows_edits_made_after_it():
    author, draft = group_with_draft(TEXT)
    services.comment_add(
        actor=author.user, draft=draft, block_id=draft.paragraphs()[0][0], text="A"
    )
    DraftComment.objects.update(anchor_start=None, anchor_end=None)
    importlib.import_module(
        "documents.migrations.0016_paragraph_comments_to_ranges"
    ).forwards(apps, None)

    edit_live(draft, lambda text: text.insert(0, "Nowe: "))

    thread = thread_of(draft)
    assert thread.text_changed and not thread.text_removed


def _b64(data):
    return base64.b64encode(data).decode()


def test_the_editor_posts_a_range_comment_and_gets_the_panel(client):
    author, draft = group_with_draft(TEXT)
    start, end = phrase_anchors(draft, PHRASE)
    client.force_login(author.user)

    answer = client.post(
        f"/pl/drafts/{draft.pk}/comments/",
        {"anchor_start": _b64(start), "anchor_end": _b64(end), "text": "Uwaga"},
        headers={"X-Requested-With": "fetch"},
    )

    assert answer.status_code == 200
    assert b"data-range-list" in answer.content
    assert f'data-anchor-start="{_b64(start)}"'.encode() in answer.content
    assert DraftComment.objects.get().anchored_text == PHRASE


@pytest.mark.parametrize(
    "data",
    [
        {"anchor_start": "nie-base64!", "anchor_end": "AAA=", "text": "x"},
        {"anchor_start": _b64(b"\x00\x0b\x08\x41"), "text": "x"},
        {"anchor_start": _b64(b"\x09"), "anchor_end": _b64(b"\x09"), "text": "x"},
        {"anchor_start": "A" * 500, "anchor_end": "A" * 500, "text": "x"},
        {"block_id": "nie-ma", "text": "x"},
        {"block_id": "nie-ma", "text": "x" * 4001},
    ],
)
def test_hostile_comment_posts_get_a_clear_error_and_write_nothing(client, data):
    author, draft = group_with_draft(TEXT)
    client.force_login(author.user)

    answer = client.post(
        f"/pl/drafts/{draft.pk}/comments/",
        data,
        headers={"X-Requested-With": "fetch"},
    )

    assert answer.status_code == 400
    assert b'role="alert"' in answer.content
    assert not DraftComment.objects.exists()


def test_a_bad_anchor_without_javascript_redirects_with_the_reason(client):
    author, draft = group_with_draft(TEXT)
    client.force_login(author.user)

    answer = client.post(
        f"/pl/drafts/{draft.pk}/comments/",
        {"anchor_start": _b64(b"\x09"), "anchor_end": _b64(b"\x09"), "text": "x"},
        follow=True,
    )

    assert answer.status_code == 200
    assert [str(m) for m in answer.context["messages"]]
    assert not DraftComment.objects.exists()


def test_reply_and_resolve_from_the_panel(client):
    author, draft = group_with_draft(TEXT)
    thread = services.comment_add(
        actor=author.user, draft=draft, text="A", anchors=phrase_anchors(draft, PHRASE)
    )
    client.force_login(author.user)
    fetch = {"X-Requested-With": "fetch"}

    reply = client.post(
        f"/pl/drafts/{draft.pk}/comments/",
        {"parent": thread.pk, "text": "Odpowiedź"},
        headers=fetch,
    )
    resolve = client.post(
        f"/pl/drafts/{draft.pk}/comments/{thread.pk}/resolve/",
        {"resolved": "1"},
        headers=fetch,
    )

    assert reply.status_code == resolve.status_code == 200
    assert b"Odpowied" in resolve.content
    thread.refresh_from_db()
    assert thread.resolved_at is not None and thread.replies.count() == 1


def test_observers_and_outsiders_cannot_comment_on_a_range(client):
    author, draft = group_with_draft(TEXT)
    observer = MembershipFactory(group=draft.group, role=Membership.Role.OBSERVER)
    outsider = MembershipFactory()
    start, end = phrase_anchors(draft, PHRASE)

    for person in (observer.user, outsider.user):
        client.force_login(person)
        answer = client.post(
            f"/pl/drafts/{draft.pk}/comments/",
            {"anchor_start": _b64(start), "anchor_end": _b64(end), "text": "x"},
            headers={"X-Requested-With": "fetch"},
        )
        assert answer.status_code == 404

    assert not DraftComment.objects.exists()


def test_the_edit_page_lists_range_comments_in_a_pinned_number_of_queries(
    client, django_assert_max_num_queries
):
    author, draft = group_with_draft(TEXT)
    for phrase in (PHRASE, "informacyjne", "robocze"):
        services.comment_add(
            actor=author.user,
            draft=draft,
            text=f"O: {phrase}",
            anchors=phrase_anchors(draft, phrase),
        )
    client.force_login(author.user)

    with django_assert_max_num_queries(40):
        page = client.get(f"/pl/drafts/{draft.pk}/edit/")

    assert page.content.count(b"data-thread=") == 3
    assert b"data-range-comments" in page.content
