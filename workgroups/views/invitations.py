from allauth.account.adapter import get_adapter
from allauth.account.views import SignupView

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from home.actions import error_text, perform
from workgroups import selectors
from workgroups.adapters import SESSION_KEY, invitation_in_session
from workgroups.forms import InvitationForm
from workgroups.models import Invitation
from workgroups.services import invitations as services

REASONS = {
    "invalid": gettext_lazy(
        "This invitation link is not valid. Check that you copied it whole."
    ),
    "used": gettext_lazy("This invitation has already been used."),
    "expired": gettext_lazy(
        "This invitation has expired. Ask the group's chair for a new one."
    ),
    "revoked": gettext_lazy("This invitation was withdrawn by the group's chair."),
    "wrong_email": gettext_lazy(
        "This invitation was sent to another e-mail address. Sign out and open "
        "the link again, or sign in with the invited address."
    ),
}


@login_required
def invitations(request, group_id):
    group, membership = selectors.member_group_or_404(request.user, group_id)
    if not membership.is_chair:
        raise Http404
    form = InvitationForm(request.POST or None, initial={"language": get_language()})
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                actor=request.user, group=group, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("email", error_text(error))
        else:
            messages.success(
                request,
                _(
                    "The invitation to %(email)s is queued for sending: the list "
                    "below shows when the mail server has taken it."
                )
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("workgroups:invitations", group.pk)
    return render(
        request,
        "workgroups/invitations.html",
        {
            "group": group,
            "membership": membership,
            "form": form,
            "invitations": Invitation.objects.filter(group=group).select_related(
                "invited_by", "accepted_by", "mail"
            )[:200],
        },
        status=400 if form.errors else 200,
    )


def _chair_invitation(request, group_id, invitation_id):
    group, membership = selectors.member_group_or_404(request.user, group_id)
    invitation = Invitation.objects.filter(group=group, pk=invitation_id).first()
    if not membership.is_chair or invitation is None:
        raise Http404
    return invitation


@require_POST
@login_required
def invitation_revoke(request, group_id, invitation_id):
    invitation = _chair_invitation(request, group_id, invitation_id)
    return perform(
        request,
        lambda: services.invitation_revoke(actor=request.user, invitation=invitation),
        success=_("The invitation is withdrawn."),
        redirect_to=reverse("workgroups:invitations", args=[group_id]),
    )


@require_POST
@login_required
def invitation_resend(request, group_id, invitation_id):
    invitation = _chair_invitation(request, group_id, invitation_id)
    return perform(
        request,
        lambda: services.invitation_resend(actor=request.user, invitation=invitation),
        success=_("A new link is queued for sending; the old one no longer works."),
        redirect_to=reverse("workgroups:invitations", args=[group_id]),
    )


def invitation(request, token):
    """The link in the e-mail. Signed in with the invited address: join. An
    account exists: sign in first. No account: sign up (open only now)."""
    try:
        invitation = services.invitation_check(token)
    except services.InvitationError as error:
        return _refused(request, error.reason)
    user = request.user
    if user.is_authenticated:
        if not services.user_has_email(user, invitation.email):
            return _refused(request, "wrong_email")
        if request.method == "POST":
            try:
                membership = services.invitation_accept(user=user, token=token)
            except services.InvitationError as error:
                return _refused(request, error.reason)
            messages.success(
                request,
                _("Welcome to the working group %(group)s.")
                % {"group": membership.group.name},
            )
            return redirect("workgroups:group", membership.group_id)
        return render(request, "workgroups/invitation.html", {"invitation": invitation})
    has_account = (
        get_user_model().objects.filter(email__iexact=invitation.email).exists()
    )
    if request.method == "POST" and not has_account:
        request.session[SESSION_KEY] = token
        # The link proves the address: allauth records it as verified.
        get_adapter(request).stash_verified_email(request, invitation.email)
        return redirect(reverse("account_signup"))
    return render(
        request,
        "workgroups/invitation.html",
        {
            "invitation": invitation,
            "has_account": has_account,
            "login_url": reverse("account_login") + "?next=" + request.path,
        },
    )


def _refused(request, reason):
    return render(
        request,
        "workgroups/invitation_refused.html",
        {"reason": REASONS[reason]},
        status=404 if reason == "invalid" else 410,
    )


class InvitationSignupView(SignupView):
    """allauth's sign-up (open only with an invitation, see
    ``workgroups.adapters``) with the name the inviter gave filled in."""

    def get_initial(self):
        initial = super().get_initial()
        invitation = invitation_in_session(self.request)
        if invitation is not None:
            initial.update(
                first_name=invitation.first_name, last_name=invitation.last_name
            )
        return initial
