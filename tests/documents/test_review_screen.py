"""The editor's review screen of a recommendation in the admin (issue 16):
the decision first, the draft's own language's actions numbered, and a
message that says what each decision did."""

from html import unescape

import pytest
from allauth.mfa.totp.internal.auth import TOTP

from django.contrib.messages import get_messages
from django.utils.html import strip_tags

from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from documents import review
from documents.models import Draft, RecommendationPage
from tests.documents.helpers import (
    approved_by_group,
    chair_of,
    group_with_draft,
    recommendations_section,
)
from tests.factories import editor, sign_in
from tests.pages import programme_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(client):
    tree = programme_tree(actions=3)
    for action in tree["actions"]:
        _translate_with_parents(action, "uk")
    recommendations_section(tree["programme"])
    author, draft = group_with_draft()
    draft.actions.set([tree["actions"][1]])
    chair = chair_of(draft.group)
    approved_by_group(draft, chair)
    page = review.send_to_editors(actor=chair, draft_id=draft.pk)
    person = editor()
    TOTP.activate(person, "JBSWY3DPEHPK3PXP")
    sign_in(client, person, second_factor=True)
    return tree, draft, RecommendationPage.objects.get(pk=page.pk)


def _translate_with_parents(page, language_code):
    from wagtail.models import Locale

    locale, _ = Locale.objects.get_or_create(language_code=language_code)
    translation = page.copy_for_translation(locale, copy_parents=True)
    translation.save_revision().publish()
    return translation


def _decide(client, page, action, **extra):
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": rich_text(""),
            "body": streamfield([("paragraph", rich_text("<p>Tekst.</p>"))]),
            "comments": inline_formset([]),
            "actions": [a.pk for a in page.actions.all()],
            "action-workflow-action": "true",
            "workflow-action-name": action,
            **extra,
        }
    )
    return client.post(f"/admin/pages/{page.pk}/edit/", data, follow=True)


def _text(message):
    return unescape(strip_tags(str(message))).strip()


def test_the_decision_comes_first_with_approve_as_the_main_button(client, in_review):
    tree, draft, page = in_review

    html = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()

    main = html.index('data-workflow-action-name="approve"')
    assert main < html.index('data-workflow-action-name="reject"')
    assert main < html.index('name="action-publish"')


def test_the_actions_are_the_drafts_language_numbered_and_chosen(client, in_review):
    tree, draft, page = in_review

    form = client.get(f"/admin/pages/{page.pk}/edit/").context["form"]

    field = form.fields["actions"]
    assert list(field.queryset) == tree["actions"]
    assert [field.label_from_instance(a) for a in field.queryset] == [
        a.numbered_title for a in tree["actions"]
    ]
    assert tree["actions"][0].numbered_title.startswith("1.1.1.")
    assert form.initial["actions"] == [tree["actions"][1].pk]


def test_a_translations_form_offers_and_keeps_its_own_languages_actions(in_review):
    from documents.forms import RecommendationPageForm

    tree, draft, page = in_review
    page.get_latest_revision().publish()
    ukrainian = _translate_with_parents(
        RecommendationPage.objects.get(pk=page.pk), "uk"
    )

    form_class = ukrainian.get_edit_handler().get_form_class()
    form = form_class(instance=ukrainian, for_user=editor())

    assert issubclass(form_class, RecommendationPageForm)
    uk_action = tree["actions"][1].get_translation(ukrainian.locale)
    assert form.initial["actions"] == [uk_action.pk]
    assert set(form.fields["actions"].queryset) == {
        a.get_translation(ukrainian.locale) for a in tree["actions"]
    }


def test_approving_says_it_published_and_requesting_changes_says_so(client, in_review):
    tree, draft, page = in_review

    response = _decide(client, page, "approve")

    said = [_text(m) for m in get_messages(response.wsgi_request)]
    assert said == [
        f"Zatwierdzono: rekomendacja „{page.title}” jest opublikowana, a jej "
        "zespół został powiadomiony."
    ]
    draft.refresh_from_db()
    assert draft.status == Draft.Status.PUBLISHED


def test_requesting_changes_says_the_draft_went_back(client, in_review):
    tree, draft, page = in_review

    response = _decide(
        client,
        page,
        "reject",
        **{"workflow-action-extra-data": '{"comment": "Skrócić."}'},
    )

    said = [_text(m) for m in get_messages(response.wsgi_request)]
    assert said == [
        f"Poproszono o zmiany: „{page.title}” wróciło do zespołu roboczego z "
        "Twoim komentarzem; strona publiczna się nie zmieniła."
    ]
    draft.refresh_from_db()
    assert draft.status == Draft.Status.DRAFT
