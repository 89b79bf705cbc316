"""sitemap.xml with every language version of each public page, at the
site's address (``BASE_URL``, home/urls_absolute.py)."""

from collections import defaultdict

from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Locale

from home.selectors import public_pages
from home.urls_absolute import page_url


class MultilingualSitemap(Sitemap):
    def items(self):
        site = self.get_wagtail_site()
        roots = site.root_page.get_translations(inclusive=True)
        pages = public_pages().none()
        for root in roots:
            pages = pages | public_pages().descendant_of(root, inclusive=True)
        return pages.order_by("path").defer_streamfields().specific()

    def _urls(self, page, protocol, domain):
        pages = list(self.paginator.page(page).object_list)
        codes = dict(Locale.objects.values_list("pk", "language_code"))
        by_key = defaultdict(list)
        for item in pages:
            by_key[item.translation_key].append(item)
        urls = []
        for item in pages:
            url = {
                "item": item,
                "location": page_url(item),
                "lastmod": item.last_published_at or item.latest_revision_created_at,
                "alternates": [
                    {
                        "lang_code": codes[other.locale_id],
                        "location": page_url(other),
                    }
                    for other in by_key[item.translation_key]
                ],
            }
            urls.append(url)
        self.latest_lastmod = None
        return urls
