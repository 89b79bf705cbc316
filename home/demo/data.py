"""The demo content's data files: JSON next to each app's demo loader
(docs/development.md#demo-content).

A value given in every language is an object ``{"pl": …, "uk": …, "en": …}``;
a rich-text field's value is a list of plain paragraphs."""

import json
from importlib import resources

LANGUAGES = ("pl", "uk", "en")


def read(package, name):
    """The data file ``name`` of the demo package ``package`` (read as a
    package resource, so it is found wherever the package is)."""
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


def is_translated(value):
    return isinstance(value, dict) and LANGUAGES[0] in value


def in_language(value, code):
    """``value`` in language ``code`` if it is given per language."""
    return value[code] if is_translated(value) else value


def paragraphs(texts):
    """Rich text of the paragraphs ``texts``."""
    return "".join(f"<p>{text}</p>" for text in texts)
