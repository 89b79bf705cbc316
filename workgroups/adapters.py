"""allauth glue: sign-up opens only for a visitor holding a valid invitation,
for the invited address, which the link has already proved."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from home.adapters import AccountAdapter
from workgroups.selectors import groups_of
from workgroups.services.invitations import (
    InvitationError,
    invitation_accept,
    invitation_check,
)

SESSION_KEY = "workgroups_invitation_token"
JOINED_KEY = "workgroups_joined_group"


def invitation_in_session(request):
    token = request.session.get(SESSION_KEY) if request is not None else None
    if not token:
        return None
    try:
        return invitation_check(token)
    except InvitationError:
        return None


class InvitationAccountAdapter(AccountAdapter):
    def is_open_for_signup(self, request):
        return invitation_in_session(request) is not None

    def clean_email(self, email):
        email = super().clean_email(email)
        invitation = invitation_in_session(self.request)
        if invitation is not None and email.lower() != invitation.email.lower():
            raise ValidationError(
                _("Sign up with the address the invitation was sent to: %(email)s")
                % {"email": invitation.email}
            )
        return email

    def save_user(self, request, user, form, commit=True):
        """The new account joins the group at once; allauth then records
        the invited address as verified (the view stashed it: the link proved
        it), so no confirmation e-mail is needed."""
        user = super().save_user(request, user, form, commit=commit)
        token = request.session.pop(SESSION_KEY, None)
        if commit and token:
            membership = invitation_accept(user=user, token=token)
            request.session[JOINED_KEY] = membership.group_id
        return user

    def landing_url(self, request):
        """A member's landing page is their workspace."""
        if groups_of(request.user).exists():
            return reverse("workgroups:dashboard")
        return super().landing_url(request)

    def get_signup_redirect_url(self, request):
        group_id = request.session.pop(JOINED_KEY, None)
        if group_id:
            return reverse("workgroups:group", args=[group_id])
        return super().get_signup_redirect_url(request)
