from django import template

from workgroups.discussion import selectors
from workgroups.discussion.text import render

register = template.Library()


@register.filter
def message_html(message):
    """A message's text as safe HTML: escaped, with http(s) links and the
    @mentions of members (prefetch ``mentions__user``, or set
    ``mention_names`` as the writer does, which has just stored them)."""
    names = getattr(message, "mention_names", None)
    if names is None:
        names = {mention.user.username for mention in message.mentions.all()}
    return render(message.body, names)


@register.inclusion_tag("workgroups/discussion/_unread.html", takes_context=True)
def discussion_unread(context):
    """Unread messages per group of the signed-in person (for the dashboard)."""
    from workgroups.selectors import groups_of

    user = context["request"].user
    _, per_group = selectors.unread_counts(user)
    groups = [group for group in groups_of(user) if per_group.get(group.pk)]
    for group in groups:
        group.unread = per_group[group.pk]
    return {"groups": groups}
