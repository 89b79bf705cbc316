"""A draft's StreamField body as a live document and back.

The live document is the Yjs XML fragment ``default`` that Tiptap's
collaboration extension edits: one element per top-level block, named
after its ProseMirror node (``heading`` with ``level``, ``paragraph``,
``bulletList``/``orderedList`` of ``listItem``, ``blockquote``), each
carrying its StreamField block id as ``blockId``. Text is ``XmlText``
whose formatting attributes are the marks (``bold``, ``italic``, ``link``).

The StreamField holds headings and paragraphs of plain text, so going back
keeps what it can hold: a heading of either level is a heading, every other
block a paragraph of its text (a list item per line, "- " or "1. " before
it), marks are dropped. Block ids are kept; a block without one, or with one
already used above it (a paragraph split in the editor), gets a new one.
"""

import uuid

from pycrdt import Doc, XmlElement, XmlFragment, XmlText

FIELD = "default"
BLOCKS = {"heading", "paragraph", "bulletList", "orderedList", "blockquote"}
INNER = {"paragraph", "listItem", "bulletList", "orderedList", "blockquote"}
MARKS = {"bold", "italic", "link"}
MAX_TEXT = 1_000_000  # characters in one live document
MAX_DEPTH = 8


class NotADraft(ValueError):
    """The live document holds something a draft cannot (an unknown block
    or mark, too deep, too long)."""


def fragment(doc):
    return doc.get(FIELD, type=XmlFragment)


def body_to_doc(body, doc=None):
    """A new live document (or ``doc``, empty) holding ``body``'s blocks:
    StreamField raw data or a StreamValue."""
    doc = doc if doc is not None else Doc()
    _append(fragment(doc), body)
    return doc


def replace_body(doc, body):
    """The update that makes ``doc`` hold ``body`` (None when it does
    already): every block of the live document is replaced."""
    if [_plain(block) for block in doc_to_body(doc)] == [
        _plain(block) for block in _raw(body)
    ]:
        return None
    before = doc.get_state()
    root = fragment(doc)
    with doc.transaction():
        del root.children[0 : len(root.children)]
        _append(root, body)
    return doc.get_update(before)


def _plain(block):
    return (block["type"], block["value"], block["id"])


def _append(root, body):
    for block in _raw(body):
        kind = "heading" if block["type"] == "heading" else "paragraph"
        element = XmlElement(kind, {"blockId": block["id"]}, [XmlText(block["value"])])
        root.children.append(element)
        if kind == "heading":
            element.attributes["level"] = 2


def _raw(body):
    if hasattr(body, "raw_data"):
        return list(body.raw_data)
    return list(body)


def doc_to_body(doc, *, write_ids=False):
    """StreamField raw data for the live document ``doc``; with
    ``write_ids``, the new block ids are written into ``doc`` too."""
    seen, blocks = set(), []
    for element in fragment(doc).children:
        if not isinstance(element, XmlElement) or element.tag not in BLOCKS:
            continue
        text = _block_text(element)
        if not text.strip():
            continue
        block_id = (
            element.attributes.get("blockId")
            if "blockId" in element.attributes
            else None
        )
        if not isinstance(block_id, str) or not block_id or block_id in seen:
            block_id = str(uuid.uuid4())
            if write_ids:
                element.attributes["blockId"] = block_id
        seen.add(block_id)
        kind = "heading" if element.tag == "heading" else "paragraph"
        if kind == "heading":
            text = " ".join(text.split())
        blocks.append({"type": kind, "value": text, "id": block_id})
    return blocks


def _block_text(element):
    if element.tag in ("bulletList", "orderedList"):
        lines = []
        for number, item in enumerate(_elements(element), start=1):
            prefix = "- " if element.tag == "bulletList" else f"{number}. "
            lines.append(prefix + _block_text(item).replace("\n", " "))
        return "\n".join(lines)
    if element.tag in ("blockquote", "listItem"):
        return "\n".join(_block_text(child) for child in _elements(element))
    return "".join(
        str(chunk[0])
        for child in element.children
        if isinstance(child, XmlText)
        for chunk in child.diff()
    )


def _elements(element):
    return [child for child in element.children if isinstance(child, XmlElement)]


def check(doc):
    """Raises ``NotADraft`` unless ``doc`` holds only what a draft's editor
    makes."""
    total = 0
    for element in fragment(doc).children:
        if not isinstance(element, XmlElement) or element.tag not in BLOCKS:
            raise NotADraft("unknown block")
        total += _check_node(element, 1)
        if total > MAX_TEXT:
            raise NotADraft("too long")


def _check_node(element, depth):
    if depth > MAX_DEPTH:
        raise NotADraft("too deep")
    size = 0
    for child in element.children:
        if isinstance(child, XmlText):
            for text, attributes in child.diff():
                if not isinstance(text, str) or set(attributes or ()) - MARKS:
                    raise NotADraft("unknown mark")
                size += len(text)
        elif isinstance(child, XmlElement) and child.tag in INNER:
            size += _check_node(child, depth + 1)
        else:
            raise NotADraft("unknown node")
    return size
