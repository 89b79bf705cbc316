"""The programme's page tree read in one query: the live, public pages of
several types below a page, each as its own type, nested by their paths."""

from django.contrib.contenttypes.models import ContentType

from wagtail.models import Page

from home.restrictions import public_only


def published_tree(page, *models):
    """The live, public descendants of ``page`` of the given page types, each
    as its specific page, in tree order: one query however many pages and
    types (each type's table joined to the page it extends)."""
    types = ContentType.objects.get_for_models(*models)  # cached per process
    links = {types[model].pk: model._meta.model_name for model in models}
    rows = (
        public_only(Page.objects.descendant_of(page))
        .filter(content_type_id__in=links)
        .select_related(*links.values())
        .order_by("path")
    )
    return [getattr(row, links[row.content_type_id]) for row in rows]


def nest(pages):
    """Attach each page's children (from the same list) as ``children``;
    the pages with no parent in the list, in order."""
    by_path = {page.path: page for page in pages}
    for page in pages:
        page.children = []
    roots = []
    for page in pages:
        parent = by_path.get(page.path[: -page.steplen])
        (parent.children if parent else roots).append(page)
    return roots
