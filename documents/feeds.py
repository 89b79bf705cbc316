"""RSS and Atom feeds of the recommendations a recommendations section
publishes. The section serves them (``RecommendationIndexPage``) and hands
itself over, so the feed lists that section's pages, in its language, and
needs to import no model."""

from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from home.feeds import ProgrammeUpdatesFeed

FEED_LENGTH = 20


class RecommendationsFeed(ProgrammeUpdatesFeed):
    title = _("Recommendations of the working groups “Małopolska otwarta”")
    description = _("Recommendations as the editors publish them.")

    def __init__(self, index):
        super().__init__()
        self.index = index

    def link(self):
        return self.index.get_url(request=self.request)

    def items(self):
        return self.index.recommendations()[:FEED_LENGTH]


class RecommendationsAtomFeed(RecommendationsFeed):
    feed_type = Atom1Feed
    subtitle = RecommendationsFeed.description
