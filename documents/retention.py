"""What drafts keep about people, and for how long (PR-05): see
``home.retention``. Versions, comments and attachments are the group's
record and stay (docs/security.md, DU-07); an erased account shows as "former
member" there."""

from documents.models import DraftPresence
from home.retention import cutoff


def purge(now, days):
    counts = {}
    if (before := cutoff(now, days, "presence")) is not None:
        counts["draft presence"] = DraftPresence.objects.filter(
            seen_at__lt=before
        ).delete()[0]
    return counts
