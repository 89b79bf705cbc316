"""An editor's working day in the Wagtail admin (issue 16): the preview panel,
publishing the programme, the workflow's names and the admin's Polish."""

import re
from html.parser import HTMLParser

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from django.test import Client

from tests.documents.helpers import (
    approved_by_group,
    chair_of,
    group_with_draft,
    recommendations_section,
)
from tests.factories import editor, sign_in
from tests.pages import programme_tree

pytestmark = pytest.mark.django_db


def _editor_client(client):
    person = editor()
    TOTP.activate(person, "JBSWY3DPEHPK3PXP")
    return sign_in(client, person, second_factor=True)


def test_the_admins_preview_may_be_framed_by_the_admin_only(rf):
    """Wagtail renders a preview through the whole middleware chain with a
    request for the page's public URL; the panel frames that answer."""
    action = programme_tree()["actions"][0]
    admin_request = rf.get(f"/admin/pages/{action.pk}/edit/preview/")
    admin_request.user = editor()

    preview = action.make_preview_request(admin_request)
    public = Client().get(action.url)

    assert preview.status_code == public.status_code == 200
    policy = preview["Content-Security-Policy"]
    assert (
        "frame-ancestors 'self'" in policy
        and "'none'" not in policy.split("frame-ancestors")[1].split(";")[0]
    )
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'none'" in public["Content-Security-Policy"]
    assert public["X-Frame-Options"] == "DENY"


def test_editors_publish_programme_pages_without_a_workflow():
    tree = programme_tree()
    person = editor()

    for page in (tree["programme"], tree["actions"][0]):
        assert page.get_workflow() is None, page
        permissions = page.permissions_for_user(person)
        assert permissions.can_publish() and permissions.can_lock(), page


def test_editors_may_translate_and_the_install_moderators_are_gone():
    from django.contrib.auth.models import Group

    from wagtail.models import Workflow

    assert editor().has_perm("simple_translation.submit_translation")
    assert not Group.objects.filter(name="Moderators").exists()
    assert not Workflow.objects.filter(name="Moderators approval").exists()


def test_the_recommendation_review_is_named_in_polish_and_approved_by_editors():
    from wagtail.models import Workflow

    from documents import review

    workflow = Workflow.objects.get(name=review.WORKFLOW_NAME)
    (task,) = [task.specific for task in workflow.tasks]

    assert workflow.name == "Przegląd redakcyjny rekomendacji"
    assert task.name == "Przegląd rekomendacji przez Redakcję"
    assert [group.name for group in task.groups.all()] == ["Editors"]


# Words of an English sentence that no Polish one contains (so not "to",
# "on", "by", "was" or "no", which are Polish words too).
ENGLISH = re.compile(
    r"\b(the|of|and|None|is|are|you|your|this|with|has|have|been|for|from|in|"
    r"it|Images?|Documents?|Pages?|created|Edit|Save|Publish|Cancel|Approve|"
    r"Autosave|Usage|Focus|Reviewers|Actions?|Search|Add|Delete|Toggle|Close|Sort|"
    r"Filters?|Select|Choose|Upload)\b",
    re.IGNORECASE,
)


class _VisibleText(HTMLParser):
    """The text a sighted or screen-reader user meets (names given in
    ``aria-label``, ``title`` and ``alt`` too): not scripts, styles,
    templates for scripts or elements marked ``hidden``."""

    HIDDEN = {"script", "style", "template"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link"}
    VOID |= {"meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.open = []  # (tag, hides) of the elements we are inside
        self.lines = []

    def handle_starttag(self, tag, attrs):
        names = [dict(attrs).get(name) for name in ("aria-label", "title", "alt")]
        if not any(hides for _, hides in self.open):
            self.lines += [" ".join(name.split()) for name in names if name]
        if tag not in self.VOID:
            hides = tag in self.HIDDEN or "hidden" in dict(attrs)
            self.open.append((tag, hides))

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if data.strip() and not any(hides for _, hides in self.open):
            self.lines.append(" ".join(data.split()))


# A page type's code name (the page types' report lists them): no sentence.
IDENTIFIER = re.compile(r"[a-z_]+\.[a-z_]+")


def english_sentences(html):
    parser = _VisibleText()
    parser.feed(html)
    return [
        line
        for line in parser.lines
        if ENGLISH.search(line) and not IDENTIFIER.fullmatch(line)
    ]


def test_the_screens_an_editor_meets_have_no_english_sentence(client):
    from documents import review

    tree = programme_tree()
    recommendations_section(tree["programme"])
    author, draft = group_with_draft()
    chair = chair_of(draft.group)
    approved_by_group(draft, chair)
    page = review.send_to_editors(actor=chair, draft_id=draft.pk)
    action, programme = tree["actions"][0], tree["programme"]
    _editor_client(client)

    for url in (
        "/admin/",
        f"/admin/pages/{programme.pk}/",
        f"/admin/pages/{programme.pk}/?ordering=ord",
        f"/admin/pages/{page.pk}/edit/",
        f"/admin/pages/{action.pk}/edit/",
        f"/admin/pages/{page.pk}/history/",
        f"/admin/translation/submit/page/{page.pk}/",
        "/admin/documents/",
        "/admin/images/",
        "/admin/reports/workflow/",
        "/admin/reports/workflow_tasks/",
        "/admin/reports/locked/",
        "/admin/reports/site-history/",
        "/admin/reports/aging-pages/",
        "/admin/reports/page-types-usage/",
        "/admin/snippets/home/infopoint/",  # empty: "There are no …"
        "/admin/snippets/home/infopoint/?q=zzz",
        "/admin/documents/?q=zzz",
        "/admin/images/?q=zzz",
        "/admin/account/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert english_sentences(response.content.decode()) == [], url


def test_avatars_are_the_initials_drawn_by_the_site_not_an_outside_service(client):
    _editor_client(client)
    request_user = client.get("/admin/").wsgi_request.user
    request_user.first_name, request_user.last_name = "Ewa", "Nowak"
    request_user.save()

    html = client.get("/admin/").content.decode()

    assert "gravatar" not in html.lower()
    assert "data:image/svg+xml" in html and "%3EEN%3C/text%3E" in html


# What docs/editors.md tells the editor to look for, by the screen that
# shows it (names of the demo's pages are checked in tests/home/test_demo.py).
GUIDE_NAMES = {
    "dashboard": [
        "Kokpit",
        "Oczekujące na Twoją weryfikację",
        "Tłumaczenia do zrobienia",
        "przetłumacz",
        "Co się zmieniło",
        "plik PO",
        "import",
        "Tytuł",
        "Strony",
        "Punkty informacyjne",
        "Obrazy",
        "Dokumenty",
        "Raporty",
    ],
    "review": [
        "Podgląd",
        "Działania programu",
        "Akceptuj i Opublikuj",
        "Poproś o zmiany",
        "Anuluj proces",
        "Przegląd redakcyjny rekomendacji",
    ],
    "action": [
        "Obecny status",
        "Wartość bieżąca",
        "Zapisz szkic",
        "Więcej akcji",
        "Opublikuj",
        'aria-label="Działania"',
        "Edytuj",
        "Tłumacz",
    ],
    "programme": ["Dokumenty do pobrania", "Wybierz dokument"],
    "documents": ["Dodaj dokument"],
    "translate": ["Lokalizacje", "Українська", "English", "Wyślij"],
    "info points": ["Zapisz", "Historia"],
    "explorer": ["Edytuj tę stronę", "Przeglądaj strony pochodne"],
}


def test_the_names_this_guide_gives_are_what_the_admin_shows(client):
    from html import unescape
    from pathlib import Path

    from wagtail.models import Locale

    from home.models import InfoPoint
    from tests.home.test_translation_status import _edit, _translate

    tree = programme_tree()
    recommendations_section(tree["programme"])
    page = _in_review()
    action = tree["actions"][0]
    _translate(action, "uk", title="Дія")  # then outdated, and English missing
    _edit(action, title="Działanie poprawione")
    Locale.objects.get_or_create(language_code="en")
    point = InfoPoint.objects.create(name="Punkt w Krakowie")
    _editor_client(client)
    screens = {
        "dashboard": "/admin/",
        "review": f"/admin/pages/{page.pk}/edit/",
        "action": f"/admin/pages/{action.pk}/edit/",
        "programme": f"/admin/pages/{tree['programme'].pk}/edit/",
        "documents": "/admin/documents/",
        "translate": f"/admin/translation/submit/page/{tree['monitoring'].pk}/",
        "info points": f"/admin/snippets/home/infopoint/edit/{point.pk}/",
        "explorer": f"/admin/pages/{tree['programme'].pk}/",
    }
    guide = (Path(__file__).parents[2] / "docs/editors.md").read_text()

    # Editors upload into the one collection they may add to: no choice.
    upload = client.get("/admin/documents/multiple/add/").content.decode()
    assert 'name="collection"' not in upload
    assert "Program (publiczne)" in guide
    for screen, names in GUIDE_NAMES.items():
        response = client.get(screens[screen])
        assert response.status_code == 200, screen
        shown = unescape(response.content.decode())
        for name in names:
            assert name in shown, (screen, name)
            assert name.removeprefix('aria-label="').strip('"') in guide, name


def _in_review():
    from documents import review

    author, draft = group_with_draft()
    chair = chair_of(draft.group)
    approved_by_group(draft, chair)
    return review.send_to_editors(actor=chair, draft_id=draft.pk)
