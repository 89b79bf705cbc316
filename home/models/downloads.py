"""The public documents section, "Dokumenty do pobrania": the programme in
print, as PDF and as DOCX (ProgrammePage's routes, home/exports.py), straight
from the published pages, and
the documents editors choose (the project summary, reports), each from a
public collection of Wagtail's documents."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Collection, CollectionViewRestriction

from home.blocks import DocumentSectionsBlock
from home.models.pages import PublicPage
from home.models.programme import ProgrammePage
from home.restrictions import public_only


def public_collection_ids(collection_ids):
    """Those of ``collection_ids`` that anyone may read: under no view
    restriction of Wagtail's (the working groups' private collections all
    lie under one closed to anonymous readers, workgroups/collections.py).
    Two queries."""
    restricted = list(
        CollectionViewRestriction.objects.values_list("collection__path", flat=True)
    )
    return {
        collection.pk
        for collection in Collection.objects.filter(pk__in=collection_ids).only("path")
        if not any(collection.path.startswith(path) for path in restricted)
    }


class DocumentsPage(PublicPage):
    """The documents to download, in the page's language: the programme's own
    exports, then sections of documents. A document chosen from a private
    collection is not listed (and its file answers 404 to outsiders,
    documents/wagtail_hooks.py)."""

    documents = StreamField(
        DocumentSectionsBlock(), verbose_name=_("documents"), blank=True
    )

    content_panels = PublicPage.content_panels + [FieldPanel("documents")]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("documents to download")
        verbose_name_plural = _("documents to download pages")

    def chosen_documents(self):
        return [
            download["document"]
            for section in self.documents
            for download in section.value["documents"]
            if download["document"] is not None
        ]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        documents = self.chosen_documents()
        public = public_collection_ids({doc.collection_id for doc in documents})
        context["public_document_ids"] = {
            doc.pk for doc in documents if doc.collection_id in public
        }
        context["programme"] = (
            public_only(ProgrammePage.objects.filter(locale_id=self.locale_id))
            .order_by("path")
            .first()
        )
        return context
