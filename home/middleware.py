from allauth.mfa.utils import is_mfa_enabled
from csp.middleware import CSPMiddleware, PolicyParts

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _


def _is_admin_path(request):
    return request.path_info.startswith(settings.ADMIN_URL_PREFIX)


class SiteCSPMiddleware(CSPMiddleware):
    """The site's nonce-based policy everywhere except the Wagtail admin, which
    gets ``ADMIN_CONTENT_SECURITY_POLICY``."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if _is_admin_path(request) and not report_only:
            return PolicyParts(config=settings.ADMIN_CONTENT_SECURITY_POLICY)
        return parts


class RequireAdminMFAMiddleware:
    """Staff and editors must set up two-factor authentication before the admin
    opens: a stolen password alone must not reach the programme's pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            _is_admin_path(request)
            and user.is_authenticated
            and user.has_perm("wagtailadmin.access_admin")
            and not is_mfa_enabled(user)
        ):
            messages.warning(
                request,
                _(
                    "Set up two-factor authentication before you open the "
                    "administration panel."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)


class PrivateResponsesMiddleware:
    """What a signed-in person sees is theirs alone: no proxy or browser cache
    may keep it or hand it to someone else (docs/security.md, HD-04)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
            response.headers["Cache-Control"] += ", private"
            patch_vary_headers(response, ["Cookie"])
        return response
