"""Backups (home/backups): one snapshot while members keep writing, restore
into a new database that is switched to only when whole, refusals that
change nothing. These run on the suite's engine: PostgreSQL under .ci/run,
SQLite under a plain ``make test``."""

import hashlib
import io
import json
import tarfile
import threading
import uuid
from pathlib import Path

import pytest

from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models

from documents import services as drafts
from documents.models import Draft, DraftAttachment
from home import backups
from tests.documents.helpers import group_with_draft
from workgroups.discussion import services as discussion
from workgroups.models import Message, Topic

# Backups refuse to run inside a transaction (PostgreSQL's snapshot must be
# the transaction's first), so these tests commit, and a writer thread
# needs committed rows anyway.
# On PostgreSQL every backup and restore runs pg_dump and pg_restore.
pytestmark = [pytest.mark.multiprocess, pytest.mark.usefixtures("migrated_data")]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _dangling_references():
    """Every foreign key of every table whose row is not there, as
    ``table.column`` → count (the empty dict when all resolve)."""
    quote = connection.ops.quote_name
    found = {}
    with connection.cursor() as cursor:
        for model in apps.get_models():
            for field in model._meta.local_concrete_fields:
                if not isinstance(field, models.ForeignKey):
                    continue
                child, target = model._meta.db_table, field.related_model._meta
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(child)} c LEFT JOIN "  # noqa: S608
                    f"{quote(target.db_table)} p ON c.{quote(field.column)} = "
                    f"p.{quote(field.target_field.column)} "
                    f"WHERE c.{quote(field.column)} IS NOT NULL "
                    f"AND p.{quote(field.target_field.column)} IS NULL"
                )
                if count := cursor.fetchone()[0]:
                    found[f"{child}.{field.column}"] = count
    return found


def _counts():
    return backups.row_counts(connection)


class Writer(threading.Thread):
    """A member who keeps writing: a topic with a message, a new version of
    the draft, and once an attachment, over and over, each in its own
    transactions, until stopped."""

    def __init__(self, author, draft):
        super().__init__(daemon=True)
        self.author, self.draft = author, draft
        self.rounds = 0
        self.error = None
        self.stopping = threading.Event()

    def run(self):
        try:
            room = self.author.group.room
            while not self.stopping.is_set():
                self._round(room)
                self.rounds += 1
        except Exception as error:  # noqa: BLE001 - shown by the test
            self.error = error
        finally:
            connection.close()

    def _round(self, room):
        user, n = self.author.user, self.rounds
        topic = discussion.topic_create(actor=user, room=room, title=f"Wątek {n}")
        discussion.message_post(
            author=user, topic=topic, body=f"Wiadomość {n}", client_id=uuid.uuid4()
        )
        drafts.draft_save(
            actor=user,
            draft_id=self.draft.pk,
            base_version=Draft.objects.get(pk=self.draft.pk).version,
            title="Rekomendacja",
            summary="",
            text=f"Akapit w wersji {n}.",
        )
        if n == 2:
            drafts.attachment_upload(
                actor=user,
                draft=self.draft,
                upload=SimpleUploadedFile(f"zalacznik-{n}.pdf", PDF),
            )

    def wait_for(self, rounds):
        while self.rounds < rounds and self.is_alive():
            self.stopping.wait(0.01)

    def stop(self):
        self.stopping.set()
        self.join()
        if self.error is not None:
            raise self.error


@pytest.fixture
def forget_previous():
    """Remove the database a restore kept aside."""
    kept = []
    yield kept
    for previous in kept:
        if connection.vendor == "postgresql":
            from home.backups import postgresql

            postgresql.drop(connection, previous)
        else:
            Path(previous).unlink(missing_ok=True)


def test_a_backup_taken_while_members_write_restores_whole(tmp_path, forget_previous):
    author, draft = group_with_draft()
    writer = Writer(author, draft)
    writer.start()
    writer.wait_for(3)  # the attachment is in
    rounds_before = writer.rounds
    archive = tmp_path / "kopia.tar.gz"

    manifest = backups.backup(archive)

    rounds_during = writer.rounds - rounds_before
    writer.wait_for(writer.rounds + 2)
    writer.stop()
    assert rounds_during > 0, "the writer wrote nothing while the backup ran"
    written = _counts()
    attachment = DraftAttachment.objects.select_related("document").get()
    stored = Path(settings.MEDIA_ROOT) / attachment.document.file.name
    stored.unlink()

    result = backups.restore(archive)
    forget_previous.append(result["previous"])

    assert _counts() == manifest["rows"] == result["rows"]
    # Rows written after the snapshot are not there, and nothing points to
    # a row that is missing.
    assert Topic.objects.count() < written["workgroups_topic"]
    assert Message.objects.count() < written["workgroups_message"]
    assert _dangling_references() == {}
    versions = Draft.objects.get(pk=draft.pk).versions
    assert versions.count() == Draft.objects.get(pk=draft.pk).version
    # The attachment's file came back, the same bytes.
    attachment = DraftAttachment.objects.select_related("document").get()
    assert stored.read_bytes() == PDF
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()


def _rewritten(source, target, change, *, resum=False):
    """A copy of the archive with ``change(name, data)`` applied to each
    member's bytes; with ``resum`` its checksums are made to agree again."""
    sums = []
    with tarfile.open(source, "r|gz") as old, tarfile.open(str(target), "w|gz") as new:
        for member in old:
            data = change(member.name, old.extractfile(member).read())
            if member.name == backups.SUMS and resum:
                data = "".join(sums).encode()
            sums.append(f"{hashlib.sha256(data).hexdigest()}  {member.name}\n")
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))
    return target


def _kopia(tmp_path):
    author, draft = group_with_draft(text="Akapit zapisany w kopii.")
    drafts.attachment_upload(
        actor=author.user, draft=draft, upload=SimpleUploadedFile("kopia.pdf", PDF)
    )
    archive = tmp_path / "kopia.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    return archive


def _written_after(archive):
    """A row the archive does not have: a restore would remove it."""
    Topic.objects.create(room=Draft.objects.get().group.room, title="Po kopii")


def _staging_left():
    return list(Path(settings.MEDIA_ROOT).glob(".restore-*"))


def test_a_damaged_or_cut_archive_is_refused_and_nothing_changes(tmp_path):
    archive = _kopia(tmp_path)
    damaged = _rewritten(
        archive,
        tmp_path / "uszkodzona.tar.gz",
        lambda name, data: (
            data.replace(b"PDF", b"XXX") if name.startswith("media/") else data
        ),
    )
    _written_after(archive)
    before = _counts()

    cut = tmp_path / "ucieta.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])

    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(damaged), stdout=io.StringIO())
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("restore", str(cut), stdout=io.StringIO())

    assert _counts() == before
    assert _staging_left() == []


def test_an_archive_of_another_schema_is_refused_with_the_reason(tmp_path):
    archive = _kopia(tmp_path)

    def older(name, data):
        if name != backups.MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["schema"] = [
            "workgroups.0001_initial" if entry.startswith("workgroups.") else entry
            for entry in manifest["schema"]
        ]
        return json.dumps(manifest).encode()

    other = _rewritten(archive, tmp_path / "starsza.tar.gz", older)
    before = _counts()

    with pytest.raises(CommandError, match="another schema version") as refused:
        call_command("restore", str(other), stdout=io.StringIO())

    assert "workgroups.0001_initial" in str(refused.value)
    assert _counts() == before


def test_a_restore_that_fails_leaves_the_site_as_it_was(tmp_path):
    """The database in the archive is broken but its checksums agree: the
    load into the new database fails, which is dropped; the site's database
    and files are untouched."""
    archive = _kopia(tmp_path)

    def broken(name, data):
        return data[: len(data) // 2] if name.startswith("database.") else data

    bad = _rewritten(archive, tmp_path / "zepsuta.tar.gz", broken, resum=True)
    _written_after(archive)
    before = _counts()
    databases = _databases()

    with pytest.raises(CommandError):
        call_command("restore", str(bad), stdout=io.StringIO())

    assert _counts() == before
    assert _databases() == databases
    assert _staging_left() == []


def _databases():
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database ORDER BY 1")
        return [row[0] for row in cursor.fetchall()]


def test_the_restore_drill_compares_counts_and_checksums(tmp_path):
    _kopia(tmp_path)
    out = io.StringIO()

    call_command("restore_drill", stdout=out)

    line = out.getvalue().strip()
    assert line.startswith("restore_drill=ok ")
    report = dict(item.split("=") for item in line.split()[1:])
    assert int(report["rows"]) == sum(_counts().values())
    assert report["files"] == "1"
    assert _staging_left() == []
