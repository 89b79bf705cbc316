// The suggestions panel beside the editor: the suggesting toggle, the open
// suggestions (each with its author and kind in words, not colour alone),
// previous/next (also Alt+Shift+P / Alt+Shift+N in the text), and accept /
// reject for those the group lets decide. Items are clones of the
// server-rendered <template>; the live region announces what happens.
import { authorOf, fill, openSuggestions } from "./suggestions.js";

function csrfToken() {
  return document.querySelector("[name=csrfmiddlewaretoken]")?.value || "";
}

async function decide(config, fields) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    body.append(name, value);
  }
  const response = await fetch(config.decideUrl, {
    method: "POST",
    body,
    headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
    credentials: "same-origin",
  });
  const answer = await response.json().catch(() => ({}));
  return answer.message || answer.error || config.strings.errors.other;
}

function describe(config, suggestion) {
  const person = authorOf(config.people, config.strings, suggestion.author);
  return { person, label: fill(config.strings[suggestion.kind], { name: person.name }) };
}

function button(text, onClick, label) {
  const element = document.createElement("button");
  element.type = "button";
  element.textContent = text;
  if (label) {
    element.setAttribute("aria-label", label);
  }
  element.addEventListener("click", onClick);
  return element;
}

export function mountPanel(panel, editor, config, region) {
  const strings = config.strings;
  const storage = editor.storage.suggestChanges;
  const list = panel.querySelector("[data-suggestion-list]");
  const template = panel.querySelector("template");
  const toggle = panel.querySelector("[data-suggest-toggle]");
  const bulk = panel.querySelector("[data-suggestion-bulk]");
  let current = -1;
  let known = null;
  let items = [];

  const say = (text) => {
    region.textContent = text;
  };
  const run = async (fields) => say(await decide(config, fields));

  const setMode = (enabled) => {
    storage.enabled = enabled || config.suggestOnly;
    toggle.setAttribute("aria-pressed", String(storage.enabled));
    toggle.disabled = config.suggestOnly || !editor.isEditable;
  };
  toggle.addEventListener("click", () => setMode(!storage.enabled));

  const go = (step) => {
    if (!items.length) {
      say(strings.noSuggestions);
      return;
    }
    current = (current + step + items.length) % items.length;
    const suggestion = items[current];
    editor.chain().focus().setTextSelection({ from: suggestion.from, to: suggestion.to }).run();
    const { label } = describe(config, suggestion);
    say(
      `${fill(strings.position, { index: current + 1, count: items.length })} ${label}: “${suggestion.text}”`,
    );
  };
  panel.querySelector("[data-suggestion-previous]").addEventListener("click", () => go(-1));
  panel.querySelector("[data-suggestion-next]").addEventListener("click", () => go(1));

  const item = (suggestion) => {
    const node = template.content.firstElementChild.cloneNode(true);
    const { person, label } = describe(config, suggestion);
    node.classList.add(`suggestion--c${person.colour}`);
    node.querySelector("[data-suggestion-label]").textContent = `${label}:`;
    node.querySelector("[data-suggestion-text]").textContent = suggestion.text;
    const actions = node.querySelector("[data-suggestion-actions]");
    if (config.mayDecide) {
      const name = { name: person.name };
      actions.append(
        button(
          strings.accept,
          () => run({ decision: "accept", suggestion: suggestion.id }),
          `${fill(strings.acceptLabel, name)}: ${suggestion.text}`,
        ),
        button(
          strings.reject,
          () => run({ decision: "reject", suggestion: suggestion.id }),
          `${fill(strings.rejectLabel, name)}: ${suggestion.text}`,
        ),
      );
    }
    return node;
  };

  const bulkButtons = () => {
    const authors = [...new Set(items.map((each) => each.author))];
    const buttons = [];
    if (items.length) {
      buttons.push(button(strings.acceptAll, () => run({ decision: "accept" })));
      buttons.push(button(strings.rejectAll, () => run({ decision: "reject" })));
    }
    for (const author of authors) {
      const name = { name: authorOf(config.people, strings, author).name };
      buttons.push(
        button(fill(strings.acceptAllOf, name), () => run({ decision: "accept", author })),
      );
      buttons.push(
        button(fill(strings.rejectAllOf, name), () => run({ decision: "reject", author })),
      );
    }
    return buttons;
  };

  // New suggestions of others are announced with their author and kind.
  const announceNew = () => {
    const ids = new Set(items.map((each) => each.id));
    if (known) {
      const fresh = items.find(
        (each) => !known.has(each.id) && Number(each.author) !== config.user.id,
      );
      if (fresh) {
        const { label } = describe(config, fresh);
        say(`${label}: “${fresh.text}”`);
      }
    }
    known = ids;
  };

  let pending = false;
  const refresh = () => {
    pending = false;
    items = openSuggestions(editor.state.doc);
    current = Math.min(current, items.length - 1);
    announceNew();
    list.replaceChildren(...items.map(item));
    panel.querySelector("[data-suggestion-empty]").hidden = items.length > 0;
    if (config.mayDecide) {
      bulk.replaceChildren(...bulkButtons());
    }
  };
  editor.on("transaction", ({ transaction }) => {
    if (transaction.docChanged && !pending) {
      pending = true;
      requestAnimationFrame(refresh);
    }
  });
  editor.view.dom.addEventListener("keydown", (event) => {
    if (event.altKey && event.shiftKey && (event.code === "KeyN" || event.code === "KeyP")) {
      event.preventDefault();
      go(event.code === "KeyN" ? 1 : -1);
    }
  });
  setMode(config.suggestOnly);
  refresh();
  panel.hidden = false;
  return {
    // The server says when only suggestions are taken (group review).
    onHello(notice) {
      if (notice.suggesting) {
        config.suggestOnly = true;
      }
      setMode(storage.enabled);
    },
  };
}
