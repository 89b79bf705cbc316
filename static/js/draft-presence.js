// Keeps "who else has this draft open" current while the page is open.
// Without JavaScript the list shown at page load stays as it was.
(function () {
  "use strict";
  var region = document.querySelector("[data-presence-url]");
  if (!region) return;
  var url = region.getAttribute("data-presence-url");
  var editing = region.getAttribute("data-editing") || "0";
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  function beat() {
    var body = new URLSearchParams({ editing: editing });
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" },
    })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (text) {
        if (text !== null && text.trim() !== region.textContent.trim()) {
          region.textContent = text.trim();
        }
      })
      .catch(function () { /* offline: try again at the next beat */ });
  }
  window.setInterval(beat, 30000);
})();
