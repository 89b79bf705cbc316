"""Where a comment on a range of the live document is now
(docs/subsystems/drafts-and-review.md#comments-on-any-text).

The editor anchors a comment with two Yjs relative positions (made by
y-prosemirror's ``absolutePositionToRelativePosition``), stored as Yjs
encodes them. pycrdt 0.14 decodes them (``StickyIndex``) but its index
counts UTF-8 bytes and says neither in which text of the document it is,
nor can it make one for an ``XmlText``. So this module reads the positions
itself (``decode``/``encode``) and finds where one is by a *probe*: on a
copy of the document, a one-character item inserted right after the
anchored item (or into the anchored type) is reported by pycrdt's deep
observer with its path, and its place is read from the text; the probe is
deleted again at once, so later probes see the same text. To anchor a
whole block or a typed phrase it reads the update's struct store
(``yjs_format.Structs``).
"""

from dataclasses import dataclass
from functools import cached_property

from pycrdt import Doc, XmlElement, XmlFragment, XmlText

from documents.live import yjs_format as fmt
from documents.live.convert import FIELD

MAX_POSITION = 64  # bytes: an encoded position is at most about 30
MAX_ID = 2**53  # Yjs ids are JavaScript numbers
# Probes are written by clients with ids below every editor's (random
# 32-bit and 53-bit numbers): Yjs places an item after its origin and before
# concurrent ones of higher clients, so a probe lands right after its anchor.
PROBE_CLIENTS = 1_000
PROBE = "\ufffc"  # the object replacement character: never in a draft's text
_ITEM, _ROOT, _TYPE = 0, 1, 2


class BadAnchor(ValueError):
    """Not a relative position the editor makes."""


@dataclass(frozen=True)
class Position:
    """A decoded Yjs relative position: ``kind`` 0 is a character or child
    (``client``, ``clock``), 1 the end of a root type (``name``), 2 the start
    (``assoc`` < 0) or end of the type made by item (``client``, ``clock``)."""

    kind: int
    client: int = 0
    clock: int = 0
    name: str = ""
    assoc: int = 0


@dataclass(frozen=True)
class Span:
    """What a comment's range holds now: ``found`` when both ends are in
    the live document, ``text`` the text between them (blocks separated by
    a line break; empty when it was deleted), ``block_id`` the id of the
    block it starts in ('' when it has none)."""

    found: bool
    text: str = ""
    block_id: str = ""

    @property
    def removed(self):
        return not self.text.strip()


# --- relative positions ---------------------------------------------------------


def decode(data) -> Position:
    """The position ``data`` encodes (Yjs ``encodeRelativePosition``), or
    ``BadAnchor``."""
    if not isinstance(data, bytes | bytearray | memoryview) or not data:
        raise BadAnchor("empty")
    if len(data) > MAX_POSITION:
        raise BadAnchor("too long")
    try:
        return _decode(fmt.Reader(data))
    except fmt.Unreadable as error:
        raise BadAnchor(str(error)) from None


def _decode(reader):
    kind = reader.uint()
    if kind in (_ITEM, _TYPE):
        client, clock = reader.id()
        if client >= MAX_ID or clock >= MAX_ID:
            raise BadAnchor("id out of range")
        position = Position(kind, client, clock, assoc=reader.int())
    elif kind == _ROOT:
        position = Position(kind, name=reader.string(), assoc=reader.int())
        if position.name != FIELD:
            raise BadAnchor("another document")
    else:
        raise BadAnchor("unknown kind")
    if not reader.done:
        raise BadAnchor("trailing bytes")
    return position


def encode(position: Position) -> bytes:
    if position.kind == _ROOT:
        head = fmt.write_uint(_ROOT) + fmt.write_string(position.name)
    else:
        head = (
            fmt.write_uint(position.kind)
            + fmt.write_uint(position.client)
            + fmt.write_uint(position.clock)
        )
    return head + fmt.write_int(position.assoc)


# --- the live document as text, and probes ----------------------------------------


class Resolver:
    """Resolves ranges against one copy of a live document (``update``: the
    whole document as one Yjs update)."""

    def __init__(self, update):
        self.update = bytes(update)
        self.doc = Doc()
        self.doc.apply_update(self.update)
        self.root = self.doc.get(FIELD, type=XmlFragment)
        self._probe_id = (1, 0)  # the next probe's client and clock
        self._layout()

    def _layout(self):
        """The document's text in order (``self.text``), where each node
        starts (``self.starts[path]``: offsets before each child, then its
        end) and the block id of each top-level block."""
        self.text, self.starts, self.lengths, self.block_ids = "", {}, {}, []
        self.texts = set()
        self._last_parent = None
        for child in self.root.children:
            ids = child.attributes if isinstance(child, XmlElement) else {}
            block_id = ids.get("blockId") if "blockId" in ids else None
            self.block_ids.append(block_id if isinstance(block_id, str) else "")
        self._walk(self.root, ())

    def _walk(self, node, path):
        offsets = []
        children = list(node.children)
        for index, child in enumerate(children):
            offsets.append(len(self.text))
            if isinstance(child, XmlText):
                self._add_text(child, path, path + (index,))
            else:
                self._walk(child, path + (index,))
        offsets.append(len(self.text))
        self.starts[path] = offsets
        self.lengths[path] = len(children)

    def _add_text(self, node, parent, path):
        if self.text and self._last_parent != parent:
            self.text += "\n"
        self._last_parent = parent
        text = "".join(str(part) for part, _ in node.diff())
        self.starts[path] = [len(self.text)]
        self.lengths[path] = len(text)
        self.texts.add(path)
        self.text += text

    def span(self, start, end) -> Span:
        """What lies between the encoded positions ``start`` and ``end``
        now; ``BadAnchor`` if either is not a position."""
        first, last = self.offset(decode(start)), self.offset(decode(end))
        if first is None or last is None:
            return Span(found=False)
        offset, path = first
        block = self.block_ids[path[0]] if path else ""
        return Span(
            found=True, text=self.text[offset : max(offset, last[0])], block_id=block
        )

    def offset(self, position):
        """``(offset in self.text, path of the node)`` of ``position``, or
        None when it is not (or no longer) in the document."""
        if position.kind == _ROOT:
            return self._in_node((), position.assoc)
        anchored = (position.client, position.clock)
        if position.kind == _TYPE:
            found = self._probe(_probe_into, anchored)
            return found and self._in_node(found[0], position.assoc)
        found = self._probe(_probe_after, anchored)
        if found is None:
            return None
        path, after = found
        # Right after the anchored item, or where it was if it is deleted:
        # associated to the left (y-prosemirror's way), that is the place;
        # to the right, the place is before the item, if it is still there.
        index = after
        if position.assoc >= 0 and not self.structs.is_deleted(*anchored):
            index -= 1
        starts = self.starts[path]
        if path in self.texts:
            return starts[0] + index, path
        return starts[min(index, len(starts) - 1)], path

    def _in_node(self, path, assoc):
        starts = self.starts.get(path)
        if starts is None:
            return None
        if path in self.texts:
            return starts[0] + (self.lengths[path] if assoc >= 0 else 0), path
        return (starts[-1] if assoc >= 0 else starts[0]), path

    @cached_property
    def structs(self):
        return fmt.Structs(self.update)

    def _probe(self, make, anchored):
        """``(path, index)``: the node a probe (``make``: an update inserting
        one character after or into ``anchored``) landed in and where in
        it, or None when it landed nowhere (its anchor is unknown here,
        another document's, or in a deleted part). The probe is deleted
        again at once. In a text the index is read from the text itself, in
        characters: pycrdt's own indices (its deltas,
        ``StickyIndex.get_index``) count UTF-8 bytes."""
        client, clock = self._probe_id
        if client >= PROBE_CLIENTS:
            raise BadAnchor("too many anchors")
        events = []
        subscription = self.root.observe_deep(events.extend)
        try:
            self.doc.apply_update(make(client, clock, anchored))
            inserted = [
                event
                for event in events
                if any("insert" in change for change in event.delta or ())
            ]
            found = None
            if inserted and tuple(inserted[0].path) in self.starts:
                path = tuple(inserted[0].path)
                found = path, self._probe_index(path, inserted[0])
        finally:
            self.root.unobserve(subscription)
            self.doc.apply_update(_delete(client, clock))
        # A probe that landed nowhere may wait for its anchor: the next
        # clocks of its client would wait too, so the next probe takes
        # another client.
        self._probe_id = (client, clock + 1) if events else (client + 1, 0)
        return found

    def _probe_index(self, path, event):
        if path not in self.texts:
            return event.delta[0].get("retain", 0)
        node = self.root
        for index in path:
            node = node.children[index]
        return "".join(str(part) for part, _ in node.diff()).index(PROBE)


def _probe_after(client, clock, origin):
    """An update inserting one character right after item ``origin``."""
    return (
        fmt.write_uint(1)
        + fmt.write_uint(1)
        + fmt.write_uint(client)
        + fmt.write_uint(clock)
        + bytes([0x80 | 4])  # an origin; content: a string
        + fmt.write_uint(origin[0])
        + fmt.write_uint(origin[1])
        + fmt.write_string(PROBE)
        + fmt.write_uint(0)
    )


def _probe_into(client, clock, parent):
    """An update inserting one character at the start of the type made by
    item ``parent``."""
    return (
        fmt.write_uint(1)
        + fmt.write_uint(1)
        + fmt.write_uint(client)
        + fmt.write_uint(clock)
        + bytes([4])  # no origins, so the parent is named; content: a string
        + fmt.write_uint(0)  # the parent is an item, not a root type
        + fmt.write_uint(parent[0])
        + fmt.write_uint(parent[1])
        + fmt.write_string(PROBE)
        + fmt.write_uint(0)
    )


def _delete(client, clock):
    """An update deleting the probe ``(client, clock)``."""
    return (
        fmt.write_uint(0)
        + fmt.write_uint(1)
        + fmt.write_uint(client)
        + fmt.write_uint(1)
        + fmt.write_uint(clock)
        + fmt.write_uint(1)
    )


# --- whole blocks -------------------------------------------------------------------


def block_range(update, block_id):
    """``(start, end)`` encoded positions of the whole top-level block with
    ``block_id`` in the live document ``update`` (the start and the end of
    its element), or None when no block has that id."""
    element = fmt.Structs(update).block_element(block_id)
    if element is None:
        return None
    client, clock = element
    return (
        encode(Position(_TYPE, client, clock, assoc=-1)),
        encode(Position(_TYPE, client, clock, assoc=0)),
    )


def text_range(update, text):
    """``(start, end)`` encoded positions, as the editor makes them, of the
    first ``text`` in the live document ``update`` that lies within one run
    of characters typed together (so the demo, and tests, anchor comments
    the way a browser does), or None."""
    structs = fmt.Structs(update)
    for items in structs.items.values():
        for item in items:
            index = _find(structs, item, text)
            start = index is not None and _before(structs, item, index)
            if start:
                last = item.clock + index + len(text) - 1
                return (
                    encode(start),
                    encode(Position(_ITEM, item.client, last, assoc=-1)),
                )
    return None


def _find(structs, item, text):
    """Where ``text`` is in ``item``'s characters, if none of them is
    deleted."""
    if not item.content or item.content[0] != "string":
        return None
    index = item.content[1].find(text)
    clocks = range(item.clock + index, item.clock + index + len(text))
    if index < 0 or any(structs.is_deleted(item.client, clock) for clock in clocks):
        return None
    return index


def _before(structs, item, index):
    """The position before character ``index`` of ``item``, as
    y-prosemirror makes it: after the character on its left, or at the
    start of its text."""
    if index:
        return Position(_ITEM, item.client, item.clock + index - 1, assoc=-1)
    if item.origin:
        return Position(_ITEM, *item.origin, assoc=-1)
    parent = structs.parent_of(item)[0]
    return Position(_TYPE, *parent, assoc=-1) if isinstance(parent, tuple) else None
