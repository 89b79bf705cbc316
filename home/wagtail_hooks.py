from django.contrib.auth import get_user_model
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from home import avatars, translation_views
from home.models import InfoPoint, OutgoingEmail


class InfoPointViewSet(SnippetViewSet):
    model = InfoPoint
    icon = "site"
    menu_label = _("Info points")
    list_display = ["name", "kind", "city", "address"]
    list_filter = ["kind", "locale"]
    add_to_admin_menu = True
    menu_order = 300


register_snippet(InfoPointViewSet)


class SuperusersReadOnly(BasePermissionPolicy):
    """The outbox holds every mail's text and address: administrators read
    it, nobody edits it (the task alone writes it)."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.is_superuser

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return get_user_model().objects.filter(is_active=True, is_superuser=True)


register_permission_policy(OutgoingEmail, SuperusersReadOnly(OutgoingEmail))


class OutgoingEmailViewSet(ModelViewSet):
    """The outbox in the admin, failed mails first to be found by a filter
    (docs/subsystems/email-outbox.md): a list and each mail, nothing to add or edit."""

    model = OutgoingEmail
    icon = "mail"
    menu_label = _("Outgoing e-mail")
    add_to_settings_menu = True
    list_display = ["created_at", "recipients", "subject", "kind", "status", "attempts"]
    list_filter = ["status", "kind"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "status",
        "recipients",
        "from_email",
        "subject",
        "kind",
        "created_at",
        "attempts",
        "next_attempt_at",
        "finished_at",
        "last_error",
        "body",
    ]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
        ]


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return OutgoingEmailViewSet("outbox")


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


@hooks.register("get_avatar_url")
def avatar_of_initials(user, size):
    """A picture someone uploaded in their account stays theirs; everyone
    else gets their initials, drawn here (home/avatars.py)."""
    if user is None or user.pk is None:
        return None  # an entry of the history made by the system
    profile = getattr(user, "wagtail_userprofile", None)
    if profile is not None and profile.avatar:
        return None
    return avatars.initials_url(user, size)


@hooks.register("construct_homepage_panels")
def translations_to_do(request, panels):
    if translation_views.may_translate(request.user):
        panels.append(translation_views.TranslationsPanel())


@hooks.register("register_admin_urls")
def register_translation_urls():
    urls = [
        path(
            "<int:page_id>/<str:language>/export/",
            translation_views.translation_export,
            name="export",
        ),
        path(
            "<int:page_id>/<str:language>/import/",
            translation_views.translation_import,
            name="import",
        ),
        path(
            "info-points/<int:pk>/<str:language>/export/",
            translation_views.info_point_export,
            name="info_point_export",
        ),
        path(
            "info-points/<int:pk>/<str:language>/import/",
            translation_views.info_point_import,
            name="info_point_import",
        ),
    ]
    return [path("translations/", include((urls, "home_translations")))]
