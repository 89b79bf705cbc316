from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts

from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from home import mfa


class SiteCSPMiddleware(CSPMiddleware):
    """The site's nonce-based policy everywhere except the Wagtail admin, which
    gets ``ADMIN_CONTENT_SECURITY_POLICY``. A preview the admin renders (Wagtail
    runs it through the middleware as a "dummy" request for the page's public
    URL) keeps the public policy but may be framed by the admin's preview
    panel, from this origin only."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if mfa.admin_path(request) and not report_only:
            return PolicyParts(config=settings.ADMIN_CONTENT_SECURITY_POLICY)
        if getattr(request, "is_dummy", False) and not report_only:
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts

    def process_response(self, request, response):
        if getattr(request, "is_dummy", False):
            response["X-Frame-Options"] = "SAMEORIGIN"
        return super().process_response(request, response)


class SecondFactorMiddleware:
    """Where a stolen password alone must not reach (``home/mfa.py``): the
    admin, in a session that used the second factor; for people who must
    use one for group work, the workspace too. Setting one up for such an
    account starts with the e-mail confirmation."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        match = request.resolver_match
        if match.url_name == "mfa_activate_totp":
            if mfa.enrolment_needs_confirmation(request):
                return mfa.ask_for_second_factor(request)
            return None
        if _needs_second_factor(request, match) and not (
            mfa.session_used_second_factor(request.session)
        ):
            return mfa.ask_for_second_factor(request)
        return None


def _needs_second_factor(request, match):
    if mfa.admin_path(request):
        return mfa.may_enter_admin(request.user)
    if not request.session.get(mfa.REQUIRED_KEY):
        return False
    return bool(
        set(match.namespaces) & set(settings.SECOND_FACTOR_NAMESPACES)
        or match.url_name in settings.SECOND_FACTOR_URL_NAMES
    )


class PrivateResponsesMiddleware:
    """What a signed-in person sees is theirs alone: no proxy or browser cache
    may keep it or hand it to someone else (docs/security.md, HD-04)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            # "max-age=0, no-cache, no-store, must-revalidate, private"
            add_never_cache_headers(response)
            patch_vary_headers(response, ["Cookie"])
        return response
