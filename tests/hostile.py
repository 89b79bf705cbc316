"""Hostile input for the property-based tests (Hypothesis): strategies for
what an attacker or a broken client can send, and the checks every answer
must pass — no server error, a clear error for bad input and no partial
write (docs/security.md, IN-*; docs/architecture.md#rules-that-hold-everywhere:
"Bad input gets a clear error")."""

import copy
import json
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import quote_from_bytes

from hypothesis import strategies as st

from django.contrib.messages import constants
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import escape

from documents import services as documents
from tests.factories import UserFactory
from tests.workgroups.factories import group_with_roles
from workgroups.discussion import services as discussion
from workgroups.models import Membership
from workgroups.services import invitations, meetings, minutes, proposals

# Characters that break naive code: NUL and other controls, a lone surrogate
# (sent as the bytes a careless client would), direction overrides (RTL
# spoofing), combining marks, emoji sequences, a BOM, non-characters, markup
# and template syntax, the drafts' markup (unclosed marks, a script link,
# empty list items and headings), path tricks, number look-alikes.
EDGE_CASES = [
    "\x00",
    "\x07\x1b[31m",
    "\ud800",
    "\udfff",
    "\u202e",
    "\u2066\u2069",
    "\u200f\u200b",
    "e\u0301",
    "\u0301" * 40,
    "Z\u0351\u0352\u0353\u0354\u0355\u0356",
    "🇵🇱",
    "👩‍👩‍👧‍👦",
    "\ufeff",
    "\uffff\U0010ffff",
    "\r\n\r\n",
    "\t \u00a0\u3000",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "[x](javascript:alert(1))**_[\\",
    "\n\n- \n1. \n> \n## \n\n",
    "{{ 7*7 }}{% debug %}",
    "%s%n%(x)s",
    "' OR 1=1 --",
    "../../etc/passwd",
    "ǅemo İstanbul ß",
    "٣٤",
    "-0",
    "1e309",
    "NaN",
    "9" * 40,
]

edge_text = st.lists(
    st.one_of(st.sampled_from(EDGE_CASES), st.text(max_size=8)), max_size=6
).map("".join)
# Surrogates included: the form encoder below sends them as raw bytes.
any_text = st.text(alphabet=st.characters(codec=None), max_size=60)
huge_text = st.tuples(
    st.sampled_from(["x", "ż", "🇵🇱", "<b>", "\u0301", " "]),
    st.sampled_from([5_000, 60_000]),
).map(lambda pair: pair[0] * pair[1])
number_text = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
)
hostile_text = st.one_of(any_text, edge_text, huge_text, number_text, st.just(""))


def hostile_value(plausible):
    """A value for a field whose valid values ``plausible`` generates: often
    valid, else hostile text, several values instead of one, or nothing."""
    return st.one_of(
        plausible,
        hostile_text,
        st.lists(st.one_of(plausible, hostile_text), min_size=2, max_size=3),
        st.just(None),  # the field is missing
    )


extra_field_names = st.one_of(
    st.sampled_from(
        ["id", "pk", "author", "group", "user", "is_superuser", "is_staff", "status"]
    ),
    st.text(min_size=1, max_size=12),
)


def hostile_form(fields):
    """A form's data: ``fields`` maps each name to a strategy of plausible
    values; every field may also be hostile or missing, and unknown fields
    may come along."""
    return st.builds(
        lambda values, extra: {
            **{name: value for name, value in extra.items() if name not in fields},
            **{name: value for name, value in values.items() if value is not None},
        },
        st.fixed_dictionaries(
            {name: hostile_value(strategy) for name, strategy in fields.items()}
        ),
        st.dictionaries(extra_field_names, hostile_text, max_size=2),
    )


def form_body(data):
    """URL-encoded like a browser would, except that text which is not valid
    Unicode (lone surrogates) goes out as the invalid bytes it stands for."""
    pairs = []
    for name, value in data.items():
        for each in value if isinstance(value, list) else [value]:
            pairs.append(
                quote_text(str(name))
                + "="
                + quote_text(each if isinstance(each, str) else "")
            )
    return "&".join(pairs)


def quote_text(text):
    """Percent-encoded UTF-8; lone surrogates become the bytes they stand for."""
    return quote_from_bytes(text.encode("utf-8", "surrogatepass"))


def send(client, method, url, data, *, as_json=False):
    """The request an attacker would make: a form (or JSON) body for POST,
    a query string for GET."""
    if method == "get":
        return client.get(f"{url}?{form_body(data)}")
    if as_json:
        body = json.dumps(data, ensure_ascii=True)
        return client.post(url, body, content_type="application/json")
    return client.post(
        url, form_body(data), content_type="application/x-www-form-urlencoded"
    )


# Rows that change without anything being accepted: sessions, presence on
# an open draft, the open sockets of the discussion and how far a person has
# read a topic (marked whenever the page shows it), Wagtail's profile row of
# a person (made the first time a page reads their preferences).
NOT_CONTENT = {
    "wagtailusers_userprofile",
    "django_session",
    "usersessions_usersession",
    "documents_draftpresence",
    "workgroups_connection",
    "workgroups_readposition",
}


def table_counts():
    """Rows per table, in one query."""
    tables = [
        name
        for name in connection.introspection.table_names()
        if name not in NOT_CONTENT and not name.startswith("sqlite_")
    ]
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        # Names come from the database's own catalogue.
        f"SELECT '{name}', COUNT(*) FROM {quote(name)}"  # noqa: S608
        for name in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


@contextmanager
def rolled_back():
    """Each example starts from the same database and cache: what it wrote
    is rolled back (the test's own transaction stays open)."""
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
    cache.clear()


@dataclass
class Outcome:
    status: int
    successes: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def refused(self):
        return bool(self.errors) or self.status >= 400


def outcome_of(response):
    """What the person learns from the answer: the messages queued for them
    and the form errors shown on the page. Fails on any server error."""
    assert response.status_code < 500, response.status_code
    outcome = Outcome(response.status_code)
    request = response.wsgi_request
    # Only what this request said (not messages left from earlier ones).
    for message in getattr(request, "_messages", None)._queued_messages:
        if message.level >= constants.ERROR:
            outcome.errors.append(str(message))
        elif message.level == constants.SUCCESS:
            outcome.successes.append(str(message))
    content = response.content.decode() if _is_html(response) else ""
    for context in response.context or []:
        values = context.flatten() if hasattr(context, "flatten") else context
        for name, value in values.items():
            if name.endswith("form") and getattr(value, "errors", None):
                for errors in value.errors.values():
                    for error in errors:
                        # (allauth answers a JSON request in JSON.)
                        assert not content or escape(error) in content, (
                            f"error not shown: {error}"
                        )
                        outcome.errors.append(error)
    return outcome


def _is_html(response):
    return response.get("Content-Type", "").startswith("text/html")


def check_answer(response, before, *, state=None, state_before=None, feedback=True):
    """The invariants of every answer to hostile input: no server error; a
    refusal says why (an error message or a 4xx page) and writes nothing,
    not even part of the change; a redirect says what happened."""
    outcome = outcome_of(response)
    if outcome.refused:
        after = table_counts()
        written = {
            name: after[name] - before[name]
            for name in after
            if after[name] != before.get(name)
        }
        assert not written, f"a refused request wrote rows: {written} ({outcome})"
        assert state == state_before, "a refused request changed the object"
        assert outcome.errors or response.status_code in (
            400,
            403,
            404,
            405,
            409,
            410,
            429,
        )
    elif feedback and 300 <= response.status_code < 400:
        assert outcome.successes, "redirected without saying what happened"
    return outcome


@dataclass
class Endpoint:
    """A form of the site as a person posts it: where, as whom, which fields
    (name → strategy of plausible values, given the test's world), and what
    must stay unchanged when the input is refused."""

    url: object
    fields: object = dict
    method: str = "post"
    user: str | None = "chair"
    state: object = None
    prepare: object = None
    feedback: bool = True


def sign_in_as(client, world, endpoint):
    """The client as ``endpoint.user`` (a key of ``world.users``), or nobody."""
    client.logout()
    if endpoint.user:
        client.force_login(world.users[endpoint.user])


def with_nul(fields, name):
    """Plausible values with a NUL at the end of field ``name``. PostgreSQL
    cannot store NUL, so a field that lets one through fails there: each
    field gets its turn rather than waiting for the random search to try."""
    return st.fixed_dictionaries(
        {
            each: strategy.map(lambda value: f"{value}\x00")
            if each == name
            else strategy
            for each, strategy in fields.items()
        }
    )


def run_endpoint_with_nul(client, world, endpoint, data):
    """One example per field of ``endpoint``, that field carrying a NUL."""
    fields = endpoint.fields(world)
    for name in fields:
        run_endpoint(client, world, endpoint, data, form=with_nul(fields, name))


def run_endpoint(client, world, endpoint, data, form=None):
    """One example: hostile data (or ``form``'s, sent as a browser would)
    posted as ``endpoint.user``; the database, the cache and the client's
    cookies are as before afterwards."""
    as_json = False
    if form is None:
        form = hostile_form(endpoint.fields(world))
        as_json = endpoint.method == "post" and data.draw(st.integers(0, 9)) == 0
    payload = data.draw(form, label="data")
    cookies = copy.deepcopy(client.cookies)
    try:
        with rolled_back():
            if endpoint.prepare:
                endpoint.prepare(client, world)
            url = endpoint.url(world)
            before = table_counts()
            state_before = endpoint.state(world) if endpoint.state else None
            response = send(client, endpoint.method, url, payload, as_json=as_json)
            return check_answer(
                response,
                before,
                state=endpoint.state(world) if endpoint.state else None,
                state_before=state_before,
                feedback=endpoint.feedback,
            )
    finally:
        client.cookies = cookies


def group_with_form_targets():
    """One group with a member in each role, an administrator, a meeting
    with two agenda items and draft minutes with an action item, a draft
    with a comment, a discussion topic with a message, an open proposal and
    an open poll, and an open invitation: the objects the forms act on."""
    roles = group_with_roles()
    chair = roles[Membership.Role.CHAIR].user
    group = roles[Membership.Role.CHAIR].group
    users = {role.value: membership.user for role, membership in roles.items()}
    users["chair"] = chair
    users["admin"] = UserFactory(is_superuser=True, is_staff=True)
    _invitation, token = invitations.invitation_create(
        actor=chair, group=group, email="nowa@example.org"
    )
    return SimpleNamespace(
        users=users,
        group=group,
        **_meeting_with_minutes(chair, group),
        **_draft_with_comment(chair, group),
        **_topic_with_message(chair, group),
        **_proposals(chair, group),
        invitation_token=token,
    )


def _meeting_with_minutes(chair, group):
    starts = timezone.now() + timedelta(days=3)
    meeting = meetings.meeting_schedule(
        actor=chair,
        group=group,
        title="Posiedzenie",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        address="ul. Basztowa 22, Kraków",
    )
    items = [
        meetings.agenda_item_add(
            actor=chair, meeting=meeting, title=title, duration_minutes=15
        )
        for title in ("Otwarcie", "Projekt")
    ]
    record = minutes.minutes_start(actor=chair, meeting=meeting)
    action = minutes.action_item_add(
        actor=chair,
        minutes=record,
        agenda_item=items[0],
        description="Rozesłać projekt",
        owner=chair,
        due_date=timezone.localdate() + timedelta(days=14),
    )
    return {"meeting": meeting, "items": items, "minutes": record, "action": action}


def _draft_with_comment(chair, group):
    draft = documents.draft_create(
        actor=chair, group=group, title="Projekt", text="Pierwszy.\n\nDrugi."
    )
    comment = documents.comment_add(
        actor=chair, draft=draft, block_id=draft.paragraphs()[0][0], text="Uwaga"
    )
    return {"draft": draft, "comment": comment}


def _topic_with_message(chair, group):
    room = group.room
    topic = discussion.topic_create(actor=chair, room=room, title="Sprawy")
    message, _ = discussion.message_post(
        author=chair, topic=topic, body="Dzień dobry", client_id=uuid.uuid4()
    )
    return {"room": room, "topic": topic, "message": message}


def _proposals(chair, group):
    """An open consent proposal and an open score poll of ``group``."""
    week = timezone.now() + timedelta(days=7)
    proposal = proposals.proposal_open(
        actor=chair, group=group, title="Wniosek", closes_at=week
    )
    poll = proposals.proposal_open(
        actor=chair,
        group=group,
        title="Ankieta",
        kind="score",
        options=["Kraków", "Tarnów"],
        closes_at=week,
    )
    return {"proposal": proposal, "poll": poll}
