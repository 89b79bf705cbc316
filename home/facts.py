"""An action's facts are the same in every language: its number, status,
years, its indicators' figures and its status history's dates. When the
Polish action is published, its translations get them (issue 16); only the
text waits for a translator.

The translations' own text is kept: the facts go into a new revision of each
translation's latest version, published if the translation was live with no
unpublished changes (otherwise they wait there for the editor's publication).
A change of facts is no re-translation, so the translation keeps the
publication time the translation status compares (home/translations.py)."""

from django.db import transaction

FACTS = ("number", "status", "start_year", "end_year")
ROW_FACTS = {
    "indicators": ("baseline", "target", "current_value"),
    "status_history": ("date", "status"),
}


def _copy(source, target, names):
    changed = False
    for name in names:
        if getattr(target, name) != getattr(source, name):
            setattr(target, name, getattr(source, name))
            changed = True
    return changed


def _copy_rows(source, target, relation, names):
    """Figures by position; rows the source gained or lost are added (with
    the source's text, to be translated) or dropped."""
    theirs, ours = (
        list(getattr(source, relation).all()),
        list(getattr(target, relation).all()),
    )
    changed = len(theirs) != len(ours)
    rows = []
    for position, row in enumerate(theirs):
        if position < len(ours):
            mine = ours[position]
            changed |= _copy(row, mine, names)
        else:
            mine = type(row)(**{f.name: getattr(row, f.name) for f in _row_fields(row)})
            _copy(row, mine, names)
        mine.sort_order = position
        rows.append(mine)
    setattr(target, relation, rows)
    return changed


def _row_fields(row):
    return [
        field
        for field in row._meta.concrete_fields
        if field.name not in ("id", "page", "sort_order")
    ]


@transaction.atomic
def sync_action_facts(source):
    """Copies ``source``'s facts into each of its translations."""
    translations = (
        type(source)
        .objects.filter(translation_key=source.translation_key)
        .exclude(locale_id=source.locale_id)
    )
    for translation in translations:
        draft = translation.get_latest_revision_as_object()
        changed = _copy(source, draft, FACTS)
        for relation, names in ROW_FACTS.items():
            changed |= _copy_rows(source, draft, relation, names)
        if not changed:
            continue
        publish = translation.live and not translation.has_unpublished_changes
        revision = draft.save_revision(log_action=True)
        if publish:
            published_at = translation.last_published_at
            revision.publish()
            type(source).objects.filter(pk=translation.pk).update(
                last_published_at=published_at
            )
