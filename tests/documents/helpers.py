from documents import services
from tests.workgroups.factories import MembershipFactory
from workgroups.models import Membership


def group_with_draft(text="Pierwszy akapit.\n\nDrugi akapit.", **membership):
    """An expert of a fresh group and a draft they wrote (version 1)."""
    author = MembershipFactory(role=Membership.Role.EXPERT, **membership)
    draft = services.draft_create(
        actor=author.user, group=author.group, title="Rekomendacja", text=text
    )
    return author, draft


def chair_of(group):
    return MembershipFactory(group=group, role=Membership.Role.CHAIR).user


def recommendations_section(programme):
    """The programme's recommendations section, set up as documents.demo
    does (review workflow, editors may publish there)."""
    from documents.models import RecommendationIndexPage
    from documents.review import prepare_section
    from tests.pages import publish

    index = publish(
        programme, RecommendationIndexPage(title="Rekomendacje", slug="rekomendacje")
    )
    prepare_section(index)
    return index


def decision_in_approved_minutes(draft, chair, *, link=True, approve=True, **kwargs):
    """A meeting of the draft's group with the draft on its agenda (unless
    ``link`` is false) and a decision on it, in minutes the chair approved
    (unless ``approve`` is false)."""
    from tests.workgroups.factories import AgendaItemFactory, MeetingFactory
    from workgroups.services import minutes as minutes_services

    item = AgendaItemFactory(meeting=MeetingFactory(group=draft.group))
    if link:
        services.agenda_draft_link(actor=chair, agenda_item=item, draft=draft)
    minutes = minutes_services.minutes_start(actor=chair, meeting=item.meeting)
    decision = minutes_services.decision_record(
        actor=chair,
        minutes=minutes,
        agenda_item=item,
        text=kwargs.pop("text", "Zespół przyjmuje rekomendację."),
        **kwargs,
    )
    if approve:
        minutes.refresh_from_db()
        minutes_services.minutes_approve(
            actor=chair, minutes=minutes, base_version=minutes.version
        )
    return decision


def approved_by_group(draft, chair, version=None):
    """Group review, a decision of approved minutes, the recorded approval."""
    from documents import review

    review.submit_for_group_review(actor=chair, draft_id=draft.pk)
    decision = decision_in_approved_minutes(draft, chair)
    draft.refresh_from_db()
    review.record_group_approval(
        actor=chair,
        draft_id=draft.pk,
        decision_id=decision.pk,
        version_number=version or draft.version,
    )
    return decision


def opened_form(client, draft, **changes):
    """The plain edit form as the page gives it now (its hidden base version
    and live fingerprint included), with ``changes``: what a browser without
    JavaScript posts."""
    initial = client.get(f"/pl/drafts/{draft.pk}/edit/").context["form"].initial
    fields = ("title", "summary", "text", "base_version", "live_state")
    return {name: initial[name] for name in fields} | {"note": ""} | changes
