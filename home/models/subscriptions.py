"""The public's e-mail subscriptions to programme updates and new
recommendations (home/subscriptions.py; docs/subsystems/public-programme.md)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token():
    return secrets.token_urlsafe(32)


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def wanting(self, topic):
        """Confirmed subscriptions to ``topic`` (a ``Subscription.Topic``)."""
        return self.confirmed().filter(**{topic: True})


class Subscription(models.Model):
    """One address that asked for mail about the programme. It receives
    nothing until its owner confirmed it from the mail (double opt-in);
    ``token`` is the secret of its unsubscribe link."""

    class Topic(models.TextChoices):
        PROGRAMME = "programme_updates", _("programme updates")
        RECOMMENDATIONS = "recommendations", _("new recommendations")

    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES
    )
    programme_updates = models.BooleanField(_("programme updates"), default=False)
    recommendations = models.BooleanField(_("new recommendations"), default=False)
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail subscription")
        verbose_name_plural = _("e-mail subscriptions")
        indexes = [models.Index(fields=["confirmed_at", "created_at"])]

    def __str__(self):
        return self.email

    @property
    def topics(self):
        return [topic for topic in self.Topic.values if getattr(self, topic)]


class SubscriptionDelivery(models.Model):
    """That a subscription was sent the mail about one publication (a
    revision of a page): the unique pair keeps it to one mail, however often
    the sending task runs."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    revision_id = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "revision_id"],
                name="one_mail_per_subscription_and_publication",
            )
        ]

    def __str__(self):
        return f"{self.subscription}: {self.revision_id}"
