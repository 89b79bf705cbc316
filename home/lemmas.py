"""Base forms of words, so that search understands inflection.

Both the indexed text of a page and the reader's query are reduced to
lemmas with simplemma (Polish, Ukrainian, English; a dictionary lookup with
rules for unknown words, no model to download): "mieszkaniami" and
"mieszkanie" both become "mieszkanie", "іноземцями" and "іноземців" both
"іноземець".
"""

import re
import threading
from functools import lru_cache

import simplemma

from django.utils.html import escape
from django.utils.safestring import mark_safe

SUPPORTED = {"pl", "uk", "en"}
_WORD = re.compile(r"\w+", re.UNICODE)


def _language(language_code):
    code = (language_code or "pl").split("-")[0]
    return code if code in SUPPORTED else "pl"


@lru_cache(maxsize=20_000)
def lemma(word, language_code):
    return simplemma.lemmatize(word, lang=_language(language_code)).lower()


def lemmatise(text, language_code):
    """The text's words replaced by their base forms, lower case."""
    return " ".join(lemma(word, language_code) for word in _WORD.findall(text or ""))


def query_lemmas(query, language_code):
    return [lemma(word, language_code) for word in _WORD.findall(query or "")]


def highlight(text, lemmas, language_code, *, length=240):
    """An excerpt of ``text`` (escaped) around the first match, with every
    word whose base form the query names wrapped in <mark>."""
    wanted = set(lemmas)
    words = list(_WORD.finditer(text or ""))
    first = next(
        (m.start() for m in words if lemma(m.group(), language_code) in wanted), 0
    )
    start = max(0, first - length // 3)
    end = start + length
    excerpt, position = [], start
    for match in words:
        if match.end() <= start or match.start() >= end:
            continue
        excerpt.append(escape(text[position : match.start()]))
        word = escape(match.group())
        if lemma(match.group(), language_code) in wanted:
            word = f"<mark>{word}</mark>"
        excerpt.append(word)
        position = match.end()
    excerpt.append(escape(text[position:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text or "") else ""
    return mark_safe(prefix + "".join(excerpt).strip() + suffix)  # noqa: S308 - escaped above


_loading = threading.Lock()


def load_dictionaries():
    """Load the three dictionaries (seconds of CPU) once per process: a
    second caller waits for the first and finds them loaded, instead of
    loading them again beside it."""
    with _loading:
        for code in sorted(SUPPORTED):
            lemma("a", code)


def preload_in_background():
    """Load the three dictionaries in a server process before the first
    search needs them (loading takes seconds; the first reader should not
    wait). Not where ``SEARCH_PRELOAD`` is off (WebSocket-only workers)."""
    from django.conf import settings

    if not settings.SEARCH_PRELOAD:
        return
    threading.Thread(
        target=load_dictionaries, name="lemma-preload", daemon=True
    ).start()
