"""Whether the public content is honestly translated (issue 16).

Built on what ``wagtail.contrib.simple_translation`` already keeps: a
translation shares its source's ``translation_key``, and every published
change is a revision. A page's translation into a language is

- **missing** when there is no live page of that language with its key;
- **outdated** when the Polish source was published after the translation
  last was and its text changed since: what changed is the difference between
  the source's revision of that time and its live one;
- **up to date** otherwise (re-translating, i.e. publishing the translation
  again, clears "outdated").

Translatable snippets (info points) keep revisions but have no draft state:
a snippet's translation is made when it was last saved, i.e. at its latest
revision, and is outdated when the source was saved after that and its text
changed since. Outside translators work on PO files
(``home/translation_po.py``), for pages and snippets alike."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.html import strip_tags

from wagtail.models import Locale, Page

UP_TO_DATE, OUTDATED, MISSING = "up_to_date", "outdated", "missing"


@dataclass
class Entry:
    """One translation to do: ``source`` into ``locale``."""

    source: object
    locale: Locale
    status: str
    translation: object = None
    changes: list = None


def other_locales(default=None):
    default = default or Locale.get_default()
    return list(Locale.objects.exclude(pk=default.pk).order_by("pk"))


def status_of(source, translation):
    if translation is None or not translation.live:
        return MISSING
    if (
        source.last_published_at
        and translation.last_published_at
        and source.last_published_at > translation.last_published_at
    ):
        return OUTDATED
    return UP_TO_DATE


def pages_to_translate():
    """Every live page of the default language (the site's root pages
    aside) whose translation into another language is missing or outdated,
    read in two queries."""
    default = Locale.get_default()
    locales = other_locales()
    sources = list(
        Page.objects.live()
        .filter(locale=default, depth__gt=1)
        .order_by("path")
        .only("id", "title", "translation_key", "last_published_at", "live")
    )
    translations = {
        (page.translation_key, page.locale_id): page
        for page in Page.objects.filter(
            translation_key__in=[source.translation_key for source in sources],
            locale__in=locales,
        ).only("id", "title", "translation_key", "locale", "last_published_at", "live")
    }
    return _to_do(sources, locales, translations, status_of)


def is_outdated(source, translation):
    """Published after the translation, and its text changed since (a change
    of facts alone, home/facts.py, needs no translator)."""
    return status_of(source, translation) == OUTDATED and bool(
        changes_since_translation(source, translation)
    )


def snippet_status(source, translation):
    """A snippet's translation: missing, or outdated when the source was
    saved after the translation last was (each save is a revision)."""
    if translation is None:
        return MISSING
    made, changed = translated_at(translation), translated_at(source)
    if made and changed and changed > made:
        return OUTDATED
    return UP_TO_DATE


def translated_at(obj):
    """When ``obj`` (a page or a snippet with revisions) last became what
    readers see: a page's last publication, a snippet's latest revision."""
    if isinstance(obj, Page):
        return obj.last_published_at
    return obj.latest_revision.created_at if obj.latest_revision_id else None


def snippets_to_translate():
    """Info points whose translation into another language is missing or
    outdated (with what changed), read in two queries and one or two for
    each outdated one."""
    from home.models import InfoPoint

    default = Locale.get_default()
    locales = other_locales(default)
    sources = list(
        InfoPoint.objects.filter(locale=default)
        .select_related("latest_revision")
        .order_by("sort_order", "name")
    )
    translations = {
        (point.translation_key, point.locale_id): point
        for point in InfoPoint.objects.filter(
            translation_key__in=[source.translation_key for source in sources],
            locale__in=locales,
        ).select_related("latest_revision")
    }
    return _to_do(sources, locales, translations, snippet_status)


def _to_do(sources, locales, translations, status):
    """The entries of ``sources`` whose translation (found in
    ``translations`` by key and locale) is missing, or outdated with a
    change of text."""
    entries = []
    for source in sources:
        for locale in locales:
            translation = translations.get((source.translation_key, locale.pk))
            entry = Entry(source, locale, status(source, translation), translation)
            if entry.status == OUTDATED:
                entry.changes = changes_since_translation(source, translation)
            if entry.status == MISSING or entry.changes:
                entries.append(entry)
    return entries


def live_source_of(page):
    """The live page of the site's language that ``page`` translates, or
    ``None`` (``page`` is itself in that language, or has no source)."""
    return (
        Page.objects.live()
        .filter(
            translation_key=page.translation_key,
            locale__language_code=settings.LANGUAGE_CODE,
        )
        .exclude(pk=page.pk)
        .first()
    )


def changes_since_translation(source, translation):
    """``[(segment, before, now)]``: the source's text when the translation
    was last published, against its live text, where they differ; each
    segment named as the editor knows it (``segment_label``)."""
    from home.translation_po import segment_label, segments

    full = source.specific if isinstance(source, Page) else source
    before = (
        full.revisions.filter(created_at__lte=translated_at(translation))
        .order_by("-created_at", "-pk")
        .first()
    )
    old = segments(before.as_object()) if before else {}
    new = segments(full)
    changed = [
        (key, _plain(old.get(key, "")), _plain(text))
        for key, text in new.items()
        if old.get(key, "") != text
    ] + [(key, _plain(text), "") for key, text in old.items() if key not in new]
    return [(segment_label(full, key), was, now) for key, was, now in changed]


def _plain(html):
    return " ".join(strip_tags(html).split())
