"""Backup and restore of a large database (``make bench-backup``).

On a PostgreSQL database of the benchmark's own (``BENCH_PG_ADMIN``
[postgres://postgres@127.0.0.1:5432/postgres]): migrate, one group with a
draft and an attachment made through the services, then rows multiplied with
bulk SQL (``INSERT … SELECT … generate_series``) up to ``BENCH_MESSAGES``
[1,000,000] discussion messages in ``BENCH_TOPICS`` [10,000] topics and
``BENCH_VERSIONS`` [100,000] draft versions (each with its Wagtail revision),
plus ``BENCH_FILES`` [100] uploaded files of 256 KiB.

Then ``manage.py backup`` and ``manage.py restore`` run as processes of their
own; each is timed and its process tree (Python and pg_dump or pg_restore)
sampled every 50 ms for its resident memory: the peak of the sum is reported.

Baseline, the per-row loading of the previous backup format (Django
fixtures through ``loaddata``, one object saved at a time): measured on
``BENCH_BASELINE_ROWS`` [20,000] rows of the same tables (messages, topics,
revisions, versions in the same proportions) and extrapolated linearly to the
big set's rows, as loaddata's cost is per object (two queries each).

The last line is ``key=value`` figures; targets: peak memory under 300 MB for
both commands, restore at least ten times faster than the baseline.
"""

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg

from deploy.topology import children_of

BASE_DIR = Path(__file__).resolve().parent.parent
PG_ADMIN = os.environ.get(
    "BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres"
)
DB = "platforma_bench_backup"
MESSAGES = int(os.environ.get("BENCH_MESSAGES", "1000000"))
TOPICS = int(os.environ.get("BENCH_TOPICS", "10000"))
VERSIONS = int(os.environ.get("BENCH_VERSIONS", "100000"))
FILES = int(os.environ.get("BENCH_FILES", "100"))
BASELINE_ROWS = int(os.environ.get("BENCH_BASELINE_ROWS", "20000"))
SAMPLE_SECONDS = 0.05


def log(text):
    print(f"bench-backup: {text}", file=sys.stderr, flush=True)


def admin(sql):
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(sql)


def databases_like(prefix):
    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", [prefix + "%"]
        ).fetchall()
    return [name for (name,) in rows]


def drop_all():
    for name in databases_like(DB):
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def rss_kib(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree(pid):
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(children_of(current))
    return found


def measured(command, env):
    """Run ``command``; (seconds, peak RSS of its process tree in MB)."""
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=BASE_DIR, env=env)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, sum(rss_kib(pid) for pid in tree(process.pid)))
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    status = process.wait()
    seconds = time.monotonic() - started
    done.set()
    sampler.join()
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed ({status})")
    return seconds, peak / 1024


# --- the data ------------------------------------------------------------------


def seed():
    """One group, an expert, a draft (version 1), a topic and the files,
    through the services; returns the ids the bulk SQL builds on."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents import services as drafts
    from tests.documents.helpers import group_with_draft
    from workgroups.discussion import services as discussion

    author, draft = group_with_draft()
    topic = discussion.topic_create(
        actor=author.user, room=author.group.room, title="Wątek"
    )
    pdf = b"%PDF-1.4\n" + os.urandom(256 * 1024) + b"\n%%EOF\n"
    for number in range(FILES):
        drafts.attachment_upload(
            actor=author.user,
            draft=draft,
            upload=SimpleUploadedFile(f"plik-{number}.pdf", pdf),
        )
    return {
        "room": topic.room_id,
        "topic": topic.pk,
        "user": author.user.pk,
        "draft": draft.pk,
        "revision": draft.latest_revision_id,
    }


def grow(cursor, ids, messages, topics, versions):
    """Bring the tables up to ``messages`` messages in ``topics`` topics and
    ``versions`` versions of the draft, in a few statements."""
    cursor.execute("SELECT count(*) FROM workgroups_topic")
    have_topics = cursor.fetchone()[0]
    cursor.execute(
        "INSERT INTO workgroups_topic (room_id, title, is_closed, created_by_id,"
        " created_at) SELECT %(room)s, 'Wątek ' || g, false, %(user)s, now()"
        " FROM generate_series(%(first)s, %(last)s) g",
        {**ids, "first": have_topics + 1, "last": topics},
    )
    cursor.execute("SELECT min(id), count(*) FROM workgroups_topic")
    first_topic, topic_count = cursor.fetchone()
    cursor.execute("SELECT coalesce(max(seq), 0) FROM workgroups_message")
    have = cursor.fetchone()[0]
    cursor.execute(
        "INSERT INTO workgroups_message (room_id, topic_id, seq, changed_seq,"
        " author_id, client_id, body, search_text, created_at)"
        " SELECT %(room)s, %(first_topic)s + g %% %(topics)s, g, 0, %(user)s,"
        " gen_random_uuid(), 'Wiadomość numer ' || g || ' w sprawie kursów"
        " językowych dla dorosłych i punktów informacyjnych.', '', now()"
        " FROM generate_series(%(first)s, %(last)s) g",
        {
            **ids,
            "first_topic": first_topic,
            "topics": topic_count,
            "first": have + 1,
            "last": messages,
        },
    )
    cursor.execute(
        "UPDATE workgroups_room SET last_seq = %s WHERE id = %s",
        [messages, ids["room"]],
    )
    cursor.execute("SELECT max(number) FROM documents_draftversion")
    have = cursor.fetchone()[0]
    cursor.execute(
        "WITH revisions AS ("
        " INSERT INTO wagtailcore_revision (created_at, content, object_id,"
        " user_id, content_type_id, base_content_type_id, object_str)"
        " SELECT now(), content, object_id, user_id, content_type_id,"
        " base_content_type_id, object_str FROM wagtailcore_revision,"
        " generate_series(%(first)s, %(last)s) WHERE id = %(revision)s"
        " RETURNING id)"
        " INSERT INTO documents_draftversion (draft_id, number, revision_id,"
        " author_id, note, created_at)"
        " SELECT %(draft)s, %(have)s + row_number() OVER (ORDER BY id), id,"
        " %(user)s, '', now() FROM revisions",
        {**ids, "first": have + 1, "last": versions, "have": have},
    )
    cursor.execute(
        "UPDATE documents_draft SET version = %s WHERE id = %s",
        [versions, ids["draft"]],
    )


def row_total(cursor):
    total = 0
    for table in (
        "workgroups_message",
        "workgroups_topic",
        "wagtailcore_revision",
        "documents_draftversion",
    ):
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
        total += cursor.fetchone()[0]
    return total


def baseline(scratch):
    """Seconds and rows of loading the small set the previous way: its rows
    as a Django fixture, loaded by ``loaddata`` into their emptied tables."""
    from django.core import serializers
    from django.core.management import call_command
    from django.db import connection

    from wagtail.models import Revision

    from documents.models import DraftVersion
    from workgroups.models import Message, Topic

    fixture = scratch / "baseline.json"
    querysets = [
        Topic.objects.order_by("pk"),
        Message.objects.order_by("pk"),
        Revision.objects.order_by("pk"),
        DraftVersion.objects.order_by("pk"),
    ]
    rows = sum(queryset.count() for queryset in querysets)
    with open(fixture, "w") as stream:
        serializers.serialize(
            "json",
            (obj for queryset in querysets for obj in queryset.iterator()),
            stream=stream,
        )
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM documents_draftversion")
        cursor.execute("UPDATE documents_draft SET latest_revision_id = NULL")
        for table in ("wagtailcore_revision", "workgroups_message", "workgroups_topic"):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
    started = time.monotonic()
    call_command("loaddata", str(fixture), verbosity=0)
    return time.monotonic() - started, rows


def main():
    drop_all()
    admin(f'CREATE DATABASE "{DB}"')
    scratch = Path(tempfile.mkdtemp(prefix="bench-backup-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "platforma.settings.dev",
        "DATABASE_URL": PG_ADMIN.rsplit("/", 1)[0] + "/" + DB,
        "MEDIA_ROOT": str(scratch / "media"),
        "REDIS_URL": "",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    try:
        baseline_s, baseline_rows, rows = build_database(scratch)
        archive = scratch / "backup.tar"
        manage = [sys.executable, "manage.py"]
        log("backup")
        backup_s, backup_mb = measured([*manage, "backup", str(archive)], env)
        log("restore")
        restore_s, restore_mb = measured([*manage, "restore", str(archive)], env)
        extrapolated = baseline_s * rows / baseline_rows
        figures = {
            "messages": MESSAGES,
            "versions": VERSIONS,
            "files": FILES,
            "archive_mb": round(archive.stat().st_size / 2**20),
            "backup_s": round(backup_s, 1),
            "backup_peak_rss_mb": round(backup_mb),
            "restore_s": round(restore_s, 1),
            "restore_peak_rss_mb": round(restore_mb),
            "baseline_rows": baseline_rows,
            "baseline_load_s": round(baseline_s, 1),
            "baseline_restore_s_extrapolated": round(extrapolated),
            "restore_speedup": round(extrapolated / restore_s, 1),
        }
        print(" ".join(f"{key}={value}" for key, value in figures.items()), flush=True)
    finally:
        connection.close()
        drop_all()
        subprocess.run(["rm", "-rf", str(scratch)], check=False)  # noqa: S607


def build_database(scratch):
    """Migrate, seed, time the baseline on its share of the rows, then grow
    to the full size; the baseline's seconds and rows, and the rows in all."""
    from django.core.management import call_command
    from django.db import connection

    log("migrate")
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    log(f"seed (services) and the baseline set ({BASELINE_ROWS} rows)")
    ids = seed()
    share = BASELINE_ROWS / (MESSAGES + TOPICS + 2 * VERSIONS)
    with connection.cursor() as cursor:
        grow(
            cursor,
            ids,
            int(MESSAGES * share),
            max(int(TOPICS * share), 1),
            max(int(VERSIONS * share), 1),
        )
    baseline_s, baseline_rows = baseline(scratch)
    log(f"baseline: {baseline_rows} rows loaded in {baseline_s:.1f} s")
    log(f"grow to {MESSAGES} messages and {VERSIONS} versions (bulk SQL)")
    started = time.monotonic()
    with connection.cursor() as cursor:
        grow(cursor, ids, MESSAGES, TOPICS, VERSIONS)
        cursor.execute("ANALYZE")
        rows = row_total(cursor)
    log(f"generated in {time.monotonic() - started:.0f} s")
    connection.close()
    return baseline_s, baseline_rows, rows


if __name__ == "__main__":
    main()
