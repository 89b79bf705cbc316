/* Live discussion: the topic page works without this script (list and form);
   with it, messages arrive over a WebSocket, are announced politely to screen
   readers, and nothing is lost: every message carries the room's sequence
   number, a gap or a reconnect asks the server for what came after the last
   one seen, and a message is shown as sent only once the server acknowledged
   it. A message is shown as the server rendered it (workgroups/discussion/
   _message.html, in this page's language; the event carries it), with this
   reader's controls cloned from the page's <template>s: the script never
   builds a message or parses its text. What the person types is inserted
   as text (textContent), never as markup, until the server's version comes. */
(function () {
    "use strict";
    var root = document.querySelector("[data-discussion]");
    if (!root) { return; }
    var strings = JSON.parse(document.getElementById("discussion-strings").textContent);
    var topicId = Number(root.dataset.topic);
    var me = Number(root.dataset.me);
    var lang = document.documentElement.lang;
    var authorActions = document.getElementById("discussion-author-actions");
    var chairActions = document.getElementById("discussion-chair-actions");
    var lastSeq = Number(root.dataset.lastSeq);
    var list = root.querySelector("[data-messages]");
    var statusEl = root.querySelector("[data-status]");
    var announcer = root.querySelector("[data-announcer]");
    var onlineWrap = root.querySelector("[data-online-wrap]");
    var onlineEl = root.querySelector("[data-online]");
    var form = root.querySelector("[data-post-form]");
    var seen = new Set();
    var pending = new Map(); // client id -> {body, item}
    var socket = null;
    var ended = false; // access ended: the page no longer connects
    var backoff = 500;
    var syncing = false;
    var gapSeen = false;
    var readTimer = null;

    list.querySelectorAll("[data-seq]").forEach(function (item) {
        seen.add(Number(item.dataset.seq));
    });

    function setStatus(state) {
        statusEl.hidden = false;
        statusEl.dataset.state = state;
        statusEl.textContent = strings[state] || state;
    }

    function announce(text) {
        announcer.textContent = "";
        window.setTimeout(function () { announcer.textContent = text; }, 50);
    }

    /* A rename or a close made while this page is open: the title, the
       "closed" notice and the form follow, and a change of state is read out. */
    function showTopic(topic) {
        if (topic.title !== null) {
            document.getElementById("topic-title").textContent = topic.title;
        }
        var closedEl = document.getElementById("topic-closed");
        if (closedEl.hidden !== topic.closed) { return; }
        closedEl.hidden = !topic.closed;
        if (form) { form.hidden = topic.closed; }
        announce(topic.closed ? closedEl.textContent : strings.reopened);
    }

    function send(frame) {
        if (socket && socket.readyState === WebSocket.OPEN) {
            socket.send(JSON.stringify(frame));
            return true;
        }
        return false;
    }

    function uuid() {
        if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
        var bytes = window.crypto.getRandomValues(new Uint8Array(16));
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
        return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
    }

    /* This reader's controls of a message, from a <template> of the page
       rendered for message 0: the links and forms get the message's id. */
    function controls(template, item) {
        var part = template.content.cloneNode(true);
        [["a[href]", "href"], ["form[action]", "action"]].forEach(function (pair) {
            part.querySelectorAll(pair[0]).forEach(function (element) {
                var url = element.getAttribute(pair[1]);
                element.setAttribute(pair[1], url.replace(/\/0\/(\w+)\/$/, "/" + item.dataset.id + "/$1/"));
            });
        });
        part.querySelectorAll("[data-hint]").forEach(function (hint) {
            hint.textContent = " " + strings.message_seq.replace("%(seq)s", item.dataset.seq);
        });
        return part;
    }

    /* The server's <li> of a message, with this reader's controls. */
    function messageItem(message) {
        var holder = document.createElement("template");
        // The server rendered it in this page's language (or, for a live
        // event, in each language of the site).
        holder.innerHTML = message.html[lang] || message.html[Object.keys(message.html)[0]];
        var item = holder.content.querySelector("li");
        var slot = item.querySelector("[data-actions]");
        if (slot && Number(item.dataset.author) === me) { slot.appendChild(controls(authorActions, item)); }
        if (slot && chairActions) { slot.appendChild(controls(chairActions, item)); }
        return item;
    }

    function placeItem(item, seq) {
        var after = null;
        list.querySelectorAll("[data-seq]").forEach(function (other) {
            if (Number(other.dataset.seq) > seq && after === null) { after = other; }
        });
        list.insertBefore(item, after);
        var empty = root.querySelector("[data-empty]");
        if (empty) { empty.remove(); }
    }

    function markRead() {
        if (readTimer) { return; }
        readTimer = window.setTimeout(function () {
            readTimer = null;
            send({ type: "read", topic: topicId, seq: lastSeq });
        }, 1000);
    }

    /* A message from a live event or a catch-up, in the order of the room's
       events: a new message, or an edit, deletion or hiding of one (each has
       its own number, message.event, so a missed change is caught up too). */
    function receive(message, live) {
        var event = message.event || message.seq;
        if (live && event > lastSeq + 1) {
            // A gap: something was missed; fetch it (and this) from the server.
            requestSync();
            return;
        }
        lastSeq = Math.max(lastSeq, event);
        if (seen.has(message.seq)) { update(message); markRead(); return; }
        seen.add(message.seq);
        if (message.topic !== topicId) { return; }
        var waiting = pending.get(message.client_id);
        var item = messageItem(message);
        pending.delete(message.client_id);
        if (waiting) { waiting.item.replaceWith(item); } else { placeItem(item, message.seq); }
        if (message.author_id !== me && !message.state) {
            announce(strings.new_message.replace("%(author)s", message.author).replace("%(text)s", message.body));
        }
        markRead();
    }

    function update(message) {
        var item = document.getElementById("m-" + message.seq);
        // Never go back to an older state (a late live event after a sync).
        if (item && Number(item.dataset.event || 0) <= (message.event || 0)) {
            item.replaceWith(messageItem(message));
        }
    }

    function requestSync() {
        if (syncing) { gapSeen = true; return; }
        if (send({ type: "sync", last_seq: lastSeq, topic: topicId })) { syncing = true; }
    }

    function retryLater(clientId) {
        window.setTimeout(function () {
            var waiting = pending.get(clientId);
            if (waiting) {
                send({ type: "post", topic: topicId, body: waiting.body, client_id: clientId });
            }
        }, 3000);
    }

    function resendPending() {
        pending.forEach(function (waiting, clientId) {
            send({ type: "post", topic: topicId, body: waiting.body, client_id: clientId });
        });
    }

    function handle(frame) {
        switch (frame.type) {
        case "batch":
            // Events that waited on the server together, in order.
            frame.frames.forEach(handle);
            break;
        case "hello":
            setStatus(frame.state === "live" ? "live" : "reconnecting");
            syncing = false;
            requestSync();
            resendPending();
            break;
        case "status":
            setStatus(frame.state === "live" ? "live" : "reconnecting");
            if (frame.state === "live") { requestSync(); }
            break;
        case "message":
            receive(frame.message, true);
            break;
        case "sync":
            frame.messages.forEach(function (message) { receive(message, false); });
            break;
        case "synced":
            syncing = false;
            if (gapSeen) { gapSeen = false; requestSync(); }
            break;
        case "resync":
            requestSync();
            break;
        case "reload":
            window.location.reload();
            break;
        case "ack":
            var waiting = pending.get(frame.client_id);
            if (waiting) {
                waiting.item.dataset.state = "sent";
                waiting.item.querySelector("[data-note]").textContent = "";
            }
            break;
        case "error":
            var failed = frame.client_id && pending.get(frame.client_id);
            if (failed && frame.retry) {
                // Not stored (the database was away): send it again, same id.
                failed.item.querySelector("[data-note]").textContent = strings.retrying;
                retryLater(frame.client_id);
            } else if (failed) {
                pending.delete(frame.client_id);
                failed.item.dataset.state = "failed";
                var note = failed.item.querySelector("[data-note]");
                note.textContent = strings.failed + " " + (frame.message || strings[frame.code] || frame.code);
                announce(note.textContent);
            } else if (strings[frame.code]) {
                announce(strings[frame.code]);
            }
            break;
        case "presence":
            onlineWrap.hidden = false;
            onlineEl.textContent = frame.online.join(", ");
            break;
        case "topic":
            if (frame.topic.id === topicId) { showTopic(frame.topic); }
            break;
        default:
            break;
        }
    }

    function connect() {
        if (socket || ended) { return; }
        if (!navigator.onLine) {
            setStatus("reconnecting");
            return; // the "online" event connects again
        }
        var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
        var current = new WebSocket(scheme + window.location.host + root.dataset.wsPath);
        socket = current;
        current.onopen = function () { backoff = 500; };
        current.onmessage = function (event) {
            if (socket !== current) { return; } // let go (offline)
            var frame;
            try { frame = JSON.parse(event.data); } catch (error) { return; }
            handle(frame);
        };
        current.onclose = function (event) {
            if (socket !== current) { return; }
            socket = null;
            syncing = false;
            // The server ended this person's access: no reconnecting.
            if (event.code === 4403 || event.code === 4401) {
                ended = true;
                setStatus(event.code === 4403 ? "removed" : "signed_out");
                return;
            }
            setStatus("reconnecting");
            window.setTimeout(connect, backoff);
            backoff = Math.min(backoff * 2, 5000);
        };
    }

    /* The browser knows the network is gone: the page says so at once and
       lets its socket go (offline, its frames would wait, its close too, and
       it would go on saying "live"); back online, it connects at once and
       catches up. */
    window.addEventListener("offline", function () {
        var gone = socket;
        if (!gone) { return; }
        socket = null;
        syncing = false;
        setStatus("reconnecting");
        gone.close();
    });
    window.addEventListener("online", function () {
        backoff = 500;
        connect();
    });

    if (form) {
        var textarea = form.querySelector("textarea");
        form.addEventListener("submit", function (event) {
            event.preventDefault();
            var body = textarea.value.trim();
            if (!body) { textarea.focus(); return; }
            if (body.length > 4000) { announce(strings.too_long); return; }
            var clientId = uuid();
            var item = document.createElement("li");
            item.className = "discussion-message discussion-message--pending";
            item.dataset.clientId = clientId;
            item.dataset.state = "sending";
            var text = document.createElement("p");
            text.className = "discussion-message__body";
            text.textContent = body;
            var note = document.createElement("p");
            note.className = "discussion-message__note";
            note.dataset.note = "";
            note.textContent = strings.sending;
            item.appendChild(text);
            item.appendChild(note);
            list.appendChild(item);
            pending.set(clientId, { body: body, item: item });
            send({ type: "post", topic: topicId, body: body, client_id: clientId });
            textarea.value = "";
            textarea.focus();
        });
    }

    /* Older messages load in place, page by page; the link keeps working
       without the script. */
    var older = root.querySelector("[data-older]");
    if (older) {
        older.addEventListener("click", function (event) {
            event.preventDefault();
            var first = list.querySelector("[data-seq]");
            var before = first ? first.dataset.seq : "";
            fetch(root.dataset.historyUrl + "?before=" + before, { credentials: "same-origin" })
                .then(function (response) { return response.json(); })
                .then(function (page) {
                    page.messages.forEach(function (message) {
                        if (seen.has(message.seq)) { return; }
                        seen.add(message.seq);
                        placeItem(messageItem(message), message.seq);
                    });
                    if (!page.has_more) {
                        // The link goes; focus moves to the list it extended.
                        older.parentNode.remove();
                        list.tabIndex = -1;
                        list.focus();
                    }
                });
        });
    }

    window.setInterval(function () { send({ type: "ping" }); }, 30000);
    // For the browser tests: the open socket, to close it as a restarting
    // server would.
    window.platformaDiscussion = { socket: function () { return socket; } };
    connect();
}());
