"""Suggestions (tracked changes) in a draft's live document
(docs/subsystems/suggestions.md).

A suggestion is text carrying one of two formatting attributes of the Yjs
``XmlText`` (ProseMirror marks in the editor): ``insertion`` (text someone
proposes to add) or ``deletion`` (text someone proposes to remove, still
there). The attribute's value is ``{"id", "author", "at"}``: the
suggestion's id (the same on every piece of it), its author's user id and
the time the browser made it. A piece of text may carry both (a deletion
proposed inside someone's insertion: a suggestion inside a suggestion).

The *base text* is the text with every open suggestion rejected: insertions
left out, deletions kept. Versions, exports and comparisons hold it
(documents/live/convert.py), so only what was accepted enters a version.
Someone who may only suggest sends updates that keep the base text (and its
blocks and formatting) as it was and leave everyone else's suggestions
alone (``check_update``); accepting or rejecting is the server's
(``decide``, called by ``documents.suggestions``).
"""

import json
from dataclasses import dataclass, field

from pycrdt import XmlElement, XmlText

from documents.live import convert, protocol

KINDS = convert.SUGGESTIONS


@dataclass
class Suggestion:
    id: str
    kind: str
    author_id: int | None
    at: str
    text: str = ""
    pieces: list = field(default_factory=list)  # (XmlText, start, stop) in bytes


def _texts(element):
    for child in element.children:
        if isinstance(child, XmlText):
            yield child
        elif isinstance(child, XmlElement):
            yield from _texts(child)


def open_suggestions(doc):
    """``{id: Suggestion}`` of the live document, in the order they begin."""
    found = {}
    for text in _texts(convert.fragment(doc)):
        offset = 0
        for chunk, attributes in text.diff():
            size = len(str(chunk).encode())
            for kind in KINDS:
                mark = (attributes or {}).get(kind)
                if not convert.valid_suggestion(mark):
                    continue
                suggestion = found.get(mark["id"])
                if suggestion is None:
                    suggestion = found[mark["id"]] = Suggestion(
                        id=mark["id"],
                        kind=kind,
                        author_id=convert.user_id(mark.get("author")),
                        at=mark.get("at") or "",
                    )
                if suggestion.kind == kind:
                    suggestion.text += str(chunk)
                    suggestion.pieces.append((text, offset, offset + size))
            offset += size
    return found


def _base(element):
    """The base text's shape: blocks with their level, runs of text that is
    not proposed for insertion with their other marks."""
    shape = [element.tag, element.attributes.get("level")]
    for child in element.children:
        if isinstance(child, XmlElement):
            shape.append(_base(child))
        elif isinstance(child, XmlText):
            shape.append(_runs(child))
    return shape


def _runs(text):
    runs = []
    for chunk, attributes in text.diff():
        attributes = dict(attributes or {})
        if "insertion" in attributes:
            continue
        attributes.pop("deletion", None)
        marks = json.dumps(attributes, sort_keys=True)
        if runs and runs[-1][1] == marks:
            runs[-1] = (runs[-1][0] + str(chunk), marks)
        else:
            runs.append((str(chunk), marks))
    return [run for run in runs if run[0]]


def base_shape(doc):
    return [_base(element) for element in convert.fragment(doc).children]


def _others(suggestions, author_id):
    return {
        ident: (each.kind, each.author_id, each.text)
        for ident, each in suggestions.items()
        if each.author_id != author_id
    }


def check_update(before, after, *, author_id, only_suggests):
    """Raises ``protocol.Malformed`` if the change from ``before`` to
    ``after`` (documents) makes a suggestion in someone else's name
    (``not_yours``) or, for someone who ``only_suggests``, changes the base
    text or someone else's suggestion (``suggest_only``)."""
    old, new = open_suggestions(before), open_suggestions(after)
    for ident, suggestion in new.items():
        if ident not in old and suggestion.author_id != author_id:
            raise protocol.Malformed("not_yours")
    if only_suggests and (
        base_shape(before) != base_shape(after)
        or _others(old, author_id) != _others(new, author_id)
    ):
        raise protocol.Malformed("suggest_only")


def new_authors(before, after):
    """The authors of suggestions in ``after`` that ``before`` lacks."""
    old = open_suggestions(before)
    return {
        each.author_id
        for ident, each in open_suggestions(after).items()
        if ident not in old
    }


def decide(doc, suggestions, *, accept):
    """Applies the decision to ``doc`` (in one transaction): accepting makes
    an insertion plain text and removes a deletion's text, rejecting does
    the opposite. Text a removed piece holds goes with it, suggestions
    inside it included."""
    removals, unmarks = [], []
    for suggestion in suggestions:
        remove = (suggestion.kind == "deletion") == accept
        for text, start, stop in suggestion.pieces:
            if remove:
                removals.append((text, start, stop))
            else:
                unmarks.append((text, start, stop, suggestion.kind))
    with doc.transaction():
        for text, start, stop, kind in unmarks:
            text.format(start, stop, {kind: None})
        for text, start, stop in _merged(removals):
            del text[start:stop]


def _merged(pieces):
    """The pieces to remove, overlapping ones merged, each text's last
    first (so that the offsets of the others stay right)."""
    by_text = {}
    for text, start, stop in pieces:
        by_text.setdefault(id(text), (text, []))[1].append((start, stop))
    for text, ranges in by_text.values():
        merged = []
        for start, stop in sorted(ranges):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(stop, merged[-1][1]))
            else:
                merged.append((start, stop))
        for start, stop in reversed(merged):
            yield text, start, stop
