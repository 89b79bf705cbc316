"""Readers of /uk/ and /en/ see recommendations not yet translated, marked
as Polish, and the translation where there is one (issue 16)."""

import pytest

from documents import review
from documents.models import RecommendationPage
from tests.documents.helpers import (
    approved_by_group,
    chair_of,
    group_with_draft,
    recommendations_section,
)
from tests.factories import editor
from tests.pages import programme_tree

pytestmark = pytest.mark.django_db


def _translated(page, code, **fields):
    from wagtail.models import Locale

    locale, _ = Locale.objects.get_or_create(language_code=code)
    translation = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation


@pytest.fixture
def published():
    tree = programme_tree()
    recommendations_section(tree["programme"])
    author, draft = group_with_draft()
    draft.actions.set([tree["actions"][0]])
    chair = chair_of(draft.group)
    approved_by_group(draft, chair)
    page = review.send_to_editors(actor=chair, draft_id=draft.pk)
    page = RecommendationPage.objects.get(pk=page.pk)
    page.current_workflow_state.current_task_state.approve(user=editor())
    page.refresh_from_db()
    action = tree["actions"][0]
    return page, _translated(action, "uk"), _translated(page.get_parent(), "uk")


def test_an_untranslated_recommendation_is_listed_and_marked_polish(
    client, published, django_assert_max_num_queries
):
    page, uk_action, uk_index = published

    with django_assert_max_num_queries(18):
        index = client.get(uk_index.url).content.decode()
    action = client.get(uk_action.url).content.decode()

    for html in (index, action):
        assert (
            f'<a href="{page.url}" lang="pl" hreflang="pl">{page.title}</a> '
            '<span class="other-language">(польською)</span>'
        ) in html
    assert "Ще не опубліковано" not in index


def test_a_translated_recommendation_is_listed_in_the_readers_language(
    client, published
):
    page, uk_action, uk_index = published
    translation = _translated(page, "uk", title="Рекомендація")

    index = client.get(uk_index.url).content.decode()
    action = client.get(uk_action.url).content.decode()

    for html in (index, action):
        assert f'<a href="{translation.url}">Рекомендація</a>' in html
        assert page.url not in html
