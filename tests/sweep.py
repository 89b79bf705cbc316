"""The whole-site access sweep's machinery (docs/security.md, AC-01): the roles, the
small vocabulary of expected answers, the demo world of two groups, the
discovery of every URL pattern and page, and the request runner. The table
of expectations itself is in ``tests/test_access_sweep.py``."""

import datetime
import re
import uuid
from dataclasses import dataclass, field
from types import SimpleNamespace

from allauth.mfa.totp.internal.auth import TOTP

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from wagtail.contrib.redirects.models import Redirect
from wagtail.images.models import Image
from wagtail.models import (
    Collection,
    Locale,
    Page,
    PageViewRestriction,
    Site,
    Workflow,
)
from wagtail.users.models import UserProfile

from tests.factories import UserFactory, editor, sign_in
from tests.pages import (
    accessibility_statement,
    home_page,
    programme_tree,
    publish,
    translate,
)
from tests.workgroups.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MembershipFactory,
    group_with_roles,
)
from workgroups.models import Membership

Role = Membership.Role

# Who asks. "outsider" is the chair of group B and nothing in group A;
# "editor" is the programme's editorial team; "admin" a superuser.
ROLES = (
    "anon",
    "outsider",
    "observer",
    "expert",
    "secretary",
    "chair",
    "editor",
    "admin",
    "former",
    "deactivated",
    "signed_out",
)
# People whose access to group A ended (docs/security.md, AC-14): a former
# expert of A (membership deleted), an expert whose account was deactivated
# and an expert's session that signed out, each asking with the session
# cookie they had. Each gets what somebody without that access gets: the
# former member what the outsider (signed in, not in A) gets, the others
# what an anonymous reader gets.
ENDED = {"former": "outsider", "deactivated": "anon", "signed_out": "anon"}
MEMBERS = frozenset({"observer", "expert", "secretary", "chair"})
WRITERS = frozenset({"expert", "secretary", "chair"})
MANAGERS = frozenset({"secretary", "chair"})
SIGNED_IN = frozenset(ROLES) - {"anon", "deactivated", "signed_out"}
EVERYONE = frozenset(ROLES)
ADMIN_USERS = frozenset({"editor", "admin"})

# Words in the private content of each group: a body may carry group A's only
# for its members and the superuser, group B's only for the outsider (a member
# of B) and the superuser. Checked on every answer, whatever its status.
SECRET_A = "tajne-aaa"
SECRET_B = "tajne-bbb"
# Unpublished programme content: for the editors (and the superuser) only.
SECRET_PAGE = "szkic-ppp"
MAY_SEE = {
    SECRET_A: MEMBERS | {"admin"},
    SECRET_B: frozenset({"outsider", "admin"}),
    SECRET_PAGE: ADMIN_USERS,
}

TOTP_SECRET = "JBSWY3DPEHPK3PXP"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png():
    import io

    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (2, 2), "white").save(buffer, "PNG")
    return buffer.getvalue()


# --- the vocabulary of answers ----------------------------------------------


@dataclass(frozen=True)
class Answer:
    """An expected answer: a status and, for redirects, where to."""

    status: int
    to: str | None = None  # the Location starts with this ({path}: the URL's)
    label: str = ""

    def matches(self, response, path=""):
        if response.status_code != self.status:
            return False
        if self.to is None:
            return True
        location = response.get("Location", "")
        return location.startswith(self.to.format(path=path))

    def __str__(self):
        return self.label or str(self.status)


OK = Answer(200, label="200")
FOUND = Answer(302, label="302 (done, redirect)")
LOGIN = Answer(302, "/pl/accounts/login/?next=", "login redirect")
SIGN_IN = Answer(302, "/pl/accounts/login/", "sign-in page (no return address)")
ADMIN_LOGIN = Answer(302, "/admin/login/?next=", "admin's login redirect")
# The Wagtail admin's refusal for someone who may enter it: back to its home
# page with "Sorry, you do not have permission to access this area".
ADMIN_HOME = Answer(302, "/admin/", "admin's 'no permission' redirect")
# Outside the language prefixes, Django's LocaleMiddleware turns a 404 into a
# redirect to the same path under /pl/, which is a 404 too.
NOT_FOUND_PL = Answer(302, "/pl{path}", "404 (via LocaleMiddleware's /pl/ redirect)")
PROFILE = Answer(302, "/pl/accounts/profile/", "redirect to the account page")
REAUTHENTICATE = Answer(
    302, "/pl/accounts/reauthenticate/", "asked to confirm the password"
)
FORBIDDEN = Answer(403, label="403")
NOT_FOUND = Answer(404, label="404")
NOT_ALLOWED = Answer(405, label="405")
BAD_REQUEST = Answer(400, label="400")
SERVER_ERROR = Answer(500, label="500")


def redirect(to):
    return Answer(302, to, f"redirect to {to}")


def described(response):
    location = response.get("Location")
    text = f"{response.status_code}" + (f" → {location}" if location else "")
    if getattr(response, "exc_info", None):
        text += f" ({response.exc_info[1]!r})"
    return text


# --- one route's expectation ---------------------------------------------------


@dataclass(frozen=True)
class Expect:
    """What each role gets from one URL pattern.

    ``args``: world attribute names (their ``pk`` is used) separated by spaces,
    or a function of the world returning the URL's args (a list or a dict);
    ``None`` means they come by keyword from ``ADMIN_KEYWORDS``/``ADMIN_PK``
    (Wagtail admin URLs).
    ``answers``: role → Answer, every role given."""

    answers: dict
    args: object = ""
    method: str = "get"
    data: object = field(default_factory=dict)
    query: str = ""
    path: object = None  # a literal path (or function of the world) instead

    def answer(self, role):
        return self.answers[ENDED.get(role, role)]


def by_role(default, **answers):
    unknown = set(answers) - (set(ROLES) - set(ENDED))
    assert not unknown, f"unknown roles {unknown} (ended access follows ENDED)"
    return {role: answers.get(role, default) for role in ROLES if role not in ENDED}


def private(
    allowed,
    success=OK,
    *,
    args="",
    method="get",
    data=None,
    query="",
    path=None,
    anon=None,
    members=NOT_FOUND,
):
    """A workspace URL: ``allowed`` roles get ``success``, anonymous readers
    are asked to sign in, other members of group A get ``members`` and
    everyone else 404."""
    answers = {}
    for role in set(ROLES) - set(ENDED):
        if role in allowed:
            answers[role] = success
        elif role == "anon":
            answers[role] = anon or LOGIN
        else:
            answers[role] = members if role in MEMBERS else NOT_FOUND
    return Expect(
        answers, args=args, method=method, data=data or {}, query=query, path=path
    )


def public(
    answer=OK, *, args="", query="", method="get", data=None, path=None, **per_role
):
    """The same ``answer`` for everyone except ``per_role``."""
    return Expect(
        by_role(answer, **per_role),
        args=args,
        query=query,
        method=method,
        data=data or {},
        path=path,
    )


# --- the world -----------------------------------------------------------------


def _page_secret(page, secret):
    page.title = f"{page.title} {secret}"
    return page


def build_world():
    """Two working groups with one object of every kind, the programme's page
    tree in three languages, and the people of every role (signed in once;
    their session cookies are kept)."""
    w = SimpleNamespace()
    _build_people(w)
    _build_meetings(w)
    _build_notifications(w)
    _build_drafts(w)
    _build_discussion(w)
    _build_group_b_objects(w)
    _build_proposals(w)
    _build_pages(w)
    _build_admin_objects(w)
    _sign_everyone_in(w)
    _end_access(w)
    return w


def _build_people(w):
    """Group A with a member of each role, group B whose chair is the
    outsider, an administrator and an editor (both with TOTP), and the
    members whose access ends after they sign in (``ENDED``)."""
    roles = group_with_roles(name="Zespół A", slug="zespol-a")
    w.group_a = group = roles[Role.CHAIR].group
    outsider_membership = MembershipFactory(role=Role.CHAIR)
    w.group_b = outsider_membership.group
    admin = UserFactory(is_superuser=True, is_staff=True)
    editor_user = editor()
    for person in (admin, editor_user):
        TOTP.activate(person, TOTP_SECRET)
    ended = {
        role: MembershipFactory(group=group, role=Role.EXPERT).user for role in ENDED
    }
    w.people = {
        "anon": None,
        "outsider": outsider_membership.user,
        "observer": roles[Role.OBSERVER].user,
        "expert": roles[Role.EXPERT].user,
        "secretary": roles[Role.SECRETARY].user,
        "chair": roles[Role.CHAIR].user,
        "editor": editor_user,
        "admin": admin,
        **ended,
    }


def _build_meetings(w):
    """A meeting with approved minutes (a decision, an action item), a
    meeting with draft minutes, an open invitation."""
    from workgroups.services import invitations as invitation_services
    from workgroups.services import minutes as minutes_services

    chair, secretary = w.people["chair"], w.people["secretary"]
    w.meeting = MeetingFactory(group=w.group_a, title=f"Posiedzenie {SECRET_A}")
    w.item = AgendaItemFactory(meeting=w.meeting, position=0, title=SECRET_A)
    AgendaItemFactory(meeting=w.meeting, position=1)
    w.minutes = minutes_services.minutes_start(actor=secretary, meeting=w.meeting)
    w.decision = minutes_services.decision_record(
        actor=secretary,
        minutes=w.minutes,
        agenda_item=w.item,
        text=f"Decyzja {SECRET_A}",
    )
    w.action = minutes_services.action_item_add(
        actor=secretary,
        minutes=w.minutes,
        agenda_item=w.item,
        description=f"Zadanie {SECRET_A}",
        owner=w.people["expert"],
        due_date=datetime.date(2030, 1, 1),
    )
    w.minutes.refresh_from_db()
    minutes_services.minutes_approve(
        actor=chair, minutes=w.minutes, base_version=w.minutes.version
    )
    w.draft_meeting = MeetingFactory(group=w.group_a, title=f"Plan {SECRET_A}")
    w.draft_item = AgendaItemFactory(meeting=w.draft_meeting, position=0)
    w.draft_minutes = minutes_services.minutes_start(
        actor=secretary, meeting=w.draft_meeting
    )
    w.invitation, _token = invitation_services.invitation_create(
        actor=chair, group=w.group_a, email="tajne-aaa@example.org"
    )


def _build_notifications(w):
    """One notification for each person; no calendar feed yet."""
    from workgroups.models import CalendarFeed, Notification

    w.calendar_token = None
    for person in w.people.values():
        if person is not None:
            Notification.objects.create(
                user=person,
                group=w.group_a,
                kind=Notification.Kind.MEETING_SCHEDULED,
                subject="Powiadomienie",
                url="/pl/workspace/",
            )
    assert not CalendarFeed.objects.exists()


def _build_drafts(w):
    """A draft with two versions, a comment thread, an attachment and a link
    from the draft minutes' agenda."""
    from documents import services as drafts
    from documents.models import DraftAttachment

    expert = w.people["expert"]
    w.draft = drafts.draft_create(
        actor=expert,
        group=w.group_a,
        title=f"Projekt {SECRET_A}",
        text=f"Akapit pierwszy {SECRET_A}.\n\nAkapit drugi.",
    )
    w.draft = drafts.draft_save(
        actor=expert,
        draft_id=w.draft.pk,
        base_version=1,
        title=w.draft.title,
        summary="",
        text=f"Akapit {SECRET_A}.\n\nDrugi.",
    )
    block_id = w.draft.paragraphs()[0][0]
    w.comment = drafts.comment_add(
        actor=expert, draft=w.draft, block_id=block_id, text=f"Uwaga {SECRET_A}"
    )
    w.attachment = drafts.attachment_upload(
        actor=expert,
        draft=w.draft,
        upload=SimpleUploadedFile(f"{SECRET_A}.pdf", PDF),
    )
    w.document = w.attachment.document
    w.group_collection = w.document.collection
    drafts.agenda_draft_link(
        actor=w.people["secretary"], agenda_item=w.draft_item, draft=w.draft
    )
    assert DraftAttachment.objects.count() == 1


def _build_discussion(w):
    """A room, a topic and a message of each group."""
    from workgroups.discussion import services as discussion

    w.room = w.group_a.room
    w.topic = discussion.topic_create(
        actor=w.people["chair"], room=w.room, title=f"Temat {SECRET_A}"
    )
    w.message, _ = discussion.message_post(
        author=w.people["expert"],
        topic=w.topic,
        body=f"Wiadomość {SECRET_A}",
        client_id=uuid.uuid4(),
    )
    outsider = w.people["outsider"]
    room_b = w.group_b.room
    w.topic_b = discussion.topic_create(
        actor=outsider, room=room_b, title=f"Temat {SECRET_B}"
    )
    discussion.message_post(
        author=outsider,
        topic=w.topic_b,
        body=f"Wiadomość {SECRET_B}",
        client_id=uuid.uuid4(),
    )


def _build_group_b_objects(w):
    from documents import services as drafts

    MeetingFactory(group=w.group_b, title=f"Posiedzenie {SECRET_B}")
    drafts.draft_create(
        actor=w.people["outsider"], group=w.group_b, title=f"Projekt {SECRET_B}"
    )


def _sign_everyone_in(w):
    """One session per person, made once; each request starts from it. The
    admin's profile row exists, as it would after a first visit. The admin
    and the editor signed in with their second factor."""
    w.cookies = {}
    for role, person in w.people.items():
        if person is not None:
            UserProfile.get_for_user(person)
            client = sign_in(Client(), person, second_factor=role in ADMIN_USERS)
            w.cookies[role] = client.cookies["sessionid"].value
            if role == "signed_out":
                client.logout()


def _build_proposals(w):
    """An open proposal of group A with a vote and its reason, and one of B."""
    from workgroups.services import proposals as proposal_services

    month = timezone.now() + datetime.timedelta(days=30)
    w.proposal = proposal_services.proposal_open(
        actor=w.people["chair"],
        group=w.group_a,
        title=f"Wniosek {SECRET_A}",
        closes_at=month,
    )
    proposal_services.ballot_cast(
        actor=w.people["secretary"],
        proposal=w.proposal,
        choice="agree",
        reason=SECRET_A,
    )
    proposal_services.proposal_open(
        actor=w.people["outsider"],
        group=w.group_b,
        title=f"Wniosek {SECRET_B}",
        closes_at=month,
    )


def _end_access(w):
    """What ended for the people of ``ENDED``, after they signed in."""
    Membership.objects.filter(group=w.group_a, user=w.people["former"]).delete()
    deactivated = w.people["deactivated"]
    deactivated.is_active = False
    deactivated.save()


def _build_pages(w):
    """Every page type, live in three languages, and the pages nobody outside
    the editors may read: a draft, a scheduled page, unpublished changes of a
    live page, a page for signed-in people and one for the Editors group."""
    from documents.models import RecommendationPage
    from home.models import DiagnosisPage, HelpPage
    from tests.documents.helpers import recommendations_section

    home = home_page()
    tree = programme_tree()
    w.programme = tree["programme"]
    w.goal, w.direction = tree["goals"][0], tree["directions"][0]
    w.action_page, w.monitoring = tree["actions"][0], tree["monitoring"]
    w.diagnosis = publish(w.programme, DiagnosisPage(title="Diagnoza", slug="diagnoza"))
    w.help = publish(home, HelpPage(title="Pomoc", slug="pomoc"))
    w.statement = publish(home, accessibility_statement())
    w.recommendations = recommendations_section(w.programme)
    w.recommendation = publish(
        w.recommendations,
        RecommendationPage(
            title="Rekomendacja", slug="rekomendacja", group=w.group_a, draft_version=1
        ),
    )
    w.documents_page = _documents_page(w, home)
    w.live_pages = [
        home,
        w.documents_page,
        w.programme,
        w.goal,
        w.direction,
        w.action_page,
        w.monitoring,
        w.diagnosis,
        w.help,
        w.statement,
        w.recommendations,
        w.recommendation,
    ]
    for language in ("uk", "en"):
        w.live_pages += [translate(page, language) for page in w.live_pages[:12]]
    _build_hidden_pages(w)
    _list_page_urls(w)


def _documents_page(w, home):
    """Its one document is the group's private attachment (SECRET_A in its
    file name): the page must list nothing of it."""
    from home.models import DocumentsPage

    return publish(
        home,
        DocumentsPage(
            title="Dokumenty",
            slug="dokumenty",
            documents=[
                (
                    "section",
                    {
                        "heading": "Projekt",
                        "documents": [{"document": w.document, "title": "Plik"}],
                    },
                )
            ],
        ),
    )


def _build_hidden_pages(w):
    """A draft, a scheduled page, unpublished changes of a live page, a page
    for signed-in people and one for the Editors group."""
    from home.models import DiagnosisPage

    draft = DiagnosisPage(title=f"Szkic {SECRET_PAGE}", slug="szkic", live=False)
    w.programme.add_child(instance=draft)
    draft.save_revision()
    w.draft_page = draft

    scheduled = DiagnosisPage(title=f"Plan {SECRET_PAGE}", slug="zaplanowana")
    w.programme.add_child(instance=scheduled)
    scheduled.go_live_at = timezone.now() + datetime.timedelta(days=30)
    scheduled.live = False
    scheduled.save_revision().publish()
    w.scheduled_page = Page.objects.get(pk=scheduled.pk).specific

    changed = w.goal
    changed.title = f"Cel {SECRET_PAGE}"
    changed.save_revision()  # not published: the live page keeps its title
    w.changed_page = changed

    signed_in = publish(
        w.programme, DiagnosisPage(title="Dla zalogowanych", slug="dla-zalogowanych")
    )
    PageViewRestriction.objects.create(
        page=signed_in, restriction_type=PageViewRestriction.LOGIN
    )
    w.login_page = signed_in
    editors_only = publish(
        w.programme, DiagnosisPage(title="Dla redakcji", slug="dla-redakcji")
    )
    restriction = PageViewRestriction.objects.create(
        page=editors_only, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.get(name="Editors"))
    w.editors_page = editors_only


def _list_page_urls(w):
    w.page_urls = {
        # The goal page also has unpublished changes (SECRET_PAGE in its title).
        "live": [page.url for page in w.live_pages],
        "live sub-route": [
            f"{page.url}{route}/"
            for page in w.live_pages
            if page.slug == "program"
            for route in ("druk", "docx")
        ]
        + [f"{w.recommendations.url}kanal/", f"{w.recommendations.url}kanal/atom/"]
        + [f"{w.recommendation.url}docx/"],
        "draft": [w.draft_page.url],
        "scheduled": [w.scheduled_page.url],
        "signed in only": [w.login_page.url],
        "editors only": [w.editors_page.url],
    }


def _build_admin_objects(w):
    from home.models import InfoPoint, OutgoingEmail

    w.image = Image.objects.create(
        title="Zdjęcie",
        file=SimpleUploadedFile("zdjecie.png", _png()),
        width=2,
        height=2,
        collection=Collection.objects.get(name="Program (publiczne)"),
    )
    w.public_collection = Collection.objects.get(name="Program (publiczne)")
    w.info_point = InfoPoint.objects.create(
        name="Punkt informacyjny", locale=Locale.get_default()
    )
    w.info_point.copy_for_translation(Locale.objects.get(language_code="uk")).save()
    w.info_point.save_revision()  # a second one, to compare the first with
    w.site = Site.objects.get(is_default_site=True)
    w.locale = Locale.objects.get(language_code="pl")
    w.editors_group = Group.objects.get(name="Editors")
    w.workflow = Workflow.objects.first()
    w.task = w.workflow.tasks.first().specific
    # The direction page waits for moderation: its workflow and task states.
    w.direction.save_revision(user=w.people["editor"])
    w.workflow_state = w.workflow.start(w.direction, w.people["editor"])
    w.task_state = w.workflow_state.current_task_state
    w.membership = Membership.objects.get(group=w.group_a, user=w.people["expert"])
    w.area = w.group_a.area
    w.revision = w.action_page.latest_revision
    w.expert_user = w.people["expert"]
    w.redirect = Redirect.objects.create(
        old_path="/stary-adres", redirect_page=w.programme
    )
    w.mail = OutgoingEmail.objects.create(
        kind="invitation",
        to=["nowa@example.org"],
        subject="Zaproszenie",
        body=f"Zaproszenie do zespołu {SECRET_A}",
        status=OutgoingEmail.Status.FAILED,
    )


# --- discovery -------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    key: str  # the table's key: the URL name, or the pattern if unnamed/shared
    name: str | None
    pattern: str  # the whole pattern, language prefix as <lang>/
    pattern_obj: object
    i18n: bool
    keywords: tuple  # the names of the URL's arguments, in order


def discover_routes():
    """Every URL pattern the project serves, walked from the root resolver
    (i18n_patterns, allauth, the Wagtail admin and API, documents, feeds,
    sitemap…), each once."""
    found = []

    def walk(patterns, prefix, namespace, i18n):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = (
                        f"{namespace}:{pattern.namespace}"
                        if namespace
                        else (pattern.namespace)
                    )
                is_i18n = i18n or type(pattern.pattern).__name__ == (
                    "LocalePrefixPattern"
                )
                part = "<lang>/" if is_i18n and not i18n else str(pattern.pattern)
                walk(pattern.url_patterns, prefix + part, ns, is_i18n)
            elif isinstance(pattern, URLPattern):
                name = pattern.name
                full = f"{namespace}:{name}" if namespace and name else name
                text = prefix + str(pattern.pattern)
                found.append((full, text, pattern, i18n))

    walk(get_resolver().url_patterns, "", None, False)
    counts = {}
    for name, *_ in found:
        counts[name] = counts.get(name, 0) + 1
    routes = []
    for name, text, pattern, i18n in found:
        key = name if name and counts[name] == 1 else text
        routes.append(Route(key, name, text, pattern, i18n, _keywords(text)))
    return routes


def _keywords(text):
    named = re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", text)
    names = [a or b for a, b in named]
    return tuple(name for name in names if name != "lang")


# --- requests ----------------------------------------------------------------------


# Writes any request may make: the session and allauth's bookkeeping.
HARMLESS_TABLES = {"django_session", "usersessions_usersession"}


class WriteRecorder:
    """Collects the tables a request writes to (INSERT/UPDATE/DELETE)."""

    def __init__(self):
        self.tables = []

    def __call__(self, execute, sql, params, many, context):
        match = re.match(
            r"\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)", sql, re.IGNORECASE
        )
        if match and match.group(2) not in HARMLESS_TABLES:
            self.tables.append(match.group(2))
        return execute(sql, params, many, context)


def send(world, role, method, url, data):
    """One request as ``role``, inside a savepoint that is rolled back, so
    that every request sees the same world. Returns (response, tables written)."""
    client = Client(raise_request_exception=False)
    if role != "anon":
        client.cookies["sessionid"] = world.cookies[role]
    recorder = WriteRecorder()
    with transaction.atomic(), connection.execute_wrapper(recorder):
        response = getattr(client, method)(url, data)
        transaction.set_rollback(True)
    return response, recorder.tables


def leaks(role, response):
    """The secrets in the answer (headers and body) ``role`` must not see."""
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    headers = " ".join(f"{name}: {value}" for name, value in response.items())
    text = (headers + body.decode("utf-8", errors="replace")).lower()
    return [s for s, allowed in MAY_SEE.items() if role not in allowed and s in text]


# --- URLs ------------------------------------------------------------------------

MISSING = 999999  # an id no object has

# The Wagtail admin's URL arguments, by keyword: which object of the world
# fills them (a string names a world attribute, whose pk is used).
ADMIN_KEYWORDS = {
    "page_id": "action_page",
    "parent_page_id": "programme",
    "page_to_move_id": "action_page",
    "destination_id": "goal",
    "page_pk": "action_page",
    "object_id": "action_page",
    "workflow_pk": "workflow",
    "revision_id": "revision",
    "revision_id_a": lambda w: "earliest",
    "revision_id_b": lambda w: "latest",
    "collection_id": "group_collection",
    "document_id": "document",
    "doc_id": "document",
    "image_id": "image",
    "task_id": "task",
    "task_state_id": "task_state",
    "workflow_state_id": "workflow_state",
    "redirect_id": "redirect",
    "uploaded_file_id": lambda w: MISSING,
    "session_id": lambda w: MISSING,
    "content_type_app_name": lambda w: "home",
    "content_type_model_name": lambda w: "actionpage",
    "app_label": lambda w: "home",
    "app_name": lambda w: "home",
    "model_name": lambda w: "actionpage",
    "filter_spec": lambda w: "original",
    "uidb64": lambda w: "MQ",
    "token": lambda w: "set-password",
}
# ``pk`` in the admin means a different object in each part of it.
ADMIN_PK = {
    "wagtailadmin_api:pages": "action_page",
    "wagtailadmin_api:documents": "document",
    "wagtailadmin_api:images": "image",
    "wagtailadmin_pages": "action_page",
    "wagtailadmin_collections": "group_collection",
    "wagtailadmin_workflows": "workflow",
    "wagtailsnippets_home_infopoint": "info_point",
    "wagtailsnippetchoosers_home_infopoint": "info_point",
    "wagtailsnippets_workgroups_workinggroup": "group_a",
    "wagtailsnippetchoosers_workgroups_workinggroup": "group_a",
    "wagtailsnippets_workgroups_membership": "membership",
    "wagtailsnippetchoosers_workgroups_membership": "membership",
    "wagtailsnippets_workgroups_integrationarea": "area",
    "wagtailsnippetchoosers_workgroups_integrationarea": "area",
    "wagtailsites": "site",
    "wagtailusers_users": "expert_user",
    "wagtailusers_groups": "editors_group",
    "wagtaillocales": "locale",
    "wagtaildocs_chooser": "document",
    "wagtailimages_chooser": "image",
    "wagtailsettings": "site",
    "outbox": "mail",
}


def _value(world, source):
    if callable(source):
        return source(world)
    value = getattr(world, source)
    return getattr(value, "pk", value)


def url_for(route, expect, world, *, missing=False):
    """The URL the sweep requests for ``route`` (language: Polish); with
    ``missing``, every id in it replaced by one no object has."""
    from django.urls import reverse
    from django.utils import translation

    if expect.path is not None:
        path = expect.path(world) if callable(expect.path) else expect.path
    else:
        args = expect.args
        if args is None:
            kwargs = {}
            for keyword in route.keywords:
                if keyword == "pk":
                    namespace = route.name.rsplit(":", 1)[0]
                    source = ADMIN_PK[namespace]
                else:
                    source = ADMIN_KEYWORDS[keyword]
                kwargs[keyword] = _value(world, source)
            values = kwargs
        elif callable(args):
            values = args(world)
        else:
            values = [_value(world, name) for name in args.split()]
        if missing:
            if isinstance(values, dict):
                values = {
                    k: MISSING if isinstance(v, int) else v for k, v in values.items()
                }
            else:
                values = [MISSING if isinstance(v, int) else v for v in values]
        with translation.override("pl"):
            if isinstance(values, dict):
                path = reverse(route.name, kwargs=values)
            else:
                path = reverse(route.name, args=values)
    return path + (f"?{expect.query}" if expect.query else "")


DENIALS = {
    LOGIN,
    SIGN_IN,
    ADMIN_LOGIN,
    ADMIN_HOME,
    NOT_FOUND_PL,
    REAUTHENTICATE,
    FORBIDDEN,
    NOT_FOUND,
    NOT_ALLOWED,
    BAD_REQUEST,
}


def check(world, url, expect):
    """Request ``url`` as every role; the list of differences from ``expect``:
    wrong answers, secrets shown to the wrong people, writes by refused
    requests."""
    problems = []
    for role in ROLES:
        want = expect.answer(role)
        data = expect.data(world) if callable(expect.data) else expect.data
        response, writes = send(world, role, expect.method, url, data)
        if not want.matches(response, url):
            problems.append(f"  {role}: expected {want}, got {described(response)}")
        leaked = leaks(role, response)
        if leaked:
            problems.append(f"  {role}: the answer shows {leaked}")
        if writes and want in DENIALS:
            problems.append(f"  {role}: refused, yet wrote to {sorted(set(writes))}")
    return problems


def uniform_404_problem(world, route, expect, url):
    """docs/security.md, AC-02: the outsider's 404 for a real object of group A is
    the same page as the 404 for an id no object has."""
    twin = url_for(route, expect, world, missing=True)
    data = expect.data(world) if callable(expect.data) else expect.data
    bodies = []
    for path in (url, twin):
        response, _ = send(world, "outsider", expect.method, path, data)
        text = response.content.decode(errors="replace")
        text = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", text)
        # The language switcher repeats the path under /uk/ and /en/.
        bodies.append(text.replace(path.split("?")[0][len("/pl") :], "/PATH"))
    if bodies[0] != bodies[1]:
        import difflib

        diff = difflib.unified_diff(
            bodies[0].splitlines(), bodies[1].splitlines(), lineterm="", n=0
        )
        return [
            f"  outsider: the 404 for {url} differs from the one for {twin}:",
            *list(diff)[2:8],
        ]
    return []
