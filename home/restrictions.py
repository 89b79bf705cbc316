"""Which pages a view restriction may cover, without asking the database
each time: the restricted pages' tree paths (and the aliases') are
remembered until the public content changes (``home.cache``; saving or
deleting a restriction empties it)."""

from wagtail.models import Page

from home.cache import cached_value


def _view_paths():
    def build():
        from wagtail.models import PageViewRestriction

        return (
            list(PageViewRestriction.objects.values_list("page__path", flat=True)),
            list(
                Page.objects.filter(alias_of__isnull=False).values_list(
                    "path", flat=True
                )
            ),
        )

    return cached_value("view-paths", build)


def restricted_paths():
    """Tree paths of pages under a view restriction; remembered until a
    restriction changes (that empties the public cache)."""
    return _view_paths()[0]


def public_only(queryset):
    """Live pages of ``queryset`` outside every view restriction: Wagtail's
    ``.public()`` without its query of the restrictions."""
    queryset = queryset.live()
    for restricted in restricted_paths():
        queryset = queryset.exclude(path__startswith=restricted)
    return queryset


def may_be_restricted(page):
    """Whether a view restriction may cover ``page``: one on it or above it,
    or an alias on the way (an alias takes its source page's restrictions,
    which only Wagtail's own query resolves)."""
    if page.alias_of_id is not None:
        return True
    restricted, aliases = _view_paths()
    step = page.steplen
    above = {page.path[:end] for end in range(step, len(page.path) + 1, step)}
    return not above.isdisjoint([*restricted, *aliases])
