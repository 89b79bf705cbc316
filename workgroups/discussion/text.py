"""Message text: validation, safe rendering (links and @mentions, never
markup from users) and the lemmas that make search inflection-aware."""

import re
import threading
import unicodedata

import simplemma

from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from home.lemmas import load_dictionaries
from workgroups.models.discussion import MAX_MESSAGE_LENGTH

# Only http(s) links become links: no javascript:, data: or other schemes.
LINK_RE = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
MENTION_RE = re.compile(r"(?<![\w@])@([\w+-]{1,100}(?:\.[\w+-]{1,100})*)")
TOKEN_RE = re.compile(
    rf"(?P<link>{LINK_RE.pattern})|(?P<mention>{MENTION_RE.pattern})", re.IGNORECASE
)
TRAILING = ".,;:!?)]}'\""
LANGUAGES = ("pl", "uk", "en")


def clean_text(value, *, max_length=MAX_MESSAGE_LENGTH, field=None):
    """``value`` normalised (NFC, stripped) or ValidationError: empty, too
    long, NUL or characters that cannot be stored (lone surrogates)."""
    if not isinstance(value, str):
        raise ValidationError(_("Text is required."), code="invalid")
    if "\x00" in value:
        raise ValidationError(_("The text contains a NUL character."), code="nul")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(
            _("The text contains invalid characters."), code="encoding"
        ) from None
    value = unicodedata.normalize("NFC", value).strip()
    if not value:
        raise ValidationError(_("Write something first."), code="empty")
    if len(value) > max_length:
        raise ValidationError(
            _("At most %(max)d characters, please (this has %(length)d).")
            % {"max": max_length, "length": len(value)},
            code="too_long",
        )
    return value


def _split_link(url):
    """A URL without the punctuation that ends the sentence around it."""
    end = len(url)
    while end and url[end - 1] in TRAILING:
        end -= 1
    return url[:end], url[end:]


def tokens(body):
    """(kind, text) pairs: "text", "link" or "mention" (text without @)."""
    position = 0
    for match in TOKEN_RE.finditer(body):
        if match.start() > position:
            yield "text", body[position : match.start()]
        if match.group("link"):
            url, rest = _split_link(match.group("link"))
            yield "link", url
            if rest:
                yield "text", rest
        else:
            yield "mention", match.group(3)
        position = match.end()
    if position < len(body):
        yield "text", body[position:]


def mentioned_usernames(body):
    return {value for kind, value in tokens(body) if kind == "mention"}


def render(body, mentions=()):
    """HTML of a message: escaped text, http(s) links and the @mentions of
    ``mentions`` (usernames of members) highlighted."""
    parts = []
    for kind, value in tokens(body):
        if kind == "link":
            parts.append(
                f'<a href="{escape(value)}" rel="nofollow noopener noreferrer">'
                f"{escape(value)}</a>"
            )
        elif kind == "mention" and value in mentions:
            parts.append(f'<strong class="mention">@{escape(value)}</strong>')
        elif kind == "mention":
            parts.append(f"@{escape(value)}")
        else:
            parts.append(escape(value))
    return mark_safe("".join(parts))  # noqa: S308 -- every part is escaped above


def words(text):
    text = unicodedata.normalize("NFC", text).casefold()
    return [token for token in simplemma.simple_tokenizer(text) if token[0].isalnum()]


# Loading the dictionaries takes seconds; one thread loads them, the others
# wait for it instead of loading them again (also the public search's
# preload: ``home.lemmas.load_dictionaries`` loads them once per process).
_lemma_lock = threading.Lock()
_loaded = False


def lemma(word):
    global _loaded  # noqa: PLW0603 -- once per process
    with _lemma_lock:
        if not _loaded:
            load_dictionaries()
            _loaded = True
        return simplemma.lemmatize(word, lang=LANGUAGES).casefold()


def search_text(body):
    """Every word and its lemma, space-separated and space-padded, so that a
    query lemma matches as `` lemma ``."""
    found = []
    for word in words(body):
        found.append(word)
        base = lemma(word)
        if base != word:
            found.append(base)
    return f" {' '.join(dict.fromkeys(found))} " if found else ""


def warm_up():
    """Start loading the lemmatiser's dictionaries (seconds of CPU) in the
    background, so that a worker neither waits for them before it listens
    nor on its first message; ``lemma`` waits for this load, never repeats it."""
    threading.Thread(target=lemma, args=("spotkanie",), daemon=True).start()


def query_terms(query):
    """For each word of the query, the forms that match it (word, lemma)."""
    return [{word, lemma(word)} for word in words(query)[:10]]
