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

Snippets (info points) have no revisions: theirs is missing or present.
Outside translators work on PO files (``home/translation_po.py``)."""

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


def other_locales():
    return list(Locale.objects.exclude(pk=Locale.get_default().pk).order_by("pk"))


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
    entries = []
    for source in sources:
        for locale in locales:
            translation = translations.get((source.translation_key, locale.pk))
            entry = Entry(source, locale, status_of(source, translation), translation)
            if entry.status == OUTDATED:
                entry.changes = changes_since_translation(source, translation)
            if entry.status == MISSING or entry.changes:
                entries.append(entry)
    return entries


def is_outdated(source, translation):
    """Published after the translation, and its text changed since (a change
    of facts alone, home/facts.py, needs no translator)."""
    return status_of(source, translation) == OUTDATED and bool(
        changes_since_translation(source, translation)
    )


def snippets_to_translate():
    """Info points with no version in some language."""
    from home.models import InfoPoint

    default = Locale.get_default()
    present = set(
        InfoPoint.objects.exclude(locale=default).values_list(
            "translation_key", "locale_id"
        )
    )
    return [
        Entry(point, locale, MISSING)
        for point in InfoPoint.objects.filter(locale=default).order_by("name")
        for locale in other_locales()
        if (point.translation_key, locale.pk) not in present
    ]


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
    was last published, against its live text, where they differ."""
    from home.translation_po import segments

    full = source.specific
    before = (
        full.revisions.filter(created_at__lte=translation.last_published_at)
        .order_by("-created_at", "-pk")
        .first()
    )
    old = segments(before.as_object()) if before else {}
    new = segments(full)
    return [
        (key, _plain(old.get(key, "")), _plain(text))
        for key, text in new.items()
        if old.get(key, "") != text
    ] + [(key, _plain(text), "") for key, text in old.items() if key not in new]


def _plain(html):
    return " ".join(strip_tags(html).split())
