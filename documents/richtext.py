"""The formatting inside a draft's blocks: bold, italic and links, nothing
else. This module is the one place that turns it into stored HTML and back,
so that whatever an author (or a hostile client) sends, what is stored and
shown holds only ``<b>``, ``<i>``, ``<a href>`` to an http(s) or mailto
address and ``<br>`` for a line break; everything else is escaped text.

Text is handled as runs: ``Run(text, bold, italic, href)``. The live
editor's marks, the no-JavaScript form's markup (``**bold**``,
``_italic_``, ``[text](address)``) and DOCX runs all convert through them.
"""

import re
from html import escape
from html.parser import HTMLParser
from typing import NamedTuple
from urllib.parse import urlsplit

SCHEMES = {"http", "https", "mailto"}
MAX_HREF = 2000
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


class Run(NamedTuple):
    text: str
    bold: bool = False
    italic: bool = False
    href: str | None = None


def safe_href(url):
    """``url`` when a link to it cannot run anything (http, https or mailto,
    no spaces or control characters), else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or len(url) > MAX_HREF or _CONTROL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in SCHEMES:
        return None
    if parts.scheme.lower() != "mailto" and not parts.netloc:
        return None
    return url


def merge(runs):
    """Adjacent runs with the same marks joined, empty ones dropped: the one
    form every conversion ends in, so that round trips compare equal."""
    merged = []
    for run in runs:
        if not run.text:
            continue
        if merged and merged[-1][1:] == run[1:]:
            merged[-1] = merged[-1]._replace(text=merged[-1].text + run.text)
        else:
            merged.append(run)
    return merged


def runs_to_html(runs):
    chunks = []
    for run in merge(runs):
        html = escape(run.text, quote=False).replace("\n", "<br>")
        if run.italic:
            html = f"<i>{html}</i>"
        if run.bold:
            html = f"<b>{html}</b>"
        if run.href:
            html = f'<a href="{escape(run.href)}">{html}</a>'
        chunks.append(html)
    return "".join(chunks)


class _Reader(HTMLParser):
    """Runs from HTML: ``b``/``strong``, ``i``/``em``, ``a href`` and
    ``br`` are read, every other tag is dropped and its text kept; a new
    paragraph or list item begins a new line."""

    MARKS = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic"}
    LINES = {"p", "li", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.runs, self.open, self.lists = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self._add("\n")
        elif tag in self.LINES:
            self._new_line()
        if tag in ("ul", "ol"):
            self.lists.append(0 if tag == "ol" else None)
        elif tag == "li":
            self._add(self._item_marker())
        if tag in self.MARKS:
            self.open.append((tag, self.MARKS[tag], True))
        elif tag == "a":
            self.open.append((tag, "href", safe_href(dict(attrs).get("href"))))

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self._add("\n")

    def _item_marker(self):
        """ "- " or "1. " before a list item (a published page's lists read
        as the drafts' plain text shows them)."""
        if not self.lists or self.lists[-1] is None:
            return "- "
        self.lists[-1] += 1
        return f"{self.lists[-1]}. "

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index]
                break

    def handle_data(self, data):
        self._add(data)

    def _new_line(self):
        if self.runs and not self.runs[-1].text.endswith("\n"):
            self._add("\n")

    def _add(self, text):
        marks = {}
        for _tag, name, value in self.open:
            marks[name] = value
        self.runs.append(Run(text, **marks))


def html_to_runs(html):
    reader = _Reader()
    reader.feed(str(html or ""))
    reader.close()
    runs = merge(reader.runs)
    if runs and runs[-1].text.endswith("\n"):
        runs[-1] = runs[-1]._replace(text=runs[-1].text.rstrip("\n"))
    return merge(runs)


class _BlockReader(_Reader):
    """``(kind, runs)`` blocks of a published page's rich text: paragraphs,
    and lists as ``("bulleted_list" | "numbered_list", [runs, …])``."""

    def __init__(self):
        super().__init__()
        self.blocks = []

    def handle_starttag(self, tag, attrs):
        if tag in ("ul", "ol"):
            self._flush()
            kind = "bulleted_list" if tag == "ul" else "numbered_list"
            self.lists.append(kind)
            self.blocks.append((kind, []))
        elif tag in self.LINES:
            self._flush()
        else:
            super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in self.LINES:
            self._flush()
        elif tag in ("ul", "ol") and self.lists:
            self._flush()
            self.lists.pop()
        super().handle_endtag(tag)

    def _flush(self):
        runs = merge(self.runs)
        self.runs = []
        if not "".join(run.text for run in runs).strip():
            return
        if self.lists and self.blocks and self.blocks[-1][0] == self.lists[-1]:
            self.blocks[-1][1].append(runs)
        else:
            self.blocks.append(("paragraph", runs))

    def close(self):
        super().close()
        self._flush()


def html_blocks(html):
    """A published page's rich text as blocks to write into a document."""
    reader = _BlockReader()
    reader.feed(str(html or ""))
    reader.close()
    return [(kind, runs) for kind, runs in reader.blocks if runs]


def sanitise(html):
    """``html`` holding only what a draft's block may hold."""
    return runs_to_html(html_to_runs(html))


def plain(html):
    return "".join(run.text for run in html_to_runs(html))


def text_to_html(text):
    """Plain text (a draft body before formatting existed) as stored HTML."""
    return runs_to_html([Run(str(text))])


# The no-JavaScript form's markup. A backslash before * _ [ ] \ keeps it as
# it is, so that every text survives the round trip.
_ESCAPED = re.compile(r"([\\*_\[\]])")
_TOKEN = re.compile(r"\\([\\*_\[\]().#>-])|\*\*|_|\[|\]")
_LINK_TAIL = re.compile(r"\]\(([^()\s]+)\)")


def markup_escape(text):
    return _ESCAPED.sub(r"\\\1", text)


def runs_to_markup(runs):
    chunks = []
    for run in merge(runs):
        text = markup_escape(run.text)
        if run.italic:
            text = f"_{text}_"
        if run.bold:
            text = f"**{text}**"
        if run.href:
            text = f"[{text}]({_markup_href(run.href)})"
        chunks.append(text)
    return "".join(chunks)


def _markup_href(href):
    """The address with the characters that would end it percent-encoded
    (the same address to a browser)."""
    return href.replace("(", "%28").replace(")", "%29")


def markup_to_runs(text):
    """Runs from the form's markup. A marker without its closing pair is
    kept as text; a link to an address ``safe_href`` refuses is its text."""
    return merge(_Markup(text).runs())


class _Markup:
    """A single pass with one look ahead per marker: once a marker is found
    unclosed, later ones of its kind are text, so hostile input (a page of
    ``[`` or ``**``) costs linear time."""

    def __init__(self, text):
        self.text, self.unclosed = text, set()

    def runs(self):
        return self._parse(0, Run(""), None)[0]

    def _parse(self, position, marks, closer):
        """Runs from ``position`` until ``closer`` ("**", "_" or "]") and the
        position after it; None when ``closer`` never comes."""
        text, runs, buffer = self.text, [], []

        def flush():
            if buffer:
                runs.append(marks._replace(text="".join(buffer)))
                buffer.clear()

        while position < len(text):
            match = _TOKEN.search(text, position)
            if match is None:
                buffer.append(text[position:])
                position = len(text)
                break
            buffer.append(text[position : match.start()])
            marker, position = match.group(0), match.end()
            if match.group(1):
                buffer.append(match.group(1))
                continue
            if marker == closer:
                flush()
                return runs, position
            if marker == "[" and closer == "]":
                return None
            inner = self._open(position, marks, marker)
            if inner is None:
                buffer.append(marker)
                continue
            flush()
            runs += inner[0]
            position = inner[1]
        if closer is not None:
            self.unclosed.add(closer)
            return None
        flush()
        return runs, position

    def _open(self, position, marks, marker):
        if marker in self.unclosed:
            return None
        if marker == "**" and not marks.bold:
            return self._parse(position, marks._replace(bold=True), "**")
        if marker == "_" and not marks.italic:
            return self._parse(position, marks._replace(italic=True), "_")
        if marker == "[" and not marks.href:
            return self._link(position, marks)
        return None

    def _link(self, position, marks):
        inner = self._parse(position, marks._replace(href="#"), "]")
        if inner is None:
            return None
        tail = _LINK_TAIL.match(self.text, inner[1] - 1)
        if tail is None:
            return None
        href = safe_href(tail.group(1))
        return [run._replace(href=href) for run in inner[0]], tail.end()
