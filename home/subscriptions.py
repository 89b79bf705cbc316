"""The public's e-mail subscriptions (docs/subsystems/public-programme.md):
double opt-in, one-click unsubscribe, a mail in the subscriber's language
for each publication of a programme page or a new recommendation, through
the outbox (home/outbox.py).

A page type takes part by naming its topic in ``subscription_topic``
(``Subscription.Topic``); ``documents.RecommendationPage`` does, so ``home``
imports no other app."""

import re
from datetime import timedelta

from django_tasks import task

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.models import Locale, Page, PageLogEntry, Revision

from home import outbox
from home.models import Subscription, SubscriptionDelivery
from home.selectors import public_pages
from home.urls_absolute import absolute_url

SALT = "home.subscription.confirm"
BATCH = 200
Topic = Subscription.Topic


class SubscriptionLinkError(Exception):
    """A confirmation link that is not valid (``message`` says why, in the
    reader's language)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


INVALID = gettext_lazy(
    "This confirmation link is not valid. Copy the whole link from the mail, "
    "or subscribe again."
)
EXPIRED = gettext_lazy(
    "This confirmation link has expired. Subscribe again to get a new one."
)


def _in_language(language, name, *args):
    with translation.override(language):
        return absolute_url(reverse(name, args=args))


def subscription_request(*, email: str, language: str, topics: list[str]) -> None:
    """Ask ``email`` to confirm a subscription to ``topics``: the same mail
    and the same answer whether the address is new, waiting or subscribed
    (nobody learns who subscribed); nothing is sent to it but this mail
    until it is confirmed."""
    email = Subscription._meta.get_field("email").clean(email.strip(), None)
    email = email.lower()
    if language not in dict(settings.LANGUAGES) or not topics:
        raise ValueError("language and topics are checked by the form")
    subscription, _created = Subscription.objects.get_or_create(
        email=email, defaults={"language": language}
    )
    token = signing.dumps(
        {"s": subscription.pk, "e": email, "l": language, "t": sorted(topics)},
        salt=SALT,
    )
    with translation.override(language):
        outbox.mail_queue(
            to=[email],
            subject=_("Confirm your subscription to the programme's updates"),
            body=render_to_string(
                "home/mail/subscription_confirm.txt",
                {
                    "url": absolute_url(
                        reverse("home:subscription_confirm", args=[token])
                    ),
                    "topics": [Topic(topic).label for topic in sorted(topics)],
                    "days": settings.SUBSCRIPTION_CONFIRM_DAYS,
                },
            ),
            kind="subscription",
        )


def _read_token(token):
    try:
        return signing.loads(
            token,
            salt=SALT,
            max_age=timedelta(days=settings.SUBSCRIPTION_CONFIRM_DAYS),
        )
    except signing.SignatureExpired as error:
        raise SubscriptionLinkError(EXPIRED) from error
    except (signing.BadSignature, ValueError, UnicodeError) as error:
        raise SubscriptionLinkError(INVALID) from error


def subscription_check(*, token: str) -> None:
    """``SubscriptionLinkError`` if the confirmation link will not work."""
    _read_token(token)


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscription:
    """Confirm the subscription a link from the confirmation mail names,
    with the topics and language asked for; ``SubscriptionLinkError`` for a
    link that is tampered with, expired or of a subscription since gone."""
    data = _read_token(token)
    try:
        subscription = Subscription.objects.select_for_update().get(
            pk=data["s"], email=data["e"]
        )
        topics = set(data["t"]) & set(Topic.values)
        language = data["l"] if data["l"] in dict(settings.LANGUAGES) else None
    except (Subscription.DoesNotExist, KeyError, TypeError) as error:
        raise SubscriptionLinkError(INVALID) from error
    if not topics or language is None:
        raise SubscriptionLinkError(INVALID)
    for topic in Topic.values:
        setattr(subscription, topic, topic in topics)
    subscription.language = language
    subscription.confirmed_at = subscription.confirmed_at or timezone.now()
    subscription.full_clean()
    subscription.save()
    return subscription


# What ``new_token`` makes (URL-safe base64); anything else names no one.
TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _by_token(token):
    """The subscription an unsubscribe link names; no query for text no link
    carries (PostgreSQL refuses to compare a NUL at all)."""
    if not TOKEN.fullmatch(token):
        return Subscription.objects.none()
    return Subscription.objects.filter(token=token)


def subscription_by_token(token):
    return _by_token(token).first()


def subscription_cancel(*, token: str) -> bool:
    """Unsubscribe (and forget) the address whose unsubscribe link this is;
    False if there is none (already unsubscribed)."""
    return _by_token(token).delete()[0] > 0


def publication_announce(sender, instance, revision=None, **kwargs):
    """``page_published``: a public, live page of a subscription topic, in
    the site's first language (a translation is not news of its own), is
    announced after the transaction commits; a recommendation only when it
    is first published."""
    topic = getattr(instance, "subscription_topic", None)
    if topic is None or revision is None:
        return
    if topic == Topic.RECOMMENDATIONS and _published_before(instance, revision):
        return
    if instance.locale_id != Locale.get_default().pk:
        return
    if not public_pages().filter(pk=instance.pk).exists():
        return
    published_at = instance.last_published_at.isoformat()
    transaction.on_commit(lambda: publication_mail.enqueue(revision.pk, published_at))


def _published_before(page, revision):
    """Whether another revision of ``page`` was published (Wagtail logs each
    publication before it sends ``page_published``)."""
    return (
        PageLogEntry.objects.filter(page_id=page.pk, action="wagtail.publish")
        .exclude(revision_id=revision.pk)
        .exists()
    )


@task()
def publication_mail(revision_id, published_at):
    """Queue one mail per subscriber of the topic confirmed by the time of
    this publication (an ISO time), in batches; a second run sends none of
    them again."""
    revision = Revision.objects.filter(pk=revision_id).first()
    page = revision and Page.objects.filter(pk=revision.object_id).first()
    page = page and page.specific
    topic = getattr(page, "subscription_topic", None)
    if topic is None:
        return 0
    versions = _versions(page)
    sent, last = 0, 0
    while True:
        with transaction.atomic():
            batch = list(
                Subscription.objects.wanting(topic)
                .filter(pk__gt=last, confirmed_at__lte=published_at)
                .exclude(deliveries__revision_id=revision_id)
                .order_by("pk")[:BATCH]
            )
            if not batch:
                return sent
            for subscription in batch:
                SubscriptionDelivery.objects.create(
                    subscription=subscription, revision_id=revision_id
                )
                _publication_mail(subscription, versions, page, topic)
                sent += 1
            last = batch[-1].pk


def _versions(page):
    """The public, live versions of ``page``: language code → page."""
    pages = public_pages().filter(translation_key=page.translation_key)
    return {p.locale.language_code: p for p in pages.select_related("locale")}


def _publication_mail(subscription, versions, original, topic):
    language = subscription.language
    page = versions.get(language) or original
    unsubscribe = _in_language(language, "home:unsubscribe", subscription.token)
    with translation.override(language):
        title = getattr(page.specific, "numbered_title", page.title)
        subject = (
            _("New recommendation: %(title)s")
            if topic == Topic.RECOMMENDATIONS
            else _("Programme updated: %(title)s")
        ) % {"title": title}
        body = render_to_string(
            "home/mail/subscription_publication.txt",
            {
                "title": title,
                "url": absolute_url(page.get_url()),
                "untranslated": language not in versions,
                "topic": topic,
                "unsubscribe": unsubscribe,
            },
        )
    outbox.mail_queue(
        to=[subscription.email],
        subject=subject,
        body=body,
        kind="subscription",
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
