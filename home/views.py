from allauth.mfa.utils import is_mfa_enabled

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def account(request):
    """The signed-in person's own page: who they are and how they sign in."""
    return render(
        request,
        "home/account.html",
        {"mfa_enabled": is_mfa_enabled(request.user)},
    )
