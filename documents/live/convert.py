"""A draft's StreamField body as a live document and back.

The live document is the Yjs XML fragment ``default`` that Tiptap's
collaboration extension edits: one element per top-level block, named
after its ProseMirror node (``heading`` with ``level``, ``paragraph``,
``bulletList``/``orderedList`` of ``listItem``, ``blockquote``), each
carrying its StreamField block id as ``blockId``. Text is ``XmlText``
whose formatting attributes are the marks (``bold``, ``italic``, ``link``
with its ``href``).

Every block and mark has its StreamField form (documents/blocks.py):
``heading`` level 2 and 3 are ``heading`` and ``subheading``; a paragraph's,
a quote's and a list item's marks are its stored HTML (documents/richtext.py,
which drops a link to anything but http(s) or mailto). What the editor can
nest deeper than a draft holds is flattened without losing text: a quote's
paragraphs and a list item's paragraphs are lines of one block, a nested
list's items follow their parent item. Headings hold plain text. Block ids
are kept; a block without one, or with one already used above it (a
paragraph split in the editor), gets a new one.
"""

import uuid

from pycrdt import Doc, XmlElement, XmlFragment, XmlText

from documents import richtext
from documents.blocks import HEADINGS, LISTS, list_items, normal_value, plain_text

FIELD = "default"
BLOCKS = {"heading", "paragraph", "bulletList", "orderedList", "blockquote"}
INNER = {"paragraph", "listItem", "bulletList", "orderedList", "blockquote"}
SUGGESTIONS = ("insertion", "deletion")  # documents/live/suggestions.py
MARKS = {"bold", "italic", "link", *SUGGESTIONS}
LIST = {"bulletList", "orderedList"}
MAX_TEXT = 1_000_000  # characters in one live document
MAX_DEPTH = 8
MAX_SUGGESTION_ID = 64
MAX_SUGGESTION_AT = 40


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
    if [_normal(block) for block in doc_to_body(doc)] == [
        _normal(block) for block in _raw(body)
    ]:
        return None
    before = doc.get_state()
    root = fragment(doc)
    with doc.transaction():
        del root.children[0 : len(root.children)]
        _append(root, body)
    return doc.get_update(before)


def _normal(block):
    return (block["type"], normal_value(block["type"], block["value"]), block["id"])


def _append(root, body):
    for block in _raw(body):
        kind, value = block["type"], block["value"]
        attributes = {"blockId": block["id"]}
        if kind in HEADINGS:
            attributes["level"] = HEADINGS[kind]
            element = root.children.append(XmlElement("heading", attributes, []))
            _write(element, [richtext.Run(str(value))])
        elif kind in LISTS:
            element = root.children.append(XmlElement(LISTS[kind], attributes, []))
            for item in list_items(value):
                list_item = element.children.append(XmlElement("listItem", {}, []))
                _write_paragraphs(list_item, richtext.html_to_runs(item))
        elif kind == "quote":
            element = root.children.append(XmlElement("blockquote", attributes, []))
            _write_paragraphs(element, richtext.html_to_runs(value))
        else:
            element = root.children.append(XmlElement("paragraph", attributes, []))
            _write(element, richtext.html_to_runs(value))


def _write_paragraphs(parent, runs):
    """One paragraph per line of ``runs`` (quotes and list items hold
    paragraphs, not line breaks)."""
    for line in _lines(runs):
        _write(parent.children.append(XmlElement("paragraph", {}, [])), line)


def _lines(runs):
    lines = [[]]
    for run in runs:
        for index, part in enumerate(run.text.split("\n")):
            if index:
                lines.append([])
            lines[-1].append(run._replace(text=part))
    return lines


def _write(element, runs):
    text = element.children.append(XmlText())
    for run in richtext.merge(runs):
        text.insert(len(text), run.text, _marks(run))


def _marks(run):
    marks = {}
    if run.bold:
        marks["bold"] = {}
    if run.italic:
        marks["italic"] = {}
    if run.href:
        marks["link"] = {"href": run.href}
    return marks or None


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
        kind, value = _block(element)
        if not plain_text(kind, value).strip():
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
        blocks.append({"type": kind, "value": value, "id": block_id})
    return blocks


def _block(element):
    """The StreamField type and raw value of a top-level element."""
    if element.tag == "heading":
        text = " ".join("".join(run.text for run in _runs(element)).split())
        level = element.attributes.get("level") if "level" in element.attributes else 2
        return ("subheading" if _level(level) == 3 else "heading"), text
    if element.tag in ("bulletList", "orderedList"):
        kind = "bulleted_list" if element.tag == "bulletList" else "numbered_list"
        items = [richtext.runs_to_html(runs) for runs in _items(element)]
        return kind, [item for item in items if richtext.plain(item).strip()]
    kind = "quote" if element.tag == "blockquote" else "paragraph"
    return kind, richtext.runs_to_html(_runs(element))


def _level(level):
    try:
        return int(level)
    except (TypeError, ValueError):
        return 2


def _items(element):
    """A list's items as runs; a nested list's items follow their parent's."""
    items = []
    for item in _elements(element):
        lines = [_runs(child) for child in _elements(item) if child.tag not in LIST]
        items.append(_joined(lines))
        for child in _elements(item):
            if child.tag in LIST:
                items += _items(child)
    return items


def _runs(element):
    """The runs of an element's text; its child blocks as lines."""
    texts = [child for child in element.children if isinstance(child, XmlText)]
    if texts:
        return [
            _run(text, attributes)
            for child in texts
            for text, attributes in child.diff()
        ]
    if element.tag in LIST:
        return _joined(_items(element))
    return _joined([_runs(child) for child in _elements(element)])


def _joined(lines):
    runs = []
    for index, line in enumerate(lines):
        if index:
            runs.append(richtext.Run("\n"))
        runs += line
    return runs


def _run(text, attributes):
    attributes = attributes or {}
    if "insertion" in attributes:  # not accepted yet: not in the text
        return richtext.Run("")
    link = attributes.get("link")
    href = link.get("href") if isinstance(link, dict) else None
    return richtext.Run(
        str(text),
        bold=attributes.get("bold") is not None,
        italic=attributes.get("italic") is not None,
        href=richtext.safe_href(href),
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
                if not isinstance(text, str) or not _known_marks(attributes or {}):
                    raise NotADraft("unknown mark")
                size += len(text)
        elif isinstance(child, XmlElement) and child.tag in INNER:
            size += _check_node(child, depth + 1)
        else:
            raise NotADraft("unknown node")
    return size


def _known_marks(attributes):
    return not set(attributes) - MARKS and all(
        valid_suggestion(attributes[kind]) for kind in SUGGESTIONS if kind in attributes
    )


def valid_suggestion(value):
    """Whether ``value`` is what the editor writes for a suggestion's mark:
    ``{"id", "author", "at"}``."""
    if not isinstance(value, dict) or set(value) - {"id", "author", "at"}:
        return False
    ident, at = value.get("id"), value.get("at")
    return (
        isinstance(ident, str)
        and 0 < len(ident) <= MAX_SUGGESTION_ID
        and user_id(value.get("author")) is not None
        and (at is None or (isinstance(at, str) and len(at) <= MAX_SUGGESTION_AT))
    )


def user_id(value):
    """A user id written in the document (Yjs numbers may arrive as floats),
    or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None  # also inf and nan
    if not 0 < value < 2**53:
        return None
    return int(value)
