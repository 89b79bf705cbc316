"""The printable programme includes each action's recommendations and the
monitoring of the programme (issue 15, "Public reading")."""

import pytest

from tests.documents.test_translations_public import published  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_printable_programme_lists_recommendations_and_monitoring(
    client,
    settings,
    published,  # noqa: F811
    django_assert_max_num_queries,
):
    settings.PUBLIC_PAGE_RESPONSE_CACHE = False
    recommendation, ukrainian_action, _section = published
    programme = recommendation.get_parent().get_parent()

    client.get(programme.url + "druk/")  # Wagtail's site-root caches warm
    # Its page tree in one query, the actions' details and recommendations
    # in four.
    with django_assert_max_num_queries(10):
        polish = client.get(programme.url + "druk/").content.decode()
    ukrainian = client.get(
        ukrainian_action.get_parent().get_parent().get_parent().url + "druk/"
    ).content.decode()

    assert "Rekomendacje zasilające to działanie" in polish
    assert f'href="{recommendation.url}"' in polish
    assert "Działania według statusu" in polish  # the monitoring's counts
    # Untranslated, the recommendation is given in Polish, marked as such.
    assert f'href="{recommendation.url}" lang="pl" hreflang="pl"' in ukrainian
