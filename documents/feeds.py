"""RSS and Atom feeds of published recommendations in the reader's language."""

from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from home.feeds import ProgrammeUpdatesFeed
from home.selectors import reader_locale


class RecommendationsFeed(ProgrammeUpdatesFeed):
    title = _("Recommendations of the working groups „Małopolska otwarta”")
    description = _("Recommendations as the editors publish them.")

    def link(self):
        from documents.models import RecommendationIndexPage

        index = (
            RecommendationIndexPage.objects.live()
            .public()
            .filter(locale=reader_locale())
            .first()
        )
        return index.get_url(request=self.request) if index else super().link()

    def items(self):
        from documents.models import RecommendationPage

        return (
            RecommendationPage.objects.live()
            .public()
            .filter(locale=reader_locale())
            .order_by("-first_published_at", "-pk")[:20]
        )


class RecommendationsAtomFeed(RecommendationsFeed):
    feed_type = Atom1Feed
    subtitle = RecommendationsFeed.description
