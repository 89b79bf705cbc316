import io
import re
import zipfile

import pytest
from docx import Document

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError
from django.test import override_settings

from wagtail.documents import get_document_model

from documents import services
from documents.models import DraftAttachment
from documents.uploads import clean_name
from tests.documents.helpers import group_with_draft, opened_form
from tests.factories import UserFactory
from tests.workgroups.factories import MembershipFactory
from workgroups.models import Membership

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _comparable(html, draft_id):
    """A 404 page without what differs by request: the token and the path."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(f"/drafts/{draft_id}/", "/drafts/ID/")


def _urls(draft, attachment=None):
    urls = [
        f"/pl/drafts/groups/{draft.group_id}/",
        f"/pl/drafts/{draft.pk}/",
        f"/pl/drafts/{draft.pk}/versions/",
        f"/pl/drafts/{draft.pk}/compare/?a=1&b=1",
        f"/pl/drafts/{draft.pk}/edit/",
    ]
    if attachment:
        urls.append(f"/pl/drafts/{draft.pk}/attachments/{attachment.pk}/")
    return urls


def _upload(client, draft, name, content):
    return client.post(
        f"/pl/drafts/{draft.pk}/attachments/",
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_members_read_every_draft_page(client):
    author, draft = group_with_draft()
    client.force_login(author.user)
    _upload(client, draft, "raport.pdf", PDF)
    attachment = DraftAttachment.objects.get()

    for url in _urls(draft, attachment):
        assert client.get(url).status_code == 200, url


def test_outsiders_get_404_and_never_a_byte_of_the_draft(client):
    author, draft = group_with_draft(text="Tajny akapit XYZZY.")
    client.force_login(author.user)
    _upload(client, draft, "raport.pdf", PDF)
    attachment = DraftAttachment.objects.get()
    client.force_login(MembershipFactory().user)

    for url in _urls(draft, attachment):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"XYZZY" not in response.content
    missing = client.get(f"/pl/drafts/{draft.pk + 999}/")
    assert missing.status_code == 404
    foreign = client.get(f"/pl/drafts/{draft.pk}/").content.decode()
    assert _comparable(missing.content.decode(), draft.pk + 999) == _comparable(
        foreign, draft.pk
    )


def test_anonymous_is_asked_to_sign_in(client):
    _, draft = group_with_draft()

    for url in _urls(draft):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/pl/accounts/login/")


def test_observer_reads_but_cannot_edit_comment_or_attach(client):
    author, draft = group_with_draft()
    observer = MembershipFactory(group=author.group, role=Membership.Role.OBSERVER)
    client.force_login(observer.user)

    assert client.get(f"/pl/drafts/{draft.pk}/").status_code == 200
    assert client.get(f"/pl/drafts/{draft.pk}/edit/").status_code == 404
    block_id = draft.paragraphs()[0][0]
    comment = client.post(
        f"/pl/drafts/{draft.pk}/comments/", {"block_id": block_id, "text": "x"}
    )
    assert comment.status_code == 404
    assert _upload(client, draft, "a.pdf", PDF).status_code == 404
    assert not draft.comments.exists()


def test_second_save_from_an_old_version_is_refused_and_shows_both_texts(client):
    author, draft = group_with_draft()
    other = MembershipFactory(group=author.group)
    client.force_login(other.user)
    form = opened_form(client, draft)
    first = client.post(
        f"/pl/drafts/{draft.pk}/edit/", form | {"text": "Tekst pierwszej osoby."}
    )
    assert first.status_code == 302
    client.force_login(author.user)

    second = client.post(
        f"/pl/drafts/{draft.pk}/edit/", form | {"text": "Tekst drugiej osoby."}
    )

    assert second.status_code == 409
    html = second.content.decode()
    assert "Ktoś inny zapisał ten projekt" in html
    assert "Tekst drugiej osoby." in html  # kept in the form
    assert "[usunięto: </span>pierwszej" in html  # the saved text, compared
    assert 'name="base_version" value="2"' in html
    draft.refresh_from_db()
    assert draft.paragraphs()[0][2] == "Tekst pierwszej osoby."


def test_comparison_marks_changes_in_words_not_colour_alone(client):
    author, draft = group_with_draft(text="Ala ma kota.")
    client.force_login(author.user)
    client.post(
        f"/pl/drafts/{draft.pk}/edit/",
        opened_form(client, draft, title="R", text="Ala ma psa."),
    )

    html = client.get(f"/pl/drafts/{draft.pk}/compare/?a=1&b=2").content.decode()

    assert '<del><span class="visually-hidden">[usunięto: </span>kota.' in html
    assert '<ins><span class="visually-hidden">[dodano: </span>psa.' in html


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (
            "rysunek.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "Plików tego typu",
        ),
        ("strona.pdf", b"<html><script>alert(1)</script></html>", "nie odpowiada"),
        ("program.exe", b"MZ\x90\x00", "Plików tego typu"),
        ("obraz.png", PDF, "nie odpowiada"),
        ("pusty.pdf", b"", "jest pusty"),
    ],
)
def test_dangerous_or_mislabelled_files_are_refused_with_a_reason(
    client, name, content, reason
):
    author, draft = group_with_draft()
    client.force_login(author.user)

    response = _upload(client, draft, name, content)

    assert reason in response.content.decode()
    assert not DraftAttachment.objects.exists()


@override_settings(DRAFT_ATTACHMENT_MAX_SIZE=1024)
def test_oversized_file_is_refused_with_the_limit(client):
    author, draft = group_with_draft()
    client.force_login(author.user)

    response = _upload(client, draft, "duzy.pdf", PDF + b"0" * 2048)

    assert "za duży" in response.content.decode()
    assert "1,0" in response.content.decode()
    assert not DraftAttachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("zdjęcie.png", PNG),
        ("notatka.docx", _docx()),
        ("dane.csv", b"a;b\n1;2\n"),
    ],
)
def test_allowed_files_are_attached(client, name, content):
    author, draft = group_with_draft()
    client.force_login(author.user)

    _upload(client, draft, name, content)

    attachment = DraftAttachment.objects.get()
    assert attachment.document.title == name
    assert name not in attachment.document.file.name  # stored under a generated name


def test_a_failed_upload_leaves_no_file_behind(monkeypatch):
    author, draft = group_with_draft()
    storage = get_document_model().file.field.storage

    def stored_files():
        found, folders = set(), [""]
        while folders:
            folder = folders.pop()
            if folder and not storage.exists(folder):
                continue
            subfolders, files = storage.listdir(folder)
            found |= {f"{folder}/{name}" for name in files}
            folders += [f"{folder}/{name}".lstrip("/") for name in subfolders]
        return found

    before = stored_files()

    def database_fails(*args, **kwargs):
        raise DatabaseError("the commit failed")

    monkeypatch.setattr(services, "log", database_fails)
    with pytest.raises(DatabaseError):
        services.attachment_upload(
            actor=author.user,
            draft=draft,
            upload=SimpleUploadedFile("raport.pdf", PDF),
        )

    assert not DraftAttachment.objects.exists()
    assert not get_document_model().objects.filter(title="raport.pdf").exists()
    assert stored_files() == before


def test_file_names_are_cleaned():
    assert clean_name("../../etc/passwd.pdf") == "passwd.pdf"
    assert clean_name("C:\\Users\\x\\raport.pdf") == "raport.pdf"
    assert clean_name("raport\u202efdp.exe") == "raportfdp.exe"
    assert clean_name("a\r\nb\x00c.pdf") == "abc.pdf"
    assert clean_name('x";y.pdf') == "x__y.pdf"
    assert len(clean_name("ą" * 300 + ".pdf")) == 150


def test_attachment_is_served_as_a_download_only_to_members(client):
    author, draft = group_with_draft()
    client.force_login(author.user)
    _upload(client, draft, "raport.pdf", PDF)
    attachment = DraftAttachment.objects.get()
    url = f"/pl/drafts/{draft.pk}/attachments/{attachment.pk}/"

    response = client.get(url)

    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == PDF
    client.force_login(MembershipFactory().user)
    assert client.get(url).status_code == 404
    other_draft = group_with_draft()[1]
    wrong_pair = f"/pl/drafts/{other_draft.pk}/attachments/{attachment.pk}/"
    client.force_login(author.user)
    assert client.get(wrong_pair).status_code == 404


def test_wagtail_document_url_refuses_outsiders(client):
    author, draft = group_with_draft()
    client.force_login(author.user)
    _upload(client, draft, "raport.pdf", PDF)
    document = DraftAttachment.objects.get().document
    url = f"/documents/{document.pk}/{document.filename}"

    assert client.get(url).status_code == 200
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code in (302, 404)


def test_draft_page_query_count_does_not_grow_with_comments(
    client, django_assert_max_num_queries
):
    author, draft = group_with_draft(
        text="\n\n".join(f"Akapit {i}." for i in range(30))
    )
    client.force_login(author.user)
    for block_id, _, _ in draft.paragraphs():
        client.post(
            f"/pl/drafts/{draft.pk}/comments/", {"block_id": block_id, "text": "Uwaga"}
        )

    # Constant: review state, actions and history add four queries.
    with django_assert_max_num_queries(21):
        response = client.get(f"/pl/drafts/{draft.pk}/")

    assert response.content.decode().count("Uwaga") == 30


def test_members_see_who_else_has_the_draft_open(client):
    author, draft = group_with_draft()
    other = MembershipFactory(group=author.group)
    client.force_login(other.user)
    client.get(f"/pl/drafts/{draft.pk}/edit/")
    client.force_login(author.user)

    html = client.get(f"/pl/drafts/{draft.pk}/").content.decode()
    heartbeat = client.post(f"/pl/drafts/{draft.pk}/presence/").content.decode()

    expected = f"{other.user.get_full_name()} (edytuje)"
    assert expected in html
    assert expected in heartbeat
    client.force_login(MembershipFactory().user)
    assert client.post(f"/pl/drafts/{draft.pk}/presence/").status_code == 404


def test_draft_exports_as_a_printable_page_and_a_docx_file(client):
    author, draft = group_with_draft(text="# Rekomendacje\n\nAkapit do druku.")
    client.force_login(author.user)

    printable = client.get(f"/pl/drafts/{draft.pk}/print/").content.decode()
    docx_response = client.get(f"/pl/drafts/{draft.pk}/export.docx")

    assert "Akapit do druku." in printable
    assert "wersja 1" in printable
    assert docx_response["Content-Disposition"].startswith("attachment;")
    document = Document(io.BytesIO(docx_response.content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "Rekomendacja" in texts
    assert "Rekomendacje" in texts
    assert "Akapit do druku." in texts
    client.force_login(MembershipFactory().user)
    assert client.get(f"/pl/drafts/{draft.pk}/export.docx").status_code == 404
    assert client.get(f"/pl/drafts/{draft.pk}/print/").status_code == 404


def test_dashboard_and_group_page_lead_to_the_groups_drafts(client):
    author, draft = group_with_draft()
    _, foreign_draft = group_with_draft()
    client.force_login(author.user)

    dashboard = client.get("/pl/workspace/").content.decode()
    group_page = client.get(f"/pl/workspace/groups/{author.group_id}/").content.decode()

    assert f'href="/pl/drafts/{draft.pk}/"' in dashboard
    assert f'href="/pl/drafts/{foreign_draft.pk}/"' not in dashboard
    assert f'href="/pl/drafts/groups/{author.group_id}/"' in group_page
    assert f'href="/pl/discussion/{author.group_id}/"' in group_page
