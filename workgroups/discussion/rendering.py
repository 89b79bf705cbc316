"""What a client gets of a message: its data, and its HTML rendered on the
server from the same ``_message.html`` as the topic page — the script inserts
that HTML and never builds a message itself, so the text is parsed (links,
@mentions) and escaped in one place, ``text.render``.

The HTML goes to every reader of the room alike (the hub encodes an event
once), so it holds nothing of one reader: the controls of the author and of
the chair, and their CSRF token, are added by the script from the
``<template>``s of the reader's own page. It is rendered in each language
of the site; the script takes its page's."""

import json

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from home.people import person_name

TEMPLATE = "workgroups/discussion/_message.html"


def languages_of(language=None):
    """The one language asked for, if the site has it; else all of them."""
    codes = [code for code, _name in settings.LANGUAGES]
    return [language] if language in codes else codes


def in_language(text, language):
    """The event ``text`` with its message's HTML in ``language`` only: what
    a reader's socket gets, whose page is in that language (the socket's
    ``?lang=``). Each fragment is most of an event's bytes, so a reader
    receives, and the worker writes, about a third of them."""
    if '"html": {' not in text:
        return text
    event = json.loads(text)
    html = event.get("message", {}).get("html")
    if not isinstance(html, dict) or language not in html:
        return text
    event["message"]["html"] = {language: html[language]}
    return json.dumps(event)


def message_html(message, languages):
    """{language: the message's ``<li>``}, as the topic page renders it for
    a reader who may not change it."""
    fragments = {}
    for language in languages:
        with translation.override(language):
            fragments[language] = render_to_string(TEMPLATE, {"message": message})
    return fragments


def serialize_message(message, mentions=None, *, languages=None):
    """The JSON form clients get (``mentions``: the usernames highlighted, if
    the caller has them; else read from the database). Deleted and hidden
    messages carry no text."""
    state = "hidden" if message.is_hidden else "deleted" if message.is_deleted else ""
    if mentions is not None:
        message.mention_names = set(mentions)
    author = message.author
    return {
        "id": message.pk,
        "seq": message.seq,
        # The newest event of the message in the room's stream (>= seq).
        "event": message.event_seq,
        "topic": message.topic_id,
        "author": person_name(author),
        "author_id": message.author_id,
        "body": "" if state else message.body,
        "state": state,
        "edited": message.edited_at is not None and not state,
        "client_id": str(message.client_id),
        "html": message_html(message, languages or languages_of()),
    }
