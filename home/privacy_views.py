from functools import wraps

from allauth.account.decorators import reauthentication_required

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from home import mfa
from home import personal_data as privacy


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "I understand that the account is deleted for good and cannot be restored."
        )
    )


def privacy_notice(request):
    return render(request, "home/privacy_notice.html")


def _person(request, user_id):
    """The signed-in person, or — for an administrator — anyone."""
    if user_id is None:
        return request.user
    if not request.user.is_superuser:
        raise Http404
    return get_object_or_404(get_user_model(), pk=user_id)


def _acting_for_someone_else(view):
    """An administrator acting on another person's account confirms it with
    the second factor, entered within the last minutes (home/mfa.py); for
    one's own account the password is asked (allauth's reauthentication)."""

    @wraps(view)
    def wrapped(request, user_id=None):
        person = _person(request, user_id)
        if person.pk != request.user.pk and not mfa.second_factor_recently(
            request.session
        ):
            return mfa.ask_for_second_factor(request)
        return view(request, person)

    return login_required(wrapped)


@_acting_for_someone_else
def personal_data(request, person):
    return render(
        request,
        "home/personal_data.html",
        {"person": person, "form": EraseForm(), "own": person.pk == request.user.pk},
    )


@require_POST
@_acting_for_someone_else
def personal_data_download(request, person):
    # Whom it is about is checked before the password is asked for.
    return _download(request, person=person)


@reauthentication_required
def _download(request, person):
    archive = privacy.personal_data_archive(actor=request.user, user=person)
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(
        True, f"platforma-dane-{person.pk}-{timezone.now():%Y%m%d}.zip"
    )
    return response


@require_POST
@_acting_for_someone_else
def account_erase(request, person):
    return _erase(request, person=person)


@reauthentication_required
def _erase(request, person):
    form = EraseForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "home/personal_data.html",
            {"person": person, "form": form, "own": person.pk == request.user.pk},
            status=400,
        )
    own = person.pk == request.user.pk
    privacy.account_erase(actor=request.user, user=person)
    if own:
        logout(request)
    messages.success(request, _("The account was deleted."))
    return redirect(f"/{get_language()}/")
