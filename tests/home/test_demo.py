import io
import json
from pathlib import Path

import pytest

from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from home.demo import DEMO_ACCOUNTS, demo_password
from home.demo.data import LANGUAGES
from tests.conftest import written_once

# The module loads the whole demo content once (seconds).
pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """The demo loaded once for the module (each test's changes are rolled
    back); what ``load_demo`` printed."""
    output = io.StringIO()
    with written_once(django_db_blocker):
        call_command("load_demo", stdout=output)
        yield output.getvalue()


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def test_load_demo_twice_changes_nothing(demo_output):
    first = _row_counts()

    call_command("load_demo", stdout=io.StringIO())

    assert _row_counts() == first


def test_demo_accounts_sign_in_with_the_demo_password(demo_output):
    for email, *_ in DEMO_ACCOUNTS:
        assert authenticate(username=email, password=demo_password()) is not None
        assert email in demo_output


def test_demo_password_comes_from_the_environment(demo_output, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-password")
    call_command("load_demo", stdout=io.StringIO())

    assert authenticate(
        username="ekspert@example.org", password="another-demo-password"
    )


def _demo_data_files():
    return sorted(
        path
        for config in apps.get_app_configs()
        for path in Path(config.path, "demo").glob("*.json")
    )


def _per_language_values(value, where):
    """``(where, value)`` of every object in the data that names a language."""
    if isinstance(value, dict) and set(value) & set(LANGUAGES):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _per_language_values(item, f"{where}.{key}")
    elif isinstance(value, list):
        for position, item in enumerate(value):
            yield from _per_language_values(item, f"{where}[{position}]")


def test_every_translated_demo_value_is_given_in_polish_ukrainian_and_english():
    files = _demo_data_files()
    values = [
        found
        for path in files
        for found in _per_language_values(
            json.loads(path.read_text(encoding="utf-8")), path.name
        )
    ]
    incomplete = [
        where
        for where, value in values
        if list(value) != list(LANGUAGES)
        or not all(value.values())
        or len({type(text) for text in value.values()}) != 1
    ]

    assert {path.parent.parent.name for path in files} == {
        "home",
        "workgroups",
        "documents",
    }
    # The walk reaches into the programme's tree of goals and actions.
    assert "programme.json.goals[1].directions[1].actions[2].title" in dict(values)
    assert incomplete == []


def test_rynek_pracy_has_one_open_and_one_closed_proposal(demo_output):
    from workgroups.models import Decision, Proposal

    proposals = Proposal.objects.filter(group__slug="rynek-pracy")
    assert proposals.filter(status="open").count() == 1
    closed = proposals.get(status="closed")
    assert closed.outcome == "carried"
    assert closed.decision in Decision.objects.registered()
    assert closed.decision.agenda_item.kind == "matters_arising"


def test_demo_notifications_read_in_each_accounts_language(client, demo_output):
    """Olga Obserwatorka chose Ukrainian: her notifications, read at /uk/,
    are in Ukrainian and link to /uk/; the chair reads the same in Polish."""
    from django.contrib.auth import get_user_model

    from workgroups.models import Notification

    users = get_user_model().objects
    olga = users.get(email="obserwatorka@example.org")
    kinds = set(Notification.objects.filter(user=olga).values_list("kind", flat=True))
    assert {"meeting_scheduled", "minutes_approved", "proposal_opened"} <= kinds
    client.force_login(olga)
    ukrainian = client.get("/uk/workspace/notifications/").text
    client.force_login(users.get(email="przewodniczaca@example.org"))
    polish = client.get("/pl/workspace/notifications/").text
    assert "Заплановано засідання" in ukrainian
    assert 'href="/uk/workspace/meetings/' in ukrainian
    assert "Zaplanowano spotkanie" in polish
    assert "Zaplanowano spotkanie" not in ukrainian


def test_the_demos_sections_and_recommendation_are_real_translations(
    demo_output, client
):
    from documents.models import RecommendationIndexPage, RecommendationPage

    sections = RecommendationIndexPage.objects.all()
    (published,) = RecommendationPage.objects.filter(locale__language_code="pl")
    translations = published.get_translations().live()

    assert len({section.translation_key for section in sections}) == 1
    assert sections.count() == 3
    assert {t.locale.language_code for t in translations} == {"uk", "en"}
    for translation in translations:
        assert translation.get_parent().translation_key == sections[0].translation_key
        assert translation.url.startswith(f"/{translation.locale.language_code}/")
    html = client.get(published.url).content.decode()
    for translation in translations:
        assert f'href="{translation.url}"' in html  # the language switcher


def test_the_demos_documents_page_offers_the_summary_in_three_languages(
    demo_output, client
):
    from home.models import DocumentsPage

    pages = DocumentsPage.objects.live().order_by("locale__pk")
    (summary,) = {
        download["document"]
        for page in pages
        for section in page.documents
        for download in section.value["documents"]
    }

    assert len({page.translation_key for page in pages}) == 1
    assert {page.locale.language_code for page in pages} == set(LANGUAGES)
    assert summary.collection.name == "Program (publiczne)"
    assert client.get(summary.url).status_code == 200
    for page in pages:
        html = client.get(page.url).content.decode()
        assert f'href="{summary.url}"' in html and "docx/" in html


def test_the_demo_has_a_draft_its_experts_write_together_live(client, demo_output):
    """A newcomer signed in as the demo expert finds a draft being written
    whose edit page opens the live editor, writable."""
    from django.urls import reverse

    from documents.demo import WRITING_TITLE
    from documents.models import Draft

    draft = Draft.objects.get(title=WRITING_TITLE)
    client.force_login(
        authenticate(username="ekspert@example.org", password=demo_password())
    )

    page = client.get(reverse("documents:edit", args=[draft.pk]))

    assert page.status_code == 200
    script = page.content.decode().split('id="live-editor-config"', 1)[1]
    config = json.loads(script.split(">", 1)[1].split("</script>", 1)[0])
    assert config["writable"] is True
    assert config["url"] == f"/ws/drafts/{draft.pk}/"


def test_the_demo_draft_in_group_review_carries_the_experts_open_suggestions(
    client, demo_output
):
    """A newcomer signed in as the demo chair finds the experts' open
    suggestions in the draft in group review, and may decide them."""
    from django.urls import reverse

    from documents.demo import TITLE
    from documents.live import store
    from documents.live.suggestions import open_suggestions
    from documents.models import Draft

    draft = Draft.objects.get(title=TITLE)
    found = open_suggestions(store.load_doc(draft.pk)).values()
    authors = {get_user_model().objects.get(pk=each.author_id).email for each in found}
    client.force_login(
        authenticate(username="przewodniczaca@example.org", password=demo_password())
    )
    page = client.get(reverse("documents:edit", args=[draft.pk]))

    assert draft.status == Draft.Status.GROUP_REVIEW
    assert {each.kind for each in found} == {"insertion", "deletion"}
    assert authors == {"ekspert@example.org", "sekretarz@example.org"}
    assert page.context["live"]["mayDecide"] is True
    assert page.context["live"]["suggestOnly"] is True


def test_the_draft_in_review_carries_the_experts_comments_on_phrases(
    client, demo_output
):
    """A newcomer sees comments on any text on the draft in group review:
    the demo expert's, each on its phrase, one with the chair's reply."""
    from django.urls import reverse

    from documents import selectors
    from documents.demo import TITLE
    from documents.models import Draft

    draft = Draft.objects.get(title=TITLE)
    threads = selectors.comment_threads(draft)
    ranges = {
        t.anchored_text: t for t in threads if t.author.email == "ekspert@example.org"
    }

    assert set(ranges) == {
        "w przygotowaniu dokumentów",
        "zweryfikować status swojego pobytu",
    }
    assert not any(thread.text_removed for thread in threads)
    assert ranges["w przygotowaniu dokumentów"].thread_replies
    client.force_login(
        authenticate(username="ekspert@example.org", password=demo_password())
    )
    page = client.get(reverse("documents:edit", args=[draft.pk])).content.decode()
    assert page.count("data-anchor-start=") == len(threads)
