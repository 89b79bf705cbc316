from django.utils.translation import gettext_lazy as _

from wagtail import hooks
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


@hooks.register("register_log_actions")
def register_privacy_log_actions(actions):
    actions.register_action(
        "home.personal_data.export",
        _("Export personal data"),
        _("Personal data exported"),
    )
    actions.register_action(
        "home.account.erase", _("Delete account"), _("Account deleted")
    )
    actions.register_action(
        "home.retention.purge",
        _("Purge personal data"),
        _("Personal data past its retention period deleted"),
    )
