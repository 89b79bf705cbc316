"""SECURITY.md AC-01/AC-02: every workspace URL against every role. The test
fails when a workspace route is missing from the matrix."""

import re
from datetime import date

import pytest

from django.apps import apps
from django.urls import get_resolver, reverse

from tests.factories import UserFactory, editor
from tests.workgroups.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MembershipFactory,
    group_with_roles,
)
from workgroups.models import Membership
from workgroups.services import invitations as invitation_services
from workgroups.services import minutes as minutes_services

pytestmark = pytest.mark.django_db

Role = Membership.Role
ROLES = [
    "anon",
    "outsider",
    "observer",
    "expert",
    "secretary",
    "chair",
    "editor",
    "admin",
]
MEMBERS = {"observer", "expert", "secretary", "chair"}
WRITERS = {"expert", "secretary", "chair"}
MANAGERS = {"secretary", "chair"}
SIGNED_IN = set(ROLES) - {"anon"}


def build_world():
    roles = group_with_roles()
    group = roles[Role.CHAIR].group
    chair, secretary = roles[Role.CHAIR].user, roles[Role.SECRETARY].user
    expert = roles[Role.EXPERT].user
    meeting = MeetingFactory(group=group)
    item = AgendaItemFactory(meeting=meeting, position=0)
    AgendaItemFactory(meeting=meeting, position=1)
    minutes = minutes_services.minutes_start(actor=secretary, meeting=meeting)
    minutes_services.decision_record(
        actor=secretary, minutes=minutes, agenda_item=item, text="Tajna decyzja"
    )
    action = minutes_services.action_item_add(
        actor=secretary,
        minutes=minutes,
        agenda_item=item,
        description="Tajne zadanie",
        owner=expert,
        due_date=date(2030, 1, 1),
    )
    minutes.refresh_from_db()
    minutes_services.minutes_approve(
        actor=chair, minutes=minutes, base_version=minutes.version
    )
    draft_meeting = MeetingFactory(group=group, title="Tajne posiedzenie")
    draft_item = AgendaItemFactory(meeting=draft_meeting, position=0)
    draft = minutes_services.minutes_start(actor=secretary, meeting=draft_meeting)
    invitation, _token = invitation_services.invitation_create(
        actor=chair, group=group, email="zaproszona@example.org"
    )
    people = {
        "anon": None,
        "outsider": MembershipFactory(role=Role.CHAIR).user,  # chair elsewhere
        "observer": roles[Role.OBSERVER].user,
        "expert": expert,
        "secretary": secretary,
        "chair": chair,
        "editor": editor(),
        "admin": UserFactory(is_superuser=True, is_staff=True),
    }
    return {
        "people": people,
        "group": group,
        "meeting": meeting,
        "item": item,
        "minutes": minutes,
        "draft_meeting": draft_meeting,
        "draft_item": draft_item,
        "draft": draft,
        "action": action,
        "invitation": invitation,
    }


# name → (method, args, data, roles that succeed, success status)
def matrix(w):
    g, m, d = w["group"].pk, w["meeting"].pk, w["draft_meeting"].pk
    return {
        "dashboard": ("get", [], {}, SIGNED_IN, 200),
        "notifications": ("get", [], {}, SIGNED_IN, 200),
        "notifications_read": ("post", [], {}, SIGNED_IN, 302),
        "calendar": ("get", [], {}, SIGNED_IN, 200),
        "calendar_feed": ("get", ["not-a-token"], {}, set(), 404),
        "invitation": ("get", ["not-a-token"], {}, set(), 404),
        "group": ("get", [g], {}, MEMBERS, 200),
        "decisions": ("get", [g], {"q": "decyzja"}, MEMBERS, 200),
        "invitations": ("get", [g], {}, {"chair"}, 200),
        "invitation_revoke": ("post", [g, w["invitation"].pk], {}, {"chair"}, 302),
        "invitation_resend": ("post", [g, w["invitation"].pk], {}, {"chair"}, 302),
        "meeting_create": ("get", [g], {}, MANAGERS, 200),
        "meeting": ("get", [m], {}, MEMBERS, 200),
        "meeting_edit": ("get", [m], {}, MANAGERS, 200),
        "meeting_cancel": ("post", [d], {}, MANAGERS, 302),
        "meeting_ics": ("get", [m], {}, MEMBERS, 200),
        "meeting_discussion": ("get", [m], {}, MEMBERS, 302),
        "agenda_add": (
            "post",
            [d],
            {"title": "Nowy", "duration_minutes": 5},
            MANAGERS,
            302,
        ),
        "agenda_reorder": (
            "post",
            [d],
            {"order": str(w["draft_item"].pk), "version": 0},
            MANAGERS,
            302,
        ),
        "agenda_remove": ("post", [d, w["draft_item"].pk], {}, MANAGERS, 302),
        "rsvp": ("post", [m], {"answer": "yes"}, WRITERS, 302),
        "attendance": ("post", [d], {}, MANAGERS, 302),
        "conflict_declare": (
            "post",
            [d],
            {"agenda_item": w["draft_item"].pk, "description": "x", "recused": "on"},
            WRITERS,
            302,
        ),
        "minutes_start": ("post", [m], {}, MANAGERS, 302),
        "minutes": ("get", [m], {}, MEMBERS, 200),
        "minutes_edit": ("get", [d], {}, MANAGERS, 200),
        "decision_add": (
            "post",
            [d],
            {
                "decision-agenda_item": w["draft_item"].pk,
                "decision-text": "X",
                "decision-method": "consensus",
            },
            MANAGERS,
            302,
        ),
        "action_add": (
            "post",
            [d],
            {
                "action-agenda_item": w["draft_item"].pk,
                "action-description": "X",
                "action-owner": w["people"]["expert"].pk,
                "action-due_date": "2030-01-01",
            },
            MANAGERS,
            302,
        ),
        "minutes_approve": ("post", [d], {"version": 0}, {"chair"}, 302),
        "minutes_correct": ("post", [m], {"reason": "Błąd"}, MANAGERS, 302),
        "minutes_history": ("get", [m], {}, MEMBERS, 200),
        "minutes_export": ("get", [m], {}, MEMBERS, 200),
        "action_status": (
            "post",
            [w["action"].pk],
            {"status": "done"},
            {"expert", "secretary", "chair"},
            302,
        ),
    }


def _workspace_route_names():
    resolver = get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        for sub in getattr(pattern, "url_patterns", []):
            if getattr(sub, "namespace", None) == "workgroups":
                names |= {p.name for p in sub.url_patterns}
    return names


def test_every_workspace_route_is_in_the_matrix():
    world = build_world()
    assert _workspace_route_names() == set(matrix(world)) == set(ROUTES)


def _row_counts():
    config = apps.get_app_config("workgroups")
    return {model.__name__: model.objects.count() for model in config.get_models()}


def _secrets_absent(response):
    text = response.content.decode(errors="replace")
    return "Tajn" not in text


ROUTES = [
    "dashboard",
    "notifications",
    "notifications_read",
    "calendar",
    "calendar_feed",
    "invitation",
    "group",
    "decisions",
    "invitations",
    "invitation_revoke",
    "invitation_resend",
    "meeting_create",
    "meeting",
    "meeting_edit",
    "meeting_cancel",
    "meeting_ics",
    "meeting_discussion",
    "agenda_add",
    "agenda_reorder",
    "agenda_remove",
    "rsvp",
    "attendance",
    "conflict_declare",
    "minutes_start",
    "minutes",
    "minutes_edit",
    "decision_add",
    "action_add",
    "minutes_approve",
    "minutes_correct",
    "minutes_history",
    "minutes_export",
    "action_status",
]


@pytest.mark.parametrize("name", ROUTES)
@pytest.mark.parametrize("role", ROLES)
def test_route_answers_by_role(client, django_capture_on_commit_callbacks, role, name):
    world = build_world()
    method, args, data, allowed, status = matrix(world)[name]
    person = world["people"][role]
    if person is not None:
        client.force_login(person)
    before = _row_counts()
    url = reverse(f"workgroups:{name}", args=args)

    with django_capture_on_commit_callbacks(execute=True):
        response = getattr(client, method)(url, data)

    if role in allowed:
        assert response.status_code == status, response.content[:500]
        return
    if role == "anon" and name not in ("calendar_feed", "invitation"):
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 404
    assert _secrets_absent(response)
    if method == "post":
        assert _row_counts() == before
        world["minutes"].refresh_from_db()
        assert world["minutes"].is_approved
        world["draft_meeting"].refresh_from_db()
        assert not world["draft_meeting"].is_cancelled


def test_outsider_gets_the_same_404_as_for_a_missing_meeting(client):
    world = build_world()
    client.force_login(world["people"]["outsider"])
    real = client.get(reverse("workgroups:meeting", args=[world["meeting"].pk]))
    missing = client.get(reverse("workgroups:meeting", args=[999999]))
    assert real.status_code == missing.status_code == 404
    assert _normalised(real) == _normalised(missing)


def _normalised(response):
    """The body without what differs per request anyway: the masked CSRF
    token and the requested id (echoed by the language switcher)."""
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", text)
    return re.sub(r"/meetings/\d+/", "/meetings/ID/", text)
