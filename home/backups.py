"""One archive holds the whole platform: every table (as Django fixtures, so
the same archive restores on SQLite and PostgreSQL) and every uploaded file,
with a manifest of row counts and file checksums that restore verifies."""

import datetime
import hashlib
import io
import itertools
import json
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import management, serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

# Rebuilt rather than copied: the search index (update_index), sessions and
# finished task results.
EXCLUDED = [
    "sessions",
    "wagtailsearch",
    "django_tasks_database",
]
FORMAT_VERSION = 1
FIRST = ("contenttypes", "auth")


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _media_files():
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


class PreciseJSONEncoder(DjangoJSONEncoder):
    """Django's encoder rounds times to milliseconds; a backup keeps them whole."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def backed_up_models():
    """Content types and permissions first: handlers that run while rows are
    loaded look content types up and must find them, not create them."""
    models = [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.app_label not in EXCLUDED
    ]
    return sorted(models, key=lambda model: model._meta.app_label not in FIRST)


def row_counts():
    return {
        model._meta.label: model._base_manager.count() for model in backed_up_models()
    }


def _add_bytes(archive, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    archive.addfile(info, io.BytesIO(data))


def backup(target):
    """Writes the archive to ``target`` (a path) and returns its manifest."""
    data = io.StringIO()
    serializers.serialize(
        "json",
        itertools.chain.from_iterable(
            model._base_manager.order_by("pk") for model in backed_up_models()
        ),
        cls=PreciseJSONEncoder,
        stream=data,
    )
    root = Path(settings.MEDIA_ROOT)
    files = {str(path.relative_to(root)): _sha256(path) for path in _media_files()}
    manifest = {"format": FORMAT_VERSION, "rows": row_counts(), "files": files}
    with tarfile.open(target, "w:gz") as archive:
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
        _add_bytes(archive, "data.json", data.getvalue().encode())
        for name in files:
            archive.add(root / name, arcname=f"media/{name}")
    return manifest


class BackupError(Exception):
    pass


def _safe_media_member(member):
    name = Path(member.name)
    if name.is_absolute() or ".." in name.parts or not member.isfile():
        raise BackupError(f"unsafe entry in the archive: {member.name}")
    return Path(*name.parts[1:])


def _unpack(archive, directory):
    """Checks and unpacks the archive into ``directory``; returns the manifest."""
    manifest = json.load(archive.extractfile("manifest.json"))
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError("unknown archive format")
    (directory / "data.json").write_bytes(archive.extractfile("data.json").read())
    for member in archive.getmembers():
        if member.name.startswith("media/"):
            path = directory / "media" / _safe_media_member(member)
            path.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(member) as stream, open(path, "wb") as out:
                shutil.copyfileobj(stream, out)
    for name, checksum in manifest["files"].items():
        path = directory / "media" / name
        if not path.is_file() or _sha256(path) != checksum:
            raise BackupError(f"file damaged or missing in the archive: {name}")
    return manifest


def restore(source):
    """Replaces the database's content and the uploaded files with the
    archive's, after checking it whole; returns the manifest."""
    with tempfile.TemporaryDirectory() as scratch:
        directory = Path(scratch)
        with tarfile.open(source, "r:gz") as archive:
            manifest = _unpack(archive, directory)
        with transaction.atomic():
            management.call_command(
                "flush", interactive=False, inhibit_post_migrate=True, verbosity=0
            )
            management.call_command(
                "loaddata", str(directory / "data.json"), verbosity=0
            )
            if row_counts() != manifest["rows"]:
                raise BackupError("restored row counts differ from the manifest")
        root = Path(settings.MEDIA_ROOT)
        for name in manifest["files"]:
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(directory / "media" / name, root / name)
    management.call_command("update_index", verbosity=0)
    return manifest
