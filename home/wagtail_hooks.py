from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from home.models import InfoPoint


class InfoPointViewSet(SnippetViewSet):
    model = InfoPoint
    icon = "site"
    menu_label = _("Info points")
    list_display = ["name", "kind", "city", "address"]
    list_filter = ["kind", "locale"]
    add_to_admin_menu = True
    menu_order = 300


register_snippet(InfoPointViewSet)
