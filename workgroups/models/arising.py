"""The words of the automatic "matters arising" agenda item and of the
threads made for meetings and drafts. They store what to say (the objects'
own words, a kind of line) and are worded here, in the language active when
read: each member reads the agenda and the thread list in their own language
(docs/subsystems/meetings-and-minutes.md#matters-arising)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

# Stored as the item's title (the source text, in no reader's language); the
# agenda shows it translated (``AgendaItem.heading``).
MATTERS_ARISING_TITLE = gettext_noop("Matters arising from previous meetings")

LINE_WORDING = {
    "action": _("Action item: %(text)s (%(owner)s, due %(due)s)"),
    "follow_up": _("Decision to follow up: %(text)s"),
    "between_meetings": _("Decision taken between meetings: %(text)s"),
}

THREAD_WORDING = {
    "meeting": pgettext_lazy("discussion thread", "Meeting: %(title)s"),
    "draft": pgettext_lazy("discussion thread", "Draft: %(title)s"),
}


def arising_text(lines):
    """The item's lines (dicts with ``kind`` and the words) as text."""
    return "\n".join(
        str(LINE_WORDING[line["kind"]]) % {"text": "", "owner": "", "due": "", **line}
        for line in lines
    )


def thread_title(wording, title):
    if not wording:
        return title
    return str(THREAD_WORDING[wording]) % {"title": title}
