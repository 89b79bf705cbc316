// The draft's live editor: Tiptap on a Yjs document shared through
// /ws/drafts/<id>/. Mounted only where the page holds its configuration
// (#live-editor-config, written by the template with the translated
// strings); without JavaScript the page's plain form is used instead.
import { Editor, Extension } from "@tiptap/core";
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import StarterKit from "@tiptap/starter-kit";
import * as Y from "yjs";
import { RangeComments } from "./comments.js";
import { mountPanel } from "./panel.js";
import { LiveProvider } from "./provider.js";
import { suggestionExtensions } from "./suggestions.js";
import { buildToolbar } from "./toolbar.js";

// Each top-level block keeps its StreamField block id, so that comments,
// the comparison and exports keep their anchors. A split paragraph does not
// copy it: the new one gets an id when the version is saved.
const BlockId = Extension.create({
  name: "blockId",
  addGlobalAttributes() {
    return [
      {
        types: ["heading", "paragraph", "bulletList", "orderedList", "blockquote"],
        attributes: {
          blockId: {
            default: null,
            keepOnSplit: false,
            parseHTML: (element) => element.getAttribute("data-block-id"),
            renderHTML: (attributes) =>
              attributes.blockId ? { "data-block-id": attributes.blockId } : {},
          },
        },
      },
    ];
  },
});

// The page's CSP forbids style attributes: carets are coloured through the
// DOM's style object, which it allows.
function renderCaret(user) {
  const caret = document.createElement("span");
  caret.classList.add("collaboration-carets__caret");
  caret.style.borderColor = user.color;
  const label = document.createElement("span");
  label.classList.add("collaboration-carets__label");
  label.style.backgroundColor = user.color;
  label.textContent = user.name;
  caret.append(label);
  return caret;
}

// The save form sends the whole document, so that the version holds what
// its author saw even if the last keystrokes are still on their way.
function toBase64(bytes) {
  let binary = "";
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

function format(template, name) {
  return template.replace("%(name)s", name);
}

function announcer(region, strings, awareness, ownId) {
  const known = new Map();
  awareness.on("change", ({ added, removed }) => {
    const states = awareness.getStates();
    for (const client of added) {
      const name = states.get(client)?.user?.name;
      if (client !== ownId && name) {
        known.set(client, name);
        region.textContent = format(strings.joined, name);
      }
    }
    for (const client of removed) {
      const name = known.get(client);
      if (name) {
        known.delete(client);
        region.textContent = format(strings.left, name);
      }
    }
  });
}

function socketUrl(path) {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}${path}`;
}

function mount(root, config) {
  const strings = config.strings;
  const doc = new Y.Doc();
  const status = root.querySelector("[data-live-status]");
  const region = root.querySelector("[data-live-announce]");
  const provider = new LiveProvider(socketUrl(config.url), doc, {
    onStatus: (state) => {
      status.textContent = strings.status[state] || state;
      root.dataset.liveState = state;
    },
    onNotice: (notice) => {
      if (notice.type === "error") {
        region.textContent = strings.errors[notice.code] || strings.errors.other;
      } else if (notice.type === "hello" && !notice.writable) {
        root.liveEditor?.editor.setEditable(false);
      }
      if (notice.type === "hello") {
        root.liveEditor?.panel?.onHello(notice);
      }
    },
  });
  const commentsPanel = root.querySelector("[data-range-comments]");
  const comments = commentsPanel ? new RangeComments(commentsPanel, strings.comments) : null;
  const editor = new Editor({
    element: root.querySelector("[data-live-body]"),
    editable: config.writable,
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3] },
        code: false,
        codeBlock: false,
        strike: false,
        underline: false,
        horizontalRule: false,
        hardBreak: false,
        undoRedo: false,
        link: { openOnClick: false, autolink: false },
      }),
      BlockId,
      ...suggestionExtensions(config),
      Collaboration.configure({ document: doc, field: "default" }),
      CollaborationCaret.configure({
        provider,
        user: config.user,
        render: renderCaret,
        selectionRender: () => ({ class: "collaboration-carets__selection" }),
      }),
      ...(comments ? [comments.extension()] : []),
    ],
    editorProps: {
      attributes: {
        role: "textbox",
        "aria-multiline": "true",
        "aria-label": strings.body,
        "aria-readonly": config.writable ? "false" : "true",
      },
    },
  });
  announcer(region, strings, provider.awareness, doc.clientID);
  const extra = comments ? [comments.command()] : [];
  if (config.writable || comments) {
    root
      .querySelector("[data-live-toolbar]")
      .replaceWith(buildToolbar(editor, strings, extra, { formatting: config.writable }));
  }
  comments?.attach(editor);
  const save = root.querySelector("form.live-editor__save");
  save?.addEventListener("submit", () => {
    save.elements.state.value = toBase64(Y.encodeStateAsUpdate(doc));
  });
  const panel = root.querySelector("[data-suggestions]");
  // Tests read the live state through these.
  root.liveEditor = {
    editor,
    doc,
    provider,
    panel: panel && mountPanel(panel, editor, config, region),
  };
  return editor;
}

const configNode = document.getElementById("live-editor-config");
const root = document.getElementById("live-editor");
if (configNode && root) {
  const config = JSON.parse(configNode.textContent);
  mount(root, config);
  root.hidden = false;
  // While the draft is read-only live (in review, approved, published) the
  // plain form stays, as before: its save brings the draft back to writing
  // where the review allows it.
  if (config.writable) {
    for (const plain of document.querySelectorAll("[data-plain-editor]")) {
      plain.hidden = true;
    }
  }
}
