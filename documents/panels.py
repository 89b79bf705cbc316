"""The drafts on the working groups' pages (see workgroups.panels)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from documents.models import AgendaDraft, Draft, DraftApproval
from workgroups.panels import (
    register_agenda_item_extras,
    register_dashboard_section,
    register_decision_extras,
    register_group_link,
)


@register_group_link
def drafts_link(group, membership):
    return [(_("Drafts"), reverse("documents:group_drafts", args=[group.pk]))]


@register_dashboard_section
def recent_drafts(request):
    drafts = (
        Draft.objects.for_member(request.user)
        .select_related("group")
        .order_by("-updated_at")[:5]
    )
    return render_to_string(
        "documents/_dashboard_drafts.html", {"drafts": drafts}, request=request
    )


@register_agenda_item_extras
def agenda_drafts(request, meeting, items, membership):
    """Each item's linked drafts and, for the chair and the secretary, a form to
    link one of the group's drafts."""
    links = {}
    for link in AgendaDraft.objects.filter(agenda_item__in=items).select_related(
        "draft"
    ):
        links.setdefault(link.agenda_item_id, []).append(link.draft)
    choices = (
        list(Draft.objects.filter(group_id=meeting.group_id).only("pk", "title"))
        if membership.can_manage and not meeting.is_cancelled
        else []
    )
    return {
        item.pk: render_to_string(
            "documents/_agenda_drafts.html",
            {"item": item, "drafts": links.get(item.pk, []), "choices": choices},
            request=request,
        )
        for item in items
        if links.get(item.pk) or choices
    }


@register_decision_extras
def accepted_suggestions(decisions):
    """Under a decision that approved a draft: the suggestions the group
    accepted in its review (docs/subsystems/suggestions.md)."""
    approvals = (
        DraftApproval.objects.filter(decision__in=decisions)
        .select_related("draft", "version")
        .prefetch_related("accepted_suggestions__author")
    )
    return {
        approval.decision_id: render_to_string(
            "documents/_approval_suggestions.html",
            {"approval": approval, "show_authors": True},
        )
        for approval in approvals
    }
