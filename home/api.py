"""The read-only JSON API (Wagtail API v2): public, live pages only; no
documents or images endpoint (docs/security.md, AC-11)."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet


class PublicPagesAPIViewSet(PagesAPIViewSet):
    def get_base_queryset(self):
        # Wagtail's own filter checks each restriction against the request;
        # .public() also drops pages any restriction covers, whoever asks.
        return super().get_base_queryset().public()


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
