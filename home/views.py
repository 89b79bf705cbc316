from allauth.mfa.utils import is_mfa_enabled

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from home.search import search_public_pages


@login_required
def account(request):
    """The signed-in person's own page: who they are and how they sign in."""
    return render(
        request,
        "home/account.html",
        {"mfa_enabled": is_mfa_enabled(request.user)},
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
