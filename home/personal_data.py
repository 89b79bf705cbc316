"""Everything the platform holds about a person, and the erasure of their
account (RODO/GDPR art. 15, 17 and 20).

Each app that stores personal data has a ``privacy`` module with
``export(user) -> dict`` (JSON-ready), optionally ``files(user)`` (pairs of an
archive name and an open-able Django file) and ``erase(user)`` (what must be
anonymised rather than deleted with the account). Content people wrote for
their group (comments, versions, messages) stays for the group's record and is
shown as written by a former member.
"""

import io
import json
import zipfile

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, PageLogEntry

from home.app_modules import app_modules
from home.models import OutgoingEmail, Subscription


def _account(user):
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "email_addresses": list(
            EmailAddress.objects.filter(user=user).values(
                "email", "verified", "primary"
            )
        ),
        "two_factor_methods": list(
            Authenticator.objects.filter(user=user).values("type", "created_at")
        ),
        "signed_in_sessions": list(
            UserSession.objects.filter(user=user).values(
                "ip", "user_agent", "created_at", "last_seen_at"
            )
        ),
        "e_mail_subscriptions": list(
            _subscriptions_of(user).values(
                "email",
                "language",
                "programme_updates",
                "recommendations",
                "created_at",
                "confirmed_at",
            )
        ),
        "e_mails_to_you": list(
            _mails_to(user).values("subject", "status", "created_at", "finished_at")
        ),
        "actions_in_the_audit_log": [
            {"action": entry.action, "at": entry.timestamp, "object": entry.label}
            for model in (ModelLogEntry, PageLogEntry)
            for entry in model.objects.filter(user=user).order_by("timestamp")
        ],
    }


def _addresses(user):
    return {
        user.email,
        *EmailAddress.objects.filter(user=user).values_list("email", flat=True),
    } - {""}


def _subscriptions_of(user):
    """The public e-mail subscriptions of any of the person's addresses."""
    return Subscription.objects.filter(
        email__in=[address.lower() for address in _addresses(user)]
    )


def _mails_to(user):
    """The outbox's mails to any of the person's addresses."""
    addresses = _addresses(user)
    to_any = Q()
    for address in addresses:
        to_any |= Q(to__icontains=json.dumps(address))
    return (
        OutgoingEmail.objects.filter(to_any) if to_any else OutgoingEmail.objects.none()
    )


def personal_data(user):
    data = {"exported_at": timezone.now(), "account": _account(user)}
    for label, module in app_modules("privacy"):
        data[label] = module.export(user)
    return data


def personal_data_archive(*, actor, user) -> bytes:
    """A ZIP with ``data.json`` and the person's uploaded files."""
    _require_self_or_admin(actor, user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            json.dumps(
                personal_data(user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False
            ),
        )
        for _label, module in app_modules("privacy"):
            for name, django_file in getattr(module, "files", lambda user: [])(user):
                with django_file.open("rb") as stream:
                    archive.writestr(f"files/{name}", stream.read())
    log(user, "home.personal_data.export", user=actor)
    return buffer.getvalue()


def _require_self_or_admin(actor, user):
    if not actor.is_active or not (actor.pk == user.pk or actor.is_superuser):
        raise PermissionDenied


@transaction.atomic
def account_erase(*, actor, user) -> None:
    """Deletes the account and what only identifies the person (e-mail
    addresses, two-factor methods, sessions, mails to them in the outbox,
    their e-mail subscriptions);
    what they wrote for a group
    stays, without their name."""
    _require_self_or_admin(actor, user)
    log(user, "home.account.erase", user=actor if actor.pk != user.pk else None)
    for _label, module in app_modules("privacy"):
        if hasattr(module, "erase"):
            module.erase(user)
    _mails_to(user).delete()
    _subscriptions_of(user).delete()
    for session in UserSession.objects.filter(user=user):
        session._session_store(session.session_key).delete()
    user.delete()
