"""The discussion pages without JavaScript, search, unread counts, mentions
and the services behind them."""

import uuid

import pytest

from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from wagtail.models import ModelLogEntry

from tests.factories import UserFactory
from tests.workgroups.factories import MeetingFactory, MembershipFactory
from workgroups.discussion import selectors, services
from workgroups.discussion.tasks import mention_notify
from workgroups.models import Connection, Membership, Mention, Message, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def room_with_topic():
    chair = MembershipFactory(role=Membership.Role.CHAIR)
    expert = MembershipFactory(group=chair.group)
    room = chair.group.room
    topic = Topic.objects.create(room=room, title="Sprawy", created_by=chair.user)
    return {
        "group": chair.group,
        "room": room,
        "topic": topic,
        "chair": chair.user,
        "expert": expert.user,
    }


def post(room_with_topic, author, body):
    message, _ = services.message_post(
        author=author, topic=room_with_topic["topic"], body=body, client_id=uuid.uuid4()
    )
    return message


def topic_url(room_with_topic):
    return reverse(
        "discussion:topic",
        args=[room_with_topic["group"].pk, room_with_topic["topic"].pk],
    )


def test_member_sees_the_topic_page_with_its_messages(client, room_with_topic):
    post(room_with_topic, room_with_topic["chair"], "Pierwsza sprawa")
    client.force_login(room_with_topic["expert"])
    response = client.get(topic_url(room_with_topic))
    assert response.status_code == 200
    assert "Pierwsza sprawa" in response.text
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("who", ["outsider", "other_group", "anonymous"])
def test_others_get_404_or_sign_in(client, room_with_topic, who):
    if who == "outsider":
        client.force_login(UserFactory())
    elif who == "other_group":
        client.force_login(MembershipFactory().user)
    urls = [
        reverse("discussion:room", args=[room_with_topic["group"].pk]),
        topic_url(room_with_topic),
        reverse(
            "discussion:history",
            args=[room_with_topic["group"].pk, room_with_topic["topic"].pk],
        ),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == (302 if who == "anonymous" else 404)


def test_posting_without_javascript_stores_once_even_if_resubmitted(
    client, room_with_topic
):
    client.force_login(room_with_topic["expert"])
    data = {"body": "Z formularza", "client_id": str(uuid.uuid4())}
    first = client.post(topic_url(room_with_topic), data)
    second = client.post(topic_url(room_with_topic), data)
    assert first.status_code == second.status_code == 302
    assert Message.objects.filter(body="Z formularza").count() == 1


def test_too_long_message_gets_a_clear_error_and_is_not_stored(client, room_with_topic):
    client.force_login(room_with_topic["expert"])
    response = client.post(
        topic_url(room_with_topic), {"body": "x" * 4001, "client_id": str(uuid.uuid4())}
    )
    assert response.status_code == 400
    assert Message.objects.count() == 0


def test_nul_in_a_message_is_a_400_not_a_500(client, room_with_topic):
    client.force_login(room_with_topic["expert"])
    response = client.post(
        topic_url(room_with_topic), {"body": "a\x00b", "client_id": str(uuid.uuid4())}
    )
    assert response.status_code == 400
    assert Message.objects.count() == 0


def test_user_html_is_shown_as_text_and_only_http_links_are_links(
    client, room_with_topic
):
    post(
        room_with_topic,
        room_with_topic["chair"],
        '<img src=x onerror=alert(1)> <svg onload=alert(1)> "><b>x</b> '
        "javascript:alert(1) data:text/html,x {{7*7}} https://example.org/a?b=1. "
        f"@{room_with_topic['expert'].username}",
    )
    client.force_login(room_with_topic["expert"])
    html = client.get(topic_url(room_with_topic)).text
    assert "<img src=x" not in html and "<svg onload" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript:' not in html and 'href="data:' not in html
    assert "{{7*7}}" in html
    assert 'href="https://example.org/a?b=1"' in html
    assert (
        f'<strong class="mention">@{room_with_topic["expert"].username}</strong>'
        in html
    )


def test_history_json_pages_back(client, room_with_topic):
    for number in range(55):
        post(room_with_topic, room_with_topic["chair"], f"m{number}")
    client.force_login(room_with_topic["expert"])
    url = reverse(
        "discussion:history",
        args=[room_with_topic["group"].pk, room_with_topic["topic"].pk],
    )
    page = client.get(url, {"before": 6}).json()
    assert [m["seq"] for m in page["messages"]] == [1, 2, 3, 4, 5]
    assert not page["has_more"]
    assert client.get(url).json()["has_more"]


def test_older_messages_come_rendered_in_the_pages_language(client, room_with_topic):
    message = post(
        room_with_topic, room_with_topic["chair"], "Zob. https://example.org <i>x</i>"
    )
    services.message_edit(
        actor=room_with_topic["chair"], message=message, body="Zob. <i>y</i>"
    )
    client.force_login(room_with_topic["expert"])
    url = reverse(
        "discussion:history",
        args=[room_with_topic["group"].pk, room_with_topic["topic"].pk],
    )
    (item,) = client.get(url, headers={"accept-language": "en"}).json()["messages"]
    assert set(item["html"]) == {"pl"}  # the URL's language, not the header's
    assert "&lt;i&gt;y&lt;/i&gt;" in item["html"]["pl"]
    assert "(edytowano)" in item["html"]["pl"]


def test_topic_page_and_room_list_query_counts(
    client, room_with_topic, django_assert_max_num_queries
):
    for number in range(30):
        post(
            room_with_topic,
            room_with_topic["chair"],
            f"m{number} @{room_with_topic['expert'].username}",
        )
    client.force_login(room_with_topic["expert"])
    with django_assert_max_num_queries(20):
        assert client.get(topic_url(room_with_topic)).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("discussion:rooms")).status_code == 200
    with django_assert_max_num_queries(12):
        response = client.get(
            reverse("discussion:room", args=[room_with_topic["group"].pk])
        )
        assert response.status_code == 200


def test_unread_counts_per_room_and_topic(room_with_topic):
    other = Topic.objects.create(room=room_with_topic["room"], title="Inny")
    post(room_with_topic, room_with_topic["chair"], "a")
    post(room_with_topic, room_with_topic["chair"], "b")
    services.message_post(
        author=room_with_topic["chair"], topic=other, body="c", client_id=uuid.uuid4()
    )
    post(room_with_topic, room_with_topic["expert"], "własna")

    per_topic, per_group = selectors.unread_counts(room_with_topic["expert"])
    assert per_topic == {room_with_topic["topic"].pk: 2, other.pk: 1}
    assert per_group == {room_with_topic["group"].pk: 3}

    services.read_mark(
        user=room_with_topic["expert"], topic=room_with_topic["topic"], seq=2
    )
    per_topic, per_group = selectors.unread_counts(room_with_topic["expert"])
    assert per_topic == {other.pk: 1}


def test_unread_counts_leave_out_hidden_deleted_and_former_groups(room_with_topic):
    chair, expert = room_with_topic["chair"], room_with_topic["expert"]
    shown, hidden, deleted = (post(room_with_topic, chair, b) for b in "xyz")
    services.message_hide(actor=chair, message=hidden)
    services.message_delete(actor=chair, message=deleted)
    assert selectors.unread_counts(expert)[0] == {room_with_topic["topic"].pk: 1}

    services.read_mark(user=expert, topic=room_with_topic["topic"], seq=shown.seq)
    assert selectors.unread_counts(expert) == ({}, {})
    post(room_with_topic, chair, "po przeczytaniu")
    assert selectors.unread_counts(expert)[1] == {room_with_topic["group"].pk: 1}

    Membership.objects.filter(user=expert).delete()
    assert selectors.unread_counts(expert) == ({}, {})


def test_unread_include_lists_groups_with_unread(client, room_with_topic):
    post(room_with_topic, room_with_topic["chair"], "nowe")
    client.force_login(room_with_topic["expert"])
    response = client.get(reverse("discussion:rooms"))
    assert "1" in response.text
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = room_with_topic["expert"]
    html = Template("{% load discussion_tags %}{% discussion_unread %}").render(
        Context({"request": request})
    )
    assert room_with_topic["group"].name in html


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("spotkanie", True),  # lemma of "spotkaniach"
        ("SPOTKANIA", True),
        ("spotkaniach", True),
        ("zespół", True),
        ("zespo\u0301ł", True),  # ó written in NFD
        ("budżet", False),
    ],
)
def test_search_is_inflection_aware(client, room_with_topic, query, found):
    post(
        room_with_topic,
        room_with_topic["chair"],
        "Rozmawialiśmy o spotkaniach zespołów",
    )
    client.force_login(room_with_topic["expert"])
    response = client.get(reverse("discussion:search"), {"q": query})
    assert response.status_code == 200
    assert ("Rozmawialiśmy" in response.text) is found


def test_search_matches_polish_diacritics_in_nfd_too(client, room_with_topic):
    post(room_with_topic, room_with_topic["chair"], "Zażółć gęślą jaźń")
    client.force_login(room_with_topic["expert"])
    import unicodedata

    query = unicodedata.normalize("NFD", "gęślą")
    response = client.get(reverse("discussion:search"), {"q": query})
    assert "Zażółć" in response.text


def test_search_never_shows_another_groups_messages(client, room_with_topic):
    post(room_with_topic, room_with_topic["chair"], "Tajne ustalenia zespołu")
    other = MembershipFactory()
    client.force_login(other.user)
    response = client.get(reverse("discussion:search"), {"q": "ustalenia"})
    assert "Tajne" not in response.text


def test_search_skips_deleted_and_hidden_messages(room_with_topic):
    first = post(room_with_topic, room_with_topic["expert"], "ukryte słowo")
    second = post(room_with_topic, room_with_topic["expert"], "usunięte słowo")
    services.message_hide(actor=room_with_topic["chair"], message=first)
    services.message_delete(actor=room_with_topic["expert"], message=second)
    assert list(selectors.search(room_with_topic["expert"], "słowo")) == []


def test_nul_in_a_search_is_a_400(client, room_with_topic):
    client.force_login(room_with_topic["expert"])
    response = client.get(reverse("discussion:search"), {"q": "a\x00"})
    assert response.status_code == 400


def test_chair_renames_closes_and_reopens_a_topic(client, room_with_topic):
    client.force_login(room_with_topic["chair"])
    url = reverse(
        "discussion:topic_manage",
        args=[room_with_topic["group"].pk, room_with_topic["topic"].pk],
    )
    client.post(url, {"action": "rename", "title": "Nowy tytuł"})
    client.post(url, {"action": "close"})
    room_with_topic["topic"].refresh_from_db()
    assert room_with_topic["topic"].title == "Nowy tytuł"
    assert room_with_topic["topic"].is_closed
    with pytest.raises(ValidationError) as refused:
        post(room_with_topic, room_with_topic["expert"], "za późno")
    assert refused.value.code == "closed"
    client.post(url, {"action": "reopen"})
    room_with_topic["topic"].refresh_from_db()
    assert not room_with_topic["topic"].is_closed
    assert ModelLogEntry.objects.filter(action="workgroups.topic.close").count() == 1


def test_a_rename_to_a_blank_title_is_refused_with_a_message(client, room_with_topic):
    client.force_login(room_with_topic["chair"])
    url = reverse(
        "discussion:topic_manage",
        args=[room_with_topic["group"].pk, room_with_topic["topic"].pk],
    )
    before = room_with_topic["topic"].title

    response = client.post(url, {"action": "rename", "title": "   "}, follow=True)

    assert "To pole jest wymagane." in response.text
    room_with_topic["topic"].refresh_from_db()
    assert room_with_topic["topic"].title == before
    response = client.post(url, {"action": "close"}, follow=True)
    assert "Wątek zamknięty" in response.text


def test_an_expert_cannot_manage_topics(client, room_with_topic):
    client.force_login(room_with_topic["expert"])
    url = reverse(
        "discussion:topic_manage",
        args=[room_with_topic["group"].pk, room_with_topic["topic"].pk],
    )
    response = client.post(url, {"action": "close"})
    assert response.status_code == 403
    room_with_topic["topic"].refresh_from_db()
    assert not room_with_topic["topic"].is_closed


def test_member_creates_a_topic_without_javascript(client, room_with_topic):
    client.force_login(room_with_topic["expert"])
    response = client.post(
        reverse("discussion:room", args=[room_with_topic["group"].pk]),
        {"title": "Nowy wątek"},
    )
    assert response.status_code == 302
    assert Topic.objects.filter(title="Nowy wątek").exists()


def test_edit_marks_edited_and_delete_leaves_a_trace(client, room_with_topic):
    message = post(room_with_topic, room_with_topic["expert"], "pierwotna")
    client.force_login(room_with_topic["expert"])
    edit = reverse(
        "discussion:message_edit", args=[room_with_topic["group"].pk, message.pk]
    )
    client.post(edit, {"body": "poprawiona"})
    html = client.get(topic_url(room_with_topic)).text
    assert "poprawiona" in html
    assert "(edytowano)" in html or "(edited)" in html
    client.post(
        reverse(
            "discussion:message_delete", args=[room_with_topic["group"].pk, message.pk]
        )
    )
    html = client.get(topic_url(room_with_topic)).text
    assert "poprawiona" not in html


def test_only_the_author_edits(client, room_with_topic):
    message = post(room_with_topic, room_with_topic["expert"], "moja")
    client.force_login(room_with_topic["chair"])
    edit = reverse(
        "discussion:message_edit", args=[room_with_topic["group"].pk, message.pk]
    )
    assert client.post(edit, {"body": "cudza"}).status_code == 404
    message.refresh_from_db()
    assert message.body == "moja"


def test_a_topic_can_be_attached_to_another_object(room_with_topic):
    # A meeting or a draft: any model; here the group itself stands in.
    thread = services.topic_for_subject(
        room=room_with_topic["room"], subject=room_with_topic["group"], title="Wątek"
    )
    again = services.topic_for_subject(
        room=room_with_topic["room"], subject=room_with_topic["group"], title="Wątek"
    )
    assert thread == again
    assert thread.subject == room_with_topic["group"]


def test_a_meeting_links_to_its_thread_created_once(client, room_with_topic):
    meeting = MeetingFactory(group=room_with_topic["group"], title="Posiedzenie majowe")
    client.force_login(room_with_topic["expert"])
    thread_url = reverse("workgroups:meeting_discussion", args=[meeting.pk])

    page = client.get(reverse("workgroups:meeting", args=[meeting.pk]))
    first = client.get(thread_url)
    second = client.get(thread_url)

    assert thread_url in page.content.decode()
    topic = Topic.objects.get(subject_id=meeting.pk, subject_type__model="meeting")
    expected = reverse("discussion:topic", args=[room_with_topic["group"].pk, topic.pk])
    assert first.url == second.url == expected
    assert topic.room == room_with_topic["room"]
    assert "Posiedzenie majowe" in client.get(expected).content.decode()


def test_a_meeting_thread_made_in_ukrainian_reads_in_each_language(
    client, room_with_topic
):
    """The thread stores the meeting's title and is worded when read: the
    one who opened it first does not fix its language for everyone."""
    meeting = MeetingFactory(group=room_with_topic["group"], title="Posiedzenie 5")
    client.force_login(room_with_topic["expert"])
    with translation.override("uk"):
        client.get(reverse("workgroups:meeting_discussion", args=[meeting.pk]))
    topic = Topic.objects.get(subject_id=meeting.pk, subject_type__model="meeting")
    assert topic.title == "Posiedzenie 5"
    headings = {}
    for language in ("pl", "uk", "en"):
        with translation.override(language):
            url = reverse("discussion:topic", args=[meeting.group_id, topic.pk])
            headings[language] = topic.heading
            assert topic.heading in client.get(url).text
    assert headings["en"] == "Meeting: Posiedzenie 5"
    assert len(set(headings.values())) == 3


def test_a_chair_renaming_a_thread_keeps_their_words_in_every_language(
    room_with_topic,
):
    meeting = MeetingFactory(group=room_with_topic["group"], title="Posiedzenie 5")
    topic = services.topic_for_subject(
        room=room_with_topic["room"],
        subject=meeting,
        title=meeting.title,
        wording="meeting",
    )
    services.topic_rename(
        actor=room_with_topic["chair"], topic=topic, title="Budżet na 2027"
    )
    with translation.override("en"):
        assert topic.heading == "Budżet na 2027"


def test_outsiders_get_no_meeting_thread(client, room_with_topic):
    meeting = MeetingFactory(group=room_with_topic["group"])
    client.force_login(UserFactory())
    response = client.get(reverse("workgroups:meeting_discussion", args=[meeting.pk]))
    assert response.status_code == 404
    assert not Topic.objects.filter(subject_id=meeting.pk).exists()


def test_mention_notifies_in_app_and_emails_an_offline_member(
    room_with_topic, django_capture_on_commit_callbacks, settings
):
    settings.BASE_URL = "https://platforma.example.org"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post(
            room_with_topic,
            room_with_topic["chair"],
            f"@{room_with_topic['expert'].username} proszę o opinię",
        )
    assert Mention.objects.filter(user=room_with_topic["expert"]).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [room_with_topic["expert"].email]
    assert "proszę o opinię" in mail.outbox[0].body
    # The link is on the site's address (home/urls_absolute.py).
    topic_path = topic_url(room_with_topic).split("/", 2)[2]
    assert f"https://platforma.example.org/pl/{topic_path}" in mail.outbox[0].body


def test_mention_of_an_online_member_sends_no_email(
    room_with_topic, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    Connection.objects.create(
        channel_name="ws-x",
        room=room_with_topic["room"],
        user=room_with_topic["expert"],
        last_seen=timezone.now(),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post(
            room_with_topic,
            room_with_topic["chair"],
            f"@{room_with_topic['expert'].username} jesteś?",
        )
    assert Mention.objects.filter(user=room_with_topic["expert"]).count() == 1
    assert mail.outbox == []


def test_mention_email_goes_to_current_members_only(room_with_topic):
    message = post(
        room_with_topic,
        room_with_topic["chair"],
        f"@{room_with_topic['expert'].username} hej",
    )
    mail.outbox.clear()
    Mention.objects.update(emailed_at=None)
    Membership.objects.filter(user=room_with_topic["expert"]).delete()
    mention_notify.call(message_id=message.pk)
    assert mail.outbox == []


def test_outsiders_cannot_be_mentioned(room_with_topic):
    outsider = UserFactory()
    post(room_with_topic, room_with_topic["chair"], f"@{outsider.username} zobacz")
    assert not Mention.objects.filter(user=outsider).exists()


def test_mentions_page_lists_own_mentions(client, room_with_topic):
    post(
        room_with_topic,
        room_with_topic["chair"],
        f"@{room_with_topic['expert'].username} spójrz",
    )
    client.force_login(room_with_topic["expert"])
    response = client.get(reverse("discussion:mentions"))
    assert "Sprawy" in response.text
