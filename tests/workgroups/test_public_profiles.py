"""The working groups' public profiles: only what is public
(docs/security.md, AC-02, PR-01): members listed with their consent,
published recommendations, nothing of the workspace."""

import pytest

from tests.documents.helpers import group_with_draft
from tests.workgroups.factories import (
    MeetingFactory,
    MembershipFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db


def test_anyone_reads_a_group_profile_with_its_consenting_members_only(client):
    group = WorkingGroupFactory(description="Zespół zajmuje się rynkiem pracy.")
    listed = MembershipFactory(group=group, listed_publicly=True)
    unlisted = MembershipFactory(group=group, listed_publicly=False)
    MeetingFactory(group=group, title="Tajne posiedzenie robocze")
    group_with_draft(group=group)

    listing = client.get("/pl/zespoly/").content.decode()
    assert f"/pl/zespoly/{group.slug}/" in listing
    html = client.get(f"/pl/zespoly/{group.slug}/").content.decode()

    assert group.name in html and "Zespół zajmuje się rynkiem pracy." in html
    assert listed.user.last_name in html
    assert unlisted.user.last_name not in html
    assert "Tajne posiedzenie robocze" not in html
    assert "Rekomendacja" not in html  # a draft is not a published recommendation


def test_an_inactive_or_unknown_group_has_no_profile(client):
    group = WorkingGroupFactory(is_active=False)

    assert client.get(f"/pl/zespoly/{group.slug}/").status_code == 404
    assert client.get("/pl/zespoly/nie-ma-takiego/").status_code == 404
    assert group.name not in client.get("/pl/zespoly/").content.decode()


def test_profile_query_count_does_not_grow_with_members(
    client, django_assert_max_num_queries
):
    group = WorkingGroupFactory()
    for _ in range(20):
        MembershipFactory(group=group, listed_publicly=True)

    with django_assert_max_num_queries(8):
        response = client.get(f"/pl/zespoly/{group.slug}/")
    assert response.content.decode().count("<li>") >= 20
