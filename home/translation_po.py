"""Translations on PO files, for translators outside the admin (issue 16).

A page's translatable text is cut into segments — its title, its summary,
and each text block of its body, named by the block's id, which a
translation keeps from its source (``copy_for_translation``); a snippet's
are the fields it names in ``translatable_fields``. The export is a
PO file whose ``msgctxt`` names the segment, ``msgid`` holds the source's
text and ``msgstr`` the translation's current text. The import writes the
translated segments into a new revision of the translation (of a page: a
draft, which an editor reviews and publishes; of a snippet, which has no
draft state: saved, and so public, at once); a file that names no segment of the page,
or cannot be read, changes nothing."""

import io

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

TEXT_FIELDS = ("title", "summary")


def text_fields(obj):
    return getattr(obj, "translatable_fields", TEXT_FIELDS)


def segments(page):
    """``{segment: text}`` of a page or snippet (or of one rebuilt from a
    revision)."""
    found = {}
    for name in text_fields(page):
        value = getattr(page, name, "")
        if value:
            found[name] = str(value)
    body = getattr(page, "body", None)
    for block in body.raw_data if body is not None else []:
        text = _block_text(block["value"])
        if text:
            found[f"body.{block['id']}"] = text
    return found


def segment_label(obj, key):
    """What the editor calls segment ``key`` of ``obj``: its field's name in
    the admin's language (a body block: the body's and the block's place),
    not the code's name (``title``, ``body.<id>``)."""
    name, _dot, block_id = key.partition(".")
    try:
        label = capfirst(obj._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return key
    body = getattr(obj, "body", None)
    ids = [block["id"] for block in body.raw_data] if block_id and body else []
    if block_id in ids:
        return _("%(field)s, block %(number)s") % {
            "field": label,
            "number": ids.index(block_id) + 1,
        }
    return label


def _block_text(value):
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("text"), str):
        return value["text"]
    return ""


def export_po(source, translation):
    """The PO file (bytes) to translate ``source`` into ``translation``'s
    language, filled with what ``translation`` says now."""
    current = segments(translation.get_latest_revision_as_object())
    catalog = Catalog(
        locale=translation.locale.language_code.replace("-", "_"),
        project=str(source),
        charset="utf-8",
    )
    for key, text in segments(source.get_latest_revision_as_object()).items():
        catalog.add(text, string=current.get(key, ""), context=key)
    out = io.BytesIO()
    write_po(out, catalog, width=0)
    return out.getvalue()


@transaction.atomic
def import_po(*, translation, data, user):
    """Writes the file's translated segments into a new revision of
    ``translation``; returns how many segments it changed."""
    try:
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
    except Exception as error:  # noqa: BLE001 - any unreadable file
        raise ValidationError(_("This is not a PO file we can read.")) from error
    page = translation.get_latest_revision_as_object()
    known = segments(page)
    given = {m.context: m.string for m in catalog if m.id and m.context and m.string}
    if any("\x00" in text for text in given.values()):
        raise ValidationError(_("This is not a PO file we can read."))
    if not set(given) & set(known):
        raise ValidationError(_("The file has no translation for this page's text."))
    changed = 0
    for name in text_fields(page):
        if name in given and given[name] != known.get(name):
            setattr(page, name, given[name])
            changed += 1
    if hasattr(page, "body"):
        raw = page.body.raw_data
        for block in raw:
            key = f"body.{block['id']}"
            if key in given and given[key] != known.get(key):
                block["value"] = _with_text(block["value"], given[key])
                changed += 1
        page.body = list(raw)
    if changed:
        _refuse_what_the_page_cannot_hold(page)
        if not hasattr(page, "live"):  # a snippet has no drafts: saved
            page.save()
        page.save_revision(user=user, log_action=True)
    return changed


def _refuse_what_the_page_cannot_hold(page):
    """A translated title longer than the field, say, is refused with the
    field's own message before any revision is written."""
    try:
        page.full_clean()
    except ValidationError as error:
        raise ValidationError(
            [
                message
                for messages in error.message_dict.values()
                for message in messages
            ]
        ) from error


def _with_text(value, text):
    if isinstance(value, dict):
        return {**value, "text": text}
    return text
