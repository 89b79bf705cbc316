"""A pycrdt client of a draft's live document, through the whole ASGI
application with a real session cookie (as the browser's editor)."""

import asyncio
import json

from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from pycrdt import Doc, XmlElement, XmlText

from documents.live import convert, protocol
from platforma.asgi import application
from tests.workgroups.discussion_helpers import session_cookie


def readable(doc):
    """A document's blocks, one per line: ``kind[id]: text``."""
    return "\n".join(
        f"{element.tag}[{dict(element.attributes).get('blockId')}]: "
        + "".join(str(child) for child in element.children)
        for element in convert.fragment(doc).children
    )


class LiveClient:
    """A browser's side of the protocol: its own document, what the server
    said (notices), and what it sends."""

    def __init__(self, communicator, hello):
        self.communicator, self.hello = communicator, hello
        self.doc = Doc()
        self.notices, self.awareness = [], []

    @property
    def text(self):
        return readable(self.doc)

    async def receive(self, timeout=15):
        """Handles one frame from the server; returns it."""
        frame = await self.communicator.receive_output(timeout)
        if frame["type"] == "websocket.close":
            raise ConnectionError(frame.get("code"))
        if frame.get("text") is not None:
            notice = json.loads(frame["text"])
            self.notices.append(notice)
            return notice
        kind, step, payload = protocol.parse(frame["bytes"])
        if kind == protocol.AWARENESS:
            self.awareness.append(protocol.awareness_entries(payload))
        elif step == protocol.STEP1:
            reply = protocol.step2(self.doc, payload)
            await self.communicator.send_to(bytes_data=reply)
        else:
            self.doc.apply_update(payload)
        return frame

    async def drain(self, quiet=0.3):
        """Handles frames until none comes for ``quiet`` seconds."""
        while not await self.communicator.receive_nothing(timeout=quiet):
            await self.receive()

    async def sync(self):
        await self.communicator.send_to(bytes_data=protocol.step1(self.doc))
        await self.drain()

    async def edit(self, change):
        """Applies ``change(fragment)`` locally and sends its update."""
        before = self.doc.get_state()
        change(convert.fragment(self.doc))
        update = self.doc.get_update(before)
        await self.communicator.send_to(bytes_data=protocol.update_message(update))

    async def send(self, data):
        await self.communicator.send_to(bytes_data=data)

    async def close(self):
        await self.communicator.disconnect()


def add_paragraph(text, block_id="nowy"):
    def change(root):
        root.children.append(
            XmlElement("paragraph", {"blockId": block_id}, [XmlText(text)])
        )

    return change


def type_into(index, position, text):
    def change(root):
        root.children[index].children[0].insert(position, text)

    return change


async def connect(user, draft_id, app=application):
    """A synced ``LiveClient``, or the close code when refused (``app``: the
    site, or a wrapper)."""
    cookie = await database_sync_to_async(session_cookie)(user)
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    headers.append((b"cookie", cookie))
    communicator = WebsocketCommunicator(
        app, f"/ws/drafts/{draft_id}/", headers=headers
    )
    connected, code = await communicator.connect()
    if not connected:
        return code
    hello = await communicator.receive_json_from(timeout=5)
    client = LiveClient(communicator, hello)
    await client.sync()
    return client


async def closed_with(client, timeout=5):
    """The close code the server ends ``client``'s socket with."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        try:
            await client.receive(timeout=deadline - loop.time())
        except ConnectionError as closed:
            return closed.args[0]
    return None
