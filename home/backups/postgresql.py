"""PostgreSQL: pg_dump from a snapshot this process exports and reads too,
pg_restore into a new database, then a rename switches the site over."""

import os
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

from django.db import DatabaseError, transaction
from django.db.backends.postgresql.client import DatabaseClient
from django.utils import timezone

from home.backups import common

DUMP = "database.pgdump"
# Both cores of a small server; more only makes pg_restore wait on the disk.
RESTORE_JOBS = 2
SWITCH_ATTEMPTS = 5


def _command(connection, program, *options, name=None):
    """``program`` with the site's credentials (host, port, user, password,
    service, SSL options as ``psql`` gets them) and database ``name`` as its
    last argument."""
    settings_dict = dict(connection.settings_dict)
    if name is not None:
        settings_dict["NAME"] = name
    args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, list(options))
    return [program, *args[1:]], {**os.environ, **(env or {})}


def _run(command, env):
    result = subprocess.run(  # noqa: S603 - our own arguments, no shell
        command, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise common.BackupError(
            f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}"
        )


@contextmanager
def snapshot(connection, scratch):
    """A REPEATABLE READ transaction exports its snapshot; pg_dump imports
    it (``--snapshot``), and the row counts and file names are read in the
    same transaction, which stays open until the archive is written."""
    if connection.in_atomic_block:
        raise common.BackupError("A backup cannot run inside a transaction.")
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
        common.require_migrated(connection)
        dump = scratch / DUMP
        command, env = _command(
            connection,
            "pg_dump",
            "--format=custom",
            "--compress=1",
            f"--snapshot={snapshot_id}",
            "--no-owner",
            "--no-privileges",
            *(f"--exclude-table-data={table}" for table in common.DATA_EXCLUDED),
            f"--file={dump}",
        )
        _run(command, env)
        yield common.Snapshot(common.row_counts(connection), dump, connection)


def _admin_cursor(connection):
    """A cursor on the server's maintenance database (CREATE, ALTER and
    DROP DATABASE cannot run in the database they change)."""
    return connection._nodb_cursor()


def _quote(connection, name):
    return connection.ops.quote_name(name)


def _new_name(connection, label):
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    base = connection.settings_dict["NAME"][: 63 - len(label) - len(stamp) - 2]
    return f"{base}_{label}_{stamp}"


def load(connection, dump):
    """A new, empty database with the dump restored into it; its name."""
    name = _new_name(connection, "restore")
    with _admin_cursor(connection) as cursor:
        cursor.execute(f"CREATE DATABASE {_quote(connection, name)} TEMPLATE template0")
    try:
        command, env = _command(
            connection,
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--jobs={RESTORE_JOBS}",
            f"--dbname={name}",
            name=name,
        )
        # pg_restore's last argument is the file; the database is --dbname.
        command[-1] = str(dump)
        _run(command, env)
    except BaseException:
        drop(connection, name)
        raise
    return name


def connect(connection, name):
    return common.scratch_connection(connection, NAME=name)


def switch(connection, name):
    """Rename the site's database away and the restored one into its place,
    in one transaction, after ending the connections to both; returns the
    name the previous database is kept under. A process of the site that
    connects again in between makes the rename fail: it is tried again."""
    live = connection.settings_dict["NAME"]
    previous = _new_name(connection, "before_restore")
    connection.close()
    for attempt in range(SWITCH_ATTEMPTS):
        try:
            with _admin_cursor(connection) as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname IN (%s, %s) AND pid <> pg_backend_pid()",
                    [live, name],
                )
                _rename(cursor, connection, live, previous, name)
            return previous
        except DatabaseError:
            if attempt == SWITCH_ATTEMPTS - 1:
                raise
            time.sleep(0.2)


def _rename(cursor, connection, live, previous, name):
    cursor.execute("BEGIN")
    try:
        for old, new in ((live, previous), (name, live)):
            cursor.execute(
                f"ALTER DATABASE {_quote(connection, old)} "
                f"RENAME TO {_quote(connection, new)}"
            )
    except DatabaseError:
        cursor.execute("ROLLBACK")
        raise
    cursor.execute("COMMIT")


def drop(connection, name):
    with _admin_cursor(connection) as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        )
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(connection, name)}")
