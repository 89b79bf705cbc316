"""Drafts on meetings' agendas: linked by the chair or the secretary, only
within their own group."""

import pytest

from documents import services
from documents.models import AgendaDraft
from tests.workgroups.factories import AgendaItemFactory, MembershipFactory
from workgroups.models import Membership

pytestmark = pytest.mark.django_db


def _chair_item_and_draft():
    chair = MembershipFactory(role=Membership.Role.CHAIR)
    item = AgendaItemFactory(meeting__group=chair.group, title="Projekt rekomendacji")
    draft = services.draft_create(
        actor=chair.user, group=chair.group, title="Rekomendacja A", text="Tekst."
    )
    return chair, item, draft


def _link_form(item):
    return f'action="/pl/drafts/agenda/{item.pk}/"'


def _meeting_page(client, item):
    response = client.get(f"/pl/workspace/meetings/{item.meeting_id}/")
    assert response.status_code == 200
    return response.content.decode()


def test_chair_links_a_draft_and_members_see_it_on_the_agenda(client):
    chair, item, draft = _chair_item_and_draft()
    expert = MembershipFactory(group=chair.group)
    client.force_login(chair.user)
    assert _link_form(item) in _meeting_page(client, item)

    response = client.post(
        f"/pl/drafts/agenda/{item.pk}/", {"draft": draft.pk}, follow=True
    )

    meeting_url = f"/pl/workspace/meetings/{item.meeting_id}/"
    assert response.redirect_chain == [(f"{meeting_url}#agenda", 302)]
    assert response.status_code == 200
    assert "Projekt został podpięty do punktu porządku obrad." in response.text
    assert AgendaDraft.objects.filter(agenda_item=item, draft=draft).count() == 1
    client.force_login(expert.user)
    page = _meeting_page(client, item)
    assert f'<a href="/pl/drafts/{draft.pk}/">Rekomendacja A</a>' in page
    assert _link_form(item) not in page  # experts get no form


def test_a_draft_of_another_group_cannot_be_linked(client):
    chair, item, draft = _chair_item_and_draft()
    other_chair, _, foreign_draft = _chair_item_and_draft()
    client.force_login(chair.user)
    page = _meeting_page(client, item)
    assert f'<option value="{draft.pk}">' in page
    assert f'<option value="{foreign_draft.pk}">' not in page

    response = client.post(f"/pl/drafts/agenda/{item.pk}/", {"draft": foreign_draft.pk})

    assert response.status_code == 404
    assert not AgendaDraft.objects.exists()
    assert f"/pl/drafts/{foreign_draft.pk}/" not in _meeting_page(client, item)


@pytest.mark.parametrize("role", [Membership.Role.EXPERT, Membership.Role.OBSERVER])
def test_members_who_do_not_run_meetings_cannot_link(client, role):
    chair, item, draft = _chair_item_and_draft()
    member = MembershipFactory(group=chair.group, role=role)
    client.force_login(member.user)
    assert _link_form(item) not in _meeting_page(client, item)

    response = client.post(f"/pl/drafts/agenda/{item.pk}/", {"draft": draft.pk})

    assert response.status_code == 404
    assert not AgendaDraft.objects.exists()


def test_outsiders_and_bad_ids_get_404(client):
    chair, item, draft = _chair_item_and_draft()
    client.force_login(MembershipFactory().user)
    assert (
        client.post(f"/pl/drafts/agenda/{item.pk}/", {"draft": draft.pk}).status_code
        == 404
    )
    client.force_login(chair.user)
    assert (
        client.post(f"/pl/drafts/agenda/{item.pk}/", {"draft": "x"}).status_code == 404
    )
    assert (
        client.post(
            f"/pl/drafts/agenda/{item.pk + 99}/", {"draft": draft.pk}
        ).status_code
        == 404
    )
    assert not AgendaDraft.objects.exists()


def test_meeting_page_queries_do_not_grow_with_linked_drafts(
    client, django_assert_max_num_queries
):
    chair, item, draft = _chair_item_and_draft()
    client.force_login(chair.user)
    url = f"/pl/workspace/meetings/{item.meeting_id}/"
    assert _link(client, item, draft).status_code == 302
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(18):
        one = client.get(url)
    linked = [draft]
    for index in range(5):
        extra = AgendaItemFactory(meeting=item.meeting)
        linked.append(
            services.draft_create(
                actor=chair.user, group=chair.group, title=f"R{index}", text="T."
            )
        )
        assert _link(client, extra, linked[-1]).status_code == 302

    with django_assert_max_num_queries(18):
        six = client.get(url)

    assert one.status_code == six.status_code == 200
    for shown in linked:
        assert (f'<a href="/pl/drafts/{shown.pk}/">' in one.text) == (shown is draft)
        assert f'<a href="/pl/drafts/{shown.pk}/">{shown.title}</a>' in six.text


def _link(client, item, draft):
    return client.post(f"/pl/drafts/agenda/{item.pk}/", {"draft": draft.pk})
