from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts come from invitations or an administrator, never from a public
    sign-up form."""

    def is_open_for_signup(self, request):
        return False
