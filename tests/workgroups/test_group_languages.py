"""Working groups and integration areas in the reader's language
(docs/subsystems/public-programme.md#working-groups-and-integration-areas): the
Ukrainian and English names and descriptions where they are filled in, the
Polish ones, marked ``lang="pl"``, where they are not."""

import re

import pytest

from documents.models import RecommendationPage
from tests.documents.helpers import (
    chair_of,
    decision_in_approved_minutes,
    group_with_draft,
    recommendations_section,
)
from tests.factories import UserFactory, sign_in
from tests.pages import home_page, programme_tree, publish, translate
from tests.workgroups.factories import (
    IntegrationAreaFactory,
    MembershipFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db


def main(html):
    return html[html.index("<main") : html.index("</main>")]


def translated_group(**overrides):
    area = IntegrationAreaFactory(
        name="Rynek pracy", name_uk="Ринок праці", name_en="Labour market"
    )
    fields = {
        "area": area,
        "name": "Zespół rynku pracy",
        "name_uk": "Група з питань ринку праці",
        "name_en": "Labour market group",
        "description": "Zatrudnienie cudzoziemców.",
        "description_uk": "Працевлаштування іноземців.",
        "description_en": "Employment of foreigners.",
    }
    return WorkingGroupFactory(**(fields | overrides))


@pytest.mark.parametrize(
    ("code", "name", "area", "description"),
    [
        ("pl", "Zespół rynku pracy", "Rynek pracy", "Zatrudnienie cudzoziemców."),
        ("uk", "Група з питань ринку праці", "Ринок праці", "Працевлаштування"),
        ("en", "Labour market group", "Labour market", "Employment of foreigners."),
    ],
)
def test_the_public_profile_and_list_speak_the_readers_language(
    client, code, name, area, description
):
    group = translated_group()

    profile = client.get(f"/{code}/zespoly/{group.slug}/").content.decode()
    listing = client.get(f"/{code}/zespoly/").content.decode()

    assert f"<h1>{name}</h1>" in profile
    assert f"<title>{name} —" in profile
    assert f"<dd>{area}</dd>" in profile
    assert description in profile
    assert f">{name}</a>" in listing and f"<p>{area}</p>" in listing
    if code != "pl":
        assert "Zespół rynku pracy" not in profile + listing
        assert 'lang="pl"' not in main(profile) + main(listing)


def test_a_missing_translation_falls_back_to_polish_marked_as_polish(client):
    group = translated_group(name_en="", description_en="")
    group.area.name_en = ""
    group.area.save()

    profile = client.get(f"/en/zespoly/{group.slug}/").content.decode()
    listing = client.get("/en/zespoly/").content.decode()

    assert '<h1 lang="pl">Zespół rynku pracy</h1>' in profile
    assert '<dd lang="pl">Rynek pracy</dd>' in profile
    assert '<p class="lead" lang="pl">Zatrudnienie cudzoziemców.</p>' in profile
    assert 'lang="pl">Zespół rynku pracy</a>' in listing
    assert '<p lang="pl">Rynek pracy</p>' in listing
    # Ukrainian is still filled in and unmarked.
    uk = client.get(f"/uk/zespoly/{group.slug}/").content.decode()
    assert "<h1>Група з питань ринку праці</h1>" in uk


def test_a_member_sees_the_group_in_their_language_in_the_workspace(client):
    group = translated_group(description_en="")
    membership = MembershipFactory(group=group)
    sign_in(client, membership.user)

    page = client.get(f"/en/workspace/groups/{group.pk}/").content.decode()
    dashboard = client.get("/en/workspace/").content.decode()

    assert "<h1>Labour market group</h1>" in page
    assert "Labour market ·" in page
    assert '<p lang="pl">Zatrudnienie cudzoziemców.</p>' in page
    assert "Labour market group</a>" in dashboard


def test_the_administrator_edits_the_names_in_all_three_languages(client):
    group = translated_group()
    sign_in(client, UserFactory(is_superuser=True, is_staff=True), second_factor=True)

    form = client.get(
        f"/admin/snippets/workgroups/workinggroup/edit/{group.pk}/"
    ).content.decode()
    area_form = client.get(
        f"/admin/snippets/workgroups/integrationarea/edit/{group.area.pk}/"
    ).content.decode()

    for field in ("name", "name_uk", "name_en", "description_uk", "description_en"):
        assert re.search(rf'name="{field}"', form), field
        assert re.search(rf'name="{field}"', area_form), field
    assert "Labour market group" in form and "Ринок праці" in area_form


def _queries(client, url):
    """Queries of one anonymous reading (Wagtail's site-root caches warmed
    by a first one)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_group_list_query_count_does_not_grow_with_groups(client):
    WorkingGroupFactory(name_en="Group", area=IntegrationAreaFactory())
    small, _html = _queries(client, "/en/zespoly/")
    for _ in range(15):
        WorkingGroupFactory(name_en="Group", area=IntegrationAreaFactory())

    large, html = _queries(client, "/en/zespoly/")

    assert html.count("<h2>") >= 16
    assert large == small <= 10


def test_a_group_profile_query_count_does_not_grow_with_members_or_pages(client):
    group = translated_group()
    _, draft = group_with_draft(group=group)
    decision = decision_in_approved_minutes(draft, chair_of(group))
    index = recommendations_section(programme_tree()["programme"])

    def grow(members, pages):
        for _ in range(members):
            MembershipFactory(group=group, listed_publicly=True)
        for _ in range(pages):
            number = RecommendationPage.objects.count() + 1
            publish(
                index,
                RecommendationPage(
                    title=f"Rekomendacja {number}",
                    slug=f"rek-{number}",
                    group=group,
                    decision=decision,
                ),
            )
        return _queries(client, f"/pl/zespoly/{group.slug}/")

    small, _html = grow(1, 1)
    large, html = grow(12, 6)

    assert html.count("Rekomendacja ") == 7
    assert large == small <= 10


def test_a_recommendation_names_its_group_in_the_readers_language(client):
    group = translated_group(name_en="")
    _, draft = group_with_draft(group=group)
    decision = decision_in_approved_minutes(draft, chair_of(group))
    programme = programme_tree(directions=1)["programme"]
    index = recommendations_section(programme)
    page = publish(
        index,
        RecommendationPage(
            title="Rekomendacja", slug="rek", group=group, decision=decision
        ),
    )
    for ancestor in (home_page(), programme, index):
        translate(ancestor, "uk")
        translate(ancestor, "en")
    ukrainian, english = translate(page, "uk"), translate(page, "en")

    uk = client.get(ukrainian.url).content.decode()
    en = client.get(english.url).content.decode()
    en_list = client.get(english.get_parent().url).content.decode()

    assert "Група з питань ринку праці</a> (Ринок праці)" in uk
    assert '<span lang="pl">Zespół rynku pracy</span></a> (Labour market)' in en
    assert '<span lang="pl">Zespół rynku pracy</span>,' in en_list
