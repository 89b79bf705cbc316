import threading

import pytest

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from documents import services
from documents.models import Draft, DraftVersion
from tests.documents.helpers import group_with_draft
from tests.workgroups.factories import MembershipFactory
from workgroups.models import Membership

pytestmark = pytest.mark.django_db


def _save(author, draft, base_version, text, note=""):
    return services.draft_save(
        actor=author.user,
        draft_id=draft.pk,
        base_version=base_version,
        title=draft.title,
        summary="",
        text=text,
        note=note,
    )


def test_every_save_is_a_numbered_version_with_author_and_note():
    author, draft = group_with_draft()

    _save(author, draft, 1, "Nowy tekst.", note="Skrót")

    versions = list(DraftVersion.objects.filter(draft=draft).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].author == author.user
    assert versions[1].note == "Skrót"
    assert versions[0].as_draft().paragraphs()[0][2] == "Pierwszy akapit."
    assert versions[1].as_draft().paragraphs()[0][2] == "Nowy tekst."


def test_save_based_on_an_older_version_is_refused_and_writes_nothing():
    author, draft = group_with_draft()
    other = MembershipFactory(group=author.group)
    _save(other, draft, 1, "Tekst drugiej osoby.")

    with pytest.raises(services.StaleDraft):
        _save(author, draft, 1, "Mój tekst.")

    draft.refresh_from_db()
    assert draft.version == 2
    assert draft.paragraphs()[0][2] == "Tekst drugiej osoby."
    assert DraftVersion.objects.filter(draft=draft).count() == 2


def test_restoring_an_old_version_makes_a_new_version():
    author, draft = group_with_draft()
    _save(author, draft, 1, "Zmieniony tekst.")

    services.draft_restore(
        actor=author.user, draft_id=draft.pk, number=1, base_version=2
    )

    draft.refresh_from_db()
    assert draft.version == 3
    assert draft.paragraphs()[0][2] == "Pierwszy akapit."
    assert DraftVersion.objects.get(draft=draft, number=2).as_draft().paragraphs()[0][
        2
    ] == ("Zmieniony tekst.")


def test_observers_and_outsiders_cannot_save():
    author, draft = group_with_draft()
    observer = MembershipFactory(group=author.group, role=Membership.Role.OBSERVER)
    outsider = MembershipFactory()

    for person in (observer, outsider):
        with pytest.raises(PermissionDenied):
            _save(person, draft, 1, "Nie wolno.")

    assert Draft.objects.get(pk=draft.pk).version == 1


def test_comment_stays_on_its_paragraph_and_notices_changes():
    author, draft = group_with_draft()
    block_id = draft.paragraphs()[0][0]
    comment = services.comment_add(
        actor=author.user, draft=draft, block_id=block_id, text="Uwaga"
    )

    draft = _save(author, draft, 1, "Pierwszy akapit, poprawiony.\n\nDrugi akapit.")

    assert draft.paragraphs()[0][0] == block_id
    assert comment.anchored_text == "Pierwszy akapit."


def test_comment_on_a_missing_paragraph_is_refused():
    author, draft = group_with_draft()

    with pytest.raises(ValidationError):
        services.comment_add(actor=author.user, draft=draft, block_id="nope", text="x")


def test_reply_joins_the_thread_and_only_threads_resolve():
    author, draft = group_with_draft()
    thread = services.comment_add(
        actor=author.user, draft=draft, block_id=draft.paragraphs()[0][0], text="Wątek"
    )
    reply = services.comment_add(
        actor=author.user, draft=draft, block_id="", text="Odpowiedź", parent=thread
    )

    assert reply.block_id == thread.block_id
    services.comment_set_resolved(actor=author.user, comment=thread, resolved=True)
    thread.refresh_from_db()
    assert thread.resolved_at is not None
    services.comment_set_resolved(actor=author.user, comment=thread, resolved=False)
    thread.refresh_from_db()
    assert thread.resolved_at is None
    with pytest.raises(ValidationError):
        services.comment_set_resolved(actor=author.user, comment=reply, resolved=True)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_from_the_same_version_one_wins():
    author, draft = group_with_draft()
    other = MembershipFactory(group=author.group)
    outcomes = []

    def save(member, text):
        try:
            _save(member, draft, 1, text)
            outcomes.append("saved")
        except services.StaleDraft:
            outcomes.append("refused")
        except Exception as error:  # noqa: BLE001 - SQLite's lock answer counts as refused
            outcomes.append(f"refused: {error.__class__.__name__}")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(author, "Tekst A.")),
        threading.Thread(target=save, args=(other, "Tekst B.")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("saved") == 1
    draft.refresh_from_db()
    assert draft.version == 2
    assert DraftVersion.objects.filter(draft=draft).count() == 2
