"""Background work of drafts: the automatic version once the live editing
of a draft has gone quiet (docs/subsystems/co-editing.md)."""

import logging
from datetime import timedelta

from django_tasks import task

from django.conf import settings
from django.utils import timezone

from documents import services

logger = logging.getLogger(__name__)


@task()
def draft_version_when_quiet(draft_id):
    """The automatic version, if the draft's editing is quiet by now."""
    services.draft_save_quiet(draft_id=draft_id)


def schedule_quiet_version(draft_id):
    """Called when the last socket of a process leaves a draft: the version
    is due once the quiet period has passed, as a deferred task where the
    backend can defer; ``manage.py save_quiet_drafts`` from cron is the
    safety net (and the only way with a backend that cannot)."""
    if not draft_version_when_quiet.get_backend().supports_defer:
        return
    quiet = timedelta(minutes=settings.COEDITING_QUIET_MINUTES, seconds=5)
    try:
        draft_version_when_quiet.using(run_after=timezone.now() + quiet).enqueue(
            draft_id
        )
    except Exception:  # noqa: BLE001 -- the cron command makes the version anyway
        logger.warning("draft %s: automatic version not scheduled", draft_id)
