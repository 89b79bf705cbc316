from django import template

from workgroups import panels

register = template.Library()


@register.simple_tag
def group_links(group, membership):
    return panels.group_links(group, membership)


@register.simple_tag(takes_context=True)
def dashboard_sections(context):
    return panels.dashboard_sections(context["request"])
