"""RSS and Atom feeds of programme updates: public, live pages only."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from home.selectors import language, programme_updates


class ProgrammeUpdatesFeed(Feed):
    title = _("Integration programme “Małopolska otwarta”: updates")
    description = _("Pages of the programme as they are published or updated.")

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def link(self):
        return f"/{language()}/"

    def items(self):
        return programme_updates()

    def item_title(self, item):
        return getattr(item, "numbered_title", item.title)

    def item_description(self, item):
        text = item.search_text() if hasattr(item, "search_text") else ""
        return strip_tags(text)[:500]

    def item_link(self, item):
        return item.get_url(request=self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at


class ProgrammeUpdatesAtomFeed(ProgrammeUpdatesFeed):
    feed_type = Atom1Feed
    subtitle = ProgrammeUpdatesFeed.description
