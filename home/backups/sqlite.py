"""SQLite: the online backup API copies the database in one step (one read
transaction: one snapshot, while writers go on in WAL mode); restore checks
the archive's copy and then copies it into the site's database with the same
API, in one transaction of the destination."""

import sqlite3
from contextlib import closing, contextmanager
from pathlib import Path

from django.utils import timezone

from home.backups import common

DUMP = "database.sqlite3"


def _copy(source_path, destination_path):
    """Copy a whole database with the backup API, in one step."""
    with (
        closing(sqlite3.connect(source_path, timeout=30)) as source,
        closing(sqlite3.connect(destination_path, timeout=30)) as destination,
    ):
        source.backup(destination)


def connect(connection, name):
    """A connection to another SQLite file, without the site's PRAGMAs
    (a copy keeps its own journal mode)."""
    return common.scratch_connection(connection, NAME=str(name), OPTIONS={})


@contextmanager
def snapshot(connection, scratch):
    """The copy is the snapshot: counts and file names are read from it.
    Sign-ins and the database cache are emptied in the copy."""
    common.require_migrated(connection)
    dump = scratch / DUMP
    _copy(connection.settings_dict["NAME"], dump)
    copy = connect(connection, dump)
    try:
        with copy.cursor() as cursor:
            tables = set(copy.introspection.table_names(cursor))
            for table in set(common.DATA_EXCLUDED) & tables:
                cursor.execute(f"DELETE FROM {copy.ops.quote_name(table)}")  # noqa: S608
        yield common.Snapshot(common.row_counts(copy), dump, copy)
    finally:
        copy.close()


def load(connection, dump):
    """The archive's copy is the new database: its file's path."""
    try:
        with closing(sqlite3.connect(dump)) as database:
            (result,) = database.execute("PRAGMA integrity_check").fetchone()
    except sqlite3.DatabaseError as error:
        result = str(error)
    if result != "ok":
        raise common.BackupError(f"The archive's database is damaged: {result}")
    return str(dump)


def switch(connection, name):
    """Keep the site's database beside it, then copy the restored one into
    it (one write transaction: other connections see all of it or none)."""
    live = Path(connection.settings_dict["NAME"])
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    previous = live.with_name(f"{live.name}.before-restore-{stamp}")
    connection.close()
    _copy(live, previous)
    _copy(name, live)
    return str(previous)


def drop(connection, name):
    """The copy lives in the restore's scratch directory, removed with it."""
