"""Invitations: a chair invites an e-mail address into a group; the link is
single-use, expires after seven days and can be revoked or sent again."""

from allauth.account.models import EmailAddress

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from home import outbox
from home.urls_absolute import absolute_url
from workgroups.access import check_membership_administration
from workgroups.models import Invitation, Membership, Notification, WorkingGroup
from workgroups.models.invitations import INVITATION_LIFETIME, new_token, token_hash
from workgroups.services.notifications import link


class InvitationError(Exception):
    """Why a link cannot be used: ``invalid``, ``used``, ``expired``,
    ``revoked`` or ``wrong_email``."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def invitation_url(token):
    return absolute_url(reverse("workgroups:invitation", args=[token]))


def _send(invitation, token):
    """Queue the link's e-mail (in the invitation's language, its link to the
    pages in that language) and keep it on the invitation, whose list shows
    its delivery state."""
    with translation.override(invitation.language):
        body = render_to_string(
            "workgroups/email/invitation.txt",
            {"invitation": invitation, "url": invitation_url(token)},
        )
        subject = _("Invitation to the working group %(group)s") % {
            "group": invitation.group.local_name
        }
    invitation.mail = outbox.mail_prepare(
        to=[invitation.email], subject=subject, body=body, kind="invitation"
    )
    invitation.save(update_fields=["mail"])
    outbox.mail_enqueue(invitation.mail)


@receiver(outbox.mail_failed)
def invitation_mail_failed(sender, mail, **kwargs):
    """Tell the chair who sent the invitation that its e-mail will not
    arrive (in the workspace: a mail about a mail could fail as well)."""
    invitation = (
        Invitation.objects.filter(mail=mail)
        .select_related("group", "invited_by")
        .first()
    )
    if invitation is None or invitation.invited_by is None:
        return
    Notification.objects.create(
        user=invitation.invited_by,
        group=invitation.group,
        kind=Notification.Kind.INVITATION_UNDELIVERED,
        params={
            "email": invitation.email,
            "link": link("workgroups:invitations", invitation.group_id),
        },
    )


@transaction.atomic
def invitation_create(
    *,
    actor,
    group: WorkingGroup,
    email: str,
    role=Membership.Role.EXPERT,
    first_name: str = "",
    last_name: str = "",
    language: str = "",
) -> tuple[Invitation, str]:
    """Invite ``email``; returns the invitation and the link's token (sent by
    e-mail, never stored). The name, if given, prefills the sign-up form; the
    e-mail is in ``language``, else in the one the chair is using."""
    check_membership_administration(actor, group.pk)
    email = (email or "").strip().lower()
    if Membership.objects.filter(group=group, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    if Invitation.objects.filter(
        group=group,
        email=email,
        status=Invitation.Status.PENDING,
        expires_at__gt=timezone.now(),
    ).exists():
        raise ValidationError(
            {"email": _("An invitation to this address is pending: resend it.")}
        )
    token, digest = new_token()
    invitation = Invitation(
        group=group,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        language=language or translation.get_language(),
        token_hash=digest,
        invited_by=actor,
        expires_at=timezone.now() + INVITATION_LIFETIME,
    )
    invitation.full_clean()
    invitation.save()
    log(
        invitation.group,
        "workgroups.invitation.create",
        user=actor,
        data={"role": role},
    )
    _send(invitation, token)
    return invitation, token


@transaction.atomic
def invitation_resend(*, actor, invitation: Invitation) -> str:
    """A new link (the old one stops working) valid for seven more days."""
    check_membership_administration(actor, invitation.group_id)
    if invitation.status != Invitation.Status.PENDING:
        raise ValidationError(_("Only a pending invitation can be sent again."))
    token, digest = new_token()
    invitation.token_hash = digest
    invitation.expires_at = timezone.now() + INVITATION_LIFETIME
    invitation.save(update_fields=["token_hash", "expires_at"])
    log(invitation.group, "workgroups.invitation.resend", user=actor)
    _send(invitation, token)
    return token


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> None:
    check_membership_administration(actor, invitation.group_id)
    updated = Invitation.objects.filter(
        pk=invitation.pk, status=Invitation.Status.PENDING
    ).update(status=Invitation.Status.REVOKED)
    if not updated:
        raise ValidationError(_("Only a pending invitation can be revoked."))
    log(invitation.group, "workgroups.invitation.revoke", user=actor)


def invitation_check(token: str) -> Invitation:
    """The invitation the link names, if it can still be used; otherwise
    :class:`InvitationError` says why."""
    invitation = (
        Invitation.objects.select_related("group")
        .filter(token_hash=token_hash(token or ""))
        .first()
    )
    if invitation is None:
        raise InvitationError("invalid")
    if invitation.status == Invitation.Status.ACCEPTED:
        raise InvitationError("used")
    if invitation.status == Invitation.Status.REVOKED:
        raise InvitationError("revoked")
    if invitation.is_expired:
        raise InvitationError("expired")
    return invitation


def user_has_email(user, email):
    return (
        user.email.lower() == email.lower()
        or EmailAddress.objects.filter(user=user, email__iexact=email).exists()
    )


@transaction.atomic
def invitation_accept(*, user, token: str) -> Membership:
    """``user`` takes up the invitation: one membership and one audit entry,
    however many times the link is used at once (a conditional UPDATE lets
    exactly one through, docs/security.md, DU-08). The link proves the address, so
    it is marked verified."""
    invitation = invitation_check(token)
    if not user_has_email(user, invitation.email):
        raise InvitationError("wrong_email")
    updated = Invitation.objects.filter(
        pk=invitation.pk,
        status=Invitation.Status.PENDING,
        expires_at__gt=timezone.now(),
    ).update(
        status=Invitation.Status.ACCEPTED, accepted_at=timezone.now(), accepted_by=user
    )
    if not updated:
        raise InvitationError("used")
    membership, created = Membership.objects.get_or_create(
        group=invitation.group, user=user, defaults={"role": invitation.role}
    )
    EmailAddress.objects.filter(user=user, email__iexact=invitation.email).update(
        verified=True
    )
    if created:
        log(
            membership,
            "workgroups.membership.add",
            user=user,
            data={"role": invitation.role, "invitation": invitation.pk},
        )
    return membership


def pending_invitations(group):
    return Invitation.objects.filter(
        group=group, status=Invitation.Status.PENDING
    ).select_related("invited_by")
