"""The provenance says whether the editors changed the group's approved text
before publishing it, and shows the group what changed (issue 16)."""

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


@pytest.fixture
def sent():
    recommendations_section(programme_tree()["programme"])
    author, draft = group_with_draft(text="Pierwszy akapit.\n\nDrugi akapit.")
    chair = chair_of(draft.group)
    approved_by_group(draft, chair)
    review.send_to_editors(actor=chair, draft_id=draft.pk)
    return author, RecommendationPage.objects.filter(draft=draft).get()


def _publish(page, *, change=None):
    page = page.get_latest_revision_as_object()
    if change is not None:
        block = page.body[1]
        page.body[1] = ("paragraph", change, block.id)
    page.save_revision(user=editor()).publish()
    return RecommendationPage.objects.get(pk=page.pk)


def test_an_unchanged_text_is_said_to_be_the_groups(client, sent):
    author, page = sent

    html = client.get(_publish(page).url).content.decode()

    assert "Opublikowano w brzmieniu zatwierdzonym przez zespół" in html
    assert "Redakcja zmieniła tekst" not in html


def test_an_editors_change_is_said_and_shown_to_the_group_only(client, sent):
    from wagtail.rich_text import RichText

    author, page = sent
    page = _publish(page, change=RichText("<p>Drugi akapit, skrócony.</p>"))

    public = client.get(page.url).content.decode()
    client.force_login(author.user)
    member = client.get(page.url).content.decode()

    for html in (public, member):
        assert "Redakcja zmieniła tekst po zatwierdzeniu przez zespół" in html
    assert "<ins>" not in public and "skrócony" in public
    assert '<del><span class="visually-hidden">[usunięto: </span>akapit.' in member
    assert "akapit, skrócony." in member and "<ins>" in member
