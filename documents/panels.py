"""The drafts on the working groups' pages (see workgroups.panels)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from documents.models import Draft
from workgroups.panels import register_dashboard_section, register_group_link


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
