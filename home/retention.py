"""Retention of personal data (docs/security.md, PR-05, RODO art. 5(1)(e)).

``purge()`` deletes what the platform no longer needs, by the periods in
``settings.RETENTION_DAYS`` (days; ``None`` keeps forever). Every app that
keeps such data has a ``retention.py`` with ``purge(now, days)`` returning
``{what: rows}``; this module collects them through ``home.app_modules`` (as
``load_demo`` collects the apps' demo content), so that ``home`` imports no
other app. Run daily:
``manage.py purge_personal_data`` or the ``purge_personal_data_task`` task.
"""

import logging
from datetime import timedelta

from django_tasks import task

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, PageLogEntry, Site

from home.app_modules import app_modules
from home.models import OutgoingEmail, Subscription

logger = logging.getLogger(__name__)


def retention_days():
    """``settings.RETENTION_DAYS``: what → days; a missing key or ``None``
    keeps that data."""
    return dict(getattr(settings, "RETENTION_DAYS", {}))


def cutoff(now, days, key):
    """The time before which ``key`` data goes, or ``None`` (kept)."""
    period = days.get(key)
    return None if period is None else now - timedelta(days=period)


def purge(now, days):
    """The accounts' own part: sessions, signed-in devices, task results,
    e-mails of the outbox, unconfirmed e-mail subscriptions and the audit
    log."""
    counts = {}
    if (before := cutoff(now, days, "sessions")) is not None:
        counts["sessions"] = Session.objects.filter(expire_date__lt=before).delete()[0]
        if apps.is_installed("allauth.usersessions"):
            from allauth.usersessions.models import UserSession

            live = Session.objects.values("session_key")
            counts["signed-in devices"] = UserSession.objects.exclude(
                session_key__in=live
            ).delete()[0]
    if (before := cutoff(now, days, "task_results")) is not None and (
        apps.is_installed("django_tasks_db")
    ):
        from django_tasks_db.models import DBTaskResult

        counts["task results"] = DBTaskResult.objects.filter(
            finished_at__lt=before
        ).delete()[0]
    if (before := cutoff(now, days, "outbox")) is not None:
        counts["e-mails sent or given up"] = (
            OutgoingEmail.objects.exclude(status=OutgoingEmail.Status.QUEUED)
            .filter(finished_at__lt=before)
            .delete()[0]
        )
    if (before := cutoff(now, days, "unconfirmed_subscriptions")) is not None:
        counts["unconfirmed e-mail subscriptions"] = Subscription.objects.filter(
            confirmed_at__isnull=True, created_at__lt=before
        ).delete()[0]
    if (before := cutoff(now, days, "audit_log")) is not None:
        counts["audit log entries"] = (
            ModelLogEntry.objects.filter(timestamp__lt=before).delete()[0]
            + PageLogEntry.objects.filter(timestamp__lt=before).delete()[0]
        )
    return counts


@transaction.atomic
def purge_personal_data(*, now=None):
    """Run every app's purge; returns ``{what: rows deleted or emptied}``
    and records the run in the audit log."""
    now = now or timezone.now()
    days = retention_days()
    counts = {}
    for _label, module in app_modules("retention"):
        counts.update(module.purge(now, days))
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        log(site, "home.retention.purge", data={"deleted": counts, "days": days})
    logger.info("personal data purge: %s", counts)
    return counts


@task()
def purge_personal_data_task():
    """The purge as a background task (enqueue it daily)."""
    return purge_personal_data()
