"""The read-only JSON API (Wagtail API v2): public, live pages only; no
documents or images endpoint (docs/security.md, AC-11)."""

from rest_framework.fields import Field

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageSerializer
from wagtail.api.v2.views import PagesAPIViewSet

from home.urls_absolute import absolute_url, page_url


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

    def get_base_queryset(self):
        # Wagtail's own filter checks each restriction against the request;
        # .public() also drops pages any restriction covers, whoever asks.
        return super().get_base_queryset().public()


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
