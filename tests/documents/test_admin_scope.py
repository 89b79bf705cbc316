"""Editors work on the public programme in the Wagtail admin; drafts'
attachments must stay out of their reach there (SECURITY.md AC-05, AC-10)."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents.models import Document
from wagtail.models import Collection

from documents import services
from tests.documents.helpers import group_with_draft
from tests.factories import editor

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _editor_client(client):
    person = editor()
    TOTP.activate(person, "JBSWY3DPEHPK3PXP")
    client.force_login(person)
    return client


def test_editor_does_not_see_or_choose_attachments_in_the_admin(client):
    author, draft = group_with_draft()
    services.attachment_upload(
        actor=author.user,
        draft=draft,
        upload=SimpleUploadedFile("tajny-QWERTY.pdf", PDF),
    )
    _editor_client(client)

    for url in (
        "/admin/documents/",
        "/admin/documents/?q=QWERTY",
        "/admin/documents/chooser/?q=QWERTY",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "tajny-QWERTY" not in response.content.decode(), url


def test_editor_still_manages_documents_of_the_public_programme(client):
    _editor_client(client)
    public = Collection.objects.get(name="Program (publiczne)")

    response = client.post(
        "/admin/documents/multiple/add/",
        {"files[]": SimpleUploadedFile("program.pdf", PDF), "collection": public.pk},
    )

    assert response.status_code == 200
    assert Document.objects.get(title="program.pdf").collection == public
