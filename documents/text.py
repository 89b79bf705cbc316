"""Drafts are written, without JavaScript, as plain text — blocks separated
by blank lines — and stored as StreamField blocks whose ids stay the same
while a block is edited, so that comments stay anchored.

The syntax holds everything a draft can (documents/blocks.py), so that a
round trip through the form loses nothing: "# " begins a heading, "## " a
subheading, lines beginning "- " a bulleted list and "1. " a numbered one
(an indented line continues an item), "> " a quote; inside paragraphs,
quotes and items ``**bold**``, ``_italic_`` and ``[text](address)``, and a
backslash keeps a marker as it is (documents/richtext.py)."""

import difflib
import json
import re
import unicodedata
import uuid
from html import unescape

from django.utils.html import strip_tags

from documents import richtext
from documents.blocks import list_items, plain_text

HEADING_PREFIX = "# "
SUBHEADING_PREFIX = "## "
BULLET = "- "
QUOTE = "> "
INDENT = "  "
_NUMBERED = re.compile(r"(\d+)\. ")
_BLANK_LINES = re.compile(r"\n[ \t]*\n")
_BREAK = re.compile(r"<br\s*/?>")
_BLOCK_MARKER = re.compile(r"(#{1,2} |- |> |\d+\. )")


def body_to_text(body):
    """The text an author edits for a StreamField body (raw data or a
    StreamValue)."""
    blocks = body.raw_data if hasattr(body, "raw_data") else body
    return "\n\n".join(
        _block_to_text(block["type"], block["value"]) for block in blocks
    )


def _block_to_text(kind, value):
    if kind == "heading":
        return HEADING_PREFIX + " ".join(str(value).split())
    if kind == "subheading":
        return SUBHEADING_PREFIX + " ".join(str(value).split())
    if kind in ("bulleted_list", "numbered_list"):
        lines = []
        for number, item in enumerate(list_items(value), start=1):
            marker = BULLET if kind == "bulleted_list" else f"{number}. "
            lines.append(marker + _markup(item).replace("\n", "\n" + INDENT))
        return "\n".join(lines)
    if kind == "quote":
        return "\n".join(QUOTE + line for line in _markup(value).split("\n"))
    return _escape_marker(_markup(value))


def _markup(html):
    return richtext.runs_to_markup(richtext.html_to_runs(html))


def _escape_marker(text):
    """A paragraph that begins like another block keeps its text: "\\# ",
    "\\- ", "\\> ", "1\\. "."""
    match = _BLOCK_MARKER.match(text)
    if match is None:
        return text
    if text[0].isdigit():
        dot = text.index(". ")
        return text[:dot] + "\\" + text[dot:]
    return "\\" + text


def _text_to_block(chunk):
    """``(type, raw value)`` of one block of the form's text."""
    lines = chunk.split("\n")
    if len(lines) == 1 and chunk.startswith(SUBHEADING_PREFIX):
        return "subheading", chunk[len(SUBHEADING_PREFIX) :].strip()
    if len(lines) == 1 and chunk.startswith(HEADING_PREFIX):
        return "heading", chunk[len(HEADING_PREFIX) :].strip()
    if chunk.startswith(BULLET):
        return "bulleted_list", _items(lines, lambda line: line.startswith(BULLET))
    if _NUMBERED.match(chunk):
        return "numbered_list", _items(lines, _NUMBERED.match)
    if all(line.startswith(QUOTE.strip()) for line in lines):
        quoted = [line[2:] if line.startswith(QUOTE) else line[1:] for line in lines]
        return "quote", _html("\n".join(quoted))
    return "paragraph", _html(chunk)


def _items(lines, starts_item):
    items = []
    for line in lines:
        if starts_item(line):
            items.append(line.split(" ", 1)[1])
        elif items:
            items[-1] += "\n" + line.removeprefix(INDENT)
    return [_html(item) for item in items]


def _html(markup):
    return richtext.runs_to_html(richtext.markup_to_runs(markup))


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
                    a=text, b=new[index][2], autojunk=False
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
    """Blocks for ``text``, as StreamField raw data. A block equal to, or
    edited from, one in ``previous`` (``(id, type, plain text)`` triples)
    keeps its id; new blocks get new ids."""
    chunks = [chunk.strip() for chunk in _BLANK_LINES.split(_clean(text))]
    new = []
    for chunk in filter(None, chunks):
        kind, value = _text_to_block(chunk)
        if plain_text(kind, value).strip():
            new.append((kind, value, plain_text(kind, value)))
    old = list(previous)
    ids = [None] * len(new)
    matcher = difflib.SequenceMatcher(
        a=[text for _, _, text in old], b=[text for _, _, text in new], autojunk=False
    )
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag == "equal":
            for offset in range(a_end - a_start):
                ids[b_start + offset] = old[a_start + offset][0]
        elif tag == "replace":
            _pair_edited(old[a_start:a_end], new, range(b_start, b_end), ids)
    return [
        {"type": kind, "value": value, "id": block_id or str(uuid.uuid4())}
        for block_id, (kind, value, _text) in zip(ids, new, strict=True)
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
        rows.append((child.id, *_page_block(child)))
    return rows


def _page_block(child):
    """A published block's kind and plain text, as the draft's block it was
    made from has them (documents.review): lists are rich text there."""
    if child.block_type == "heading":
        level = child.value["level"]
        return ("subheading" if level == "h3" else "heading"), child.value["text"]
    if child.block_type == "quote":
        return "quote", child.value["text"]
    html = getattr(child.value, "source", None) or str(child.render())
    return "paragraph", richtext.plain(html)


def revision_paragraphs(content):
    """The same triples for a draft's revision, read from its stored content
    (no need to rebuild the draft and the rows it points to)."""
    rows = [("title", "heading", content["title"])]
    if content.get("summary"):
        rows.append(("summary", "paragraph", content["summary"]))
    body = content.get("body") or []
    if isinstance(body, str):
        body = json.loads(body)
    return rows + [
        (block["id"], block["type"], plain_text(block["type"], block["value"]))
        for block in body
    ]


def _plain(html):
    text = strip_tags(_BREAK.sub("\n", html))
    return unescape(text).strip()


def _row(kind, change, segments):
    return {"kind": kind, "change": change, "segments": segments}
