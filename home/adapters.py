from allauth.account.adapter import DefaultAccountAdapter

from django.urls import reverse, translate_url
from django.utils import translation

from home import people


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come from invitations or an administrator, never from a public
    sign-up form."""

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        """Editors land on the admin dashboard, everyone else on the page
        ``landing_url`` names, in the language they chose. allauth asks only
        when the sign-in carried no safe ``next``, which wins."""
        user = request.user
        if user.has_perm("wagtailadmin.access_admin"):
            return reverse("wagtailadmin_home")
        language = people.preferred_language(user) or translation.get_language()
        with translation.override(language):
            return self.landing_url(request)

    def send_mail(self, template_prefix, email, context):
        """allauth's mails (password reset, address confirmation) in the
        language the account's owner chose, else the page's; their links
        (``password_reset_url``, ``activate_url``…) lead to pages of that
        language too."""
        user = context.get("user")
        language = people.preferred_language(user) if user is not None else ""
        language = language or translation.get_language()
        context = {
            name: translate_url(value, language)
            if name.endswith("_url") and isinstance(value, str)
            else value
            for name, value in context.items()
        }
        with translation.override(language):
            return super().send_mail(template_prefix, email, context)

    def landing_url(self, request):
        return super().get_login_redirect_url(request)
