"""Strings of the Wagtail admin that Wagtail's own Polish catalogue lacks
(new in Wagtail 8), on the screens an editor works with: the dashboard's
summary, the page explorer, the page editor, the image library, empty
listings.

Nothing calls this module: it exists so that ``makemessages`` keeps these
msgids in the project's catalogues (``locale/``), which Django consults
before Wagtail's, and so translates them. tests/documents/test_editor_admin.py
renders those screens and fails on any English sentence left."""

from django.utils.translation import gettext_noop, ngettext_lazy

SUMMARY = [
    ngettext_lazy(
        '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>',
        "total",
    ),
    ngettext_lazy(
        '%(total)s Image <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Images <span class="w-sr-only">created in %(site_name)s</span>',
        "total",
    ),
    ngettext_lazy(
        '%(total)s Document <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Documents <span class="w-sr-only">created in %(site_name)s</span>',
        "total",
    ),
]

# The explorer's count; its %(model_name)s is sometimes None (the explorer
# of a section without a page type), so the translations leave it out.
LISTING = [
    gettext_noop("%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s"),
    gettext_noop(
        "%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s across "
        "entire site."
    ),
    gettext_noop(
        "%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s in "
        "'<span class=\"w-title-ellipsis\">%(title)s</span>'."
    ),
    gettext_noop(
        "Focus on the drag button and press up or down arrows to move the item, "
        "then press enter to submit the change."
    ),
    # An empty listing (a snippet's, e.g. info points before the first one).
    gettext_noop("There are no %(model_name)s to display."),
    gettext_noop(
        'There are no %(model_name)s to display. Why not <a href="%(add_url)s">'
        "add one</a>?"
    ),
    gettext_noop("No %(model_name)s match your query."),
    gettext_noop("Usage count: (low to high)"),
    gettext_noop("Usage count: (high to low)"),
]

EDITOR = [
    # Names a screen reader gives the editor's footer and checks panel.
    gettext_noop("Actions (footer)"),
    gettext_noop("Toggle checks"),
    gettext_noop("Autosave is paused"),
    gettext_noop(
        "Correct the validation errors to resume preview (saving will highlight errors)"
    ),
    gettext_noop(
        "Reviewers can edit this %(model_name)s – lock it to prevent other "
        "reviewers from editing"
    ),
]
