// The editor's toolbar: labelled buttons that say whether their format is
// on (aria-pressed), the shortcut they share with the keyboard
// (aria-keyshortcuts), and one tab stop with arrow keys between buttons
// (the WAI-ARIA toolbar pattern). Alt+F10 in the text goes to the toolbar.
const SAFE_LINK = /^(https?:\/\/|mailto:)/i;

function commands(editor, strings) {
  const chain = () => editor.chain().focus();
  return [
    {
      label: strings.paragraph,
      keys: "Control+Alt+0",
      run: () => chain().setParagraph().run(),
      active: () => editor.isActive("paragraph"),
    },
    {
      label: strings.heading2,
      keys: "Control+Alt+2",
      run: () => chain().toggleHeading({ level: 2 }).run(),
      active: () => editor.isActive("heading", { level: 2 }),
    },
    {
      label: strings.heading3,
      keys: "Control+Alt+3",
      run: () => chain().toggleHeading({ level: 3 }).run(),
      active: () => editor.isActive("heading", { level: 3 }),
    },
    {
      label: strings.bold,
      keys: "Control+B",
      run: () => chain().toggleBold().run(),
      active: () => editor.isActive("bold"),
    },
    {
      label: strings.italic,
      keys: "Control+I",
      run: () => chain().toggleItalic().run(),
      active: () => editor.isActive("italic"),
    },
    {
      label: strings.bulletList,
      keys: "Control+Shift+8",
      run: () => chain().toggleBulletList().run(),
      active: () => editor.isActive("bulletList"),
    },
    {
      label: strings.orderedList,
      keys: "Control+Shift+7",
      run: () => chain().toggleOrderedList().run(),
      active: () => editor.isActive("orderedList"),
    },
    {
      label: strings.blockquote,
      keys: "Control+Shift+B",
      run: () => chain().toggleBlockquote().run(),
      active: () => editor.isActive("blockquote"),
    },
    {
      label: strings.link,
      keys: "",
      run: () => {
        const url = window.prompt(strings.linkPrompt, editor.getAttributes("link").href || "");
        if (url === null) {
          return;
        }
        if (url === "") {
          chain().unsetLink().run();
        } else if (SAFE_LINK.test(url)) {
          chain().setLink({ href: url }).run();
        }
      },
      active: () => editor.isActive("link"),
    },
  ];
}

function roving(toolbar, buttons) {
  toolbar.addEventListener("keydown", (event) => {
    const index = buttons.indexOf(document.activeElement);
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (index < 0 || !step) {
      return;
    }
    event.preventDefault();
    const next = buttons[(index + step + buttons.length) % buttons.length];
    for (const button of buttons) {
      button.tabIndex = button === next ? 0 : -1;
    }
    next.focus();
  });
}

// ``extra``: commands of other features (comments) after the formatting;
// without ``formatting`` (a read-only editor) only those.
export function buildToolbar(editor, strings, extra = [], { formatting = true } = {}) {
  const toolbar = document.createElement("div");
  toolbar.className = "live-toolbar";
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", strings.toolbar);
  toolbar.setAttribute("aria-controls", editor.view.dom.id || "");
  const entries = [...(formatting ? commands(editor, strings) : []), ...extra];
  const buttons = entries.map((entry, index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = entry.label;
    button.tabIndex = index === 0 ? 0 : -1;
    if (entry.keys) {
      button.setAttribute("aria-keyshortcuts", entry.keys);
    }
    button.addEventListener("click", entry.run);
    toolbar.append(button);
    return button;
  });
  const refresh = () => {
    entries.forEach((entry, index) => {
      if (entry.active) {
        buttons[index].setAttribute("aria-pressed", entry.active() ? "true" : "false");
      }
    });
  };
  editor.on("transaction", refresh);
  refresh();
  roving(toolbar, buttons);
  editor.view.dom.addEventListener("keydown", (event) => {
    if (event.altKey && event.key === "F10") {
      event.preventDefault();
      (buttons.find((button) => button.tabIndex === 0) || buttons[0]).focus();
    }
  });
  return toolbar;
}
