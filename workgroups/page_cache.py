"""Whole workspace pages remembered per session, replayed only while nothing
that page could show has changed (docs/benchmarks.md#make-bench-pages).

A view opts in with ``@member_page`` (a public page's ``serve``, through
``home.cache.mark_cacheable``, for a signed-in reader). Its 200 answer to a
GET is stored
under a key made of the session, the CSRF cookie, the scheme, the host, the
path with its query and the encoding asked for — so one person's page is
never another's, and a page keeps its language (the path's prefix). It is
replayed only if, at the moment of the request:

- the session still exists and is the very one the page was made for
  (its data unchanged: sign-out, a flash message, a second factor used or
  required, a password changed in this session all make it differ);
- ``workgroups.access.replay_allowed`` says so: the person's access
  generation did not move (it moves on every change that can end their
  access — a membership removed or changed, the account deactivated or
  erased, another of their sessions signed out or revoked, a password
  changed; ``workgroups/receivers.py``) and the page is younger than
  ``access.TRUST_SECONDS`` (changes made around the ORM);
- the *workspace generation* did not move: every statement that changes a
  row, in any process, through any path of the ORM or a raw cursor (bulk
  inserts and ``update()`` included), moves it when its transaction commits,
  except writes to the tables in ``UNSHOWN_MODELS`` and writes that only a
  group's members are shown (``writes_of_groups``: a discussion message, a
  read mark, a draft's live update), which move that group's generation
  instead;
- the generations of the person's groups did not move (the groups as the
  process knew them before the page was made, checked against the database
  when it is remembered);
- the public pages' generation did not move (a workspace page shows info
  points and links to published recommendations).

The generations are read before the view runs, so a change committed while
a page is being made leaves it stale at once. A hit costs one round trip to
the cache (the session, the page and the three generations in one ``MGET``)
and no query.

A replay repeats the page's CSP nonce, to the same session only, and only
while the page is byte for byte what was made with it: no content that
arrived since (where an injected script would be) can carry it.
"""

import contextlib
import contextvars
import hashlib
import json
import logging
import re
import time
from functools import wraps
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction
from django.db.backends.signals import connection_created

from home.cache import GENERATION_KEY as PUBLIC_GENERATION_KEY
from home.cache import generation_now as public_generation
from home.cache import replayed, stored_headers
from workgroups import access
from workgroups.models import Membership

logger = logging.getLogger(__name__)

WORKSPACE_GENERATION_KEY = "workspace-pages:generation"
# Writes that change no remembered page: bookkeeping of sessions, sockets,
# e-mails and tasks, and the draft page's "who has it open" marks (shown
# for two minutes, ``documents.selectors.PRESENCE_WINDOW``, so a page at
# most ``access.TRUST_SECONDS`` old is as true as the marks themselves).
UNSHOWN_MODELS = (
    "sessions.Session",
    "usersessions.UserSession",
    "workgroups.Connection",
    "home.OutgoingEmail",
    "django_tasks_db.DBTaskResult",
    "documents.DraftPresence",
)
_READS = ("SELECT", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SET")
# A statement with none of these words changes nothing ("(SELECT …) UNION",
# "WITH … SELECT"); with one, it is taken as a write unless shown otherwise.
_WRITE_WORD = re.compile(
    r"\b(?:INSERT|UPDATE|DELETE|MERGE|CREATE|ALTER|DROP|TRUNCATE|COPY|REPLACE)\b",
    re.IGNORECASE,
)
# The tables a statement writes ("UPDATE t SET", not "ON CONFLICT DO UPDATE SET").
_WRITTEN_TABLE = re.compile(
    r'\b(?:(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|DELETE\s+FROM)\s+"?(\w+)"?'
    r'|UPDATE\s+"?(\w+)"?\s+SET\b)',
    re.IGNORECASE,
)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)
# A session's person, as this process last saw it (a session's key is
# never reused for another person: signing in cycles it).
_people = {}
_PEOPLE_MAX = 10_000
# A person's groups, as this process last saw them (checked against the
# database whenever a page is remembered).
_groups_of = {}
# The groups whose members alone see what is written now (``writes_of_groups``).
_scope = contextvars.ContextVar("workspace_pages_scope", default=None)


# --- the workspace generation: moved by every write ---------------------------


def _unshown_tables():
    """The unshown models' tables, and the cache's own table where the cache
    is in the database (moving the generation writes to it)."""
    tables = {
        config["LOCATION"]
        for config in settings.CACHES.values()
        if config["BACKEND"].endswith("DatabaseCache")
    }
    for label in UNSHOWN_MODELS:
        try:
            tables.add(apps.get_model(label)._meta.db_table)
        except LookupError:
            continue
    return frozenset(tables)


_unshown = None


def _changes_pages(sql):
    """Whether a statement may change a page: anything but a read or
    transaction control, unless every table it writes is unshown."""
    global _unshown
    head = sql.lstrip()[:9].upper()
    if head.startswith(_READS) or not _WRITE_WORD.search(sql):
        return False
    if _unshown is None:
        _unshown = _unshown_tables()
    tables = {name for pair in _WRITTEN_TABLE.findall(sql) for name in pair if name}
    return not tables or not tables <= _unshown


def _move(key):
    """Move one generation. A write never fails for it: with the cache
    away, no page is replayed either, and one remembered before lives at
    most ``access.TRUST_SECONDS``."""
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, time.time_ns(), None)
    except Exception:  # noqa: BLE001 - the cache is away: see above
        logger.warning("workspace pages: the cache is away, generation not moved")


def workspace_changed():
    """Move the workspace generation (after a commit, or from a script that
    changed the database around Django)."""
    _move(WORKSPACE_GENERATION_KEY)


def group_generation_key(group_id):
    return f"workspace-pages:group:{group_id}"


def groups_changed(group_ids):
    """Move the generations of these groups: only their members' pages are
    made afresh."""
    for group_id in sorted(group_ids):
        _move(group_generation_key(group_id))


@contextlib.contextmanager
def writes_of_groups(group_ids):
    """Inside, a write changes only what members of these groups are shown
    (a discussion message, a read mark, a draft's live update): it moves
    their groups' generations instead of the whole site's, so one busy room
    leaves the pages of the other groups' members remembered. Only for
    writes of which that is true: a membership, a person or anything shown
    outside the groups must move the whole site's (as does a scope of no
    group at all)."""
    token = _scope.set(frozenset(group_ids) or None)
    try:
        yield
    finally:
        _scope.reset(token)


def _queued(connection):
    return any(entry[1] is workspace_changed for entry in connection.run_on_commit)


def _queued_groups(connection):
    """The set of groups the transaction's hook will move, if it has one."""
    for entry in connection.run_on_commit:
        if getattr(entry[1], "groups", None) is not None:
            return entry[1].groups
    return None


def _groups_hook(connection):
    groups = set()

    def move_groups():
        groups_changed(groups)

    move_groups.groups = groups
    transaction.on_commit(move_groups, using=connection.alias, robust=True)
    return groups


def _note_write(connection):
    """Move the generation (the site's, or the scope's groups') once the
    transaction commits: a page made before that, from the rows as they
    were, must not be kept. Inside a test case's transaction, which never
    commits, at every write instead."""
    scope = _scope.get()
    if not connection.in_atomic_block or connection.atomic_blocks[0]._from_testcase:
        if scope is None:
            workspace_changed()
        else:
            groups_changed(scope)
    elif scope is None:
        if not _queued(connection):
            transaction.on_commit(
                workspace_changed, using=connection.alias, robust=True
            )
    else:
        groups = _queued_groups(connection)
        if groups is None:
            groups = _groups_hook(connection)
        groups.update(scope)


def _changed_rows(sql, cursor):
    """Whether the statement changed rows: no when it reports none, unless
    it returns them (SQLite counts those only once they are fetched)."""
    return cursor.rowcount != 0 or _RETURNING.search(sql) is not None


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if _changes_pages(sql) and _changed_rows(sql, context["cursor"]):
        _note_write(context["connection"])
    return result


def _watch(sender, connection, **kwargs):
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


connection_created.connect(_watch, dispatch_uid="workgroups.page_cache.watch")
for _connection in connections.all(initialized_only=True):
    _watch(None, _connection)


# --- storing and replaying ------------------------------------------------------


def member_page(view):
    """The view's answer to a GET may be replayed to the same session while
    nothing it could show has changed (the view has checked access; it must
    not write anything a later visit depends on)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "GET":
            response.member_page_cacheable = True
        return response

    return wrapper


def _session_engine():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _session_digest(data):
    return hashlib.sha256(
        json.dumps(data, sort_keys=True, default=str).encode()
    ).hexdigest()


def _key(request, session_key):
    encoding = "gzip" if "gzip" in request.headers.get("Accept-Encoding", "") else ""
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    parts = "\n".join(
        [
            session_key,
            csrf,
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            encoding,
        ]
    )
    return "workspace-pages:page:" + hashlib.sha256(parts.encode()).hexdigest()


def _generation(key):
    """A generation (created if unknown: any fresh value differs from one a
    remembered page could hold)."""
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), None)
        value = cache.get(key)
    return value


def workspace_generation():
    return _generation(WORKSPACE_GENERATION_KEY)


class MemberPageCacheMiddleware:
    """Replays a signed-in person's remembered workspace pages (see the
    module's docstring for when), before sessions, CSRF, locale and the
    views run."""

    def __init__(self, get_response):
        self.get_response = get_response
        engine = _session_engine()
        # Only sessions kept in the cache (``cached_db``, ``cache``) can be
        # read in the same round trip as the page.
        self.session_prefix = getattr(engine, "cache_key_prefix", None)
        self.enabled = (
            self.session_prefix is not None
            and settings.SESSION_CACHE_ALIAS == "default"
        )
        self.skipped = tuple(
            prefix
            for prefix in (settings.STATIC_URL, settings.MEDIA_URL)
            if prefix and prefix.startswith("/")
        ) + (settings.ADMIN_URL_PREFIX,)

    def __call__(self, request):
        session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if not self._may_replay(request, session_key):
            return self.get_response(request)
        key = _key(request, session_key)
        session_cache_key = self.session_prefix + session_key
        try:
            found = cache.get_many(_keys_to_read(session_key, session_cache_key, key))
        except Exception:  # noqa: BLE001 - the cache is away: the site answers
            logger.warning("workspace pages: the cache is away, not replaying")
            return self.get_response(request)
        session = found.get(session_cache_key)
        if not isinstance(session, dict) or not session.get("_auth_user_id"):
            return self.get_response(request)  # signed out, or not cached now
        user_id = int(session["_auth_user_id"])
        _remember_person(session_key, user_id)
        stamp = _stamp(found, user_id)
        stored = found.get(key)
        if stored is not None and access.replay_allowed(
            user_id=user_id,
            stored=stored[:3],
            current=(user_id, _session_digest(session), stamp),
            made_at=stored[3],
        ):
            return _replay(stored)
        response = self.get_response(request)
        if _storable(request, response, user_id):
            _store(key, request, response, user_id, stamp)
        return response

    def _may_replay(self, request, session_key):
        return (
            self.enabled
            and settings.MEMBER_PAGE_CACHE
            and session_key
            and request.method in ("GET", "HEAD")
            and "messages" not in request.COOKIES
            and not request.path.startswith(self.skipped)
        )


def _keys_to_read(session_key, session_cache_key, key):
    """The session, the page, the generations; the person's access
    generation too if this process knows whose session it is."""
    keys = [session_cache_key, key, WORKSPACE_GENERATION_KEY, PUBLIC_GENERATION_KEY]
    user_id = _people.get(session_key)
    if user_id is not None:
        keys.append(access.generation_key(user_id))
        keys += [group_generation_key(pk) for pk in _groups_of.get(user_id, ())]
    return keys


def _stamp(found, user_id):
    """The generations a page made now is made under (read before it is
    made), and a remembered page must still have: the person's access, the
    site's, the public pages', and those of the person's groups as this
    process knows them (None: not known yet, then the page is not kept)."""
    groups = _groups_of.get(user_id)
    return (
        found.get(access.generation_key(user_id)) or access.generation(user_id),
        found.get(WORKSPACE_GENERATION_KEY) or workspace_generation(),
        found.get(PUBLIC_GENERATION_KEY) or public_generation(),
        groups,
        groups
        and tuple(
            found.get(group_generation_key(pk)) or _generation(group_generation_key(pk))
            for pk in groups
        ),
    )


def _groups_now(user_id):
    """The person's groups, from the database; remembered for the next
    request's stamp."""
    groups = tuple(
        Membership.objects.current()
        .filter(user_id=user_id)
        .order_by("group_id")
        .values_list("group_id", flat=True)
    )
    if len(_groups_of) >= _PEOPLE_MAX:
        _groups_of.clear()
    _groups_of[user_id] = groups
    return groups


def _remember_person(session_key, user_id):
    if _people.get(session_key) == user_id:
        return
    if len(_people) >= _PEOPLE_MAX:
        _people.clear()
    _people[session_key] = user_id


def _storable(request, response, user_id):
    return (
        getattr(response, "member_page_cacheable", False)
        and request.method == "GET"
        and response.status_code == 200
        and _only_renews_csrf_cookie(request, response)
        and not response.streaming
        and getattr(request, "user", None) is not None
        and request.user.pk == user_id
    )


def _only_renews_csrf_cookie(request, response):
    """No cookie set but the CSRF cookie with the value it has (Django sends
    it again on every page with a form, to renew its expiry)."""
    name = settings.CSRF_COOKIE_NAME
    return all(
        cookie == name and morsel.value == request.COOKIES.get(name)
        for cookie, morsel in response.cookies.items()
    )


def _store(key, request, response, user_id, stamp):
    """Remember the page with the session's data as it is after the
    response (the session middleware has saved any change by now), if the
    groups its stamp holds are still the person's (else only learn them)."""
    if _groups_now(user_id) != stamp[3]:
        return
    digest = _session_digest(dict(request.session.items()))
    cache.set(
        key,
        (
            user_id,
            digest,
            stamp,
            time.time(),
            response.status_code,
            stored_headers(response),
            response.content,
        ),
        int(access.TRUST_SECONDS),
    )


def _replay(stored):
    return replayed(*stored[4:])
