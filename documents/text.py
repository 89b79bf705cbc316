"""Drafts are written as plain text — paragraphs separated by blank lines,
headings starting with "# " — and stored as StreamField blocks whose ids stay
the same while a paragraph is edited, so that comments stay anchored."""

import difflib
import json
import re
import unicodedata
import uuid
from html import unescape

from django.utils.html import strip_tags

HEADING_PREFIX = "# "
_BLANK_LINES = re.compile(r"\n[ \t]*\n")
_BREAK = re.compile(r"<br\s*/?>")


def body_to_text(body):
    """The text an author edits for a StreamField body."""
    chunks = []
    for child in body:
        prefix = HEADING_PREFIX if child.block_type == "heading" else ""
        chunks.append(prefix + child.value)
    return "\n\n".join(chunks)


def _clean(text):
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\x00", "")


def _pair_edited(old_blocks, new, new_range, ids):
    """Within a run of changed paragraphs, each new one takes the id of the
    most similar old one after the last paired, so order is kept."""
    start = 0
    for index in new_range:
        scores = [
            (
                difflib.SequenceMatcher(
                    a=text, b=new[index][1], autojunk=False
                ).ratio(),
                i,
            )
            for i, (_, _, text) in enumerate(old_blocks[start:], start=start)
        ]
        best = max(scores, default=(0, None))
        if best[0] >= 0.5:
            ids[index] = old_blocks[best[1]][0]
            start = best[1] + 1


def text_to_blocks(text, previous=()):
    """Blocks for ``text``, as StreamField raw data. A paragraph equal to, or
    edited from, one in ``previous`` (``(id, type, text)`` triples) keeps its
    id; new paragraphs get new ids."""
    chunks = [chunk.strip() for chunk in _BLANK_LINES.split(_clean(text))]
    new = []
    for chunk in filter(None, chunks):
        if chunk.startswith(HEADING_PREFIX.strip()) and "\n" not in chunk:
            new.append(("heading", chunk.lstrip("#").strip()))
        else:
            new.append(("paragraph", chunk))
    old = list(previous)
    ids = [None] * len(new)
    matcher = difflib.SequenceMatcher(
        a=[text for _, _, text in old], b=[text for _, text in new], autojunk=False
    )
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(a_end - a_start):
                ids[b_start + offset] = old[a_start + offset][0]
        elif tag == "replace":
            _pair_edited(old[a_start:a_end], new, range(b_start, b_end), ids)
    return [
        {"type": kind, "value": value, "id": block_id or str(uuid.uuid4())}
        for block_id, (kind, value) in zip(ids, new, strict=True)
    ]


def _word_diff(old, new):
    """``(op, text)`` segments, op one of "same", "added", "removed"."""
    old_words, new_words = old.split(" "), new.split(" ")
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    segments = []
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag == "equal":
            segments.append(("same", " ".join(old_words[a_start:a_end])))
            continue
        if a_end > a_start:
            segments.append(("removed", " ".join(old_words[a_start:a_end])))
        if b_end > b_start:
            segments.append(("added", " ".join(new_words[b_start:b_end])))
    return segments


def compare(old_paragraphs, new_paragraphs):
    """Rows comparing two bodies paragraph by paragraph (matched by block id):
    ``{"kind", "change", "segments"}`` with change one of "same", "changed",
    "added", "removed"."""
    old_by_id = {block_id: (kind, text) for block_id, kind, text in old_paragraphs}
    new_ids = {block_id for block_id, _, _ in new_paragraphs}
    rows = []
    old_order = [block_id for block_id, _, _ in old_paragraphs]
    for block_id, kind, text in new_paragraphs:
        # Removed paragraphs appear where they stood before the next kept one.
        while old_order and old_order[0] not in new_ids:
            gone = old_order.pop(0)
            rows.append(
                _row(old_by_id[gone][0], "removed", [("removed", old_by_id[gone][1])])
            )
        if old_order and old_order[0] == block_id:
            old_order.pop(0)
        elif block_id in old_order:
            old_order.remove(block_id)
        if block_id not in old_by_id:
            rows.append(_row(kind, "added", [("added", text)]))
        elif old_by_id[block_id][1] == text:
            rows.append(_row(kind, "same", [("same", text)]))
        else:
            rows.append(_row(kind, "changed", _word_diff(old_by_id[block_id][1], text)))
    for gone in old_order:
        rows.append(
            _row(old_by_id[gone][0], "removed", [("removed", old_by_id[gone][1])])
        )
    return rows


def page_paragraphs(page):
    """A recommendation page's title, summary and body as ``(block id, kind,
    text)`` triples in the drafts' plain text, so that they compare with the
    version the group approved (documents.review copies that version with
    its paragraph ids; the admin keeps them while a block is edited)."""
    rows = [("title", "heading", page.title)]
    if page.summary:
        rows.append(("summary", "paragraph", _plain(page.summary)))
    for child in page.body:
        if child.block_type == "heading":
            rows.append((child.id, "heading", child.value["text"]))
        else:
            html = getattr(child.value, "source", None) or str(child.render())
            rows.append((child.id, "paragraph", _plain(html)))
    return rows


def revision_paragraphs(content):
    """The same triples for a draft's revision, read from its stored content
    (no need to rebuild the draft and the rows it points to)."""
    rows = [("title", "heading", content["title"])]
    if content.get("summary"):
        rows.append(("summary", "paragraph", content["summary"]))
    body = content.get("body") or []
    if isinstance(body, str):
        body = json.loads(body)
    return rows + [(block["id"], block["type"], block["value"]) for block in body]


def _plain(html):
    text = strip_tags(_BREAK.sub("\n", html))
    return unescape(text).strip()


def _row(kind, change, segments):
    return {"kind": kind, "change": change, "segments": segments}
