"""The public's e-mail subscription pages: subscribe, confirm from the mail,
unsubscribe in one click (home/subscriptions.py)."""

from allauth.core.ratelimit import consume_or_429

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from home import subscriptions
from home.models import Subscription


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"), max_length=254)
    topics = forms.MultipleChoiceField(
        label=gettext_lazy("What to send"),
        choices=Subscription.Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one topic.")},
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the e-mails"), choices=settings.LANGUAGES
    )


@require_http_methods(["GET", "POST"])
def subscribe(request):
    """The form; the same answer whatever the address's state, once a
    confirmation mail is on its way (rate-limited per address and per
    network address)."""
    form = SubscribeForm(
        request.POST or None,
        initial={
            "language": (get_language() or "pl").split("-")[0],
            "topics": Subscription.Topic.values,
        },
    )
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        refused = consume_or_429(request, action="subscribe", key=email)
        if refused is not None:
            return refused
        subscriptions.subscription_request(
            email=email,
            language=form.cleaned_data["language"],
            topics=form.cleaned_data["topics"],
        )
        messages.success(
            request,
            _(
                "Thank you. If the address is right, a mail with a confirmation "
                "link is on its way: nothing will be sent before you confirm."
            ),
        )
        return redirect(reverse("home:subscribe"))
    return render(
        request,
        "home/subscribe.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """A button (mail scanners open links; only a person presses it)."""
    try:
        if request.method == "POST":
            subscription = subscriptions.subscription_confirm(token=token)
            return render(
                request, "home/subscription_done.html", {"subscription": subscription}
            )
        subscriptions.subscription_check(token=token)
    except subscriptions.SubscriptionLinkError as error:
        return render(
            request,
            "home/subscription_confirm.html",
            {"error": error.message},
            status=400,
        )
    return render(request, "home/subscription_confirm.html", {})


@csrf_exempt  # the mail's one-click POST (RFC 8058) carries no CSRF token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """GET asks to press a button; POST (the button or a mail program's
    one-click unsubscribe) unsubscribes and forgets the address."""
    if request.method == "POST":
        subscriptions.subscription_cancel(token=token)
        return render(request, "home/unsubscribe.html", {"done": True})
    subscription = subscriptions.subscription_by_token(token)
    return render(
        request,
        "home/unsubscribe.html",
        {"subscription": subscription},
        status=200 if subscription else 404,
    )
