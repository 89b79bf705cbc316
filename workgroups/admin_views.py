"""The Wagtail admin's views, narrowed to what the access layer allows."""

from django.db.models import CharField
from django.db.models.functions import Cast

from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.documents import get_document_model
from wagtail.models import ModelLogEntry

from workgroups import access


class SiteHistoryView(LogEntriesView):
    """Reports → Site history, without the entries about files in the
    working groups' private collections for anyone but an administrator:
    Wagtail shows an entry to whoever holds any permission on its model, and
    editors hold document permissions (on the programme's collection)."""

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if queryset.model is not ModelLogEntry or access.is_administrator(
            self.request.user
        ):
            return queryset
        Document = get_document_model()
        private = (
            Document.objects.filter(collection__in=access.private_collections())
            .annotate(key=Cast("pk", CharField()))
            .values("key")
        )
        return queryset.exclude(
            content_type__app_label=Document._meta.app_label,
            content_type__model=Document._meta.model_name,
            object_id__in=private,
        )
