"""The binary formats of Yjs that pycrdt does not read for us: lib0's
variable-length numbers and strings, and the struct store of an update (v1:
each item's id, origins, parent and content), enough to find a block's
element by its id and a run of typed characters by its text
(documents/live/anchors.py uses both)."""

import bisect
from dataclasses import dataclass

from documents.live.convert import FIELD


class Unreadable(ValueError):
    """Not what Yjs writes."""


class Reader:
    def __init__(self, data):
        self.data, self.pos = bytes(data), 0

    def byte(self):
        if self.pos >= len(self.data):
            raise Unreadable("truncated")
        self.pos += 1
        return self.data[self.pos - 1]

    def uint(self):
        value, shift = 0, 0
        while True:
            byte = self.byte()
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                break
            shift += 7
            if shift > 63:
                raise Unreadable("number too long")
        return value

    def int(self):
        byte = self.byte()
        value, sign, shift = byte & 0x3F, -1 if byte & 0x40 else 1, 6
        while byte & 0x80:
            byte = self.byte()
            value |= (byte & 0x7F) << shift
            shift += 7
            if shift > 63:
                raise Unreadable("number too long")
        return sign * value

    def raw(self, size):
        if self.pos + size > len(self.data):
            raise Unreadable("truncated")
        self.pos += size
        return self.data[self.pos - size : self.pos]

    def string(self):
        try:
            return self.raw(self.uint()).decode()
        except UnicodeDecodeError:
            raise Unreadable("not UTF-8") from None

    def id(self):
        return self.uint(), self.uint()

    @property
    def done(self):
        return self.pos == len(self.data)


def write_uint(value):
    out = bytearray()
    while value > 0x7F:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    out.append(value)
    return bytes(out)


def write_int(value):
    rest = abs(value)
    first = (0x40 if value < 0 else 0) | (rest & 0x3F)
    rest >>= 6
    out = bytearray([first | (0x80 if rest else 0)])
    while rest:
        out.append((rest & 0x7F) | (0x80 if rest > 0x7F else 0))
        rest >>= 7
    return bytes(out)


def write_string(text):
    data = text.encode()
    return write_uint(len(data)) + data


@dataclass
class _Item:
    client: int
    clock: int
    length: int
    origin: tuple | None
    right_origin: tuple | None
    parent: object  # a root name, an item id, or None (to be inferred)
    parent_sub: str | None
    content: object  # for a type: ("type", ref); for Any: its values


class Structs:
    """The items of a Yjs update (v1), enough to find a block's element:
    each item's id, origins, parent and content."""

    def __init__(self, update):
        reader = Reader(update)
        self.items, self.clocks, self._parents = {}, {}, {}
        for _ in range(reader.uint()):
            count, client, clock = reader.uint(), reader.uint(), reader.uint()
            for _ in range(count):
                item = self._struct(reader, client, clock)
                clock += item.length
                if item.content is not None:
                    self.items.setdefault(client, []).append(item)
        for client, items in self.items.items():
            self.clocks[client] = [item.clock for item in items]
        self.deleted = self._delete_set(reader)

    def _struct(self, reader, client, clock):
        info = reader.byte()
        ref = info & 0x1F
        if ref in (0, 10):  # GC, skip
            return _Item(client, clock, reader.uint(), None, None, None, None, None)
        origin = reader.id() if info & 0x80 else None
        right = reader.id() if info & 0x40 else None
        parent = sub = None
        if not info & 0xC0:
            parent = reader.string() if reader.uint() == 1 else reader.id()
            sub = reader.string() if info & 0x20 else None
        length, content = _content(reader, ref)
        return _Item(client, clock, length, origin, right, parent, sub, content)

    @staticmethod
    def _delete_set(reader):
        deleted = {}
        for _ in range(reader.uint()):
            client = reader.uint()
            deleted[client] = [
                (reader.uint(), reader.uint()) for _ in range(reader.uint())
            ]
        return deleted

    def find(self, client, clock):
        clocks = self.clocks.get(client, [])
        index = bisect.bisect_right(clocks, clock) - 1
        if index < 0:
            return None
        item = self.items[client][index]
        return item if clock < item.clock + item.length else None

    def is_deleted(self, client, clock):
        return any(
            start <= clock < start + size
            for start, size in self.deleted.get(client, ())
        )

    def parent_of(self, item):
        """``(parent, key)``: explicit, or that of the item an origin is in
        (followed iteratively: typing makes chains as long as the text),
        remembered for every item on the way."""
        chain = []
        while item is not None and item.parent is None:
            known = self._parents.get((item.client, item.clock))
            if known is not None:
                break
            chain.append(item)
            item = self._origin_item(item)
        if item is None:
            found = (None, None)
        else:
            found = self._parents.get(
                (item.client, item.clock), (item.parent, item.parent_sub)
            )
        for link in chain:
            self._parents[(link.client, link.clock)] = found
        return found

    def _origin_item(self, item):
        for origin in (item.origin, item.right_origin):
            other = self.find(*origin) if origin else None
            if other is not None and other.content is not None:
                return other
        return None

    def block_element(self, block_id):
        """The id of a live top-level element whose ``blockId`` is
        ``block_id``."""
        elements = {
            (item.client, item.clock)
            for items in self.items.values()
            for item in items
            if item.content == ("type", 3)
            and self.parent_of(item)[0] == FIELD
            and not self.is_deleted(item.client, item.clock)
        }
        for items in self.items.values():
            for item in items:
                parent, key = self.parent_of(item)
                if (
                    key == "blockId"
                    and parent in elements
                    and item.content == ["any", block_id]
                    and not self.is_deleted(item.client, item.clock)
                ):
                    return parent
        return None


def _content(reader, ref):
    """``(length, what matters of the content)`` of an item's content."""
    if ref == 1:  # deleted
        return reader.uint(), None
    if ref == 2:  # JSON
        count = reader.uint()
        for _ in range(count):
            reader.string()
        return count, ()
    if ref == 3:  # binary
        reader.raw(reader.uint())
        return 1, ()
    if ref == 4:  # string: its length in UTF-16 code units, as Yjs counts
        text = reader.string()
        return len(text.encode("utf-16-le")) // 2, ("string", text)
    if ref == 5:  # embed
        reader.string()
        return 1, ()
    if ref == 6:  # format
        reader.string(), reader.string()
        return 1, ()
    if ref == 7:  # a type
        type_ref = reader.uint()
        if type_ref in (3, 5):
            reader.string()
        return 1, ("type", type_ref)
    if ref == 8:  # any
        count = reader.uint()
        values = [_any(reader) for _ in range(count)]
        return count, ["any", *values]
    if ref == 9:  # a subdocument
        reader.string(), _any(reader)
        return 1, ()
    raise Unreadable("unknown content")


def _any(reader, depth=0):
    """One value of lib0's ``writeAny``."""
    if depth > 64:
        raise Unreadable("too deep")
    tag = reader.byte()
    simple = {127: None, 126: None, 121: False, 120: True}
    if tag in simple:
        return simple[tag]
    if tag == 125:
        return reader.int()
    if tag in (124, 123, 122):
        reader.raw({124: 4, 123: 8, 122: 8}[tag])
        return 0
    if tag == 119:
        return reader.string()
    if tag == 118:
        return {reader.string(): _any(reader, depth + 1) for _ in range(reader.uint())}
    if tag == 117:
        return [_any(reader, depth + 1) for _ in range(reader.uint())]
    if tag == 116:
        return reader.raw(reader.uint())
    raise Unreadable("unknown value")
