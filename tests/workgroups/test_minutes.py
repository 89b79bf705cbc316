import hashlib
from datetime import date
from decimal import Decimal

import pytest

from django.core.exceptions import PermissionDenied, ValidationError

from wagtail.models import ModelLogEntry

from tests.threads import in_threads
from tests.workgroups.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MembershipFactory,
    group_with_roles,
)
from workgroups.models import Decision, Membership, Minutes
from workgroups.models.record import minutes_canonical_text
from workgroups.services import meetings as meeting_services
from workgroups.services import minutes as services

pytestmark = pytest.mark.django_db

Role = Membership.Role


def minutes_of_group(roles, items=1):
    meeting = MeetingFactory(group=roles[Role.CHAIR].group)
    for i in range(items):
        AgendaItemFactory(meeting=meeting, position=i)
    return services.minutes_start(actor=roles[Role.SECRETARY].user, meeting=meeting)


def approved_minutes_with_action():
    roles = group_with_roles()
    minutes = minutes_of_group(roles)
    item = minutes.meeting.agenda_items.get()
    secretary = roles[Role.SECRETARY].user
    services.decision_record(
        actor=secretary,
        minutes=minutes,
        agenda_item=item,
        text="Zespół poprze wniosek.",
        follow_up=True,
    )
    action = services.action_item_add(
        actor=secretary,
        minutes=minutes,
        agenda_item=item,
        description="Zebrać dane.",
        owner=roles[Role.EXPERT].user,
        due_date=date(2030, 1, 31),
    )
    minutes.refresh_from_db()
    services.minutes_approve(
        actor=roles[Role.CHAIR].user, minutes=minutes, base_version=minutes.version
    )
    return minutes, action


def test_secretary_writes_and_chair_approves_with_fingerprint_and_revision():
    minutes, _action = approved_minutes_with_action()
    minutes.refresh_from_db()

    assert minutes.is_approved
    assert (
        minutes.fingerprint
        == hashlib.sha256(minutes.approved_text.encode()).hexdigest()
    )
    assert "Zespół poprze wniosek." in minutes.approved_text
    assert minutes.revisions.count() == 1
    assert (
        ModelLogEntry.objects.filter(action="workgroups.minutes.approve").count() == 1
    )


def test_only_the_chair_approves():
    roles = group_with_roles()
    minutes = minutes_of_group(roles)

    with pytest.raises(PermissionDenied):
        services.minutes_approve(
            actor=roles[Role.SECRETARY].user, minutes=minutes, base_version=0
        )
    assert not Minutes.objects.get().is_approved


def test_editing_approved_minutes_is_refused_and_changes_nothing():
    minutes, _ = approved_minutes_with_action()
    minutes.refresh_from_db()
    secretary = Membership.objects.get(group=minutes.meeting.group, role=Role.SECRETARY)
    item = minutes.meeting.agenda_items.get()

    with pytest.raises(ValidationError) as error:
        services.minutes_save(
            actor=secretary.user,
            minutes=minutes,
            notes={item.pk: "zmiana"},
            base_version=minutes.version,
        )
    assert error.value.code == "approved"
    with pytest.raises(ValidationError):
        services.decision_record(
            actor=secretary.user, minutes=minutes, agenda_item=item, text="Nowa"
        )
    assert Decision.objects.count() == 1
    assert not minutes.items.filter(notes="zmiana").exists()


def test_a_stale_minutes_save_is_refused():
    roles = group_with_roles()
    minutes = minutes_of_group(roles)
    item = minutes.meeting.agenda_items.get()
    secretary = roles[Role.SECRETARY].user
    services.minutes_save(
        actor=secretary, minutes=minutes, notes={item.pk: "A"}, base_version=0
    )

    with pytest.raises(ValidationError) as error:
        services.minutes_save(
            actor=roles[Role.CHAIR].user,
            minutes=minutes,
            notes={item.pk: "B"},
            base_version=0,
        )
    assert error.value.code == "stale"
    assert minutes.items.get().notes == "A"


def test_fingerprint_changes_when_and_only_when_a_correction_is_approved():
    minutes, _ = approved_minutes_with_action()
    minutes.refresh_from_db()
    first = minutes.fingerprint
    group = minutes.meeting.group
    chair = Membership.objects.get(group=group, role=Role.CHAIR).user
    secretary = Membership.objects.get(group=group, role=Role.SECRETARY).user
    item = minutes.meeting.agenda_items.get()

    services.minutes_start_correction(
        actor=secretary, minutes=minutes, reason="Literówka w nazwisku."
    )
    minutes.refresh_from_db()
    services.minutes_save(
        actor=secretary,
        minutes=minutes,
        notes={item.pk: "Poprawione notatki."},
        base_version=minutes.version,
    )
    minutes.refresh_from_db()
    assert minutes.fingerprint == first  # the correction is not approved yet

    services.minutes_approve(actor=chair, minutes=minutes, base_version=minutes.version)
    minutes.refresh_from_db()
    assert minutes.fingerprint != first
    assert "Poprawione notatki." in minutes.approved_text
    assert minutes.revisions.count() == 2
    latest = minutes.revisions.order_by("-created_at", "-pk").first()
    assert latest.content["correction_reason"] == "Literówka w nazwisku."


def test_a_correction_needs_a_reason():
    minutes, _ = approved_minutes_with_action()
    chair = Membership.objects.get(group=minutes.meeting.group, role=Role.CHAIR)
    with pytest.raises(ValidationError):
        services.minutes_start_correction(actor=chair.user, minutes=minutes, reason=" ")
    assert Minutes.objects.get().is_approved


def test_quorum_reached_or_not_changes_what_the_minutes_say():
    roles = group_with_roles()  # chair, secretary, expert vote; observer not
    roles[Role.CHAIR].group.quorum_fraction = Decimal("0.60")
    roles[Role.CHAIR].group.save()
    minutes = minutes_of_group(roles)
    meeting = minutes.meeting
    chair = roles[Role.CHAIR].user

    meeting_services.attendance_record(
        actor=chair,
        meeting=meeting,
        user_ids=[chair.pk, roles[Role.OBSERVER].user_id],
    )
    text = minutes_canonical_text(minutes)
    assert "Brak kworum: obecnych 1 z 3" in text

    meeting_services.attendance_record(
        actor=chair,
        meeting=meeting,
        user_ids=[chair.pk, roles[Role.SECRETARY].user_id],
    )
    text = minutes_canonical_text(minutes)
    assert "Kworum osiągnięte: obecnych 2 z 3" in text


def test_a_recused_members_vote_is_not_counted():
    roles = group_with_roles()
    minutes = minutes_of_group(roles)
    item = minutes.meeting.agenda_items.get()
    expert = roles[Role.EXPERT].user
    meeting_services.conflict_declare(
        actor=expert, agenda_item=item, description="Pracuję dla wnioskodawcy."
    )

    decision = services.decision_record(
        actor=roles[Role.SECRETARY].user,
        minutes=minutes,
        agenda_item=item,
        text="Przyjęto.",
        method=Decision.Method.VOTE,
        votes={
            roles[Role.CHAIR].user_id: "for",
            roles[Role.SECRETARY].user_id: "against",
            expert.pk: "for",
        },
    )

    assert (decision.votes_for, decision.votes_against) == (1, 1)
    assert decision.votes.get(user=expert).counted is False
    assert "nie głosował(a)" in minutes_canonical_text(minutes)


def test_observers_cannot_vote():
    roles = group_with_roles()
    minutes = minutes_of_group(roles)
    with pytest.raises(ValidationError):
        services.decision_record(
            actor=roles[Role.SECRETARY].user,
            minutes=minutes,
            agenda_item=minutes.meeting.agenda_items.get(),
            text="X",
            method=Decision.Method.VOTE,
            votes={roles[Role.OBSERVER].user_id: "for"},
        )
    assert not Decision.objects.exists()


def test_action_owner_must_be_a_member():
    roles = group_with_roles()
    minutes = minutes_of_group(roles)
    stranger = MembershipFactory().user
    with pytest.raises(ValidationError):
        services.action_item_add(
            actor=roles[Role.SECRETARY].user,
            minutes=minutes,
            agenda_item=minutes.meeting.agenda_items.get(),
            description="X",
            owner=stranger,
            due_date=date(2030, 1, 1),
        )


@pytest.mark.usefixtures("migrated_data")
def test_twenty_parallel_approvals_have_one_effect():
    """DU-08: one approval, one revision, one audit entry."""
    roles = group_with_roles()
    minutes = minutes_of_group(roles)
    chair = roles[Role.CHAIR].user

    def approve():
        services.minutes_approve(
            actor=chair, minutes=Minutes.objects.get(pk=minutes.pk), base_version=0
        )

    outcomes = in_threads(*[approve] * 20)

    assert outcomes.count("ok") == 1
    assert (
        ModelLogEntry.objects.filter(action="workgroups.minutes.approve").count() == 1
    )
    assert Minutes.objects.get().revisions.count() == 1


def test_approval_and_assignment_notify_by_task(django_capture_on_commit_callbacks):
    """An action item's owner hears of it when the minutes that record it
    are approved (until then it is the minutes' editors' draft)."""
    from django.core import mail

    from workgroups.models import EmailPreferences, Notification

    roles = group_with_roles()
    EmailPreferences.objects.create(
        user=roles[Role.EXPERT].user, choices={"minutes_approved": "never"}
    )
    minutes = minutes_of_group(roles)
    with django_capture_on_commit_callbacks(execute=True):
        services.action_item_add(
            actor=roles[Role.SECRETARY].user,
            minutes=minutes,
            agenda_item=minutes.meeting.agenda_items.get(),
            description="Przygotować zestawienie.",
            owner=roles[Role.EXPERT].user,
            due_date=date(2030, 1, 1),
        )
    assert not Notification.objects.exists()
    assert mail.outbox == []

    minutes.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_approve(
            actor=roles[Role.CHAIR].user, minutes=minutes, base_version=minutes.version
        )
    assigned = Notification.objects.get(kind=Notification.Kind.ACTION_ASSIGNED)
    assert assigned.user == roles[Role.EXPERT].user
    approved = Notification.objects.filter(kind=Notification.Kind.MINUTES_APPROVED)
    assert approved.count() == 4  # every member in the app
    e_mailed = [m.to[0] for m in mail.outbox]
    # The owner opted out of minutes, not of action items.
    assert e_mailed.count(roles[Role.EXPERT].user.email) == 1
    assert len(set(e_mailed)) == 4
