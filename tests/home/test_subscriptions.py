"""The public's e-mail subscription: double opt-in, one-click unsubscribe,
one mail per subscriber per publication in the subscriber's language
(docs/subsystems/public-programme.md)."""

import re
from datetime import timedelta

import pytest
from hypothesis import given

from django.test import Client
from django.utils import timezone

from wagtail.models import PageViewRestriction

from documents.models import RecommendationPage
from home import subscriptions
from home.models import Subscription
from home.personal_data import account_erase, personal_data
from home.retention import purge_personal_data
from tests.documents.helpers import recommendations_section
from tests.factories import UserFactory
from tests.hostile import hostile_text, quote_text
from tests.pages import home_page, programme_tree, publish, translate

pytestmark = pytest.mark.django_db

BOTH = ["programme_updates", "recommendations"]


def _subscribe(client, email="ola@example.org", language="uk", topics=BOTH, url=None):
    return client.post(
        url or f"/{language}/subskrypcja/",
        {"email": email, "language": language, "topics": topics},
    )


def _link(message, name):
    return re.search(
        rf"http://testserver(/\w\w/subskrypcja/{name}/[^/\s]+/)", message.body
    )[1]


def _messages(client, response):
    page = client.get(response["Location"])
    return [str(message) for message in page.context["messages"]]


def confirmed(email, language, topics=BOTH):
    return Subscription.objects.create(
        email=email,
        language=language,
        confirmed_at=timezone.now(),
        **{topic: topic in topics for topic in BOTH},
    )


def test_subscribing_sends_only_a_confirmation_in_the_chosen_language(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    response = _subscribe(client, language="uk", url="/en/subskrypcja/")

    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "a mail with a confirmation link is on its way" in page.text
    [message] = mailoutbox
    assert message.to == ["ola@example.org"]
    assert message.subject == "Підтвердьте підписку на оновлення програми"
    assert "/uk/subskrypcja/potwierdz/" in message.body
    assert Subscription.objects.get().confirmed_at is None
    # Nothing but the confirmation before the address is confirmed.
    with django_capture_on_commit_callbacks(execute=True):
        programme_tree()
    assert len(mailoutbox) == 1


def test_confirming_needs_the_button_and_applies_the_choices(client, mailoutbox):
    _subscribe(client, language="en", topics=["recommendations"])
    link = _link(mailoutbox[0], "potwierdz")

    page = client.get(link)
    assert page.status_code == 200
    assert Subscription.objects.get().confirmed_at is None  # a scanner's GET
    done = client.post(link)

    assert done.status_code == 200
    assert "new recommendations" in done.text
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is not None
    assert (subscription.language, subscription.topics) == ("en", ["recommendations"])


def test_the_answer_is_the_same_whether_or_not_the_address_is_subscribed(
    client, mailoutbox
):
    confirmed("ola@example.org", "pl", topics=["programme_updates"])

    known = _subscribe(client, email="ola@example.org", topics=["recommendations"])
    said_to_known = _messages(client, known)
    unknown = _subscribe(client, email="nowa@example.org")

    assert known.status_code == unknown.status_code == 302
    assert said_to_known == _messages(client, unknown)
    # The confirmed subscription changes only once its owner confirms.
    assert Subscription.objects.get(email="ola@example.org").topics == [
        "programme_updates"
    ]
    assert len(mailoutbox) == 2


@pytest.mark.parametrize("broken", ["tampered", "expired", "garbage"])
def test_a_bad_confirmation_link_gets_a_translated_error(
    client, mailoutbox, settings, broken
):
    _subscribe(client, language="uk")
    link = _link(mailoutbox[0], "potwierdz")
    if broken == "tampered":
        link = link[:-3] + ("AAA" if not link.endswith("AAA/") else "BBB") + "/"
        link = link.replace("//", "/")
    elif broken == "garbage":
        link = "/uk/subskrypcja/potwierdz/%00%3Cb%3E/"
    else:
        settings.SUBSCRIPTION_CONFIRM_DAYS = 0

    for response in (client.get(link), client.post(link)):
        assert response.status_code == 400
        expected = "минув" if broken == "expired" else "недійсне"
        assert expected in response.text
    assert Subscription.objects.get().confirmed_at is None


def test_a_link_of_a_forgotten_subscription_does_not_confirm(client, mailoutbox):
    _subscribe(client, language="pl")
    link = _link(mailoutbox[0], "potwierdz")
    Subscription.objects.all().delete()

    response = client.post(link)

    assert response.status_code == 400
    assert "nieprawidłowy" in response.text
    assert not Subscription.objects.exists()


def test_subscribing_too_often_is_refused(client, mailoutbox):
    for _ in range(3):
        assert _subscribe(client).status_code == 302

    assert _subscribe(client).status_code == 429
    assert len(mailoutbox) == 3


def _publish_with_commit(capture, parent, page):
    with capture(execute=True):
        return publish(parent, page)


def test_a_publication_mails_each_subscriber_once_in_their_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with capture(execute=True):
        tree = programme_tree()
    for code in ("uk", "en"):
        translate(home_page(), code)
    ukrainian_programme = translate(tree["programme"], "uk")
    confirmed("pl@example.org", "pl")
    confirmed("uk@example.org", "uk")
    confirmed("en@example.org", "en")
    confirmed("rec@example.org", "en", topics=["recommendations"])
    Subscription.objects.create(email="nie@example.org", language="pl")
    mailoutbox.clear()

    with capture(execute=True):
        tree["programme"].title = "Program zmieniony"
        revision = tree["programme"].save_revision()
        revision.publish()

    by_address = {message.to[0]: message for message in mailoutbox}
    assert sorted(by_address) == ["en@example.org", "pl@example.org", "uk@example.org"]
    assert (
        by_address["pl@example.org"].subject == "Zmiana w programie: Program zmieniony"
    )
    ukrainian = by_address["uk@example.org"]
    assert ukrainian.subject.startswith("Оновлення програми: ")
    assert ukrainian_programme.url in ukrainian.body
    english = by_address["en@example.org"]
    assert english.subject == "Programme updated: Program zmieniony"
    assert "/pl/program/" in english.body and "not translated yet" in english.body
    unsubscribe = _link(english, "wypisz")
    assert (
        english.extra_headers["List-Unsubscribe"] == f"<http://testserver{unsubscribe}>"
    )
    assert (
        english.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )

    # The task again (a retry) and the translation's publication send nothing.
    tree["programme"].refresh_from_db()
    subscriptions.publication_mail.call(
        revision.pk, tree["programme"].last_published_at.isoformat()
    )
    with capture(execute=True):
        ukrainian_programme.save_revision().publish()
    assert len(mailoutbox) == 3


def test_a_subscriber_confirmed_after_a_publication_gets_no_mail_about_it(
    mailoutbox, django_capture_on_commit_callbacks
):
    programme = programme_tree()["programme"]
    revision = programme.save_revision()
    revision.publish()
    programme.refresh_from_db()
    confirmed("pozniej@example.org", "pl")

    subscriptions.publication_mail.call(
        revision.pk, programme.last_published_at.isoformat()
    )

    assert mailoutbox == []


def test_drafts_private_pages_and_pages_outside_the_topics_send_nothing(
    mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    tree = programme_tree()
    confirmed("pl@example.org", "pl")
    PageViewRestriction.objects.create(
        page=tree["goals"][0], restriction_type=PageViewRestriction.LOGIN
    )
    with capture(execute=True):
        tree["actions"][0].save_revision()  # a draft
        tree["actions"][0].save_revision().publish()  # under a restriction
        home_page().save_revision().publish()  # not a programme page

    assert mailoutbox == []


def test_a_new_recommendation_is_announced_once_to_its_subscribers(
    mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    tree = programme_tree()
    section = recommendations_section(tree["programme"])
    confirmed("rec@example.org", "pl", topics=["recommendations"])
    confirmed("prog@example.org", "pl", topics=["programme_updates"])

    page = _publish_with_commit(
        capture, section, RecommendationPage(title="Mieszkania", slug="m")
    )
    with capture(execute=True):
        page.save_revision().publish()  # a later edit is no new recommendation

    [message] = mailoutbox
    assert message.to == ["rec@example.org"]
    assert message.subject == "Nowa rekomendacja: Mieszkania"


def test_one_click_unsubscribe_needs_no_csrf_token_and_forgets_the_address():
    subscription = confirmed("ola@example.org", "uk")
    client = Client(enforce_csrf_checks=True)
    url = f"/uk/subskrypcja/wypisz/{subscription.token}/"

    page = client.get(url)
    assert page.status_code == 200 and Subscription.objects.exists()
    response = client.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "Вас відписано" in response.text
    assert not Subscription.objects.exists()
    assert client.post(url).status_code == 200  # a second click says the same
    assert client.get(url).status_code == 404


def test_unconfirmed_subscriptions_expire_and_confirmed_ones_stay():
    old = timezone.now() - timedelta(days=8)
    Subscription.objects.create(email="stara@example.org", language="pl")
    Subscription.objects.filter(email="stara@example.org").update(created_at=old)
    Subscription.objects.create(email="nowa@example.org", language="pl")
    kept = confirmed("ola@example.org", "pl")
    Subscription.objects.filter(pk=kept.pk).update(created_at=old)

    counts = purge_personal_data()

    assert counts["unconfirmed e-mail subscriptions"] == 1
    assert sorted(Subscription.objects.values_list("email", flat=True)) == [
        "nowa@example.org",
        "ola@example.org",
    ]


def test_a_members_subscription_is_in_their_data_and_goes_with_their_account():
    user = UserFactory(email="Ola@example.org")
    confirmed("ola@example.org", "uk")
    confirmed("inna@example.org", "uk")

    exported = personal_data(user)["account"]["e_mail_subscriptions"]
    assert [row["email"] for row in exported] == ["ola@example.org"]
    account_erase(actor=user, user=user)

    assert list(Subscription.objects.values_list("email", flat=True)) == [
        "inna@example.org"
    ]


@pytest.mark.parametrize("language", ["pl", "uk", "en"])
def test_subscription_pages_in_every_language_with_pinned_queries(
    client, mailoutbox, language, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        page = client.get(f"/{language}/subskrypcja/")
    assert page.status_code == 200
    assert f'<html lang="{language}"' in page.text
    assert f'value="{language}" selected' in page.text
    with django_assert_max_num_queries(10):
        _subscribe(client, language=language)
    link = _link(mailoutbox[0], "potwierdz")
    with django_assert_max_num_queries(8):
        assert client.get(link).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.post(link).status_code == 200
    token = Subscription.objects.get().token
    with django_assert_max_num_queries(8):
        assert client.get(f"/{language}/subskrypcja/wypisz/{token}/").status_code == 200


@given(token=hostile_text)
def test_forged_links_get_a_clear_page(client, token):
    token = quote_text(token) or "x"
    for method in (client.get, client.post):
        confirm = method(f"/pl/subskrypcja/potwierdz/{token}/")
        unsubscribe = method(f"/pl/subskrypcja/wypisz/{token}/")
        assert confirm.status_code in (400, 404)
        assert unsubscribe.status_code in (200, 404)
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("token", ["%00", "a%00b", "x" * 43 + "%00"])
def test_a_link_with_a_nul_gets_the_link_is_not_valid_page(client, token):
    """PostgreSQL cannot compare text holding a NUL: such a link names no
    subscription, on either database, and is never a server error."""
    kept = confirmed("ola@example.org", "pl")

    for method in (client.get, client.post):
        unsubscribe = method(f"/pl/subskrypcja/wypisz/{token}/")
        confirm = method(f"/pl/subskrypcja/potwierdz/{token}/")

        assert unsubscribe.status_code in (200, 404)
        assert confirm.status_code == 400
        assert "Ten link potwierdzający jest nieprawidłowy" in confirm.text
    assert (
        "Ten link jest nieprawidłowy"
        in client.get(f"/pl/subskrypcja/wypisz/{token}/").text
    )
    assert list(Subscription.objects.all()) == [kept]
