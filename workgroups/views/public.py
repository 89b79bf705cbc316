"""The working groups' public profiles: who they are, the members who agreed
to be listed, and the recommendations they published. Nothing of the
workspace (meetings, drafts, discussion) is shown here."""

from django.http import Http404
from django.shortcuts import render

from home.selectors import public_pages_in_reader_language
from workgroups.models import Membership, WorkingGroup


def group_list(request):
    groups = WorkingGroup.objects.filter(is_active=True).select_related("area")
    return render(request, "workgroups/public/group_list.html", {"groups": groups})


def group_profile(request, slug):
    group = (
        WorkingGroup.objects.filter(slug=slug, is_active=True)
        .select_related("area")
        .first()
    )
    if group is None:
        raise Http404
    members = (
        Membership.objects.listed()
        .filter(group=group, user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )
    # Recommendation pages live in ``documents``; they are read through the
    # page tree (dependencies point one way:
    # docs/architecture.md#apps-and-the-dependency-rule).
    recommendations = (
        public_pages_in_reader_language()
        .filter(recommendationpage__group=group)
        .order_by("-first_published_at")
    )
    return render(
        request,
        "workgroups/public/group_profile.html",
        {"group": group, "members": members, "recommendations": recommendations},
    )
