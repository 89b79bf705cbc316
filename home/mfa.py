"""The second factor (docs/security.md, AU-04): where a password alone is not
enough, and how a second factor is set up when the password is all an
attacker might have.

- The admin opens only in a session that used the second factor (signed in
  with it, or confirmed it since); everyone who may enter the admin must
  have one.
- Members of a working group that requires a second factor (the group's
  setting) must use one to reach the workspace: their sign-in marks the
  session (``workgroups/receivers.py``), ``SecondFactorMiddleware`` holds
  them to it.
- Setting up a second factor for an account that must have one is confirmed
  with a code sent to the account's verified e-mail address: someone who
  only knows the password cannot enrol an authenticator of their own.
- Acting on another person's account (their data, its erasure) needs the
  second factor confirmed within the last minutes (``second_factor_recently``).
"""

import hashlib
import secrets
import time
from functools import wraps

from allauth.account.internal.flows.reauthentication import suspend_request
from allauth.account.models import EmailAddress
from allauth.mfa.utils import is_mfa_enabled

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from home import outbox

AUTHENTICATION_RECORDS_KEY = "account_authentication_methods"  # allauth's
# Set at sign-in for people who must use a second factor for group work.
REQUIRED_KEY = "platforma_second_factor_required"
CONFIRMATION_KEY = "platforma_enrolment_code"
CONFIRMED_KEY = "platforma_enrolment_confirmed_at"
CODE_LIFETIME = 10 * 60  # seconds
CONFIRMED_LIFETIME = 15 * 60  # seconds to set up the authenticator after
CODE_ATTEMPTS = 5
RESEND_AFTER = 60  # seconds between two codes
STEP_UP_SECONDS = 5 * 60  # how recent the second factor must be


def second_factor_records(session):
    records = session.get(AUTHENTICATION_RECORDS_KEY) or []
    return [
        record
        for record in records
        if isinstance(record, dict) and record.get("method") == "mfa"
    ]


def session_used_second_factor(session):
    """Whether this session was signed in or confirmed with a second factor
    (allauth records each authentication step in the session)."""
    return bool(second_factor_records(session))


def second_factor_recently(session, *, within=STEP_UP_SECONDS):
    return any(
        time.time() - record.get("at", 0) < within
        for record in second_factor_records(session)
    )


def may_enter_admin(user):
    return user.is_authenticated and user.has_perm("wagtailadmin.access_admin")


def must_use_second_factor(request):
    """Whether this person's work needs a second factor at all."""
    return may_enter_admin(request.user) or bool(request.session.get(REQUIRED_KEY))


def _with_next(url_name, next_url):
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def ask_for_second_factor(request):
    """Where to send someone who must use a second factor for this request:
    to set one up (after confirming their e-mail), or to enter it."""
    if not is_mfa_enabled(request.user):
        messages.warning(
            request,
            _(
                "This part of the platform needs two-factor authentication. "
                "Set it up first: we send a code to your e-mail address to "
                "confirm that it is you."
            ),
        )
        return redirect(_with_next("second_factor_enrol", request.get_full_path()))
    return suspend_request(request, reverse("mfa_reauthenticate"))


def second_factor_step_up(view):
    """A view that acts for someone else: the second factor, entered within
    the last ``STEP_UP_SECONDS``, besides the sign-in (allauth replays a
    suspended POST once it is confirmed)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not second_factor_recently(request.session):
            return ask_for_second_factor(request)
        return view(request, *args, **kwargs)

    return login_required(wrapped)


# --- setting up a second factor, confirmed by e-mail --------------------------


def enrolment_confirmed(session):
    confirmed_at = session.get(CONFIRMED_KEY)
    return bool(confirmed_at and time.time() - confirmed_at < CONFIRMED_LIFETIME)


def _digest(code):
    return hashlib.sha256(code.encode()).hexdigest()


def _primary_address(user):
    address = EmailAddress.objects.filter(user=user, verified=True, primary=True)
    address = (
        address.first() or EmailAddress.objects.filter(user=user, verified=True).first()
    )
    return address.email if address else None


def _send_code(request):
    """A new six-digit code to the account's verified address; the session
    keeps only its digest, its expiry and the attempts left."""
    state = request.session.get(CONFIRMATION_KEY) or {}
    if time.time() - state.get("sent_at", 0) < RESEND_AFTER:
        return False
    address = _primary_address(request.user)
    if address is None:
        return False
    code = f"{secrets.randbelow(10**6):06d}"
    request.session[CONFIRMATION_KEY] = {
        "digest": _digest(code),
        "sent_at": time.time(),
        "attempts": CODE_ATTEMPTS,
    }
    outbox.mail_queue(
        to=[address],
        subject=_("Your code to set up two-factor authentication"),
        body=_(
            "Someone (we hope you) is setting up two-factor authentication for "
            "your account on the Platforma współpracy. The code is:\n\n"
            "%(code)s\n\nIt is valid for 10 minutes. If it was not you, change "
            "your password and tell the administrator."
        )
        % {"code": code},
        kind="second_factor_code",
    )
    return True


def _code_matches(request, code):
    state = request.session.get(CONFIRMATION_KEY)
    if not state or time.time() - state["sent_at"] > CODE_LIFETIME:
        return False, _("The code has expired. Ask for a new one.")
    if state["attempts"] <= 0:
        return False, _("Too many wrong codes. Ask for a new one.")
    state["attempts"] -= 1
    request.session[CONFIRMATION_KEY] = state
    if not constant_time_compare(state["digest"], _digest(code)):
        return False, _("That code is not right.")
    return True, ""


class EnrolmentCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from the e-mail"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("mfa_index")


@login_required
def enrol(request):
    """Confirm by e-mail before setting up an authenticator; then on to
    allauth's TOTP set-up."""
    next_url = _safe_next(request)
    activate = _with_next("mfa_activate_totp", next_url)
    if is_mfa_enabled(request.user) or enrolment_confirmed(request.session):
        return redirect(activate)
    form = EnrolmentCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and request.POST.get("action") == "resend":
        form = EnrolmentCodeForm()
        if _send_code(request):
            messages.success(request, _("A new code is on its way."))
        else:
            messages.error(request, _("Wait a minute before asking for a new code."))
    elif request.method == "POST" and form.is_valid():
        matches, problem = _code_matches(request, form.cleaned_data["code"])
        if matches:
            request.session.pop(CONFIRMATION_KEY, None)
            request.session[CONFIRMED_KEY] = time.time()
            return redirect(activate)
        form.add_error("code", problem)
        status = 400
    elif request.method == "POST":
        status = 400
    else:
        _send_code(request)
    return render(
        request,
        "account/second_factor_enrol.html",
        {
            "form": form,
            "next": next_url,
            "address": _primary_address(request.user),
            "lifetime_minutes": CODE_LIFETIME // 60,
        },
        status=status,
    )


def enrolment_needs_confirmation(request):
    """Setting up a second factor for an account that must have one needs
    the e-mail confirmation first."""
    return (
        must_use_second_factor(request)
        and not is_mfa_enabled(request.user)
        and not enrolment_confirmed(request.session)
    )


def admin_path(request):
    return request.path_info.startswith(settings.ADMIN_URL_PREFIX)
