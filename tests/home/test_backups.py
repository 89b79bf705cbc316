import io
import tarfile

import pytest

from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from documents import services
from documents.models import DraftAttachment
from home.backups import PreciseJSONEncoder, backed_up_models
from tests.documents.helpers import group_with_draft

# Restoring truncates tables, which PostgreSQL refuses inside a transaction
# that has already written rows (as a test case's own transaction has).
pytestmark = pytest.mark.usefixtures("migrated_data")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _every_table():
    """Every row of every backed-up table, as the stored values (JSON)."""
    return {
        model._meta.label: serializers.serialize(
            "json", model._base_manager.order_by("pk"), cls=PreciseJSONEncoder
        )
        for model in backed_up_models()
    }


def _content():
    author, draft = group_with_draft(text="Akapit zapisany w kopii.")
    services.attachment_upload(
        actor=author.user, draft=draft, upload=SimpleUploadedFile("kopia.pdf", PDF)
    )
    return DraftAttachment.objects.get().document


def test_restore_into_an_empty_database_gives_back_every_row_and_file(tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    document = _content()
    tables = _every_table()
    archive = tmp_path / "kopia.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    document.file.storage.delete(document.file.name)
    assert not DraftAttachment.objects.exists()

    call_command("restore", str(archive), stdout=io.StringIO())

    assert _every_table() == tables
    with document.file.storage.open(document.file.name) as restored:
        assert restored.read() == PDF


def test_a_damaged_archive_is_refused_and_nothing_changes(tmp_path):
    _content()
    good = tmp_path / "kopia.tar.gz"
    call_command("backup", str(good), stdout=io.StringIO())
    damaged = tmp_path / "uszkodzona.tar.gz"
    with tarfile.open(good) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/"):
                data = data.replace(b"PDF", b"XXX")
            target.addfile(member, io.BytesIO(data))
    tables = _every_table()

    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(damaged), stdout=io.StringIO())

    assert _every_table() == tables
