"""The read-only JSON API (Wagtail API v2): public, live pages only; no
documents or images endpoint (docs/security.md, AC-11). The programme's
fields are in each page type's ``api_fields``; ``?search=`` finds what the
site search finds (home/search.py)."""

import unicodedata

from rest_framework.fields import Field

from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from home import lemmas
from home.search import MAX_QUERY_LENGTH, lemma_search
from home.selectors import language
from home.urls_absolute import absolute_url, page_url


def _search_language(request):
    code = request.GET.get("locale") or language()
    return code if code in lemmas.SUPPORTED else language()


class LemmaSearchFilter(SearchFilter):
    """``?search=`` through the site's own search (home/search.py); input it
    cannot search for is a 400 that says why."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        query = request.GET["search"]
        operator = request.GET.get("search_operator") or "and"
        if operator not in ("and", "or"):
            raise BadRequestError("search_operator must be 'and' or 'or'")
        if len(query) > MAX_QUERY_LENGTH:
            raise BadRequestError(
                f"search is longer than {MAX_QUERY_LENGTH} characters"
            )
        if any(unicodedata.category(char) in ("Cc", "Cs") for char in query):
            raise BadRequestError("search contains control characters")
        results, _words = lemma_search(
            queryset,
            query,
            _search_language(request),
            operator=operator,
            order_by_relevance="order" not in request.GET,
        )
        if results is None:
            raise BadRequestError("search needs at least one word")
        return results


class AbsoluteDetailUrlField(Field):
    """``meta.detail_url`` on the site's address (``BASE_URL``)."""

    def get_attribute(self, instance):
        router = self.context["router"]
        return absolute_url(
            router.get_object_detail_urlpath(type(instance), instance.pk)
        )

    def to_representation(self, url):
        return url


class AbsoluteHtmlUrlField(Field):
    """``meta.html_url`` on the site's address, whatever host the Wagtail site
    was given."""

    def get_attribute(self, instance):
        return instance

    def to_representation(self, page):
        return page_url(page)


class PublicPageSerializer(PageSerializer):
    detail_url = AbsoluteDetailUrlField(read_only=True)
    html_url = AbsoluteHtmlUrlField(read_only=True)


class PublicPagesAPIViewSet(PagesAPIViewSet):
    base_serializer_class = PublicPageSerializer
    filter_backends = [
        LemmaSearchFilter if backend is SearchFilter else backend
        for backend in PagesAPIViewSet.filter_backends
    ]

    def initial(self, request, *args, **kwargs):
        """A NUL anywhere in the query is a 400 naming the parameter:
        PostgreSQL cannot compare text holding one (``?locale=``,
        ``?html_path=``, a field's filter)."""
        super().initial(request, *args, **kwargs)
        for name, values in request.GET.lists():
            if any("\x00" in text for text in [name, *values]):
                raise BadRequestError(f"{name} contains a NUL character")

    def get_base_queryset(self):
        # Wagtail's own filter checks each restriction against the request;
        # .public() also drops pages any restriction covers, whoever asks.
        return super().get_base_queryset().public()

    def get_queryset(self):
        return super().get_queryset().select_related("locale")

    def paginate_queryset(self, queryset):
        """The listed pages with their indicators, status history and
        recommendations fetched for all of them at once."""
        from home.models import ActionPage

        pages = list(super().paginate_queryset(queryset))
        actions = [page for page in pages if isinstance(page, ActionPage)]
        ActionPage.prefetch_details(actions)
        ActionPage.prefetch_recommendations(actions)
        return pages


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
