import io
import json
import time
import zipfile

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.models import ModelLogEntry

from documents import services
from documents.models import DraftComment
from home.models import OutgoingEmail
from home.outbox import mail_queue
from tests.documents.helpers import group_with_draft
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.workgroups.factories import MembershipFactory
from tests.workgroups.test_minutes import approved_minutes_with_action
from workgroups.models import ActionItem, Rsvp

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SECRET = "JBSWY3DPEHPK3PXP"


def _member_with_content():
    author, draft = group_with_draft(text="Akapit.")
    services.comment_add(
        actor=author.user,
        draft=draft,
        block_id=draft.paragraphs()[0][0],
        text="Mój komentarz",
    )
    services.attachment_upload(
        actor=author.user, draft=draft, upload=SimpleUploadedFile("moje.pdf", PDF)
    )
    return author, draft


def _reauthenticated_post(client, url, data=None):
    """POSTs ``url``; allauth asks for the password first and then resumes."""
    first = client.post(url, data or {})
    assert "/accounts/reauthenticate/" in first["Location"]
    return client.post(first["Location"], {"password": DEFAULT_PASSWORD})


def _second_factor_post(client, url, data=None):
    """POSTs ``url`` for someone else's account: the second factor is asked
    first (home/mfa.py), then allauth resumes the request."""
    first = client.post(url, data or {})
    assert first["Location"].startswith("/pl/accounts/2fa/reauthenticate/")
    code = format_hotp_value(hotp_value(SECRET, int(time.time()) // 30))
    return client.post(first["Location"], {"code": code})


def test_download_needs_the_password_again_and_holds_everything(client):
    author, draft = _member_with_content()
    mail_queue(to=[author.user.email], subject="Dla ciebie", body="", kind="test")
    client.force_login(author.user)

    response = _reauthenticated_post(client, "/pl/privacy/my-data/download/")

    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    assert data["account"]["email"] == author.user.email
    assert [m["subject"] for m in data["account"]["e_mails_to_you"]] == ["Dla ciebie"]
    assert data["workgroups"]["memberships"][0]["group__name"] == author.group.name
    assert data["documents"]["comments"][0]["text"] == "Mój komentarz"
    assert [name for name in archive.namelist() if name.startswith("files/")] == [
        f"files/{draft.attachments.get().pk}-moje.pdf"
    ]
    assert ModelLogEntry.objects.filter(action="home.personal_data.export").exists()


def test_export_holds_nothing_of_other_people(client):
    author, draft = _member_with_content()
    other = MembershipFactory(group=author.group)
    client.force_login(other.user)

    response = _reauthenticated_post(client, "/pl/privacy/my-data/download/")

    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert "Mój komentarz" not in archive.read("data.json").decode()
    assert not [name for name in archive.namelist() if name.startswith("files/")]


def test_deleting_the_account_keeps_the_groups_record_as_a_former_member(client):
    author, draft = _member_with_content()
    email = author.user.email
    mail_queue(to=[email.upper()], subject="Do osoby", body="", kind="test")
    mail_queue(to=["inna@example.org"], subject="Do innej", body="", kind="test")
    client.force_login(author.user)

    response = _reauthenticated_post(
        client, "/pl/privacy/my-data/delete/", {"confirm": "on"}
    )

    assert response["Location"] == "/pl/"
    assert not get_user_model().objects.filter(email=email).exists()
    assert not EmailAddress.objects.filter(email=email).exists()
    assert list(OutgoingEmail.objects.values_list("subject", flat=True)) == ["Do innej"]
    comment = DraftComment.objects.get(text="Mój komentarz")
    assert comment.author is None
    assert ModelLogEntry.objects.filter(action="home.account.erase").exists()
    reader = MembershipFactory(group=author.group)
    client.force_login(reader.user)
    page = client.get(f"/pl/drafts/{draft.pk}/").content.decode()
    assert "były członek zespołu" in page
    assert author.user.last_name not in page


@pytest.mark.parametrize("ended", ["deactivated", "removed from the group"])
def test_an_account_not_erased_keeps_its_name_on_what_it_wrote(client, ended):
    """'Former member' is only for an erased account: a deactivated one, or
    one no longer in the group, is still a person with a name."""
    author, draft = _member_with_content()
    reader = MembershipFactory(group=author.group)
    if ended == "deactivated":
        author.user.is_active = False
        author.user.save()
    else:
        author.delete()
    client.force_login(reader.user)

    page = client.get(f"/pl/drafts/{draft.pk}/").content.decode()

    assert "Mój komentarz" in page
    assert author.user.get_full_name() in page
    assert "były członek zespołu" not in page


def test_deletion_without_confirmation_changes_nothing(client, user):
    client.force_login(user)

    response = _reauthenticated_post(client, "/pl/privacy/my-data/delete/")

    assert response.status_code == 400
    assert "To pole jest wymagane" in response.content.decode()
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_administrator_acts_for_someone_else_and_nobody_else_can(client, user):
    admin = UserFactory(is_superuser=True, is_staff=True)
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(f"/pl/privacy/people/{user.pk}/").status_code == 404
    assert client.post(f"/pl/privacy/people/{user.pk}/delete/").status_code == 404

    TOTP.activate(admin, SECRET)
    client.force_login(admin)
    response = _second_factor_post(
        client, f"/pl/privacy/people/{user.pk}/delete/", {"confirm": "on"}
    )

    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    entry = ModelLogEntry.objects.get(action="home.account.erase")
    assert entry.user_id == admin.pk


def test_privacy_notice_is_public_and_linked_from_every_page(client):
    assert 'href="/pl/privacy/"' in client.get("/pl/").content.decode()
    assert client.get("/uk/privacy/").status_code == 200


def test_an_owner_of_an_action_item_can_erase_their_account(client):
    """The approved minutes keep the action, owned by a former member."""
    minutes, action = approved_minutes_with_action()
    client.force_login(action.owner)

    response = _reauthenticated_post(
        client, "/pl/privacy/my-data/delete/", {"confirm": "on"}
    )

    assert response["Location"] == "/pl/"
    action = ActionItem.objects.get(pk=action.pk)
    assert action.owner is None
    assert action.description == "Zebrać dane."


def test_the_export_holds_the_persons_actions_answers_and_notifications(
    client, django_capture_on_commit_callbacks
):
    """Art. 15: what the person was given to do, answered and was told is
    theirs to read, the notifications worded in the language they read in."""
    with django_capture_on_commit_callbacks(execute=True):
        minutes, action = approved_minutes_with_action()
    owner = action.owner
    Rsvp.objects.create(meeting=minutes.meeting, user=owner, answer=Rsvp.Answer.YES)
    client.force_login(owner)

    response = _reauthenticated_post(client, "/uk/privacy/my-data/download/")

    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("data.json"))
    groups = data["workgroups"]
    assert [a["description"] for a in groups["action_items"]] == ["Zebrać dane."]
    assert [r["answer"] for r in groups["answers_to_invitations"]] == ["yes"]
    texts = [n["text"] for n in groups["notifications"]]
    assert "Вам призначено завдання: Zebrać dane." in texts
    assert f"Затверджено протокол: {minutes.meeting.title}" in texts
