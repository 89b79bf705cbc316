from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Document drafts")

    def ready(self):
        from documents import (
            panels,  # noqa: F401 - registers the drafts' links
            signals,
        )

        signals.connect()
