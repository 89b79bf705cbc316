"""The forms of drafts as the hostile-input test posts them
(tests/test_hostile_input.py), and the names and contents it uploads as
attachments."""

import base64

from hypothesis import strategies as st

from documents.models import Draft
from tests.hostile import (
    EDGE_CASES,
    Endpoint,
    hostile_text,
)

words = st.text(
    alphabet=st.characters(categories=["L", "N", "Zs", "P"]), min_size=1, max_size=40
)
paragraphs = st.lists(words, min_size=1, max_size=4).map("\n\n".join)


# One end of a comment's range: base64 of any bytes, of a position of
# another document, or not base64 at all.
anchor = st.one_of(
    st.binary(max_size=70).map(lambda data: base64.b64encode(data).decode()),
    st.just(base64.b64encode(b"\x00\x0b\x08\x41").decode()),
    words,
)


def draft_state(world):
    return list(Draft.objects.filter(pk=world.draft.pk).values())


def draft_fields(world):
    return {
        "title": words,
        "summary": words,
        "text": paragraphs,
        "note": words,
        "base_version": st.sampled_from(["1", "2", "0"]),
    }


def _draft(path):
    return lambda world: f"/pl/drafts/{world.draft.pk}/{path}"


def _in_group_review(client, world):
    from documents.review import submit_for_group_review

    submit_for_group_review(actor=world.users["chair"], draft_id=world.draft.pk)


def _with_a_suggestion(client, world):
    """The draft's live document holds an insertion suggested by the chair."""
    from documents.live import convert, store
    from documents.models import LiveUpdate

    doc = store.load_doc(world.draft.pk)
    before = doc.get_state()
    text = convert.fragment(doc).children[0].children[0]
    author = world.users["chair"].pk
    text.insert(0, "Nowe. ", {"insertion": {"id": "s1", "author": author}})
    LiveUpdate.objects.create(
        draft=world.draft, data=doc.get_update(before), author_id=author
    )


local_datetime = st.one_of(
    st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")), words
)

ENDPOINTS = {
    "draft_create": Endpoint(
        lambda world: f"/pl/drafts/groups/{world.group.pk}/", draft_fields
    ),
    "draft_edit": Endpoint(_draft("edit/"), draft_fields, state=draft_state),
    "draft_details": Endpoint(
        _draft("edit/details/"),
        lambda world: {
            "details-title": words,
            "details-summary": words,
            "details-base": words,
        },
        state=draft_state,
    ),
    "comment": Endpoint(
        _draft("comments/"),
        lambda world: {
            "block_id": st.sampled_from(
                [block_id for block_id, _, _ in world.draft.paragraphs()] + ["x"]
            ),
            "parent": st.sampled_from([str(world.comment.pk), ""]),
            "anchor_start": anchor,
            "anchor_end": anchor,
            "text": words,
        },
    ),
    "comment_resolve": Endpoint(
        lambda world: (
            f"/pl/drafts/{world.draft.pk}/comments/{world.comment.pk}/resolve/"
        ),
        lambda world: {"resolved": st.sampled_from(["1", "0"])},
        feedback=False,  # the thread shows its new state
    ),
    "live_save": Endpoint(
        _draft("edit/live/"),
        lambda world: {"note": words},
        state=draft_state,
    ),
    "suggestion_decide": Endpoint(
        _draft("suggestions/decide/"),
        lambda world: {
            "decision": st.one_of(st.sampled_from(["accept", "reject"]), words),
            "suggestion": st.one_of(st.sampled_from(["s1", "", "x" * 65]), words),
            "author": st.sampled_from(
                ["", str(world.users["chair"].pk), "0", "-1", "1e99", "x"]
            ),
        },
        prepare=_with_a_suggestion,
    ),
    "restore": Endpoint(
        _draft("versions/1/restore/"),
        lambda world: {"base_version": st.sampled_from(["1", "0"])},
        state=draft_state,
    ),
    "compare": Endpoint(
        _draft("compare/"),
        lambda world: {"a": st.sampled_from(["1", "2"]), "b": st.just("1")},
        method="get",
    ),
    "presence": Endpoint(
        _draft("presence/"),
        lambda world: {"editing": st.sampled_from(["1", "0"])},
        feedback=False,  # answers with who else is there
    ),
    "draft_vote": Endpoint(
        _draft("review/vote/"),
        lambda world: {"closes_at": local_datetime},
        prepare=_in_group_review,
    ),
    "agenda_link": Endpoint(
        lambda world: f"/pl/drafts/agenda/{world.items[0].pk}/",
        lambda world: {"draft": st.sampled_from([str(world.draft.pk), "0"])},
    ),
}


file_names = st.one_of(
    st.sampled_from(
        [
            "../../etc/passwd.pdf",
            "a\u202egnp.exe",
            "CON.pdf",
            ".pdf",
            "x" * 300 + ".pdf",
        ]
    ),
    st.lists(st.sampled_from(EDGE_CASES), max_size=4).map(
        lambda parts: "".join(parts) + ".pdf"
    ),
    hostile_text,
)
contents = st.one_of(
    st.just(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
    st.just(b"<svg onload=alert(1)>"),
    st.just(b"<html><script>alert(1)</script></html>"),
    st.just(b"MZ\x90\x00"),
    st.binary(max_size=200),
)
