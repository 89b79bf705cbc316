"""Background work of the discussion: e-mail for @mentions."""

from datetime import timedelta

from django_tasks import task

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from home import outbox
from home.people import language_of, person_name
from home.urls_absolute import absolute_url
from workgroups import access
from workgroups.discussion.selectors import offline_since
from workgroups.models import Mention

# Someone with no open socket for this long gets an e-mail for a mention.
OFFLINE_AFTER = timedelta(minutes=10)


@task()
def mention_notify(*, message_id):
    """E-mail each person mentioned in the message who is still a member of
    its group (checked now, not when the message was written) and has been
    offline for a while. Everyone else sees the mention in the site."""
    mentions = Mention.objects.filter(
        message_id=message_id, emailed_at__isnull=True, read_at__isnull=True
    ).select_related(
        "user", "message__topic", "message__room__group", "message__author"
    )
    for mention in mentions:
        message = mention.message
        group = message.room.group
        if message.is_deleted or message.is_hidden:
            continue
        if access.membership_of(mention.user, group.pk) is None:
            continue
        if not offline_since(mention.user, OFFLINE_AFTER):
            continue
        with translation.override(language_of(mention.user)):
            url = absolute_url(
                reverse("discussion:topic", args=[group.pk, message.topic_id])
            )
            author = message.author
            outbox.mail_queue(
                to=[mention.user.email],
                subject=_("You were mentioned in %(group)s")
                % {"group": group.local_name},
                body=_(
                    "%(author)s mentioned you in the topic “%(topic)s”:\n\n"
                    "%(text)s\n\n%(url)s\n"
                )
                % {
                    "author": person_name(author),
                    "topic": message.topic.heading,
                    "text": message.body,
                    "url": url,
                },
                kind="mention",
            )
        Mention.objects.filter(pk=mention.pk).update(emailed_at=timezone.now())
