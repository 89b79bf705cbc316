from datetime import timedelta

import pytest

from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from wagtail.models import Locale

from home.models import InfoPoint
from tests.factories import UserFactory, sign_in
from tests.workgroups.factories import (
    AgendaItemFactory,
    MeetingFactory,
    MembershipFactory,
    group_with_roles,
)
from workgroups.forms import MeetingForm
from workgroups.models import (
    AgendaItem,
    EmailPreferences,
    Meeting,
    Membership,
    Notification,
    Rsvp,
)
from workgroups.services import meetings as services
from workgroups.services import membership_remove
from workgroups.services.notifications import deliver_notification

pytestmark = pytest.mark.django_db

Role = Membership.Role


def _times(days=7):
    start = timezone.now() + timedelta(days=days)
    return start, start + timedelta(hours=2)


def test_secretary_schedules_a_meeting_with_an_agenda():
    roles = group_with_roles()
    start, end = _times()

    meeting = services.meeting_schedule(
        actor=roles[Role.SECRETARY].user,
        group=roles[Role.SECRETARY].group,
        title="Posiedzenie",
        starts_at=start,
        ends_at=end,
        address="ul. Basztowa 22",
        agenda=[{"title": "A", "duration_minutes": 20}, {"title": "B"}],
    )

    assert [i.title for i in meeting.agenda_items.all()] == ["A", "B"]


@pytest.mark.parametrize("role", [Role.EXPERT, Role.OBSERVER])
def test_experts_and_observers_cannot_schedule(role):
    roles = group_with_roles()
    start, end = _times()

    with pytest.raises(PermissionDenied):
        services.meeting_schedule(
            actor=roles[role].user,
            group=roles[role].group,
            title="X",
            starts_at=start,
            ends_at=end,
            address="x",
        )
    assert not Meeting.objects.exists()


def test_a_meeting_that_ends_before_it_starts_is_refused():
    chair = MembershipFactory(role=Role.CHAIR)
    start, end = _times()

    with pytest.raises(ValidationError) as error:
        services.meeting_schedule(
            actor=chair.user,
            group=chair.group,
            title="X",
            starts_at=end,
            ends_at=start,
            address="x",
        )
    assert "musi się skończyć po rozpoczęciu" in str(error.value)
    assert not Meeting.objects.exists()


def test_a_meeting_needs_a_place_or_a_link():
    chair = MembershipFactory(role=Role.CHAIR)
    start, end = _times()

    with pytest.raises(ValidationError):
        services.meeting_schedule(
            actor=chair.user, group=chair.group, title="X", starts_at=start, ends_at=end
        )


def test_reorder_based_on_a_stale_order_is_refused_and_changes_nothing():
    chair = MembershipFactory(role=Role.CHAIR)
    meeting = MeetingFactory(group=chair.group)
    a, b, c = (AgendaItemFactory(meeting=meeting, position=i) for i in range(3))
    seen_version = meeting.agenda_version
    services.agenda_reorder(
        actor=chair.user, meeting=meeting, order=[b.pk, a.pk, c.pk], base_version=0
    )

    with pytest.raises(ValidationError) as error:
        services.agenda_reorder(
            actor=chair.user,
            meeting=meeting,
            order=[c.pk, b.pk, a.pk],
            base_version=seen_version,
        )

    assert error.value.code == "stale"
    assert list(meeting.agenda_items.values_list("pk", flat=True)) == [
        b.pk,
        a.pk,
        c.pk,
    ]


def test_reorder_must_name_every_item_once():
    chair = MembershipFactory(role=Role.CHAIR)
    meeting = MeetingFactory(group=chair.group)
    a, b = (AgendaItemFactory(meeting=meeting, position=i) for i in range(2))
    other = AgendaItemFactory()

    for order in ([a.pk], [a.pk, a.pk], [a.pk, other.pk]):
        with pytest.raises(ValidationError):
            services.agenda_reorder(
                actor=chair.user, meeting=meeting, order=order, base_version=0
            )
    assert list(meeting.agenda_items.values_list("pk", flat=True)) == [a.pk, b.pk]


def test_rsvp_for_a_cancelled_meeting_is_refused():
    roles = group_with_roles()
    meeting = MeetingFactory(group=roles[Role.CHAIR].group)
    services.meeting_cancel(actor=roles[Role.CHAIR].user, meeting=meeting)

    with pytest.raises(ValidationError) as error:
        services.rsvp_answer(
            actor=roles[Role.EXPERT].user, meeting=meeting, answer="yes"
        )
    assert "odwołane" in str(error.value)
    assert not Rsvp.objects.exists()


def test_expert_answers_and_changes_the_answer():
    expert = MembershipFactory(role=Role.EXPERT)
    meeting = MeetingFactory(group=expert.group)

    services.rsvp_answer(actor=expert.user, meeting=meeting, answer="maybe")
    services.rsvp_answer(actor=expert.user, meeting=meeting, answer="yes")

    assert Rsvp.objects.get().answer == "yes"


def test_observer_cannot_answer():
    observer = MembershipFactory(role=Role.OBSERVER)
    meeting = MeetingFactory(group=observer.group)

    with pytest.raises(PermissionDenied):
        services.rsvp_answer(actor=observer.user, meeting=meeting, answer="yes")


def test_attendance_lists_only_members():
    chair = MembershipFactory(role=Role.CHAIR)
    meeting = MeetingFactory(group=chair.group)

    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=chair.user, meeting=meeting, user_ids=[UserFactory().pk]
        )
    services.attendance_record(
        actor=chair.user, meeting=meeting, user_ids=[chair.user_id]
    )
    assert list(meeting.attendance.values_list("user_id", flat=True)) == [chair.user_id]


def test_scheduling_notifies_current_members_by_e_mail_and_in_the_app(
    django_capture_on_commit_callbacks,
):
    roles = group_with_roles()
    outsider = MembershipFactory(role=Role.CHAIR)  # another group
    EmailPreferences.objects.create(
        user=roles[Role.OBSERVER].user, choices={"meeting_scheduled": "never"}
    )
    start, end = _times()

    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_schedule(
            actor=roles[Role.CHAIR].user,
            group=roles[Role.CHAIR].group,
            title="Posiedzenie jawne",
            starts_at=start,
            ends_at=end,
            address="x",
        )

    notified = set(Notification.objects.values_list("user_id", flat=True))
    assert notified == {m.user_id for m in roles.values()}
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {
        m.user.email for role, m in roles.items() if role != Role.OBSERVER
    }
    assert outsider.user.email not in recipients


def test_a_member_removed_before_the_task_runs_gets_nothing():
    """AC-12: recipients are computed when the task runs."""
    roles = group_with_roles()
    removed = roles[Role.EXPERT]
    meeting = MeetingFactory(group=removed.group)
    membership_remove(actor=roles[Role.CHAIR].user, membership=removed)

    deliver_notification.call(Notification.Kind.MEETING_CHANGED, meeting.pk)

    assert not Notification.objects.filter(user=removed.user).exists()
    assert removed.user.email not in {m.to[0] for m in mail.outbox}
    assert len(mail.outbox) == 3


def _next_meeting_after_open_matters(agenda=()):
    """(chair, the open action item, the next meeting the chair schedules)."""
    from tests.workgroups.test_minutes import approved_minutes_with_action

    minutes, action = approved_minutes_with_action()
    chair = Membership.objects.get(group=minutes.meeting.group, role=Role.CHAIR)
    start, end = _times(days=30)
    meeting = services.meeting_schedule(
        actor=chair.user,
        group=chair.group,
        title="Następne",
        starts_at=start,
        ends_at=end,
        address="x",
        agenda=agenda,
    )
    return chair, action, meeting


def test_matters_arising_become_the_first_item_of_the_next_meeting():
    _chair, action, meeting = _next_meeting_after_open_matters(
        agenda=[{"title": "Nowy punkt"}]
    )

    first, second = meeting.agenda_items.all()
    assert first.kind == AgendaItem.Kind.MATTERS_ARISING
    assert action.description in first.body
    assert "Zespół poprze wniosek" in first.body  # decision to follow up
    assert second.title == "Nowy punkt"


def test_matters_arising_are_read_in_each_readers_language(client):
    """The item stores what to take up, not a sentence: the title and the
    lines are worded when read, the action's own words as written."""
    with translation.override("uk"):  # the chair schedules in Ukrainian
        chair, action, meeting = _next_meeting_after_open_matters()
    item = meeting.agenda_items.get()
    seen = {}
    for language in ("pl", "uk", "en"):
        with translation.override(language):
            seen[language] = (item.heading, item.body)
    assert seen["en"][0] == "Matters arising from previous meetings"
    assert seen["pl"][0] == "Sprawy wynikające z poprzednich spotkań"
    assert seen["en"][1].startswith(f"Action item: {action.description}")
    assert len({heading for heading, _body in seen.values()}) == 3
    assert len({body for _heading, body in seen.values()}) == 3
    assert all(action.description in body for _heading, body in seen.values())
    with translation.override("en"):
        url = meeting.get_absolute_url()
    page = sign_in(client, chair.user).get(url)
    assert "Matters arising from previous meetings" in page.text
    assert "Sprawy" not in page.text


def test_without_open_matters_no_matters_arising_item():
    chair = MembershipFactory(role=Role.CHAIR)
    start, end = _times()
    meeting = services.meeting_schedule(
        actor=chair.user,
        group=chair.group,
        title="X",
        starts_at=start,
        ends_at=end,
        address="x",
    )
    assert not meeting.agenda_items.exists()


def _point_in_three_languages():
    point = InfoPoint.objects.create(
        locale=Locale.get_default(), name="Punkt w Tarnowie"
    )
    for code, name in [("uk", "Пункт у Тарнові"), ("en", "Point in Tarnów")]:
        locale, _created = Locale.objects.get_or_create(language_code=code)
        translated = point.copy_for_translation(locale)
        translated.name = name
        translated.save()
    return point


def test_the_info_point_chooser_offers_the_points_of_the_readers_language():
    _point_in_three_languages()

    with translation.override("uk"):
        names = [point.name for point in MeetingForm().fields["info_point"].queryset]

    assert names == ["Пункт у Тарнові"]


def test_a_meetings_point_is_chosen_in_the_readers_language():
    meeting = MeetingFactory(info_point=_point_in_three_languages())

    with translation.override("en"):
        form = MeetingForm(instance=meeting)
        chosen = form.fields["info_point"].queryset.get(pk=form.initial["info_point"])

    assert chosen.name == "Point in Tarnów"
    assert form.fields["info_point"].queryset.count() == 1
