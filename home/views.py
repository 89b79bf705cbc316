from allauth.mfa.utils import is_mfa_enabled

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from home import people
from home.actions import perform
from home.name_forms import AccountProfileForm
from home.search import search_public_pages


@login_required
def account(request):
    """The signed-in person's own page: who they are, how they sign in, and
    the form for their name and preferred language."""
    form = AccountProfileForm(
        request.POST or None,
        initial={
            "first_name": request.user.first_name,
            "last_name": request.user.last_name,
            "language": people.preferred_language(request.user),
        },
    )
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        with translation.override(language or translation.get_language()):
            return perform(
                request,
                lambda: people.account_profile_update(
                    actor=request.user, user=request.user, **form.cleaned_data
                ),
                success=_("Your details are saved."),
                redirect_to=reverse("home:account"),
            )
    return render(
        request,
        "home/account.html",
        {"mfa_enabled": is_mfa_enabled(request.user), "form": form},
        status=400 if form.errors else 200,
    )


def search(request):
    """Search public pages in the reader's language."""
    query = request.GET.get("q", "")
    results, words = search_public_pages(query, request.GET.get("page", 1))
    return render(
        request,
        "home/search.html",
        {"query": query.strip(), "results": results, "words": words},
    )
