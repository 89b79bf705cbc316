"""What the backup and its two engines (``postgresql``, ``sqlite``) share:
the error they report, the tables whose data is not kept, the checks and
counts run inside a snapshot, and the snapshot an engine hands to the
archive (docs/backups.md)."""

from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db.migrations.executor import MigrationExecutor
from django.db.models import FileField

# Tables whose rows are not kept: sign-ins (everyone signs in again after a
# restore) and the database cache of a site without Redis.
DATA_EXCLUDED = ("django_session", "platforma_cache")


class BackupError(Exception):
    """Why an archive cannot be written or restored, in words for the
    operator; nothing was changed."""


def require_migrated(connection):
    """The database holds exactly the code's schema (read through
    ``connection``, so inside its snapshot)."""
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise BackupError(
            "The database is not migrated to this code's schema: run "
            "`manage.py migrate` first."
        )


def row_counts(connection):
    """Rows per table (every table of the database, Django's or not), but
    the ones whose data is not kept."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        tables = sorted(
            set(connection.introspection.table_names(cursor)) - set(DATA_EXCLUDED)
        )
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - introspected names
            counts[table] = cursor.fetchone()[0]
    return counts


def _file_columns():
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.local_concrete_fields:
            if isinstance(field, FileField):
                yield model._meta.db_table, field.column


def referenced_files(connection):
    """The names of uploaded files the database's rows name, sorted, each
    once, read in chunks (a server-side cursor on PostgreSQL)."""
    quote = connection.ops.quote_name
    selects = [
        f"SELECT {quote(column)} AS name FROM {quote(table)} "  # noqa: S608 - model names
        f"WHERE {quote(column)} <> ''"
        for table, column in _file_columns()
    ]
    with connection.chunked_cursor() as cursor:
        cursor.execute(" UNION ".join(selects) + " ORDER BY 1")
        while rows := cursor.fetchmany(1000):
            for (name,) in rows:
                yield name


@dataclass
class Snapshot:
    """What an engine's snapshot gives the archive: the row counts and the
    database copy, and (through ``connection``, still in the snapshot) the
    names of the files its rows name."""

    rows: dict
    dump: Path
    connection: object

    def files(self):
        return referenced_files(self.connection)


def scratch_connection(connection, **overrides):
    """A connection of the same engine and credentials to another database
    (a scratch copy, a restored database), closed by the caller."""
    return type(connection)({**connection.settings_dict, **overrides}, alias="backup")
