"""Every change that can end someone's access to a group's work, whichever
way it is made — a service, the admin's snippet edit or delete, a script,
allauth's sign-out, session list or password forms, an erasure — reaches the
access layer here, through the models' own signals (docs/security.md,
AC-14): open connections of the people concerned are checked again."""

from allauth.account.signals import user_logged_in

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from home import mfa
from workgroups import access
from workgroups.models import Membership, WorkingGroup

User = get_user_model()

# Saves that change nothing about anyone's access.
HARMLESS_USER_FIELDS = {"last_login"}
HARMLESS_GROUP_FIELDS = {"collection"}


def _harmless(update_fields, harmless):
    return update_fields is not None and set(update_fields) <= harmless


@receiver(post_save, sender=Membership)
def membership_changed(sender, instance, update_fields=None, **kwargs):
    """Added, moved to another group or given another role."""
    if _harmless(update_fields, {"listed_publicly"}):
        return
    access.invalidate([instance.user_id])


@receiver(post_delete, sender=Membership)
def membership_deleted(sender, instance, **kwargs):
    access.invalidate(
        [instance.user_id], memberships=[(instance.user_id, instance.group_id)]
    )


@receiver(post_save, sender=WorkingGroup)
def group_changed(sender, instance, created, update_fields=None, **kwargs):
    """Its rules (a second factor required) apply to every member at once."""
    if created or _harmless(update_fields, HARMLESS_GROUP_FIELDS):
        return
    access.invalidate(instance.memberships.values_list("user_id", flat=True))


@receiver(pre_delete, sender=WorkingGroup)
def group_deleted(sender, instance, **kwargs):
    # The memberships go with it (and announce themselves); this is for a
    # group whose memberships were removed around the ORM.
    access.invalidate(instance.memberships.values_list("user_id", flat=True))


@receiver(post_save, sender=User)
def person_changed(sender, instance, created, update_fields=None, **kwargs):
    """Deactivated, password changed or reset (which ends their other
    sessions), or anything else an administrator changed."""
    if created or _harmless(update_fields, HARMLESS_USER_FIELDS):
        return
    closed = [] if instance.is_active else [instance.pk]
    access.invalidate([instance.pk], accounts=closed)


@receiver(post_delete, sender=User)
def person_deleted(sender, instance, **kwargs):
    access.invalidate([instance.pk], accounts=[instance.pk])


@receiver(post_delete, sender=Session)
def session_ended(sender, instance, **kwargs):
    """Signed out, signed out by another of their sessions, or expired and
    cleared: every session deletion reaches the database row."""
    user_id = instance.get_decoded().get(SESSION_KEY)
    if user_id is not None:
        access.invalidate([user_id], sessions=[instance.session_key])


@receiver(user_logged_in)
def second_factor_for_group_work(sender, request, user, **kwargs):
    """A member of a group that requires a second factor who signed in
    without one is held to it for group work in this session (an account
    with an authenticator already had to use it to sign in)."""
    if access.second_factor_required(user) and not mfa.session_used_second_factor(
        request.session
    ):
        request.session[mfa.REQUIRED_KEY] = True
