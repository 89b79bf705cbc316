"""The Yjs protocol as y-protocols speaks it, in binary WebSocket frames:
``[0][0][state vector]`` sync step 1, ``[0][1][update]`` sync step 2,
``[0][2][update]`` update, ``[1][awareness update]`` awareness; lengths and
numbers as variable-length unsigned integers. Frames are read strictly:
anything else is ``Malformed``. Messages are written with pycrdt's own
helpers, and updates are checked against a copy of the document before
anything keeps them (``checked_update``)."""

import json

import pycrdt
from pycrdt import Doc

from documents.live import convert

SYNC, AWARENESS = 0, 1
STEP1, STEP2, UPDATE = 0, 1, 2
MAX_FRAME = 512 * 1024  # bytes: a long paste fits, a flood does not
MAX_AWARENESS_STATE = 4096  # bytes of one person's JSON state


class Malformed(ValueError):
    """Not a frame of the protocol, or an update that is not a draft's."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


class _Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def uint(self):
        value, shift = 0, 0
        while True:
            if self.pos >= len(self.data) or shift > 49:
                raise Malformed("malformed")
            byte = self.data[self.pos]
            self.pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    def bytes(self):
        length = self.uint()
        end = self.pos + length
        if end > len(self.data):
            raise Malformed("malformed")
        chunk, self.pos = self.data[self.pos : end], end
        return chunk

    def string(self):
        try:
            return self.bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise Malformed("malformed") from None

    def end(self):
        if self.pos != len(self.data):
            raise Malformed("malformed")


def parse(frame):
    """``(kind, step, payload)``: ``step`` is None for awareness."""
    if not isinstance(frame, bytes | bytearray) or not frame:
        raise Malformed("malformed")
    if len(frame) > MAX_FRAME:
        raise Malformed("too_large")
    reader = _Reader(bytes(frame))
    kind = reader.uint()
    if kind == SYNC:
        step = reader.uint()
        if step not in (STEP1, STEP2, UPDATE):
            raise Malformed("malformed")
        payload = reader.bytes()
        reader.end()
        return kind, step, payload
    if kind == AWARENESS:
        payload = reader.bytes()
        reader.end()
        return kind, None, payload
    raise Malformed("malformed")


def step1(doc):
    return pycrdt.create_sync_message(doc)


def step2(doc, state_vector):
    """The reply to a step 1: what ``doc`` has beyond ``state_vector``."""
    try:
        missing = doc.get_update(state_vector)
    except BaseException as error:  # noqa: BLE001 -- Rust panics included
        _reraise_fatal(error)
        raise Malformed("malformed") from None
    return bytes([SYNC, STEP2]) + pycrdt.write_message(missing)


def update_message(update):
    return pycrdt.create_update_message(update)


def awareness_message(payload):
    return pycrdt.create_awareness_message(payload)


def _reraise_fatal(error):
    if isinstance(error, KeyboardInterrupt | SystemExit | GeneratorExit):
        raise error
    if type(error).__name__ == "CancelledError":
        raise error


def checked_update(doc, *updates):
    """A copy of ``doc`` with ``updates`` applied, if the result is still a
    draft's document; else ``Malformed`` and ``doc`` is untouched."""
    copy = Doc()
    try:
        copy.apply_update(doc.get_update())
        for update in updates:
            copy.apply_update(update)
        convert.check(copy)
    except convert.NotADraft:
        raise Malformed("not_a_draft") from None
    except BaseException as error:  # noqa: BLE001 -- Rust panics included
        _reraise_fatal(error)
        raise Malformed("malformed") from None
    return copy


def awareness_entries(payload):
    """``[(client id, clock, state or None)]`` of an awareness update."""
    reader = _Reader(payload)
    entries = []
    for _ in range(reader.uint()):
        client, clock, text = reader.uint(), reader.uint(), reader.string()
        if len(text) > MAX_AWARENESS_STATE:
            raise Malformed("too_large")
        try:
            state = json.loads(text)
        except (ValueError, RecursionError):
            raise Malformed("malformed") from None
        if state is not None and not isinstance(state, dict):
            raise Malformed("malformed")
        entries.append((client, clock, state))
    reader.end()
    return entries


def awareness_payload(entries):
    out = [pycrdt.write_var_uint(len(entries))]
    for client, clock, state in entries:
        data = json.dumps(state, ensure_ascii=False).encode()
        out += [pycrdt.write_var_uint(client), pycrdt.write_var_uint(clock)]
        out.append(pycrdt.write_var_uint(len(data)) + data)
    return b"".join(out)
