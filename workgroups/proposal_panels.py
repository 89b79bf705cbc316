"""Where proposals show in the rest of the workspace: a link on the group's
page, and under each agenda item its votes and (for those who run the
meeting) a link to open one — through the same registries the drafts use."""

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from workgroups import panels
from workgroups.proposal_selectors import proposals_of_items


@panels.register_group_link
def proposals_link(group, membership):
    return [
        (_("Proposals and votes"), reverse("workgroups:proposals", args=[group.pk]))
    ]


@panels.register_agenda_item_extras
def agenda_item_votes(request, meeting, items, membership):
    found = proposals_of_items(items)
    extras = {}
    for item in items:
        parts = [
            format_html(
                '<li><a href="{}">{}</a> ({})</li>',
                p.get_absolute_url(),
                _("Vote: %(title)s") % {"title": p.title},
                p.get_outcome_display() if not p.is_open else p.get_status_display(),
            )
            for p in found.get(item.pk, [])
        ]
        if membership.can_manage and not meeting.is_cancelled:
            url = reverse("workgroups:proposal_create", args=[meeting.group_id])
            parts.append(
                format_html(
                    '<li><a href="{}?agenda_item={}">{}</a></li>',
                    url,
                    item.pk,
                    _("Open a vote on this item"),
                )
            )
        if parts:
            extras[item.pk] = format_html(
                '<ul class="link-list">{}</ul>',
                format_html_join("", "{}", ((p,) for p in parts)),
            )
    return extras
