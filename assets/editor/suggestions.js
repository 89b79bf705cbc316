// Suggesting mode (tracked changes; docs/subsystems/suggestions.md). Typed
// text gets an `insertion` mark and deleted text a `deletion` mark instead
// of going, each with its suggestion's id, its author's user id and the
// time. Only text inside one paragraph can be suggested: a step that
// changes blocks or formatting is refused while suggesting (the server
// refuses it too). Accepting and rejecting are the server's
// (documents/suggestions.py); the panel beside the editor lists the open
// suggestions, moves between them and asks the server to decide.
//
// @handlewithcare/prosemirror-suggest-changes was the candidate base; it
// wraps the view's dispatchTransaction, which Tiptap 3 owns, and puts
// marks on block nodes, which neither y-prosemirror's mapping nor the
// draft's StreamField blocks carry; so this small plugin instead.
import { Extension, Mark } from "@tiptap/core";
import { Plugin, PluginKey, TextSelection } from "@tiptap/pm/state";
import { Mapping, ReplaceStep } from "@tiptap/pm/transform";
import { ySyncPluginKey } from "@tiptap/y-tiptap";

const KINDS = ["insertion", "deletion"];
const key = new PluginKey("suggestChanges");

function fill(template, values) {
  return template.replace(/%\((\w+)\)s/g, (_, name) => values[name] ?? "");
}

function authorOf(people, strings, author) {
  return people[String(author)] || { name: strings.formerMember, colour: 0 };
}

function suggestionMark(kind, tag, options) {
  return Mark.create({
    name: kind,
    inclusive: false,
    excludes: kind,
    addAttributes: () => ({
      id: { default: null },
      author: { default: null },
      at: { default: null },
    }),
    renderHTML({ HTMLAttributes }) {
      const { people, strings } = options;
      const person = authorOf(people, strings, HTMLAttributes.author);
      return [
        tag,
        {
          class: `suggestion suggestion--${kind} suggestion--c${person.colour}`,
          "data-suggestion": HTMLAttributes.id,
          "data-label": fill(strings[kind], { name: person.name }),
        },
        0,
      ];
    },
  });
}

function newId() {
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

function isRemote(tr) {
  return tr.getMeta(ySyncPluginKey) !== undefined;
}

// Inline content of one textblock only: what a suggestion can hold.
function inlineStep(step, doc) {
  if (!(step instanceof ReplaceStep)) {
    return false;
  }
  const $from = doc.resolve(step.from);
  const $to = doc.resolve(step.to);
  if (!$from.parent.isTextblock || !$from.sameParent($to)) {
    return false;
  }
  const { slice } = step;
  if (slice.openStart !== slice.openEnd) {
    return false;
  }
  let content = slice.content;
  for (let depth = 0; depth < slice.openStart; depth += 1) {
    if (content.childCount !== 1 || !content.firstChild.isTextblock) {
      return false;
    }
    content = content.firstChild.content;
  }
  let inline = true;
  content.forEach((node) => {
    inline = inline && node.isInline;
  });
  return inline;
}

function mine(mark, user) {
  return mark && Number(mark.attrs.author) === user.id;
}

// The author's own suggestion of `type` touching `pos` (its attributes),
// so that one stretch of typing (or deleting) stays one suggestion; else a
// new one.
function adjacentAttrs(doc, pos, type, user) {
  const $pos = doc.resolve(pos);
  for (const node of [$pos.nodeBefore, $pos.nodeAfter]) {
    const mark = node && type.isInSet(node.marks);
    if (mine(mark, user)) {
      return mark.attrs;
    }
  }
  return { id: newId(), author: user.id, at: new Date().toISOString() };
}

// What was deleted, to put back marked: the author's own insertions go
// for good, the rest stays with a deletion mark (kept if it had one).
function toKeep(removed, deletion) {
  const nodes = [];
  removed.forEach((node) => {
    if (
      mine(
        node.marks.find((m) => m.type.name === "insertion"),
        deletion.attrsUser,
      )
    ) {
      return;
    }
    nodes.push(
      deletion.type.isInSet(node.marks) ? node : node.mark(deletion.mark.addToSet(node.marks)),
    );
  });
  return nodes;
}

// The text replaced by each step of `transactions`: where its new text is
// in the last document (from, to), and what it removed (inline content of
// one textblock; null for a step that changes blocks, which suggesting
// refuses and which holds no suggestion to clean).
function changes(transactions) {
  const found = [];
  const maps = [];
  for (const tr of transactions) {
    tr.steps.forEach((step, index) => {
      const before = tr.docs[index];
      step.getMap().forEach((oldStart, oldEnd, newStart, newEnd) => {
        const $start = before.resolve(oldStart);
        const inline =
          step instanceof ReplaceStep &&
          $start.parent.isTextblock &&
          $start.sameParent(before.resolve(oldEnd));
        const removed = inline
          ? $start.parent.content.cut(oldStart - $start.start(), oldEnd - $start.start())
          : null;
        found.push({ at: maps.length, newStart, newEnd, oldEnd, removed });
      });
      maps.push(step.getMap());
    });
  }
  return found.map((change) => {
    const after = new Mapping(maps.slice(change.at + 1));
    return { ...change, from: after.map(change.newStart, -1), to: after.map(change.newEnd, 1) };
  });
}

function suggest(transactions, oldState, newState, user) {
  const { insertion, deletion } = newState.schema.marks;
  const tr = newState.tr;
  const found = changes(transactions);
  for (const change of found) {
    if (change.to > change.from) {
      tr.removeMark(change.from, change.to, insertion);
      tr.removeMark(change.from, change.to, deletion);
      const attrs = adjacentAttrs(tr.doc, change.from, insertion, user);
      tr.addMark(change.from, change.to, insertion.create(attrs));
    }
  }
  for (const change of found.reverse()) {
    if (!change.removed || change.removed.size === 0) {
      continue;
    }
    const pos = tr.mapping.map(change.from, -1);
    const mark = deletion.create(adjacentAttrs(tr.doc, pos, deletion, user));
    const nodes = toKeep(change.removed, { type: deletion, mark, attrsUser: user });
    if (!nodes.length) {
      continue;
    }
    tr.insert(pos, nodes);
    if (change.to > change.from) {
      continue; // typed over: the caret stays after the new text
    }
    const backwards = oldState.selection.empty && oldState.selection.head === change.oldEnd;
    const size = nodes.reduce((sum, node) => sum + node.nodeSize, 0);
    tr.setSelection(TextSelection.create(tr.doc, backwards ? pos : pos + size));
  }
  return tr.docChanged ? tr.setMeta(key, true) : null;
}

// Outside suggesting mode, text typed inside a suggestion is plain text
// (a mark is inherited inside its range).
function plain(transactions, newState) {
  const tr = newState.tr;
  for (const change of changes(transactions)) {
    if (change.to > change.from) {
      for (const kind of KINDS) {
        tr.removeMark(change.from, change.to, newState.schema.marks[kind]);
      }
    }
  }
  return tr.docChanged ? tr.setMeta(key, true) : null;
}

function local(transactions) {
  return transactions.filter((tr) => tr.docChanged && !isRemote(tr) && !tr.getMeta(key));
}

export function suggestionExtensions(options) {
  const SuggestChanges = Extension.create({
    name: "suggestChanges",
    addStorage: () => ({ enabled: options.suggestOnly }),
    addProseMirrorPlugins() {
      const storage = this.storage;
      return [
        new Plugin({
          key,
          filterTransaction(tr) {
            if (!storage.enabled || !tr.docChanged || isRemote(tr) || tr.getMeta(key)) {
              return true;
            }
            return tr.steps.every((step, index) => inlineStep(step, tr.docs[index]));
          },
          appendTransaction(transactions, oldState, newState) {
            const changed = local(transactions);
            if (!changed.length) {
              return null;
            }
            return storage.enabled
              ? suggest(changed, oldState, newState, options.user)
              : plain(changed, newState);
          },
        }),
      ];
    },
  });
  return [
    suggestionMark("insertion", "ins", options),
    suggestionMark("deletion", "del", options),
    SuggestChanges,
  ];
}

// The open suggestions, in document order: id, kind, author, text, range.
export function openSuggestions(doc) {
  const byId = new Map();
  doc.descendants((node, pos) => {
    if (!node.isText) {
      return;
    }
    for (const mark of node.marks) {
      if (!KINDS.includes(mark.type.name) || !mark.attrs.id) {
        continue;
      }
      const found = byId.get(mark.attrs.id);
      if (found) {
        found.text += node.text;
        found.to = pos + node.nodeSize;
      } else {
        byId.set(mark.attrs.id, {
          id: mark.attrs.id,
          kind: mark.type.name,
          author: mark.attrs.author,
          text: node.text,
          from: pos,
          to: pos + node.nodeSize,
        });
      }
    }
  });
  return [...byId.values()];
}

export { authorOf, fill };
