"""Links and dashboard sections that apps built on the working groups (the
drafts) add to the group page and the dashboard — so that the working groups
never import them (dependencies point one way: documents → workgroups)."""

_group_links = []
_dashboard_sections = []
_agenda_item_extras = []
_decision_extras = []


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


def register_agenda_item_extras(function):
    """``function(request, meeting, items, membership)`` returns a dict from an
    agenda item's id to the HTML (safe) shown under that item; it should read
    what it needs for all items at once."""
    _agenda_item_extras.append(function)
    return function


def agenda_item_extras(request, meeting, items, membership):
    extras = {}
    for function in _agenda_item_extras:
        for item_id, html in function(request, meeting, items, membership).items():
            extras.setdefault(item_id, []).append(html)
    return extras


def register_decision_extras(function):
    """``function(decisions)`` returns a dict from a decision's id to the
    HTML (safe) shown under it in the minutes (the suggestions a draft's
    approval accepted); it should read what it needs for all at once."""
    _decision_extras.append(function)
    return function


def decision_extras(decisions):
    extras = {}
    for function in _decision_extras:
        for decision_id, html in function(decisions).items():
            extras.setdefault(decision_id, []).append(html)
    return extras
