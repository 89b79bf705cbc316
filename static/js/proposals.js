/* Live results of a proposal: the page works without this script (reload to
   see new votes); with it, the group's socket says when the proposal changed
   and the results region is fetched again from the server, which decides
   what this reader may see (a secret ballot's event carries no votes, only
   the proposal's id). The new summary is read out politely. */
(function () {
    "use strict";
    var root = document.querySelector("[data-proposal]");
    if (!root || !window.WebSocket) { return; }
    var proposalId = Number(root.dataset.proposalId);
    var announcer = root.querySelector("[data-announcer]");
    var backoff = 500;

    function announce(text) {
        announcer.textContent = "";
        window.setTimeout(function () { announcer.textContent = text; }, 50);
    }

    function refresh() {
        fetch(root.dataset.resultsUrl, { credentials: "same-origin" })
            .then(function (response) { return response.ok ? response.text() : null; })
            .then(function (html) {
                if (html === null) { return; }
                var parsed = new DOMParser().parseFromString(html, "text/html");
                var fresh = parsed.querySelector("[data-proposal-results]");
                var current = root.querySelector("[data-proposal-results]");
                if (!fresh || !current || fresh.textContent === current.textContent) { return; }
                current.replaceWith(fresh);
                var summary = fresh.querySelector("[data-summary]");
                if (summary) { announce(summary.textContent.trim()); }
            })
            .catch(function () { /* offline: the next event or reconnect asks again */ });
    }

    function handle(frame) {
        if (frame.type === "batch") {
            frame.frames.forEach(handle);
        } else if (frame.type === "proposal" && frame.id === proposalId) {
            refresh();
        } else if (frame.type === "hello") {
            refresh();  // a reconnect may have missed events
        }
    }

    function connect() {
        var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
        var socket = new WebSocket(scheme + window.location.host + root.dataset.wsPath);
        socket.onopen = function () { backoff = 500; };
        socket.onmessage = function (event) {
            try { handle(JSON.parse(event.data)); } catch (error) { /* not ours */ }
        };
        socket.onclose = function (event) {
            if (event.code === 4401 || event.code === 4403) { return; }
            window.setTimeout(connect, backoff);
            backoff = Math.min(backoff * 2, 10000);
        };
    }
    connect();
})();
