// The connection of a live document to /ws/drafts/<id>/: the Yjs sync
// protocol (step 1, step 2, update) and awareness in binary frames, and the
// server's own notices (hello, error) as JSON text frames.
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
// Closed by the server because access ended: never reconnect.
const FINAL_CODES = new Set([4401, 4403, 4404]);

export class LiveProvider {
  constructor(url, doc, { onStatus, onNotice }) {
    this.url = url;
    this.doc = doc;
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.onStatus = onStatus;
    this.onNotice = onNotice;
    this.socket = null;
    this.synced = false;
    this.delay = 250;
    this.stopped = false;
    doc.on("update", (update, origin) => {
      if (origin !== this) {
        this.send((encoder) => syncProtocol.writeUpdate(encoder, update));
      }
    });
    this.awareness.on("update", ({ added, updated, removed }, origin) => {
      if (origin === this) {
        return;
      }
      const changed = added.concat(updated, removed);
      this.sendAwareness(changed);
    });
    window.addEventListener("beforeunload", () => {
      awarenessProtocol.removeAwarenessStates(this.awareness, [doc.clientID], "window unload");
    });
    window.addEventListener("offline", () => this.goOffline());
    window.addEventListener("online", () => {
      if (!this.socket && !this.stopped) {
        this.connect();
      }
    });
    this.connect();
  }

  connect() {
    if (!navigator.onLine) {
      return; // the "online" event connects again
    }
    const socket = new WebSocket(this.url);
    socket.binaryType = "arraybuffer";
    this.socket = socket;
    socket.addEventListener("open", () => {
      if (this.socket !== socket) {
        return;
      }
      this.delay = 250;
      this.onStatus("online");
      this.send((encoder) => syncProtocol.writeSyncStep1(encoder, this.doc));
      this.sendAwareness([this.doc.clientID]);
    });
    socket.addEventListener("message", (event) => {
      if (this.socket === socket) {
        this.receive(event.data);
      }
    });
    socket.addEventListener("close", (event) => {
      if (this.socket !== socket) {
        return; // already let go (offline)
      }
      this.dropped();
      if (this.stopped || FINAL_CODES.has(event.code)) {
        this.onStatus("closed");
        return;
      }
      setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 5000);
    });
  }

  // The connection is gone (closed, or the browser went offline): the
  // others' carets go; what is typed meanwhile waits in the document and
  // reaches the server with the next sync step.
  dropped() {
    this.socket = null;
    this.synced = false;
    const others = Array.from(this.awareness.getStates().keys()).filter(
      (client) => client !== this.doc.clientID,
    );
    awarenessProtocol.removeAwarenessStates(this.awareness, others, this);
    this.onStatus("offline");
  }

  goOffline() {
    const socket = this.socket;
    if (socket) {
      this.dropped();
      socket.close();
    }
  }

  receive(data) {
    if (typeof data === "string") {
      const notice = JSON.parse(data);
      if (notice.type === "resync" || (notice.type === "status" && notice.state === "live")) {
        this.send((encoder) => syncProtocol.writeSyncStep1(encoder, this.doc));
      }
      this.onNotice(notice);
      return;
    }
    const decoder = decoding.createDecoder(new Uint8Array(data));
    const encoder = encoding.createEncoder();
    const kind = decoding.readVarUint(decoder);
    if (kind === MESSAGE_SYNC) {
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      const step = syncProtocol.readSyncMessage(decoder, encoder, this.doc, this);
      if (step === syncProtocol.messageYjsSyncStep2 && !this.synced) {
        this.synced = true;
        this.onStatus("synced");
      }
      if (encoding.length(encoder) > 1) {
        this.socket?.send(encoding.toUint8Array(encoder));
      }
    } else if (kind === MESSAGE_AWARENESS) {
      awarenessProtocol.applyAwarenessUpdate(
        this.awareness,
        decoding.readVarUint8Array(decoder),
        this,
      );
    }
  }

  send(write) {
    if (this.socket?.readyState !== WebSocket.OPEN) {
      return; // offline: the next sync step brings it to the server
    }
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    write(encoder);
    this.socket.send(encoding.toUint8Array(encoder));
  }

  sendAwareness(clients) {
    if (this.socket?.readyState !== WebSocket.OPEN) {
      return;
    }
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(
      encoder,
      awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients),
    );
    this.socket.send(encoding.toUint8Array(encoder));
  }

  // For tests and the offline switch: stop and start the connection.
  disconnect() {
    this.stopped = true;
    this.socket?.close();
  }
}
