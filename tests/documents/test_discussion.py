"""A draft's discussion thread (``documents/discussion.py``)."""

import pytest

from django.urls import reverse

from tests.documents.helpers import group_with_draft
from tests.factories import UserFactory
from workgroups.models import Topic

pytestmark = pytest.mark.django_db


def test_a_draft_links_to_its_thread_created_once(client):
    author, draft = group_with_draft()
    client.force_login(author.user)
    thread_url = reverse("documents:discussion", args=[draft.pk])

    page = client.get(reverse("documents:detail", args=[draft.pk]))
    first = client.get(thread_url)
    second = client.get(thread_url)

    assert thread_url in page.content.decode()
    topic = Topic.objects.get(subject_id=draft.pk, subject_type__model="draft")
    expected = reverse("discussion:topic", args=[draft.group_id, topic.pk])
    assert first.url == second.url == expected
    assert topic.room == draft.group.room
    assert "Rekomendacja" in client.get(expected).content.decode()


def test_outsiders_get_no_draft_thread(client):
    _, draft = group_with_draft()
    client.force_login(UserFactory())
    response = client.get(reverse("documents:discussion", args=[draft.pk]))
    assert response.status_code == 404
    assert not Topic.objects.filter(subject_id=draft.pk).exists()
