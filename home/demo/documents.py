"""Demo content of "Dokumenty do pobrania" (data: ``documents.json``): the
page in Polish with its Ukrainian and English translations, listing the
project's public summary (``project-summary.txt``, the text of the
reference summary) as a DOCX in the public collection "Program
(publiczne)". The programme itself is offered from its own pages (print and
DOCX), so no copy of it is stored. No report is invented."""

from importlib import resources

from django.core.files.base import ContentFile

from wagtail.documents.models import Document
from wagtail.models import Collection

from home.demo.data import LANGUAGES, paragraphs, read
from home.exports import docx_bytes
from home.models import DocumentsPage, HomePage

DATA = read(__package__, "documents.json")
PUBLIC_COLLECTION = "Program (publiczne)"  # documents migration 0002


def load(*, locales, stdout):
    """Once: if the Polish page exists, an editor may have changed it."""
    home = HomePage.objects.get(locale=locales["pl"], depth=2)
    if DocumentsPage.objects.filter(locale=locales["pl"]).exists():
        return
    summary = _summary_document()
    page = DocumentsPage(**_fields("pl", summary), slug=DATA["page"]["slug"])
    home.add_child(instance=page)
    page.save_revision().publish()
    for code in LANGUAGES[1:]:
        translation = page.copy_for_translation(locales[code]).specific
        for name, value in _fields(code, summary).items():
            setattr(translation, name, value)
        translation.save_revision().publish()
    stdout.write(f"Demo documents page in {len(LANGUAGES)} languages.")


def _fields(code, summary):
    page = DATA["page"]
    return {
        "title": page["title"][code],
        "summary": paragraphs(page["summary"][code]),
        "documents": [
            (
                "section",
                {
                    "heading": page["section"][code],
                    "documents": [
                        {
                            "document": summary,
                            "title": DATA["summary_document"]["title"][code],
                        }
                    ],
                },
            )
        ],
    }


def _summary_document():
    """The reference summary as a DOCX document of the public collection."""
    entry = DATA["summary_document"]
    text = resources.files(__package__).joinpath(entry["file"]).read_text("utf-8")
    title, *lines = text.splitlines()
    document = Document(
        title=entry["title"]["pl"],
        collection=Collection.objects.get(name=PUBLIC_COLLECTION),
    )
    content = docx_bytes(
        title, entry["subtitle"], "", [("paragraph", line) for line in lines]
    )
    document.file.save(entry["file_name"], ContentFile(content), save=False)
    document.save()
    return document
