"""Notifications store what happened and are read, linked and e-mailed in
each reader's language; each kind is sent at once, in the daily digest, or
never, as the person chose (issue 15)."""

from datetime import timedelta

import pytest

from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from wagtail.users.models import UserProfile

from tests.workgroups.factories import MeetingFactory, MembershipFactory
from workgroups.models import EmailPreferences, Notification
from workgroups.services import meetings as meeting_services
from workgroups.services.notifications import (
    deliver_notification,
    notification_digest_send,
)

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


def speaking(language, **membership):
    member = MembershipFactory(**membership)
    if language:
        profile = UserProfile.get_for_user(member.user)
        profile.preferred_language = language
        profile.save()
    return member


def mails_to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def test_each_recipient_gets_the_e_mail_in_their_language_with_links_in_it():
    ukrainian = speaking("uk")
    english = speaking("en", group=ukrainian.group)
    undecided = speaking("", group=ukrainian.group)
    meeting = MeetingFactory(group=ukrainian.group, title="Posiedzenie 7")

    deliver_notification.call(Kind.MEETING_SCHEDULED, meeting.pk)

    (to_uk,) = mails_to(ukrainian.user)
    (to_en,) = mails_to(english.user)
    (to_pl,) = mails_to(undecided.user)
    assert to_en.subject.endswith("Meeting scheduled: Posiedzenie 7")
    assert f"/en/workspace/meetings/{meeting.pk}/" in to_en.body
    assert f"/uk/workspace/meetings/{meeting.pk}/" in to_uk.body
    assert f"/pl/workspace/meetings/{meeting.pk}/" in to_pl.body  # the site's
    assert len({to_uk.subject, to_en.subject, to_pl.subject}) == 3
    assert "Working group" in to_en.body and "Робоча група" in to_uk.body


def test_the_list_shows_each_notification_in_the_pages_language(client):
    member = speaking("")
    meeting = MeetingFactory(group=member.group, title="Posiedzenie 8")
    deliver_notification.call(Kind.MEETING_CANCELLED, meeting.pk)
    client.force_login(member.user)

    english = client.get("/en/workspace/notifications/").text
    ukrainian = client.get("/uk/workspace/notifications/").text

    assert "Meeting cancelled: Posiedzenie 8" in english
    assert f'href="/en/workspace/meetings/{meeting.pk}/"' in english
    assert f'href="/uk/workspace/meetings/{meeting.pk}/"' in ukrainian
    assert "Meeting cancelled" not in ukrainian


def test_never_keeps_the_notification_in_the_list_and_sends_nothing():
    member = speaking("en")
    EmailPreferences.objects.create(
        user=member.user, choices={Kind.MEETING_SCHEDULED: "never"}
    )
    meeting = MeetingFactory(group=member.group)

    deliver_notification.call(Kind.MEETING_SCHEDULED, meeting.pk)
    deliver_notification.call(Kind.MEETING_CHANGED, meeting.pk)  # still at once

    assert Notification.objects.filter(user=member.user).count() == 2
    (only,) = mails_to(member.user)
    assert "Meeting changed" in only.subject
    assert notification_digest_send() == 0


def test_the_digest_gathers_the_days_notifications_once_in_the_readers_language():
    member = speaking("uk")
    EmailPreferences.objects.create(
        user=member.user,
        choices={Kind.MEETING_SCHEDULED: "digest", Kind.MEETING_CHANGED: "digest"},
    )
    first = MeetingFactory(group=member.group, title="Pierwsze")
    second = MeetingFactory(group=member.group, title="Drugie")

    deliver_notification.call(Kind.MEETING_SCHEDULED, first.pk)
    deliver_notification.call(Kind.MEETING_CHANGED, second.pk)
    assert mails_to(member.user) == []

    call_command("send_notification_digest", verbosity=0)
    call_command("send_notification_digest", verbosity=0)  # a second run: nothing

    (digest,) = mails_to(member.user)
    with translation.override("uk"):
        scheduled = str(
            Notification(kind=Kind.MEETING_SCHEDULED, params={"title": "Pierwsze"})
        )
        changed = str(
            Notification(kind=Kind.MEETING_CHANGED, params={"title": "Drugie"})
        )
    assert scheduled in digest.body and changed in digest.body
    assert digest.body.index(scheduled) < digest.body.index(changed)  # in order
    assert f"/uk/workspace/meetings/{first.pk}/" in digest.body
    assert "(2)" in digest.subject and "Meeting" not in digest.body


def test_the_digest_leaves_out_groups_the_person_has_left():
    member = speaking("en")
    EmailPreferences.objects.create(
        user=member.user, choices={Kind.MEETING_SCHEDULED: "digest"}
    )
    deliver_notification.call(
        Kind.MEETING_SCHEDULED, MeetingFactory(group=member.group).pk
    )
    member.delete()  # removed from the group before the digest

    assert notification_digest_send() == 0
    assert not Notification.objects.filter(digest_pending=True).exists()


def test_notifications_list_queries_do_not_grow(client, django_assert_max_num_queries):
    member = speaking("en")
    client.force_login(member.user)
    url = "/en/workspace/notifications/"
    client.get(url)
    for kind in (Kind.MEETING_SCHEDULED, Kind.MEETING_CHANGED):
        deliver_notification.call(kind, MeetingFactory(group=member.group).pk)
    with django_assert_max_num_queries(6):
        few = client.get(url)
    for _index in range(8):
        deliver_notification.call(
            Kind.MEETING_CANCELLED, MeetingFactory(group=member.group).pk
        )
    with django_assert_max_num_queries(6):
        many = client.get(url)
    assert few.status_code == many.status_code == 200
    assert many.text.count("/en/workspace/meetings/") >= 10


def test_old_polish_sentences_become_params_and_the_rest_stay_as_written():
    from importlib import import_module

    migration = import_module(
        "workgroups.migrations.0012_notification_params_and_delivery_choices"
    )
    member = MembershipFactory()
    meeting = MeetingFactory(group=member.group, title="Stare")
    old = Notification.objects.create(
        user=member.user,
        group=member.group,
        kind=Kind.MEETING_SCHEDULED,
        subject="Zaplanowano spotkanie: Stare",
        url=f"/pl/workspace/meetings/{meeting.pk}/",
    )
    odd = Notification.objects.create(
        user=member.user,
        group=member.group,
        kind=Kind.MEETING_CHANGED,
        subject="Coś zupełnie innego",
        url=f"/pl/workspace/meetings/{meeting.pk}/",
    )
    with translation.override("pl"):
        polish = str(
            Notification(kind=Kind.MEETING_SCHEDULED, params={"title": "Stare"})
        )
    Notification.objects.filter(pk=old.pk).update(subject=polish)

    migration.params_from_sentences(apps, None)

    old.refresh_from_db()
    odd.refresh_from_db()
    assert old.params["title"] == "Stare" and old.subject == ""
    with translation.override("en"):
        assert old.text == "Meeting scheduled: Stare"
        assert old.link == f"/en/workspace/meetings/{meeting.pk}/"
        assert odd.text == "Coś zupełnie innego"  # kept, clearly as it was


def test_a_meeting_scheduled_in_ukrainian_notifies_the_polish_reader_in_polish(
    django_capture_on_commit_callbacks,
):
    chair = speaking("uk", role="chair")
    reader = speaking("pl", group=chair.group)
    start = timezone.now() + timedelta(days=3)
    with django_capture_on_commit_callbacks(execute=True), translation.override("uk"):
        meeting_services.meeting_schedule(
            actor=chair.user,
            group=chair.group,
            title="Posiedzenie 9",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            address="x",
        )
    (to_reader,) = mails_to(reader.user)
    (to_chair,) = mails_to(chair.user)
    with translation.override("pl"):
        note = Notification.objects.get(user=reader.user)
        assert note.text in to_reader.subject
    assert to_reader.subject != to_chair.subject


def test_old_matters_arising_and_thread_titles_are_worded_when_read():
    from importlib import import_module

    from workgroups.models import AgendaItem, Topic

    migration = import_module(
        "workgroups.migrations.0013_arising_and_thread_titles_worded_when_read"
    )
    member = MembershipFactory()
    meeting = MeetingFactory(group=member.group, title="Stare")
    with translation.override("pl"):
        line = translation.gettext("Decision to follow up: %(text)s") % {
            "text": "Zebrać dane"
        }
        arising = AgendaItem.objects.create(
            meeting=meeting,
            kind=AgendaItem.Kind.MATTERS_ARISING,
            title="Sprawy wynikające z poprzednich spotkań",
            description=line,
        )
        odd = AgendaItem.objects.create(
            meeting=meeting,
            kind=AgendaItem.Kind.MATTERS_ARISING,
            title="Sprawy",
            description=f"{line}\nDopisek sekretarza",
        )
        thread = Topic.objects.create(
            room=member.group.room,
            title=translation.pgettext("discussion thread", "Meeting: %(title)s")
            % {"title": "Stare"},
            subject=meeting,
        )

    migration.arising_worded_when_read(apps, None)
    migration.threads_worded_when_read(apps, None)

    for row in (arising, odd, thread):
        row.refresh_from_db()
    with translation.override("en"):
        assert arising.heading == "Matters arising from previous meetings"
        assert arising.body == "Decision to follow up: Zebrać dane"
        assert odd.body.endswith("Dopisek sekretarza")  # kept as written
        assert thread.heading == "Meeting: Stare" and thread.title == "Stare"
