"""Issue 15's acceptance: every notification kind, every e-mail the platform
writes and every title it stores on its own (matters arising, the threads of
meetings and drafts), read in each language, has no sentence of another
language. A sentence of another language is a fragment (12 characters or
more, two words or more) of the other catalogues' translations that the
reader's own catalogue does not contain. A new kind without wording, a new
e-mail kind the test does not write, or a wording left untranslated fails."""

import re
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from babel.messages.pofile import read_po

from django.conf import settings
from django.utils import timezone, translation

from wagtail.users.models import UserProfile

from home import mfa, subscriptions
from home.models import OutgoingEmail, Subscription
from tests.pages import programme_tree
from tests.workgroups.factories import MembershipFactory
from workgroups.discussion import services as discussion
from workgroups.discussion.tasks import mention_notify
from workgroups.models import AgendaItem, Notification, Topic
from workgroups.models.arising import LINE_WORDING, THREAD_WORDING
from workgroups.models.personal import WORDING
from workgroups.services import invitations
from workgroups.services.notifications import (
    link,
    notification_digest_send,
    notification_mail,
)

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
ROOT = Path(settings.BASE_DIR)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{[^}]*\}|\n")
# What the test writes for each e-mail kind the code queues (see below).
EMAIL_KINDS = {
    "notification",
    "notification_digest",
    "invitation",
    "mention",
    "second_factor_code",
    "subscription",
}


def _strings(language):
    path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as po_file:
        catalogue = read_po(po_file, locale=language)
    out = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string
        out += list(strings) if isinstance(strings, tuple) else [strings]
    return [s for s in out if s]


@pytest.fixture(scope="module")
def foreign():
    """{language: fragments of the other languages' sentences}."""
    strings = {language: _strings(language) for language in LANGUAGES}
    found = {}
    for language in LANGUAGES:
        own = "\n".join(strings[language])
        fragments = set()
        for other in LANGUAGES:
            if other == language:
                continue
            for sentence in strings[other]:
                for part in PLACEHOLDER.split(sentence):
                    part = part.strip(" .,:;!?—–-“”„«»\"'()")
                    if len(part) >= 12 and " " in part and part not in own:
                        fragments.add(part)
        found[language] = fragments
    return found


def test_every_e_mail_kind_the_code_queues_is_read_here():
    queued = set()
    for app in ("home", "workgroups", "documents"):
        for path in (ROOT / app).rglob("*.py"):
            source = path.read_text()
            if "migrations" in path.parts or not re.search(
                r"mail_(queue|prepare)\(", source
            ):
                continue
            queued |= set(re.findall(r'\bkind="(\w+)"', source))
    queued -= {"site"}  # Django's send_mail: allauth's and Wagtail's own mails
    assert queued <= EMAIL_KINDS, queued - EMAIL_KINDS


def _person(language, **membership):
    member = MembershipFactory(**membership)
    profile = UserProfile.get_for_user(member.user)
    profile.preferred_language = language
    profile.save()
    return member


def _notification_texts():
    """(label, text) of every kind and step, in the active language."""
    out = []
    for kind in Notification.Kind:
        wording = WORDING[kind]  # KeyError: a kind with no wording
        steps = list(wording) if isinstance(wording, dict) else [None]
        for step in steps:
            params = {"title": "T1T1E", "author": "A1A1", "email": "x@example.org"}
            if step:
                params["step"] = step
            params["link"] = link("workgroups:notifications")
            out.append((f"{kind}:{step}", Notification(kind=kind, params=params)))
    return out


def _subscription_mails(language, programme):
    """The public's mails: the confirmation and a publication's news, the
    programme being in Polish only (its mail says so in ``language``)."""
    address = f"sub-{language}@example.org"
    subscriptions.subscription_request(
        email=address, language=language, topics=Subscription.Topic.values
    )
    Subscription.objects.filter(email=address).update(
        confirmed_at=timezone.now(), programme_updates=True
    )
    revision = programme.save_revision()
    revision.publish()
    programme.refresh_from_db()
    subscriptions.publication_mail.call(
        revision.pk, programme.last_published_at.isoformat()
    )
    return address


def _mails(language, programme):
    """Every e-mail the platform writes, written for a reader of
    ``language``: (kind, subject + body)."""
    subscriber = _subscription_mails(language, programme)
    chair = _person(language, role="chair")
    member = _person(language, group=chair.group)
    with translation.override(language):
        for _label, notification in _notification_texts():
            notification_mail(member.user, notification, chair.group)
        for _label, notification in _notification_texts()[:3]:
            notification.pk = None
            notification.user = member.user
            notification.group = chair.group
            notification.digest_pending = True
            notification.save()
        invitations.invitation_create(
            actor=chair.user, group=chair.group, email=f"new-{language}@example.org"
        )
        EmailAddress.objects.update_or_create(
            user=member.user,
            email=member.user.email,
            defaults={"verified": True, "primary": True},
        )
        request = SimpleNamespace(user=member.user, session={})
        assert mfa._send_code(request)
    notification_digest_send()  # in the reader's chosen language
    room = chair.group.room
    topic = discussion.topic_create(actor=chair.user, room=room, title="T2T2")
    message, _created = discussion.message_post(
        author=chair.user,
        topic=topic,
        body=f"@{member.user.username} X1X1",
        client_id=uuid.uuid4(),
    )
    with translation.override("pl" if language != "pl" else "uk"):  # the author's
        mention_notify.call(message_id=message.pk)
    readers = {member.user.email, f"new-{language}@example.org", subscriber}
    return [
        (mail.kind, f"{mail.subject}\n{mail.body}")
        for mail in OutgoingEmail.objects.all()
        if readers & set(mail.to)
    ]


def _stored_titles():
    item = AgendaItem(
        kind=AgendaItem.Kind.MATTERS_ARISING,
        title="x",
        params={
            "lines": [
                {"kind": kind, "text": "L1L1", "owner": "O1O1", "due": "2030-01-01"}
                for kind in LINE_WORDING
            ]
        },
    )
    out = [("arising:title", item.heading), ("arising:lines", item.body)]
    for wording in THREAD_WORDING:
        out.append((f"thread:{wording}", Topic(title="T3T3", wording=wording).heading))
    return out


def test_every_kind_e_mail_and_stored_title_is_in_the_readers_language(foreign):
    read = {}
    programme = programme_tree()["programme"]
    for language in LANGUAGES:
        texts = _mails(language, programme)
        with translation.override(language):
            texts += [(label, n.text) for label, n in _notification_texts()]
            texts += _stored_titles()
        assert {kind for kind, _text in texts} >= EMAIL_KINDS
        for label, text in texts:
            leaks = sorted(f for f in foreign[language] if f in text)
            assert not leaks, (language, label, text, leaks)
        read[language] = {label: text for label, text in texts if ":" in label}
    for label in read["en"]:  # every wording translated into each language
        assert len({read[language][label] for language in LANGUAGES}) == len(
            LANGUAGES
        ), label
