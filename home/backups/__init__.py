"""Backups: one archive holds the whole platform as it was at one moment.

The database is copied by its engine's own tool from one snapshot (pg_dump's
custom format on PostgreSQL, SQLite's online backup API on SQLite), and the
uploaded files are the ones the rows of that same snapshot name, so a file
written meanwhile is in the archive exactly when its row is. The archive is a
tar stream (gzip-compressed when its name ends in ``.gz``)::

    manifest.json      format, engine, schema version, row counts per table
    database.pgdump    (or database.sqlite3)
    media/<name>       every uploaded file a row names
    missing.txt        files a row names that were not on disk (if any)
    SHA256SUMS         a checksum of every member above, in sha256sum's format

Restore checks the manifest (format, engine, schema) before anything else,
then every checksum, then loads the database into a new, empty database,
checks it (row counts, references) and only then puts the files in place and
switches the site over to it. Nothing is held whole in memory. See
docs/backups.md.
"""

import hashlib
import io
import json
import os
import secrets
import shutil
import tarfile
import tempfile
import zlib
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from home.backups import postgresql, sqlite
from home.backups.common import BackupError, row_counts

FORMAT = "platforma-backup/2"
CHUNK = 1 << 20
MANIFEST, SUMS, MISSING = "manifest.json", "SHA256SUMS", "missing.txt"


def _engine(connection):
    engines = {"postgresql": postgresql, "sqlite": sqlite}
    if connection.vendor not in engines:
        raise BackupError(
            f"Backups support PostgreSQL and SQLite, not {connection.vendor}."
        )
    return engines[connection.vendor]


def schema_version():
    """The code's schema: the newest migration of every app."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    return sorted(f"{app}.{name}" for app, name in graph.leaf_nodes())


class _HashingReader:
    """A file read once, through ``hashlib.sha256``, as tarfile copies it."""

    def __init__(self, stream):
        self.stream, self.digest = stream, hashlib.sha256()

    def read(self, size=-1):
        data = self.stream.read(size)
        self.digest.update(data)
        return data


def _add_file(archive, name, path, sums):
    info = tarfile.TarInfo(name)
    info.size = path.stat().st_size
    info.mtime = int(path.stat().st_mtime)
    with open(path, "rb") as stream:
        reader = _HashingReader(stream)
        archive.addfile(info, reader)
    sums.write(f"{reader.digest.hexdigest()}  {name}\n")


def _add_bytes(archive, name, data, sums=None):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))
    if sums is not None:
        sums.write(f"{hashlib.sha256(data).hexdigest()}  {name}\n")


def _stream_mode(path):
    return "w|gz" if str(path).endswith((".gz", ".tgz")) else "w|"


def backup(target, *, using=DEFAULT_DB_ALIAS):
    """Write the archive to ``target`` (a path; written as ``.partial`` and
    renamed when whole) and return its manifest."""
    connection = connections[using]
    engine = _engine(connection)
    target = Path(target)
    partial = target.with_name(target.name + ".partial")
    try:
        with tempfile.TemporaryDirectory(
            dir=target.parent, prefix=".backup-"
        ) as scratch:
            result = _write(connection, engine, Path(scratch), partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, target)
    return result


def _write(connection, engine, scratch, partial, target):
    media = Path(settings.MEDIA_ROOT)
    with (
        engine.snapshot(connection, scratch) as snapshot,
        open(partial, "wb") as out,
        tarfile.open(fileobj=out, mode=_stream_mode(target)) as archive,
    ):
        manifest = {
            "format": FORMAT,
            "engine": connection.vendor,
            "schema": schema_version(),
            "created": timezone.now().isoformat(),
            "rows": snapshot.rows,
        }
        sums = io.StringIO()
        _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=1).encode(), sums)
        _add_file(archive, engine.DUMP, snapshot.dump, sums)
        missing, files = [], 0
        for name in snapshot.files():
            path = media / name
            if path.is_file():
                _add_file(archive, f"media/{name}", path, sums)
                files += 1
            else:
                missing.append(name)
        if missing:
            _add_bytes(archive, MISSING, "\n".join(missing).encode(), sums)
        _add_bytes(archive, SUMS, sums.getvalue().encode())
    return {**manifest, "files": files, "missing": missing}


# --- restore -------------------------------------------------------------------


def _member_path(member, staging):
    """Where a member of the archive is unpacked; anything but the known
    names and plain files under media/ is refused."""
    name = PurePosixPath(member.name)
    if not member.isfile() or name.is_absolute() or ".." in name.parts:
        raise BackupError(f"Unexpected entry in the archive: {member.name}")
    if name.parts[0] == "media" and len(name.parts) > 1:
        return staging / "media" / Path(*name.parts[1:])
    if member.name in (SUMS, MISSING) or member.name.startswith("database."):
        return staging / member.name
    raise BackupError(f"Unexpected entry in the archive: {member.name}")


def _check_manifest(manifest, connection):
    if manifest.get("format") != FORMAT:
        raise BackupError("This is not an archive of this platform's backup format.")
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"This archive holds a {manifest['engine']} database and the site "
            f"uses {connection.vendor}: restore it on the same engine "
            "(docs/backups.md, moving between engines)."
        )
    ours = schema_version()
    if manifest["schema"] != ours:
        theirs = sorted(set(manifest["schema"]) - set(ours))
        mine = sorted(set(ours) - set(manifest["schema"]))
        raise BackupError(
            "This archive is of another schema version: it has "
            f"{', '.join(theirs)} where this code has {', '.join(mine)}. Restore "
            "it with the release that wrote it, then upgrade."
        )


def _unpack(source, staging, connection):
    """Unpack the archive into ``staging``, hashing every member on the way;
    returns the manifest once every checksum matched."""
    hashes = {}
    manifest = None
    with tarfile.open(source, "r|*") as archive:
        for member in archive:
            if manifest is None:
                if member.name != MANIFEST or not member.isfile():
                    raise BackupError("The archive does not start with its manifest.")
                data = archive.extractfile(member).read()
                manifest = json.loads(data)
                _check_manifest(manifest, connection)
                hashes[MANIFEST] = hashlib.sha256(data).hexdigest()
                continue
            path = _member_path(member, staging)
            path.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with archive.extractfile(member) as stream, open(path, "wb") as out:
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            if member.name != SUMS:
                hashes[member.name] = digest.hexdigest()
    if manifest is None:
        raise BackupError("The archive is empty.")
    _verify(hashes, staging / SUMS)
    return manifest


def _verify(hashes, sums_path):
    if not sums_path.is_file():
        raise BackupError("The archive is incomplete: its checksums are missing.")
    listed = {}
    for line in sums_path.read_text().splitlines():
        digest, _, name = line.partition("  ")
        listed[name] = digest
    for name in sorted(set(listed) | set(hashes)):
        if listed.get(name) != hashes.get(name):
            raise BackupError(f"The archive is damaged or incomplete: {name}")


def _staged_files(staging):
    root = staging / "media"
    if not root.exists():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def _place_files(staging):
    """Move the archive's files into MEDIA_ROOT (a rename each, on the same
    file system). Files are never rewritten under the same name, so the
    site's other files stay as they are."""
    media = Path(settings.MEDIA_ROOT)
    for path in _staged_files(staging):
        destination = media / path.relative_to(staging / "media")
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, destination)


@contextmanager
def _staging():
    """A scratch directory inside MEDIA_ROOT, so that files move into place
    by renaming; removed at the end whatever happened."""
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    staging = media / f".restore-{secrets.token_hex(8)}"
    staging.mkdir()
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _check_restored(restored, manifest):
    """The restored database has the archive's rows and no reference to a
    row that is not there."""
    counts = row_counts(restored)
    if counts != manifest["rows"]:
        differ = sorted(
            table
            for table in set(counts) | set(manifest["rows"])
            if counts.get(table) != manifest["rows"].get(table)
        )
        raise BackupError(f"Restored row counts differ: {', '.join(differ)}")
    try:
        restored.check_constraints()
    except IntegrityError as error:
        raise BackupError(f"The restored database is inconsistent: {error}") from error
    return counts


def restore(source, *, switch=True, using=DEFAULT_DB_ALIAS):
    """Restore the archive at ``source``: checked whole, loaded into a new
    database, checked again, then (``switch``) the files are put in place
    and the site's database replaced by the new one. Without ``switch`` (the
    drill) the new database is dropped after the checks. Returns a summary:
    the manifest, the restored row counts, the files and, after a switch,
    where the previous database was kept."""
    connection = connections[using]
    engine = _engine(connection)
    source = Path(source)
    with _staging() as staging:
        try:
            manifest = _unpack(source, staging, connection)
        except (OSError, EOFError, tarfile.TarError, zlib.error, ValueError) as error:
            raise BackupError(f"The archive cannot be read: {error}") from error
        name = engine.load(connection, staging / engine.DUMP)
        restored = engine.connect(connection, name)
        switched = False
        try:
            counts = _check_restored(restored, manifest)
            restored.close()
            files = {
                str(path.relative_to(staging / "media")): _sha256(path)
                for path in _staged_files(staging)
            }
            previous = None
            if switch:
                _place_files(staging)
                previous = engine.switch(connection, name)
                switched = True
        finally:
            restored.close()
            if not switched:
                engine.drop(connection, name)
    return {"manifest": manifest, "rows": counts, "files": files, "previous": previous}


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def drill(*, using=DEFAULT_DB_ALIAS):
    """Back up, restore into a scratch database (never switched to) and
    compare: row counts of the restored database with the snapshot's, and
    each restored file's checksum with the file on disk now. Returns a
    report; raises BackupError on any difference."""
    with tempfile.TemporaryDirectory(prefix="platforma-drill-") as scratch:
        archive = Path(scratch) / "drill.tar"
        started = timezone.now()
        manifest = backup(archive, using=using)
        backed_up = timezone.now()
        size = archive.stat().st_size
        result = restore(archive, switch=False, using=using)
        restored = timezone.now()
    media = Path(settings.MEDIA_ROOT)
    changed = sorted(
        name
        for name, digest in result["files"].items()
        if _sha256(media / name) != digest
    )
    if changed:
        raise BackupError(
            f"Restored files differ from the site's: {', '.join(changed)}"
        )
    return {
        "tables": len(result["rows"]),
        "rows": sum(result["rows"].values()),
        "files": len(result["files"]),
        "missing_files": len(manifest["missing"]),
        "archive_bytes": size,
        "backup_s": round((backed_up - started).total_seconds(), 2),
        "restore_s": round((restored - backed_up).total_seconds(), 2),
    }
