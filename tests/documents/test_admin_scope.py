"""Editors work on the public programme in the Wagtail admin; drafts'
attachments must stay out of their reach there (docs/security.md, AC-05, AC-10)."""

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


def test_editors_review_only_the_approved_text_with_provenance_read_only(client):
    from documents import review
    from tests.documents.helpers import (
        approved_by_group,
        chair_of,
        recommendations_section,
    )
    from tests.pages import programme_tree

    recommendations_section(programme_tree()["programme"])
    author, draft = group_with_draft(text="Tekst zatwierdzony.")
    chair = chair_of(draft.group)
    approved_by_group(draft, chair, version=1)
    page = review.send_to_editors(actor=chair, draft_id=draft.pk)
    services.draft_save(
        actor=author.user,
        draft_id=draft.pk,
        base_version=1,
        title=draft.title,
        summary="",
        text="Tekst NIEZATWIERDZONY.",
    )
    services.comment_add(
        actor=author.user,
        draft=draft,
        block_id=draft.paragraphs()[0][0],
        text="Komentarz WEWNETRZNY.",
    )
    revision = page.get_latest_revision()

    client.force_login(author.user)
    assert client.get(f"/admin/pages/{page.pk}/edit/").status_code == 302
    _editor_client(client)
    for url in (
        f"/admin/pages/{page.pk}/edit/",
        f"/admin/pages/{page.pk}/history/",
        f"/admin/pages/{page.pk}/revisions/{revision.pk}/view/",
        f"/admin/pages/{page.pk}/edit/preview/?mode=",
        "/admin/choose-page/?q=Rekomendacja",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "NIEZATWIERDZONY" not in html and "WEWNETRZNY" not in html, url
    edit = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Tekst zatwierdzony." in edit
    assert 'name="group"' not in edit and 'name="decision"' not in edit


def test_a_copy_of_a_recommendation_is_not_the_drafts_page():
    from documents import review
    from documents.models import RecommendationPage
    from tests.documents.helpers import (
        approved_by_group,
        chair_of,
        recommendations_section,
    )
    from tests.pages import programme_tree

    recommendations_section(programme_tree()["programme"])
    author, draft = group_with_draft()
    chair = chair_of(draft.group)
    approved_by_group(draft, chair, version=1)
    page = review.send_to_editors(actor=chair, draft_id=draft.pk)

    copy = page.copy(update_attrs={"slug": "kopia", "title": "Kopia"})

    assert RecommendationPage.objects.get(pk=copy.pk).draft is None
    assert RecommendationPage.objects.get(draft=draft).pk == page.pk
