// Comments on any text of the draft
// (docs/subsystems/drafts-and-review.md#comments-on-any-text). A comment's
// range is two Yjs relative positions, so it follows the text through
// everyone's edits; the server stores them and says, on every page, whether
// the text is still there. Here they are resolved at each change of the
// document into highlights (with text for screen readers at both ends), the
// panel's "text removed" flags are kept current, and the panel's forms are
// sent with fetch: the server answers with the panel's list, rendered by
// the same template as without JavaScript.
import { Extension } from "@tiptap/core";
import { Plugin, PluginKey, TextSelection } from "@tiptap/pm/state";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import {
  absolutePositionToRelativePosition,
  relativePositionToAbsolutePosition,
  ySyncPluginKey,
} from "@tiptap/y-tiptap";
import * as Y from "yjs";

const key = new PluginKey("rangeComments");
const RETRIES = 5; // the editor's last keystrokes may still be on their way

function fromBase64(text) {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}

function toBase64(bytes) {
  return btoa(String.fromCharCode(...bytes));
}

function format(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));
}

// The threads the panel lists, with their decoded anchors.
function readThreads(panel) {
  return Array.from(panel.querySelectorAll("[data-thread]")).map((article) => ({
    article,
    id: article.dataset.thread,
    number: article.dataset.number,
    author: article.dataset.author,
    start: article.dataset.anchorStart
      ? Y.decodeRelativePosition(fromBase64(article.dataset.anchorStart))
      : null,
    end: article.dataset.anchorEnd
      ? Y.decodeRelativePosition(fromBase64(article.dataset.anchorEnd))
      : null,
  }));
}

// Where a thread's range is in the editor now: {from, to}, or null when its
// text was removed.
function locate(state, thread) {
  const ystate = ySyncPluginKey.getState(state);
  if (!ystate?.binding || !thread.start || !thread.end) {
    return null;
  }
  const resolve = (position) =>
    relativePositionToAbsolutePosition(ystate.doc, ystate.type, position, ystate.binding.mapping);
  const from = resolve(thread.start);
  const to = resolve(thread.end);
  if (from === null || to === null || from >= to || to > state.doc.content.size) {
    return null;
  }
  return state.doc.textBetween(from, to, " ").trim() ? { from, to } : null;
}

function marker(text, className) {
  return () => {
    const span = document.createElement("span");
    span.className = className;
    span.contentEditable = "false";
    const hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = text;
    span.append(hidden);
    return span;
  };
}

function decorate(state, threads, strings) {
  const decorations = [];
  for (const thread of threads) {
    thread.place = locate(state, thread);
    if (!thread.place) {
      continue;
    }
    const { from, to } = thread.place;
    const values = { number: thread.number, name: thread.author };
    const widget = (position, template, className, side) =>
      Decoration.widget(position, marker(format(template, values), className), {
        side,
        ignoreSelection: true,
        key: `${className}-${thread.id}`,
      });
    decorations.push(
      Decoration.inline(from, to, { class: "range-comment", "data-comment": thread.id }),
      widget(from, strings.starts, "range-comment__start", -1),
      widget(to, strings.ends, "range-comment__end", 1),
    );
  }
  return DecorationSet.create(state.doc, decorations);
}

// The panel says "text removed" of every thread whose text is gone now.
function flagRemoved(threads) {
  for (const thread of threads) {
    const flag = thread.article.querySelector("[data-range-removed]");
    if (flag) {
      flag.hidden = Boolean(thread.place);
    }
  }
}

export class RangeComments {
  constructor(panel, strings) {
    this.panel = panel;
    this.strings = strings;
    this.threads = readThreads(panel);
    this.form = panel.querySelector("[data-range-form]");
    this.region = panel.querySelector("[data-range-announce]");
    this.editor = null;
  }

  // The Tiptap extension: the highlights and the keys.
  extension() {
    const comments = this;
    return Extension.create({
      name: "rangeComments",
      addKeyboardShortcuts() {
        return {
          "Mod-Alt-m": () => comments.start(),
          "Alt-PageDown": () => comments.go(1),
          "Alt-PageUp": () => comments.go(-1),
        };
      },
      addProseMirrorPlugins() {
        return [
          new Plugin({
            key,
            state: {
              init: (_, state) => decorate(state, comments.threads, comments.strings),
              apply: (_tr, _old, _before, state) =>
                decorate(state, comments.threads, comments.strings),
            },
            view: () => ({ update: () => flagRemoved(comments.threads) }),
            props: {
              decorations: (state) => key.getState(state),
            },
          }),
        ];
      },
    });
  }

  // The toolbar's entry (buildToolbar's extra commands).
  command() {
    return { label: this.strings.comment, keys: "Control+Alt+M", run: () => this.start() };
  }

  attach(editor) {
    this.editor = editor;
    this.panel.addEventListener("submit", (event) => {
      event.preventDefault();
      this.send(event.target);
    });
    this.panel.addEventListener("click", (event) => {
      const show = event.target.closest("[data-range-show]");
      if (show) {
        this.show(this.threads.find((thread) => thread.article.contains(show)));
      } else if (event.target.closest("[data-range-cancel]")) {
        this.closeForm();
      }
    });
    this.refresh();
  }

  announce(text) {
    this.region.textContent = text;
  }

  // "Comment": the selection's range into the form, the form opened.
  start() {
    const { state } = this.editor;
    const { from, to, empty } = state.selection;
    const ystate = ySyncPluginKey.getState(state);
    if (empty || !ystate?.binding || !state.doc.textBetween(from, to, " ").trim()) {
      this.announce(this.strings.selectFirst);
      return true;
    }
    const encode = (position) =>
      toBase64(
        Y.encodeRelativePosition(
          absolutePositionToRelativePosition(position, ystate.type, ystate.binding.mapping),
        ),
      );
    this.form.elements.anchor_start.value = encode(from);
    this.form.elements.anchor_end.value = encode(to);
    this.form.querySelector("[data-range-quote]").textContent = state.doc.textBetween(
      from,
      to,
      "\n",
    );
    this.form.hidden = false;
    this.form.elements.text.focus();
    return true;
  }

  closeForm() {
    this.form.reset();
    this.form.hidden = true;
    this.editor.commands.focus();
  }

  async send(form, attempt = 0) {
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    });
    const holder = document.createElement("div");
    holder.innerHTML = await response.text();
    const list = holder.querySelector("[data-range-list]");
    if (!response.ok && list?.querySelector("[data-retry]") && attempt < RETRIES) {
      setTimeout(() => this.send(form, attempt + 1), 300 * (attempt + 1));
      return;
    }
    if (list) {
      this.panel.querySelector("[data-range-list]").replaceWith(list);
    }
    if (response.ok) {
      if (form === this.form) {
        this.closeForm();
      }
      this.announce(this.strings.saved);
    } else {
      this.announce(list?.querySelector("[role=alert]")?.textContent || this.strings.failed);
    }
    this.threads = readThreads(this.panel);
    this.refresh();
  }

  // The highlights again, after the panel's list changed.
  refresh() {
    this.editor.view.dispatch(this.editor.state.tr.setMeta(key, "refresh"));
  }

  show(thread) {
    if (!thread?.place) {
      this.announce(this.strings.removed);
      return;
    }
    const { from, to } = thread.place;
    const { state, view } = this.editor;
    view.dispatch(
      state.tr.setSelection(TextSelection.create(state.doc, from, to)).scrollIntoView(),
    );
    view.focus();
    this.announce(
      format(this.strings.at, {
        number: thread.number,
        count: this.threads.length,
        name: thread.author,
        text: state.doc.textBetween(from, to, " "),
      }),
    );
  }

  // Alt+Page Down / Up: the next or the previous comment whose text is
  // still there, from the caret.
  go(step) {
    const present = this.threads
      .filter((thread) => thread.place)
      .sort((a, b) => a.place.from - b.place.from);
    if (!present.length) {
      this.announce(this.strings.none);
      return true;
    }
    const head = this.editor.state.selection.from;
    const next =
      step > 0
        ? present.find((thread) => thread.place.from > head) || present[0]
        : present.findLast((thread) => thread.place.from < head) || present.at(-1);
    this.show(next);
    return true;
  }
}
