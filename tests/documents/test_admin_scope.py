"""Editors work on the public programme in the Wagtail admin; drafts'
attachments must stay out of their reach there (docs/security.md, AC-05, AC-10)."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents.models import Document
from wagtail.models import Collection

from documents import services
from tests.documents.helpers import group_with_draft
from tests.factories import UserFactory, editor, sign_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _editor_client(client):
    person = editor()
    TOTP.activate(person, "JBSWY3DPEHPK3PXP")
    return sign_in(client, person, second_factor=True)


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
    draft.refresh_from_db()
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


def test_site_history_shows_editors_nothing_of_a_groups_private_files(client):
    """Reports → Site history lists every logged action an editor may see:
    not the titles of files in a working group's collection."""
    from django.core.files.base import ContentFile

    from wagtail.log_actions import log

    from tests.workgroups.factories import MembershipFactory
    from workgroups.collections import group_collection

    membership = MembershipFactory()
    document = Document(
        title="tajny-HISTORIA", collection=group_collection(membership.group)
    )
    document.file.save("tajny.pdf", ContentFile(PDF), save=False)
    document.save()
    admin = UserFactory(is_superuser=True)
    log(document, "wagtail.create", user=admin)
    public = Document(
        title="jawny-HISTORIA",
        collection=Collection.objects.get(name="Program (publiczne)"),
    )
    public.file.save("jawny.pdf", ContentFile(PDF), save=False)
    public.save()
    log(public, "wagtail.create", user=admin)

    sign_in(client, editor(), second_factor=True)
    for url in (
        "/admin/reports/site-history/",
        "/admin/reports/site-history/results/",
        "/admin/reports/site-history/?export=csv",
    ):
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
        assert response.status_code == 200, url
        assert b"tajny-HISTORIA" not in body, url
        assert b"jawny-HISTORIA" in body, url

    sign_in(client, admin, second_factor=True)
    assert b"tajny-HISTORIA" in client.get("/admin/reports/site-history/").content


def test_editors_choose_working_groups_but_do_not_browse_memberships(client):
    from tests.workgroups.factories import MembershipFactory

    membership = MembershipFactory()
    sign_in(client, editor(), second_factor=True)

    chooser = client.get("/admin/snippets/choose/workgroups/workinggroup/")
    assert chooser.status_code == 200
    assert membership.group.name in chooser.json()["html"]
    for url in (
        "/admin/snippets/choose/workgroups/membership/",
        "/admin/snippets/choose/workgroups/membership/results/",
        f"/admin/snippets/choose/workgroups/membership/chosen/{membership.pk}/",
        "/admin/snippets/workgroups/membership/",
    ):
        response = client.get(url)
        assert membership.user.last_name not in response.content.decode(), url
        assert response.status_code in (302, 403, 404), url
