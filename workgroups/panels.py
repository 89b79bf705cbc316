"""Links and dashboard sections that apps built on the working groups (the
drafts) add to the group page and the dashboard — so that the working groups
never import them (dependencies point one way: documents → workgroups)."""

_group_links = []
_dashboard_sections = []


def register_group_link(function):
    """``function(group, membership)`` returns ``(label, url)`` pairs."""
    _group_links.append(function)
    return function


def register_dashboard_section(function):
    """``function(request)`` returns the section's HTML (safe)."""
    _dashboard_sections.append(function)
    return function


def group_links(group, membership):
    return [link for function in _group_links for link in function(group, membership)]


def dashboard_sections(request):
    return [function(request) for function in _dashboard_sections]
