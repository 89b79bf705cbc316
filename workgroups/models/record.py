"""The minutes' record as text: the canonical text the fingerprint hashes,
the quorum and how a decision was taken. Pure reads of a meeting and its
minutes, kept apart from the services so that ``Minutes`` (whose revisions
keep this text) and the services that approve minutes can both import them
without importing each other (docs/architecture.md#apps-and-the-dependency-rule).

They reach the meeting's rows through its relations rather than importing
the meeting models, which import this module."""

import hashlib

from django.utils import timezone
from django.utils.translation import gettext as _

from home.people import person_name
from workgroups.models.groups import Membership


def fingerprint_of(text):
    return hashlib.sha256(text.encode()).hexdigest()


def quorum_of(meeting):
    """(voting members, voting members present, required) by the group's rule
    and the recorded attendance; observers have no vote."""
    voting = set(
        Membership.objects.voting()
        .filter(group_id=meeting.group_id)
        .values_list("user_id", flat=True)
    )
    present = set(meeting.attendance.values_list("user_id", flat=True))
    required = meeting.group.quorum_for(len(voting))
    return len(voting), len(voting & present), required


def quorum_sentence(voting, present, required):
    values = {"present": present, "voting": voting, "required": required}
    if present >= required:
        return (
            _(
                "Quorum reached: %(present)s of %(voting)s members with a vote "
                "attended (%(required)s required)."
            )
            % values
        )
    return (
        _(
            "Quorum not reached: %(present)s of %(voting)s members with a vote "
            "attended (%(required)s required). Decisions recorded here are not "
            "binding until confirmed at a quorate meeting."
        )
        % values
    )


def decision_outcome(decision) -> str:
    if decision.method == decision.Method.CONSENSUS:
        return _("Taken by consensus.")
    if decision.method == decision.Method.POLL:
        return _("Taken by a poll of the members.")
    return _("Vote: %(for)s for, %(against)s against, %(abstain)s abstained.") % {
        "for": decision.votes_for,
        "against": decision.votes_against,
        "abstain": decision.abstentions,
    }


def minutes_canonical_text(minutes) -> str:
    """The minutes as plain text in a fixed form: what the fingerprint hashes
    and the export contains. Action item statuses are left out: they change
    after approval without changing the record."""
    lines = meeting_heading_lines(minutes.meeting) + attendance_lines(minutes)
    lines += agenda_record_lines(minutes)
    return "\n".join(lines).strip() + "\n"


def meeting_heading_lines(meeting):
    """The group, the title, the time and the place of the meeting."""
    starts = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    ends = timezone.localtime(meeting.ends_at).strftime("%H:%M")
    lines = [meeting.group.name, meeting.title, f"{starts}–{ends} Europe/Warsaw"]
    if meeting.place:
        lines.append(meeting.place)
    if meeting.online_url:
        lines.append(meeting.online_url)
    return lines


def attendance_lines(minutes):
    """Who attended and whether the quorum was reached: as it stood at the
    approval once the minutes were approved, as it stands now before."""
    meeting = minutes.meeting
    attendees = sorted(
        person_name(attendance.user)
        for attendance in meeting.attendance.select_related("user")
    )
    if minutes.quorum_required is not None:
        quorum = (
            minutes.voting_members,
            minutes.voting_present,
            minutes.quorum_required,
        )
    else:
        quorum = quorum_of(meeting)
    return [
        _("Present: %(names)s") % {"names": ", ".join(attendees) or "—"},
        quorum_sentence(*quorum),
    ]


def agenda_record_lines(minutes):
    """Each agenda item, numbered after an empty line, with its notes, the
    conflicts declared on it, its decisions and its action items."""
    notes = {item.agenda_item_id: item.notes for item in minutes.items.all()}
    decisions = list(minutes.decisions.all())
    actions = list(minutes.action_items.select_related("owner"))
    items = minutes.meeting.agenda_items.prefetch_related("conflicts__user")
    lines = []
    for number, item in enumerate(items, start=1):
        lines += ["", f"{number}. {item.heading}"]
        if notes.get(item.pk):
            lines.append(notes[item.pk].strip())
        lines += [conflict_sentence(conflict) for conflict in item.conflicts.all()]
        for decision in decisions:
            if decision.agenda_item_id == item.pk:
                label = (
                    _("Decision taken between meetings: %(text)s")
                    if decision.taken_between_meetings
                    else _("Decision: %(text)s")
                )
                lines.append(label % {"text": decision.text})
                lines.append(decision_outcome(decision))
        lines += [action_line(a) for a in actions if a.agenda_item_id == item.pk]
    return lines


def conflict_sentence(conflict):
    text = (
        _("%(name)s declared a conflict of interest (%(what)s) and did not vote.")
        if conflict.recused
        else _("%(name)s declared a conflict of interest (%(what)s).")
    )
    return text % {"name": person_name(conflict.user), "what": conflict.description}


def action_line(action):
    return _("Action: %(text)s — %(owner)s, by %(due)s") % {
        "text": action.description,
        "owner": person_name(action.owner),
        "due": action.due_date.isoformat(),
    }
