from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.generic import RedirectView

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from home import mfa
from home import urls as home_urls
from home.api import api_router
from home.sitemap import MultilingualSitemap
from workgroups.admin_views import SiteHistoryView
from workgroups.views import invitations

urlpatterns = [
    # Every sign-in goes through allauth (rate limits, MFA); the admin's own
    # login and password-reset forms are never reachable.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
    ),
    # Site history without the groups' private files (workgroups/access.py).
    path(
        "admin/reports/site-history/",
        require_admin_access(SiteHistoryView.as_view()),
    ),
    path(
        "admin/reports/site-history/results/",
        require_admin_access(SiteHistoryView.as_view(results_only=True)),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": MultilingualSitemap}}),
]

urlpatterns += i18n_patterns(
    # Wagtail's front-end login form (for private pages) is Django's LoginView:
    # no rate limit and no second factor. Private pages send people to allauth
    # (WAGTAIL_FRONTEND_LOGIN_URL); the form itself is never reachable.
    path(
        "_util/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
    ),
    path("privacy/", include("home.privacy_urls")),
    path("accounts/2fa/confirm/", mfa.enrol, name="second_factor_enrol"),
    # allauth's sign-up, prefilled with the invitation's name.
    path(
        "accounts/signup/",
        invitations.InvitationSignupView.as_view(),
        name="account_signup",
    ),
    path("accounts/", include("allauth.urls")),
    path("drafts/", include("documents.urls")),
    path("workspace/", include("workgroups.urls")),
    path("zespoly/", include("workgroups.urls_public")),
    path("", include(home_urls)),
    path("discussion/", include("workgroups.urls_discussion")),
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + (
        urlpatterns
    )
