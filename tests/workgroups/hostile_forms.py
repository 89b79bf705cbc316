"""The workspace's forms (meetings, minutes, invitations, notifications,
the discussion) as the hostile-input test posts them
(tests/test_hostile_input.py)."""

from datetime import datetime

from hypothesis import strategies as st

from tests.hostile import (
    Endpoint,
)
from workgroups.models import (
    AgendaItem,
    Ballot,
    Meeting,
    Membership,
    Message,
    Minutes,
    MinutesItem,
    Proposal,
    Topic,
)

words = st.text(
    alphabet=st.characters(categories=["L", "N", "Zs", "P"]), min_size=1, max_size=40
)
local_datetime = st.datetimes(
    # Naive on purpose: the form reads the wall-clock time the person typed.
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001
    max_value=datetime(2100, 1, 1),  # noqa: DTZ001
).map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M"))
dates = st.dates().map(str)
small_numbers = st.integers(min_value=-5, max_value=700).map(str)
checkbox = st.sampled_from(["on", ""])


def ids(values):
    return st.sampled_from([str(value) for value in values] + ["", "0", "-1"])


def member_ids(world):
    return ids(Membership.objects.filter(group=world.group).values_list("user_id"))


def item_ids(world):
    return ids(item.pk for item in world.items)


def meeting_fields(world):
    return {
        "title": words,
        "starts_at": local_datetime,
        "ends_at": local_datetime,
        "info_point": st.just(""),
        "address": words,
        "online_url": st.sampled_from(
            ["https://meet.example.org/abc", "", "javascript:alert(1)", "//evil"]
        ),
    }


def meeting_state(world):
    return list(Meeting.objects.filter(pk=world.meeting.pk).values())


def agenda_state(world):
    return list(AgendaItem.objects.filter(meeting=world.meeting).values()) + [
        Meeting.objects.get(pk=world.meeting.pk).agenda_version
    ]


def minutes_state(world):
    return [
        list(Minutes.objects.filter(pk=world.minutes.pk).values()),
        list(MinutesItem.objects.filter(minutes=world.minutes).values()),
    ]


def minutes_fields(world):
    fields = {"version": st.sampled_from(["0", "1", "7"])}
    fields |= {f"notes_{item.pk}": words for item in world.items}
    return fields


def decision_fields(world):
    fields = {
        "decision-agenda_item": item_ids(world),
        "decision-text": words,
        "decision-method": st.sampled_from(["consensus", "vote"]),
        "decision-follow_up": checkbox,
    }
    for membership in Membership.objects.filter(group=world.group):
        fields[f"decision-vote_{membership.user_id}"] = st.sampled_from(
            ["for", "against", "abstain", ""]
        )
    return fields


def _meeting(path):
    return lambda world: f"/pl/workspace/meetings/{world.meeting.pk}/{path}"


def _group(path):
    return lambda world: f"/pl/workspace/groups/{world.group.pk}/{path}"


def _topic(path):
    return lambda world: (
        f"/pl/discussion/{world.group.pk}/topics/{world.topic.pk}/{path}"
    )


def topic_state(world):
    return list(Topic.objects.filter(pk=world.topic.pk).values())


def message_state(world):
    return list(Message.objects.filter(pk=world.message.pk).values())


def _proposal(path, name="proposal"):
    return lambda world: f"/pl/workspace/proposals/{getattr(world, name).pk}/{path}"


def proposal_state(world):
    return [
        list(Proposal.objects.filter(pk=world.proposal.pk).values()),
        list(Ballot.objects.values()),
    ]


def proposal_fields(world):
    return {
        "title": words,
        "text": words,
        "kind": st.sampled_from(["consent", "choice", "score", "inne"]),
        "options": st.lists(words, max_size=12).map("\n".join),
        "closes_at": local_datetime,
        "secret": checkbox,
        "results_after_close": checkbox,
        "close_when_all_voted": checkbox,
        "agenda_item": item_ids(world),
        "topic": ids([world.topic.pk]),
    }


ENDPOINTS = {
    "meeting_create": Endpoint(_group("meetings/new/"), meeting_fields),
    "meeting_edit": Endpoint(_meeting("edit/"), meeting_fields, state=meeting_state),
    "agenda_add": Endpoint(
        _meeting("agenda/"),
        lambda world: {
            "title": words,
            "presenter": member_ids(world),
            "duration_minutes": small_numbers,
        },
        state=agenda_state,
    ),
    "agenda_reorder": Endpoint(
        _meeting("agenda/order/"),
        lambda world: {
            "order": st.permutations([item.pk for item in world.items]).map(
                lambda order: ",".join(map(str, order))
            ),
            "version": st.sampled_from(["0", "1", "2", "3"]),
        },
        state=agenda_state,
    ),
    "rsvp": Endpoint(
        _meeting("rsvp/"),
        lambda world: {"answer": st.sampled_from(["yes", "no", "maybe"])},
    ),
    "attendance": Endpoint(
        _meeting("attendance/"),
        lambda world: {"present": st.lists(member_ids(world), max_size=4)},
    ),
    "conflict_declare": Endpoint(
        _meeting("conflicts/"),
        lambda world: {
            "agenda_item": item_ids(world),
            "description": words,
            "recused": checkbox,
        },
    ),
    "minutes_edit": Endpoint(
        _meeting("minutes/edit/"), minutes_fields, state=minutes_state
    ),
    "decision_add": Endpoint(_meeting("minutes/decisions/"), decision_fields),
    "action_add": Endpoint(
        _meeting("minutes/actions/"),
        lambda world: {
            "action-agenda_item": item_ids(world),
            "action-description": words,
            "action-owner": member_ids(world),
            "action-due_date": dates,
        },
    ),
    "minutes_approve": Endpoint(
        _meeting("minutes/approve/"),
        lambda world: {"version": st.sampled_from(["0", "1"])},
        state=minutes_state,
    ),
    "minutes_correct": Endpoint(
        _meeting("minutes/correct/"),
        lambda world: {"reason": words},
        state=minutes_state,
    ),
    "action_status": Endpoint(
        lambda world: f"/pl/workspace/actions/{world.action.pk}/status/",
        lambda world: {"status": st.sampled_from(["open", "in_progress", "done"])},
    ),
    "invitations": Endpoint(
        _group("invitations/"),
        lambda world: {
            "email": st.emails().map(str),
            "role": st.sampled_from(["chair", "secretary", "expert", "observer"]),
            "first_name": st.text(max_size=40),
            "last_name": st.text(max_size=40),
            "language": st.sampled_from(["pl", "uk", "en", "", "de"]),
        },
    ),
    "notifications": Endpoint(
        lambda world: "/pl/workspace/notifications/",
        lambda world: dict.fromkeys(
            ("meeting_scheduled", "minutes_approved", "proposal_closed"),
            st.sampled_from(["immediately", "digest", "never", "", "always"]),
        ),
    ),
    "calendar": Endpoint(
        lambda world: "/pl/workspace/calendar/",
        lambda world: {"action": st.sampled_from(["create", "revoke"])},
        feedback=False,  # a new address is shown on the page itself
    ),
    "decision_register": Endpoint(
        _group("decisions/"), lambda world: {"q": words}, method="get"
    ),
    "proposal_create": Endpoint(_group("proposals/new/"), proposal_fields),
    "proposal_vote": Endpoint(
        _proposal("vote/"),
        lambda world: {
            "choice": st.sampled_from(["agree", "abstain", "block", "0", "x", ""]),
            "reason": words,
        },
        state=proposal_state,
    ),
    "poll_vote": Endpoint(
        _proposal("vote/", "poll"),
        lambda world: {"score_0": small_numbers, "score_1": small_numbers},
    ),
    "proposal_conflict": Endpoint(
        _proposal("conflict/"), lambda world: {"description": words}
    ),
    "proposal_close": Endpoint(
        _proposal("close/"), lambda world: {}, state=proposal_state
    ),
    # The discussion's pages (the socket has tests of its own).
    "topic_create": Endpoint(
        lambda world: f"/pl/discussion/{world.group.pk}/",
        lambda world: {"title": words},
        feedback=False,  # a new topic opens, an error shows on the form
    ),
    "message_post": Endpoint(
        _topic(""),
        lambda world: {"body": words, "client_id": st.uuids().map(str)},
        feedback=False,  # the message shows in the list
    ),
    "topic_manage": Endpoint(
        _topic("manage/"),
        lambda world: {
            "action": st.sampled_from(["rename", "close", "reopen"]),
            "title": words,
        },
        state=topic_state,
    ),
    "message_edit": Endpoint(
        lambda world: (
            f"/pl/discussion/{world.group.pk}/messages/{world.message.pk}/edit/"
        ),
        lambda world: {"body": words},
        state=message_state,
        feedback=False,  # the message shows its new text
    ),
    "discussion_search": Endpoint(
        lambda world: "/pl/discussion/search/", lambda world: {"q": words}, method="get"
    ),
    "discussion_history": Endpoint(
        _topic("history/"),
        lambda world: {"before": st.integers(-1, 10**20).map(str)},
        method="get",
    ),
}
